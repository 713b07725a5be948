package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// CertificationQuery filters the certification audits.
type CertificationQuery struct {
	Search string `query:"search" doc:"Reference, certification body, lead auditor, certificate number or notes contains" maxLength:"200"`
	Kind   string `query:"kind" doc:"Only this kind of audit"`
	Status string `query:"status" doc:"Only this status"`
	Sort   string `query:"sort" doc:"planned, ref, kind or status; prefix - for descending" maxLength:"100"`
}

func (q CertificationQuery) filter() service.CertificationFilter {
	return service.CertificationFilter{Search: q.Search, Kind: q.Kind, Status: q.Status, Sort: q.Sort}
}

func (a *API) certificationRoutes() {
	tag := "Certification"
	op(a, huma.Operation{OperationID: "list-certification-audits", Method: http.MethodGet, Path: "/certification",
		Summary: "List the certification audits (Stage 1, Stage 2, surveillance, recertification)", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			CertificationQuery
		}) (*Body[service.List[isms.CertificationAudit]], error) {
			l, err := a.svc.ListCertification(ctx, in.filter(), in.page())
			return body(l), err
		})
	// Before /certification/{ref}, which would take "cycle" and "export" for references.
	op(a, huma.Operation{OperationID: "certification-cycle", Method: http.MethodGet, Path: "/certification/cycle", Tags: []string{tag},
		Summary:     "The certification cycle today",
		Description: "The certificate in force (or the last one, expired) and the audits of its cycle: surveillance 12 and 24 months after issue, recertification by expiry; before a certificate, Stage 1 and Stage 2. Each says whether it is done, planned, not planned or overdue."},
		func(ctx context.Context, _ *struct{}) (*Body[isms.CertificationCycle], error) {
			c, err := a.svc.CertificationCycle(ctx)
			return body(c), err
		})
	op(a, exportOperation("export-certification-audits", "/certification/export", "Download the certification audits as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			CertificationQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "certification", in.Format, in.filter(), a.svc.ListCertification, a.svc.ExportCertification)
		})
	filterEnums(a, service.CertificationRegister, "/certification", "/certification/export")
	rowRoutes(a, "/certification", "certification-audit", tag, rowOps[isms.CertificationAudit, service.CertificationInput]{
		a:   "a certification audit",
		get: a.svc.Certification, add: a.svc.AddCertification, update: a.svc.UpdateCertification, patch: a.svc.PatchCertification,
		delete: a.svc.DeleteCertification})
}
