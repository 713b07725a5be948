-- +goose Up
-- The value of a metric's latest measurement, kept with last_taken when a measurement is recorded, so that a
-- list or an export says whether each metric is on target without reading its measurements.
ALTER TABLE metrics ADD COLUMN last_value TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE metrics DROP COLUMN last_value;
