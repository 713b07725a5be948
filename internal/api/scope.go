package api

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// ScopeExportQuery names the format and the version of a scope download.
type ScopeExportQuery struct {
	Format  string `query:"format" enum:"md,pdf" default:"pdf" doc:"md (Markdown) or pdf"`
	Version int    `query:"version" minimum:"0" doc:"An approved version's number; 0 or absent for the current draft"`
}

// scopeRoutes serve the ISMS scope (4.3): the draft, its approval into numbered versions, the diff and the export.
func (a *API) scopeRoutes() {
	tags := []string{"Context: ISMS scope"}
	op(a, huma.Operation{OperationID: "get-scope", Method: http.MethodGet, Path: "/scope", Summary: "The ISMS scope, its status and its latest approval",
		Description: "`status` is draft (never approved), approved (the same as the latest approved version) or changed (since that approval).", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[service.ScopeView], error) {
			v, err := a.svc.Scope(ctx)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "update-scope", Method: http.MethodPut, Path: "/scope", Summary: "Replace the scope's draft (send the version you read)",
		Description: putDescription + " Before the first save the version is 0.", Tags: tags, Errors: []int{401, 403, 409, 422}},
		func(ctx context.Context, in *struct{ Body service.ScopeInput }) (*Body[service.ScopeView], error) {
			v, err := a.svc.SetScope(ctx, in.Body)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "patch-scope", Method: http.MethodPatch, Path: "/scope", Summary: "Change some parts of the scope's draft (send the version you read)",
		Description: patchDescription, Tags: tags, Errors: []int{401, 403, 409, 422}},
		func(ctx context.Context, in *struct{ Body service.ScopeInput }) (*Body[service.ScopeView], error) {
			v, err := a.svc.PatchScope(ctx, in.Body)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "approve-scope", Method: http.MethodPost, Path: "/scope/approve", DefaultStatus: http.StatusCreated,
		Summary: "Approve the scope's draft as the next version (approvers only)", Description: "Refused (422) while the statement is empty.", Tags: tags},
		func(ctx context.Context, in *struct{ Body ApproveSoABody }) (*Body[isms.ApprovedVersion], error) {
			v, err := a.svc.ApproveScope(ctx, in.Body.Comment)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "list-scope-versions", Method: http.MethodGet, Path: "/scope/versions", Summary: "The approved versions of the scope, newest first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[[]isms.ApprovedVersion], error) {
			v, err := a.svc.ScopeVersions(ctx)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "get-scope-version", Method: http.MethodGet, Path: "/scope/versions/{n}", Summary: "One approved version of the scope, with the scope as approved", Tags: tags},
		func(ctx context.Context, in *SoAVersionPath) (*Body[service.ScopeVersion], error) {
			v, err := a.svc.ScopeVersion(ctx, in.Number)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "diff-scope", Method: http.MethodGet, Path: "/scope/diff", Summary: "What changed between two scope versions, or a version and the draft", Tags: tags},
		func(ctx context.Context, in *struct {
			From string `query:"from" required:"true" maxLength:"10" doc:"A version number or draft"`
			To   string `query:"to" required:"true" maxLength:"10" doc:"A version number or draft"`
		}) (*Body[service.ScopeDiff], error) {
			d, err := a.svc.DiffScope(ctx, in.From, in.To)
			return body(d), err
		})
	content := map[string]*huma.MediaType{}
	for _, f := range service.ScopeExportFormats {
		_, media := service.SoAFileType(f)
		content[media] = &huma.MediaType{Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}
	}
	op(a, huma.Operation{OperationID: "export-scope", Method: http.MethodGet, Path: "/scope/export", Summary: "Download the scope (the draft or an approved version) as Markdown or PDF",
		Description: "A title block with the version, approver, date and content hash, then the scope's parts under headings.",
		Tags:        tags, Errors: []int{401, 403, 404, 422}, Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment", Content: content}}},
		func(ctx context.Context, in *ScopeExportQuery) (*huma.StreamResponse, error) {
			format := strings.ToLower(in.Format)
			ext, media := service.SoAFileType(format)
			version, name := "", "scope-draft"
			if in.Version > 0 {
				version, name = strconv.Itoa(in.Version), "scope-v"+strconv.Itoa(in.Version)
			}
			// ExportScope checks access, the format and the version before its first byte.
			return streamFile(name+"."+ext, media, func(w io.Writer) error { return a.svc.ExportScope(ctx, version, format, w) }), nil
		})
}
