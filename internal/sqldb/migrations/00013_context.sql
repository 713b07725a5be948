-- +goose Up
-- Clause 4: the context of the organisation. Internal and external issues (4.1), interested parties and their
-- requirements (4.2), each requirement a row of its own keyed to its party, and the ISMS scope (4.3), one row per
-- organisation whose lists are JSON text. Controls of a requirement are a comma list of 2022 ids.
CREATE TABLE context_issues (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref         TEXT NOT NULL,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    effect      TEXT NOT NULL DEFAULT '',
    owner_id    TEXT REFERENCES people(id) ON DELETE SET NULL,
    review_date TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    UNIQUE (org_id, ref)
);
CREATE INDEX context_issues_owner ON context_issues(owner_id);

CREATE TABLE interested_parties (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref         TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    UNIQUE (org_id, ref)
);
CREATE INDEX interested_parties_name ON interested_parties(org_id, name);

CREATE TABLE party_requirements (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    party_id   TEXT NOT NULL REFERENCES interested_parties(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    type       TEXT NOT NULL,
    addressed  TEXT NOT NULL DEFAULT '',
    controls   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL,
    UNIQUE (org_id, ref)
);
CREATE INDEX party_requirements_party ON party_requirements(party_id);

CREATE TABLE isms_scope (
    org_id     TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    statement  TEXT NOT NULL DEFAULT '',
    units      TEXT NOT NULL DEFAULT '[]',
    locations  TEXT NOT NULL DEFAULT '[]',
    systems    TEXT NOT NULL DEFAULT '[]',
    boundaries TEXT NOT NULL DEFAULT '',
    exclusions TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL
);

-- +goose Down
DROP TABLE isms_scope;
DROP TABLE party_requirements;
DROP TABLE interested_parties;
DROP TABLE context_issues;
