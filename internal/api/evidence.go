package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// EvidenceQuery filters the evidence register.
type EvidenceQuery struct {
	Search  string `query:"search" doc:"Reference, title, description, file name or SHA-256 contains" maxLength:"200"`
	Kind    string `query:"kind" doc:"Only this kind"`
	Status  string `query:"status" doc:"Only this status today: current, expiring (valid for at most 30 more days) or expired"`
	Control string `query:"control" doc:"Only evidence for this Annex A control (8.28)" maxLength:"20"`
	Clause  string `query:"clause" doc:"Only evidence for this clause (9.2)" maxLength:"20"`
	Task    string `query:"task" doc:"Only evidence for this task (T-001)" maxLength:"20"`
	Owner   string `query:"owner" doc:"Only this owner (person reference, P-001)" maxLength:"100"`
	Sort    string `query:"sort" doc:"ref, title, collected, valid_until or kind; prefix - for descending" maxLength:"100"`
}

func (q EvidenceQuery) filter() service.EvidenceFilter {
	return service.EvidenceFilter{Search: q.Search, Kind: q.Kind, Status: q.Status, Control: q.Control, Clause: q.Clause,
		Task: q.Task, Owner: q.Owner, Sort: q.Sort}
}

// EvidenceItem is a piece of evidence as the API shows it (the schema name Evidence is the mandatory list's).
type EvidenceItem struct {
	isms.Evidence
}

func evidenceItem(e isms.Evidence, err error) (EvidenceItem, error) { return EvidenceItem{e}, err }

// requestKey carries the HTTP request of an operation that reads its own body (an upload, streamed).
type requestKey struct{}

// uploadReadTime is how long an upload may take to arrive, beyond the server's read timeout for other requests.
const uploadReadTime = 15 * time.Minute

// withRequest is the middleware of such an operation: huma leaves the body unread (the input has no Body), the
// body gets the time a large file needs, and the handler finds the request in its context.
func withRequest(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	if _, ok := service.ActorFrom(r.Context()); ok { // only a caller with credentials gets the longer deadline
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTime)) //nolint:errcheck // best effort
	}
	next(huma.WithValue(ctx, requestKey{}, r))
}

// uploadSlack is what a multipart body may carry beyond the file: its fields and part headers.
const uploadSlack = 1 << 20

