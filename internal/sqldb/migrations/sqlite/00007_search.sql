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
-- vulnerability, kept by triggers and keyed by the risk's rowid.
CREATE VIRTUAL TABLE risks_search USING fts5(text, tokenize = 'trigram');
INSERT INTO risks_search (rowid, text) SELECT rowid, ref || ' ' || title || ' ' || threat || ' ' || vulnerability FROM risks;
-- +goose StatementBegin
CREATE TRIGGER risks_search_insert AFTER INSERT ON risks BEGIN
    INSERT INTO risks_search (rowid, text) VALUES (new.rowid, new.ref || ' ' || new.title || ' ' || new.threat || ' ' || new.vulnerability);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER risks_search_update AFTER UPDATE OF ref, title, threat, vulnerability ON risks BEGIN
    UPDATE risks_search SET text = new.ref || ' ' || new.title || ' ' || new.threat || ' ' || new.vulnerability WHERE rowid = old.rowid;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER risks_search_delete AFTER DELETE ON risks BEGIN
    DELETE FROM risks_search WHERE rowid = old.rowid;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER risks_search_delete;
DROP TRIGGER risks_search_update;
DROP TRIGGER risks_search_insert;
DROP TABLE risks_search;
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
