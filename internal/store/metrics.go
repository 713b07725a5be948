package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// ObjectiveLookup resolves an information security objective named by its reference (OBJ-001, any case), for
// the registers that track one (metrics).
var ObjectiveLookup = Lookup{Table: "objectives", Name: "title"}

// Metrics is the register of metrics (clause 9.1) declared once. last_taken, last_value and next_due are kept by
// InsertMeasurement, so that a list knows each metric's latest value and lateness without an aggregate.
var Metrics = &Register[isms.Metric, MetricFilter]{
	Entity: "metric", Table: "metrics", Alias: "mt",
	ID:      func(m *isms.Metric) *string { return &m.ID },
	Ref:     func(m *isms.Metric) *string { return &m.Ref },
	Version: func(m *isms.Metric) *int { return &m.Version },
	Columns: []Column[isms.Metric]{
		Text("title", func(m *isms.Metric) *string { return &m.Title }),
		Text("description", func(m *isms.Metric) *string { return &m.Description }),
		Text("method", func(m *isms.Metric) *string { return &m.Method }),
		Text("unit", func(m *isms.Metric) *string { return &m.Unit }),
		Text("frequency", func(m *isms.Metric) *string { return &m.Frequency }),
		Text("direction", func(m *isms.Metric) *string { return &m.Direction }),
		Text("target", func(m *isms.Metric) *string { return &m.Target }),
		textList("controls", func(m *isms.Metric) *[]string { return &m.Controls }),
		Text("last_taken", func(m *isms.Metric) *string { return &m.LastTaken }),
		Text("last_value", func(m *isms.Metric) *string { return &m.LastValue }),
		Text("next_due", func(m *isms.Metric) *string { return &m.NextDue }),
		Time("created_at", func(m *isms.Metric) *time.Time { return &m.CreatedAt }).InsertOnly(),
		Time("updated_at", func(m *isms.Metric) *time.Time { return &m.UpdatedAt }),
	},
	Refs: []Reference[isms.Metric]{
		{Column: "owner_id", Target: PeopleLookup, Alias: "p",
			ID:   func(m *isms.Metric) *string { return &m.OwnerID },
			Ref:  func(m *isms.Metric) *string { return &m.Owner },
			Name: func(m *isms.Metric) *string { return &m.OwnerName }},
		{Column: "objective_id", Target: ObjectiveLookup, Alias: "ob",
			ID:   func(m *isms.Metric) *string { return &m.ObjectiveID },
			Ref:  func(m *isms.Metric) *string { return &m.Objective },
			Name: func(m *isms.Metric) *string { return &m.ObjectiveTitle }},
	},
	ListColumns: []ListColumn[isms.Metric]{
		{Header: "ref", Value: func(m *isms.Metric) string { return m.Ref }},
		{Header: "title", Width: 40, Value: func(m *isms.Metric) string { return m.Title }},
		{Header: "target", Value: func(m *isms.Metric) string { return m.TargetText() }},
		{Header: "latest", Value: func(m *isms.Metric) string {
			if m.Latest == nil {
				return ""
			}
			return m.Latest.Value + " (" + m.Latest.TakenOn + ")"
		}},
		{Header: "status", Value: func(m *isms.Metric) string { return m.Status }},
		{Header: "trend", Value: func(m *isms.Metric) string { return m.Trend }},
		{Header: "late", Value: func(m *isms.Metric) string {
			if m.Late {
				return "late"
			}
			return ""
		}},
		{Header: "frequency", Value: func(m *isms.Metric) string { return m.Frequency }},
		{Header: "owner", Value: func(m *isms.Metric) string { return m.OwnerName }},
		{Header: "objective", Value: func(m *isms.Metric) string { return m.Objective }},
	},
	Filters: []Filter[MetricFilter]{
		{Name: "frequency", Kind: FilterEnum, Values: isms.MetricFrequencies, Cond: "mt.frequency = ?", Doc: "only metrics measured this often",
			Field: func(f *MetricFilter) *string { return &f.Frequency }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *MetricFilter) *string { return &f.Owner }},
		// isms.Metric.Late in SQL: next_due is kept by every write that moves it.
		{Name: "late_on", Kind: FilterText, Cond: "mt.next_due < ?",
			Doc:   "only metrics whose next measurement is late on this day (YYYY-MM-DD)",
			Field: func(f *MetricFilter) *string { return &f.LateOn }},
		{Name: "objective", Kind: FilterRef, Cond: "ob.ref = ?", Doc: "only metrics of this objective (OBJ-001)",
			Field: func(f *MetricFilter) *string { return &f.Objective }},
	},
	Sorts: []Sort{{"ref", "mt.ref"}, {"title", "lower(mt.title)"}, {"last_taken", "mt.last_taken"}, {"next_due", "mt.next_due"},
		{"owner", "COALESCE(lower(p.name), '')"}},
	Search:    []string{"lower(mt.title)", "lower(mt.ref)", "lower(mt.description)", "lower(mt.method)"},
	SearchDoc: "reference, title, description or method contains",
	SearchOf:  func(f *MetricFilter) *string { return &f.Search },
	SortOf:    func(f *MetricFilter) *string { return &f.Sort },
}

// MetricFilter narrows the metric list; Metrics.Filters declares each field.
type MetricFilter struct {
	Search    string
	Frequency string
	Owner     string // person ref
	Objective string // objective ref
	LateOn    string // YYYY-MM-DD: only metrics late on that day
	Sort      string // ref (default), title, last_taken or owner; "-" prefix for descending
}

