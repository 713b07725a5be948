-- +goose Up
-- The login's second step: after the password, a session waits (pending = 1, unusable, expiring within minutes)
-- until the two-factor code is given; then it is replaced by a full session.
ALTER TABLE sessions ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
-- A reset link issued by the operator may also clear the account's two-factor (a lost phone).
ALTER TABLE password_resets ADD COLUMN clear_two_factor INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE password_resets DROP COLUMN clear_two_factor;
ALTER TABLE sessions DROP COLUMN pending;
