package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/store"
)

// linkSelf links the actor's account to person self of the register (found by the account's email) by
// people.user_id, so that the person stays the actor's own when either email changes. It is a no-op when
// the person or the account is linked already; a new link is recorded in the audit trail.
func (s *Service) linkSelf(ctx context.Context, tx *store.Tx, a Actor, self store.Target) error {
	linked, err := tx.LinkPersonToUser(ctx, a.OrgID, self.ID, a.UserID)
	if err != nil || !linked {
		return err
	}
	return s.audit(ctx, tx, a, "link", "person", self.ID, self.Ref, nil, map[string]any{"user_id": a.UserID, "email": a.Email, "name": self.Name})
}

// linkMembers links each member's account to the person of the register with the same email, as the member.
func (s *Service) linkMembers(ctx context.Context, members []Actor) error {
	return s.store.Write(ctx, func(tx *store.Tx) error {
		for _, a := range members {
			self, found, err := tx.PersonOfUser(ctx, a.OrgID, a.UserID, a.Email)
			if err != nil {
				return err
			}
			if found {
				if err := s.linkSelf(ctx, tx, a, self); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
