-- +goose Up
-- Each assessment keeps the method it was made under: the sizes of the scales, the scoring and the thresholds,
-- so that its scores keep their bands after the method changes.
ALTER TABLE risk_assessments ADD COLUMN method_likelihood_levels INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risk_assessments ADD COLUMN method_impact_levels INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risk_assessments ADD COLUMN method_scoring TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_assessments ADD COLUMN method_acceptance_threshold INTEGER NOT NULL DEFAULT 0;
ALTER TABLE risk_assessments ADD COLUMN method_high_threshold INTEGER NOT NULL DEFAULT 0;
-- Earlier assessments get the organisation's current method (the default 5x5 one when it never saved one). A
-- scale's size is the number of levels in its JSON, counted as the occurrences of the key "label": (8 characters)
-- with length and replace, which both engines have.
UPDATE risk_assessments SET
    method_likelihood_levels = COALESCE((SELECT (length(m.likelihood_json) - length(replace(m.likelihood_json, '"label":', ''))) / 8
        FROM risk_methods m WHERE m.org_id = risk_assessments.org_id), 5),
    method_impact_levels = COALESCE((SELECT (length(m.impact_json) - length(replace(m.impact_json, '"label":', ''))) / 8
        FROM risk_methods m WHERE m.org_id = risk_assessments.org_id), 5),
    method_scoring = COALESCE((SELECT m.scoring FROM risk_methods m WHERE m.org_id = risk_assessments.org_id), 'multiply'),
    method_acceptance_threshold = COALESCE((SELECT m.acceptance_threshold FROM risk_methods m WHERE m.org_id = risk_assessments.org_id), 6),
    method_high_threshold = COALESCE((SELECT m.high_threshold FROM risk_methods m WHERE m.org_id = risk_assessments.org_id), 15);

-- +goose Down
ALTER TABLE risk_assessments DROP COLUMN method_high_threshold;
ALTER TABLE risk_assessments DROP COLUMN method_acceptance_threshold;
ALTER TABLE risk_assessments DROP COLUMN method_scoring;
ALTER TABLE risk_assessments DROP COLUMN method_impact_levels;
ALTER TABLE risk_assessments DROP COLUMN method_likelihood_levels;
