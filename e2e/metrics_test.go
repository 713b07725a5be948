package e2e

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestMetricsPath: on the sample organisation the head of engineering opens Performance, sees the late metric
// stand out with a sparkline on every row, opens the patch metric with its trend chart and records this
// month's value, which heads the measurements.
func TestMetricsPath(t *testing.T) {
	t.Parallel()
	_, b := startDemo(t)
	b.login("sofia@northwind.example", service.DemoPassword)
	b.open("/")
	b.follow("nav.main-nav", "Performance")
	b.expectPath("/metrics")
	if n := b.count("table.metrics tr.overdue"); n != 1 {
		t.Fatalf("%d late metrics stand out, want 1", n)
	}
	if n := elements(b, "table.metrics svg.sparkline"); n != 6 {
		t.Fatalf("%d sparklines, want 6", n)
	}
	shows(b, "table.metrics", "Phishing simulation click rate")
	b.saveScreenshot("metrics")

	b.follow("table.metrics", "Patch compliance within 14 days")
	b.expectPath("/metrics/M-001")
	if n := elements(b, "svg.trend-chart circle.point"); n != 12 {
		t.Fatalf("%d points on the chart, want 12", n)
	}
	b.fillIn("#measurements", "Value", "98.2")
	b.fillIn("#measurements", "Note", "after the laptop rollout")
	b.pressIn("#measurements", "Record")
	b.expectPath("/metrics/M-001")
	shows(b, "table.measurements tbody tr:first-child", "98.2 after the laptop rollout")
	b.saveScreenshot("metric")

	b.follow("nav.subnav", "Improvements")
	b.expectPath("/improvements")
	shows(b, "table.improvements", "Corrective action CA-001")
}

// elements counts the elements sel matches, SVG ones included (count reads text, which SVG has not).
func elements(b *browser, sel string) int {
	b.t.Helper()
	var n int
	b.js("count "+sel, &n, `function(sel) { return document.querySelectorAll(sel).length; }`, sel)
	return n
}
