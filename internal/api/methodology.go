package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/praxis-isms/praxis/internal/service"
)

// methodologyRoutes registers the risk methodology document drafted from the risk method.
func (a *API) methodologyRoutes() {
	tags := []string{"Risks"}
	op(a, huma.Operation{OperationID: "get-risk-methodology", Method: http.MethodGet, Path: "/risk-method/methodology",
		Summary: "The risk methodology document: its reference and status, and whether it waits for drafting or approval", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[service.Methodology], error) {
			m, err := a.svc.RiskMethodology(ctx)
			return body(m), err
		})
	op(a, huma.Operation{OperationID: "draft-risk-methodology", Method: http.MethodPost, Path: "/risk-method/methodology",
		Summary: "Draft the risk methodology document from the risk method (answers the existing one when there is)", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[service.Methodology], error) {
			m, err := a.svc.DraftRiskMethodology(ctx)
			return body(m), err
		})
}
