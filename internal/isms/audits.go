package isms

import (
	"slices"
	"strings"
	"time"
)

// AuditStatuses are the states of an internal audit, in the order they are met.
var AuditStatuses = []string{"planned", "in-progress", "completed", "cancelled"}

// ItemResults are the results of a checklist item; an item without one has not been looked at yet.
var ItemResults = []string{"conforms", "nonconformity", "observation", "not-audited"}

// Audit is one internal audit (9.2.2): what it covers (scope, the clauses and controls in it), against what
// (criteria), which part of the organisation (area), who audits, when, and what it concluded.
type Audit struct {
	ID           string    `json:"id"`
	Ref          string    `json:"ref"`
	Title        string    `json:"title"`
	Scope        string    `json:"scope"`
	Criteria     string    `json:"criteria"`
	Area         string    `json:"area"`     // the team or department audited
	Clauses      []string  `json:"clauses"`  // catalog clause ids in scope
	Controls     []string  `json:"controls"` // 2022 control ids in scope
	LeadID       string    `json:"-"`
	Lead         string    `json:"lead"`      // the lead auditor's reference (P-001)
	LeadName     string    `json:"lead_name"` // name
	Team         []string  `json:"team"`      // the other auditors' references
	TeamNames    []string  `json:"team_names"`
	PlannedStart string    `json:"planned_start"` // YYYY-MM-DD
	PlannedEnd   string    `json:"planned_end"`
	ActualStart  string    `json:"actual_start"`
	ActualEnd    string    `json:"actual_end"`
	Status       string    `json:"status"`
	Conclusion   string    `json:"conclusion"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int       `json:"version"`
	// Warnings say where the audit's independence is in doubt (an auditor of their own area); derived, not stored.
	Warnings []string `json:"warnings"`
}

// Day is the day the audit counts for in the programme: its actual start, else its planned start.
func (a Audit) Day() string { return firstOf(a.ActualStart, a.PlannedStart) }

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// AuditItem is one line of an audit's checklist: a clause or a control in scope, what to look at (prompts,
// from the catalog) and what the auditor recorded.
type AuditItem struct {
	Position     int        `json:"position"`
	Kind         string     `json:"kind"`   // clause or control
	Target       string     `json:"target"` // the clause or control id
	Title        string     `json:"title"`
	Prompts      []string   `json:"prompts"`
	Result       string     `json:"result"` // "" until audited
	EvidenceSeen string     `json:"evidence_seen"`
	Notes        string     `json:"notes"`
	UpdatedBy    string     `json:"updated_by"`
	UpdatedAt    *time.Time `json:"updated_at"`
}

// Label is the item's target as people write it: "Clause 9.2" or "A.8.28".
func (i AuditItem) Label() string {
	if i.Kind == "control" {
		return "A." + i.Target
	}
	return "Clause " + i.Target
}

// Raises reports whether the item's result is one a finding is raised for.
func (i AuditItem) Raises() bool { return i.Result == "nonconformity" || i.Result == "observation" }

// CompletionProblems says why an audit with these items and conclusion cannot be completed: every item needs a
// result and the audit a conclusion.
func CompletionProblems(items []AuditItem, conclusion string) Problems {
	var p Problems
	var open []string
	for _, it := range items {
		if it.Result == "" {
			open = append(open, it.Label())
		}
	}
	if len(items) == 0 {
		p.Add("clauses", "an audit needs a clause or a control in scope before it can be completed")
	}
	if len(open) > 0 {
		p.Add("checklist", "%d item(s) have no result yet: %s", len(open), strings.Join(open, ", "))
	}
	if strings.TrimSpace(conclusion) == "" {
		p.Add("conclusion", "is required to complete the audit")
	}
	return p
}

// AuditProgramme is the organisation's internal audit programme (9.2.2): the three-year certification cycle,
// from CycleStart.
type AuditProgramme struct {
	CycleStart string    `json:"cycle_start"` // YYYY-MM-DD; "" until set
	Notes      string    `json:"notes"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int       `json:"version"` // 0 until first saved
}

// CycleYears is the length of a certification cycle.
const CycleYears = 3

// AuditScope is what the programme needs of one audit: when it counts, its state and what it covers.
type AuditScope struct {
	Ref, Title, Status, Day string
	Clauses, Controls       []string
}

