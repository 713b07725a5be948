package isms

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is a member's role in one organisation (DESIGN.md section 5).
type Role string

const (
	RoleOwner   Role = "owner"
	RoleAdmin   Role = "admin"
	RoleEditor  Role = "editor"
	RoleAuditor Role = "auditor"
	RoleViewer  Role = "viewer"
)

// Roles lists the roles from most to least powerful.
var Roles = []Role{RoleOwner, RoleAdmin, RoleEditor, RoleAuditor, RoleViewer}

func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Permission is something a member may or may not do.
type Permission string

const (
	PermReadContent    Permission = "read content"                    // every member
	PermWriteContent   Permission = "edit ISMS content"               // owner, admin, editor
	PermWriteAudits    Permission = "record audits"                   // owner, admin, auditor
	PermPlanAudits     Permission = "plan audits and record findings" // owner, admin, editor, auditor
	PermReadAuditTrail Permission = "read the audit trail"            // owner, admin, auditor
	PermReadMembers    Permission = "see members"                     // owner, admin, auditor
	PermManageMembers  Permission = "manage members"                  // owner, admin
	PermManageOwners   Permission = "manage owners"                   // owner
	PermDeleteOrg      Permission = "delete the organisation"
)

var rolePerms = map[Role][]Permission{
	RoleOwner:   {PermReadContent, PermWriteContent, PermWriteAudits, PermPlanAudits, PermReadAuditTrail, PermReadMembers, PermManageMembers, PermManageOwners, PermDeleteOrg},
	RoleAdmin:   {PermReadContent, PermWriteContent, PermWriteAudits, PermPlanAudits, PermReadAuditTrail, PermReadMembers, PermManageMembers},
	RoleEditor:  {PermReadContent, PermWriteContent, PermPlanAudits},
	RoleAuditor: {PermReadContent, PermWriteAudits, PermPlanAudits, PermReadAuditTrail, PermReadMembers},
	RoleViewer:  {PermReadContent},
}

// Can reports whether the role grants p.
func (r Role) Can(p Permission) bool {
	for _, x := range rolePerms[r] {
		if x == p {
			return true
		}
	}
	return false
}

// Organisation is a tenant: everything else belongs to exactly one.
type Organisation struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	// RequireTwoFactor sends every member without two-factor authentication to set it up first.
	RequireTwoFactor bool      `json:"require_two_factor"`
	CreatedAt        time.Time `json:"created_at"`
	Version          int       `json:"version"`
}

// User is a person who can log in. Users are global; access is by Membership.
type User struct {
	ID                 string    `json:"id"`
	Email              string    `json:"email"`
	Name               string    `json:"name"`
	PasswordHash       string    `json:"-"`
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	Version            int       `json:"version"`
	// LastOrgID is the organisation the user last worked in: the next login returns there.
	LastOrgID string `json:"-"`
	// TOTPSecret is the two-factor secret (base32); set but not enabled while the user is still confirming it.
	TOTPSecret    string     `json:"-"`
	TOTPEnabledAt *time.Time `json:"two_factor_since,omitempty"`
	TOTPLastStep  int64      `json:"-"` // the last time step a code was accepted for: each code works once
}

// TwoFactor reports whether the user has two-factor authentication turned on.
func (u User) TwoFactor() bool { return u.TOTPEnabledAt != nil }

// Membership gives a user a role in an organisation.
type Membership struct {
	OrgID     string    `json:"org_id"`
	UserID    string    `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Approver  bool      `json:"approver"`
	CreatedAt time.Time `json:"created_at"`
	Version   int       `json:"version"`
}

// OrgMembership is one organisation a user belongs to, with the user's role there.
type OrgMembership struct {
	Organisation
	Role     Role `json:"role"`
	Approver bool `json:"approver"`
}

// APIToken is a named bearer token of one member. Only its hash is stored. It expires, and a read token may
// only read.
type APIToken struct {
	ID         string     `json:"id"`
	OrgID      string     `json:"org_id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Scope      TokenScope `json:"scope" enum:"read,write"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// TokenScope says what an API token may do: read only, or whatever its owner's role allows.
type TokenScope string

const (
	ScopeRead  TokenScope = "read"
	ScopeWrite TokenScope = "write"
)

// Token lifetimes, in days: a token is chosen to live at most a year, so that a forgotten one dies by itself.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// Expired reports whether the token may no longer be used at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

// NormaliseEmail trims and lower-cases an address so that lookups are case-insensitive.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// MinPasswordLength follows current NIST guidance: length over composition rules.
const MinPasswordLength = 12

// CheckPassword validates a new password and adds problems under field.
func CheckPassword(p *Problems, field, password string) {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		p.Add(field, "must be at least %d characters", MinPasswordLength)
	case n > 256:
		p.Add(field, "must be at most 256 characters")
	}
}

// CheckText validates a required single-line text of at most max runes.
func CheckText(p *Problems, field, value string, max int) {
	v := strings.TrimSpace(value)
	switch {
	case v == "":
		p.Add(field, "is required")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, "must be at most %d characters", max)
	}
}

// Slugify turns an organisation name into a URL- and CLI-friendly identifier.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 40 {
		s = strings.TrimSuffix(s[:40], "-")
	}
	if s == "" {
		s = "org"
	}
	return s
}
