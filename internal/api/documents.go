package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/policy"
	"github.com/praxis-isms/praxis/internal/service"
)

// DocumentPath names a document in a path.
type DocumentPath struct {
	Ref string `path:"ref" doc:"Reference (DOC-001) or id" maxLength:"60"`
}

// DocumentQuery filters the document register; the allowed values of type and status come from the register's
// declaration (filterEnums).
type DocumentQuery struct {
	Search  string `query:"search" doc:"Reference or title contains" maxLength:"200"`
	Type    string `query:"type"`
	Status  string `query:"status" doc:"Status of the latest version"`
	Owner   string `query:"owner" doc:"Owner's person reference (P-001)" maxLength:"100"`
	Overdue string `query:"overdue" enum:"yes,no" doc:"yes: only documents in force whose review date has passed"`
	Sort    string `query:"sort" doc:"ref, title, type, status, next_review, owner or updated; prefix - for descending" maxLength:"100"`
}

func (q DocumentQuery) filter() service.DocumentFilter { return service.DocumentFilter(q) }

// DocumentStep is the version of the document read, for a workflow step.
type DocumentStep struct {
	Version int `json:"version" doc:"The version of the document read (its version field); a change made meanwhile answers 409"`
}

func (a *API) documentRoutes() {
	tags := []string{"Documents"}
	op(a, huma.Operation{OperationID: "list-documents", Method: http.MethodGet, Path: "/documents", Summary: "List the document register (clause 7.5)", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			DocumentQuery
		}) (*Body[service.List[isms.Document]], error) {
			l, err := a.svc.ListDocuments(ctx, in.filter(), in.page())
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "add-document", Method: http.MethodPost, Path: "/documents", DefaultStatus: http.StatusCreated,
		Summary: "Add a document; its content becomes version 1, a draft", Tags: tags},
		func(ctx context.Context, in *struct{ Body service.DocumentInput }) (*Body[isms.Document], error) {
			d, err := a.svc.AddDocument(ctx, in.Body)
			return body(d), err
		})
	op(a, huma.Operation{OperationID: "get-document", Method: http.MethodGet, Path: "/documents/{ref}", Summary: "Show a document", Tags: tags},
		func(ctx context.Context, in *DocumentPath) (*Body[isms.Document], error) {
			d, err := a.svc.Document(ctx, in.Ref)
			return body(d), err
		})
	contentNote := " `content` (with `summary`) changes the draft; when the latest version is approved or retired it starts a new draft " +
		"version, and a version in review goes back to draft."
	op(a, huma.Operation{OperationID: "update-document", Method: http.MethodPut, Path: "/documents/{ref}", Summary: "Update a document (send the version you read)",
		Description: putDescription + contentNote, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			DocumentPath
			Body service.DocumentInput
		}) (*Body[isms.Document], error) {
			d, err := a.svc.UpdateDocument(ctx, in.Ref, in.Body)
			return body(d), err
		})
	op(a, huma.Operation{OperationID: "patch-document", Method: http.MethodPatch, Path: "/documents/{ref}", Summary: "Change some fields of a document (send the version you read)",
		Description: patchDescription + contentNote, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			DocumentPath
			Body service.DocumentInput
		}) (*Body[isms.Document], error) {
			d, err := a.svc.PatchDocument(ctx, in.Ref, in.Body)
			return body(d), err
		})
	op(a, huma.Operation{OperationID: "list-document-versions", Method: http.MethodGet, Path: "/documents/{ref}/versions", Summary: "A document's versions, newest first", Tags: tags},
		func(ctx context.Context, in *DocumentPath) (*Body[[]isms.DocumentVersion], error) {
			v, err := a.svc.DocumentVersions(ctx, in.Ref)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "get-document-version", Method: http.MethodGet, Path: "/documents/{ref}/versions/{n}", Summary: "One version of a document", Tags: tags},
		func(ctx context.Context, in *struct {
			DocumentPath
			Number int `path:"n" minimum:"1" doc:"Version number"`
		}) (*Body[isms.DocumentVersion], error) {
			v, err := a.svc.DocumentVersion(ctx, in.Ref, in.Number)
			return body(v), err
		})
	steps := []struct {
		id, path, summary string
		do                func(context.Context, string, int) (isms.Document, error)
	}{
		{"submit-document", "/documents/{ref}/submit", "Submit the draft for review", a.svc.SubmitDocument},
		{"approve-document", "/documents/{ref}/approve", "Approve the version in review (approvers only): it becomes the version in force", a.svc.ApproveDocument},
		{"retire-document", "/documents/{ref}/retire", "Retire the document: nothing stays in force", a.svc.RetireDocument},
	}
	for _, st := range steps {
		op(a, huma.Operation{OperationID: st.id, Method: http.MethodPost, Path: st.path, Summary: st.summary, Tags: tags,
			Description: "Refused (409) from the wrong status, saying why, and when the document changed meanwhile.", Errors: []int{401, 403, 404, 409, 422}},
			func(ctx context.Context, in *struct {
				DocumentPath
				Body DocumentStep
			}) (*Body[isms.Document], error) {
				d, err := st.do(ctx, in.Ref, in.Body.Version)
				return body(d), err
			})
	}
	op(a, huma.Operation{OperationID: "diff-document", Method: http.MethodGet, Path: "/documents/{ref}/diff", Summary: "Line diff of two versions of a document", Tags: tags},
		func(ctx context.Context, in *struct {
			DocumentPath
			From int `query:"from" minimum:"0" doc:"Version number; 0 or left out: the version before to"`
			To   int `query:"to" minimum:"0" doc:"Version number; 0 or left out: the latest"`
		}) (*Body[service.DocumentDiff], error) {
			d, err := a.svc.DiffDocument(ctx, in.Ref, in.From, in.To)
			return body(d), err
		})
	op(a, huma.Operation{OperationID: "publish-document", Method: http.MethodPost, Path: "/documents/{ref}/publish",
		Summary: "Publish the version in force to all staff, a team (department) or named people", Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			DocumentPath
			Body service.PublishInput
		}) (*Body[service.Publication], error) {
			p, err := a.svc.PublishDocument(ctx, in.Ref, in.Body)
			return body(p), err
		})
	op(a, huma.Operation{OperationID: "get-document-acknowledgements", Method: http.MethodGet, Path: "/documents/{ref}/acknowledgements",
		Summary: "Who has and who has not acknowledged a version", Tags: tags},
		func(ctx context.Context, in *struct {
			DocumentPath
			Number int `query:"version" minimum:"0" doc:"Version number; 0 or left out: the version in force"`
		}) (*Body[isms.Acknowledgements], error) {
			v, err := a.svc.DocumentAcknowledgements(ctx, in.Ref, in.Number)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "acknowledge-document", Method: http.MethodPost, Path: "/documents/{ref}/acknowledgements",
		Summary: "Confirm having read the version in force (yourself, or recorded for a person by an editor)", Tags: tags},
		func(ctx context.Context, in *struct {
			DocumentPath
			Body service.AckInput
		}) (*Body[isms.Acknowledgements], error) {
			v, err := a.svc.AcknowledgeDocument(ctx, in.Ref, in.Body)
			return body(v), err
		})
	op(a, huma.Operation{OperationID: "export-document", Method: http.MethodGet, Path: "/documents/{ref}/export", Tags: tags,
		Summary: "Download a version as Markdown (a header block, then the content exactly as stored) or PDF (a title block, then the content rendered)",
		Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment", Content: map[string]*huma.MediaType{
			"text/markdown": {Schema: &huma.Schema{Type: huma.TypeString}}, mediaPDF: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}}},
		func(ctx context.Context, in *struct {
			DocumentPath
			Number int    `query:"version" minimum:"0" doc:"Version number; 0 or left out: the latest"`
			Format string `query:"format" enum:"md,pdf" default:"md" doc:"md or pdf"`
		}) (*huma.StreamResponse, error) {
			var buf bytes.Buffer // a version is small: written whole first, so that an error is still a problem answer
			if err := a.svc.ExportDocument(ctx, in.Ref, in.Number, in.Format, &buf); err != nil {
				return nil, err
			}
			media := map[string]string{"md": "text/markdown; charset=utf-8", "pdf": mediaPDF}[in.Format]
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				hctx.SetHeader("Content-Type", media)
				hctx.SetHeader("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(in.Ref)+"."+in.Format)
				hctx.BodyWriter().Write(buf.Bytes())
			}}, nil
		})
	op(a, huma.Operation{OperationID: "list-document-templates", Method: http.MethodGet, Path: "/documents/templates",
		Summary: "The policy templates a new document may start from (send its key as template when adding a document)", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[[]policy.Template], error) {
			t, err := a.svc.DocumentTemplates(ctx)
			return body(t), err
		})
	filterEnums(a, service.DocumentRegister, "/documents")
}
