package isms

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The Statement of Applicability (clause 6.1.3 d): one entry per Annex A control, saying whether the control
// applies, why, and how far it is implemented. An approved SoA is kept as an immutable numbered version.

// SoA reasons for including a control. ReasonRisk is never typed by a user: it is derived from the risks that
// the risk register links to the control.
const (
	ReasonRisk         = "risk"
	ReasonLegal        = "legal"
	ReasonContractual  = "contractual"
	ReasonBusiness     = "business"
	ReasonBestPractice = "best-practice"
)

// SoAReasons are the reasons in the order they are shown; SoAReasonNames says each in words.
var (
	SoAReasons     = []string{ReasonRisk, ReasonLegal, ReasonContractual, ReasonBusiness, ReasonBestPractice}
	SoAReasonNames = map[string]string{
		ReasonRisk:         "Risk treatment",
		ReasonLegal:        "Legal or regulatory",
		ReasonContractual:  "Contractual",
		ReasonBusiness:     "Business requirement",
		ReasonBestPractice: "Best practice",
	}
)

// Implementation statuses of an SoA entry, in the order of progress.
const (
	SoANotStarted  = "not-started"
	SoAPlanned     = "planned"
	SoAPartial     = "partial"
	SoAImplemented = "implemented"
)

// SoAStatuses lists the implementation statuses; SoAStatusNames says each in words.
var (
	SoAStatuses      = []string{SoANotStarted, SoAPlanned, SoAPartial, SoAImplemented}
	SoAStatusNames   = map[string]string{SoANotStarted: "Not started", SoAPlanned: "Planned", SoAPartial: "Partially implemented", SoAImplemented: "Implemented"}
	SoAApplicable    = []string{"yes", "no", "undecided"} // the values of the applicability filter
	MaxJustification = 4000
)

