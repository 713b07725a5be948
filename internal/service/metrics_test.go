package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A metric names its owner, objective and controls, each checked; bad input is refused with every problem and
// changes nothing; a partial change keeps the rest.
func TestMetricFieldsAreChecked(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Daniel Kim"})
		ok(t, err)
		_, err = e.svc.AddObjective(ctx, service.ObjectiveInput{Title: "Patch quickly"})
		ok(t, err)
		_, err = e.svc.AddMetric(ctx, service.MetricInput{Title: "Patch compliance", Target: "95,5", Frequency: "daily",
			Direction: "more", Objective: "OBJ-404", Controls: []string{"8.8", "9.9"}, Owner: "Nobody"})
		wantKind(t, err, isms.KindInvalid, "bad metric")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"controls", "direction", "frequency", "objective", "owner", "target"}) {
			t.Fatalf("problems: %v", got)
		}
		l, err := e.svc.ListMetrics(ctx, service.MetricFilter{}, service.Page{})
		ok(t, err)
		if l.Total != 0 {
			t.Fatalf("a refused metric was saved: %+v", l.Items)
		}
		m, err := e.svc.AddMetric(ctx, service.MetricInput{Title: "Patch compliance", Target: "95", Unit: "%", Owner: "daniel kim",
			Objective: "obj-001", Controls: []string{"A.8.8", "8.8, 5.1"}})
		ok(t, err)
		if m.Ref != "M-001" || m.Frequency != "monthly" || m.Direction != "at-least" || m.Owner != "P-001" || m.Objective != "OBJ-001" ||
			m.ObjectiveTitle != "Patch quickly" || !slices.Equal(m.Controls, []string{"8.8", "5.1"}) || m.Status != isms.MetricNoData {
			t.Fatalf("added: %+v", m)
		}
		m, err = e.svc.PatchMetric(ctx, "M-001", service.MetricInput{Direction: "at-most", Version: 1, Sent: service.SentOf("direction")})
		ok(t, err)
		if m.Direction != "at-most" || m.Target != "95" || m.Objective != "OBJ-001" || len(m.Controls) != 2 {
			t.Fatalf("patched: %+v", m)
		}
	})
}

// Recording measurements keeps the metric's latest value; the status compares it with the target on the side
// its direction says is good, the trend follows the last values, and an older value recorded late does not
// replace the latest. A bad value or a day in the future is refused and records nothing.
func TestMeasurementsDriveStatus(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddMetric(ctx, service.MetricInput{Title: "Phishing click rate", Target: "5", Direction: "at-most", Unit: "%"})
		ok(t, err)
		for _, c := range []struct{ on, value string }{{"2026-01-31", "9"}, {"2026-02-28", "6.5"}, {"2026-03-01", "4.2"}} {
			_, err := e.svc.RecordMeasurement(ctx, "M-001", service.MeasurementInput{TakenOn: c.on, Value: c.value})
			ok(t, err)
		}
		m, err := e.svc.Metric(ctx, "M-001")
		ok(t, err)
		if m.Status != isms.MetricOnTarget || m.Trend != isms.TrendDown || m.Latest == nil || m.Latest.Value != "4.2" || m.LastTaken != "2026-03-01" || m.Late {
			t.Fatalf("after three values: %+v", m)
		}
		// an older value entered late changes the history, not the latest value
		_, err = e.svc.RecordMeasurement(ctx, "M-001", service.MeasurementInput{TakenOn: "2025-12-31", Value: "12", Note: "first campaign"})
		ok(t, err)
		for _, in := range []service.MeasurementInput{{TakenOn: "2026-03-01", Value: "4,2"}, {TakenOn: "2026-03-01", Value: "4 %"},
			{TakenOn: "2026-03-03", Value: "1"}, {TakenOn: "01/03/2026", Value: "1"}, {TakenOn: "2026-03-01"}} {
			_, err := e.svc.RecordMeasurement(ctx, "M-001", in)
			wantKind(t, err, isms.KindInvalid, "bad measurement "+in.TakenOn+" "+in.Value)
		}
		_, err = e.svc.RecordMeasurement(ctx, "M-404", service.MeasurementInput{Value: "1"})
		wantKind(t, err, isms.KindNotFound, "unknown metric")
		l, err := e.svc.Measurements(ctx, "M-001", service.Page{})
		ok(t, err)
		var days []string
		for _, x := range l.Items {
			days = append(days, x.TakenOn)
		}
		if l.Total != 4 || !slices.Equal(days, []string{"2026-03-01", "2026-02-28", "2026-01-31", "2025-12-31"}) {
			t.Fatalf("measurements: %d %v", l.Total, days)
		}
		if l.Items[3].Note != "first campaign" || l.Items[3].RecordedBy == "" {
			t.Fatalf("oldest: %+v", l.Items[3])
		}
		m, err = e.svc.Metric(ctx, "M-001")
		ok(t, err)
		if m.Latest.Value != "4.2" || len(m.Recent) != 4 || m.Recent[0].Value != "12" {
			t.Fatalf("after a late entry: latest %+v, recent %+v", m.Latest, m.Recent)
		}
		// a value above the target makes an at-most metric off target; today counts as the default day
		_, err = e.svc.RecordMeasurement(ctx, "M-001", service.MeasurementInput{Value: "7"})
		ok(t, err)
		m, err = e.svc.Metric(ctx, "M-001")
		ok(t, err)
		if m.Status != isms.MetricOffTarget || m.Trend != isms.TrendUp || m.LastTaken != e.svc.Today() {
			t.Fatalf("off target: %+v", m)
		}
	})
}

