package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// RoleQuery filters the roles register.
type RoleQuery struct {
	Search string `query:"search" doc:"Reference, name or responsibilities contain" maxLength:"200"`
	Kind   string `query:"kind" doc:"Only this kind of role"`
	Person string `query:"person" doc:"Only roles this person holds (person reference, P-001)" maxLength:"100"`
	Sort   string `query:"sort" doc:"ref, name or person; prefix - for descending" maxLength:"100"`
}

// CommitmentQuery filters the leadership commitments.
type CommitmentQuery struct {
	Search string `query:"search" doc:"Reference, title, evidence or document contains" maxLength:"200"`
	Person string `query:"person" doc:"Only commitments of this person (person reference, P-001)" maxLength:"100"`
	Sort   string `query:"sort" doc:"date, ref or title; prefix - for descending" maxLength:"100"`
}

func (a *API) leadershipRoutes() {
	tag := "Leadership"
	op(a, huma.Operation{OperationID: "list-roles", Method: http.MethodGet, Path: "/roles", Summary: "List the ISMS roles (clause 5.3)",
		Description: "With `warnings` about the roles as a whole: no ISMS owner or top-management sponsor, or several.", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			RoleQuery
		}) (*Body[service.RoleList], error) {
			l, err := a.svc.ListRoles(ctx, service.RoleFilter(in.RoleQuery), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-roles", "/roles/export", "Download the ISMS roles as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			RoleQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "roles", in.Format, service.RoleFilter(in.RoleQuery), a.svc.ListRoles, a.svc.ExportRoles)
		})
	filterEnums(a, service.RoleRegister, "/roles", "/roles/export")
	rowRoutes(a, "/roles", "role", tag, rowOps[isms.ISMSRole, service.RoleInput]{get: a.svc.Role, add: a.svc.AddRole,
		update: a.svc.UpdateRole, patch: a.svc.PatchRole, delete: a.svc.DeleteRole, imp: a.svc.ImportRoles})

	op(a, huma.Operation{OperationID: "list-commitments", Method: http.MethodGet, Path: "/commitments", Summary: "List the leadership commitments (clause 5.1)", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			CommitmentQuery
		}) (*Body[service.List[isms.Commitment]], error) {
			l, err := a.svc.ListCommitments(ctx, service.CommitmentFilter(in.CommitmentQuery), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-commitments", "/commitments/export", "Download the leadership commitments as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			CommitmentQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "commitments", in.Format, service.CommitmentFilter(in.CommitmentQuery), a.svc.ListCommitments, a.svc.ExportCommitments)
		})
	rowRoutes(a, "/commitments", "commitment", tag, rowOps[isms.Commitment, service.CommitmentInput]{get: a.svc.Commitment, add: a.svc.AddCommitment,
		update: a.svc.UpdateCommitment, patch: a.svc.PatchCommitment, delete: a.svc.DeleteCommitment, imp: a.svc.ImportCommitments})
}
