-- +goose Up
-- Clauses 9 and 10: metrics and their measurements (9.1), the internal audit programme and audits with their
-- checklists (9.2), findings from any source, corrective actions with an effectiveness check (10.2), management
-- reviews with their outputs (9.3) and the improvement log (10.1). Days are YYYY-MM-DD text, times
-- isms.TimeFormat text; clauses and controls are comma lists of catalog ids. A measured value is a decimal kept
-- as text, so that backups move it between engines unchanged.
CREATE TABLE metrics (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref          TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    method       TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL DEFAULT '',
    frequency    TEXT NOT NULL DEFAULT 'monthly',
    direction    TEXT NOT NULL DEFAULT 'at-least',
    target       TEXT NOT NULL DEFAULT '',
    owner_id     TEXT REFERENCES people(id) ON DELETE SET NULL,
    objective_id TEXT REFERENCES objectives(id) ON DELETE SET NULL,
    controls     TEXT NOT NULL DEFAULT '',
    last_taken   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX metrics_owner ON metrics(owner_id);
CREATE INDEX metrics_objective ON metrics(objective_id);

CREATE TABLE measurements (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    metric_id   TEXT NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
    taken_on    TEXT NOT NULL,
    value       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX measurements_metric ON measurements(metric_id, taken_on);

-- The programme is one row per organisation: the first day of its three-year certification cycle.
CREATE TABLE audit_programmes (
    org_id      TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    cycle_start TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- area names the part of the organisation audited (a team or department), so that an auditor auditing their
-- own area can be warned about.
CREATE TABLE audits (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref             TEXT NOT NULL,
    title           TEXT NOT NULL,
    scope           TEXT NOT NULL DEFAULT '',
    criteria        TEXT NOT NULL DEFAULT '',
    area            TEXT NOT NULL DEFAULT '',
    clauses         TEXT NOT NULL DEFAULT '',
    controls        TEXT NOT NULL DEFAULT '',
    lead_auditor_id TEXT REFERENCES people(id) ON DELETE SET NULL,
    planned_start   TEXT NOT NULL DEFAULT '',
    planned_end     TEXT NOT NULL DEFAULT '',
    actual_start    TEXT NOT NULL DEFAULT '',
    actual_end      TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'planned',
    conclusion      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX audits_planned ON audits(org_id, planned_start);
CREATE INDEX audits_lead ON audits(lead_auditor_id);

CREATE TABLE audit_team (
    org_id    TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    audit_id  TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (audit_id, person_id)
);
CREATE INDEX audit_team_person ON audit_team(person_id);

-- One checklist item per clause or control in scope; result is '' until audited, then conforms, nonconformity,
-- observation or not-audited.
CREATE TABLE audit_items (
    org_id        TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    audit_id      TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    target        TEXT NOT NULL,
    result        TEXT NOT NULL DEFAULT '',
    evidence_seen TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    updated_by    TEXT NOT NULL DEFAULT '',
    updated_at    TEXT,
    PRIMARY KEY (audit_id, position)
);
CREATE UNIQUE INDEX audit_items_target ON audit_items(audit_id, kind, target);

-- source is internal-audit, certification-audit, incident, complaint or other; grade is major-nc, minor-nc,
-- observation or ofi.
CREATE TABLE findings (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref           TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    grade         TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT 'internal-audit',
    audit_id      TEXT REFERENCES audits(id) ON DELETE SET NULL,
    clause        TEXT NOT NULL DEFAULT '',
    control_id    TEXT NOT NULL DEFAULT '',
    evidence_seen TEXT NOT NULL DEFAULT '',
    raised_by     TEXT NOT NULL DEFAULT '',
    raised_on     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX findings_audit ON findings(audit_id);
CREATE INDEX findings_grade ON findings(org_id, grade, status);

-- A corrective action cannot be closed without an effectiveness check (who, when, result).
CREATE TABLE corrective_actions (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref                 TEXT NOT NULL,
    finding_id          TEXT REFERENCES findings(id) ON DELETE SET NULL,
    title               TEXT NOT NULL,
    correction          TEXT NOT NULL DEFAULT '',
    root_cause          TEXT NOT NULL DEFAULT '',
    action              TEXT NOT NULL DEFAULT '',
    owner_id            TEXT REFERENCES people(id) ON DELETE SET NULL,
    due                 TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'open',
    checked_by_id       TEXT REFERENCES users(id) ON DELETE SET NULL,
    checked_by_name     TEXT NOT NULL DEFAULT '',
    checked_at          TEXT,
    check_result        TEXT NOT NULL DEFAULT '',
    check_notes         TEXT NOT NULL DEFAULT '',
    closed_at           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX corrective_actions_finding ON corrective_actions(finding_id);
CREATE INDEX corrective_actions_due ON corrective_actions(org_id, status, due);
CREATE INDEX corrective_actions_owner ON corrective_actions(owner_id);

-- inputs_json keeps the inputs as assembled from the data when the review was held, so that its minutes do not
-- change afterwards; input_notes_json the discussion noted against each input.
CREATE TABLE management_reviews (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref              TEXT NOT NULL,
    title            TEXT NOT NULL,
    planned_on       TEXT NOT NULL DEFAULT '',
    held_on          TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'planned',
    chair_id         TEXT REFERENCES people(id) ON DELETE SET NULL,
    attendees        TEXT NOT NULL DEFAULT '',
    discussion       TEXT NOT NULL DEFAULT '',
    inputs_json      TEXT NOT NULL DEFAULT '',
    input_notes_json TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX management_reviews_held ON management_reviews(org_id, held_on);

-- The 9.3.3 outputs: kind is improvement, change or resource.
CREATE TABLE review_actions (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    review_id  TEXT NOT NULL REFERENCES management_reviews(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    decision   TEXT NOT NULL,
    owner_id   TEXT REFERENCES people(id) ON DELETE SET NULL,
    due        TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'open',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX review_actions_review ON review_actions(review_id);
CREATE INDEX review_actions_due ON review_actions(org_id, status, due);

-- 10.1: changes made to the ISMS and why; source names where the change came from (review, corrective, audit,
-- risk, other) and source_ref its reference there.
CREATE TABLE improvements (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref         TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT 'other',
    source_ref  TEXT NOT NULL DEFAULT '',
    owner_id    TEXT REFERENCES people(id) ON DELETE SET NULL,
    made_on     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX improvements_made ON improvements(org_id, made_on);

-- +goose Down
DROP TABLE improvements;
DROP TABLE review_actions;
DROP TABLE management_reviews;
DROP TABLE corrective_actions;
DROP TABLE findings;
DROP TABLE audit_items;
DROP TABLE audit_team;
DROP TABLE audits;
DROP TABLE audit_programmes;
DROP TABLE measurements;
DROP TABLE metrics;
