-- +goose Up
-- Each sort of the risk register has an index ending in its tie-break (id ascending), so that a page reads its
-- 50 rows in order instead of sorting the whole register. Scores and dates are read backwards, highest and
-- newest first: their index holds id descending, which backwards is ascending.
DROP INDEX risks_score;
DROP INDEX risks_residual;
DROP INDEX risks_treatment;
CREATE INDEX risks_score ON risks(org_id, score, id DESC);
CREATE INDEX risks_residual ON risks(org_id, residual_score, id DESC);
CREATE INDEX risks_treatment ON risks(org_id, treatment, id);
CREATE INDEX risks_updated ON risks(org_id, updated_at, id DESC);
CREATE INDEX risks_title ON risks(org_id, lower(title), id);
-- The heat maps count risks per cell from these alone, and a cell's filter finds its risks in them.
CREATE INDEX risks_cell ON risks(org_id, likelihood, impact);
CREATE INDEX risks_residual_cell ON risks(org_id, residual_likelihood, residual_impact);

-- Search ("contains", any case) through a trigram index of a risk's reference, title, threat and
-- vulnerability. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the database owner may
-- create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX risks_search ON risks USING gin ((lower(ref || ' ' || title || ' ' || threat || ' ' || vulnerability)) gin_trgm_ops);

-- +goose Down
DROP INDEX risks_search;
DROP INDEX risks_residual_cell;
DROP INDEX risks_cell;
DROP INDEX risks_title;
DROP INDEX risks_updated;
DROP INDEX risks_treatment;
DROP INDEX risks_residual;
DROP INDEX risks_score;
CREATE INDEX risks_score ON risks(org_id, score);
CREATE INDEX risks_residual ON risks(org_id, residual_score);
CREATE INDEX risks_treatment ON risks(org_id, treatment);
