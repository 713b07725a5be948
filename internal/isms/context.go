package isms

import (
	"encoding/json"
	"strings"
	"time"
)

// Clause 4: the context of the organisation.

// Issue is an internal or external issue that bears on what the ISMS must achieve (4.1).
type Issue struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	Ref         string    `json:"ref"`
	Title       string    `json:"title"`
	Kind        string    `json:"kind" enum:"internal,external"`
	Description string    `json:"description"`
	Effect      string    `json:"effect"` // how it affects the ISMS
	OwnerID     string    `json:"-"`
	Owner       string    `json:"owner"` // the owner's reference (P-001)
	OwnerName   string    `json:"owner_name"`
	ReviewDate  string    `json:"review_date"` // YYYY-MM-DD or empty
	Notes       string    `json:"notes"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`
}

// IssueKinds are the kinds of issue.
var IssueKinds = []string{"internal", "external"}

// Party is an interested party (4.2); its requirements are rows of their own (Requirement).
type Party struct {
	ID           string        `json:"id"`
	OrgID        string        `json:"-"`
	Ref          string        `json:"ref"`
	Name         string        `json:"name"`
	Kind         string        `json:"kind"`
	Description  string        `json:"description"`
	Notes        string        `json:"notes"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	Version      int           `json:"version"`
	Requirements []Requirement `json:"requirements,omitempty"` // filled when one party is shown
}

// PartyKinds are the kinds of interested party.
var PartyKinds = []string{"customer", "regulator", "supplier", "employee", "shareholder", "partner", "insurer", "community", "other"}

// Requirement is one need or expectation of an interested party and how the ISMS meets it.
type Requirement struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"-"`
	Ref       string    `json:"ref"`
	PartyID   string    `json:"-"`
	Party     string    `json:"party"` // the party's reference (IP-001)
	PartyName string    `json:"party_name"`
	Text      string    `json:"text"`
	Type      string    `json:"type" enum:"legal,regulatory,contractual,other"`
	Addressed string    `json:"addressed"` // how the ISMS addresses it
	Controls  []string  `json:"controls"`  // Annex A 2022 ids
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// RequirementTypes say where a requirement comes from; the first three are binding on the organisation.
var RequirementTypes = []string{"legal", "regulatory", "contractual", "other"}

// Binding reports whether the requirement is legal, regulatory or contractual.
func (r Requirement) Binding() bool { return r.Type != "" && r.Type != "other" }

// Exclusion is something left out of the ISMS scope, with why.
type Exclusion struct {
	Item          string `json:"item"`
	Justification string `json:"justification"`
}

// Scope is the ISMS scope (4.3): one per organisation, approved in numbered versions like the SoA.
type Scope struct {
	Statement  string      `json:"statement"`
	Units      []string    `json:"units"`      // organisational units
	Locations  []string    `json:"locations"`  // sites and places of work
	Systems    []string    `json:"systems"`    // systems and services
	Boundaries string      `json:"boundaries"` // boundaries and interfaces
	Exclusions []Exclusion `json:"exclusions"`
	UpdatedAt  time.Time   `json:"updated_at"`
	Version    int         `json:"version"` // 0 while nothing is saved
}

// canonical is the scope without bookkeeping (times, versions), in a fixed form with no nil lists.
func (s Scope) canonical() Scope {
	return Scope{Statement: s.Statement, Units: nonNil(s.Units), Locations: nonNil(s.Locations), Systems: nonNil(s.Systems),
		Boundaries: s.Boundaries, Exclusions: nonNilExclusions(s.Exclusions)}
}

func nonNilExclusions(e []Exclusion) []Exclusion {
	if e == nil {
		return []Exclusion{}
	}
	return e
}

// CanonicalScope is the byte form a scope approval vouches for: the statement, the lists and the exclusions,
// not when or by whom it was saved.
func CanonicalScope(s Scope) []byte {
	c := s.canonical()
	b, _ := json.Marshal(struct {
		Statement  string      `json:"statement"`
		Units      []string    `json:"units"`
		Locations  []string    `json:"locations"`
		Systems    []string    `json:"systems"`
		Boundaries string      `json:"boundaries"`
		Exclusions []Exclusion `json:"exclusions"`
	}{c.Statement, c.Units, c.Locations, c.Systems, c.Boundaries, c.Exclusions}) // plain strings cannot fail
	return b
}

// ScopeChange is one part of the scope that differs between two versions.
type ScopeChange struct {
	Field  string `json:"field"` // statement, units, locations, systems, boundaries, exclusions
	Before string `json:"before"`
	After  string `json:"after"`
}

// DiffScope lists the parts of the scope that differ from a to b, in the scope's order; lists compare as
// one item a line.
func DiffScope(a, b Scope) []ScopeChange {
	var out []ScopeChange
	field := func(name, before, after string) {
		if before != after {
			out = append(out, ScopeChange{Field: name, Before: before, After: after})
		}
	}
	field("statement", a.Statement, b.Statement)
	field("units", strings.Join(a.Units, "\n"), strings.Join(b.Units, "\n"))
	field("locations", strings.Join(a.Locations, "\n"), strings.Join(b.Locations, "\n"))
	field("systems", strings.Join(a.Systems, "\n"), strings.Join(b.Systems, "\n"))
	field("boundaries", a.Boundaries, b.Boundaries)
	field("exclusions", ExclusionLines(a.Exclusions), ExclusionLines(b.Exclusions))
	return out
}

// ExclusionLines is exclusions as text, one a line: "item: justification".
func ExclusionLines(ex []Exclusion) string {
	lines := make([]string, len(ex))
	for i, e := range ex {
		lines[i] = e.Item + ": " + e.Justification
	}
	return strings.Join(lines, "\n")
}

// ParseExclusions reads exclusions written one a line as "item: justification" (the form ExclusionLines
// writes); blank lines are skipped.
func ParseExclusions(text string) []Exclusion {
	out := []Exclusion{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		item, why, _ := strings.Cut(line, ":")
		out = append(out, Exclusion{Item: strings.TrimSpace(item), Justification: strings.TrimSpace(why)})
	}
	return out
}

// Lines splits text into its non-blank lines, trimmed.
func Lines(text string) []string {
	out := []string{}
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
