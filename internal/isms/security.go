package isms

import "time"

// SecurityEvent is one login-related event: a login, a failure, a refusal by the limiter, two-factor use, a
// reset link. It belongs to no organisation's audit trail; owners read the events of their members.
type SecurityEvent struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	UserID    string    `json:"user_id,omitempty"`
	Email     string    `json:"email"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
	Detail    string    `json:"detail,omitempty"`
}

// The kinds of security events.
const (
	EventLogin            = "login"
	EventLoginFailed      = "login failed"
	EventLoginRefused     = "login refused"
	EventTwoFactorPassed  = "two-factor passed"
	EventTwoFactorFailed  = "two-factor failed"
	EventRecoveryCodeUsed = "recovery code used"
	EventTwoFactorOn      = "two-factor on"
	EventTwoFactorOff     = "two-factor off"
	EventResetIssued      = "reset link issued"
	EventResetUsed        = "reset link used"
	EventPasswordChanged  = "password changed"
)
