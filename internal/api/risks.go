package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The media types of register files.
const (
	mediaCSV  = "text/csv"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mediaPDF  = "application/pdf"
)

// fileMedia maps an import/export format to its media type.
var fileMedia = map[string]string{"csv": mediaCSV, service.FormatCSVExcel: mediaCSV, "xlsx": mediaXLSX, "pdf": mediaPDF}

// fileExt maps an export format to its file name extension.
func fileExt(format string) string {
	if format == service.FormatCSVExcel {
		return "csv"
	}
	return format
}

// maxImportBytes bounds an uploaded register (a 100,000-row register is well under it).
const maxImportBytes = 64 << 20

// The path parameters. They are exported types because huma reads the parameters of embedded structs only
// when the embedded field is exported.

// AssetPath names an asset in a path.
type AssetPath struct {
	Ref string `path:"ref" doc:"Reference (A-001) or id"`
}

// RiskPath names a risk in a path.
type RiskPath struct {
	Ref string `path:"ref" doc:"Reference (R-001) or id"`
}

// ActionPath names a treatment action in a path.
type ActionPath struct {
	Ref string `path:"ref" doc:"Reference (TA-001) or id"`
}

// AssetQuery filters the asset inventory. The allowed values of type and classification come from the
// register's declaration (filterEnums).
type AssetQuery struct {
	Search         string `query:"search" doc:"Reference, name or location contains" maxLength:"200"`
	Type           string `query:"type"`
	Owner          string `query:"owner" doc:"Owner's person reference (P-001)" maxLength:"100"`
	Classification string `query:"classification"`
	Sort           string `query:"sort" doc:"ref, name, type, owner or updated; prefix - for descending" maxLength:"100"`
}

func (q AssetQuery) filter() service.AssetFilter { return service.AssetFilter(q) }

// RiskQuery filters the risk register.
type RiskQuery struct {
	Search             string `query:"search" doc:"Reference, title, threat or vulnerability contains" maxLength:"200"`
	Owner              string `query:"owner" doc:"Risk owner's person reference (P-001)" maxLength:"100"`
	Treatment          string `query:"treatment" enum:"modify,retain,avoid,share"`
	Control            string `query:"control" doc:"Treated by this Annex A control (8.28)" maxLength:"100"`
	Asset              string `query:"asset" doc:"Affects this asset (A-001)" maxLength:"100"`
	Band               string `query:"band" enum:"low,medium,high" doc:"Inherent score band of the risk method"`
	ResidualBand       string `query:"residual_band" enum:"low,medium,high" doc:"Residual score band of the risk method"`
	Appetite           string `query:"appetite" enum:"above,within" doc:"Current score (residual once assessed, else inherent) above or within the acceptance threshold"`
	Likelihood         int    `query:"likelihood" minimum:"0" maximum:"5" doc:"Inherent likelihood (one heat-map cell with impact)"`
	Impact             int    `query:"impact" minimum:"0" maximum:"5" doc:"Inherent impact"`
	ResidualLikelihood int    `query:"residual_likelihood" minimum:"0" maximum:"5"`
	ResidualImpact     int    `query:"residual_impact" minimum:"0" maximum:"5"`
	Accepted           string `query:"accepted" enum:"yes,no" doc:"Whether the residual risk is accepted"`
	Sort               string `query:"sort" doc:"ref, title, score, residual, current, owner, treatment or updated; prefix - for descending" maxLength:"100"`
}

// riskFilter turns the query into a store filter; score bands need the organisation's method.
func (a *API) riskFilter(ctx context.Context, q RiskQuery) (service.RiskFilter, error) {
	f := service.RiskFilter{Search: q.Search, Owner: q.Owner, Treatment: q.Treatment, Control: strings.TrimPrefix(q.Control, "A."), Asset: q.Asset,
		Likelihood: q.Likelihood, Impact: q.Impact, ResidualLikelihood: q.ResidualLikelihood, ResidualImpact: q.ResidualImpact,
		Accepted: q.Accepted, Sort: q.Sort}
	if q.Band == "" && q.ResidualBand == "" && q.Appetite == "" {
		return f, nil
	}
	m, err := a.svc.RiskMethod(ctx)
	if err != nil {
		return f, err
	}
	if f, err = service.BandFilter(f, m, q.Band, false); err != nil {
		return f, err
	}
	if f, err = service.AppetiteFilter(f, m, q.Appetite); err != nil {
		return f, err
	}
	return service.BandFilter(f, m, q.ResidualBand, true)
}

