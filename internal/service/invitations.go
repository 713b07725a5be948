package service

import (
	"context"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 7 * 24 * time.Hour

// InviteInput is whom to invite (a label: it is never matched against accounts) and with which role.
type InviteInput struct {
	Email    string    `json:"email"`
	Role     isms.Role `json:"role"`
	Approver bool      `json:"approver"`
}

// InvitationPath is the path of the page where the invitation with secret token is accepted.
func InvitationPath(token string) string { return "/invite/" + token }

// Errors of the acceptance: one wording for every link that does not work, so that the answer says nothing
// about why (unknown, used, revoked or expired).
func errInvitationInvalid() error {
	return isms.NotFound("this invitation link is not valid: it may have expired or been used")
}

func errSignInFirst() error {
	return isms.Conflict("sign in with your account first, then open the invitation link again")
}

// CreateInvitation invites someone to the current organisation. The secret is returned once; only its hash is
// stored. Owners and admins may invite; only owners may invite owners or grant the approver flag. Nothing is
// looked up by the email: no account is created or touched until the invitation is accepted.
func (s *Service) CreateInvitation(ctx context.Context, in InviteInput) (token string, inv isms.Invitation, err error) {
	a, err := require(ctx, isms.PermManageMembers)
	if err != nil {
		return "", inv, err
	}
	var p isms.Problems
	email := isms.NormaliseEmail(in.Email)
	if !isms.ValidEmail(email) {
		p.Add("email", "must be an email address")
	}
	if !in.Role.Valid() {
		p.Add("role", "must be one of owner, admin, editor, auditor, viewer")
	}
	if err := p.Err(); err != nil {
		return "", inv, err
	}
	if in.Role == isms.RoleOwner && !a.Role.Can(isms.PermManageOwners) {
		return "", inv, isms.Forbidden("only owners may invite owners")
	}
	if in.Approver && !a.Role.Can(isms.PermManageOwners) {
		return "", inv, isms.Forbidden("only owners may grant the approver flag")
	}
	token = auth.RandomToken(32)
	now := s.now()
	inv = isms.Invitation{ID: store.NewID(), OrgID: a.OrgID, Email: email, Role: in.Role, Approver: in.Approver,
		CreatedBy: a.Email, CreatedAt: now, ExpiresAt: now.Add(InvitationLifetime), Status: isms.InvitationOpen}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateInvitation(ctx, inv, a.UserID, auth.HashToken(token)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "create", "invitation", inv.ID, inv.Email, nil, inv)
	})
	return token, inv, err
}

// ListInvitations lists the organisation's invitations, newest first, filtered by status (open, accepted,
// expired, revoked; "" for all). The secrets are never listed. Whoever may see members may see them.
func (s *Service) ListInvitations(ctx context.Context, status string, p Page) (List[isms.Invitation], error) {
	if status != "" && !isInvitationState(status) {
		return List[isms.Invitation]{}, isms.Invalid(isms.FieldError{Field: "status", Message: "must be one of " + strings.Join(isms.InvitationStates, ", ")})
	}
	return readAs(ctx, s, isms.PermReadMembers, func(tx *store.Tx, a Actor) (List[isms.Invitation], error) {
		now := s.now()
		l, err := tx.ListInvitations(ctx, a.OrgID, status, now, p)
		for i := range l.Items {
			l.Items[i].Status = l.Items[i].StatusAt(now)
		}
		return l, err
	})
}

func isInvitationState(s string) bool {
	for _, x := range isms.InvitationStates {
		if s == x {
			return true
		}
	}
	return false
}

// RevokeInvitation makes an open invitation's link stop working. Owners and admins may; an invitation of an
// owner or with the approver flag only owners. Revoking a revoked invitation changes nothing; an accepted one
// is a Conflict (remove the member instead).
func (s *Service) RevokeInvitation(ctx context.Context, id string) error {
	a, err := require(ctx, isms.PermManageMembers)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Invitation(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if (before.Role == isms.RoleOwner || before.Approver) && !a.Role.Can(isms.PermManageOwners) {
			return isms.Forbidden("only owners may revoke an invitation of an owner or an approver")
		}
		now := s.now()
		before.Status = before.StatusAt(now)
		switch before.Status {
		case isms.InvitationRevoked:
			return nil
		case isms.InvitationAccepted:
			return isms.Conflict("the invitation to %s was accepted already: remove the member instead", before.Email)
		}
		if _, err := tx.RevokeInvitation(ctx, a.OrgID, id, now); err != nil {
			return err
		}
		after := before
		after.RevokedAt, after.Status = &now, isms.InvitationRevoked
		return s.audit(ctx, tx, a, "revoke", "invitation", before.ID, before.Email, before, after)
	})
}

// InvitationInfo is what the accept page may tell the holder of a link: where it leads, nothing about anyone.
type InvitationInfo struct {
	OrgName   string    `json:"org_name"`
	Role      isms.Role `json:"role"`
	Approver  bool      `json:"approver"`
	ExpiresAt time.Time `json:"expires_at"`
}

// InvitationByToken describes a usable invitation, for its accept page. It needs no login: the secret link is
// the credential. A link that does not work is NotFound, whatever the reason.
func (s *Service) InvitationByToken(ctx context.Context, token string) (InvitationInfo, error) {
	var info InvitationInfo
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		inv, err := s.usableInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		org, err := tx.Org(ctx, inv.OrgID)
		if err != nil {
			return err
		}
		info = InvitationInfo{OrgName: org.Name, Role: inv.Role, Approver: inv.Approver, ExpiresAt: inv.ExpiresAt}
		return nil
	})
	return info, err
}

