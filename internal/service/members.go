package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ListMembers lists the members of the current organisation. Owners, admins and auditors may.
func (s *Service) ListMembers(ctx context.Context, p Page) (List[isms.Membership], error) {
	return readAs(ctx, s, isms.PermReadMembers, func(tx *store.Tx, a Actor) (List[isms.Membership], error) {
		return tx.ListMembers(ctx, a.OrgID, p)
	})
}

// UpdateMemberInput changes a member's role and approver flag. Version must be the one the caller read.
type UpdateMemberInput struct {
	Role     isms.Role `json:"role"`
	Approver bool      `json:"approver"`
	Version  int       `json:"version"`
}

// UpdateMember changes a member's role or approver flag. Only owners may grant or take away ownership or the
// approver flag, the last owner cannot be demoted, and an owner makes themselves an approver only when another
// owner exists (who could take it away again).
func (s *Service) UpdateMember(ctx context.Context, userID string, in UpdateMemberInput) (isms.Membership, error) {
	var m isms.Membership
	a, err := require(ctx, isms.PermManageMembers)
	if err != nil {
		return m, err
	}
	if !in.Role.Valid() {
		return m, isms.Invalid(isms.FieldError{Field: "role", Message: "must be one of owner, admin, editor, auditor, viewer"})
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Membership(ctx, a.OrgID, userID)
		if err != nil {
			return err
		}
		if err := checkOwnerChange(ctx, tx, a, before, in.Role); err != nil {
			return err
		}
		if err := checkApproverChange(ctx, tx, a, before, in.Approver); err != nil {
			return err
		}
		m = before
		m.Role, m.Approver, m.Version = in.Role, in.Approver, in.Version
		if err := tx.UpdateMembership(ctx, m); err != nil {
			return err
		}
		m.Version++
		return s.audit(ctx, tx, a, "update", "member", m.UserID, m.Email, before, m)
	})
	return m, err
}

// RemoveMember takes a member out of the organisation and revokes their API tokens there.
func (s *Service) RemoveMember(ctx context.Context, userID string) error {
	a, err := require(ctx, isms.PermManageMembers)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Membership(ctx, a.OrgID, userID)
		if err != nil {
			return err
		}
		if err := checkOwnerChange(ctx, tx, a, before, ""); err != nil {
			return err
		}
		if err := tx.RemoveMembership(ctx, a.OrgID, userID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "remove", "member", before.UserID, before.Email, before, nil)
	})
}

// checkOwnerChange enforces the ownership rules when member's role becomes next ("" for removal).
func checkOwnerChange(ctx context.Context, tx *store.Tx, a Actor, member isms.Membership, next isms.Role) error {
	touchesOwner := member.Role == isms.RoleOwner || next == isms.RoleOwner
	if touchesOwner && member.Role != next && !a.Role.Can(isms.PermManageOwners) {
		return isms.Forbidden("only owners may grant or take away ownership")
	}
	if member.Role == isms.RoleOwner && next != isms.RoleOwner {
		n, err := tx.CountOwners(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if n <= 1 {
			return isms.Conflict("%s is the last owner: make someone else owner first", member.Email)
		}
	}
	return nil
}

// checkApproverChange enforces who may set member's approver flag to next.
func checkApproverChange(ctx context.Context, tx *store.Tx, a Actor, member isms.Membership, next bool) error {
	if member.Approver == next {
		return nil
	}
	if !a.Role.Can(isms.PermManageOwners) {
		return isms.Forbidden("only owners may grant or remove the approver flag")
	}
	if next && member.UserID == a.UserID {
		n, err := tx.CountOwners(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if n <= 1 {
			return isms.Forbidden("you cannot make yourself an approver while you are the only owner: another owner must grant it")
		}
	}
	return nil
}
