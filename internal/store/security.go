package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// --- recovery codes (two-factor), stored by hash

// ReplaceRecoveryCodes drops a user's recovery codes and stores new ones.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string, at time.Time) error {
	if err := tx.DeleteRecoveryCodes(ctx, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)", userID, h, ts(at)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteRecoveryCodes drops every recovery code of a user.
func (tx *Tx) DeleteRecoveryCodes(ctx context.Context, userID string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID)
	return err
}

// UseRecoveryCode marks an unused code used; false when there is no such unused code.
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID, hash string, at time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL", ts(at), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UnusedRecoveryCodes counts a user's recovery codes still available.
func (tx *Tx) UnusedRecoveryCodes(ctx context.Context, userID string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", userID).Scan(&n)
	return n, err
}

// --- password reset links, stored by hash

// PasswordReset is one reset link.
type PasswordReset struct {
	TokenHash      string
	UserID         string
	CreatedBy      string
	CreatedAt      time.Time
	ExpiresAt      time.Time
	UsedAt         *time.Time
	ClearTwoFactor bool
}

// CreatePasswordReset stores a reset link.
func (tx *Tx) CreatePasswordReset(ctx context.Context, r PasswordReset) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, clear_two_factor)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.TokenHash, r.UserID, r.CreatedBy, ts(r.CreatedAt), ts(r.ExpiresAt), boolInt(r.ClearTwoFactor))
	return err
}

// PasswordResetByHash loads a reset link.
func (tx *Tx) PasswordResetByHash(ctx context.Context, hash string) (PasswordReset, error) {
	var r PasswordReset
	var created, expires string
	var used sql.NullString
	var clear2FA int
	err := tx.tx.QueryRowContext(ctx, `SELECT token_hash, user_id, created_by, created_at, expires_at, used_at, clear_two_factor
		FROM password_resets WHERE token_hash = $1`, hash).Scan(&r.TokenHash, &r.UserID, &r.CreatedBy, &created, &expires, &used, &clear2FA)
	if err != nil {
		return r, notFound(err, "reset link")
	}
	r.ClearTwoFactor = clear2FA == 1
	if r.CreatedAt, err = parseTS(created); err != nil {
		return r, err
	}
	if r.ExpiresAt, err = parseTS(expires); err != nil {
		return r, err
	}
	r.UsedAt, err = parseNullTS(used)
	return r, err
}

// UsePasswordReset marks a link used; false when it was used already (two tabs racing).
func (tx *Tx) UsePasswordReset(ctx context.Context, hash string, at time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL", ts(at), hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// --- known browsers

// KnownDevice reports whether the browser with this cookie hash has logged in to the user's account before.
func (tx *Tx) KnownDevice(ctx context.Context, userID, hash string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM known_devices WHERE token_hash = $1 AND user_id = $2", hash, userID).Scan(&n)
	return n > 0, err
}

// RememberDevice records a browser's cookie hash for a user, or refreshes its last use.
func (tx *Tx) RememberDevice(ctx context.Context, userID, hash string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)
		ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at`, hash, userID, ts(at))
	return err
}

// --- security events

const securityEventCols = "id, at, kind, user_id, email, ip, user_agent, detail"

// AddSecurityEvent stores one event.
func (tx *Tx) AddSecurityEvent(ctx context.Context, e isms.SecurityEvent) error {
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO security_events ("+securityEventCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		e.ID, ts(e.At), e.Kind, e.UserID, e.Email, e.IP, e.UserAgent, e.Detail)
	return err
}

// ListSecurityEvents lists, newest first, the events of an organisation's members: theirs by account, and those
// naming their email without an account (a failed login typed in capitals is normalised, so it matches).
func (tx *Tx) ListSecurityEvents(ctx context.Context, orgID string, p Page) (List[isms.SecurityEvent], error) {
	var w where
	w.add(`(user_id IN (SELECT user_id FROM memberships WHERE org_id = ?)
		OR (user_id = '' AND email IN (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ?)))`, orgID)
	return listPage(ctx, tx, "SELECT "+securityEventCols, "security_events", w, "at DESC, id DESC", p,
		func(r *sql.Rows) (isms.SecurityEvent, error) {
			var e isms.SecurityEvent
			var at string
			if err := r.Scan(&e.ID, &at, &e.Kind, &e.UserID, &e.Email, &e.IP, &e.UserAgent, &e.Detail); err != nil {
				return e, err
			}
			var err error
			e.At, err = parseTS(at)
			return e, err
		})
}
