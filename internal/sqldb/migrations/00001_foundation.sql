-- +goose Up
-- Times are fixed-width UTC text (isms.TimeFormat) and booleans are 0/1 integers on both engines, so that a
-- backup taken from one engine restores into the other unchanged.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    audit_seq   BIGINT NOT NULL DEFAULT 0,
    audit_head  TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    approver   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id       TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_org ON api_tokens(org_id, user_id);

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    at          TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    via         TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    ref         TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (org_id, seq)
);
CREATE INDEX audit_events_entity ON audit_events(org_id, entity, seq);
CREATE INDEX audit_events_actor ON audit_events(org_id, actor, seq);

CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref         TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    job_title   TEXT NOT NULL DEFAULT '',
    department  TEXT NOT NULL DEFAULT '',
    start_date  TEXT NOT NULL DEFAULT '',
    user_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX people_name ON people(org_id, name);

-- counters hands out human references (P-001, R-014) per organisation without races.
CREATE TABLE counters (
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name   TEXT NOT NULL,
    value  BIGINT NOT NULL,
    PRIMARY KEY (org_id, name)
);

-- +goose Down
DROP TABLE counters;
DROP TABLE people;
DROP TABLE audit_events;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE organisations;
