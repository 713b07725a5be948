package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// AuditQuery filters the audit trail.
type AuditQuery struct {
	Entity string    `query:"entity" doc:"e.g. member, person, risk" maxLength:"100"`
	Actor  string    `query:"actor" doc:"Email of who acted" maxLength:"254"`
	Action string    `query:"action" doc:"e.g. create, update" maxLength:"100"`
	Ref    string    `query:"ref" doc:"Human reference, e.g. P-003" maxLength:"100"`
	From   time.Time `query:"from" doc:"Events at or after (RFC 3339)"`
	To     time.Time `query:"to" doc:"Events before (RFC 3339)"`
}

func (q AuditQuery) filter() service.AuditFilter {
	return service.AuditFilter{Entity: q.Entity, Actor: q.Actor, Action: q.Action, Ref: q.Ref, From: q.From, To: q.To}
}

func (a *API) auditRoutes() {
	tags := []string{"Audit trail"}
	op(a, huma.Operation{OperationID: "list-audit-events", Method: http.MethodGet, Path: "/audit-events", Summary: "List the audit trail, newest first", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			AuditQuery
			AfterQuery
		}) (*Body[service.Keyset[isms.AuditEvent]], error) {
			f := in.filter()
			l, err := pageOf(in.PageQuery, in.AfterQuery, func(p service.Page) (service.List[isms.AuditEvent], error) { return a.svc.ListAudit(ctx, f, p) },
				func(sk service.Seek) (service.Keyset[isms.AuditEvent], error) {
					return a.svc.ListAuditKeyset(ctx, f, sk)
				})
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "export-audit-events", Method: http.MethodGet, Path: "/audit-events/export.csv", Summary: "Export the audit trail as CSV, oldest first", Tags: tags},
		func(ctx context.Context, in *AuditQuery) (*huma.StreamResponse, error) {
			// Check access before the 200 goes out: a stream cannot change its status later.
			if _, err := a.svc.ListAudit(ctx, in.filter(), service.Page{Limit: 1}); err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				hctx.SetHeader("Content-Type", "text/csv; charset=utf-8")
				hctx.SetHeader("Content-Disposition", `attachment; filename="audit-trail.csv"`)
				_ = a.svc.ExportAuditCSV(ctx, in.filter(), hctx.BodyWriter())
			}}, nil
		})
	op(a, huma.Operation{OperationID: "audit-checkpoint", Method: http.MethodGet, Path: "/audit-events/checkpoint",
		Summary: "A signed checkpoint of the audit trail's head", Tags: tags,
		Description: "Verifies the trail and returns its current sequence and hash, signed with the installation's key. " +
			"Keep it: `praxis log verify --checkpoint FILE` later proves that nothing up to it was removed or rewritten."},
		func(ctx context.Context, in *struct{}) (*Body[isms.Checkpoint], error) {
			c, err := a.svc.Checkpoint(ctx)
			return body(c), err
		})
}
