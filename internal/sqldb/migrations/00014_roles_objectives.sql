-- +goose Up
-- Clause 5.3: the roles of the ISMS with the person who holds each (kind marks the ISMS owner and the
-- top-management sponsor). Clause 5.1: leadership commitments recorded as evidence. Clause 6.2: information
-- security objectives; risk_refs is a comma list of risk references, checked when saved.
CREATE TABLE isms_roles (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref              TEXT NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT 'other',
    person_id        TEXT REFERENCES people(id) ON DELETE SET NULL,
    responsibilities TEXT NOT NULL DEFAULT '',
    authorities      TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX isms_roles_person ON isms_roles(person_id);

CREATE TABLE leadership_commitments (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref          TEXT NOT NULL,
    title        TEXT NOT NULL,
    person_id    TEXT REFERENCES people(id) ON DELETE SET NULL,
    committed_on TEXT NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    document     TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX leadership_commitments_date ON leadership_commitments(org_id, committed_on);
CREATE INDEX leadership_commitments_person ON leadership_commitments(person_id);

CREATE TABLE objectives (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    title      TEXT NOT NULL,
    measure    TEXT NOT NULL DEFAULT '',
    target     TEXT NOT NULL DEFAULT '',
    owner_id   TEXT REFERENCES people(id) ON DELETE SET NULL,
    due        TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'planned',
    policy     TEXT NOT NULL DEFAULT '',
    risk_refs  TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX objectives_due ON objectives(org_id, due);
CREATE INDEX objectives_owner ON objectives(owner_id);

-- +goose Down
DROP TABLE objectives;
DROP TABLE leadership_commitments;
DROP TABLE isms_roles;
