package isms

import (
	"fmt"
	"time"
)

// RoleKinds mark the two roles clause 5 expects exactly one of, the ISMS owner and the top-management sponsor;
// every other role is "other".
var RoleKinds = []string{"isms-owner", "sponsor", "other"}

// ISMSRole is one role of the ISMS (clause 5.3): what it is responsible for, what it may decide, and who holds it.
type ISMSRole struct {
	ID               string    `json:"id"`
	OrgID            string    `json:"-"`
	Ref              string    `json:"ref"`
	Name             string    `json:"name"`
	Kind             string    `json:"kind"`
	PersonID         string    `json:"-"`
	Person           string    `json:"person"`      // the holder's reference (P-001)
	PersonName       string    `json:"person_name"` // the holder's name
	Responsibilities string    `json:"responsibilities"`
	Authorities      string    `json:"authorities"`
	Notes            string    `json:"notes"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int       `json:"version"`
}

// RoleWarnings is the one rule for the two roles clause 5 expects exactly one of: given how many roles of
// each kind exist, it says what looks wrong (none, or several). It warns and never refuses: an organisation
// fills its roles in over time.
func RoleWarnings(owners, sponsors int) []string {
	out := []string{}
	for _, k := range []struct {
		n    int
		what string
	}{{owners, "ISMS owner"}, {sponsors, "top-management sponsor"}} {
		switch {
		case k.n == 0:
			out = append(out, fmt.Sprintf("No role is marked as the %s: name one, so that someone answers for the ISMS.", k.what))
		case k.n > 1:
			out = append(out, fmt.Sprintf("%d roles are marked as the %s: one is expected, so that it is clear who decides.", k.n, k.what))
		}
	}
	return out
}

// Commitment is evidence of leadership commitment (clause 5.1): what top management committed to, who, when,
// and where the proof is (a link, minutes, a document reference).
type Commitment struct {
	ID         string    `json:"id"`
	OrgID      string    `json:"-"`
	Ref        string    `json:"ref"`
	Title      string    `json:"title"`
	PersonID   string    `json:"-"`
	Person     string    `json:"person"`      // who committed (reference)
	PersonName string    `json:"person_name"` // who committed (name)
	Date       string    `json:"date"`        // YYYY-MM-DD
	Evidence   string    `json:"evidence"`
	Document   string    `json:"document"` // a document reference, as text until the document register links it
	Notes      string    `json:"notes"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int       `json:"version"`
}
