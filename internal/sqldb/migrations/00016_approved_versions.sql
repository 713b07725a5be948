-- +goose Up
-- Approved versions of any document that is approved as a whole (the SoA now; the ISMS scope and later documents
-- next): one table keyed by organisation, subject ("soa", "scope") and number. Each row is immutable: who approved
-- it (id, and the name as it was), when, a comment, the SHA-256 of the canonical content, a small summary and the
-- snapshot itself, both as JSON. The SoA's own table moves here.
CREATE TABLE approved_versions (
    org_id           TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    subject          TEXT NOT NULL,
    number           INTEGER NOT NULL,
    approved_by_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
    approved_by_name TEXT NOT NULL,
    approved_at      TEXT NOT NULL,
    comment          TEXT NOT NULL DEFAULT '',
    hash             TEXT NOT NULL,
    summary_json     TEXT NOT NULL,
    content_json     TEXT NOT NULL,
    PRIMARY KEY (org_id, subject, number)
);

INSERT INTO approved_versions (org_id, subject, number, approved_by_id, approved_by_name, approved_at, comment, hash, summary_json, content_json)
SELECT org_id, 'soa', number, approved_by_id, approved_by_name, approved_at, comment, hash, summary_json, entries_json FROM soa_versions;

DROP TABLE soa_versions;

-- +goose Down
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

INSERT INTO soa_versions (org_id, number, approved_by_id, approved_by_name, approved_at, comment, hash, summary_json, entries_json)
SELECT org_id, number, approved_by_id, approved_by_name, approved_at, comment, hash, summary_json, content_json FROM approved_versions WHERE subject = 'soa';

DROP TABLE approved_versions;
