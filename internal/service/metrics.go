package service

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/chart"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// MetricFilter narrows the metric list.
type MetricFilter = store.MetricFilter

// MetricRegister is the declaration of the metrics register.
var MetricRegister = store.Metrics

// recentValues is how many of its last measurements a metric is shown with (trend, sparkline, chart).
const recentValues = 24

// MetricInput is the editable part of a metric. Owner is a person's reference, name or email; Objective an
// objective's reference; Controls Annex A 2022 ids.
type MetricInput struct {
	Title       string   `json:"title" doc:"What is measured"`
	Description string   `json:"description" doc:"Why it is measured and what it says about the ISMS"`
	Method      string   `json:"method" doc:"How it is measured: the source of the data and the calculation"`
	Unit        string   `json:"unit" doc:"The unit of the values (%, days, incidents)"`
	Frequency   string   `json:"frequency" doc:"weekly, monthly (the default), quarterly, half-yearly or yearly"`
	Direction   string   `json:"direction" doc:"at-least (the default: higher is better) or at-most (lower is better)"`
	Target      string   `json:"target" doc:"The target value, a number such as 95 or 2.5"`
	Owner       string   `json:"owner" doc:"Who owns it: a person's reference, name or email"`
	Objective   string   `json:"objective" doc:"The information security objective it tracks (OBJ-001)"`
	Controls    []string `json:"controls" doc:"The Annex A controls it watches (5.1, 8.8)"`
	Version     int      `json:"version" doc:"The version read; required for a change"`
	Sent        Sent     `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *MetricInput) UnmarshalJSON(b []byte) error {
	type plain MetricInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// choice is v trimmed and lower-cased, or def when empty; a value not in list is a problem under field.
func choice(p *isms.Problems, field, v, def string, list []string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		v = def
	}
	if !isms.OneOf(v, list) {
		p.Add(field, "must be one of %s", strings.Join(list, ", "))
	}
	return v
}

// applyMetric validates in and copies it onto m: the owner found among people, the objective among objectives.
func (s *Service) applyMetric(p *isms.Problems, in MetricInput, people, objectives map[string]store.Target, m *isms.Metric) {
	isms.CheckText(p, "title", in.Title, 200)
	checkLong(p, map[string]string{"description": in.Description, "method": in.Method})
	unit := strings.TrimSpace(in.Unit)
	if len(unit) > 20 {
		p.Add("unit", "must be at most 20 characters")
	}
	target := strings.TrimSpace(in.Target)
	isms.CheckDecimal(p, "target", target)
	m.Frequency = choice(p, "frequency", in.Frequency, "monthly", isms.MetricFrequencies)
	m.Direction = choice(p, "direction", in.Direction, "at-least", isms.MetricDirections)
	owner := resolveTarget(p, "owner", in.Owner, people, "person")
	objective := resolveTarget(p, "objective", in.Objective, objectives, "objective")
	m.Controls = s.annexControls(p, "controls", in.Controls)
	m.Title, m.Description, m.Method = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.Method)
	m.Unit, m.Target = unit, target
	m.OwnerID, m.Owner, m.OwnerName = owner.ID, owner.Ref, owner.Name
	m.ObjectiveID, m.Objective, m.ObjectiveTitle = objective.ID, objective.Ref, objective.Name
}

// ListMetrics lists the metrics, each assessed today with its recent values (one query for the page).
func (s *Service) ListMetrics(ctx context.Context, f MetricFilter, p Page) (List[isms.Metric], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Metric], error) {
		l, err := store.Metrics.List(ctx, tx, a.OrgID, f, p)
		if err != nil {
			return l, err
		}
		return l, tx.AssessMetrics(ctx, a.OrgID, l.Items, recentValues, s.Today())
	})
}

// CountLateMetrics counts the metrics whose next measurement is late today (the dashboard's card), without
// reading their measurements.
func (s *Service) CountLateMetrics(ctx context.Context) (int, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (int, error) {
		l, err := store.Metrics.List(ctx, tx, a.OrgID, MetricFilter{LateOn: s.Today()}, Page{Limit: 1})
		return l.Total, err
	})
}

// Metric returns one metric by reference (M-001) or id, assessed today with its recent values.
func (s *Service) Metric(ctx context.Context, ref string) (isms.Metric, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Metric, error) {
		m, err := store.Metrics.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return m, err
		}
		ms := []isms.Metric{m}
		err = tx.AssessMetrics(ctx, a.OrgID, ms, recentValues, s.Today())
		return ms[0], err
	})
}

// AddMetric records a metric.
func (s *Service) AddMetric(ctx context.Context, in MetricInput) (isms.Metric, error) {
	return s.writeMetric(ctx, "", in, false)
}

// UpdateMetric changes a metric as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateMetric(ctx context.Context, ref string, in MetricInput) (isms.Metric, error) {
	return s.writeMetric(ctx, ref, in, false)
}

// PatchMetric changes only the fields in.Sent names.
func (s *Service) PatchMetric(ctx context.Context, ref string, in MetricInput) (isms.Metric, error) {
	return s.writeMetric(ctx, ref, in, true)
}

// DeleteMetric removes a metric with its measurements.
func (s *Service) DeleteMetric(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Metrics, ref, nil)
}

func (s *Service) writeMetric(ctx context.Context, ref string, in MetricInput, patch bool) (isms.Metric, error) {
	return writeRow(ctx, s, store.Metrics, "M", ref, in, in.Version, in.Sent, []string{"title", "target"}, patch,
		func(tx *store.Tx, a Actor, in MetricInput, m *isms.Metric) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			objectives, err := tx.Resolve(ctx, a.OrgID, store.ObjectiveLookup, []string{in.Objective})
			if err != nil {
				return err
			}
			var p isms.Problems
			s.applyMetric(&p, in, people, objectives, m)
			s.stampTimes(&m.CreatedAt, &m.UpdatedAt, ref == "")
			m.Assess(nil, s.Today()) // the status of the saved row, without its trend; next_due follows the frequency
			return p.Err()
		})
}

// MeasurementInput is one value of a metric to record.
type MeasurementInput struct {
	TakenOn string `json:"taken_on" doc:"The day it was measured, YYYY-MM-DD; today when empty"`
	Value   string `json:"value" doc:"The value, a number such as 97.5" required:"true"`
	Note    string `json:"note" doc:"What explains the value (optional)"`
}

// check validates a measurement on day today and fills its fields; prefix goes before the field names of its
// problems ("line 4: " in an import).
func (in MeasurementInput) check(p *isms.Problems, prefix, today string, m *isms.Measurement) {
	m.TakenOn, m.Value, m.Note = strings.TrimSpace(in.TakenOn), strings.TrimSpace(in.Value), strings.TrimSpace(in.Note)
	if m.TakenOn == "" {
		m.TakenOn = today
	}
	if _, err := time.Parse(time.DateOnly, m.TakenOn); err != nil {
		p.Add(prefix+"taken_on", "must be a date as YYYY-MM-DD")
	} else if m.TakenOn > today {
		p.Add(prefix+"taken_on", "must not be after today (%s)", today)
	}
	isms.CheckDecimal(p, prefix+"value", m.Value)
	if len(m.Note) > 1000 {
		p.Add(prefix+"note", "must be at most 1000 characters")
	}
}

// RecordMeasurement records a value of metric ref; the metric's latest value moves when it is the latest.
func (s *Service) RecordMeasurement(ctx context.Context, ref string, in MeasurementInput) (isms.Measurement, error) {
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return isms.Measurement{}, err
	}
	m := isms.Measurement{ID: store.NewID(), RecordedBy: a.Name, CreatedAt: s.now()}
	var p isms.Problems
	in.check(&p, "", s.Today(), &m)
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		metric, err := store.Metrics.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		m.MetricID = metric.ID
		after := metric
		after.LastTaken = m.TakenOn
		if err := tx.InsertMeasurement(ctx, a.OrgID, &m, after.NextDueDay()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "measure", "metric", metric.ID, metric.Ref, nil, m)
	})
	if err != nil {
		return isms.Measurement{}, err
	}
	return m, nil
}

// Measurements lists one page of the measurements of metric ref, the latest first.
func (s *Service) Measurements(ctx context.Context, ref string, p Page) (List[isms.Measurement], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Measurement], error) {
		m, err := store.Metrics.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return List[isms.Measurement]{}, err
		}
		return tx.Measurements(ctx, a.OrgID, m.ID, p)
	})
}

// ExportMetrics writes the matching metrics as csv, xlsx or pdf (or csv-excel), each with its latest value and
// whether it is on target and late today.
func (s *Service) ExportMetrics(ctx context.Context, f MetricFilter, format string, w io.Writer) error {
	today := s.Today()
	sheet := table.Sheet{Name: "Metrics", Title: "Metrics and measurement (9.1)", Columns: []table.Column{
		col("ref", 8, false), col("title", 34, true), col("method", 30, true), col("unit", 8, false), col("frequency", 11, false),
		col("direction", 9, false), col("target", 9, false), col("owner_ref", 9, false), col("owner", 20, true),
		col("objective", 10, false), col("controls", 14, true), col("last_taken", 11, false), col("last_value", 10, false),
		col("status", 11, false), col("late", 6, false), col("description", 30, true), col("version", 7, false)}}
	sheet.Columns[4].Allowed, sheet.Columns[5].Allowed = isms.MetricFrequencies, isms.MetricDirections
	return exportRegister(ctx, s, store.Metrics, f, format, w, sheet, func(m isms.Metric) table.Row {
		m.Assess(nil, today)
		return table.Row{m.Ref, m.Title, m.Method, m.Unit, m.Frequency, m.Direction, m.Target, m.Owner, m.OwnerName,
			m.Objective, strings.Join(m.Controls, ", "), m.LastTaken, m.LastValue, m.Status, yesNo(m.Late), m.Description, m.Version}
	}, exportFacts(store.Metrics, f, "every metric"))
}

// MetricTrend is the chart of a metric's recent values against its target; id makes its element ids unique on
// a page.
func MetricTrend(m isms.Metric, id string) chart.Trend {
	c := chart.Trend{ID: id, Title: m.Ref + " " + m.Title, Unit: m.Unit}
	c.Target, c.HasTarget = isms.Decimal(m.Target)
	for _, x := range m.Recent {
		day, err := time.Parse(time.DateOnly, x.TakenOn)
		v, ok := isms.Decimal(x.Value)
		if err == nil && ok {
			c.Points = append(c.Points, chart.Point{Day: day, Value: v})
		}
	}
	return c
}
