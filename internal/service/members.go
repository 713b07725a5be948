package service

import (
	"context"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ListMembers lists the members of the current organisation. Owners, admins and auditors may.
func (s *Service) ListMembers(ctx context.Context, p Page) (List[isms.Membership], error) {
	return readAs(ctx, s, isms.PermReadMembers, func(tx *store.Tx, a Actor) (List[isms.Membership], error) {
		return tx.ListMembers(ctx, a.OrgID, p)
	})
}

// AddMemberInput adds a person to the organisation.
type AddMemberInput struct {
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     isms.Role `json:"role"`
	Approver bool      `json:"approver"`
}

// AddMember gives someone a role in the organisation. Someone new gets an account with a one-time password,
// returned once, to pass on; an existing user simply gains the membership and password is empty.
// Owners and admins may add members; only owners may add owners.
func (s *Service) AddMember(ctx context.Context, in AddMemberInput) (m isms.Membership, password string, err error) {
	a, err := require(ctx, isms.PermManageMembers)
	if err != nil {
		return m, "", err
	}
	var p isms.Problems
	email := isms.NormaliseEmail(in.Email)
	if !isms.ValidEmail(email) {
		p.Add("email", "must be an email address")
	}
	if !in.Role.Valid() {
		p.Add("role", "must be one of owner, admin, editor, auditor, viewer")
	}
	if len(strings.TrimSpace(in.Name)) > 120 {
		p.Add("name", "must be at most 120 characters")
	}
	if err := p.Err(); err != nil {
		return m, "", err
	}
	if in.Role == isms.RoleOwner && !a.Role.Can(isms.PermManageOwners) {
		return m, "", isms.Forbidden("only owners may add owners")
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		u, pw, err := s.userOrInvite(ctx, tx, email, in.Name)
		if err != nil {
			return err
		}
		password = pw
		m = isms.Membership{OrgID: a.OrgID, UserID: u.ID, Email: u.Email, Name: u.Name, Role: in.Role, Approver: in.Approver, CreatedAt: s.now(), Version: 1}
		if err := tx.AddMembership(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "add", "member", u.ID, u.Email, nil, m)
	})
	return m, password, err
}

// UpdateMemberInput changes a member's role and approver flag. Version must be the one the caller read.
type UpdateMemberInput struct {
	Role     isms.Role `json:"role"`
	Approver bool      `json:"approver"`
	Version  int       `json:"version"`
}

// UpdateMember changes a member's role or approver flag. Only owners may grant or take away ownership, and the
// last owner cannot be demoted.
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
