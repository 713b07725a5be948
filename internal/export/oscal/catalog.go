// Package oscal writes praxis data as OSCAL 1.1.3 JSON with go-oscal's types, and validates every
// document against the OSCAL schema before handing it out.
package oscal

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/defenseunicorns/go-oscal/src/pkg/uuid"
	"github.com/defenseunicorns/go-oscal/src/pkg/validation"
	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/catalog"
)

const (
	// OSCALVersion is the schema version every document is written and validated against.
	OSCALVersion = "1.1.3"
	// NS qualifies the props and parts that OSCAL itself does not define.
	NS = "https://praxis.dev/ns/iso27002"
	// CatalogTitle is the metadata title of the exported catalog.
	CatalogTitle = "ISO/IEC 27001:2022 Annex A with praxis guidance"
)

// ControlID turns "5.1" into "a5-1": OSCAL ids are tokens that may not start with a digit, and a dash
// keeps them readable. The original id travels in the "label" prop.
func ControlID(id string) string { return "a" + strings.ReplaceAll(id, ".", "-") }

// Catalog exports the Annex A controls, their attributes and our guidance as an OSCAL catalog.
// UUIDs are derived from names (v5), so the same data, time and version give the same bytes.
func Catalog(c *catalog.Catalog, now time.Time, version string) ([]byte, error) {
	if strings.TrimSpace(version) == "" {
		return nil, errors.New("oscal catalog: version is required")
	}
	var groups []oscalTypes.Group
	for i, theme := range c.Themes() {
		groups = append(groups, oscalTypes.Group{
			ID:    theme,
			Class: "theme",
			Title: strings.ToUpper(theme[:1]) + theme[1:] + " controls",
			Props: &[]oscalTypes.Property{{Name: "label", Value: fmt.Sprint(5 + i)}},
		})
	}
	for _, ctl := range c.Controls() {
		for i := range groups {
			if groups[i].ID == ctl.Theme {
				if groups[i].Controls == nil {
					groups[i].Controls = &[]oscalTypes.Control{}
				}
				*groups[i].Controls = append(*groups[i].Controls, control(ctl))
			}
		}
	}

	doc := oscalTypes.OscalCompleteSchema{Catalog: &oscalTypes.Catalog{
		UUID: uuid.NewUUIDWithSource("https://praxis.dev/oscal/catalog/iso27001-2022/" + version),
		Metadata: oscalTypes.Metadata{
			Title:        CatalogTitle,
			LastModified: now.UTC().Truncate(time.Second),
			Version:      version,
			OscalVersion: OSCALVersion,
		},
		Groups: &groups,
	}}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("oscal catalog: %w", err)
	}
	if err := Validate(out); err != nil {
		return nil, fmt.Errorf("oscal catalog: %w", err)
	}
	return out, nil
}

func control(ctl catalog.Control) oscalTypes.Control {
	id := ControlID(ctl.ID)
	props := []oscalTypes.Property{{Name: "label", Value: ctl.ID}}
	for _, k := range catalog.AttributeKeys() {
		for _, v := range ctl.Attributes.Values(k) {
			props = append(props, prop(k, v))
		}
	}
	props = append(props, prop("new-in-2022", fmt.Sprint(ctl.NewIn2022)))
	for _, old := range ctl.Replaces {
		props = append(props, prop("replaces-2013", old))
	}
	for _, t := range ctl.TitleVariants {
		props = append(props, prop("alt-title", t))
	}
	g := ctl.Guidance
	if g == nil {
		return oscalTypes.Control{ID: id, Class: "iso27001-annex-a", Title: ctl.Title, Props: &props}
	}
	if g.Owner != "" {
		props = append(props, prop("owner", g.Owner))
	}
	for _, f := range g.Feeds {
		props = append(props, prop("feeds", f))
	}
	out := oscalTypes.Control{ID: id, Class: "iso27001-annex-a", Title: ctl.Title, Props: &props}

	var parts []oscalTypes.Part
	if g.Purpose != "" {
		parts = append(parts, oscalTypes.Part{ID: id + "_ovw", Name: "overview", Prose: g.Purpose})
	}
	if len(g.Steps) > 0 {
		parts = append(parts, oscalTypes.Part{ID: id + "_gdn", Name: "guidance", Parts: items(id+"_gdn", g.Steps)})
	}
	if len(g.Evidence) > 0 {
		parts = append(parts, oscalTypes.Part{ID: id + "_evd", Name: "evidence", Ns: NS, Title: "Evidence an auditor usually asks for",
			Parts: items(id+"_evd", g.Evidence)})
	}
	if g.ChangesIn2022 != "" {
		parts = append(parts, oscalTypes.Part{ID: id + "_chg", Name: "changes-2022", Ns: NS, Prose: g.ChangesIn2022})
	}
	if len(parts) > 0 {
		out.Parts = &parts
	}
	if len(g.Related) > 0 {
		links := []oscalTypes.Link{}
		for _, r := range g.Related {
			links = append(links, oscalTypes.Link{Href: "#" + ControlID(r), Rel: "related"})
		}
		out.Links = &links
	}
	return out
}

// prop makes a praxis-namespaced prop; OSCAL prop values are single-line, so whitespace is collapsed.
func prop(name, value string) oscalTypes.Property {
	return oscalTypes.Property{Name: name, Ns: NS, Value: strings.Join(strings.Fields(value), " ")}
}

func items(parent string, texts []string) *[]oscalTypes.Part {
	parts := make([]oscalTypes.Part, len(texts))
	for i, t := range texts {
		parts[i] = oscalTypes.Part{ID: fmt.Sprintf("%s.%d", parent, i+1), Name: "item", Prose: t}
	}
	return &parts
}

// Validate checks an OSCAL JSON document against the OSCAL 1.1.3 schema; the error lists the first
// few failing locations.
func Validate(doc []byte) error {
	v, err := validation.NewValidatorDesiredVersion(doc, OSCALVersion)
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if err := v.Validate(); err != nil {
		res, rerr := v.GetValidationResult()
		if rerr != nil || len(res.Errors) == 0 {
			return fmt.Errorf("invalid OSCAL %s: %w", OSCALVersion, err)
		}
		var msgs []string
		for i, e := range res.Errors {
			if i == 5 {
				msgs = append(msgs, fmt.Sprintf("and %d more", len(res.Errors)-5))
				break
			}
			msg := e.Error
			_ = json.Unmarshal([]byte(e.Error), &msg) // go-oscal hands the message over JSON-encoded
			msgs = append(msgs, fmt.Sprintf("%s: %s", e.InstanceLocation, msg))
		}
		return fmt.Errorf("invalid OSCAL %s: %s", OSCALVersion, strings.Join(msgs, "; "))
	}
	return nil
}