// A metric is late when no value came within its period plus the grace days; one never measured is late
// after its first period. The list says so for every metric with one query for the page's values.
func TestMetricLate(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		for _, in := range []service.MetricInput{{Title: "Backups restored", Target: "100", Frequency: "monthly"},
			{Title: "Access reviewed", Target: "100", Frequency: "quarterly"}, {Title: "Never measured", Target: "1", Frequency: "weekly"}} {
			_, err := e.svc.AddMetric(ctx, in)
			ok(t, err)
		}
		_, err := e.svc.RecordMeasurement(ctx, "M-001", service.MeasurementInput{Value: "100"})
		ok(t, err)
		_, err = e.svc.RecordMeasurement(ctx, "M-002", service.MeasurementInput{Value: "98"})
		ok(t, err)
		lateOf := func() map[string]bool {
			l, err := e.svc.ListMetrics(ctx, service.MetricFilter{}, service.Page{})
			ok(t, err)
			out := map[string]bool{}
			for _, m := range l.Items {
				out[m.Ref] = m.Late
			}
			// the store's late filter says the same as the rule
			late, err := e.svc.ListMetrics(ctx, service.MetricFilter{LateOn: e.svc.Today()}, service.Page{})
			ok(t, err)
			n := 0
			for _, m := range late.Items {
				if !out[m.Ref] {
					t.Errorf("the filter finds %s late, the rule does not", m.Ref)
				}
			}
			for _, v := range out {
				if v {
					n++
				}
			}
			if n != late.Total {
				t.Errorf("the rule finds %d late, the filter %d", n, late.Total)
			}
			return out
		}
		if got := lateOf(); got["M-001"] || got["M-002"] || got["M-003"] {
			t.Fatalf("nothing is late on the first day: %v", got)
		}
		e.clock.Advance(15 * 24 * time.Hour) // past a week plus the grace days
		if got := lateOf(); got["M-001"] || got["M-002"] || !got["M-003"] {
			t.Fatalf("after 15 days: %v", got)
		}
		e.clock.Advance(25 * 24 * time.Hour) // 40 days: past a month plus the grace days
		if got := lateOf(); !got["M-001"] || got["M-002"] || !got["M-003"] {
			t.Fatalf("after 40 days: %v", got)
		}
		_, err = e.svc.RecordMeasurement(ctx, "M-001", service.MeasurementInput{Value: "100"})
		ok(t, err)
		if got := lateOf(); got["M-001"] {
			t.Fatalf("a new value ends lateness: %v", got)
		}
		// a longer period moves the next due day: made quarterly, the metric never measured is not late after 40 days
		m, err := e.svc.PatchMetric(ctx, "M-003", service.MetricInput{Frequency: "quarterly", Version: 1, Sent: service.SentOf("frequency")})
		ok(t, err)
		if got := lateOf(); got["M-003"] || m.Late {
			t.Fatalf("after a change of frequency: %v, %+v", got, m)
		}
	})
}

// A list page reads the recent values of all its metrics with a fixed number of statements.
func TestMetricListStatements(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		for i := range 5 {
			_, err := e.svc.AddMetric(ctx, service.MetricInput{Title: "Metric " + string(rune('A'+i)), Target: "1"})
			ok(t, err)
			for d := range 3 {
				_, err := e.svc.RecordMeasurement(ctx, "M-00"+string(rune('1'+i)), service.MeasurementInput{TakenOn: "2026-02-0" + string(rune('1'+d)), Value: "1"})
				ok(t, err)
			}
		}
		count := func() int64 {
			before := e.svc.Store().Statements()
			l, err := e.svc.ListMetrics(ctx, service.MetricFilter{}, service.Page{})
			ok(t, err)
			if len(l.Items) < 5 || len(l.Items[4].Recent) != 3 {
				t.Fatalf("list: %+v", l.Items)
			}
			return e.svc.Store().Statements() - before
		}
		n := count()
		for i := range 5 {
			_, err := e.svc.AddMetric(ctx, service.MetricInput{Title: "More " + string(rune('A'+i)), Target: "1"})
			ok(t, err)
		}
		if m := count(); m != n {
			t.Fatalf("statements grew with the metrics: %d then %d", n, m)
		}
	})
}

