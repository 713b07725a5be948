package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// LintAckBody acknowledges one lint finding until a day.
type LintAckBody struct {
	Rule      string `json:"rule" maxLength:"100" doc:"The finding's rule (GET /lint/rules lists them)"`
	Ref       string `json:"ref" maxLength:"200" doc:"The finding's ref: the record or clause it names; empty for the rule's own ref"`
	Reason    string `json:"reason" maxLength:"1000" doc:"Why the finding is accepted for now (required)"`
	ExpiresOn string `json:"expires_on" maxLength:"10" doc:"The last day the acknowledgement holds, YYYY-MM-DD, from today to a year ahead (required)"`
}

// lintRoutes serve certification readiness: the lint report, its rules, acknowledgements, and the roadmap.
func (a *API) lintRoutes() {
	tags := []string{"Certification readiness"}
	op(a, huma.Operation{OperationID: "get-lint", Method: http.MethodGet, Path: "/lint", Summary: "What a certification auditor would raise today",
		Description: "Every finding, most serious first, with its rule, severity, ref, message, fix link and roadmap step; acknowledged ones " +
			"carry `acknowledged`. `major`, `minor` and `info` count the findings not acknowledged; a build should fail while `major` is above 0.",
		Tags: tags, Errors: []int{401, 403}},
		func(ctx context.Context, _ *struct{}) (*Body[isms.LintReport], error) {
			r, err := a.svc.Lint(ctx)
			return body(r), err
		})
	op(a, huma.Operation{OperationID: "list-lint-rules", Method: http.MethodGet, Path: "/lint/rules", Summary: "Every lint rule, in roadmap order",
		Tags: tags, Errors: []int{401}},
		func(ctx context.Context, _ *struct{}) (*Body[[]isms.Rule], error) {
			return body(service.Rules()), nil
		})
	op(a, huma.Operation{OperationID: "acknowledge-lint-finding", Method: http.MethodPost, Path: "/lint/acks", DefaultStatus: http.StatusCreated,
		Summary:     "Acknowledge a finding until a day (owners, admins and approvers)",
		Description: "The finding stays listed with who, why and until when, and does not count until the day after `expires_on`. Acknowledging it again replaces the reason and day.",
		Tags:        tags, Errors: []int{401, 403, 422}},
		func(ctx context.Context, in *struct{ Body LintAckBody }) (*Body[isms.LintAcknowledge], error) {
			k, err := a.svc.AcknowledgeFinding(ctx, in.Body.Rule, in.Body.Ref, in.Body.Reason, in.Body.ExpiresOn)
			return body(k), err
		})
	op(a, huma.Operation{OperationID: "remove-lint-acknowledgement", Method: http.MethodDelete, Path: "/lint/acks/{rule}", DefaultStatus: http.StatusNoContent,
		Summary: "Withdraw an acknowledgement: the finding counts again (owners, admins and approvers)", Tags: tags, Errors: []int{401, 403, 404, 422}},
		func(ctx context.Context, in *struct {
			Rule string `path:"rule" maxLength:"100" doc:"The finding's rule"`
			Ref  string `query:"ref" maxLength:"200" doc:"The finding's ref; absent for the rule's own ref"`
		}) (*Empty, error) {
			return &Empty{}, a.svc.RemoveAcknowledgement(ctx, in.Rule, in.Ref)
		})
	op(a, huma.Operation{OperationID: "get-readiness", Method: http.MethodGet, Path: "/readiness", Summary: "The roadmap to certification as the data stands",
		Description: "The eight steps, each with its percentage (the mean of its measures that apply), what it counts and its next actions " +
			"(open findings, most serious first); `percent` is the mean of the steps.",
		Tags: tags, Errors: []int{401, 403}},
		func(ctx context.Context, _ *struct{}) (*Body[isms.Readiness], error) {
			r, err := a.svc.Readiness(ctx)
			return body(r), err
		})
}
