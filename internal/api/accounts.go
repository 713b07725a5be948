package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// Me is the caller and the organisations it may switch to.
type Me struct {
	Actor         service.Actor        `json:"actor"`
	Organisations []isms.OrgMembership `json:"organisations"`
}

// MemberPath names a member in the URL.
type MemberPath struct {
	UserID string `path:"user_id" doc:"The member's user id"`
}

type tokenCreated struct {
	Token  string        `json:"token" doc:"The secret: shown once, store it now"`
	Detail isms.APIToken `json:"detail"`
}

type invitationCreated struct {
	Invitation isms.Invitation `json:"invitation"`
	Token      string          `json:"token" doc:"The secret of the link: shown once, pass it on privately"`
	LinkPath   string          `json:"link_path" doc:"Where the invitee accepts: the site's address followed by this path"`
}

// InvitationPath names an invitation in the URL.
type InvitationPath struct {
	ID string `path:"id" doc:"The invitation's id"`
}

func (a *API) accountRoutes() {
	op(a, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/me", Summary: "Who am I", Tags: []string{"Accounts"}},
		func(ctx context.Context, _ *struct{}) (*Body[Me], error) {
			orgs, err := a.svc.MyOrganisations(ctx)
			if err != nil {
				return nil, err
			}
			actor, _ := service.ActorFrom(ctx)
			return body(Me{Actor: actor, Organisations: orgs}), nil
		})
	op(a, huma.Operation{OperationID: "get-organisation", Method: http.MethodGet, Path: "/organisation", Summary: "The current organisation", Tags: []string{"Accounts"}},
		func(ctx context.Context, _ *struct{}) (*Body[isms.Organisation], error) {
			org, err := a.svc.Organisation(ctx)
			return body(org), err
		})
	op(a, huma.Operation{OperationID: "create-organisation", Method: http.MethodPost, Path: "/organisations", DefaultStatus: http.StatusCreated,
		Summary: "Create another organisation, with the caller as owner", Tags: []string{"Accounts"}},
		func(ctx context.Context, in *struct {
			Body struct {
				Name string `json:"name" minLength:"1" maxLength:"120"`
			}
		}) (*Body[isms.Organisation], error) {
			org, err := a.svc.CreateOrganisation(ctx, in.Body.Name)
			return body(org), err
		})

	op(a, huma.Operation{OperationID: "list-members", Method: http.MethodGet, Path: "/members", Summary: "List members", Tags: []string{"Members"}},
		func(ctx context.Context, in *PageQuery) (*Body[service.List[isms.Membership]], error) {
			l, err := a.svc.ListMembers(ctx, in.page())
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "update-member", Method: http.MethodPatch, Path: "/members/{user_id}",
		Summary: "Change a member's role or approver flag", Tags: []string{"Members"}, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			MemberPath
			Body service.UpdateMemberInput
		}) (*Body[isms.Membership], error) {
			m, err := a.svc.UpdateMember(ctx, in.UserID, in.Body)
			return body(m), err
		})
	op(a, huma.Operation{OperationID: "remove-member", Method: http.MethodDelete, Path: "/members/{user_id}", DefaultStatus: http.StatusNoContent,
		Summary: "Remove a member", Tags: []string{"Members"}, Errors: []int{401, 403, 404, 409}},
		func(ctx context.Context, in *MemberPath) (*Empty, error) {
			return &Empty{}, a.svc.RemoveMember(ctx, in.UserID)
		})

	op(a, huma.Operation{OperationID: "list-invitations", Method: http.MethodGet, Path: "/invitations", Summary: "List invitations (never their secrets)",
		Tags: []string{"Members"}},
		func(ctx context.Context, in *struct {
			PageQuery
			Status string `query:"status" enum:"open,accepted,expired,revoked" doc:"Only invitations in this state"`
		}) (*Body[service.List[isms.Invitation]], error) {
			l, err := a.svc.ListInvitations(ctx, in.Status, in.page())
			if err != nil {
				return nil, problemIn("query", err)
			}
			return body(l), nil
		})
	op(a, huma.Operation{OperationID: "create-invitation", Method: http.MethodPost, Path: "/invitations", DefaultStatus: http.StatusCreated,
		Summary: "Invite someone (the link is returned once)", Tags: []string{"Members"}, Errors: []int{401, 403, 422}},
		func(ctx context.Context, in *struct{ Body service.InviteInput }) (*Body[invitationCreated], error) {
			token, inv, err := a.svc.CreateInvitation(ctx, in.Body)
			return body(invitationCreated{Invitation: inv, Token: token, LinkPath: service.InvitationPath(token)}), err
		})
	op(a, huma.Operation{OperationID: "revoke-invitation", Method: http.MethodDelete, Path: "/invitations/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Revoke an open invitation", Tags: []string{"Members"}, Errors: []int{401, 403, 404, 409}},
		func(ctx context.Context, in *InvitationPath) (*Empty, error) {
			return &Empty{}, a.svc.RevokeInvitation(ctx, in.ID)
		})
	op(a, huma.Operation{OperationID: "accept-invitation", Method: http.MethodPost, Path: "/invitations/accept",
		Summary: "Accept an invitation as the signed-in user (browser session only; an API token may not)",
		Tags:    []string{"Members"}, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			Body struct {
				Token string `json:"token" minLength:"1" maxLength:"200"`
			}
		}) (*Body[service.Actor], error) {
			actor, err := a.svc.AcceptInvitation(ctx, in.Body.Token)
			return body(actor), err
		})

	op(a, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/tokens", Summary: "List API tokens", Tags: []string{"API tokens"}},
		func(ctx context.Context, in *PageQuery) (*Body[service.List[isms.APIToken]], error) {
			l, err := a.svc.ListTokens(ctx, in.page())
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/tokens", DefaultStatus: http.StatusCreated,
		Summary: "Create an API token (the secret is returned once); it expires, and a read token may only read", Tags: []string{"API tokens"}, Errors: []int{401, 403, 422}},
		func(ctx context.Context, in *struct{ Body service.TokenInput }) (*Body[tokenCreated], error) {
			secret, t, err := a.svc.IssueToken(ctx, in.Body)
			return body(tokenCreated{Token: secret, Detail: t}), err
		})
	op(a, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/tokens/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Revoke an API token", Tags: []string{"API tokens"}},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*Empty, error) {
			return &Empty{}, a.svc.RevokeToken(ctx, in.ID)
		})
}
