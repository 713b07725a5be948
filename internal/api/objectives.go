package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// ObjectiveQuery filters the objectives register.
type ObjectiveQuery struct {
	Search  string `query:"search" doc:"Reference, title, measure or policy statement contains" maxLength:"200"`
	Status  string `query:"status" doc:"Only this status"`
	Owner   string `query:"owner" doc:"Only this owner (person reference, P-001)" maxLength:"100"`
	Overdue bool   `query:"overdue" doc:"Only objectives past their due date and not achieved"`
	Sort    string `query:"sort" doc:"ref, due, title, status or owner; prefix - for descending" maxLength:"100"`
}

func (q ObjectiveQuery) filter(today string) service.ObjectiveFilter {
	f := service.ObjectiveFilter{Search: q.Search, Status: q.Status, Owner: q.Owner, Sort: q.Sort}
	if q.Overdue {
		f.OverdueOn = today
	}
	return f
}

// ObjectiveView is an objective as the API shows it, with whether it is overdue today.
type ObjectiveView struct {
	isms.Objective
	Overdue bool `json:"overdue" doc:"Past its due date and not achieved"`
}

func objectiveView(o isms.Objective, today string) ObjectiveView {
	return ObjectiveView{Objective: o, Overdue: o.Overdue(today)}
}

func (a *API) objectiveRoutes() {
	tag := "Objectives"
	op(a, huma.Operation{OperationID: "list-objectives", Method: http.MethodGet, Path: "/objectives", Summary: "List the information security objectives (clause 6.2)",
		Description: "Each says whether it is overdue today.", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			ObjectiveQuery
		}) (*Body[service.List[ObjectiveView]], error) {
			today := a.svc.Today()
			l, err := a.svc.ListObjectives(ctx, in.filter(today), in.page())
			out := service.List[ObjectiveView]{Items: make([]ObjectiveView, len(l.Items)), Total: l.Total, Limit: l.Limit, Offset: l.Offset}
			for i, o := range l.Items {
				out.Items[i] = objectiveView(o, today)
			}
			return body(out), err
		})
	op(a, exportOperation("export-objectives", "/objectives/export", "Download the objectives as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			ObjectiveQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "objectives", in.Format, in.filter(a.svc.Today()), a.svc.ListObjectives, a.svc.ExportObjectives)
		})
	filterEnums(a, service.ObjectiveRegister, "/objectives", "/objectives/export")
	shown := func(o isms.Objective, err error) (ObjectiveView, error) { return objectiveView(o, a.svc.Today()), err }
	rowRoutes(a, "/objectives", "objective", tag, rowOps[ObjectiveView, service.ObjectiveInput]{
		get: func(ctx context.Context, ref string) (ObjectiveView, error) { return shown(a.svc.Objective(ctx, ref)) },
		add: func(ctx context.Context, in service.ObjectiveInput) (ObjectiveView, error) {
			return shown(a.svc.AddObjective(ctx, in))
		},
		update: func(ctx context.Context, ref string, in service.ObjectiveInput) (ObjectiveView, error) {
			return shown(a.svc.UpdateObjective(ctx, ref, in))
		},
		patch: func(ctx context.Context, ref string, in service.ObjectiveInput) (ObjectiveView, error) {
			return shown(a.svc.PatchObjective(ctx, ref, in))
		},
		delete: a.svc.DeleteObjective, imp: a.svc.ImportObjectives})
}
