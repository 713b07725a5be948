-- +goose Up
-- Clauses 7 and 8, implementing controls: the staff register's people fields (6.1 screening, 6.2 terms, leavers),
-- tasks with their checklists, evidence (files, links, notes) with what each piece proves, courses and training
-- records. Days are YYYY-MM-DD text ('' when unknown), times isms.TimeFormat text. A file's bytes live in the blob
-- store, named by the SHA-256 kept here.
ALTER TABLE people ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN manager_id TEXT REFERENCES people(id) ON DELETE SET NULL;
ALTER TABLE people ADD COLUMN employment TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN end_date TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN screened_on TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN terms_signed_on TEXT NOT NULL DEFAULT '';
CREATE INDEX people_team ON people(org_id, team);
CREATE INDEX people_manager ON people(manager_id);

-- A task serves at most one Annex A control, one clause, one risk treatment action and one document; a recurring
-- task names the occurrence it follows (previous_id) so that completing it creates the next one exactly once.
CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref          TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    control_id   TEXT NOT NULL DEFAULT '',
    clause       TEXT NOT NULL DEFAULT '',
    action_id    TEXT REFERENCES treatment_actions(id) ON DELETE SET NULL,
    document_id  TEXT REFERENCES documents(id) ON DELETE SET NULL,
    assignee_id  TEXT REFERENCES people(id) ON DELETE SET NULL,
    due          TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    recurrence   TEXT NOT NULL DEFAULT '',
    previous_id  TEXT REFERENCES tasks(id) ON DELETE SET NULL,
    done_at      TEXT,
    done_by      TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX tasks_control ON tasks(org_id, control_id);
CREATE INDEX tasks_due ON tasks(org_id, status, due);
CREATE INDEX tasks_assignee ON tasks(assignee_id);
CREATE INDEX tasks_action ON tasks(action_id);
CREATE INDEX tasks_document ON tasks(document_id);
CREATE UNIQUE INDEX tasks_previous ON tasks(previous_id);

CREATE TABLE task_checks (
    org_id   TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    task_id  TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text     TEXT NOT NULL,
    done_at  TEXT,
    done_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (task_id, position)
);

-- kind is file, link or note; a file has its SHA-256, size, detected media type and the name it was uploaded
-- under; a link its url; a note its text in description.
CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref          TEXT NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL DEFAULT 0,
    media_type   TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    owner_id     TEXT REFERENCES people(id) ON DELETE SET NULL,
    collected_at TEXT NOT NULL DEFAULT '',
    valid_until  TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX evidence_valid ON evidence(org_id, valid_until);
CREATE INDEX evidence_sha ON evidence(sha256);
CREATE INDEX evidence_owner ON evidence(owner_id);

-- What a piece of evidence proves: Annex A controls, clauses (ids of the catalog) and tasks.
CREATE TABLE evidence_controls (
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    control_id  TEXT NOT NULL,
    PRIMARY KEY (evidence_id, control_id)
);
CREATE INDEX evidence_controls_control ON evidence_controls(org_id, control_id);

CREATE TABLE evidence_clauses (
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    clause      TEXT NOT NULL,
    PRIMARY KEY (evidence_id, clause)
);
CREATE INDEX evidence_clauses_clause ON evidence_clauses(org_id, clause);

CREATE TABLE evidence_tasks (
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    PRIMARY KEY (evidence_id, task_id)
);
CREATE INDEX evidence_tasks_task ON evidence_tasks(task_id);

-- audience is all, team or role (audience_value names the team, or the job-title word such as engineer);
-- recurrence_months 0 means once.
CREATE TABLE courses (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref               TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    audience          TEXT NOT NULL DEFAULT 'all',
    audience_value    TEXT NOT NULL DEFAULT '',
    recurrence_months INTEGER NOT NULL DEFAULT 0,
    owner_id          TEXT REFERENCES people(id) ON DELETE SET NULL,
    controls          TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);

CREATE TABLE training_records (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref          TEXT NOT NULL,
    course_id    TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    person_id    TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    completed_on TEXT NOT NULL,
    result       TEXT NOT NULL DEFAULT 'completed',
    evidence_id  TEXT REFERENCES evidence(id) ON DELETE SET NULL,
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX training_records_person ON training_records(person_id, course_id, completed_on);
CREATE INDEX training_records_course ON training_records(course_id, completed_on);
CREATE INDEX training_records_evidence ON training_records(evidence_id);

-- +goose Down
DROP TABLE training_records;
DROP TABLE courses;
DROP TABLE evidence_tasks;
DROP TABLE evidence_clauses;
DROP TABLE evidence_controls;
DROP TABLE evidence;
DROP TABLE task_checks;
DROP TABLE tasks;
DROP INDEX people_manager;
DROP INDEX people_team;
ALTER TABLE people DROP COLUMN terms_signed_on;
ALTER TABLE people DROP COLUMN screened_on;
ALTER TABLE people DROP COLUMN end_date;
ALTER TABLE people DROP COLUMN employment;
ALTER TABLE people DROP COLUMN manager_id;
ALTER TABLE people DROP COLUMN team;
