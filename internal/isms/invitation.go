package isms

import "time"

// Invitation asks someone to join an organisation with a role. Its secret link is shown once to the inviter;
// only the hash is stored. Email is the inviter's label for whom they meant: it is never matched against
// accounts, so that inviting discloses nothing about who uses praxis.
type Invitation struct {
	ID         string     `json:"id"`
	OrgID      string     `json:"-"`
	Email      string     `json:"email"`
	Role       Role       `json:"role"`
	Approver   bool       `json:"approver"`
	CreatedBy  string     `json:"created_by"` // the inviter's email
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	AcceptedBy string     `json:"accepted_by,omitempty"` // the email of the account that accepted
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	Status     string     `json:"status"` // open, accepted, expired or revoked (at the time it was read)
}

// Invitation states, as ListInvitations filters and reports them.
const (
	InvitationOpen     = "open"
	InvitationAccepted = "accepted"
	InvitationExpired  = "expired"
	InvitationRevoked  = "revoked"
)

// InvitationStates lists the states an invitation can be in.
var InvitationStates = []string{InvitationOpen, InvitationAccepted, InvitationExpired, InvitationRevoked}

// StatusAt is the invitation's state at now: revoked and accepted are final; otherwise open until it expires.
func (i Invitation) StatusAt(now time.Time) string {
	switch {
	case i.RevokedAt != nil:
		return InvitationRevoked
	case i.AcceptedAt != nil:
		return InvitationAccepted
	case !now.Before(i.ExpiresAt):
		return InvitationExpired
	}
	return InvitationOpen
}
