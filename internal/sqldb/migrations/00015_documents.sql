-- +goose Up
-- Clause 7.5, documented information: the document register, the numbered versions of each document (Markdown
-- as typed; an approved version keeps its content, approver, date and SHA-256), and the people each version
-- was published to with their acknowledgements. clauses and controls are comma lists of ids; dates are
-- isms.TimeFormat text, next_review a YYYY-MM-DD day ('' until a version is approved).
CREATE TABLE documents (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref              TEXT NOT NULL,
    title            TEXT NOT NULL,
    type             TEXT NOT NULL,
    owner_id         TEXT REFERENCES people(id) ON DELETE SET NULL,
    clauses          TEXT NOT NULL DEFAULT '',
    controls         TEXT NOT NULL DEFAULT '',
    classification   TEXT NOT NULL DEFAULT '',
    review_months    INTEGER NOT NULL DEFAULT 12,
    next_review      TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    latest_version   INTEGER NOT NULL DEFAULT 0,
    approved_version INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL,
    UNIQUE (org_id, ref)
);
CREATE INDEX documents_org_ref ON documents(org_id, ref);
CREATE INDEX documents_owner ON documents(owner_id);

CREATE TABLE document_versions (
    org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    document_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    status           TEXT NOT NULL,
    content          TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    submitted_by     TEXT NOT NULL DEFAULT '',
    submitted_at     TEXT,
    approved_by_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
    approved_by_name TEXT NOT NULL DEFAULT '',
    approved_at      TEXT,
    hash             TEXT NOT NULL DEFAULT '',
    retired_at       TEXT,
    audience         TEXT NOT NULL DEFAULT '',
    published_at     TEXT,
    PRIMARY KEY (document_id, number)
);
CREATE INDEX document_versions_org ON document_versions(org_id, document_id);

CREATE TABLE document_readers (
    org_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    document_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    person_id       TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    acknowledged_at TEXT,
    recorded_by     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, number, person_id)
);
CREATE INDEX document_readers_org ON document_readers(org_id, document_id, number);
CREATE INDEX document_readers_person ON document_readers(person_id);

-- +goose Down
DROP TABLE document_readers;
DROP TABLE document_versions;
DROP TABLE documents;
