package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// FindingQuery filters the findings register.
type FindingQuery struct {
	Search string `query:"search" doc:"Reference, title, description or evidence seen contains" maxLength:"200"`
	Grade  string `query:"grade" doc:"Only this grade"`
	Status string `query:"status" doc:"Only this status"`
	Source string `query:"source" doc:"Only findings from this source"`
	Audit  string `query:"audit" doc:"Only findings of this audit (AU-001)" maxLength:"100"`
	// Certification is a certification audit's reference.
	Certification string `query:"certification" doc:"Only findings of this certification audit (CERT-001)" maxLength:"100"`
	Sort          string `query:"sort" doc:"ref, raised, title, grade (most serious first) or status; prefix - for descending" maxLength:"100"`
}

func (q FindingQuery) filter() service.FindingFilter {
	return service.FindingFilter{Search: q.Search, Grade: q.Grade, Status: q.Status, Source: q.Source, Audit: q.Audit,
		Certification: q.Certification, Sort: q.Sort}
}

func (a *API) findingRoutes() {
	tag := "Findings"
	op(a, huma.Operation{OperationID: "list-findings", Method: http.MethodGet, Path: "/findings",
		Summary: "List the findings (of audits, incidents, complaints ...)", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			FindingQuery
		}) (*Body[service.List[isms.Finding]], error) {
			l, err := a.svc.ListFindings(ctx, in.filter(), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-findings", "/findings/export", "Download the findings as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			FindingQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "findings", in.Format, in.filter(), a.svc.ListFindings, a.svc.ExportFindings)
		})
	filterEnums(a, service.FindingRegister, "/findings", "/findings/export")
	rowRoutes(a, "/findings", "finding", tag, rowOps[isms.Finding, service.FindingInput]{
		get: a.svc.Finding, add: a.svc.AddFinding, update: a.svc.UpdateFinding, patch: a.svc.PatchFinding, delete: a.svc.DeleteFinding})
}
