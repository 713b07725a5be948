package service

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// RecoveryCodeCount is how many one-time recovery codes a user gets.
const RecoveryCodeCount = 10

// TwoFactorStatus is what the two-factor settings page shows.
type TwoFactorStatus struct {
	Enabled       bool       `json:"enabled"`
	Since         *time.Time `json:"since,omitempty"`
	RecoveryCodes int        `json:"recovery_codes"` // still unused
	Required      bool       `json:"required"`       // by the current organisation
}

// signedIn returns the caller when it is a logged-in user, whatever its organisation or duties: the two-factor
// use cases are open to members sent to set it up.
func signedIn(ctx context.Context) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return a, isms.Unauthenticated("log in first")
	}
	return a, nil
}

// TwoFactor returns the caller's two-factor status.
func (s *Service) TwoFactor(ctx context.Context) (TwoFactorStatus, error) {
	var st TwoFactorStatus
	a, err := signedIn(ctx)
	if err != nil {
		return st, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		st.Enabled, st.Since = u.TwoFactor(), u.TOTPEnabledAt
		if st.RecoveryCodes, err = tx.UnusedRecoveryCodes(ctx, u.ID); err != nil {
			return err
		}
		if a.OrgID != "" {
			org, err := tx.Org(ctx, a.OrgID)
			st.Required = err == nil && org.RequireTwoFactor
			return err
		}
		return nil
	})
	return st, err
}

// BeginTwoFactor starts turning two-factor on: it keeps a new secret for the caller (not in force until
// EnableTwoFactor confirms a code from it) and returns it for the authenticator app.
func (s *Service) BeginTwoFactor(ctx context.Context) (auth.TOTPKey, error) {
	var key auth.TOTPKey
	a, err := signedIn(ctx)
	if err != nil {
		return key, err
	}
	secret := auth.NewTOTPSecret()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if u.TwoFactor() {
			return isms.Conflict("two-factor authentication is on already")
		}
		if key, err = auth.NewTOTPKey("praxis", u.Email, secret); err != nil {
			return err
		}
		return tx.SetTOTPSecret(ctx, u.ID, secret)
	})
	return key, err
}

// EnableTwoFactor turns two-factor on once the caller proves their app works (a code from the secret of
// BeginTwoFactor), and returns the recovery codes: shown once, stored hashed.
func (s *Service) EnableTwoFactor(ctx context.Context, code string, c Client) ([]string, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	var codes []string
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if u.TwoFactor() {
			return isms.Conflict("two-factor authentication is on already")
		}
		if u.TOTPSecret == "" {
			return isms.Conflict("start again: no two-factor set-up is waiting for a code")
		}
		step, ok := auth.MatchTOTP(u.TOTPSecret, code, s.now(), 0)
		if !ok {
			return isms.Invalid(isms.FieldError{Field: "code", Message: "is not the current code of your app: check the clock of your phone and try again"})
		}
		if err := tx.EnableTOTP(ctx, u.ID, s.now(), step); err != nil {
			return err
		}
		if codes, err = s.newRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.recordTwoFactorChange(ctx, tx, a, u, isms.EventTwoFactorOn, c)
	})
	return codes, err
}

// RegenerateRecoveryCodes replaces the caller's recovery codes (the old ones stop working) and returns the new.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context) ([]string, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	var codes []string
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if !u.TwoFactor() {
			return isms.Conflict("two-factor authentication is off: there are no recovery codes")
		}
		codes, err = s.newRecoveryCodes(ctx, tx, u.ID)
		return err
	})
	return codes, err
}

// DisableTwoFactor turns two-factor off for the caller, who proves it is them with the password and a code
// (or a recovery code). Wrong answers are slowed down like logins.
func (s *Service) DisableTwoFactor(ctx context.Context, password, code string, c Client) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	limit := "password:" + a.UserID
	if err := s.limiter.check(ctx, s.now(), limit, ""); err != nil {
		return err
	}
	wrong := false
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if !u.TwoFactor() {
			return nil
		}
		var p isms.Problems
		if ok, _ := auth.CheckPassword(u.PasswordHash, password); !ok {
			p.Add("password", "is not your current password")
		}
		if _, err := s.checkCode(ctx, tx, u, code); err != nil {
			if isms.ErrorKind(err) != isms.KindInvalid {
				return err
			}
			p.Add("code", "is not a current code of your app nor an unused recovery code")
		}
		if err := p.Err(); err != nil {
			wrong = true
			return err
		}
		if err := tx.SetTOTPSecret(ctx, u.ID, ""); err != nil {
			return err
		}
		if err := tx.DeleteRecoveryCodes(ctx, u.ID); err != nil {
			return err
		}
		return s.recordTwoFactorChange(ctx, tx, a, u, isms.EventTwoFactorOff, c)
	})
	if wrong {
		if ferr := s.limiter.fail(ctx, s.now(), limit, ""); ferr != nil {
			return ferr
		}
	}
	return err
}

