-- +goose Up
-- Clause 6.1.2 / 6.1.3: the risk method, asset inventory, risk register, history and treatment plan.
CREATE TABLE risk_methods (
    org_id               TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    likelihood_json      TEXT NOT NULL,
    impact_json          TEXT NOT NULL,
    scoring              TEXT NOT NULL,
    acceptance_threshold INTEGER NOT NULL,
    high_threshold       INTEGER NOT NULL,
    updated_at           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE assets (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref             TEXT NOT NULL,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,
    owner_id        TEXT REFERENCES people(id) ON DELETE SET NULL,
    classification  TEXT NOT NULL DEFAULT '',
    confidentiality INTEGER NOT NULL DEFAULT 0,
    integrity       INTEGER NOT NULL DEFAULT 0,
    availability    INTEGER NOT NULL DEFAULT 0,
    location        TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX assets_name ON assets(org_id, name);
CREATE INDEX assets_owner ON assets(owner_id);

CREATE TABLE risks (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref                 TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    threat              TEXT NOT NULL DEFAULT '',
    vulnerability       TEXT NOT NULL DEFAULT '',
    owner_id            TEXT REFERENCES people(id) ON DELETE SET NULL,
    likelihood          INTEGER NOT NULL,
    impact              INTEGER NOT NULL,
    score               INTEGER NOT NULL,
    treatment           TEXT NOT NULL,
    residual_likelihood INTEGER NOT NULL DEFAULT 0,
    residual_impact     INTEGER NOT NULL DEFAULT 0,
    residual_score      INTEGER NOT NULL DEFAULT 0,
    accepted_by_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
    accepted_by_name    TEXT NOT NULL DEFAULT '',
    accepted_at         TEXT,
    acceptance_comment  TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX risks_score ON risks(org_id, score);
CREATE INDEX risks_residual ON risks(org_id, residual_score);
CREATE INDEX risks_owner ON risks(org_id, owner_id);
CREATE INDEX risks_treatment ON risks(org_id, treatment);
CREATE INDEX risks_owner_fk ON risks(owner_id);

CREATE TABLE risk_assets (
    org_id   TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    risk_id  TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    asset_id TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    PRIMARY KEY (risk_id, asset_id)
);
CREATE INDEX risk_assets_asset ON risk_assets(asset_id);

CREATE TABLE risk_controls (
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    risk_id    TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    control_id TEXT NOT NULL,
    PRIMARY KEY (risk_id, control_id)
);
CREATE INDEX risk_controls_control ON risk_controls(control_id, org_id);

CREATE TABLE risk_assessments (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    risk_id             TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    at                  TEXT NOT NULL,
    by_name             TEXT NOT NULL,
    likelihood          INTEGER NOT NULL,
    impact              INTEGER NOT NULL,
    score               INTEGER NOT NULL,
    residual_likelihood INTEGER NOT NULL,
    residual_impact     INTEGER NOT NULL,
    residual_score      INTEGER NOT NULL,
    treatment           TEXT NOT NULL,
    note                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_assessments_risk ON risk_assessments(risk_id, at);

CREATE TABLE treatment_actions (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    risk_id    TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    owner_id   TEXT REFERENCES people(id) ON DELETE SET NULL,
    due        TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX treatment_actions_risk ON treatment_actions(risk_id);
CREATE INDEX treatment_actions_due ON treatment_actions(org_id, status, due);
CREATE INDEX treatment_actions_owner ON treatment_actions(owner_id);

-- +goose Down
DROP TABLE treatment_actions;
DROP TABLE risk_assessments;
DROP TABLE risk_controls;
DROP TABLE risk_assets;
DROP TABLE risks;
DROP TABLE assets;
DROP TABLE risk_methods;
