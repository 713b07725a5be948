package service

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Client describes where a login comes from.
type Client struct {
	IP        string
	UserAgent string
	Device    string // the browser's known-device cookie (praxis_device), if it sent one
}

// LoginResult is the outcome of a correct password (and, when two-factor is on, code).
type LoginResult struct {
	Session string // the new session's token; empty while the second step is pending
	// Pending is set instead of Session when the account has two-factor on: the token of a login that waits
	// for the code (SecondFactor), unusable for anything else and expiring after PendingLoginTTL.
	Pending string
	// Device is the browser's known-device token to keep (a long-lived cookie): with it, the right password
	// gets through even while someone else's guesses slow the account down.
	Device string
	Actor  Actor
	// ChooseOrg is set when the user belongs to several organisations and none was used last: ask which.
	ChooseOrg bool
}

// PendingLoginTTL is how long the second step of a two-factor login may take.
const PendingLoginTTL = 5 * time.Minute

// newDummyHash returns the hash checked against when an email is unknown, made with the service's own
// parameters, so that the answer takes as long as for a known account's password. It is made once, at the
// first unknown email, so that commands that never log anyone in do not pay for it.
func newDummyHash(p auth.Params) func() string {
	return sync.OnceValue(func() string {
		h, _ := auth.HashPassword("praxis timing equaliser", p)
		return h
	})
}

// Login is Authenticate for callers that need a session at once (tests, tools): a login that needs a
// two-factor code is refused.
func (s *Service) Login(ctx context.Context, email, password string, c Client) (token string, a Actor, err error) {
	r, err := s.Authenticate(ctx, email, password, c)
	if err == nil && r.Pending != "" {
		return "", a, isms.Unauthenticated("two-factor authentication is on for this account: give a code as well")
	}
	return r.Session, r.Actor, err
}

// Authenticate checks email and password and opens a new session (a fresh token on every login, which defeats
// session fixation), or, when the account has two-factor on, a pending login that waits for the code.
// Failures are slowed down per address and per account (see loginLimiter); a browser that logged in to the
// account before is not slowed down by others' failures, so that nobody can keep the real user out.
func (s *Service) Authenticate(ctx context.Context, email, password string, c Client) (LoginResult, error) {
	var res LoginResult
	email = isms.NormaliseEmail(email)
	now := s.now()
	var u isms.User
	known := false
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		if u, err = tx.UserByEmail(ctx, email); err != nil {
			return err
		}
		known, err = s.knownDevice(ctx, tx, u.ID, c)
		return err
	})
	if err != nil && isms.ErrorKind(err) != isms.KindNotFound {
		return res, err
	}
	if !known {
		if err := s.limiter.check(ctx, now, email, c.IP); err != nil {
			if isms.ErrorKind(err) == isms.KindTooManyRequests {
				s.recordEvent(ctx, isms.EventLoginRefused, u.ID, email, c, "")
			}
			return res, err
		}
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = s.dummyHash()
	}
	ok, herr := auth.CheckPassword(hash, password)
	if err != nil || herr != nil || !ok {
		if err := s.limiter.fail(ctx, now, email, c.IP); err != nil {
			return res, err
		}
		detail := ""
		if u.ID == "" {
			detail = "unknown email"
		}
		s.recordEvent(ctx, isms.EventLoginFailed, u.ID, email, c, detail)
		s.cfg.Logger.Info("login failed", "email", email, "ip", c.IP)
		return res, isms.Unauthenticated("wrong email or password")
	}
	if u.TwoFactor() {
		// The account's failures are cleared only when the code is right too: knowing the password must not
		// give unlimited guesses at the code.
		res.Pending = auth.RandomToken(32)
		err = s.store.Write(ctx, func(tx *store.Tx) error {
			return tx.CreateSession(ctx, store.Session{TokenHash: auth.HashToken(res.Pending), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
				ExpiresAt: now.Add(PendingLoginTTL), IP: c.IP, UserAgent: truncate(c.UserAgent, 300), Pending: true})
		})
		return res, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if err := s.limiter.succeed(ctx, tx, email); err != nil {
			return err
		}
		res, err = s.completeLogin(ctx, tx, u, c, known)
		return err
	})
	return res, err
}

// knownDevice reports whether the client's device cookie has logged in to user before.
func (s *Service) knownDevice(ctx context.Context, tx *store.Tx, userID string, c Client) (bool, error) {
	if c.Device == "" || userID == "" {
		return false, nil
	}
	return tx.KnownDevice(ctx, userID, auth.HashToken(c.Device))
}