// recordTwoFactorChange writes the security event of turning two-factor on or off, and the audit event in
// the caller's organisation when there is one.
func (s *Service) recordTwoFactorChange(ctx context.Context, tx *store.Tx, a Actor, u isms.User, kind string, c Client) error {
	if err := s.addEvent(ctx, tx, kind, u.ID, u.Email, c, ""); err != nil {
		return err
	}
	if a.OrgID == "" {
		return nil
	}
	return s.audit(ctx, tx, a, kind, "user", u.ID, u.Email, nil, nil)
}

func (s *Service) newRecoveryCodes(ctx context.Context, tx *store.Tx, userID string) ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = auth.NewRecoveryCode()
		hashes[i] = auth.HashToken(auth.NormaliseRecoveryCode(codes[i]))
	}
	return codes, tx.ReplaceRecoveryCodes(ctx, userID, hashes, s.now())
}

// checkCode accepts a current code of u's app (each once) or an unused recovery code (used up by this), and
// says which it was (the event kind); a wrong code is Invalid.
func (s *Service) checkCode(ctx context.Context, tx *store.Tx, u isms.User, code string) (string, error) {
	if step, ok := auth.MatchTOTP(u.TOTPSecret, code, s.now(), u.TOTPLastStep); ok {
		fresh, err := tx.UseTOTPStep(ctx, u.ID, step)
		if err != nil || fresh {
			return isms.EventTwoFactorPassed, err
		}
	}
	if norm := auth.NormaliseRecoveryCode(code); len(norm) > 6 {
		used, err := tx.UseRecoveryCode(ctx, u.ID, auth.HashToken(norm), s.now())
		if err != nil || used {
			return isms.EventRecoveryCodeUsed, err
		}
	}
	return "", isms.Invalid(isms.FieldError{Field: "code", Message: "is not right"})
}

// SecondFactor completes a two-factor login: pending is the token Authenticate returned, code a current code
// of the user's app or a recovery code. The pending login expires after PendingLoginTTL; wrong codes count
// against the account like wrong passwords.
func (s *Service) SecondFactor(ctx context.Context, pending, code string, c Client) (LoginResult, error) {
	var res LoginResult
	now := s.now()
	hash := auth.HashToken(pending)
	var u isms.User
	known := false
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		sess, err := tx.Session(ctx, hash)
		if err != nil {
			return err
		}
		if !sess.Pending || now.After(sess.ExpiresAt) {
			return isms.NotFound("pending login")
		}
		if u, err = tx.User(ctx, sess.UserID); err != nil {
			return err
		}
		known, err = s.knownDevice(ctx, tx, u.ID, c)
		return err
	})
	if isms.ErrorKind(err) == isms.KindNotFound {
		return res, isms.Unauthenticated("your login has expired: enter your password again")
	}
	if err != nil {
		return res, err
	}
	if !known {
		if err := s.limiter.check(ctx, now, u.Email, c.IP); err != nil {
			if isms.ErrorKind(err) == isms.KindTooManyRequests {
				s.recordEvent(ctx, isms.EventLoginRefused, u.ID, u.Email, c, "two-factor code")
			}
			return res, err
		}
	}
	wrong := false
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, u.ID) // fresh: the last used step may have moved
		if err != nil {
			return err
		}
		kind, err := s.checkCode(ctx, tx, u, code)
		if isms.ErrorKind(err) == isms.KindInvalid {
			wrong = true
			return err
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, hash); err != nil {
			return err
		}
		if err := s.limiter.succeed(ctx, tx, u.Email); err != nil {
			return err
		}
		if err := s.addEvent(ctx, tx, kind, u.ID, u.Email, c, ""); err != nil {
			return err
		}
		res, err = s.completeLogin(ctx, tx, u, c, known)
		return err
	})
	if wrong {
		if err := s.limiter.fail(ctx, now, u.Email, c.IP); err != nil {
			return res, err
		}
		s.recordEvent(ctx, isms.EventTwoFactorFailed, u.ID, u.Email, c, "")
		return res, isms.Unauthenticated("that code is not right: try the current one, or a recovery code")
	}
	return res, err
}
