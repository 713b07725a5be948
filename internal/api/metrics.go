package api

import (
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// MetricQuery filters the metrics register.
type MetricQuery struct {
	Search    string `query:"search" doc:"Reference, title, description or method contains" maxLength:"200"`
	Frequency string `query:"frequency" doc:"Only metrics measured this often"`
	Owner     string `query:"owner" doc:"Only this owner (person reference, P-001)" maxLength:"100"`
	Objective string `query:"objective" doc:"Only metrics of this objective (OBJ-001)" maxLength:"100"`
	Late      bool   `query:"late" doc:"Only metrics whose next measurement is late today"`
	Sort      string `query:"sort" doc:"ref, title, last_taken, next_due or owner; prefix - for descending" maxLength:"100"`
}

func (q MetricQuery) filter(today string) service.MetricFilter {
	f := service.MetricFilter{Search: q.Search, Frequency: q.Frequency, Owner: q.Owner, Objective: q.Objective, Sort: q.Sort}
	if q.Late {
		f.LateOn = today
	}
	return f
}

// svgFile is an image answered inline.
type svgFile struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (a *API) metricRoutes() {
	tag := "Metrics"
	op(a, huma.Operation{OperationID: "list-metrics", Method: http.MethodGet, Path: "/metrics", Summary: "List the metrics (clause 9.1)",
		Description: "Each carries its latest value, whether that meets the target (status), whether the next measurement is late, and the trend of its last values.",
		Tags:        []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			MetricQuery
		}) (*Body[service.List[isms.Metric]], error) {
			l, err := a.svc.ListMetrics(ctx, in.filter(a.svc.Today()), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-metrics", "/metrics/export", "Download the metrics as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			MetricQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "metrics", in.Format, in.filter(a.svc.Today()), a.svc.ListMetrics, a.svc.ExportMetrics)
		})
	filterEnums(a, service.MetricRegister, "/metrics", "/metrics/export")
	rowRoutes(a, "/metrics", "metric", tag, rowOps[isms.Metric, service.MetricInput]{
		get: a.svc.Metric, add: a.svc.AddMetric, update: a.svc.UpdateMetric, patch: a.svc.PatchMetric, delete: a.svc.DeleteMetric})
	op(a, huma.Operation{OperationID: "list-measurements", Method: http.MethodGet, Path: "/metrics/{ref}/measurements",
		Summary: "List the measurements of a metric, the latest first", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			RefPath
			PageQuery
		}) (*Body[service.List[isms.Measurement]], error) {
			l, err := a.svc.Measurements(ctx, in.Ref, in.page())
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "record-measurement", Method: http.MethodPost, Path: "/metrics/{ref}/measurements", DefaultStatus: http.StatusCreated,
		Summary: "Record a measurement of a metric", Description: "The value is a number such as 97.5; the day defaults to today and may not be in the future.",
		Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			RefPath
			Body service.MeasurementInput
		}) (*Body[isms.Measurement], error) {
			m, err := a.svc.RecordMeasurement(ctx, in.Ref, in.Body)
			return body(m), err
		})
	imp := func(dryRun bool) func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error) {
		return func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error) {
			return a.svc.ImportMeasurements(ctx, format, r, dryRun)
		}
	}
	op(a, importOperation("import-measurements", "/metrics/measurements/import",
		"Import measurements from CSV or XLSX (columns metric, taken_on, value and optionally note)", tag), registerImport(imp(false), imp(true)))
	op(a, huma.Operation{OperationID: "metric-chart", Method: http.MethodGet, Path: "/metrics/{ref}/chart.svg",
		Summary: "The trend chart of a metric as SVG", Description: "Its recent values over time with the target as a dashed line.",
		Tags: []string{tag}, Responses: map[string]*huma.Response{"200": {Description: "The chart",
			Content: map[string]*huma.MediaType{"image/svg+xml": {Schema: &huma.Schema{Type: huma.TypeString}}}}}},
		func(ctx context.Context, in *RefPath) (*svgFile, error) {
			m, err := a.svc.Metric(ctx, in.Ref)
			if err != nil {
				return nil, err
			}
			return &svgFile{ContentType: "image/svg+xml", Body: []byte(service.MetricTrend(m, "chart").SVG())}, nil
		})
}
