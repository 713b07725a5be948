package service

import (
	"reflect"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// A partial update fills what was not sent from the saved row by JSON name (inputOf): every field of an input
// must have a field of the same name and type on its row, or a PATCH that leaves it out would clear it.
func TestInputsMatchTheirRows(t *testing.T) {
	notOnRow := map[string]bool{"-": true, "note": true} // the request's fields sent; a risk's note goes into its history
	for _, pair := range [][2]any{{AssetInput{}, isms.Asset{}}, {PersonInput{}, isms.Person{}}, {RiskInput{}, isms.Risk{}}, {ActionInput{}, isms.TreatmentAction{}}, {SoAInput{}, isms.SoAEntry{}},
		{RoleInput{}, isms.ISMSRole{}}, {CommitmentInput{}, isms.Commitment{}}, {ObjectiveInput{}, isms.Objective{}},
		{IssueInput{}, isms.Issue{}}, {PartyInput{}, isms.Party{}}, {RequirementInput{}, isms.Requirement{}}, {ScopeInput{}, isms.Scope{}},
		{EvidenceInput{}, isms.Evidence{}},
		{CourseInput{}, isms.Course{}}, {TrainingInput{}, isms.TrainingRecord{}},
		{ReviewInput{}, isms.Review{}}, {ReviewActionInput{}, isms.ReviewAction{}}, {CorrectiveInput{}, isms.CorrectiveAction{}},
		{FindingInput{}, isms.Finding{}}, {AuditInput{}, isms.Audit{}},
		{MetricInput{}, isms.Metric{}}, {ImprovementInput{}, isms.Improvement{}}} {
		in, row := reflect.TypeOf(pair[0]), reflect.TypeOf(pair[1])
		rowFields := map[string]reflect.Type{}
		for i := range row.NumField() {
			rowFields[jsonName(row.Field(i))] = row.Field(i).Type
		}
		for i := range in.NumField() {
			f := in.Field(i)
			if name := jsonName(f); !notOnRow[name] && rowFields[name] != f.Type {
				t.Errorf("%s.%s (%q, %s): %s has no field of that JSON name and type", in.Name(), f.Name, name, f.Type, row.Name())
			}
		}
	}
}

// A saved row read back as an input, with nothing sent over it, is the row's own values; the fields sent replace
// them, an empty value included.
func TestOverlayKeepsWhatWasNotSent(t *testing.T) {
	now := time.Now()
	r := isms.Risk{ID: "x", Ref: "R-007", Title: "Flood", Description: "Basement", Assets: []string{"A-001"}, Threat: "Water", Vulnerability: "Low floor",
		Owner: "P-002", Likelihood: 2, Impact: 4, Treatment: isms.Treatment("share"), Controls: []string{"7.5"}, ResidualLikelihood: 1, ResidualImpact: 3,
		AcceptedAt: &now, Version: 6}
	got := overlay(inputOf[RiskInput](r), RiskInput{Version: 6}, nil)
	want := RiskInput{Title: "Flood", Description: "Basement", Assets: []string{"A-001"}, Threat: "Water", Vulnerability: "Low floor", Owner: "P-002",
		Likelihood: 2, Impact: 4, Treatment: "share", Controls: []string{"7.5"}, ResidualLikelihood: 1, ResidualImpact: 3, Version: 6}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("nothing sent:\n got %+v\nwant %+v", got, want)
	}
	got = overlay(inputOf[RiskInput](r), RiskInput{Impact: 5, Owner: "", Note: "checked", Version: 6}, SentOf("impact", "owner", "note"))
	want.Impact, want.Owner, want.Note = 5, "", "checked"
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("impact, owner and note sent:\n got %+v\nwant %+v", got, want)
	}
}
