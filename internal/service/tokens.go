package service

import (
	"context"
	"strings"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// CreateToken creates an API token for the caller in the current organisation. The secret is returned once;
// only its hash is kept. A token acts with its owner's role at the time of each request.
func (s *Service) CreateToken(ctx context.Context, name string) (secret string, t isms.APIToken, err error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return "", t, err
	}
	var p isms.Problems
	isms.CheckText(&p, "name", name, 80)
	if err := p.Err(); err != nil {
		return "", t, err
	}
	secret, prefix := auth.NewAPIToken()
	t = isms.APIToken{ID: store.NewID(), OrgID: a.OrgID, UserID: a.UserID, Name: strings.TrimSpace(name), Prefix: prefix, CreatedAt: s.now()}
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
	var t isms.APIToken
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = tx.TokenByHash(ctx, auth.HashToken(secret)); err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return isms.Unauthenticated("this API token was revoked")
		}
		u, err := tx.User(ctx, t.UserID)
		if err != nil {
			return err
		}
		a, err = s.actorFor(ctx, tx, u, t.OrgID, "api")
		a.MustChangePassword = false // a token was created after the password was set; it does not log in
		return err
	})
	if isms.ErrorKind(err) == isms.KindNotFound {
		return a, isms.Unauthenticated("unknown API token")
	}
	if err != nil {
		return a, err
	}
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