// usableInvitation finds the open invitation of token (compared by hash), or the one error for every link
// that does not work.
func (s *Service) usableInvitation(ctx context.Context, tx *store.Tx, token string) (isms.Invitation, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return isms.Invitation{}, errInvitationInvalid()
	}
	inv, err := tx.InvitationByHash(ctx, auth.HashToken(token))
	if isms.ErrorKind(err) == isms.KindNotFound || (err == nil && inv.StatusAt(s.now()) != isms.InvitationOpen) {
		return inv, errInvitationInvalid()
	}
	return inv, err
}

// AcceptInvitation makes the signed-in caller a member of the invitation's organisation with the invited role,
// from now, and switches the caller's session there. It takes a browser session: an API token acts for one
// organisation and may not join another. Already a member is a Conflict; a used, revoked, expired or unknown
// link is NotFound; either way nothing changes.
func (s *Service) AcceptInvitation(ctx context.Context, token string) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return a, isms.Unauthenticated("log in first")
	}
	if a.sessionHash == "" {
		return a, isms.Forbidden("accept an invitation while signed in with your browser: an API token may not")
	}
	if a.MustChangePassword {
		return a, isms.Forbidden("change your one-time password first")
	}
	var next Actor
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		inv, err := s.usableInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if _, err := tx.Membership(ctx, inv.OrgID, u.ID); err == nil {
			return isms.Conflict("you are a member of this organisation already")
		} else if isms.ErrorKind(err) != isms.KindNotFound {
			return err
		}
		if err := s.join(ctx, tx, inv, u, a.Via); err != nil {
			return err
		}
		if err := tx.SelectSessionOrg(ctx, a.sessionHash, inv.OrgID); err != nil {
			return err
		}
		if err := tx.SetLastOrg(ctx, u.ID, inv.OrgID); err != nil {
			return err
		}
		next, err = s.actorFor(ctx, tx, u, inv.OrgID, a.Via)
		next.sessionHash = a.sessionHash
		return err
	})
	return next, err
}

// NewAccountInput is the account someone creates when they accept an invitation without having one.
type NewAccountInput struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// AcceptInvitationNewAccount creates an account with the invitee's own password, makes it a member of the
// invitation's organisation and logs it in (a session token, as Setup returns). If the email has an account
// already, the answer asks to sign in first: only the holder of a valid invitation gets that far, and a link
// that does not work is refused before the email is looked at.
func (s *Service) AcceptInvitationNewAccount(ctx context.Context, token string, in NewAccountInput, client Client) (session string, a Actor, err error) {
	var p isms.Problems
	isms.CheckText(&p, "name", in.Name, 120)
	email := isms.NormaliseEmail(in.Email)
	if !isms.ValidEmail(email) {
		p.Add("email", "must be an email address")
	}
	isms.CheckPassword(&p, "password", in.Password)
	// The link is checked first, so that a dead link says so whatever the form holds.
	if err := s.store.Read(ctx, func(tx *store.Tx) error { _, err := s.usableInvitation(ctx, tx, token); return err }); err != nil {
		return "", a, err
	}
	if err := p.Err(); err != nil {
		return "", a, err
	}
	hash, err := auth.HashPassword(in.Password, s.cfg.PasswordParams)
	if err != nil {
		return "", a, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		inv, err := s.usableInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		if _, err := tx.UserByEmail(ctx, email); err == nil {
			return errSignInFirst()
		} else if isms.ErrorKind(err) != isms.KindNotFound {
			return err
		}
		u := isms.User{ID: store.NewID(), Email: email, Name: strings.TrimSpace(in.Name), PasswordHash: hash, CreatedAt: s.now()}
		if err := tx.CreateUser(ctx, u); err != nil {
			if isms.ErrorKind(err) == isms.KindConflict { // taken by a concurrent sign-up
				return errSignInFirst()
			}
			return err
		}
		if err := s.join(ctx, tx, inv, u, "web"); err != nil {
			return err
		}
		session, a, err = s.newSession(ctx, tx, u, inv.OrgID, client)
		return err
	})
	return session, a, err
}

// join uses the invitation (once: a concurrent acceptance finds it used) and makes u a member with the invited
// role, recording both in the organisation's audit trail as u's doing.
func (s *Service) join(ctx context.Context, tx *store.Tx, inv isms.Invitation, u isms.User, via string) error {
	now := s.now()
	used, err := tx.UseInvitation(ctx, inv.ID, u.ID, now)
	if err != nil {
		return err
	}
	if !used {
		return errInvitationInvalid()
	}
	m := isms.Membership{OrgID: inv.OrgID, UserID: u.ID, Email: u.Email, Name: u.Name, Role: inv.Role, Approver: inv.Approver, CreatedAt: now, Version: 1}
	if err := tx.AddMembership(ctx, m); err != nil {
		return err
	}
	actor := Actor{UserID: u.ID, Email: u.Email, Name: u.Name, OrgID: inv.OrgID, Role: inv.Role, Via: via}
	if err := s.audit(ctx, tx, actor, "add", "member", u.ID, u.Email, nil, m); err != nil {
		return err
	}
	after := inv
	after.AcceptedAt, after.AcceptedBy, after.Status = &now, u.Email, isms.InvitationAccepted
	before := inv
	before.Status = isms.InvitationOpen
	return s.audit(ctx, tx, actor, "accept", "invitation", inv.ID, inv.Email, before, after)
}
