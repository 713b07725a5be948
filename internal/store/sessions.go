package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Session is a browser login. Only the SHA-256 of the cookie token is stored.
type Session struct {
	TokenHash  string
	UserID     string
	OrgID      string // the organisation the user has selected; empty if none
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute limit
	IP         string
	UserAgent  string
	// Pending marks the first half of a two-factor login: it works for nothing but giving the code.
	Pending bool
}

// CreateSession stores a new session.
func (tx *Tx) CreateSession(ctx context.Context, s Session) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, org_id, created_at, last_seen_at, expires_at, ip, user_agent, pending)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		s.TokenHash, s.UserID, nullString(s.OrgID), ts(s.CreatedAt), ts(s.LastSeenAt), ts(s.ExpiresAt), s.IP, s.UserAgent, boolInt(s.Pending))
	return err
}

// Session loads a session by token hash.
func (tx *Tx) Session(ctx context.Context, tokenHash string) (Session, error) {
	var s Session
	var org sql.NullString
	var created, seen, expires string
	var pending int
	err := tx.tx.QueryRowContext(ctx, `SELECT token_hash, user_id, org_id, created_at, last_seen_at, expires_at, ip, user_agent, pending
		FROM sessions WHERE token_hash = `+tx.stableParam("$1"), tokenHash).Scan(&s.TokenHash, &s.UserID, &org, &created, &seen, &expires, &s.IP, &s.UserAgent, &pending)
	if err != nil {
		return s, notFound(err, "session")
	}
	s.OrgID = org.String
	s.Pending = pending == 1
	if s.CreatedAt, err = parseTS(created); err != nil {
		return s, err
	}
	if s.LastSeenAt, err = parseTS(seen); err != nil {
		return s, err
	}
	s.ExpiresAt, err = parseTS(expires)
	return s, err
}

// TouchSession records activity, which pushes the idle limit back.
func (tx *Tx) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", ts(at), tokenHash)
	return err
}

// SelectSessionOrg switches the organisation a session works in.
func (tx *Tx) SelectSessionOrg(ctx context.Context, tokenHash, orgID string) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE sessions SET org_id = $1 WHERE token_hash = $2", nullString(orgID), tokenHash)
	return err
}

// DeleteSession ends one session.
func (tx *Tx) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
	return err
}

// DeleteUserSessions ends every session of a user but keep (e.g. after a password change).
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID, keep string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", userID, keep)
	return err
}

// DeleteExpiredSessions removes sessions past their absolute limit or idle since before idleCutoff.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, now, idleCutoff time.Time) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2", ts(now), ts(idleCutoff))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// --- API tokens

const tokenCols = "id, org_id, user_id, name, prefix, scope, created_at, expires_at, last_used_at, revoked_at"

// scanToken reads a token's columns (tokenCols) and then extra, the columns a query selects after them.
func scanToken(row interface{ Scan(...any) error }, extra ...any) (isms.APIToken, error) {
	var t isms.APIToken
	var created string
	var expires, used, revoked sql.NullString
	if err := row.Scan(append([]any{&t.ID, &t.OrgID, &t.UserID, &t.Name, &t.Prefix, &t.Scope, &created, &expires, &used, &revoked}, extra...)...); err != nil {
		return t, err
	}
	var err error
	if t.CreatedAt, err = parseTS(created); err != nil {
		return t, err
	}
	// A token made before tokens expired has no expiry stored: it lives as long as the longest a new one may.
	t.ExpiresAt = t.CreatedAt.AddDate(0, 0, isms.MaxTokenDays)
	if expires.Valid {
		if t.ExpiresAt, err = parseTS(expires.String); err != nil {
			return t, err
		}
	}
	if t.LastUsedAt, err = parseNullTS(used); err != nil {
		return t, err
	}
	t.RevokedAt, err = parseNullTS(revoked)
	return t, err
}

// CreateToken stores a token by the hash of its secret.
func (tx *Tx) CreateToken(ctx context.Context, t isms.APIToken, hash string) error {
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO api_tokens (id, org_id, user_id, name, prefix, scope, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		t.ID, t.OrgID, t.UserID, t.Name, t.Prefix, string(t.Scope), hash, ts(t.CreatedAt), ts(t.ExpiresAt))
	return err
}

