package service

import (
	"context"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// measurementFields are the columns of a measurements file: the metric, the day and the value, and a note.
var measurementFields = []importer.Field{
	{Name: "metric", Aliases: []string{"metric_ref", "ref"}, Required: true},
	{Name: "taken_on", Aliases: []string{"date", "day", "measured_on"}, Required: true},
	{Name: "value", Required: true},
	{Name: "note", Aliases: []string{"notes", "comment"}},
}

// ImportMeasurements records the measurements of a CSV or XLSX file (metric, taken_on, value, note), all or
// nothing: any bad row (an unknown metric, a day that is no date or in the future, a value that is no number)
// is listed as "line N: field" and nothing is written; dryRun only checks. Each metric's latest value moves as
// RecordMeasurement moves it, and each metric measured gets one audit event with the number of values added.
func (s *Service) ImportMeasurements(ctx context.Context, format string, r io.Reader, dryRun bool) (ImportResult, error) {
	res := ImportResult{Refs: []string{}, Ignored: []string{}, Warnings: []string{}, DryRun: dryRun}
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return res, err
	}
	if !isImportFormat(format) {
		return res, isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(ImportFormats, ", ")})
	}
	rows, err := importSource(ctx, format, r, measurementFields)
	if err != nil {
		return res, err
	}
	// The rows are read first (at most MaxImportRows), so that the metrics they name resolve with one query.
	var read []*importer.Row
	if err := rows(func(row *importer.Row) error {
		if len(read) == 0 && row.Ignored() != nil {
			res.Ignored = row.Ignored()
		}
		read = append(read, row)
		return nil
	}); err != nil {
		return ImportResult{Refs: []string{}, Ignored: []string{}, Warnings: []string{}, DryRun: dryRun}, err
	}
	run := s.store.Write
	if dryRun {
		run = s.store.Read
	}
	today, now := s.Today(), s.now()
	err = run(ctx, func(tx *store.Tx) error {
		refs := make([]string, len(read))
		for i, row := range read {
			refs[i] = row.Get("metric")
		}
		metrics, err := store.Metrics.GetMany(ctx, tx, a.OrgID, refs)
		if err != nil {
			return err
		}
		var p importProblems
		added := map[string][]isms.Measurement{} // by metric reference, in file order
		var order []string
		for _, row := range read {
			p.add(row.Problems...)
			var rp isms.Problems
			metric, ok := metrics[strings.ToUpper(row.Get("metric"))]
			if !ok {
				rp.Add(row.Prefix()+"metric", "no metric %q", row.Get("metric"))
			}
			m := isms.Measurement{ID: store.NewID(), MetricID: metric.ID, RecordedBy: a.Name, CreatedAt: now}
			MeasurementInput{TakenOn: row.Get("taken_on"), Value: row.Get("value"), Note: row.Get("note")}.check(&rp, row.Prefix(), today, &m)
			if row.Get("taken_on") == "" {
				rp.Add(row.Prefix()+"taken_on", "is required")
			}
			p.add(rp...)
			if len(rp) == 0 && ok {
				if _, seen := added[metric.Ref]; !seen {
					order = append(order, metric.Ref)
				}
				added[metric.Ref] = append(added[metric.Ref], m)
			}
		}
		if p.failed() {
			return p.err()
		}
		for _, ref := range order {
			res.Added += len(added[ref])
			res.Refs = append(res.Refs, ref)
		}
		if dryRun {
			return nil
		}
		var all []isms.Measurement
		for _, ref := range order {
			all = append(all, added[ref]...)
		}
		if err := tx.InsertMeasurements(ctx, a.OrgID, all); err != nil {
			return err
		}
		// One update and one audit event per metric measured (a file names a few metrics, each many times).
		for _, ref := range order {
			metric := metrics[ref]
			latest := metric
			for _, m := range added[ref] {
				if m.TakenOn >= latest.LastTaken {
					latest.LastTaken, latest.LastValue = m.TakenOn, m.Value
				}
			}
			if latest.LastTaken != metric.LastTaken || latest.LastValue != metric.LastValue {
				if err := tx.SetMetricLatest(ctx, a.OrgID, metric.ID, latest.LastTaken, latest.LastValue, latest.NextDueDay()); err != nil {
					return err
				}
			}
			if err := s.audit(ctx, tx, a, "import", "metric", metric.ID, metric.Ref, nil,
				map[string]any{"measurements": added[ref]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{Refs: []string{}, Ignored: []string{}, Warnings: []string{}, DryRun: dryRun}, err
	}
	return res, nil
}
