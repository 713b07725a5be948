package api

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// CorrectiveQuery filters the corrective actions.
type CorrectiveQuery struct {
	Search  string `query:"search" doc:"Reference, title, root cause or action contains" maxLength:"200"`
	Status  string `query:"status" doc:"Only this status"`
	Finding string `query:"finding" doc:"Only the actions of this finding (F-001)" maxLength:"100"`
	Owner   string `query:"owner" doc:"Only this owner (person reference, P-001)" maxLength:"100"`
	Open    bool   `query:"open" doc:"Only the actions not closed"`
	Overdue bool   `query:"overdue" doc:"Only the actions past their due date and not closed"`
	Sort    string `query:"sort" doc:"ref, due, status, title or owner; prefix - for descending" maxLength:"100"`
}

func (q CorrectiveQuery) filter(today string) service.CorrectiveFilter {
	f := service.CorrectiveFilter{Search: q.Search, Status: q.Status, Finding: q.Finding, Owner: q.Owner, Sort: q.Sort}
	if q.Open {
		f.Open = "yes"
	}
	if q.Overdue {
		f.OverdueOn = today
	}
	return f
}

// CorrectiveView is a corrective action as the API shows it, with whether it is overdue today.
type CorrectiveView struct {
	isms.CorrectiveAction
	Overdue bool `json:"overdue" doc:"Past its due date and not closed"`
}

func (a *API) correctiveRoutes() {
	a.correctiveOSCALRoutes() // before /corrective/{ref}, which would take "oscal" for a reference
	tag := "Corrective actions"
	shown := func(c isms.CorrectiveAction, err error) (CorrectiveView, error) {
		return CorrectiveView{CorrectiveAction: c, Overdue: c.Overdue(a.svc.Today())}, err
	}
	op(a, huma.Operation{OperationID: "list-corrective-actions", Method: http.MethodGet, Path: "/corrective", Summary: "List the corrective actions (clause 10.2)",
		Description: "Each says whether it is overdue today.", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			CorrectiveQuery
		}) (*Body[service.List[CorrectiveView]], error) {
			l, err := a.svc.ListCorrective(ctx, in.filter(a.svc.Today()), in.page())
			out := service.List[CorrectiveView]{Items: make([]CorrectiveView, len(l.Items)), Total: l.Total, Limit: l.Limit, Offset: l.Offset}
			for i, c := range l.Items {
				out.Items[i], _ = shown(c, nil)
			}
			return body(out), err
		})
	filterEnums(a, service.CorrectiveRegister, "/corrective")
	rowRoutes(a, "/corrective", "corrective-action", tag, rowOps[CorrectiveView, service.CorrectiveInput]{
		a: "a corrective action",
		get: func(ctx context.Context, ref string) (CorrectiveView, error) {
			return shown(a.svc.Corrective(ctx, ref))
		},
		add: func(ctx context.Context, in service.CorrectiveInput) (CorrectiveView, error) {
			return shown(a.svc.AddCorrective(ctx, in))
		},
		update: func(ctx context.Context, ref string, in service.CorrectiveInput) (CorrectiveView, error) {
			return shown(a.svc.UpdateCorrective(ctx, ref, in))
		},
		patch: func(ctx context.Context, ref string, in service.CorrectiveInput) (CorrectiveView, error) {
			return shown(a.svc.PatchCorrective(ctx, ref, in))
		},
		delete: a.svc.DeleteCorrective})
	op(a, huma.Operation{OperationID: "verify-corrective-action", Method: http.MethodPost, Path: "/corrective/{ref}/verify", Tags: []string{tag},
		Summary:     "Record the effectiveness check of a corrective action (owners, admins and auditors)",
		Description: "Recorded as you, now. not-effective reopens the action; effective lets it be closed.", Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RefPath
			Body service.CheckInput
		}) (*Body[CorrectiveView], error) {
			c, err := shown(a.svc.VerifyCorrective(ctx, in.Ref, in.Body))
			return body(c), err
		})
	op(a, huma.Operation{OperationID: "close-corrective-action", Method: http.MethodPost, Path: "/corrective/{ref}/close", Tags: []string{tag},
		Summary:     "Close a corrective action (refused without an effective check)",
		Description: "When every corrective action of its finding is closed, the finding closes.", Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RefPath
			Body VersionBody
		}) (*Body[CorrectiveView], error) {
			c, err := shown(a.svc.CloseCorrective(ctx, in.Ref, in.Body.Version))
			return body(c), err
		})
}

// VersionBody carries only the version read, for an action on a row.
type VersionBody struct {
	Version int `json:"version" doc:"The version read"`
}

// oscalDownload answers an OSCAL JSON document written by write.
func oscalDownload(name string, write func(w io.Writer) error) (*huma.StreamResponse, error) {
	var buf bytes.Buffer // small, and validated whole: an error is still a problem answer
	if err := write(&buf); err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", "application/json")
		hctx.SetHeader("Content-Disposition", "attachment; filename="+name+".json")
		hctx.BodyWriter().Write(buf.Bytes())
	}}, nil
}

// oscalResponse describes an OSCAL download. A new map each time: huma adds the error answers to an operation's
// responses as it registers it, so a map shared between operations (or between two servers built at once, as
// the browser tests do) would be written by both.
func oscalResponse() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "The OSCAL 1.1.3 JSON document, as an attachment",
		Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Type: huma.TypeString}}}}}
}

func (a *API) correctiveOSCALRoutes() {
	op(a, huma.Operation{OperationID: "corrective-oscal", Method: http.MethodGet, Path: "/corrective/oscal", Tags: []string{"Corrective actions"},
		Summary: "Download the corrective actions not closed as an OSCAL plan of action and milestones", Responses: oscalResponse()},
		func(ctx context.Context, _ *struct{}) (*huma.StreamResponse, error) {
			return oscalDownload("poam", func(w io.Writer) error { return a.svc.ExportCorrectiveOSCAL(ctx, w) })
		})
	op(a, huma.Operation{OperationID: "findings-oscal", Method: http.MethodGet, Path: "/findings/oscal", Tags: []string{"Corrective actions"},
		Summary: "Download findings as OSCAL assessment results (one audit's, or all)", Responses: oscalResponse()},
		func(ctx context.Context, in *struct {
			Audit string `query:"audit" doc:"Only the findings of this audit (AU-001)" maxLength:"100"`
		}) (*huma.StreamResponse, error) {
			return oscalDownload("assessment-results", func(w io.Writer) error { return a.svc.ExportFindingsOSCAL(ctx, in.Audit, w) })
		})
}
