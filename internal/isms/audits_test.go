package isms_test

import (
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The programme's coverage: an audit counts in the year of its actual (else planned) start, for the controls in
// its scope and the top clause of each clause; cancelled audits and audits outside the cycle count for nothing;
// what no audit covers is missing.
func TestProgrammeCoverage(t *testing.T) {
	audits := []isms.AuditScope{
		{Ref: "AU-001", Status: "completed", Day: "2025-10-01", Clauses: []string{"9.2", "9.3.1"}, Controls: []string{"8.28"}},
		{Ref: "AU-002", Status: "planned", Day: "2026-09-30", Clauses: []string{"4"}},                                // last day of year 1
		{Ref: "AU-003", Status: "cancelled", Day: "2027-01-10", Clauses: []string{"5"}},                              // cancelled
		{Ref: "AU-004", Status: "planned", Day: "2029-10-01", Clauses: []string{"6"}},                                // after the cycle
		{Ref: "AU-005", Status: "in-progress", Day: "2028-03-01", Clauses: []string{"9"}, Controls: []string{"5.1"}}, // year 3
		{Ref: "AU-006", Status: "planned", Day: "", Clauses: []string{"7"}},                                          // no date
	}
	c := isms.ProgrammeCoverage("2025-10-01", audits, []string{"4", "5", "6", "7", "9"}, []string{"5.1", "8.28"}, nil)
	if len(c.Years) != 3 || c.Years[0].To != "2026-09-30" || c.Years[2].From != "2027-10-01" || c.Years[2].To != "2028-09-30" {
		t.Fatalf("years: %+v", c.Years)
	}
	if !slices.Equal(c.Years[0].Audits, []string{"AU-001", "AU-002"}) || len(c.Years[1].Audits) != 0 || !slices.Equal(c.Years[2].Audits, []string{"AU-005"}) {
		t.Fatalf("audits per year: %+v", c.Years)
	}
	row := func(label string) isms.AuditCoverageRow {
		for _, r := range c.Rows {
			if r.Label() == label {
				return r
			}
		}
		t.Fatalf("no row %s", label)
		return isms.AuditCoverageRow{}
	}
	if r := row("Clause 9"); !slices.Equal(r.Years[0], []string{"AU-001"}) || !slices.Equal(r.Years[2], []string{"AU-005"}) || !r.Done {
		t.Fatalf("clause 9 (two sub-clauses of AU-001 count once): %+v", r)
	}
	if r := row("A.5.1"); r.Done || r.Missed || !slices.Equal(r.Years[2], []string{"AU-005"}) {
		t.Fatalf("5.1 planned, not done: %+v", r)
	}
	if !slices.Equal(c.Missing, []string{"Clause 5", "Clause 6", "Clause 7"}) {
		t.Fatalf("missing: %v", c.Missing)
	}
}

// An audit is completed only with every checklist item resulted and a conclusion.
func TestCompletionProblems(t *testing.T) {
	items := []isms.AuditItem{{Kind: "clause", Target: "9.2", Result: "conforms"}, {Kind: "control", Target: "8.28"}}
	p := isms.CompletionProblems(items, " ")
	if len(p) != 2 || p[0].Field != "checklist" || p[0].Message != "1 item(s) have no result yet: A.8.28" || p[1].Field != "conclusion" {
		t.Fatalf("problems: %+v", p)
	}
	items[1].Result = "not-audited"
	if p := isms.CompletionProblems(items, "Effective"); len(p) != 0 {
		t.Fatalf("complete: %+v", p)
	}
}
