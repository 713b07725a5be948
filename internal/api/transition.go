package api

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/service"
)

// transitionRoutes serve the transition from ISO/IEC 27001:2013 to 2022: the import of a 2013 SoA (or its
// preview), the state of the open decisions and the report, through the same service methods as the web and
// the CLI.
func (a *API) transitionRoutes() {
	tags := []string{"Transition 2013 to 2022"}
	imp := importOperation("import-transition", "/transition/import",
		"Import a 2013 Statement of Applicability into the 2022 SoA through the official mapping", tags[0])
	imp.Description += " Columns are found by their header (control, ref or id; applicable, applicability or included; justification " +
		"or reason; status or implementation; notes), other columns are ignored, values may be loose (A 5.1.1, a.05.01.01; yes, N, 1; " +
		"in progress). Each 2022 control takes the answer of its one 2013 source, merges the answers of several that agree, or is left " +
		"undecided and marked for a decision (sources that disagree, controls new in 2022). Entries already decided in the 2022 SoA are " +
		"kept unless `overwrite` is set."
	op(a, imp, func(ctx context.Context, in *struct {
		ImportQuery
		DryRunQuery
		Overwrite bool `query:"overwrite" doc:"replace entries already decided in the 2022 SoA with the 2013 answers (default: keep them and report them as kept)"`
	}) (*Body[service.TransitionImport], error) {
		format, err := importFormat(&in.ImportQuery)
		if err != nil {
			return nil, err
		}
		res, err := a.svc.ImportTransition(ctx, format, bytes.NewReader(in.RawBody), service.TransitionImportInput{DryRun: in.DryRun, Overwrite: in.Overwrite})
		if err != nil {
			return nil, importProblem(err)
		}
		return body(res), nil
	})
	op(a, huma.Operation{OperationID: "get-transition", Method: http.MethodGet, Path: "/transition", Tags: tags,
		Summary: "The transition: each 2022 control with its 2013 sources and their answers, what the import made of it and its SoA entry now; how many marked decisions are decided"},
		func(ctx context.Context, _ *struct{}) (*Body[service.TransitionStatus], error) {
			st, err := a.svc.TransitionStatus(ctx)
			return body(st), err
		})
	media := map[string]string{"md": "text/markdown; charset=utf-8", "pdf": mediaPDF, "xlsx": mediaXLSX}
	op(a, huma.Operation{OperationID: "get-transition-report", Method: http.MethodGet, Path: "/transition/report", Tags: tags,
		Summary: "Download the transition report as Markdown, PDF or XLSX: each 2022 control, each 2013 control and the new controls",
		Errors:  []int{401, 403, 404, 422},
		Responses: map[string]*huma.Response{"200": {Description: "The report, as an attachment", Content: map[string]*huma.MediaType{
			"text/markdown": {Schema: &huma.Schema{Type: huma.TypeString}}, mediaPDF: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
			mediaXLSX: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}}},
		func(ctx context.Context, in *struct {
			Format string `query:"format" enum:"md,pdf,xlsx" default:"pdf" doc:"md, pdf or xlsx"`
		}) (*huma.StreamResponse, error) {
			var buf bytes.Buffer // a report is small: written whole first, so that an error is still a problem answer
			if err := a.svc.ExportTransition(ctx, in.Format, &buf); err != nil {
				return nil, err
			}
			return streamFile(service.TransitionReportName(in.Format), media[in.Format], func(w io.Writer) error {
				_, err := w.Write(buf.Bytes())
				return err
			}), nil
		})
}
