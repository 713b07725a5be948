-- +goose Up
-- The transition from ISO/IEC 27001:2013 to 2022 (issue 15). transition_rows keeps the last imported 2013
-- Statement of Applicability, one row per 2013 control as the file said it (applicable 1/0, NULL when the
-- row gave no answer). transition_controls keeps what the import made of each 2022 control: its outcome
-- (taken | merged | conflict | new | unanswered), whether it was left for a decision (marked) or an entry
-- already decided was kept, and a note in words. Whether a marked control is decided now is read from its SoA
-- entry, where the decision is made. A new import replaces both.
CREATE TABLE transition_rows (
    org_id        TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    control       TEXT NOT NULL,                    -- A.5.1.1
    line          INTEGER NOT NULL,                 -- its line in the imported file
    applicable    INTEGER,                          -- 1 | 0 | NULL
    justification TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT '',         -- one of the SoA statuses, or ''
    notes         TEXT NOT NULL DEFAULT '',
    imported_at   TEXT NOT NULL,
    PRIMARY KEY (org_id, control)
);

CREATE TABLE transition_controls (
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    control     TEXT NOT NULL,                      -- 2022 id, 8.28
    outcome     TEXT NOT NULL,
    marked      INTEGER NOT NULL DEFAULT 0,
    kept        INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    PRIMARY KEY (org_id, control)
);

-- +goose Down
DROP TABLE transition_controls;
DROP TABLE transition_rows;