const measurementCols = "id, taken_on, value, note, recorded_by, created_at"

func scanMeasurement(rows *sql.Rows, extra ...any) (isms.Measurement, error) {
	var m isms.Measurement
	var created string
	err := rows.Scan(append([]any{&m.ID, &m.TakenOn, &m.Value, &m.Note, &m.RecordedBy, &created}, extra...)...)
	if err == nil {
		m.CreatedAt, err = parseTS(created)
	}
	return m, err
}

// InsertMeasurement records a measurement of a metric and, when it is the latest, moves the metric's last_taken
// and last_value to it and its next_due to nextDue.
func (tx *Tx) InsertMeasurement(ctx context.Context, orgID string, m *isms.Measurement, nextDue string) error {
	if _, err := tx.tx.ExecContext(ctx, "INSERT INTO measurements (id, org_id, metric_id, taken_on, value, note, recorded_by, created_at) "+
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", m.ID, orgID, m.MetricID, m.TakenOn, m.Value, m.Note, m.RecordedBy, ts(m.CreatedAt)); err != nil {
		return err
	}
	_, err := tx.tx.ExecContext(ctx, "UPDATE metrics SET last_taken = $1, last_value = $2, next_due = $3 WHERE org_id = $4 AND id = $5 AND last_taken <= $1",
		m.TakenOn, m.Value, nextDue, orgID, m.MetricID)
	return err
}

// InsertMeasurements records many measurements (an import) with one statement per 500; the metrics' latest
// values are the caller's to move (SetMetricLatest).
func (tx *Tx) InsertMeasurements(ctx context.Context, orgID string, ms []isms.Measurement) error {
	const chunk = 500
	for len(ms) > 0 {
		part := ms[:min(chunk, len(ms))]
		ms = ms[len(part):]
		var rows []string
		var args []any
		for _, m := range part {
			rows = append(rows, "("+placeholders(len(args)+1, 8)+")")
			args = append(args, m.ID, orgID, m.MetricID, m.TakenOn, m.Value, m.Note, m.RecordedBy, ts(m.CreatedAt))
		}
		if _, err := tx.tx.ExecContext(ctx, "INSERT INTO measurements (id, org_id, metric_id, taken_on, value, note, recorded_by, created_at) VALUES "+
			strings.Join(rows, ", "), args...); err != nil {
			return err
		}
	}
	return nil
}

// SetMetricLatest sets a metric's latest measurement and the day its next one is due.
func (tx *Tx) SetMetricLatest(ctx context.Context, orgID, metricID, lastTaken, lastValue, nextDue string) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE metrics SET last_taken = $1, last_value = $2, next_due = $3 WHERE org_id = $4 AND id = $5",
		lastTaken, lastValue, nextDue, orgID, metricID)
	return err
}

// Measurements is one page of a metric's measurements, the latest first.
func (tx *Tx) Measurements(ctx context.Context, orgID, metricID string, p Page) (List[isms.Measurement], error) {
	p = p.Normalise()
	out := List[isms.Measurement]{Items: []isms.Measurement{}, Limit: p.Limit, Offset: p.Offset}
	if err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM measurements WHERE org_id = $1 AND metric_id = $2",
		orgID, metricID).Scan(&out.Total); err != nil {
		return out, err
	}
	err := tx.query(ctx, "SELECT "+measurementCols+" FROM measurements WHERE org_id = $1 AND metric_id = $2 "+
		"ORDER BY taken_on DESC, created_at DESC, id DESC LIMIT $3 OFFSET $4", []any{orgID, metricID, p.Limit, p.Offset},
		func(rows *sql.Rows) error {
			m, err := scanMeasurement(rows)
			out.Items = append(out.Items, m)
			return err
		})
	return out, err
}

// RecentMeasurements are the last n measurements of each metric named (by id), oldest first, with one query
// for them all.
func (tx *Tx) RecentMeasurements(ctx context.Context, orgID string, metricIDs []string, n int) (map[string][]isms.Measurement, error) {
	out := map[string][]isms.Measurement{}
	if len(metricIDs) == 0 {
		return out, nil
	}
	args := []any{orgID, n}
	for _, id := range metricIDs {
		args = append(args, id)
	}
	q := "SELECT " + measurementCols + ", metric_id FROM (SELECT *, row_number() OVER (PARTITION BY metric_id " +
		"ORDER BY taken_on DESC, created_at DESC, id DESC) AS pos FROM measurements WHERE org_id = $1 AND metric_id IN (" +
		placeholders(3, len(metricIDs)) + ")) recent WHERE pos <= $2 ORDER BY metric_id, taken_on, created_at, id"
	err := tx.query(ctx, q, args, func(rows *sql.Rows) error {
		var metricID string
		m, err := scanMeasurement(rows, &metricID)
		m.MetricID = metricID
		out[metricID] = append(out[metricID], m)
		return err
	})
	return out, err
}

// metricIDs are the ids of ms.
func metricIDs(ms []isms.Metric) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

// AssessMetrics fills the derived fields of each metric from its last n measurements, with one query.
func (tx *Tx) AssessMetrics(ctx context.Context, orgID string, ms []isms.Metric, n int, today string) error {
	recent, err := tx.RecentMeasurements(ctx, orgID, metricIDs(ms), n)
	if err != nil {
		return err
	}
	for i := range ms {
		ms[i].Assess(recent[ms[i].ID], today)
	}
	return nil
}
