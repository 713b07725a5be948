package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// InternalAuditQuery filters the internal audits register (AuditQuery is the audit trail's).
type InternalAuditQuery struct {
	Search string `query:"search" doc:"Reference, title, scope or area contains" maxLength:"200"`
	Status string `query:"status" doc:"Only this status"`
	Lead   string `query:"lead" doc:"Only audits led by this person (P-001)" maxLength:"100"`
	Sort   string `query:"sort" doc:"planned, ref, title or status; prefix - for descending" maxLength:"100"`
}

// ItemPath names a checklist item of an audit.
type ItemPath struct {
	Ref  string `path:"ref" doc:"The audit's reference or id"`
	Item string `path:"item" doc:"The item: A.8.28 (a control), 9.2 (a clause), or clause 8.2 where an id is both"`
}

func (a *API) internalAuditRoutes() {
	tag := "Audits"
	tags := []string{tag}
	op(a, huma.Operation{OperationID: "list-audits", Method: http.MethodGet, Path: "/audits", Summary: "List the internal audits (9.2)", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			InternalAuditQuery
		}) (*Body[service.List[isms.Audit]], error) {
			l, err := a.svc.ListAudits(ctx, service.InternalAuditFilter{Search: in.Search, Status: in.Status, Lead: in.Lead, Sort: in.Sort}, in.page())
			return body(l), err
		})
	filterEnums(a, service.AuditRegister, "/audits")
	op(a, huma.Operation{OperationID: "get-audit-programme", Method: http.MethodGet, Path: "/audits/programme",
		Summary: "The audit programme: its cycle and the coverage of clauses 4 to 10 and the applicable controls per year", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[service.Programme], error) {
			p, err := a.svc.AuditProgramme(ctx)
			return body(p), err
		})
	op(a, huma.Operation{OperationID: "set-audit-programme", Method: http.MethodPut, Path: "/audits/programme",
		Summary: "Set the programme's cycle start and notes (send the version you read; 0 the first time)", Tags: tags, Errors: []int{401, 403, 409, 422}},
		func(ctx context.Context, in *struct{ Body service.ProgrammeInput }) (*Body[service.Programme], error) {
			p, err := a.svc.SetAuditProgramme(ctx, in.Body)
			return body(p), err
		})
	rowRoutes(a, "/audits", "audit", tag, rowOps[isms.Audit, service.AuditInput]{
		get: a.svc.Audit, add: a.svc.AddAudit, update: a.svc.UpdateAudit, patch: a.svc.PatchAudit, delete: a.svc.DeleteAudit,
		a: "an audit", deletes: "Delete an audit with its checklist (its findings stay)"})
	op(a, huma.Operation{OperationID: "get-audit-checklist", Method: http.MethodGet, Path: "/audits/{ref}/checklist",
		Summary: "An audit's checklist: one item per clause and control in scope, with what to look at", Tags: tags},
		func(ctx context.Context, in *RefPath) (*Body[service.AuditChecklist], error) {
			c, err := a.svc.Checklist(ctx, in.Ref)
			return body(c), err
		})
	op(a, huma.Operation{OperationID: "set-audit-item", Method: http.MethodPatch, Path: "/audits/{ref}/checklist/{item}",
		Summary:     "Record the result, evidence seen and notes of a checklist item (the fields sent change)",
		Description: "The first result starts a planned audit. A completed or cancelled audit's checklist is 409. Owners, admins and auditors only.",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			ItemPath
			Body service.AuditItemInput
		}) (*Body[isms.AuditItem], error) {
			it, err := a.svc.SetAuditItem(ctx, in.Ref, in.Item, in.Body)
			return body(it), err
		})
	op(a, huma.Operation{OperationID: "raise-audit-finding", Method: http.MethodPost, Path: "/audits/{ref}/checklist/{item}/finding", DefaultStatus: http.StatusCreated,
		Summary: "Raise a finding from a checklist item: prefilled from the item (its clause or control, evidence, a grade from its result); the fields sent replace the suggestion",
		Tags:    tags},
		func(ctx context.Context, in *struct {
			ItemPath
			Body service.FindingInput
		}) (*Body[isms.Finding], error) {
			f, err := a.svc.RaiseFinding(ctx, in.Ref, in.Item, in.Body)
			return body(f), err
		})
	op(a, huma.Operation{OperationID: "get-audit-report", Method: http.MethodGet, Path: "/audits/{ref}/report", Tags: tags,
		Summary: "Download the audit report as Markdown or PDF: scope, criteria, team, dates, results, findings by grade, the checklist, the conclusion",
		Responses: map[string]*huma.Response{"200": {Description: "The report, as an attachment", Content: map[string]*huma.MediaType{
			"text/markdown": {Schema: &huma.Schema{Type: huma.TypeString}}, mediaPDF: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}}},
		func(ctx context.Context, in *struct {
			RefPath
			Format string `query:"format" enum:"md,pdf" default:"md" doc:"md or pdf"`
		}) (*huma.StreamResponse, error) {
			var buf bytes.Buffer // a report is small: written whole first, so that an error is still a problem answer
			if err := a.svc.WriteAuditReport(ctx, in.Ref, in.Format, &buf); err != nil {
				return nil, err
			}
			media := map[string]string{"md": "text/markdown; charset=utf-8", "pdf": mediaPDF}[in.Format]
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				hctx.SetHeader("Content-Type", media)
				hctx.SetHeader("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(in.Ref)+"-report."+in.Format)
				hctx.BodyWriter().Write(buf.Bytes())
			}}, nil
		})
}
