package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/service"
)

func (a *API) controlRoutes() {
	op(a, huma.Operation{OperationID: "get-control-work", Method: http.MethodGet, Path: "/controls/{id}/work",
		Summary: "The work page of one Annex A control",
		Description: "Its guidance, its Statement of Applicability entry, the risks it treats, its tasks, its evidence, the documents that name it, " +
			"and what is still missing.",
		Tags: []string{"Tasks"}},
		func(ctx context.Context, in *struct {
			ID string `path:"id" doc:"The 2022 control id (8.28)" maxLength:"20"`
		}) (*Body[service.ControlWork], error) {
			w, err := a.svc.ControlWork(ctx, in.ID)
			return body(w), err
		})
}
