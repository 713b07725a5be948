package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// addEvent records a security event in tx.
func (s *Service) addEvent(ctx context.Context, tx *store.Tx, kind, userID, email string, c Client, detail string) error {
	return tx.AddSecurityEvent(ctx, isms.SecurityEvent{ID: store.NewID(), At: s.now(), Kind: kind, UserID: userID,
		Email: email, IP: c.IP, UserAgent: truncate(c.UserAgent, 300), Detail: detail})
}

// recordEvent records a security event on its own, for attempts that change nothing else (a failed login).
// A database that cannot take it is logged, not reported: the caller's answer stays the same.
func (s *Service) recordEvent(ctx context.Context, kind, userID, email string, c Client, detail string) {
	err := s.store.Write(ctx, func(tx *store.Tx) error { return s.addEvent(ctx, tx, kind, userID, email, c, detail) })
	if err != nil {
		s.cfg.Logger.Error("record security event", "kind", kind, "email", email, "err", err)
	}
}

// ListSecurityEvents lists, newest first, the logins, failures and other security events of the members of
// the caller's organisation. Owners only: they show where and when members log in.
func (s *Service) ListSecurityEvents(ctx context.Context, p Page) (List[isms.SecurityEvent], error) {
	return readAs(ctx, s, isms.PermManageOwners, func(tx *store.Tx, a Actor) (List[isms.SecurityEvent], error) {
		return tx.ListSecurityEvents(ctx, a.OrgID, p)
	})
}

// SetRequireTwoFactor makes two-factor authentication required (or optional) for every member of the caller's
// organisation. Owners only. Members without it are sent to set it up before they can do anything there.
func (s *Service) SetRequireTwoFactor(ctx context.Context, on bool) (isms.Organisation, error) {
	var org isms.Organisation
	a, err := require(ctx, isms.PermManageOwners)
	if err != nil {
		return org, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if before.RequireTwoFactor == on {
			org = before
			return nil
		}
		if err := tx.SetRequireTwoFactor(ctx, a.OrgID, on); err != nil {
			return err
		}
		if org, err = tx.Org(ctx, a.OrgID); err != nil {
			return err
		}
		type setting struct {
			RequireTwoFactor bool `json:"require_two_factor"`
		}
		return s.audit(ctx, tx, a, "update", "organisation", org.ID, org.Slug, setting{before.RequireTwoFactor}, setting{on})
	})
	return org, err
}
