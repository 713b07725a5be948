package service

import (
	"context"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Client describes where a login comes from.
type Client struct {
	IP        string
	UserAgent string
}

// dummyHash is checked against when an email is unknown, so that the answer takes as long as for a known one.
var dummyHash, _ = auth.HashPassword("praxis timing equaliser", auth.DefaultParams)

// Login checks email and password and opens a new session (a fresh token on every login, which defeats
// session fixation). Failed attempts are limited per account and per address.
func (s *Service) Login(ctx context.Context, email, password string, c Client) (token string, a Actor, err error) {
	email = isms.NormaliseEmail(email)
	now := s.now()
	keys := map[string]string{"account": email, "address": c.IP}
	if s.limiter.blocked(now, keys) {
		return "", a, isms.TooManyRequests("too many failed logins: wait 15 minutes and try again")
	}
	var u isms.User
	err = s.store.Read(ctx, func(tx *store.Tx) (err error) { u, err = tx.UserByEmail(ctx, email); return err })
	if err != nil && isms.ErrorKind(err) != isms.KindNotFound {
		return "", a, err
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	ok, herr := auth.CheckPassword(hash, password)
	if err != nil || herr != nil || !ok {
		s.limiter.fail(now, keys)
		s.cfg.Logger.Info("login failed", "email", email, "ip", c.IP)
		return "", a, isms.Unauthenticated("wrong email or password")
	}
	s.limiter.succeed(email)
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		orgs, err := tx.UserOrgs(ctx, u.ID)
		if err != nil {
			return err
		}
		orgID := ""
		if len(orgs) > 0 {
			orgID = orgs[0].ID
		}
		token, a, err = s.newSession(ctx, tx, u, orgID, c)
		return err
	})
	return token, a, err
}

func (s *Service) newSession(ctx context.Context, tx *store.Tx, u isms.User, orgID string, c Client) (string, Actor, error) {
	token := auth.RandomToken(32)
	now := s.now()
	sess := store.Session{TokenHash: auth.HashToken(token), UserID: u.ID, OrgID: orgID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionAbsolute), IP: c.IP, UserAgent: truncate(c.UserAgent, 300)}
	if err := tx.CreateSession(ctx, sess); err != nil {
		return "", Actor{}, err
	}
	a, err := s.actorFor(ctx, tx, u, orgID, "web")
	a.sessionHash = sess.TokenHash
	return token, a, err
}

// actorFor builds the actor of user u in organisation orgID (none when orgID is empty or u left it).
func (s *Service) actorFor(ctx context.Context, tx *store.Tx, u isms.User, orgID, via string) (Actor, error) {
	a := Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Via: via, MustChangePassword: u.MustChangePassword}
	if orgID == "" {
		return a, nil
	}
	m, err := tx.Membership(ctx, orgID, u.ID)
	if isms.ErrorKind(err) == isms.KindNotFound {
		return a, nil
	}
	if err != nil {
		return a, err
	}
	org, err := tx.Org(ctx, orgID)
	if err != nil {
		return a, err
	}
	a.OrgID, a.OrgSlug, a.OrgName, a.Role, a.Approver = org.ID, org.Slug, org.Name, m.Role, m.Approver
	return a, nil
}

// touchEvery bounds how often a session's last-seen time is written: once a minute is precise enough for an
// idle limit measured in hours, and it keeps page views from turning into writes.
const touchEvery = time.Minute

// SessionActor resolves a session cookie to its actor, ending the session when it is past its idle or
// absolute limit.
func (s *Service) SessionActor(ctx context.Context, token string) (Actor, error) {
	var a Actor
	hash := auth.HashToken(token)
	now := s.now()
	var sess store.Session
	var u isms.User
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if sess, err = tx.Session(ctx, hash); err != nil {
			return err
		}
		if u, err = tx.User(ctx, sess.UserID); err != nil {
			return err
		}
		a, err = s.actorFor(ctx, tx, u, sess.OrgID, "web")
		return err
	})
	if isms.ErrorKind(err) == isms.KindNotFound {
		return a, isms.Unauthenticated("your session has ended: log in again")
	}
	if err != nil {
		return a, err
	}
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.cfg.SessionIdle {
		_ = s.store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hash) })
		return Actor{}, isms.Unauthenticated("your session has expired: log in again")
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, hash, now) }); err != nil {
			return a, err
		}
	}
	a.sessionHash = hash
	return a, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, auth.HashToken(token)) })
}

// SwitchOrganisation makes the caller's session work in another organisation it belongs to (by id or slug).
func (s *Service) SwitchOrganisation(ctx context.Context, org string) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok || a.sessionHash == "" {
		return a, isms.Unauthenticated("log in first")
	}
	var next Actor
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		orgs, err := tx.UserOrgs(ctx, a.UserID)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.ID == org || o.Slug == org {
				if err := tx.SelectSessionOrg(ctx, a.sessionHash, o.ID); err != nil {
					return err
				}
				u, err := tx.User(ctx, a.UserID)
				if err != nil {
					return err
				}
				next, err = s.actorFor(ctx, tx, u, o.ID, a.Via)
				next.sessionHash = a.sessionHash
				return err
			}
		}
		return isms.NotFound("organisation %s not found", org)
	})
	return next, err
}

// ChangePassword replaces the caller's password after checking the current one, and ends the caller's other
// sessions. It is the one use case open to a member whose one-time password must still be changed.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	a, ok := ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return isms.Unauthenticated("log in first")
	}
	var p isms.Problems
	isms.CheckPassword(&p, "new_password", next)
	if next == current {
		p.Add("new_password", "must differ from the current password")
	}
	if err := p.Err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(next, s.cfg.PasswordParams)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if ok, _ := auth.CheckPassword(u.PasswordHash, current); !ok {
			return isms.Invalid(isms.FieldError{Field: "current_password", Message: "is not your current password"})
		}
		if err := tx.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, a.sessionHash); err != nil {
			return err
		}
		if err := s.revokeUserTokens(ctx, tx, a, u.ID, "password changed"); err != nil {
			return err
		}
		if a.OrgID == "" {
			return nil
		}
		return s.audit(ctx, tx, a, "change password", "user", u.ID, u.Email, nil, nil)
	})
}

func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// PurgeSessions deletes sessions past their idle or absolute limit; serve runs it every hour.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	var n int64
	now := s.now()
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.DeleteExpiredSessions(ctx, now, now.Add(-s.cfg.SessionIdle))
		return err
	})
	return n, err
}
