package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// ImprovementQuery filters the improvement log.
type ImprovementQuery struct {
	Search string `query:"search" doc:"Reference, title, what changed, why or source reference contains" maxLength:"200"`
	Source string `query:"source" doc:"Only improvements from this source"`
	Owner  string `query:"owner" doc:"Only this owner (person reference, P-001)" maxLength:"100"`
	Sort   string `query:"sort" doc:"made_on, ref, title, source or owner; prefix - for descending" maxLength:"100"`
}

func (q ImprovementQuery) filter() service.ImprovementFilter {
	return service.ImprovementFilter{Search: q.Search, Source: q.Source, Owner: q.Owner, Sort: q.Sort}
}

func (a *API) improvementRoutes() {
	tag := "Improvements"
	op(a, huma.Operation{OperationID: "list-improvements", Method: http.MethodGet, Path: "/improvements", Summary: "List the improvement log (clause 10.1)",
		Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			ImprovementQuery
		}) (*Body[service.List[isms.Improvement]], error) {
			l, err := a.svc.ListImprovements(ctx, in.filter(), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-improvements", "/improvements/export", "Download the improvement log as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			ImprovementQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "improvements", in.Format, in.filter(), a.svc.ListImprovements, a.svc.ExportImprovements)
		})
	filterEnums(a, service.ImprovementRegister, "/improvements", "/improvements/export")
	rowRoutes(a, "/improvements", "improvement", tag, rowOps[isms.Improvement, service.ImprovementInput]{a: "an improvement",
		get: a.svc.Improvement, add: a.svc.AddImprovement, update: a.svc.UpdateImprovement, patch: a.svc.PatchImprovement, delete: a.svc.DeleteImprovement})
}
