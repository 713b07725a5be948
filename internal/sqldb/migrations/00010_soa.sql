-- +goose Up
-- Clause 6.1.3 d: the Statement of Applicability. One entry per organisation and Annex A control (applicable is
-- NULL while undecided, else 0 or 1; reasons is a comma list), and the approved versions, each an immutable
-- snapshot of the entries as JSON with the SHA-256 of their canonical form. The risks a control treats are
-- read from risk_controls, never stored here.
CREATE TABLE soa_entries (
    org_id        TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    control_id    TEXT NOT NULL,
    applicable    INTEGER,
    justification TEXT NOT NULL DEFAULT '',
    reasons       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT '',
    owner_id      TEXT REFERENCES people(id) ON DELETE SET NULL,
    notes         TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (org_id, control_id)
);
CREATE INDEX soa_entries_owner ON soa_entries(owner_id);

CREATE TABLE soa_versions (
    org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    approved_by_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
    approved_by_name TEXT NOT NULL,
    approved_at      TEXT NOT NULL,
    comment          TEXT NOT NULL DEFAULT '',
    hash             TEXT NOT NULL,
    summary_json     TEXT NOT NULL,
    entries_json     TEXT NOT NULL,
    PRIMARY KEY (org_id, number)
);

-- Every existing organisation gets its 93 entries, undecided (the ids of ISO/IEC 27001:2022 Annex A).
INSERT INTO soa_entries (org_id, control_id, updated_at, version)
SELECT o.id, c.column1, o.created_at, 1 FROM organisations o CROSS JOIN (VALUES
    ('5.1'), ('5.2'), ('5.3'), ('5.4'), ('5.5'), ('5.6'), ('5.7'), ('5.8'), ('5.9'), ('5.10'), ('5.11'), ('5.12'),
    ('5.13'), ('5.14'), ('5.15'), ('5.16'), ('5.17'), ('5.18'), ('5.19'), ('5.20'), ('5.21'), ('5.22'), ('5.23'), ('5.24'),
    ('5.25'), ('5.26'), ('5.27'), ('5.28'), ('5.29'), ('5.30'), ('5.31'), ('5.32'), ('5.33'), ('5.34'), ('5.35'), ('5.36'),
    ('5.37'), ('6.1'), ('6.2'), ('6.3'), ('6.4'), ('6.5'), ('6.6'), ('6.7'), ('6.8'), ('7.1'), ('7.2'), ('7.3'),
    ('7.4'), ('7.5'), ('7.6'), ('7.7'), ('7.8'), ('7.9'), ('7.10'), ('7.11'), ('7.12'), ('7.13'), ('7.14'), ('8.1'),
    ('8.2'), ('8.3'), ('8.4'), ('8.5'), ('8.6'), ('8.7'), ('8.8'), ('8.9'), ('8.10'), ('8.11'), ('8.12'), ('8.13'),
    ('8.14'), ('8.15'), ('8.16'), ('8.17'), ('8.18'), ('8.19'), ('8.20'), ('8.21'), ('8.22'), ('8.23'), ('8.24'), ('8.25'),
    ('8.26'), ('8.27'), ('8.28'), ('8.29'), ('8.30'), ('8.31'), ('8.32'), ('8.33'), ('8.34')
) c;

-- +goose Down
DROP TABLE soa_versions;
DROP TABLE soa_entries;
