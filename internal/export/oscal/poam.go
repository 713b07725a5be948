package oscal

import (
	"fmt"
	"slices"
	"strings"
	"time"

	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/isms"
)

// POAM exports open corrective actions as an OSCAL plan of action and milestones: one item per action, with its
// nonconformity, owner, due date (the milestone), status and effectiveness check as props, and the correction,
// root cause and action as its description. UUIDs follow the organisation and the references. The document is
// validated before it is returned.
func POAM(org isms.Organisation, actions []isms.CorrectiveAction, now time.Time) ([]byte, error) {
	if len(actions) == 0 {
		return nil, isms.Invalid(isms.FieldError{Field: "corrective", Message: "no open corrective action: an OSCAL plan of action lists at least one"})
	}
	id := stableID(org, "poam")
	items := make([]oscalTypes.PoamItem, 0, len(actions))
	for _, c := range actions {
		props := []oscalTypes.Property{prop("ref", c.Ref), prop("status", c.Status)}
		for name, v := range map[string]string{"finding": c.Finding, "owner": c.OwnerName, "due": c.Due, "check-result": c.CheckResult} {
			if v != "" {
				props = append(props, prop(name, v))
			}
		}
		// after ref and status, by name: the output does not follow the map's order
		slices.SortFunc(props[2:], func(a, b oscalTypes.Property) int { return strings.Compare(a.Name, b.Name) })
		desc := c.Title
		for _, part := range [][2]string{{"Correction", c.Correction}, {"Root cause", c.RootCause}, {"Action", c.Action}} {
			if part[1] != "" {
				desc += "\n\n" + part[0] + ": " + part[1]
			}
		}
		remarks := ""
		if c.Due != "" {
			remarks = "Milestone: done by " + c.Due + "."
		}
		items = append(items, oscalTypes.PoamItem{UUID: id("poam-item/" + c.Ref), Title: c.Ref + " " + c.Title, Description: desc,
			Props: &props, Remarks: remarks})
	}
	doc := oscalTypes.OscalCompleteSchema{PlanOfActionAndMilestones: &oscalTypes.PlanOfActionAndMilestones{
		UUID: id("poam"),
		Metadata: oscalTypes.Metadata{Title: "Corrective actions of " + org.Name, LastModified: now.UTC().Truncate(time.Second),
			Version: now.UTC().Format(time.DateOnly), OscalVersion: OSCALVersion,
			Remarks: fmt.Sprintf("The %d corrective actions (ISO/IEC 27001:2022 clause 10.2) not yet closed.", len(actions))},
		SystemId:  &oscalTypes.SystemId{IdentifierType: "https://praxis.dev", ID: firstOf(org.Slug, org.ID, org.Name)},
		PoamItems: items,
	}}
	return marshalValid("plan of action and milestones", doc)
}