// ActionQuery filters the treatment plan.
type ActionQuery struct {
	Risk    string `query:"risk" doc:"Only the actions of this risk (R-001)" maxLength:"100"`
	Owner   string `query:"owner" doc:"Owner's person reference (P-001)" maxLength:"100"`
	Status  string `query:"status" enum:"planned,in-progress,done,cancelled"`
	Overdue bool   `query:"overdue" doc:"Only open actions past their due date"`
	Search  string `query:"search" doc:"Reference or title contains" maxLength:"200"`
}

func (q ActionQuery) filter(today string) service.ActionFilter {
	f := service.ActionFilter{Risk: q.Risk, Owner: q.Owner, Status: q.Status, Search: q.Search}
	if q.Overdue {
		f.OverdueOn = today
	}
	return f
}

// ActionView is a treatment action as the API shows it, with whether it is overdue today.
type ActionView = service.ActionView

var actionViews = service.ActionViews

// RiskDetailView is a risk with its bands, history and treatment actions (each marked overdue or not).
type RiskDetailView struct {
	service.RiskDetail
	Actions []ActionView `json:"actions"`
}

// RiskMethodSaved is the saved method and what the change did to the register.
type RiskMethodSaved struct {
	isms.RiskMethod
	Rescored  int      `json:"rescored" doc:"Risks re-scored (and recorded in their history) by this change"`
	Withdrawn []string `json:"withdrawn" doc:"References of the risks whose acceptance this change withdrew (recorded in their history)"`
}

// ImportQuery is what an import takes besides the file.
type ImportQuery struct {
	Format      string `query:"format" enum:"csv,xlsx" doc:"csv or xlsx; default from the Content-Type"`
	RawBody     []byte `contentType:"text/csv"`
	contentType string
}

// Resolve reads the Content-Type of the upload (a media type, not a parameter to document).
func (in *ImportQuery) Resolve(ctx huma.Context) []error {
	in.contentType = ctx.Header("Content-Type")
	return nil
}

// importFormat picks the format from the query parameter or else the Content-Type.
func importFormat(in *ImportQuery) (string, error) {
	if in.Format != "" {
		return in.Format, nil
	}
	mt, _, _ := mime.ParseMediaType(in.contentType)
	switch mt {
	case mediaCSV, "application/csv":
		return "csv", nil
	case mediaXLSX:
		return "xlsx", nil
	}
	return "", huma.Error415UnsupportedMediaType(fmt.Sprintf("send the file as %s or %s (or name the format with ?format=csv|xlsx), not %q",
		mediaCSV, mediaXLSX, in.contentType))
}

// importProblem answers a rejected import: every bad row as its own detail, "line N: field" and the problem.
func importProblem(err error) error {
	e, ok := isms.AsError(err)
	if !ok || e.Kind != isms.KindInvalid {
		return err
	}
	details := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		details[i] = &huma.ErrorDetail{Location: f.Field, Message: f.Message}
	}
	msg := e.Msg
	if len(e.Fields) > 0 {
		msg = fmt.Sprintf("nothing was imported: %d problem(s) to fix, each listed with its line", len(e.Fields))
	}
	return huma.NewError(http.StatusUnprocessableEntity, msg, details...)
}

func importOperation(id, path, summary, tag string) huma.Operation {
	return huma.Operation{OperationID: id, Method: http.MethodPost, Path: path, Summary: summary, Tags: []string{tag},
		Description: "Send the file as the request body with Content-Type `text/csv` or `" + mediaXLSX + "` (or name the format " +
			"with `?format=`). The first row names the columns. The import is all-or-nothing: when any row is bad nothing is written " +
			"and the 422 answer lists every problem as `line N: field` with its message.",
		MaxBodyBytes: maxImportBytes, BodyReadTimeout: 2 * time.Minute,
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			mediaXLSX: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}},
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity}}
}

