package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// Clause 4: internal and external issues, interested parties and their requirements.

// IssueQuery filters the issue register.
type IssueQuery struct {
	Search string `query:"search" doc:"Reference, title, description or effect contains" maxLength:"200"`
	Kind   string `query:"kind" doc:"internal or external"`
	Owner  string `query:"owner" doc:"Only this owner (person reference, P-001)" maxLength:"40"`
	Sort   string `query:"sort" doc:"ref, title, kind, review or updated; prefix - for descending" maxLength:"100"`
}

// PartyQuery filters the interested parties.
type PartyQuery struct {
	Search string `query:"search" doc:"Reference, name or description contains" maxLength:"200"`
	Kind   string `query:"kind" doc:"Only this kind of party"`
	Sort   string `query:"sort" doc:"ref, name, kind or updated; prefix - for descending" maxLength:"100"`
}

// RequirementQuery filters the parties' requirements.
type RequirementQuery struct {
	Search string `query:"search" doc:"Reference, requirement or how it is addressed contains" maxLength:"200"`
	Party  string `query:"party" doc:"Only this party's (reference, IP-001)" maxLength:"40"`
	Type   string `query:"type" doc:"legal, regulatory, contractual or other"`
	Sort   string `query:"sort" doc:"ref, type or updated; prefix - for descending" maxLength:"100"`
}

func (a *API) contextRoutes() {
	tags := []string{"Context: issues"}
	op(a, huma.Operation{OperationID: "list-issues", Method: http.MethodGet, Path: "/issues", Summary: "List the internal and external issues (4.1)", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			IssueQuery
		}) (*Body[service.List[isms.Issue]], error) {
			l, err := a.svc.ListIssues(ctx, service.IssueFilter(in.IssueQuery), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-issues", "/issues/export", "Download the issues as CSV, XLSX or PDF", tags[0]),
		func(ctx context.Context, in *struct {
			ExportQuery
			IssueQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "issues", in.Format, service.IssueFilter(in.IssueQuery), a.svc.ListIssues, a.svc.ExportIssues)
		})
	rowRoutes(a, "/issues", "issue", tags[0], rowOps[isms.Issue, service.IssueInput]{a: "an issue", get: a.svc.Issue, add: a.svc.AddIssue,
		update: a.svc.UpdateIssue, patch: a.svc.PatchIssue, delete: a.svc.DeleteIssue, imp: a.svc.ImportIssues})
	filterEnums(a, service.IssueRegister, "/issues", "/issues/export")
	a.partyRoutes()
}

func (a *API) partyRoutes() {
	tags := []string{"Context: interested parties"}
	op(a, huma.Operation{OperationID: "list-parties", Method: http.MethodGet, Path: "/parties", Summary: "List the interested parties (4.2)", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			PartyQuery
		}) (*Body[service.List[isms.Party]], error) {
			l, err := a.svc.ListParties(ctx, service.PartyFilter(in.PartyQuery), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-parties", "/parties/export", "Download the interested parties, with their requirements, as CSV, XLSX or PDF", tags[0]),
		func(ctx context.Context, in *struct {
			ExportQuery
			PartyQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "parties", in.Format, service.PartyFilter(in.PartyQuery), a.svc.ListParties, a.svc.ExportParties)
		})
	rowRoutes(a, "/parties", "party", tags[0], rowOps[isms.Party, service.PartyInput]{a: "an interested party",
		shows: "Show an interested party with its requirements", deletes: "Delete an interested party and its requirements",
		get: a.svc.Party, add: a.svc.AddParty, update: a.svc.UpdateParty, patch: a.svc.PatchParty, delete: a.svc.DeleteParty,
		imp: a.svc.ImportParties, plural: "interested parties"})
	op(a, huma.Operation{OperationID: "add-party-requirement", Method: http.MethodPost, Path: "/parties/{ref}/requirements", DefaultStatus: http.StatusCreated,
		Summary: "Add a requirement to an interested party", Description: "The party is the one in the path; `party` in the body is ignored.", Tags: tags},
		func(ctx context.Context, in *struct {
			RefPath
			Body service.RequirementInput
		}) (*Body[isms.Requirement], error) {
			r, err := a.svc.AddPartyRequirement(ctx, in.Ref, in.Body)
			return body(r), err
		})
	op(a, huma.Operation{OperationID: "list-requirements", Method: http.MethodGet, Path: "/requirements", Summary: "List the interested parties' requirements", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			RequirementQuery
		}) (*Body[service.List[isms.Requirement]], error) {
			l, err := a.svc.ListRequirements(ctx, service.RequirementFilter(in.RequirementQuery), in.page())
			return body(l), err
		})
	// requirements are added under their party (above)
	rowRoutes(a, "/requirements", "requirement", tags[0], rowOps[isms.Requirement, service.RequirementInput]{get: a.svc.Requirement,
		update: a.svc.UpdateRequirement, patch: a.svc.PatchRequirement, delete: a.svc.DeleteRequirement})
	filterEnums(a, service.PartyRegister, "/parties", "/parties/export")
	filterEnums(a, service.RequirementRegister, "/requirements")
}
