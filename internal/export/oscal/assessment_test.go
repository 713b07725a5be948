package oscal

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/isms"
)

var acme = isms.Organisation{ID: "o1", Slug: "acme", Name: "Acme Ltd"}

// Findings as assessment results: valid OSCAL, a nonconformity not satisfied and an observation satisfied,
// targets from the control or the clause, and the same UUIDs on every export.
func TestAssessmentResults(t *testing.T) {
	findings := []isms.Finding{
		{Ref: "F-001", Title: "Leavers keep access", Grade: "major-nc", Status: "open", Source: "internal-audit", Control: "5.18", Audit: "AU-001", RaisedOn: "2026-02-01"},
		{Ref: "F-002", Title: "Tidy desks", Grade: "observation", Status: "open", Source: "internal-audit", Clause: "7.3", RaisedOn: "2026-02-02"},
	}
	out, err := AssessmentResults(acme, "AU-001 Internal audit", findings, now)
	if err != nil {
		t.Fatal(err)
	}
	var doc oscalTypes.OscalCompleteSchema
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	fs := *doc.AssessmentResults.Results[0].Findings
	if fs[0].Target.TargetId != "a5-18" || fs[0].Target.Status.State != "not-satisfied" || fs[1].Target.TargetId != "clause-7-3" || fs[1].Target.Status.State != "satisfied" {
		t.Fatalf("findings: %+v", fs)
	}
	again, err := AssessmentResults(acme, "AU-001 Internal audit", findings[:1], now.Add(3600e9))
	if err != nil {
		t.Fatal(err)
	}
	var doc2 oscalTypes.OscalCompleteSchema
	_ = json.Unmarshal(again, &doc2)
	if (*doc2.AssessmentResults.Results[0].Findings)[0].UUID != fs[0].UUID || doc2.AssessmentResults.UUID != doc.AssessmentResults.UUID {
		t.Fatal("a finding's UUID changed between exports")
	}
	if err := Validate(bytes.Replace(out, []byte(`"not-satisfied"`), []byte(`"half-satisfied"`), 1)); err == nil {
		t.Fatal("a corrupted assessment result passed validation")
	}
	if _, err := AssessmentResults(acme, "", nil, now); isms.ErrorKind(err) != isms.KindInvalid {
		t.Fatalf("no findings: %v", err)
	}
}

// Open corrective actions as a plan of action: valid, one item per action with its finding and due date,
// stable UUIDs; the validator refuses the document once corrupted.
func TestPOAM(t *testing.T) {
	actions := []isms.CorrectiveAction{{Ref: "CA-001", Title: "Automate leaver removal", Finding: "F-001", Status: "in-progress", Due: "2026-05-01",
		OwnerName: "Maya Patel", RootCause: "HR list not sent"}, {Ref: "CA-002", Title: "Access review", Status: "open"}}
	out, err := POAM(acme, actions, now)
	if err != nil {
		t.Fatal(err)
	}
	var doc oscalTypes.OscalCompleteSchema
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	items := doc.PlanOfActionAndMilestones.PoamItems
	if len(items) != 2 || !strings.Contains(items[0].Description, "Root cause: HR list not sent") || items[0].Remarks != "Milestone: done by 2026-05-01." {
		t.Fatalf("items: %+v", items)
	}
	again, _ := POAM(acme, actions[:1], now)
	var doc2 oscalTypes.OscalCompleteSchema
	_ = json.Unmarshal(again, &doc2)
	if doc2.PlanOfActionAndMilestones.PoamItems[0].UUID != items[0].UUID {
		t.Fatal("an item's UUID changed between exports")
	}
	corrupt := bytes.Replace(out, []byte(`"poam-items"`), []byte(`"poam-things"`), 1)
	if err := Validate(corrupt); err == nil {
		t.Fatal("a corrupted plan of action passed validation")
	}
	if _, err := POAM(acme, nil, now); isms.ErrorKind(err) != isms.KindInvalid {
		t.Fatalf("no actions: %v", err)
	}
}