// ExportQuery names the file format of an export.
type ExportQuery struct {
	Format string `query:"format" enum:"csv,csv-excel,xlsx,pdf" default:"csv" doc:"csv (UTF-8), csv-excel (UTF-8 with a byte order mark, for Excel), xlsx or pdf"`
}

func exportOperation(id, path, summary, tag string) huma.Operation {
	content := map[string]*huma.MediaType{}
	for _, mt := range []string{mediaCSV, mediaXLSX, mediaPDF} {
		content[mt] = &huma.MediaType{Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}
	}
	return huma.Operation{OperationID: id, Method: http.MethodGet, Path: path, Summary: summary, Tags: []string{tag},
		Description: "Downloads the matching rows (the filters of the list) as a file: CSV (UTF-8; `csv-excel` adds the byte order mark Excel needs), XLSX or PDF.",
		Responses:   map[string]*huma.Response{"200": {Description: "The file, as an attachment", Content: content}}}
}

// stream answers a file download. Access and filters are checked before it is called; an error before the
// first byte still becomes a problem+json answer, after it the connection is aborted so that the client sees a
// failed download rather than a complete-looking truncated file.
func stream(name, format string, write func(w io.Writer) error) *huma.StreamResponse {
	return streamFile(name+"."+fileExt(format), fileMedia[format], write)
}

// streamFile is stream with the file name and media type given.
func streamFile(filename, contentType string, write func(w io.Writer) error) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		lw := &lazyWriter{hctx: hctx, contentType: contentType, filename: filename}
		err := write(lw)
		switch {
		case err == nil && !lw.started:
			lw.Write(nil) // an empty file still goes out with its headers
		case err != nil && lw.started:
			panic(http.ErrAbortHandler)
		case err != nil:
			status := Status(err)
			msg := "internal error while writing the export"
			if e, ok := isms.AsError(err); ok {
				msg = e.Msg
				for _, f := range e.Fields {
					msg += "; " + f.Field + ": " + f.Message
				}
			}
			b, _ := json.Marshal(huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: msg})
			hctx.SetHeader("Content-Type", "application/problem+json")
			hctx.SetStatus(status)
			hctx.BodyWriter().Write(b)
		}
	}}
}

// lazyWriter sends the download's headers with its first byte.
type lazyWriter struct {
	hctx        huma.Context
	contentType string
	filename    string
	started     bool
}

func (w *lazyWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		ct := w.contentType
		if strings.HasPrefix(ct, "text/") {
			ct += "; charset=utf-8"
		}
		w.hctx.SetHeader("Content-Type", ct)
		w.hctx.SetHeader("Content-Disposition", `attachment; filename="`+w.filename+`"`)
		w.hctx.SetStatus(http.StatusOK)
	}
	return w.hctx.BodyWriter().Write(p)
}

func (a *API) riskRoutes() {
	a.riskMethodRoutes()
	a.assetRoutes()
	a.riskRegisterRoutes()
	a.treatmentRoutes()
}

func (a *API) riskMethodRoutes() {
	tags := []string{"Risks"}
	op(a, huma.Operation{OperationID: "get-risk-method", Method: http.MethodGet, Path: "/risk-method", Summary: "The risk assessment method",
		Description: "Scales of likelihood and impact, how the score is computed and the acceptance threshold (clause 6.1.2). " +
			"An organisation that never saved one has the default 5x5 method with version 0.", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[isms.RiskMethod], error) {
			m, err := a.svc.RiskMethod(ctx)
			return body(m), err
		})
	op(a, huma.Operation{OperationID: "set-risk-method", Method: http.MethodPut, Path: "/risk-method", Summary: "Change the risk method (send the version you read)",
		Description: "Changing the scoring re-scores every risk. Changing the size of a scale while risks exist answers 409 unless `rescale` " +
			"is true: each risk's levels are then mapped proportionally onto the new scales, and every re-scored risk gets a history entry " +
			"naming its previous levels and scores. An acceptance whose score changed, or is now above a lowered acceptance threshold, is " +
			"withdrawn (listed in `withdrawn`, recorded in the risk's history and the audit trail).",
		Tags: tags, Errors: []int{401, 403, 409, 422}},
		func(ctx context.Context, in *struct{ Body service.RiskMethodInput }) (*Body[RiskMethodSaved], error) {
			res, err := a.svc.SetRiskMethod(ctx, in.Body)
			return body(RiskMethodSaved{RiskMethod: res.Method, Rescored: res.Rescored, Withdrawn: res.Withdrawn}), err
		})
}