// SoAEntry is the organisation's decision on one Annex A control.
type SoAEntry struct {
	Control       string `json:"control"` // 2022 id, "8.28"
	Title         string `json:"title"`
	Theme         string `json:"theme"`
	Applicable    *bool  `json:"applicable"` // nil: undecided
	Justification string `json:"justification"`
	// Reasons are the reasons the user chose; AllReasons adds "risk" when risks link the control.
	Reasons   []string  `json:"reasons"`
	Status    string    `json:"status"` // one of SoAStatuses, "" when not set
	Owner     string    `json:"owner"`  // person ref
	OwnerName string    `json:"owner_name"`
	OwnerID   string    `json:"-"`
	Notes     string    `json:"notes"`
	Risks     []string  `json:"risks"` // refs of the risks whose treatment names the control, derived
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`

	// Evidence are the refs of the evidence for the control, recorded in approved versions only.
	Evidence []string `json:"evidence,omitempty"`
}

// Applicability says "yes", "no" or "undecided".
func (e SoAEntry) Applicability() string {
	switch {
	case e.Applicable == nil:
		return "undecided"
	case *e.Applicable:
		return "yes"
	}
	return "no"
}

// Decided reports whether the entry says yes or no.
func (e SoAEntry) Decided() bool { return e.Applicable != nil }

// Excluded reports whether the control was decided not applicable.
func (e SoAEntry) Excluded() bool { return e.Applicable != nil && !*e.Applicable }

// AllReasons is the chosen reasons with "risk" first whenever a risk links the control, in display order.
func (e SoAEntry) AllReasons() []string {
	var out []string
	for _, r := range SoAReasons {
		if (r == ReasonRisk && len(e.Risks) > 0) || slices.Contains(e.Reasons, r) {
			out = append(out, r)
		}
	}
	return out
}

// ParseApplicable reads "yes", "no", "undecided" (and true/false/y/n/1/0, any case) into the entry's form.
func ParseApplicable(s string) (applicable *bool, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1":
		t := true
		return &t, true
	case "no", "n", "false", "0":
		f := false
		return &f, true
	case "undecided", "", "null":
		return nil, true
	}
	return nil, false
}

// ExcludedWithRisks is the one message every door gives when a control that treats risks would be excluded:
// from the SoA (field "applicable") or by linking a risk to an excluded control (field "controls").
func ExcludedWithRisks(field, control string, risks []string) FieldError {
	return FieldError{Field: field, Message: fmt.Sprintf(
		"control %s cannot be excluded from the Statement of Applicability while it treats risk %s: remove the control from the risk's treatment, or make it applicable",
		control, strings.Join(risks, ", "))}
}

// Check validates an entry about to be saved: enums, lengths, and the rules that refuse a save outright.
// A decision needs a justification, an applicable control needs a status, and a control that treats risks
// cannot be excluded. Entries may still be incomplete (undecided); Issues lists what an approval needs.
func (e SoAEntry) Check() error {
	var p Problems
	if e.Applicable != nil && strings.TrimSpace(e.Justification) == "" {
		p.Add("justification", "is required to decide whether control %s applies: say why", e.Control)
	}
	if utf8.RuneCountInString(e.Justification) > MaxJustification {
		p.Add("justification", "must be at most %d characters", MaxJustification)
	}
	if utf8.RuneCountInString(e.Notes) > MaxJustification {
		p.Add("notes", "must be at most %d characters", MaxJustification)
	}
	for _, r := range e.Reasons {
		if r == ReasonRisk {
			p.Add("reasons", "%q is derived from the risk register: link control %s to a risk's treatment instead", r, e.Control)
		} else if !OneOf(r, SoAReasons) {
			p.Add("reasons", "%q is not a reason; use one of %s", r, strings.Join(SoAReasons[1:], ", "))
		}
	}
	if e.Status != "" && !OneOf(e.Status, SoAStatuses) {
		p.Add("status", "%q is not a status; use one of %s", e.Status, strings.Join(SoAStatuses, ", "))
	}
	if e.Applicable != nil && *e.Applicable && e.Status == "" {
		p.Add("status", "is required for applicable control %s: say how far it is implemented", e.Control)
	}
	if e.Excluded() && len(e.Risks) > 0 {
		p = append(p, ExcludedWithRisks("applicable", e.Control, e.Risks))
	}
	return p.Err()
}

// SoAIssue is something that stops an SoA from being approved.
type SoAIssue struct {
	Control string `json:"control"`
	Kind    string `json:"kind"` // "incomplete" or "contradictory"
	Message string `json:"message"`
}

// Issues lists what is incomplete or contradictory about the entry.
func (e SoAEntry) Issues() []SoAIssue {
	var out []SoAIssue
	add := func(kind, format string, args ...any) {
		out = append(out, SoAIssue{Control: e.Control, Kind: kind, Message: fmt.Sprintf(format, args...)})
	}
	if !e.Decided() {
		add("incomplete", "control %s is undecided: say whether it applies", e.Control)
	}
	if strings.TrimSpace(e.Justification) == "" {
		add("incomplete", "control %s has no justification", e.Control)
	}
	if e.Applicable != nil && *e.Applicable && e.Status == "" {
		add("incomplete", "control %s applies but has no implementation status", e.Control)
	}
	if e.Excluded() && len(e.Risks) > 0 {
		add("contradictory", "control %s is excluded but treats risk %s", e.Control, strings.Join(e.Risks, ", "))
	}
	return out
}

// SoASummary counts the entries of an SoA for its page and exports.
type SoASummary struct {
	Controls      int `json:"controls"`
	Decided       int `json:"decided"`
	Applicable    int `json:"applicable"`
	Excluded      int `json:"excluded"`
	Implemented   int `json:"implemented"`
	Incomplete    int `json:"incomplete"`    // entries with at least one incomplete issue
	Contradictory int `json:"contradictory"` // entries with a contradiction
}

// Summarise counts the entries and lists every issue, in the entries' order.
func Summarise(entries []SoAEntry) (SoASummary, []SoAIssue) {
	s := SoASummary{Controls: len(entries)}
	var issues []SoAIssue
	for _, e := range entries {
		if e.Decided() {
			s.Decided++
		}
		if e.Applicable != nil && *e.Applicable {
			s.Applicable++
			if e.Status == SoAImplemented {
				s.Implemented++
			}
		}
		if e.Excluded() {
			s.Excluded++
		}
		found := e.Issues()
		var incomplete, contradictory bool
		for _, is := range found {
			incomplete = incomplete || is.Kind == "incomplete"
			contradictory = contradictory || is.Kind == "contradictory"
		}
		if incomplete {
			s.Incomplete++
		}
		if contradictory {
			s.Contradictory++
		}
		issues = append(issues, found...)
	}
	return s, issues
}

// SoAVersion is an approved, immutable SoA.
type SoAVersion struct {
	Number       int        `json:"number"`
	ApprovedBy   string     `json:"approved_by"` // the approver's name, as it was
	ApprovedByID string     `json:"-"`
	ApprovedAt   time.Time  `json:"approved_at"`
	Comment      string     `json:"comment"`
	Hash         string     `json:"hash"` // SoAHash of Entries
	Summary      SoASummary `json:"summary"`
	Entries      []SoAEntry `json:"entries,omitempty"`
}

// canonicalEntry is what an approval vouches for: the decision, not bookkeeping (versions, times, names).
type canonicalEntry struct {
	Control       string   `json:"control"`
	Applicable    *bool    `json:"applicable"`
	Justification string   `json:"justification"`
	Reasons       []string `json:"reasons"`
	Status        string   `json:"status"`
	Owner         string   `json:"owner"`
	Notes         string   `json:"notes"`
	Risks         []string `json:"risks"`
}

// CanonicalSoA is the byte form an SoA hash is taken over: entries in the given order (the catalog's), each
// with its decision fields only, reasons as AllReasons gives them and risks sorted.
func CanonicalSoA(entries []SoAEntry) []byte {
	out := make([]canonicalEntry, len(entries))
	for i, e := range entries {
		risks := slices.Clone(e.Risks)
		slices.Sort(risks)
		out[i] = canonicalEntry{Control: e.Control, Applicable: e.Applicable, Justification: e.Justification,
			Reasons: nonNil(e.AllReasons()), Status: e.Status, Owner: e.Owner, Notes: e.Notes, Risks: nonNil(risks)}
	}
	b, _ := json.Marshal(out) // plain structs of strings and bools cannot fail to marshal
	return b
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SoAHash is the hex SHA-256 of CanonicalSoA.
func SoAHash(entries []SoAEntry) string {
	return ContentHash(CanonicalSoA(entries))
}

// SoAChange is one field of one control that differs between two SoAs.
type SoAChange struct {
	Control string `json:"control"`
	Title   string `json:"title"`
	Field   string `json:"field"` // applicable, justification, reasons, status, owner, notes, risks
	Before  string `json:"before"`
	After   string `json:"after"`
}

// DiffSoA lists what changed from a to b, control by control in b's order (controls only in a come last).
func DiffSoA(a, b []SoAEntry) []SoAChange {
	old := make(map[string]SoAEntry, len(a))
	for _, e := range a {
		old[e.Control] = e
	}
	var out []SoAChange
	seen := make(map[string]bool, len(b))
	for _, e := range b {
		seen[e.Control] = true
		out = append(out, diffEntry(old[e.Control], e)...)
	}
	for _, e := range a {
		if !seen[e.Control] {
			out = append(out, diffEntry(e, SoAEntry{Control: e.Control, Title: e.Title})...)
		}
	}
	return out
}

func diffEntry(a, b SoAEntry) []SoAChange {
	title := b.Title
	if title == "" {
		title = a.Title
	}
	var out []SoAChange
	field := func(name, before, after string) {
		if before != after {
			out = append(out, SoAChange{Control: b.Control, Title: title, Field: name, Before: before, After: after})
		}
	}
	field("applicable", a.Applicability(), b.Applicability())
	field("justification", a.Justification, b.Justification)
	field("reasons", strings.Join(a.AllReasons(), ", "), strings.Join(b.AllReasons(), ", "))
	field("status", a.Status, b.Status)
	field("owner", a.Owner, b.Owner)
	field("notes", a.Notes, b.Notes)
	ar, br := slices.Clone(a.Risks), slices.Clone(b.Risks)
	slices.Sort(ar)
	slices.Sort(br)
	field("risks", strings.Join(ar, ", "), strings.Join(br, ", "))
	return out
}