// completeLogin opens the session of a user who has proved who they are, in the organisation they last worked
// in (or their only one), remembers the browser and records the login.
func (s *Service) completeLogin(ctx context.Context, tx *store.Tx, u isms.User, c Client, knownDevice bool) (LoginResult, error) {
	var res LoginResult
	orgs, err := tx.UserOrgs(ctx, u.ID)
	if err != nil {
		return res, err
	}
	orgID := ""
	switch {
	case len(orgs) == 1:
		orgID = orgs[0].ID
	case u.LastOrgID != "" && slices.ContainsFunc(orgs, func(o isms.OrgMembership) bool { return o.ID == u.LastOrgID }):
		orgID = u.LastOrgID
	}
	// Never "the first by name": anyone may create an organisation whose name sorts first and invite people in.
	res.ChooseOrg = orgID == "" && len(orgs) > 1
	if res.Session, res.Actor, err = s.newSession(ctx, tx, u, orgID, c); err != nil {
		return res, err
	}
	res.Device = c.Device
	if !knownDevice {
		res.Device = auth.RandomToken(32)
	}
	if err := tx.RememberDevice(ctx, u.ID, auth.HashToken(res.Device), s.now()); err != nil {
		return res, err
	}
	return res, s.addEvent(ctx, tx, isms.EventLogin, u.ID, u.Email, c, "")
}

// tooManyFailures is the refusal of a limited attempt, saying when to try again.
func tooManyFailures(wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	when := fmt.Sprintf("%d seconds", secs)
	if secs == 1 {
		when = "1 second"
	}
	return isms.TooManyRequestsFor(time.Duration(secs)*time.Second, "too many failed attempts: try again in %s", when)
}

// newSession opens a session for u in orgID; an organisation a session opens in is where the next login returns.
func (s *Service) newSession(ctx context.Context, tx *store.Tx, u isms.User, orgID string, c Client) (string, Actor, error) {
	if orgID != "" && orgID != u.LastOrgID {
		if err := tx.SetLastOrg(ctx, u.ID, orgID); err != nil {
			return "", Actor{}, err
		}
	}
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
	if orgID == "" {
		return newActor(u, nil, nil, via), nil
	}
	m, err := tx.Membership(ctx, orgID, u.ID)
	if isms.ErrorKind(err) == isms.KindNotFound {
		return newActor(u, nil, nil, via), nil
	}
	if err != nil {
		return Actor{}, err
	}
	org, err := tx.Org(ctx, orgID)
	if err != nil {
		return Actor{}, err
	}
	return newActor(u, &m, &org, via), nil
}

// newActor is the actor of user u acting through via: in org with membership m, or in none when they are nil.
func newActor(u isms.User, m *isms.Membership, org *isms.Organisation, via string) Actor {
	a := Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Via: via, MustChangePassword: u.MustChangePassword}
	if m == nil || org == nil {
		return a
	}
	a.OrgID, a.OrgSlug, a.OrgName, a.Role, a.Approver = org.ID, org.Slug, org.Name, m.Role, m.Approver
	// A browser session of an organisation that requires two-factor must set it up first. API tokens keep
	// working: a signed-in member created them.
	a.MustSetUpTwoFactor = via == "web" && org.RequireTwoFactor && !u.TwoFactor()
	return a
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
		if sess.Pending {
			return isms.NotFound("session") // half a two-factor login opens nothing
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
				if err := tx.SetLastOrg(ctx, a.UserID, o.ID); err != nil {
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
	// Guesses at the current password (a session left open) are slowed down like logins, per account.
	limit := "password:" + a.UserID
	if err := s.limiter.check(ctx, s.now(), limit, ""); err != nil {
		return err
	}
	hash, err := auth.HashPassword(next, s.cfg.PasswordParams)
	if err != nil {
		return err
	}
	wrong := false
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if ok, _ := auth.CheckPassword(u.PasswordHash, current); !ok {
			wrong = true
			return isms.Invalid(isms.FieldError{Field: "current_password", Message: "is not your current password"})
		}
		if err := tx.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		if err := s.limiter.succeed(ctx, tx, limit); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, a.sessionHash); err != nil {
			return err
		}
		if err := s.revokeUserTokens(ctx, tx, a, u.ID, "password changed"); err != nil {
			return err
		}
		if err := s.addEvent(ctx, tx, isms.EventPasswordChanged, u.ID, u.Email, Client{}, ""); err != nil {
			return err
		}
		if a.OrgID == "" {
			return nil
		}
		return s.audit(ctx, tx, a, "change password", "user", u.ID, u.Email, nil, nil)
	})
	if wrong {
		if ferr := s.limiter.fail(ctx, s.now(), limit, ""); ferr != nil {
			return ferr
		}
	}
	return err
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