// AuditCoverage is the programme's coverage over the cycle: per clause 4 to 10 and per applicable control, the
// audits of each year of the cycle that cover it.
type AuditCoverage struct {
	CycleStart string              `json:"cycle_start"`
	Years      []AuditCoverageYear `json:"years"`
	Rows       []AuditCoverageRow  `json:"rows"`
	// Missing are the rows no audit of the cycle covers ("Clause 7", "A.8.28").
	Missing []string `json:"missing"`
}

// AuditCoverageYear is one year of the cycle and its audits (references).
type AuditCoverageYear struct {
	Year   int      `json:"year"` // 1, 2, 3
	From   string   `json:"from"` // YYYY-MM-DD, inclusive
	To     string   `json:"to"`   // YYYY-MM-DD, inclusive
	Audits []string `json:"audits"`
}

// AuditCoverageRow is one clause or control and the audits that cover it in each year of the cycle.
type AuditCoverageRow struct {
	Kind   string     `json:"kind"` // clause or control
	ID     string     `json:"id"`
	Title  string     `json:"title"`
	Years  [][]string `json:"years"` // per year, the audits (references) covering it
	Done   bool       `json:"done"`  // a completed audit covers it
	Missed bool       `json:"missed"`
}

// Label is the row as people write it.
func (r AuditCoverageRow) Label() string {
	return AuditItem{Kind: r.Kind, Target: r.ID}.Label()
}

// TopClause is the clause a clause id belongs to: "9.2.1" belongs to "9".
func TopClause(id string) string {
	top, _, _ := strings.Cut(id, ".")
	return top
}

// ProgrammeCoverage is the one computation of the programme's coverage. Over the three years from cycleStart,
// every clause of clauses (the top clauses, 4 to 10) and every control of controls (the applicable ones) is to
// be covered by an audit at least once. An audit covers the controls in its scope and the top clause of every
// clause in its scope: auditing 9.2 counts for clause 9. Cancelled audits and audits outside the cycle count
// for nothing; an audit counts in the year of its actual start, else its planned start. titles names the rows.
func ProgrammeCoverage(cycleStart string, audits []AuditScope, clauses, controls []string, titles map[string]string) AuditCoverage {
	c := AuditCoverage{CycleStart: cycleStart, Rows: []AuditCoverageRow{}, Missing: []string{}, Years: []AuditCoverageYear{}}
	start, err := time.Parse("2006-01-02", cycleStart)
	if err != nil {
		return c
	}
	for y := range CycleYears {
		from, to := start.AddDate(y, 0, 0), start.AddDate(y+1, 0, -1)
		c.Years = append(c.Years, AuditCoverageYear{Year: y + 1, From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), Audits: []string{}})
	}
	index := map[string]int{}
	add := func(kind string, ids []string) {
		for _, id := range ids {
			index[kind+" "+id] = len(c.Rows)
			years := make([][]string, CycleYears)
			for y := range years {
				years[y] = []string{}
			}
			c.Rows = append(c.Rows, AuditCoverageRow{Kind: kind, ID: id, Title: titles[kind+" "+id], Years: years})
		}
	}
	add("clause", clauses)
	add("control", controls)
	for _, a := range audits {
		year := -1
		for i, y := range c.Years {
			if a.Day != "" && a.Day >= y.From && a.Day <= y.To {
				year = i
			}
		}
		if a.Status == "cancelled" || year < 0 {
			continue
		}
		c.Years[year].Audits = append(c.Years[year].Audits, a.Ref)
		var keys []string
		for _, cl := range a.Clauses {
			keys = append(keys, "clause "+TopClause(cl))
		}
		for _, ctl := range a.Controls {
			keys = append(keys, "control "+ctl)
		}
		for _, k := range keys {
			i, ok := index[k]
			if !ok || slices.Contains(c.Rows[i].Years[year], a.Ref) {
				continue
			}
			c.Rows[i].Years[year] = append(c.Rows[i].Years[year], a.Ref)
			c.Rows[i].Done = c.Rows[i].Done || a.Status == "completed"
		}
	}
	for i, r := range c.Rows {
		if slices.IndexFunc(r.Years, func(refs []string) bool { return len(refs) > 0 }) < 0 {
			c.Rows[i].Missed = true
			c.Missing = append(c.Missing, r.Label())
		}
	}
	return c
}