func (a *API) assetRoutes() {
	tags := []string{"Assets"}
	op(a, huma.Operation{OperationID: "list-assets", Method: http.MethodGet, Path: "/assets", Summary: "List the asset inventory", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			AssetQuery
		}) (*Body[service.List[isms.Asset]], error) {
			l, err := a.svc.ListAssets(ctx, in.filter(), in.page())
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "add-asset", Method: http.MethodPost, Path: "/assets", DefaultStatus: http.StatusCreated, Summary: "Add an asset", Tags: tags},
		func(ctx context.Context, in *struct{ Body service.AssetInput }) (*Body[isms.Asset], error) {
			x, err := a.svc.AddAsset(ctx, in.Body)
			return body(x), err
		})
	op(a, importOperation("import-assets", "/assets/import", "Import an asset inventory from CSV or XLSX (a row with a ref updates that asset)", "Assets"),
		registerImport(a.svc.ImportAssets, a.svc.PreviewAssetImport))
	op(a, exportOperation("export-assets", "/assets/export", "Download the asset inventory as CSV, XLSX or PDF", "Assets"),
		func(ctx context.Context, in *struct {
			ExportQuery
			AssetQuery
		}) (*huma.StreamResponse, error) {
			f := in.filter()
			// Check access and the filter before the 200 goes out.
			if _, err := a.svc.ListAssets(ctx, f, service.Page{Limit: 1}); err != nil {
				return nil, err
			}
			return stream("assets", in.Format, func(w io.Writer) error { return a.svc.ExportAssets(ctx, f, in.Format, w) }), nil
		})
	filterEnums(a, service.AssetRegister, "/assets", "/assets/export")
	op(a, huma.Operation{OperationID: "get-asset", Method: http.MethodGet, Path: "/assets/{ref}", Summary: "Show an asset", Tags: tags},
		func(ctx context.Context, in *AssetPath) (*Body[isms.Asset], error) {
			x, err := a.svc.Asset(ctx, in.Ref)
			return body(x), err
		})
	op(a, huma.Operation{OperationID: "update-asset", Method: http.MethodPut, Path: "/assets/{ref}", Summary: "Update an asset (send the version you read)",
		Description: putDescription, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			AssetPath
			Body service.AssetInput
		}) (*Body[isms.Asset], error) {
			x, err := a.svc.UpdateAsset(ctx, in.Ref, in.Body)
			return body(x), err
		})
	op(a, huma.Operation{OperationID: "patch-asset", Method: http.MethodPatch, Path: "/assets/{ref}", Summary: "Change some fields of an asset (send the version you read)",
		Description: patchDescription, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			AssetPath
			Body service.AssetInput
		}) (*Body[isms.Asset], error) {
			x, err := a.svc.PatchAsset(ctx, in.Ref, in.Body)
			return body(x), err
		})
	op(a, huma.Operation{OperationID: "delete-asset", Method: http.MethodDelete, Path: "/assets/{ref}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete an asset (it is removed from the risks that name it)", Tags: tags, Errors: []int{401, 403, 404}},
		func(ctx context.Context, in *AssetPath) (*Empty, error) {
			return &Empty{}, a.svc.DeleteAsset(ctx, in.Ref)
		})
}

