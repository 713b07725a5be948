-- +goose Up
-- Security (issue 8): invitations instead of adding people by email, two-factor authentication with recovery
-- codes, password reset links, login records, API token expiry and scope, the organisation chosen at login,
-- and installation settings (who may create organisations, the audit key's fingerprint).

-- The organisation the user last worked in: login returns there instead of the first by name.
ALTER TABLE users ADD COLUMN last_org_id TEXT NOT NULL DEFAULT '';
-- Two-factor (TOTP, RFC 6238): the secret (base32, '' when not set up), when it was turned on, and the last
-- time step used, so that one code cannot be replayed.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- Owners may require two-factor for every member of the organisation.
ALTER TABLE organisations ADD COLUMN require_two_factor INTEGER NOT NULL DEFAULT 0;

-- API tokens expire (chosen at creation) and may be read-only.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';

-- An invitation to join an organisation: a secret link, shown once to the inviter, usable once, expiring.
-- Membership starts only when the invitee accepts. email is whom the inviter meant (a label for the list of
-- open invitations); it is never matched against accounts, so inviting discloses nothing.
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL,
    approver    INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by TEXT,
    revoked_at  TEXT
);
CREATE INDEX invitations_org ON invitations(org_id, created_at);

-- One-time recovery codes for two-factor, stored hashed.
CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- Password reset links (no mail server needed: the operator or an owner hands the link over). Short-lived and
-- left out of backups.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- Security events: logins, failures, lockouts, two-factor use, resets. Not part of any organisation's audit
-- trail (a failed login for an unknown address belongs to nobody); owners read those of their members.
CREATE TABLE security_events (
    id         TEXT PRIMARY KEY,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_events_user ON security_events(user_id, at);
CREATE INDEX security_events_at ON security_events(at);

-- Browsers that have logged in to an account before: the right password from a known browser gets through
-- even while the account is being slowed down by someone else's guesses.
CREATE TABLE known_devices (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL
);
CREATE INDEX known_devices_user ON known_devices(user_id);

-- Installation settings (key -> value): who may create organisations, the audit key's fingerprint.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE known_devices;
DROP TABLE security_events;
DROP TABLE password_resets;
DROP TABLE recovery_codes;
DROP TABLE invitations;
ALTER TABLE api_tokens DROP COLUMN scope;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE organisations DROP COLUMN require_two_factor;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
ALTER TABLE users DROP COLUMN last_org_id;
