package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// SoAPath names an Annex A control in a path.
type SoAPath struct {
	Control string `path:"control" doc:"Annex A control id (8.28 or A.8.28)" maxLength:"10"`
}

// SoAQuery filters the Statement of Applicability.
type SoAQuery struct {
	Theme      string   `query:"theme" enum:"organizational,people,physical,technological" doc:"Only the controls of this theme"`
	Attr       []string `query:"attr,explode" doc:"ISO/IEC 27002 attribute as KEY=VALUE, repeatable and AND-ed; keys control_type, properties, concepts, capabilities, domains"`
	Status     string   `query:"status" enum:"not-started,planned,partial,implemented,none" doc:"Only this implementation status (none: not set)"`
	Applicable string   `query:"applicable" enum:"yes,no,undecided" doc:"Only the applicable, excluded or undecided controls"`
	Owner      string   `query:"owner" maxLength:"20" doc:"Only this owner (person reference, P-001)"`
}

func (q SoAQuery) filter() service.SoAFilter {
	return service.SoAFilter{Theme: q.Theme, Attrs: q.Attr, Status: q.Status, Applicable: q.Applicable, Owner: q.Owner}
}

// SoAVersionPath names an approved version.
type SoAVersionPath struct {
	Number int `path:"n" minimum:"1" doc:"Version number"`
}

// ApproveSoABody is the approval's comment.
type ApproveSoABody struct {
	Comment string `json:"comment" maxLength:"4000" doc:"What this version changes or why it is approved"`
}

func (a *API) soaRoutes() {
	a.soaExportRoutes()
	tags := []string{"Statement of Applicability"}
	op(a, huma.Operation{OperationID: "get-soa", Method: http.MethodGet, Path: "/soa", Summary: "The Statement of Applicability: entries, summary and issues",
		Description: "All 93 Annex A controls in catalog order (or those the filters select), with the summary and the issues of the whole SoA.", Tags: tags},
		func(ctx context.Context, in *SoAQuery) (*Body[service.SoAView], error) {
			v, err := a.svc.SoA(ctx, in.filter())
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "get-soa-entry", Method: http.MethodGet, Path: "/soa/{control}", Summary: "One entry of the SoA", Tags: tags},
		func(ctx context.Context, in *SoAPath) (*Body[isms.SoAEntry], error) {
			e, err := a.svc.SoAEntry(ctx, in.Control)
			return body(e), err
		})
	op(a, huma.Operation{OperationID: "patch-soa-entry", Method: http.MethodPatch, Path: "/soa/{control}", Summary: "Change some fields of an SoA entry (send the version you read)",
		Description: patchDescription + " `applicable` is true, false or null (undecided); `risk` is not a reason one types: it comes from the risks that link the control.",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			SoAPath
			Body service.SoAInput
		}) (*Body[isms.SoAEntry], error) {
			e, err := a.svc.SetSoAEntry(ctx, in.Control, in.Body)
			return body(e), err
		})
	op(a, huma.Operation{OperationID: "bulk-patch-soa", Method: http.MethodPatch, Path: "/soa", Summary: "Change the same fields of several SoA entries",
		Description: "The entries named by `controls`, or else those `filter` selects, get the fields of `set`; all or nothing: when any entry " +
			"would break a rule nothing changes and the 422 lists every refused control.", Tags: tags},
		func(ctx context.Context, in *struct{ Body service.BulkSoAInput }) (*Body[[]isms.SoAEntry], error) {
			e, err := a.svc.BulkSetSoA(ctx, in.Body)
			return body(e), err
		})
	op(a, huma.Operation{OperationID: "approve-soa", Method: http.MethodPost, Path: "/soa/approve", DefaultStatus: http.StatusCreated,
		Summary: "Approve the current SoA as the next version (approvers only)", Description: "Refused (422) with every incomplete or contradictory entry listed.", Tags: tags},
		func(ctx context.Context, in *struct{ Body ApproveSoABody }) (*Body[isms.SoAVersion], error) {
			v, err := a.svc.ApproveSoA(ctx, in.Body.Comment)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "list-soa-versions", Method: http.MethodGet, Path: "/soa/versions", Summary: "The approved versions of the SoA, newest first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[[]isms.SoAVersion], error) {
			v, err := a.svc.SoAVersions(ctx)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "get-soa-version", Method: http.MethodGet, Path: "/soa/versions/{n}", Summary: "One approved version of the SoA, with its entries", Tags: tags},
		func(ctx context.Context, in *SoAVersionPath) (*Body[isms.SoAVersion], error) {
			v, err := a.svc.SoAVersion(ctx, in.Number)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "diff-soa", Method: http.MethodGet, Path: "/soa/diff", Summary: "What changed between two SoA versions, or a version and the draft", Tags: tags},
		func(ctx context.Context, in *struct {
			From string `query:"from" required:"true" maxLength:"10" doc:"A version number or draft"`
			To   string `query:"to" required:"true" maxLength:"10" doc:"A version number or draft"`
		}) (*Body[service.SoADiff], error) {
			d, err := a.svc.DiffSoA(ctx, in.From, in.To)
			return body(d), err
		})
}