func (a *API) evidenceRoutes() {
	tag := "Evidence"
	op(a, huma.Operation{OperationID: "list-evidence", Method: http.MethodGet, Path: "/evidence", Summary: "List the evidence register",
		Description: "Files, links and notes that show controls and clauses at work, each with its status today.", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			EvidenceQuery
		}) (*Body[service.List[EvidenceItem]], error) {
			l, err := a.svc.ListEvidence(ctx, in.filter(), in.page())
			out := service.List[EvidenceItem]{Items: make([]EvidenceItem, len(l.Items)), Total: l.Total, Limit: l.Limit, Offset: l.Offset}
			for i, e := range l.Items {
				out.Items[i] = EvidenceItem{e}
			}
			return body(out), err
		})
	op(a, exportOperation("export-evidence", "/evidence/export", "Download the evidence register as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			EvidenceQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "evidence", in.Format, in.filter(), a.svc.ListEvidence, a.svc.ExportEvidence)
		})
	filterEnums(a, service.EvidenceRegister, "/evidence", "/evidence/export")
	jsonSchema := a.h.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(service.EvidenceInput{}), true, "")
	op(a, huma.Operation{OperationID: "add-evidence", Method: http.MethodPost, Path: "/evidence", DefaultStatus: http.StatusCreated,
		Summary: "Add evidence: a link or a note (JSON), or a file (multipart/form-data)", Tags: []string{tag},
		Description: "A link or a note is a JSON body. A file is a multipart/form-data body: the fields of the JSON body as form " +
			"fields (controls, clauses and tasks repeated or comma-separated), sent BEFORE the `file` part, which is streamed to the " +
			"file store and hashed (SHA-256) as it arrives. A file beyond the upload limit (--max-upload, default 50 MB) is refused " +
			"with 413. Auditors may add evidence too.",
		Middlewares: huma.Middlewares{withRequest},
		Errors:      []int{401, 403, 413, 415, 422}},
		func(ctx context.Context, _ *struct{}) (*Body[EvidenceItem], error) {
			e, err := evidenceItem(a.addEvidence(ctx, ctx.Value(requestKey{}).(*http.Request)))
			return body(e), err
		})
	// The body is described only now: described at registration, huma would read and check it itself.
	for _, item := range a.h.OpenAPI().Paths {
		if item.Post != nil && item.Post.OperationID == "add-evidence" {
			item.Post.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
				"application/json": {Schema: jsonSchema},
				"multipart/form-data": {Schema: &huma.Schema{Type: huma.TypeObject, Properties: map[string]*huma.Schema{
					"file": {Type: huma.TypeString, Format: "binary", Description: "The file, after the other fields"}}}},
			}}
		}
	}
	op(a, huma.Operation{OperationID: "get-evidence-file", Method: http.MethodGet, Path: "/evidence/{ref}/file", Summary: "Download the file of a piece of evidence",
		Description: "Sent as an attachment with its detected type (types a browser would run, such as HTML or SVG, as " +
			"application/octet-stream). The stored bytes are checked against the SHA-256 recorded before anything is sent: a file " +
			"that no longer matches is refused with 409.", Tags: []string{tag},
		Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment",
			Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}},
		Errors: []int{401, 403, 404, 409}},
		func(ctx context.Context, in *RefPath) (*huma.StreamResponse, error) {
			e, rc, err := a.svc.OpenEvidenceFile(ctx, in.Ref)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				defer rc.Close()
				for _, h := range service.EvidenceFileHeaders(e) {
					hctx.SetHeader(h[0], h[1])
				}
				hctx.SetStatus(http.StatusOK)
				if _, err := io.Copy(hctx.BodyWriter(), rc); err != nil {
					// The bytes changed while they were sent: abort, so the client sees a failed download.
					panic(http.ErrAbortHandler)
				}
			}}, nil
		})
	rowRoutes(a, "/evidence", "evidence", tag, rowOps[EvidenceItem, service.EvidenceInput]{a: "a piece of evidence",
		get: func(ctx context.Context, ref string) (EvidenceItem, error) {
			return evidenceItem(a.svc.Evidence(ctx, ref))
		},
		update: func(ctx context.Context, ref string, in service.EvidenceInput) (EvidenceItem, error) {
			return evidenceItem(a.svc.UpdateEvidence(ctx, ref, in))
		},
		patch: func(ctx context.Context, ref string, in service.EvidenceInput) (EvidenceItem, error) {
			return evidenceItem(a.svc.PatchEvidence(ctx, ref, in))
		},
		delete:  a.svc.DeleteEvidence,
		deletes: "Delete a piece of evidence (refused while a task, training record, approved SoA, audit or finding names it)"})
}

// addEvidence reads an add of evidence: JSON for a link or a note, multipart/form-data for a file.
func (a *API) addEvidence(ctx context.Context, r *http.Request) (isms.Evidence, error) {
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/json", "":
		var in service.EvidenceInput
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
			return isms.Evidence{}, isms.Invalid(isms.FieldError{Field: "body", Message: err.Error()})
		}
		return a.svc.AddEvidence(ctx, in)
	case "multipart/form-data":
	default:
		return isms.Evidence{}, huma.Error415UnsupportedMediaType("send application/json (a link or a note) or multipart/form-data (a file)")
	}
	body := http.MaxBytesReader(nil, r.Body, a.svc.MaxUpload()+uploadSlack)
	e, err := a.svc.AddEvidenceForm(ctx, multipart.NewReader(body, params["boundary"]), url.Values{})
	return e, uploadError(err)
}

// uploadError answers a body beyond its limit with 413, and an upload too large for the service (its own
// limit) too; other errors pass as they are.
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return huma.Error413RequestEntityTooLarge("the upload is larger than the limit (--max-upload, PRAXIS_MAX_UPLOAD)")
	}
	if e, ok := isms.AsError(err); ok && e.Kind == isms.KindInvalid && len(e.Fields) == 1 && e.Fields[0].Field == "file" &&
		strings.HasPrefix(e.Fields[0].Message, "is larger than") {
		return huma.Error413RequestEntityTooLarge("file " + e.Fields[0].Message)
	}
	return err
}
