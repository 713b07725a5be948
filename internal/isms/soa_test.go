package isms

import (
	"strings"
	"testing"
)

func yes() *bool { t := true; return &t }
func no() *bool  { f := false; return &f }

func TestSoAEntryCheckRefusesWhatCannotBeSaved(t *testing.T) {
	cases := []struct {
		name  string
		entry SoAEntry
		field string
		want  string
	}{
		{"decision without justification", SoAEntry{Control: "7.3", Applicable: no()}, "justification", "7.3"},
		{"applicable without status", SoAEntry{Control: "8.28", Applicable: yes(), Justification: "we write code"}, "status", "8.28"},
		{"excluded while treating risks", SoAEntry{Control: "8.28", Applicable: no(), Justification: "x", Risks: []string{"R-001", "R-007"}}, "applicable", "R-001, R-007"},
		{"typed risk reason", SoAEntry{Control: "5.1", Reasons: []string{ReasonRisk}}, "reasons", "derived"},
		{"unknown reason", SoAEntry{Control: "5.1", Reasons: []string{"whim"}}, "reasons", "whim"},
		{"unknown status", SoAEntry{Control: "5.1", Status: "done"}, "status", "done"},
	}
	for _, c := range cases {
		err := c.entry.Check()
		e, ok := AsError(err)
		if !ok || len(e.Fields) == 0 {
			t.Errorf("%s: err = %v, want a field error", c.name, err)
			continue
		}
		if e.Fields[0].Field != c.field || !strings.Contains(e.Fields[0].Message, c.want) {
			t.Errorf("%s: got %+v, want field %s mentioning %q", c.name, e.Fields, c.field, c.want)
		}
	}
	ok := SoAEntry{Control: "8.28", Applicable: yes(), Justification: "we write code", Status: SoAPartial, Reasons: []string{ReasonContractual}, Risks: []string{"R-001"}}
	if err := ok.Check(); err != nil {
		t.Errorf("a complete entry was refused: %v", err)
	}
	if err := (SoAEntry{Control: "5.1"}).Check(); err != nil {
		t.Errorf("an undecided entry may be saved: %v", err)
	}
}

func TestSummariseCountsAndListsIssues(t *testing.T) {
	entries := []SoAEntry{
		{Control: "5.1", Applicable: yes(), Justification: "policy", Status: SoAImplemented},
		{Control: "7.3", Applicable: no(), Justification: "remote-first"},
		{Control: "7.4"},
		{Control: "8.28", Applicable: no(), Justification: "none", Risks: []string{"R-002"}},
	}
	s, issues := Summarise(entries)
	want := SoASummary{Controls: 4, Decided: 3, Applicable: 1, Excluded: 2, Implemented: 1, Incomplete: 1, Contradictory: 1}
	if s != want {
		t.Errorf("summary = %+v, want %+v", s, want)
	}
	if len(issues) != 3 || issues[0].Control != "7.4" || issues[2].Kind != "contradictory" || !strings.Contains(issues[2].Message, "R-002") {
		t.Errorf("issues = %+v", issues)
	}
}

func TestSoAHashCoversDecisionsOnly(t *testing.T) {
	a := []SoAEntry{{Control: "5.1", Applicable: yes(), Justification: "j", Status: SoAPlanned, Risks: []string{"R-2", "R-1"}, Version: 3}}
	b := []SoAEntry{{Control: "5.1", Applicable: yes(), Justification: "j", Status: SoAPlanned, Risks: []string{"R-1", "R-2"}, Version: 9, OwnerName: "renamed"}}
	if SoAHash(a) != SoAHash(b) {
		t.Error("bookkeeping (version, owner name, risk order) changed the hash")
	}
	b[0].Status = SoAImplemented
	if SoAHash(a) == SoAHash(b) {
		t.Error("a status change left the hash unchanged")
	}
	if len(SoAHash(a)) != 64 {
		t.Errorf("hash %q is not hex SHA-256", SoAHash(a))
	}
}

func TestDiffSoANamesEachChangedField(t *testing.T) {
	a := []SoAEntry{{Control: "7.3", Title: "Securing offices", Applicable: yes(), Justification: "office", Status: SoAPlanned}, {Control: "5.1", Applicable: yes(), Justification: "p", Status: SoAImplemented}}
	b := []SoAEntry{{Control: "7.3", Title: "Securing offices", Applicable: no(), Justification: "remote-first"}, {Control: "5.1", Applicable: yes(), Justification: "p", Status: SoAImplemented}}
	got := DiffSoA(a, b)
	fields := []string{}
	for _, c := range got {
		if c.Control != "7.3" || c.Title != "Securing offices" {
			t.Errorf("unexpected change %+v", c)
		}
		fields = append(fields, c.Field+":"+c.Before+">"+c.After)
	}
	want := "applicable:yes>no justification:office>remote-first status:planned>"
	if strings.Join(fields, " ") != want {
		t.Errorf("diff = %q, want %q", strings.Join(fields, " "), want)
	}
}

func TestParseApplicable(t *testing.T) {
	for in, want := range map[string]string{"Yes": "yes", " n ": "no", "TRUE": "yes", "0": "no", "": "undecided", "undecided": "undecided"} {
		a, ok := ParseApplicable(in)
		if !ok || (SoAEntry{Applicable: a}).Applicability() != want {
			t.Errorf("ParseApplicable(%q) = %v %v, want %s", in, a, ok, want)
		}
	}
	if _, ok := ParseApplicable("maybe"); ok {
		t.Error("maybe was read as an answer")
	}
}
