package isms

import "time"

// Severity is how much a lint finding matters to a certification auditor.
type Severity string

// The severities, most serious first: a major finding would stop certification (praxis lint exits 1), a minor
// one would be raised as a nonconformity or observation, info is worth knowing.
const (
	Major Severity = "major"
	Minor Severity = "minor"
	Info  Severity = "info"
)

// Severities lists the severities, most serious first.
var Severities = []Severity{Major, Minor, Info}

// Rank orders severities: 0 for major, 1 minor, 2 info, 3 for anything else.
func (s Severity) Rank() int {
	for i, v := range Severities {
		if v == s {
			return i
		}
	}
	return len(Severities)
}

// RoadmapStep is one of the eight steps of the way to certification.
type RoadmapStep struct {
	Number  int    `json:"number"`
	Name    string `json:"name"`
	Clauses string `json:"clauses"` // what of the standard the step is about, in words ("clause 4")
	Link    string `json:"link"`    // where in the product the step's work is done
}

// Roadmap is the way to certification: every readiness measure and lint rule belongs to one of these steps.
var Roadmap = []RoadmapStep{
	{1, "Leadership commitment", "clause 5 and objectives (6.2)", "/roles"},
	{2, "Scope", "clause 4", "/scope"},
	{3, "Risk assessment and treatment", "clauses 6.1, 8.2 and 8.3", "/risks"},
	{4, "Statement of Applicability", "clause 6.1.3 d", "/soa"},
	{5, "Control implementation", "clause 8.1 and Annex A", "/tasks"},
	{6, "Training and documentation", "clause 7", "/training"},
	{7, "Internal audit and management review", "clauses 9 and 10", "/audits"},
	{8, "Certification audit", "Stage 1 and Stage 2 by the certification body", "/certification"},
}

// Rule is one check an auditor would make, with a stable id that users acknowledge findings by and scripts
// match on. Ref is the clause or Annex A control it is about (6.1.2, A.8.28).
type Rule struct {
	ID       string   `json:"id"`
	Step     int      `json:"step"`
	Severity Severity `json:"severity"`
	Ref      string   `json:"ref"`
	Title    string   `json:"title"` // what the rule checks, in a few words
}

// LintFinding is one thing an auditor would raise, found in the organisation's data today. Ref is the clause
// or control concerned, or the record when the finding is about one (R-001, DOC-003); a finding is
// acknowledged by its rule and ref.
type LintFinding struct {
	Rule         string           `json:"rule"`
	Severity     Severity         `json:"severity"`
	Ref          string           `json:"ref"`
	Message      string           `json:"message"`
	Link         string           `json:"link"`
	Step         int              `json:"step"`
	Count        int              `json:"count,omitempty"` // how many records it is about, when more than one
	Acknowledged *LintAcknowledge `json:"acknowledged,omitempty"`
}

// LintAcknowledge is a member's statement that a finding is known and handled, until a day.
type LintAcknowledge struct {
	ID        string    `json:"-"`
	Rule      string    `json:"rule"`
	Ref       string    `json:"ref"`
	Reason    string    `json:"reason"`
	ExpiresOn string    `json:"expires_on"` // YYYY-MM-DD, the last day it holds
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// LintReport is every finding of a run, most serious first, and how many of each severity are not
// acknowledged.
type LintReport struct {
	Findings []LintFinding `json:"findings"`
	Major    int           `json:"major"`
	Minor    int           `json:"minor"`
	Info     int           `json:"info"`
	At       time.Time     `json:"at"`
}

// Failed reports whether the report should fail a build: any major finding not acknowledged.
func (r LintReport) Failed() bool { return r.Major > 0 }

// Measure is one thing a roadmap step counts: Done of Total (a yes/no measure has Total 1). A measure with
// Total 0 does not apply yet and does not weigh in the step's percentage.
type Measure struct {
	Label string `json:"label"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Link  string `json:"link,omitempty"`
}

// Percent is Done of Total as a whole percentage, rounded down so that 99.9% never shows as done.
func (m Measure) Percent() int {
	if m.Total <= 0 {
		return 0
	}
	return m.Done * 100 / m.Total
}

// StepReadiness is one roadmap step as the data stands: its percentage, what it counts, and the next actions
// (its open lint findings, most serious first).
type StepReadiness struct {
	RoadmapStep
	Percent  int           `json:"percent"`
	Measures []Measure     `json:"measures"`
	Next     []LintFinding `json:"next"`
}

// Readiness is the roadmap as the data stands, with the overall percentage (the mean of the steps).
type Readiness struct {
	Steps   []StepReadiness `json:"steps"`
	Percent int             `json:"percent"`
	At      time.Time       `json:"at"`
}
