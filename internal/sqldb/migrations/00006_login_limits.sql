-- +goose Up
-- The login limiter's counts (service/limiter.go) live in the database, so that every server on it shares them:
-- failures on one server slow the account down on all. Rows older than the limiter's window are swept whenever
-- a failure is counted. Not part of backups.

-- Each failed attempt from an address, for the per-address sliding window.
CREATE TABLE login_address_failures (
    address TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_address_failures_address ON login_address_failures(address, at);
CREATE INDEX login_address_failures_at ON login_address_failures(at);

-- An account's run of failures in a row since its last success (the key is the email, or "password:" and the
-- user id for the password asked again of a signed-in user).
CREATE TABLE login_account_failures (
    account  TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  TEXT NOT NULL
);
CREATE INDEX login_account_failures_last ON login_account_failures(last_at);

-- +goose Down
DROP TABLE login_account_failures;
DROP TABLE login_address_failures;