func (a *API) riskRegisterRoutes() {
	tags := []string{"Risks"}
	op(a, huma.Operation{OperationID: "list-risks", Method: http.MethodGet, Path: "/risks", Summary: "List the risk register", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			RiskQuery
			After string `query:"after" maxLength:"500" doc:"The next value of the page before: reads the page after it by keyset, as fast however deep (offset is then ignored)"`
		}) (*Body[service.RiskPage], error) {
			f, err := a.riskFilter(ctx, in.RiskQuery)
			if err != nil {
				return nil, err
			}
			if in.After != "" || in.Offset == 0 {
				l, err := a.svc.ListRisksAfter(ctx, f, in.After, in.Limit)
				return body(l), err
			}
			l, err := a.svc.ListRisks(ctx, f, in.page())
			return body(service.RiskPage{List: l}), err
		})
	op(a, huma.Operation{OperationID: "add-risk", Method: http.MethodPost, Path: "/risks", DefaultStatus: http.StatusCreated, Summary: "Add a risk",
		Description: "Scores are computed from the organisation's risk method; the first assessment goes into the risk's history. `threat` and " +
			"`vulnerability` may be ids of the library (`T09`, `V18`, see `/catalog/threats`): they become the names, and the title, " +
			"description and controls left out come from the library.", Tags: tags},
		func(ctx context.Context, in *struct{ Body service.RiskInput }) (*Body[service.RiskResult], error) {
			r, err := a.svc.AddRisk(ctx, in.Body)
			return body(r), err
		})
	op(a, huma.Operation{OperationID: "get-risk-heatmap", Method: http.MethodGet, Path: "/risks/heatmap", Summary: "Risks per likelihood and impact",
		Description: "The count of risks in each cell of the matrix, inherent or residual (risks without a residual assessment are left out " +
			"of the residual map), with the method for the scales and bands. List a cell's risks with `/risks?likelihood=L&impact=I`.", Tags: tags},
		func(ctx context.Context, in *struct {
			Residual bool `query:"residual" doc:"The residual risk rather than the inherent risk"`
		}) (*Body[service.HeatMap], error) {
			h, err := a.svc.RiskHeatMap(ctx, in.Residual)
			if h.Cells == nil {
				h.Cells = []service.HeatCell{}
			}
			return body(h), err
		})
	op(a, importOperation("import-risks", "/risks/import", "Import a risk register from CSV or XLSX", "Risks"),
		func(ctx context.Context, in *ImportQuery) (*Body[service.ImportResult], error) {
			format, err := importFormat(in)
			if err != nil {
				return nil, err
			}
			res, err := a.svc.ImportRisks(ctx, format, bytes.NewReader(in.RawBody))
			if err != nil {
				return nil, importProblem(err)
			}
			return body(res), nil
		})
	op(a, exportOperation("export-risks", "/risks/export", "Download the risk register as CSV, XLSX or PDF", "Risks"),
		func(ctx context.Context, in *struct {
			ExportQuery
			RiskQuery
		}) (*huma.StreamResponse, error) {
			f, err := a.riskFilter(ctx, in.RiskQuery)
			if err != nil {
				return nil, err
			}
			// Check access and the filter before the 200 goes out.
			if _, err := a.svc.ListRisks(ctx, f, service.Page{Limit: 1}); err != nil {
				return nil, err
			}
			return stream("risk-register", in.Format, func(w io.Writer) error { return a.svc.ExportRisks(ctx, f, in.Format, w) }), nil
		})
	op(a, huma.Operation{OperationID: "get-risk", Method: http.MethodGet, Path: "/risks/{ref}", Summary: "Show a risk with its history and treatment actions", Tags: tags},
		func(ctx context.Context, in *RiskPath) (*Body[RiskDetailView], error) {
			d, err := a.svc.Risk(ctx, in.Ref)
			if err != nil {
				return nil, err
			}
			return body(RiskDetailView{RiskDetail: d, Actions: actionViews(d.Actions, a.svc.Today())}), nil
		})
	op(a, huma.Operation{OperationID: "update-risk", Method: http.MethodPut, Path: "/risks/{ref}", Summary: "Update or reassess a risk (send the version you read)",
		Description: putDescription + " A change of likelihood, impact, residual values or treatment is a reassessment recorded in the risk's history; " +
			"a change of the accepted risk (the residual one, or the inherent one when no residual is assessed) withdraws its acceptance.",
		Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RiskPath
			Body service.RiskInput
		}) (*Body[service.RiskResult], error) {
			r, err := a.svc.UpdateRisk(ctx, in.Ref, in.Body)
			return body(r), err
		})
	op(a, huma.Operation{OperationID: "patch-risk", Method: http.MethodPatch, Path: "/risks/{ref}", Summary: "Change some fields of a risk (send the version you read)",
		Description: patchDescription + " A change of the assessment is recorded and withdraws an acceptance as with PUT; `assets` and " +
			"`controls`, when sent, replace the lists.",
		Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RiskPath
			Body service.RiskInput
		}) (*Body[service.RiskResult], error) {
			r, err := a.svc.PatchRisk(ctx, in.Ref, in.Body)
			return body(r), err
		})
	op(a, huma.Operation{OperationID: "delete-risk", Method: http.MethodDelete, Path: "/risks/{ref}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete a risk with its history and treatment actions", Tags: tags, Errors: []int{401, 403, 404}},
		func(ctx context.Context, in *RiskPath) (*Empty, error) {
			return &Empty{}, a.svc.DeleteRisk(ctx, in.Ref)
		})
	op(a, huma.Operation{OperationID: "accept-risk", Method: http.MethodPost, Path: "/risks/{ref}/accept", Summary: "Accept the residual risk",
		Description: "Only the risk owner (the person whose email is the caller's) or an approver may accept. The risk is accepted as it " +
			"stands: its residual score once assessed, else its inherent score; a risk under treatment `modify` needs its residual risk " +
			"assessed first (422). Above the method's acceptance threshold a comment is required.", Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RiskPath
			Body service.AcceptRiskInput
		}) (*Body[isms.Risk], error) {
			r, err := a.svc.AcceptRisk(ctx, in.Ref, in.Body)
			return body(r), err
		})
}

