package oscal

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/defenseunicorns/go-oscal/src/pkg/uuid"
	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/isms"
)

// stableID gives the UUIDs of an organisation's documents of one kind: the same organisation and part (a
// finding's or an action's reference) always gives the same UUID, so that a tool importing exports over time
// recognises its items.
func stableID(org isms.Organisation, kind string) func(part string) string {
	seed := fmt.Sprintf("https://praxis.dev/oscal/%s/%s", kind, firstOf(org.ID, org.Slug, org.Name))
	return func(part string) string { return uuid.NewUUIDWithSource(seed + "/" + part) }
}

// findingTarget is what a finding is held against as an OSCAL target: the Annex A control when it names one
// (a8-28, the catalog's ids), else the clause (clause-8-1).
func findingTarget(f isms.Finding) (id, title string) {
	if f.Control != "" {
		return ControlID(f.Control), "Annex A control " + f.Control
	}
	return "clause-" + strings.ReplaceAll(f.Clause, ".", "-"), "Clause " + f.Clause
}

// AssessmentResults exports findings as OSCAL assessment results: one result (an audit's, when scope names it:
// "AU-001 Internal audit 2026"; else all findings) whose findings say what each was held against and whether
// it is a nonconformity (not-satisfied) or an observation or opportunity (satisfied, the grade as a prop).
// UUIDs follow the organisation and the references. The document is validated before it is returned.
func AssessmentResults(org isms.Organisation, scope string, findings []isms.Finding, now time.Time) ([]byte, error) {
	if len(findings) == 0 {
		return nil, isms.Invalid(isms.FieldError{Field: "findings", Message: "no finding to export: OSCAL assessment results list at least one"})
	}
	id := stableID(org, "assessment-results/"+firstOf(scope, "all"))
	start := now.UTC().Truncate(time.Second)
	var out []oscalTypes.Finding
	for _, f := range findings {
		if d, err := time.Parse(time.DateOnly, f.RaisedOn); err == nil && d.Before(start) {
			start = d
		}
		target, title := findingTarget(f)
		state := "satisfied"
		if isms.Nonconformity(f.Grade) {
			state = "not-satisfied"
		}
		props := []oscalTypes.Property{prop("ref", f.Ref), prop("grade", f.Grade), prop("status", f.Status), prop("source", f.Source)}
		if f.Audit != "" {
			props = append(props, prop("audit", f.Audit))
		}
		out = append(out, oscalTypes.Finding{UUID: id("finding/" + f.Ref), Title: f.Ref + " " + f.Title,
			Description: firstOf(f.Description, f.Title), Props: &props, Remarks: f.EvidenceSeen,
			Target: oscalTypes.FindingTarget{Type: "objective-id", TargetId: target, Title: title,
				Status: oscalTypes.ObjectiveStatus{State: state, Reason: map[string]string{"satisfied": "pass", "not-satisfied": "fail"}[state]}}})
	}
	orgParty, plan := id("party/organisation"), id("resource/assessment-plan")
	title := "Findings of " + org.Name
	if scope != "" {
		title = "Findings of " + scope
	}
	doc := oscalTypes.OscalCompleteSchema{AssessmentResults: &oscalTypes.AssessmentResults{
		UUID: id("assessment-results"),
		Metadata: oscalTypes.Metadata{Title: title, LastModified: now.UTC().Truncate(time.Second), Version: now.UTC().Format(time.DateOnly),
			OscalVersion: OSCALVersion, Parties: &[]oscalTypes.Party{{UUID: orgParty, Type: "organization", Name: org.Name}}},
		ImportAp: oscalTypes.ImportAp{Href: "#" + plan},
		Results: []oscalTypes.Result{{UUID: id("result"), Title: title, Start: start,
			Description:      fmt.Sprintf("%d findings raised against the ISMS of %s under ISO/IEC 27001:2022.", len(findings), org.Name),
			ReviewedControls: oscalTypes.ReviewedControls{ControlSelections: []oscalTypes.AssessedControls{{IncludeAll: &oscalTypes.IncludeAll{}}}},
			Findings:         &out}},
		BackMatter: &oscalTypes.BackMatter{Resources: &[]oscalTypes.Resource{{UUID: plan, Title: "Audit plan",
			Description: "The audit programme and plans are kept in praxis; they are not exported as an OSCAL assessment plan."}}},
	}}
	return marshalValid("assessment results", doc)
}

// marshalValid is the JSON of an OSCAL document, validated.
func marshalValid(what string, doc oscalTypes.OscalCompleteSchema) ([]byte, error) {
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("oscal %s: %w", what, err)
	}
	if err := Validate(out); err != nil {
		return nil, fmt.Errorf("oscal %s: %w", what, err)
	}
	return out, nil
}
