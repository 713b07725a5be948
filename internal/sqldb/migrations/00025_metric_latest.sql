-- +goose Up
-- What a metric's list needs without reading its measurements: the value of its latest measurement (kept with
-- last_taken when a measurement is recorded) and the day after which its next measurement is late (kept when a
-- measurement is recorded or the frequency changes), so that late metrics are one indexed condition.
ALTER TABLE metrics ADD COLUMN last_value TEXT NOT NULL DEFAULT '';
ALTER TABLE metrics ADD COLUMN next_due TEXT NOT NULL DEFAULT '';
CREATE INDEX metrics_next_due ON metrics(org_id, next_due);

-- +goose Down
DROP INDEX metrics_next_due;
ALTER TABLE metrics DROP COLUMN next_due;
ALTER TABLE metrics DROP COLUMN last_value;
