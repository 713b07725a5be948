package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The inviter and the account that accepted are stored by user id and shown by email.
const invitationSelect = `SELECT i.id, i.org_id, i.email, i.role, i.approver, COALESCE(cu.email, ''), i.created_at, i.expires_at,
	i.accepted_at, COALESCE(au.email, ''), i.revoked_at`

const invitationFrom = `invitations i LEFT JOIN users cu ON cu.id = i.created_by LEFT JOIN users au ON au.id = i.accepted_by`

func scanInvitation(row interface{ Scan(...any) error }) (isms.Invitation, error) {
	var i isms.Invitation
	var approver int
	var created, expires string
	var accepted, revoked sql.NullString
	if err := row.Scan(&i.ID, &i.OrgID, &i.Email, &i.Role, &approver, &i.CreatedBy, &created, &expires, &accepted, &i.AcceptedBy, &revoked); err != nil {
		return i, err
	}
	i.Approver = approver == 1
	var err error
	if i.CreatedAt, err = parseTS(created); err != nil {
		return i, err
	}
	if i.ExpiresAt, err = parseTS(expires); err != nil {
		return i, err
	}
	if i.AcceptedAt, err = parseNullTS(accepted); err != nil {
		return i, err
	}
	i.RevokedAt, err = parseNullTS(revoked)
	return i, err
}

// CreateInvitation stores an invitation by the hash of its secret; createdBy is the inviter's user id.
func (tx *Tx) CreateInvitation(ctx context.Context, i isms.Invitation, createdBy, tokenHash string) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO invitations (id, org_id, token_hash, email, role, approver, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		i.ID, i.OrgID, tokenHash, i.Email, string(i.Role), boolInt(i.Approver), createdBy, ts(i.CreatedAt), ts(i.ExpiresAt))
	return err
}

// Invitation loads one invitation of an organisation.
func (tx *Tx) Invitation(ctx context.Context, orgID, id string) (isms.Invitation, error) {
	i, err := scanInvitation(tx.tx.QueryRowContext(ctx, invitationSelect+" FROM "+invitationFrom+" WHERE i.org_id = $1 AND i.id = $2", orgID, id))
	if err != nil {
		return i, notFound(err, "invitation %s", id)
	}
	return i, nil
}

// InvitationByHash finds an invitation, of any organisation, by the hash of its secret.
func (tx *Tx) InvitationByHash(ctx context.Context, tokenHash string) (isms.Invitation, error) {
	i, err := scanInvitation(tx.tx.QueryRowContext(ctx, invitationSelect+" FROM "+invitationFrom+" WHERE i.token_hash = $1", tokenHash))
	if err != nil {
		return i, notFound(err, "invitation")
	}
	return i, nil
}

// ListInvitations lists an organisation's invitations, newest first; status (open, accepted, expired,
// revoked; "" for all) is judged at now.
func (tx *Tx) ListInvitations(ctx context.Context, orgID, status string, now time.Time, p Page) (List[isms.Invitation], error) {
	var w where
	w.add("i.org_id = ?", orgID)
	switch status {
	case isms.InvitationRevoked:
		w.conds = append(w.conds, "i.revoked_at IS NOT NULL")
	case isms.InvitationAccepted:
		w.conds = append(w.conds, "i.revoked_at IS NULL AND i.accepted_at IS NOT NULL")
	case isms.InvitationExpired:
		w.add("i.revoked_at IS NULL AND i.accepted_at IS NULL AND i.expires_at <= ?", ts(now))
	case isms.InvitationOpen:
		w.add("i.revoked_at IS NULL AND i.accepted_at IS NULL AND i.expires_at > ?", ts(now))
	}
	return listPage(ctx, tx, invitationSelect, invitationFrom, w, "i.created_at DESC, i.id DESC", p,
		func(r *sql.Rows) (isms.Invitation, error) { return scanInvitation(r) })
}

// UseInvitation marks an invitation accepted by userID, only if it is still open at now: of two acceptances
// at once, one wins and the other finds it used (false).
func (tx *Tx) UseInvitation(ctx context.Context, id, userID string, now time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE invitations SET accepted_at = $1, accepted_by = $2
		WHERE id = $3 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1`, ts(now), userID, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RevokeInvitation marks an open invitation revoked; false when it was no longer open (accepted or revoked).
func (tx *Tx) RevokeInvitation(ctx context.Context, orgID, id string, now time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = $1 WHERE org_id = $2 AND id = $3 AND accepted_at IS NULL AND revoked_at IS NULL`,
		ts(now), orgID, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// HasManagingRole reports whether a user is owner or admin of at least one organisation.
func (tx *Tx) HasManagingRole(ctx context.Context, userID string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM memberships WHERE user_id = $1 AND role IN ('owner', 'admin')", userID).Scan(&n)
	return n > 0, err
}