// Readers see metrics but cannot record a value; a measurement is in the audit trail.
func TestMeasurementRoles(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		_, err := e.svc.AddMetric(o.Ctx("editor"), service.MetricInput{Title: "Incidents closed in time", Target: "90"})
		ok(t, err)
		_, err = e.svc.RecordMeasurement(o.Ctx("viewer"), "M-001", service.MeasurementInput{Value: "80"})
		wantKind(t, err, isms.KindForbidden, "viewer records")
		_, err = e.svc.Metric(o.Ctx("viewer"), "M-001")
		ok(t, err)
		_, err = e.svc.RecordMeasurement(o.Ctx("editor"), "M-001", service.MeasurementInput{Value: "80"})
		ok(t, err)
		events, err := e.svc.ListAudit(o.Ctx("admin"), service.AuditFilter{Entity: "metric"}, service.Page{})
		ok(t, err)
		found := false
		for _, ev := range events.Items {
			found = found || (ev.Action == "measure" && ev.Ref == "M-001" && strings.Contains(string(ev.After), `"80"`))
		}
		if !found {
			t.Fatalf("no measure event: %+v", events.Items)
		}
	})
}

// A file of measurements is all or nothing: every bad row is named by its line and nothing is written; a good
// file adds every value, moves each metric's latest value and leaves one audit event per metric; a dry run
// writes nothing.
func TestImportMeasurements(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		for _, title := range []string{"Patch compliance", "Phishing clicks"} {
			_, err := e.svc.AddMetric(ctx, service.MetricInput{Title: title, Target: "95"})
			ok(t, err)
		}
		bad := "metric,date,value\nM-001,2026-01-31,96\nM-404,2026-01-31,1\nm-002,31/01/2026,4\nM-002,2026-02-28,4 %\nM-001,2099-01-01,1\n"
		_, err := e.svc.ImportMeasurements(ctx, "csv", strings.NewReader(bad), false)
		wantKind(t, err, isms.KindInvalid, "bad file")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"line 3: metric", "line 4: taken_on", "line 5: value", "line 6: taken_on"}) {
			t.Fatalf("problems: %v (%v)", got, err)
		}
		l, err := e.svc.Measurements(ctx, "M-001", service.Page{})
		ok(t, err)
		if l.Total != 0 {
			t.Fatalf("a refused file wrote %d measurements", l.Total)
		}
		good := "metric,taken_on,value,note\nM-001,2026-01-31,96,\nm-002,2026-01-31,6,first\nM-001,2025-12-31,93,\nM-002,2026-02-28,4.5,\n"
		res, err := e.svc.ImportMeasurements(ctx, "csv", strings.NewReader(good), true)
		ok(t, err)
		if res.Added != 4 || !res.DryRun {
			t.Fatalf("dry run: %+v", res)
		}
		if m, _ := e.svc.Metric(ctx, "M-001"); m.LastTaken != "" {
			t.Fatalf("a dry run moved the latest value: %+v", m)
		}
		res, err = e.svc.ImportMeasurements(ctx, "csv", strings.NewReader(good), false)
		ok(t, err)
		if res.Added != 4 || !slices.Equal(res.Refs, []string{"M-001", "M-002"}) {
			t.Fatalf("import: %+v", res)
		}
		m, err := e.svc.Metric(ctx, "M-001")
		ok(t, err)
		if m.LastTaken != "2026-01-31" || m.LastValue != "96" || len(m.Recent) != 2 || m.Recent[0].Value != "93" {
			t.Fatalf("M-001 after the import: %+v", m)
		}
		m, err = e.svc.Metric(ctx, "M-002")
		ok(t, err)
		if m.LastValue != "4.5" || m.Status != isms.MetricOffTarget || m.Trend != isms.TrendDown {
			t.Fatalf("M-002 after the import: %+v", m)
		}
		events, err := e.svc.ListAudit(o.Ctx("admin"), service.AuditFilter{Action: "import", Entity: "metric"}, service.Page{})
		ok(t, err)
		if events.Total != 2 {
			t.Fatalf("%d import events", events.Total)
		}
	})
}
