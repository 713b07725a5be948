package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// performanceSample gives an organisation a measured metric M-001 and an improvement IMP-001, for the pages
// that show one.
func performanceSample(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	if _, err := svc.AddMetric(ctx, service.MetricInput{Title: "Patch compliance", Target: "95", Unit: "%"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordMeasurement(ctx, "M-001", service.MeasurementInput{TakenOn: "2026-01-31", Value: "96"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddImprovement(ctx, service.ImprovementInput{Title: "Monthly patch report", Source: "corrective", SourceRef: "CA-001"}); err != nil {
		t.Fatal(err)
	}
}

// The metrics list marks the late one and draws a sparkline per measured metric; the metric page draws the
// trend with its target, lists the values and records a new one; a bad value is shown at its field and
// records nothing; readers see no forms.
func TestMetricPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	ctx := org.Ctx("owner")
	svc := srv.Svc
	if _, err := svc.AddPerson(ctx, service.PersonInput{Name: "Maya Patel"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []service.MetricInput{{Title: "Patch compliance", Target: "95", Unit: "%", Owner: "P-001", Controls: []string{"8.8"}},
		{Title: "Restore tests", Target: "1", Frequency: "weekly"}} {
		if _, err := svc.AddMetric(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []struct{ on, value string }{{"2025-12-31", "91"}, {"2026-01-31", "93"}, {"2026-02-28", "96.5"}} {
		if _, err := svc.RecordMeasurement(ctx, "M-001", service.MeasurementInput{TakenOn: v.on, Value: v.value}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.RecordMeasurement(ctx, "M-002", service.MeasurementInput{TakenOn: "2025-06-01", Value: "1"}); err != nil {
		t.Fatal(err)
	}
	a := get(t, srv, c["viewer"], "/metrics")
	expect(t, "metrics", a, http.StatusOK, `<tr data-ref="M-002" class="overdue">`, `<tr data-ref="M-001">`, "at least 95 %",
		`class="chart sparkline"`, "on target", "↑ up", "Maya Patel")
	refuse(t, "metrics as a viewer", a, `method="post" action="/metrics"`)
	expect(t, "late only", get(t, srv, c["viewer"], "/metrics?late=1"), http.StatusOK, "M-002")
	expect(t, "dashboard", get(t, srv, c["viewer"], "/"), http.StatusOK, `href="/metrics?late=1"><span class="num">1</span> metric late for measurement`)
	refuse(t, "late only", get(t, srv, c["viewer"], "/metrics?late=1"), `data-ref="M-001"`)

	a = get(t, srv, c["viewer"], "/metrics/M-001")
	expect(t, "metric page", a, http.StatusOK, `class="chart trend-chart"`, `class="target"`, "Dec 2025", "3 measurements, Dec 2025 to Feb 2026",
		"2026-02-28", "96.5", `href="/catalog/controls/8.8"`)
	refuse(t, "metric page as a viewer", a, `action="/metrics/M-001/measurements"`)

	a = post(t, srv, c["editor"], "/metrics/M-001/measurements", url.Values{"value": {"97,5"}, "taken_on": {"2026-03-01"}})
	expect(t, "bad value", a, http.StatusUnprocessableEntity, "must be a number", `value="97,5"`)
	a = post(t, srv, c["editor"], "/metrics/M-001/measurements", url.Values{"value": {"97.5"}, "taken_on": {"2026-03-01"}, "note": {"after the push"}})
	redirected(t, "record", a, "/metrics/M-001#measurements")
	m, err := svc.Metric(ctx, "M-001")
	if err != nil || m.LastValue != "97.5" || len(m.Recent) != 4 {
		t.Fatalf("after recording: %+v %v", m, err)
	}
	expect(t, "after recording", get(t, srv, c["editor"], "/metrics/M-001"), http.StatusOK, "Recorded 97.5 for M-001 on 2026-03-01.", "after the push")

	a = post(t, srv, c["editor"], "/metrics", url.Values{"title": {"Clicks"}, "target": {"5%"}, "direction": {"at-most"}})
	expect(t, "bad metric", a, http.StatusUnprocessableEntity, "must be a number")
	a = post(t, srv, c["editor"], "/metrics", url.Values{"title": {"Phishing clicks"}, "target": {"5"}, "direction": {"at-most"}, "controls": {"6.3, 8.23"}})
	redirected(t, "add metric", a, "/metrics/M-003")
	expect(t, "a new metric", get(t, srv, c["editor"], "/metrics/M-003"), http.StatusOK, "No measurements yet", "at most 5")
}

// The improvement log lists each change with where it came from and takes a new one; a source reference of
// the wrong shape is refused at its field.
func TestImprovementPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	if _, err := srv.Svc.AddImprovement(org.Ctx("owner"), service.ImprovementInput{Title: "Quarterly access reviews", Source: "corrective",
		SourceRef: "CA-002", Reason: "Leavers kept access", MadeOn: "2026-02-01"}); err != nil {
		t.Fatal(err)
	}
	a := get(t, srv, c["viewer"], "/improvements")
	expect(t, "improvements", a, http.StatusOK, "Quarterly access reviews", "Corrective action CA-002", "Leavers kept access")
	refuse(t, "improvements as a viewer", a, `method="post" action="/improvements"`)
	a = post(t, srv, c["editor"], "/improvements", url.Values{"title": {"Yearly DR test"}, "source": {"review"}, "source_ref": {"AU-001"}})
	expect(t, "wrong shape", a, http.StatusUnprocessableEntity, "must be MR-001 for source review")
	a = post(t, srv, c["editor"], "/improvements", url.Values{"title": {"Yearly DR test"}, "source": {"review"}, "source_ref": {"mr-003"}})
	redirected(t, "add improvement", a, "/improvements/IMP-002")
	if a := get(t, srv, c["viewer"], "/improvements/IMP-002"); !strings.Contains(a.Body, "Management review MR-003") {
		t.Fatalf("improvement page: %s", a.Body)
	}
}
