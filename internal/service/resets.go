package service

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ResetLinkTTL is how long a password reset link works.
const ResetLinkTTL = time.Hour

// ResetPath is where a reset link points, followed by the token.
const ResetPath = "/reset/"

// OperatorResetLink issues a password reset link for the user with email, for the operator to hand over
// (praxis runs without a mail server). The operator has the database itself, so no role applies. With
// clearTwoFactor the link also turns the account's two-factor off (a lost phone). It returns the token.
func (s *Service) OperatorResetLink(ctx context.Context, email string, clearTwoFactor bool) (string, error) {
	var token string
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByEmail(ctx, isms.NormaliseEmail(email))
		if err != nil {
			return err
		}
		token, err = s.issueReset(ctx, tx, u, "operator", clearTwoFactor)
		return err
	})
	return token, err
}

// IssueResetLink issues a password reset link for a member of the caller's organisation. Owners only (a reset
// link is a way into the account); the owner's action is in the organisation's audit trail.
func (s *Service) IssueResetLink(ctx context.Context, userID string) (string, error) {
	a, err := require(ctx, isms.PermManageOwners)
	if err != nil {
		return "", err
	}
	var token string
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		m, err := tx.Membership(ctx, a.OrgID, userID)
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, m.UserID)
		if err != nil {
			return err
		}
		if token, err = s.issueReset(ctx, tx, u, a.Email, false); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "issue reset link", "member", u.ID, u.Email, nil, nil)
	})
	return token, err
}

func (s *Service) issueReset(ctx context.Context, tx *store.Tx, u isms.User, by string, clearTwoFactor bool) (string, error) {
	token := auth.RandomToken(32)
	now := s.now()
	err := tx.CreatePasswordReset(ctx, store.PasswordReset{TokenHash: auth.HashToken(token), UserID: u.ID, CreatedBy: by,
		CreatedAt: now, ExpiresAt: now.Add(ResetLinkTTL), ClearTwoFactor: clearTwoFactor})
	if err != nil {
		return "", err
	}
	return token, s.addEvent(ctx, tx, isms.EventResetIssued, u.ID, u.Email, Client{}, "by "+by)
}

// ResetLinkEmail returns whose password a reset link resets, to show on its page; a used, expired or made-up
// link is NotFound.
func (s *Service) ResetLinkEmail(ctx context.Context, token string) (string, error) {
	var email string
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		r, err := s.validReset(ctx, tx, token)
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, r.UserID)
		email = u.Email
		return err
	})
	return email, err
}

func (s *Service) validReset(ctx context.Context, tx *store.Tx, token string) (store.PasswordReset, error) {
	r, err := tx.PasswordResetByHash(ctx, auth.HashToken(token))
	if err == nil && (r.UsedAt != nil || s.now().After(r.ExpiresAt)) {
		err = isms.NotFound("reset link not found")
	}
	if isms.ErrorKind(err) == isms.KindNotFound {
		return r, isms.NotFound("this reset link is used, expired or wrong: ask for a new one")
	}
	return r, err
}

// ResetPassword sets a new password through a reset link, once: it ends every session of the user (whoever
// had the old password is out) and, when the operator asked for it, turns two-factor off.
func (s *Service) ResetPassword(ctx context.Context, token, password string, c Client) error {
	var p isms.Problems
	isms.CheckPassword(&p, "password", password)
	if err := p.Err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password, s.cfg.PasswordParams)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		r, err := s.validReset(ctx, tx, token)
		if err != nil {
			return err
		}
		if fresh, err := tx.UsePasswordReset(ctx, r.TokenHash, s.now()); err != nil || !fresh {
			if err == nil {
				err = isms.NotFound("this reset link is used, expired or wrong: ask for a new one")
			}
			return err
		}
		u, err := tx.User(ctx, r.UserID)
		if err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		if err := s.limiter.succeed(ctx, tx, u.Email); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		// Whoever forced the reset may hold tokens made with the old password: they stop too.
		if err := s.revokeUserTokens(ctx, tx, Actor{UserID: u.ID, Email: u.Email, Via: "web"}, u.ID, "password reset"); err != nil {
			return err
		}
		detail := ""
		if r.ClearTwoFactor && u.TwoFactor() {
			if err := tx.SetTOTPSecret(ctx, u.ID, ""); err != nil {
				return err
			}
			if err := tx.DeleteRecoveryCodes(ctx, u.ID); err != nil {
				return err
			}
			detail = "two-factor turned off"
		}
		return s.addEvent(ctx, tx, isms.EventResetUsed, u.ID, u.Email, c, detail)
	})
}
