package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

type resetLink struct {
	Path string `json:"path" doc:"The one-time reset link's path (prefix it with the server's address); it works for an hour and is shown once"`
}

func (a *API) securityRoutes() {
	tags := []string{"Security"}
	op(a, huma.Operation{OperationID: "list-security-events", Method: http.MethodGet, Path: "/security-events",
		Summary: "List the members' logins, failures and other security events, newest first (owners)", Tags: tags},
		func(ctx context.Context, in *PageQuery) (*Body[service.List[isms.SecurityEvent]], error) {
			l, err := a.svc.ListSecurityEvents(ctx, in.page())
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "set-require-two-factor", Method: http.MethodPut, Path: "/organisation/two-factor",
		Summary: "Require two-factor authentication of every member, or not (owners)", Tags: tags},
		func(ctx context.Context, in *struct {
			Body struct {
				RequireTwoFactor bool `json:"require_two_factor" required:"true"`
			}
		}) (*Body[isms.Organisation], error) {
			org, err := a.svc.SetRequireTwoFactor(ctx, in.Body.RequireTwoFactor)
			return body(org), err
		})
	op(a, huma.Operation{OperationID: "issue-reset-link", Method: http.MethodPost, Path: "/members/{user_id}/reset-link", DefaultStatus: http.StatusCreated,
		Summary: "Make a one-time password reset link for a member (owners)", Tags: []string{"Members"}},
		func(ctx context.Context, in *MemberPath) (*Body[resetLink], error) {
			token, err := a.svc.IssueResetLink(ctx, in.UserID)
			return body(resetLink{Path: service.ResetPath + token}), err
		})
}
