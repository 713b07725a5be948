package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) metricCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.Metric, service.MetricInput, service.MetricFilter]{use: "metric", noun: "metric",
		plural: "metrics", short: "Metrics and measurements (9.1): list, show, add, set, measure, measurements, delete, export",
		reg:  service.MetricRegister,
		list: (*service.Service).ListMetrics, get: (*service.Service).Metric, add: (*service.Service).AddMetric,
		patch: (*service.Service).PatchMetric, delete: (*service.Service).DeleteMetric, export: (*service.Service).ExportMetrics,
		label: func(m isms.Metric) string { return m.Ref + " " + m.Title },
		stamp: func(in *service.MetricInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		filters: func(c *cobra.Command, f *service.MetricFilter) func(*service.Service) {
			var late bool
			c.Flags().BoolVar(&late, "late", false, "only metrics whose next measurement is late")
			return func(svc *service.Service) {
				if late {
					f.LateOn = svc.Today()
				}
			}
		},
		// --control 8.8 (repeatable, or comma-separated) sets the controls it watches; --control "" clears them.
		more: func(c *cobra.Command, in *service.MetricInput) map[string]string {
			c.Flags().StringSliceVar(&in.Controls, "control", nil, "an Annex A control it watches (8.8); repeat or separate by commas")
			return map[string]string{"control": "controls"}
		},
	})
	run := func(dryRun bool) func(*service.Service) importFunc {
		return func(svc *service.Service) importFunc {
			return func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error) {
				return svc.ImportMeasurements(ctx, format, r, dryRun)
			}
		}
	}
	imp := e.importCmd("measurement", run(false), run(true))
	imp.Use, imp.Short = "import-measurements FILE", "Import measurements from a CSV or XLSX file with the columns metric, taken_on, value and optionally note (all or nothing; every bad row is listed as line N: field: problem)"
	cmd.AddCommand(e.measureCmd(), e.measurementsCmd(), imp)
	return cmd
}

// measureCmd records a value: praxis metric measure M-001 97.5 --on 2026-11-30.
func (e *env) measureCmd() *cobra.Command {
	var in service.MeasurementInput
	c := &cobra.Command{Use: "measure REF VALUE", Short: "Record a measurement of a metric (a number such as 97.5)", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			in.Value = args[1]
			m, err := svc.RecordMeasurement(ctx, args[0], in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Recorded %s for %s on %s.\n", m.Value, args[0], m.TakenOn)
			return nil
		}}
	c.Flags().StringVar(&in.TakenOn, "on", "", "the day it was measured, YYYY-MM-DD (default today)")
	c.Flags().StringVar(&in.Note, "note", "", "what explains the value")
	return c
}

// measurementsCmd lists a metric's measurements, the latest first.
func (e *env) measurementsCmd() *cobra.Command {
	var limit, offset int
	c := &cobra.Command{Use: "measurements REF", Short: "List the measurements of a metric, the latest first", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			items, total, err := listAll(limit, offset, func(p service.Page) (service.List[isms.Measurement], error) {
				return svc.Measurements(ctx, args[0], p)
			})
			if err != nil {
				return err
			}
			e.shown(len(items), offset, total, "measurement")
			t := table{headers: []string{"taken on", "value", "note", "recorded by"}, value: items}
			for _, m := range items {
				t.rows = append(t.rows, []string{m.TakenOn, m.Value, m.Note, m.RecordedBy})
			}
			return e.print(t)
		}}
	listFlags(c, &limit, &offset)
	return c
}
