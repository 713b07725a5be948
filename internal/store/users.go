package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

const userCols = "id, email, name, password_hash, must_change_password, created_at, version, last_org_id, totp_secret, totp_enabled_at, totp_last_step"

func scanUser(row interface{ Scan(...any) error }) (isms.User, error) {
	var u isms.User
	var created string
	var must int
	var totpOn sql.NullString
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &must, &created, &u.Version,
		&u.LastOrgID, &u.TOTPSecret, &totpOn, &u.TOTPLastStep); err != nil {
		return u, err
	}
	u.MustChangePassword = must == 1
	var err error
	if u.CreatedAt, err = parseTS(created); err != nil {
		return u, err
	}
	u.TOTPEnabledAt, err = parseNullTS(totpOn)
	return u, err
}

// CreateUser inserts u; a taken email is a Conflict.
func (tx *Tx) CreateUser(ctx context.Context, u isms.User) error {
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO users (id, email, name, password_hash, must_change_password, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
		u.ID, u.Email, u.Name, u.PasswordHash, boolInt(u.MustChangePassword), ts(u.CreatedAt))
	if isUniqueViolation(err) {
		return isms.Conflict("a user with email %s exists already", u.Email)
	}
	return err
}

// User loads a user by id.
func (tx *Tx) User(ctx context.Context, id string) (isms.User, error) {
	u, err := scanUser(tx.tx.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = $1", id))
	if err != nil {
		return u, notFound(err, "user %s", id)
	}
	return u, nil
}

// UserByEmail loads a user by normalised email.
func (tx *Tx) UserByEmail(ctx context.Context, email string) (isms.User, error) {
	u, err := scanUser(tx.tx.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE email = $1", email))
	if err != nil {
		return u, notFound(err, "user %s", email)
	}
	return u, nil
}

// SetPassword stores a new password hash and whether it must be changed at next login.
func (tx *Tx) SetPassword(ctx context.Context, userID, hash string, mustChange bool) error {
	res, err := tx.tx.ExecContext(ctx, "UPDATE users SET password_hash = $1, must_change_password = $2, version = version + 1 WHERE id = $3",
		hash, boolInt(mustChange), userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return isms.NotFound("user %s not found", userID)
	}
	return nil
}

// SetLastOrg remembers the organisation a user works in, where the next login lands.
func (tx *Tx) SetLastOrg(ctx context.Context, userID, orgID string) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE users SET last_org_id = $1 WHERE id = $2", orgID, userID)
	return err
}

// SetTOTPSecret stores a two-factor secret that is not turned on yet ("" clears it and turns two-factor off).
func (tx *Tx) SetTOTPSecret(ctx context.Context, userID, secret string) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE users SET totp_secret = $1, totp_enabled_at = NULL, totp_last_step = 0 WHERE id = $2", secret, userID)
	return err
}

// EnableTOTP turns two-factor on with the step of the code that confirmed it.
func (tx *Tx) EnableTOTP(ctx context.Context, userID string, at time.Time, step int64) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE users SET totp_enabled_at = $1, totp_last_step = $2 WHERE id = $3", ts(at), step, userID)
	return err
}

// UseTOTPStep records that the code of step was used; false when that step (or a later one) was used already,
// which makes a replayed code fail even when two requests race.
func (tx *Tx) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", step, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// --- memberships

const memberSelect = `SELECT m.org_id, m.user_id, u.email, u.name, m.role, m.approver, m.created_at, m.version
	FROM memberships m JOIN users u ON u.id = m.user_id`

func scanMember(row interface{ Scan(...any) error }) (isms.Membership, error) {
	var m isms.Membership
	var created string
	var approver int
	if err := row.Scan(&m.OrgID, &m.UserID, &m.Email, &m.Name, &m.Role, &approver, &created, &m.Version); err != nil {
		return m, err
	}
	m.Approver = approver == 1
	var err error
	m.CreatedAt, err = parseTS(created)
	return m, err
}

// AddMembership gives a user a role in an organisation; an existing membership is a Conflict.
func (tx *Tx) AddMembership(ctx context.Context, m isms.Membership) error {
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO memberships (org_id, user_id, role, approver, created_at, version) VALUES ($1, $2, $3, $4, $5, 1)",
		m.OrgID, m.UserID, string(m.Role), boolInt(m.Approver), ts(m.CreatedAt))
	if isUniqueViolation(err) {
		return isms.Conflict("%s is a member already", m.Email)
	}
	return err
}

// Membership loads one user's membership of one organisation.
func (tx *Tx) Membership(ctx context.Context, orgID, userID string) (isms.Membership, error) {
	m, err := scanMember(tx.tx.QueryRowContext(ctx, memberSelect+" WHERE m.org_id = $1 AND m.user_id = $2", orgID, userID))
	if err != nil {
		return m, notFound(err, "member %s", userID)
	}
	return m, nil
}

// ListMembers lists the members of an organisation, by name.
func (tx *Tx) ListMembers(ctx context.Context, orgID string, p Page) (List[isms.Membership], error) {
	var w where
	w.add("m.org_id = ?", orgID)
	return listPage(ctx, tx, `SELECT m.org_id, m.user_id, u.email, u.name, m.role, m.approver, m.created_at, m.version`,
		"memberships m JOIN users u ON u.id = m.user_id", w, "lower(u.name), u.email", p,
		func(r *sql.Rows) (isms.Membership, error) { return scanMember(r) })
}

// CountOwners counts the owners of an organisation, so that the last one cannot be removed.
func (tx *Tx) CountOwners(ctx context.Context, orgID string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM memberships WHERE org_id = $1 AND role = 'owner'", orgID).Scan(&n)
	return n, err
}

// UpdateMembership changes role and approver flag with optimistic locking.
func (tx *Tx) UpdateMembership(ctx context.Context, m isms.Membership) error {
	res, err := tx.tx.ExecContext(ctx, "UPDATE memberships SET role = $1, approver = $2, version = version + 1 WHERE org_id = $3 AND user_id = $4 AND version = $5",
		string(m.Role), boolInt(m.Approver), m.OrgID, m.UserID, m.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if _, err := tx.Membership(ctx, m.OrgID, m.UserID); err != nil {
			return err
		}
		return isms.VersionMismatch("member", m.Email, m.Version)
	}
	return nil
}

// RemoveMembership removes a user from an organisation and revokes their tokens there.
func (tx *Tx) RemoveMembership(ctx context.Context, orgID, userID string, now time.Time) error {
	res, err := tx.tx.ExecContext(ctx, "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2", orgID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return isms.NotFound("member %s not found", userID)
	}
	_, err = tx.tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE org_id = $2 AND user_id = $3 AND revoked_at IS NULL", ts(now), orgID, userID)
	return err
}
