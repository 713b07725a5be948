-- +goose Up
-- The lint's risk checks (issue 14) count the risks above the acceptance threshold by treatment and acceptance,
-- and probe their controls and actions by id, from this index alone: a range of the current score (residual once
-- assessed, else inherent, as store.currentScore) instead of reading every row of a large register.
CREATE INDEX risks_checks ON risks(org_id, (CASE WHEN residual_score > 0 THEN residual_score ELSE score END), treatment, residual_score, score, accepted_at, id);

-- +goose Down
DROP INDEX risks_checks;