func (a *API) treatmentRoutes() {
	tags := []string{"Treatment plan"}
	op(a, huma.Operation{OperationID: "list-treatment-actions", Method: http.MethodGet, Path: "/treatment-actions", Summary: "List the risk treatment plan",
		Description: "Actions by due date (undated last); each says whether it is overdue.", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			ActionQuery
		}) (*Body[service.List[ActionView]], error) {
			today := a.svc.Today()
			l, err := a.svc.ListActions(ctx, in.filter(today), in.page())
			if err != nil {
				return nil, err
			}
			return body(service.List[ActionView]{Items: actionViews(l.Items, today), Total: l.Total, Limit: l.Limit, Offset: l.Offset}), nil
		})
	op(a, exportOperation("export-treatment-actions", "/treatment-actions/export", "Download the risk treatment plan as CSV, XLSX or PDF", "Treatment plan"),
		func(ctx context.Context, in *struct {
			ExportQuery
			ActionQuery
		}) (*huma.StreamResponse, error) {
			f := in.filter(a.svc.Today())
			// Check access before the 200 goes out.
			if _, err := a.svc.ListActions(ctx, f, service.Page{Limit: 1}); err != nil {
				return nil, err
			}
			return stream("treatment-plan", in.Format, func(w io.Writer) error { return a.svc.ExportActions(ctx, f, in.Format, w) }), nil
		})
	op(a, huma.Operation{OperationID: "add-treatment-action", Method: http.MethodPost, Path: "/risks/{ref}/actions", DefaultStatus: http.StatusCreated,
		Summary: "Add a treatment action to a risk", Tags: tags, Errors: []int{401, 403, 404, 422}},
		func(ctx context.Context, in *struct {
			RiskPath
			Body service.ActionInput
		}) (*Body[ActionView], error) {
			t, err := a.svc.AddAction(ctx, in.Ref, in.Body)
			return body(ActionView{TreatmentAction: t, Overdue: t.Overdue(a.svc.Today())}), err
		})
	op(a, huma.Operation{OperationID: "update-treatment-action", Method: http.MethodPut, Path: "/treatment-actions/{ref}",
		Summary: "Update a treatment action (send the version you read)", Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			ActionPath
			Body service.ActionInput
		}) (*Body[ActionView], error) {
			t, err := a.svc.UpdateAction(ctx, in.Ref, in.Body)
			return body(ActionView{TreatmentAction: t, Overdue: t.Overdue(a.svc.Today())}), err
		})
	op(a, huma.Operation{OperationID: "patch-treatment-action", Method: http.MethodPatch, Path: "/treatment-actions/{ref}",
		Summary: "Change some fields of a treatment action, such as its status (send the version you read)", Description: patchDescription,
		Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			ActionPath
			Body service.ActionInput
		}) (*Body[ActionView], error) {
			t, err := a.svc.PatchAction(ctx, in.Ref, in.Body)
			return body(ActionView{TreatmentAction: t, Overdue: t.Overdue(a.svc.Today())}), err
		})
}
