package service

import (
	"context"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// TokenInput is what a new API token takes. A zero ExpiresInDays means the default lifetime, an empty Scope a
// write token.
type TokenInput struct {
	Name          string          `json:"name" minLength:"1" maxLength:"80"`
	ExpiresInDays int             `json:"expires_in_days,omitempty" minimum:"1" maximum:"365" doc:"Days until the token expires (default 90, at most 365)"`
	Scope         isms.TokenScope `json:"scope,omitempty" enum:"read,write" doc:"read: the token may only read; write (default): whatever the owner's role allows"`
}

// errReadOnlyToken refuses a change asked for with a read-scoped API token.
var errReadOnlyToken = isms.Forbidden("this API token is read-only")

// readPermission reports whether perm only reads, so that a read-only token may exercise it.
func readPermission(perm isms.Permission) bool {
	return perm == isms.PermReadContent || perm == isms.PermReadAuditTrail || perm == isms.PermReadMembers
}

// CreateToken creates a write token with the default lifetime for the caller (see IssueToken).
func (s *Service) CreateToken(ctx context.Context, name string) (secret string, t isms.APIToken, err error) {
	return s.IssueToken(ctx, TokenInput{Name: name})
}

// IssueToken creates an API token for the caller in the current organisation. The secret is returned once;
// only its hash is kept. A token acts with its owner's role at the time of each request, until it expires, is
// revoked, or its owner changes password; a read token only reads.
func (s *Service) IssueToken(ctx context.Context, in TokenInput) (secret string, t isms.APIToken, err error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return "", t, err
	}
	if a.ReadOnly {
		return "", t, errReadOnlyToken
	}
	if in.ExpiresInDays == 0 {
		in.ExpiresInDays = isms.DefaultTokenDays
	}
	if in.Scope == "" {
		in.Scope = isms.ScopeWrite
	}
	var p isms.Problems
	isms.CheckText(&p, "name", in.Name, 80)
	if in.ExpiresInDays < 1 || in.ExpiresInDays > isms.MaxTokenDays {
		p.Add("expires_in_days", "must be between 1 and %d days", isms.MaxTokenDays)
	}
	if in.Scope != isms.ScopeRead && in.Scope != isms.ScopeWrite {
		p.Add("scope", "must be read or write")
	}
	if err := p.Err(); err != nil {
		return "", t, err
	}
	secret, prefix := auth.NewAPIToken()
	now := s.now()
	t = isms.APIToken{ID: store.NewID(), OrgID: a.OrgID, UserID: a.UserID, Name: strings.TrimSpace(in.Name), Prefix: prefix,
		Scope: in.Scope, CreatedAt: now, ExpiresAt: now.AddDate(0, 0, in.ExpiresInDays)}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateToken(ctx, t, auth.HashToken(secret)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "create", "api token", t.ID, t.Name, nil, t)
	})
	return secret, t, err
}

// ListTokens lists the caller's tokens; owners and admins see every token of the organisation.
func (s *Service) ListTokens(ctx context.Context, p Page) (List[isms.APIToken], error) {
	var out List[isms.APIToken]
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return out, err
	}
	user := a.UserID
	if a.Role.Can(isms.PermManageMembers) {
		user = ""
	}
	err = s.store.Read(ctx, func(tx *store.Tx) (err error) { out, err = tx.ListTokens(ctx, a.OrgID, user, p); return err })
	return out, err
}

// RevokeToken revokes a token: the caller's own, or any of the organisation's for owners and admins.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return err
	}
	if a.ReadOnly {
		return errReadOnlyToken
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.Token(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if t.UserID != a.UserID && !a.Role.Can(isms.PermManageMembers) {
			return isms.Forbidden("only owners and admins may revoke another member's token")
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.now()
		if err := tx.RevokeToken(ctx, a.OrgID, id, now); err != nil {
			return err
		}
		after := t
		after.RevokedAt = &now
		return s.audit(ctx, tx, a, "revoke", "api token", t.ID, t.Name, t, after)
	})
}

// TokenActor resolves a bearer token to its actor.
func (s *Service) TokenActor(ctx context.Context, secret string) (Actor, error) {
	var a Actor
	if !strings.HasPrefix(secret, auth.APITokenPrefix) {
		return a, isms.Unauthenticated("not a praxis API token")
	}
	now := s.now()
	var h store.TokenHolder
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) { h, err = tx.TokenHolder(ctx, auth.HashToken(secret)); return err })
	if isms.ErrorKind(err) == isms.KindNotFound {
		return a, isms.Unauthenticated("unknown API token")
	}
	if err != nil {
		return a, err
	}
	t := h.Token
	if t.RevokedAt != nil {
		return a, isms.Unauthenticated("this API token was revoked")
	}
	if t.Expired(now) {
		return a, isms.Unauthenticated("this API token expired on %s", t.ExpiresAt.Format(time.DateOnly))
	}
	a = newActor(h.User, h.Membership, h.Org, "api")
	a.MustChangePassword = false // a token was created after the password was set; it does not log in
	a.ReadOnly = t.Scope == isms.ScopeRead
	a.revision = h.Revision
	if a.OrgID == "" {
		return a, isms.Unauthenticated("the token's owner is no longer a member")
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.TouchToken(ctx, t.ID, now) }); err != nil {
			return a, err
		}
	}
	return a, nil
}

// revokeUserTokens revokes every token of a user in every organisation, in tx, auditing each in its
// organisation with why: a password change (or reset) must also cut off scripts holding the old credentials.
func (s *Service) revokeUserTokens(ctx context.Context, tx *store.Tx, a Actor, userID, reason string) error {
	now := s.now()
	revoked, err := tx.RevokeUserTokens(ctx, userID, now)
	if err != nil {
		return err
	}
	for _, t := range revoked {
		in := a
		in.OrgID = t.OrgID
		after := t
		after.RevokedAt = &now
		if err := s.audit(ctx, tx, in, "revoke", "api token", t.ID, t.Name, t, revokedToken{APIToken: after, Reason: reason}); err != nil {
			return err
		}
	}
	return nil
}

// revokedToken is a token's audited state after a revocation with a reason.
type revokedToken struct {
	isms.APIToken
	Reason string `json:"reason"`
}
