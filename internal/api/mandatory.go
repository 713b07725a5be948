package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/praxis-isms/praxis/internal/service"
)

// mandatoryRoutes registers the view of mandatory documented information.
func (a *API) mandatoryRoutes() {
	op(a, huma.Operation{OperationID: "list-mandatory-information", Method: http.MethodGet, Path: "/documents/mandatory",
		Summary: "Every item of mandatory documented information, with the documents or records that satisfy it or the gap",
		Tags:    []string{"Documents"}},
		func(ctx context.Context, _ *struct{}) (*Body[[]service.MandatoryItem], error) {
			items, err := a.svc.MandatoryDocuments(ctx)
			return body(items), err
		})
}
