package isms

import (
	"testing"
	"time"
)

func TestDecimal(t *testing.T) {
	for s, want := range map[string]bool{"97.5": true, "-3": true, "0.25": true, "100": true,
		"97,5": false, "1e3": false, "95%": false, "": false, " 9": false, ".5": false, "5.": false, "NaN": false, "+1": false} {
		if _, ok := Decimal(s); ok != want {
			t.Errorf("Decimal(%q) ok = %v, want %v", s, ok, want)
		}
	}
}

func readings(vals ...string) []Measurement {
	var out []Measurement
	for i, v := range vals {
		out = append(out, Measurement{TakenOn: time.Date(2026, time.Month(1+i), 28, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Value: v})
	}
	return out
}

// The status compares the latest value with the target on the side the direction says is good; the trend
// follows the last values; a metric is late after its period plus the grace days.
func TestMetricAssess(t *testing.T) {
	created := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name, direction, target, frequency, last, today string
		values                                          []string
		status, trend                                   string
		late                                            bool
	}{
		{"at least, met", "at-least", "95", "monthly", "2026-03-28", "2026-04-10", []string{"90", "94", "96"}, MetricOnTarget, TrendUp, false},
		{"at least, equal counts as met", "at-least", "95", "monthly", "2026-01-28", "2026-02-01", []string{"95"}, MetricOnTarget, "", false},
		{"at least, missed", "at-least", "95", "monthly", "2026-03-28", "2026-04-10", []string{"97", "96", "94.5"}, MetricOffTarget, TrendDown, false},
		{"at most, met", "at-most", "5", "monthly", "2026-03-28", "2026-04-10", []string{"8", "6", "4"}, MetricOnTarget, TrendDown, false},
		{"at most, missed", "at-most", "5", "monthly", "2026-03-28", "2026-04-10", []string{"4", "5", "5.5"}, MetricOffTarget, TrendUp, false},
		{"flat", "at-least", "95", "monthly", "2026-03-28", "2026-04-10", []string{"96", "96", "96.2"}, MetricOnTarget, TrendFlat, false},
		{"monthly, late after 31 + 7 days", "at-least", "95", "monthly", "2026-03-28", "2026-05-06", []string{"96"}, MetricOnTarget, "", true},
		{"monthly, on the last day of grace", "at-least", "95", "monthly", "2026-03-28", "2026-05-05", []string{"96"}, MetricOnTarget, "", false},
		{"quarterly, not late after two months", "at-least", "95", "quarterly", "2026-03-28", "2026-05-28", []string{"96"}, MetricOnTarget, "", false},
		{"never measured, within the first period", "at-least", "95", "monthly", "", "2026-02-07", nil, MetricNoData, "", false},
		{"never measured, after the first period", "at-least", "95", "monthly", "", "2026-02-09", nil, MetricNoData, "", true},
	}
	for _, c := range cases {
		m := Metric{Direction: c.direction, Target: c.target, Frequency: c.frequency, LastTaken: c.last, CreatedAt: created}
		if n := len(c.values); n > 0 {
			m.LastValue = c.values[n-1]
		}
		m.Assess(readings(c.values...), c.today)
		if m.Status != c.status || m.Trend != c.trend || m.Late != c.late {
			t.Errorf("%s: status %s trend %q late %v (due %s), want %s %q %v", c.name, m.Status, m.Trend, m.Late, m.NextDue, c.status, c.trend, c.late)
		}
		if len(c.values) > 0 && (m.Latest == nil || m.Latest.Value != c.values[len(c.values)-1]) {
			t.Errorf("%s: latest %+v", c.name, m.Latest)
		}
	}
}

func TestSourceRefShape(t *testing.T) {
	for _, c := range []struct {
		source, ref string
		ok          bool
	}{{"review", "MR-001", true}, {"review", "CA-001", false}, {"corrective", "CA-012", true}, {"audit", "AU-003", true},
		{"risk", "R-007", true}, {"risk", "RISK-7", false}, {"other", "DOC-004", true}, {"other", "hello", false}, {"review", "", true}} {
		var p Problems
		CheckSourceRef(&p, "source_ref", c.source, c.ref)
		if (p.Err() == nil) != c.ok {
			t.Errorf("%s %q: %v", c.source, c.ref, p.Err())
		}
	}
}
