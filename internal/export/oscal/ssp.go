package oscal

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/defenseunicorns/go-oscal/src/pkg/uuid"
	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/isms"
)

// sspStates maps an SoA implementation status to the OSCAL implementation-status state. OSCAL has no "not
// started": such a control is planned, and the praxis status travels beside it in a namespaced prop.
var sspStates = map[string]string{
	isms.SoANotStarted:  "planned",
	isms.SoAPlanned:     "planned",
	isms.SoAPartial:     "partial",
	isms.SoAImplemented: "implemented",
}

// SSP exports a Statement of Applicability as an OSCAL system security plan of the organisation's ISMS. Its
// control implementation lists the applicable controls only, each with its status, reasons, risks and owner as
// props and its justification as remarks; excluded and undecided controls are left out (the description says
// how many). version nil is the current draft. UUIDs are derived from the organisation, the version and the
// content hash, so the same SoA gives the same bytes. The document is validated before it is returned.
func SSP(org isms.Organisation, entries []isms.SoAEntry, version *isms.SoAVersion, now time.Time) ([]byte, error) {
	label, hash := "draft", isms.SoAHash(entries)
	if version != nil {
		label, hash = strconv.Itoa(version.Number), version.Hash
	}
	seed := fmt.Sprintf("https://praxis.dev/oscal/ssp/%s/%s/%s", firstOf(org.ID, org.Slug, org.Name), label, hash)
	id := func(part string) string { return uuid.NewUUIDWithSource(seed + "/" + part) }

	system := id("component/this-system")
	var reqs []oscalTypes.ImplementedRequirement
	excluded, undecided := 0, 0
	for _, e := range entries {
		switch {
		case e.Applicable == nil:
			undecided++
			continue
		case !*e.Applicable:
			excluded++
			continue
		}
		reqs = append(reqs, requirement(e, system, id))
	}
	if len(reqs) == 0 {
		return nil, isms.Invalid(isms.FieldError{Field: "applicable",
			Message: "no control is applicable yet: an OSCAL system security plan lists at least one applicable control"})
	}

	orgParty := id("party/organisation")
	meta := oscalTypes.Metadata{
		Title:              "Statement of Applicability of " + org.Name,
		LastModified:       now.UTC().Truncate(time.Second),
		Version:            label,
		OscalVersion:       OSCALVersion,
		Roles:              &[]oscalTypes.Role{{ID: "maintainer", Title: "Organisation that maintains the ISMS"}},
		Parties:            &[]oscalTypes.Party{{UUID: orgParty, Type: "organization", Name: org.Name}},
		ResponsibleParties: &[]oscalTypes.ResponsibleParty{{RoleId: "maintainer", PartyUuids: []string{orgParty}}},
		Props:              &[]oscalTypes.Property{prop("content-hash", hash)},
	}
	if version != nil {
		approver := id("party/approver")
		published := version.ApprovedAt.UTC().Truncate(time.Second)
		meta.Published = &published
		*meta.Roles = append(*meta.Roles, oscalTypes.Role{ID: "approver", Title: "Approver of the Statement of Applicability"})
		*meta.Parties = append(*meta.Parties, oscalTypes.Party{UUID: approver, Type: "person", Name: version.ApprovedBy})
		*meta.ResponsibleParties = append(*meta.ResponsibleParties, oscalTypes.ResponsibleParty{RoleId: "approver", PartyUuids: []string{approver}})
		meta.Remarks = version.Comment
	}

	catalogRef := id("resource/catalog")
	doc := oscalTypes.OscalCompleteSchema{SystemSecurityPlan: &oscalTypes.SystemSecurityPlan{
		UUID:          id("ssp"),
		Metadata:      meta,
		ImportProfile: oscalTypes.ImportProfile{Href: "#" + catalogRef},
		SystemCharacteristics: oscalTypes.SystemCharacteristics{
			SystemIds:   []oscalTypes.SystemId{{IdentifierType: "https://praxis.dev", ID: firstOf(org.Slug, org.ID, org.Name)}},
			SystemName:  org.Name,
			Description: fmt.Sprintf("The information security management system of %s under ISO/IEC 27001:2022.", org.Name),
			SystemInformation: oscalTypes.SystemInformation{InformationTypes: []oscalTypes.InformationType{{
				UUID:        id("information-type/isms"),
				Title:       "Information in the scope of the ISMS",
				Description: "The information the ISMS protects, as its scope and asset register define it.",
			}}},
			Status:                oscalTypes.Status{State: "operational"},
			AuthorizationBoundary: oscalTypes.AuthorizationBoundary{Description: "The scope of the ISMS as " + org.Name + " defines it."},
		},
		SystemImplementation: oscalTypes.SystemImplementation{
			Users: []oscalTypes.SystemUser{{UUID: id("user/members"), Title: "Members of the ISMS"}},
			Components: []oscalTypes.SystemComponent{{
				UUID: system, Type: "this-system", Title: org.Name + " ISMS",
				Description: "The ISMS as a whole: the controls of the Statement of Applicability apply to it.",
				Status:      oscalTypes.SystemComponentStatus{State: "operational"},
			}},
		},
		ControlImplementation: oscalTypes.ControlImplementation{
			Description: fmt.Sprintf("The %d Annex A controls %s decided applicable in its Statement of Applicability (%s). "+
				"The %d excluded and %d undecided controls are not listed.", len(reqs), org.Name, versionWords(version), excluded, undecided),
			ImplementedRequirements: reqs,
		},
		BackMatter: &oscalTypes.BackMatter{Resources: &[]oscalTypes.Resource{{
			UUID:        catalogRef,
			Title:       "ISO/IEC 27001:2022 Annex A",
			Description: "The catalog the control ids refer to: praxis exports it as OSCAL with `praxis catalog export --format oscal`.",
		}}},
	}}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("oscal ssp: %w", err)
	}
	if err := Validate(out); err != nil {
		return nil, fmt.Errorf("oscal ssp: %w", err)
	}
	return out, nil
}

// requirement is one applicable control: its status, reasons, risks and owner as props, its justification as
// remarks, and how far the ISMS as a whole (the system component) implements it, when the entry says.
func requirement(e isms.SoAEntry, system string, id func(string) string) oscalTypes.ImplementedRequirement {
	props := []oscalTypes.Property{prop("label", e.Control)}
	if e.Status != "" {
		props = append(props, prop("implementation-status", e.Status))
	}
	for _, r := range e.AllReasons() {
		props = append(props, prop("reason", r))
	}
	for _, r := range e.Risks {
		props = append(props, prop("risk", r))
	}
	if e.Owner != "" {
		props = append(props, prop("owner", e.Owner))
	}
	if e.OwnerName != "" {
		props = append(props, prop("owner-name", e.OwnerName))
	}
	r := oscalTypes.ImplementedRequirement{
		UUID:      id("requirement/" + e.Control),
		ControlId: ControlID(e.Control),
		Props:     &props,
		Remarks:   e.Justification,
	}
	if state, ok := sspStates[e.Status]; ok {
		r.ByComponents = &[]oscalTypes.ByComponent{{
			UUID:                 id("by-component/" + e.Control),
			ComponentUuid:        system,
			Description:          "Implementation status: " + isms.SoAStatusNames[e.Status] + ".",
			ImplementationStatus: &oscalTypes.ImplementationStatus{State: state},
		}}
	}
	return r
}

// versionWords names an SoA version: "version 2" or "draft, not approved".
func versionWords(v *isms.SoAVersion) string {
	if v == nil {
		return "draft, not approved"
	}
	return "version " + strconv.Itoa(v.Number)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
