package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// ControlQuery filters Annex A controls.
type ControlQuery struct {
	Theme  string   `query:"theme" doc:"Theme: organizational, people, physical or technological (any case)" maxLength:"100"`
	New    bool     `query:"new" doc:"Only the 11 controls new in 2022"`
	Attr   []string `query:"attr,explode" doc:"KEY=VALUE, repeatable and AND-ed; keys control_type, properties, concepts, capabilities, domains"`
	Search string   `query:"search" doc:"Words to find in titles, guidance and 2013 ids (all must match); an id such as 8.1 or A.14.2.1 matches that id exactly" maxLength:"200"`
}

type controlList struct {
	Items []catalog.Control `json:"items"`
	Total int               `json:"total"`
}

func (a *API) catalogRoutes() {
	tags := []string{"Catalog"}
	cat := func(ctx context.Context) (*catalog.Catalog, error) { return a.svc.Catalog(ctx) }
	op(a, huma.Operation{OperationID: "list-controls", Method: http.MethodGet, Path: "/catalog/controls", Summary: "List and filter the 93 Annex A controls", Tags: tags},
		func(ctx context.Context, in *ControlQuery) (*Body[controlList], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			f, err := service.ControlFilter(in.Theme, in.New, in.Attr, in.Search)
			if err != nil {
				return nil, problemIn("query", err)
			}
			items, err := service.FilterControls(c, f)
			if err != nil {
				return nil, problemIn("query", err)
			}
			return body(controlList{Items: items, Total: len(items)}), nil
		})
	op(a, huma.Operation{OperationID: "get-control", Method: http.MethodGet, Path: "/catalog/controls/{id}", Summary: "A control with its guidance", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id" doc:"2022 id, e.g. 8.28"`
		}) (*Body[catalog.Control], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			ctl, ok := c.Control(in.ID)
			if !ok {
				return nil, isms.NotFound("no Annex A control %q: 2022 ids run from 5.1 to 8.34; a 2013 id goes to /catalog/controls-2013/{id}", in.ID)
			}
			return body(ctl), nil
		})
	op(a, huma.Operation{OperationID: "list-clauses", Method: http.MethodGet, Path: "/catalog/clauses", Summary: "Clauses 4 to 10 and their sub-clauses", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[[]catalog.Clause], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			return body(c.Clauses()), nil
		})
	op(a, huma.Operation{OperationID: "get-clause", Method: http.MethodGet, Path: "/catalog/clauses/{id}",
		Summary: "One clause with what auditors check, its sub-clauses and the documented information it requires", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id" doc:"Clause id, e.g. 6.1.2"`
		}) (*Body[service.ClauseView], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			v, err := service.ClauseOf(c, in.ID)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "list-mapping", Method: http.MethodGet, Path: "/catalog/mapping", Summary: "The 114 controls of 2013 and what each became in 2022", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[[]catalog.Control2013], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			return body(c.Controls2013()), nil
		})
	op(a, huma.Operation{OperationID: "get-control-2013", Method: http.MethodGet, Path: "/catalog/controls-2013/{id}", Summary: "What a 2013 control became", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id" doc:"2013 id, e.g. A.14.2.1"`
		}) (*Body[service.Control2013View], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			v, err := service.Became(c, in.ID)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "get-coverage", Method: http.MethodGet, Path: "/catalog/coverage/{key}", Summary: "Controls per value of one attribute", Tags: tags},
		func(ctx context.Context, in *struct {
			Key string `path:"key" enum:"control_type,properties,concepts,capabilities,domains"`
		}) (*Body[[]catalog.CoverageRow], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			rows, err := c.Coverage(in.Key)
			if err != nil {
				return nil, isms.Invalid(isms.FieldError{Field: "key", Message: err.Error()})
			}
			return body(rows), nil
		})
	op(a, huma.Operation{OperationID: "list-mandatory-documents", Method: http.MethodGet, Path: "/catalog/mandatory-documents", Summary: "Documented information the clauses require", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[[]catalog.MandatoryDocument], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			return body(c.MandatoryDocuments()), nil
		})
	op(a, huma.Operation{OperationID: "list-threats", Method: http.MethodGet, Path: "/catalog/threats", Summary: "The threat and vulnerability library", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[map[string][]catalog.Threat], error) {
			c, err := cat(ctx)
			if err != nil {
				return nil, err
			}
			return body(map[string][]catalog.Threat{"threats": c.Threats(), "vulnerabilities": c.Vulnerabilities()}), nil
		})
	op(a, huma.Operation{OperationID: "export-catalog", Method: http.MethodGet, Path: "/catalog/export",
		Summary:     "Download the whole catalog",
		Description: "The whole catalog as a file: `json` is praxis's own form (controls with guidance, 2013 controls, clauses, mandatory documents, threat library); `oscal` is an OSCAL 1.1.3 catalog of the Annex A controls, validated against the OSCAL schema.",
		Tags:        tags,
		Responses: map[string]*huma.Response{"200": {Description: "The catalog, as an attachment",
			Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Type: huma.TypeObject}}}}},
	}, func(ctx context.Context, in *struct {
		Format string `query:"format" enum:"json,oscal" default:"json" doc:"json (praxis) or oscal (OSCAL 1.1.3 catalog)"`
	}) (*catalogFile, error) {
		c, err := cat(ctx)
		if err != nil {
			return nil, err
		}
		now := a.svc.Now()
		version := a.h.OpenAPI().Info.Version
		var b []byte
		name := "praxis-catalog-iso27001-2022"
		switch in.Format {
		case "oscal":
			name += ".oscal.json"
			b, err = oscal.Catalog(c, now, version)
		default:
			name += ".json"
			b, err = json.MarshalIndent(wholeCatalog(c, now, version), "", "  ")
		}
		if err != nil {
			return nil, err
		}
		return &catalogFile{ContentType: "application/json", Disposition: `attachment; filename="` + name + `"`, Body: b}, nil
	})
}

type catalogFile struct {
	ContentType string `header:"Content-Type"`
	Disposition string `header:"Content-Disposition"`
	Body        []byte
}

// CatalogExport is the whole catalog in praxis's own JSON form.
type CatalogExport struct {
	Standard           string                      `json:"standard"`
	Guidance           string                      `json:"guidance"`
	Version            string                      `json:"praxis_version"`
	ExportedAt         time.Time                   `json:"exported_at"`
	Themes             []string                    `json:"themes"`
	AttributeValues    map[string][]string         `json:"attribute_values"`
	Controls           []catalog.Control           `json:"controls"`
	Controls2013       []catalog.Control2013       `json:"controls_2013"`
	Clauses            []catalog.Clause            `json:"clauses"`
	MandatoryDocuments []catalog.MandatoryDocument `json:"mandatory_documents"`
	Threats            []catalog.Threat            `json:"threats"`
	Vulnerabilities    []catalog.Threat            `json:"vulnerabilities"`
}

func wholeCatalog(c *catalog.Catalog, now time.Time, version string) CatalogExport {
	return CatalogExport{
		Standard:           "ISO/IEC 27001:2022",
		Guidance:           "praxis's own-words implementation guidance, structured by the ISO/IEC 27002:2022 attributes",
		Version:            version,
		ExportedAt:         now.Truncate(time.Second),
		Themes:             c.Themes(),
		AttributeValues:    c.AttributeValues(),
		Controls:           c.Controls(),
		Controls2013:       c.Controls2013(),
		Clauses:            c.Clauses(),
		MandatoryDocuments: c.MandatoryDocuments(),
		Threats:            c.Threats(),
		Vulnerabilities:    c.Vulnerabilities(),
	}
}
