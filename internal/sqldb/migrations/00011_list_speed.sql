-- +goose Up
-- A descending sort of the risk register now breaks ties by id descending too (store.orderBy), so one index per
-- sort key, ending in id ascending, serves the sort both ways: read forwards when ascending, backwards when
-- descending. Before, the ascending score sorts had to sort every risk of the lowest score.
DROP INDEX risks_score;
DROP INDEX risks_residual;
DROP INDEX risks_updated;
CREATE INDEX risks_score ON risks(org_id, score, id);
CREATE INDEX risks_residual ON risks(org_id, residual_score, id);
CREATE INDEX risks_updated ON risks(org_id, updated_at, id);

-- The sort by owner reads the owners in name order and each owner's risks by id, instead of joining and sorting
-- the whole register (store.ownerRisksAfter).
CREATE UNIQUE INDEX people_sort ON people(org_id, lower(name), ref);
DROP INDEX risks_owner;
CREATE INDEX risks_owner ON risks(org_id, owner_id, id);

-- +goose Down
DROP INDEX risks_owner;
CREATE INDEX risks_owner ON risks(org_id, owner_id);
DROP INDEX people_sort;
DROP INDEX risks_updated;
DROP INDEX risks_residual;
DROP INDEX risks_score;
CREATE INDEX risks_score ON risks(org_id, score, id DESC);
CREATE INDEX risks_residual ON risks(org_id, residual_score, id DESC);
CREATE INDEX risks_updated ON risks(org_id, updated_at, id DESC);
