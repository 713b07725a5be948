package isms_test

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
)

func TestParseControl2013(t *testing.T) {
	for in, want := range map[string]string{
		"A.5.1.1": "A.5.1.1", "A 5.1.1": "A.5.1.1", "5.1.1": "A.5.1.1", "a.05.01.01": "A.5.1.1", " A.14.2.1 ": "A.14.2.1",
		"A5.1.1": "A.5.1.1", "Annex A.18.2.3": "A.18.2.3", "a. 12.1.2": "A.12.1.2",
	} {
		if got, ok := isms.ParseControl2013(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "5.1", "8.28", "A.5.1", "A.5.1.1.1", "B.5.1.1", "A.x.1.1", "A..1.1", "A.5.1.1a"} {
		if got, ok := isms.ParseControl2013(in); ok {
			t.Errorf("%q read as %q", in, got)
		}
	}
}

func TestLooseValues(t *testing.T) {
	for in, want := range map[string]string{"Yes": "yes", "N": "no", " TRUE ": "yes", "0": "no", "Not applicable": "no", "": "undecided"} {
		got, ok := isms.ParseLooseApplicable(in)
		if !ok || (isms.SoAEntry{Applicable: got}).Applicability() != want {
			t.Errorf("applicable %q: %v %v, want %s", in, got, ok, want)
		}
	}
	for in, want := range map[string]string{"Fully implemented": "implemented", "In progress": "partial", "Planned ": "planned",
		"not-started": "not-started", "IMPLEMENTED": "implemented", "": ""} {
		if got, ok := isms.ParseLooseStatus(in); !ok || got != want {
			t.Errorf("status %q: %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := isms.ParseLooseApplicable("perhaps"); ok {
		t.Error("perhaps read as an answer")
	}
}

// Whatever a cell holds, the parsers never panic, a control they read reads back as itself, and a status they
// read is one of the SoA's.
func FuzzTransitionValues(f *testing.F) {
	for _, s := range []string{"A.5.1.1", "a.05.01.01", "A 18.2.3", "Yes", "n", "In progress", "", "A.", "annex", "..", "A.1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := isms.ParseControl2013(s); ok {
			if again, ok2 := isms.ParseControl2013(id); !ok2 || again != id || !strings.HasPrefix(id, "A.") {
				t.Fatalf("%q read as %q, which reads as %q %v", s, id, again, ok2)
			}
		}
		if st, ok := isms.ParseLooseStatus(s); ok && st != "" && !isms.OneOf(st, isms.SoAStatuses) {
			t.Fatalf("%q read as status %q", s, st)
		}
		isms.ParseLooseApplicable(s)
	})
}

// Sources that agree are merged with each justification named; sources that disagree and new controls are
// marked; a decided entry is kept unless overwrite.
func TestPlanTransition(t *testing.T) {
	yes, no := true, false
	rows := map[string]isms.Transition2013Row{
		"A.1.1.1": {Control: "A.1.1.1", Applicable: &yes, Justification: "one", Status: isms.SoAImplemented},
		"A.1.1.2": {Control: "A.1.1.2", Applicable: &yes, Justification: "two", Status: isms.SoAPlanned},
		"A.2.1.1": {Control: "A.2.1.1", Applicable: &no, Justification: "not here"},
		"A.3.1.1": {Control: "A.3.1.1", Applicable: &yes, Justification: "same words", Status: isms.SoAImplemented},
		"A.3.1.2": {Control: "A.3.1.2", Applicable: &yes, Justification: "other words", Status: isms.SoAImplemented},
		"A.3.1.3": {Control: "A.3.1.3", Applicable: &yes, Justification: " same words", Status: isms.SoAImplemented},
	}
	targets := []isms.TransitionTarget{{Control: "1.1", Sources: []string{"A.1.1.1", "A.1.1.2"}}, {Control: "1.2", Sources: []string{"A.1.1.1", "A.2.1.1"}},
		{Control: "1.3"}, {Control: "1.4", Sources: []string{"A.2.1.1"}}, {Control: "1.5", Sources: []string{"A.9.9.9"}},
		{Control: "1.6", Sources: []string{"A.3.1.1", "A.3.1.2", "A.3.1.3"}}}
	decided := map[string]isms.SoAEntry{"1.4": {Control: "1.4", Applicable: &yes, Justification: "ours", Status: isms.SoAPartial}}
	plan, writes := isms.PlanTransition(targets, rows, decided, false)
	var got []string
	for _, c := range plan {
		got = append(got, c.Control+"="+c.Action())
	}
	if strings.Join(got, " ") != "1.1=merged 1.2=conflict 1.3=new 1.4=kept 1.5=unanswered 1.6=merged" || len(writes) != 2 {
		t.Fatalf("plan %v, writes %d", got, len(writes))
	}
	if !plan[4].Marked || !strings.Contains(plan[4].Note, "no answer for A.9.9.9") {
		t.Errorf("a control whose source the file lacks: %+v", plan[4])
	}
	if w := writes[0]; w.Justification != "A.1.1.1: one\nA.1.1.2: two" || w.Status != isms.SoAPlanned {
		t.Fatalf("merged %q %s", w.Justification, w.Status)
	}
	// Words several sources share are written once, naming each source.
	if w := writes[1]; w.Justification != "A.3.1.1, A.3.1.3: same words\nA.3.1.2: other words" {
		t.Fatalf("merged shared words %q", w.Justification)
	}
	if _, writes = isms.PlanTransition(targets, rows, decided, true); len(writes) != 3 || writes[1].Applicability() != "no" {
		t.Fatalf("overwrite writes %+v", writes)
	}
}