// TokenHolder is a token with what a request made with it needs to know of its owner, read in one statement
// because every API request asks.
type TokenHolder struct {
	Token isms.APIToken
	User  isms.User // ID, email, name, whether the password must change, whether two-factor is on
	// Membership and Org are nil when the owner is no longer a member of the token's organisation.
	Membership *isms.Membership // role and approver
	Org        *isms.Organisation
	// Revision is the organisation's audit head as the token was read ("seq-hash"), as Service.Revision.
	Revision string
}

// TokenHolder finds a token by the hash of its secret, with its owner and the owner's membership.
func (tx *Tx) TokenHolder(ctx context.Context, hash string) (TokenHolder, error) {
	var h TokenHolder
	var must int
	var totpOn, role, slug, orgName sql.NullString
	var approver, require2FA, seq sql.NullInt64
	var head sql.NullString
	var err error
	h.Token, err = scanToken(tx.tx.QueryRowContext(ctx, "SELECT t."+strings.ReplaceAll(tokenCols, ", ", ", t.")+`,
		u.email, u.name, u.must_change_password, u.totp_enabled_at, m.role, m.approver, o.slug, o.name, o.require_two_factor,
		o.audit_seq, o.audit_head
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		LEFT JOIN memberships m ON m.org_id = t.org_id AND m.user_id = t.user_id
		LEFT JOIN organisations o ON o.id = m.org_id
		WHERE t.token_hash = `+tx.stableParam("$1"), hash), &h.User.Email, &h.User.Name, &must, &totpOn, &role, &approver, &slug, &orgName, &require2FA, &seq, &head)
	if err != nil {
		return h, notFound(err, "token")
	}
	h.User.ID, h.User.MustChangePassword = h.Token.UserID, must == 1
	if h.User.TOTPEnabledAt, err = parseNullTS(totpOn); err != nil {
		return h, err
	}
	if role.Valid && slug.Valid {
		h.Membership = &isms.Membership{OrgID: h.Token.OrgID, UserID: h.Token.UserID, Email: h.User.Email, Name: h.User.Name,
			Role: isms.Role(role.String), Approver: approver.Int64 == 1}
		h.Org = &isms.Organisation{ID: h.Token.OrgID, Slug: slug.String, Name: orgName.String, RequireTwoFactor: require2FA.Int64 == 1}
		h.Revision = Revision(seq.Int64, head.String)
	}
	return h, nil
}

// Token loads one token of an organisation.
func (tx *Tx) Token(ctx context.Context, orgID, id string) (isms.APIToken, error) {
	t, err := scanToken(tx.tx.QueryRowContext(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE org_id = $1 AND id = $2", orgID, id))
	if err != nil {
		return t, notFound(err, "token %s", id)
	}
	return t, nil
}

// ListTokens lists an organisation's tokens, of one user when userID is set.
func (tx *Tx) ListTokens(ctx context.Context, orgID, userID string, p Page) (List[isms.APIToken], error) {
	var w where
	w.add("org_id = ?", orgID)
	if userID != "" {
		w.add("user_id = ?", userID)
	}
	return listPage(ctx, tx, "SELECT "+tokenCols, "api_tokens", w, "created_at DESC", p,
		func(r *sql.Rows) (isms.APIToken, error) { return scanToken(r) })
}

// TouchToken records when a token was last used.
func (tx *Tx) TouchToken(ctx context.Context, id string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", ts(at), id)
	return err
}

// RevokeToken marks a token revoked; revoking twice is harmless.
func (tx *Tx) RevokeToken(ctx context.Context, orgID, id string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE org_id = $2 AND id = $3 AND revoked_at IS NULL", ts(at), orgID, id)
	return err
}

// RevokeUserTokens revokes every token of a user not yet revoked, in every organisation, and returns them as
// they were.
func (tx *Tx) RevokeUserTokens(ctx context.Context, userID string, at time.Time) ([]isms.APIToken, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY org_id, created_at", userID)
	if err != nil {
		return nil, err
	}
	var open []isms.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		open = append(open, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = tx.tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", ts(at), userID)
	return open, err
}
