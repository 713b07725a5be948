-- +goose Up
-- Certification (issue 14): the audits a certification body makes of the ISMS. A stage-2 or recertification
-- audit that recommends certification records the certificate it led to (number, issued, expiry); the
-- surveillance audits of years one and two and the recertification of year three are planned from it.
CREATE TABLE certification_audits (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    ref                TEXT NOT NULL,                    -- CERT-001
    kind               TEXT NOT NULL,                    -- stage-1 | stage-2 | surveillance | recertification
    body               TEXT NOT NULL DEFAULT '',         -- the certification body
    lead_auditor       TEXT NOT NULL DEFAULT '',         -- the body's lead auditor (not one of our people)
    planned_start      TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD
    planned_end        TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'planned',  -- planned | done | cancelled
    result             TEXT NOT NULL DEFAULT '',         -- '' | recommended | recommended-with-conditions | not-recommended
    certificate_number TEXT NOT NULL DEFAULT '',
    certificate_issued TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD
    certificate_expiry TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD
    notes              TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, ref)
);
CREATE INDEX certification_audits_planned ON certification_audits(org_id, planned_start);
CREATE INDEX certification_audits_expiry ON certification_audits(org_id, certificate_expiry);

-- A finding raised by a certification audit (source 'certification-audit') names it, and goes into the
-- corrective-action flow like an internal audit's.
ALTER TABLE findings ADD COLUMN certification_id TEXT REFERENCES certification_audits(id) ON DELETE SET NULL;
CREATE INDEX findings_certification ON findings(certification_id);

-- A lint finding acknowledged with a reason until a day: still listed, with who, why and until when, but it
-- does not fail `praxis lint` until the acknowledgement expires. Keyed by the finding's rule and ref.
CREATE TABLE lint_acks (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    rule        TEXT NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL,
    expires_on  TEXT NOT NULL,                           -- YYYY-MM-DD, last day it holds
    by_name     TEXT NOT NULL,                           -- who acknowledged (name or email of the member)
    created_at  TEXT NOT NULL,
    UNIQUE (org_id, rule, ref)
);

-- +goose Down
DROP TABLE lint_acks;
DROP INDEX findings_certification;
ALTER TABLE findings DROP COLUMN certification_id;
DROP TABLE certification_audits;
