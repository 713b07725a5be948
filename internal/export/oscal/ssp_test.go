package oscal

import (
	"encoding/json"
	"strings"
	"testing"

	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/isms"
)

// TestSSPDraft: a draft is named "draft", has no approver, and its document UUID follows its content, so that a
// changed SoA is a new document while the same one gives the same bytes.
func TestSSPDraft(t *testing.T) {
	yes := true
	org := isms.Organisation{ID: "o1", Slug: "acme", Name: "Acme Ltd"}
	entries := []isms.SoAEntry{{Control: "5.1", Applicable: &yes, Justification: "Policies steer everything.", Status: isms.SoANotStarted}}
	out, err := SSP(org, entries, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	var doc oscalTypes.OscalCompleteSchema
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	ssp := doc.SystemSecurityPlan
	if ssp.Metadata.Version != "draft" || len(*ssp.Metadata.Parties) != 1 || ssp.Metadata.Published != nil {
		t.Errorf("draft metadata %+v", ssp.Metadata)
	}
	req := ssp.ControlImplementation.ImplementedRequirements[0]
	if req.ControlId != "a5-1" || (*req.ByComponents)[0].ImplementationStatus.State != "planned" ||
		(*req.ByComponents)[0].ComponentUuid != ssp.SystemImplementation.Components[0].UUID {
		t.Errorf("requirement %+v", req)
	}
	if !strings.Contains(ssp.ControlImplementation.Description, "draft, not approved") {
		t.Errorf("description %q", ssp.ControlImplementation.Description)
	}
	entries[0].Justification = "Policies steer everything we do."
	changed, err := SSP(org, entries, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	var doc2 oscalTypes.OscalCompleteSchema
	_ = json.Unmarshal(changed, &doc2)
	if doc2.SystemSecurityPlan.UUID == ssp.UUID {
		t.Error("a changed SoA kept its document UUID")
	}
}
