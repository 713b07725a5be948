package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// performanceRoutes are the role matrix rows of the metrics and the improvement log (clauses 9.1 and 10.1).
func performanceRoutes() []route {
	addMetric := func(t *testing.T, m *matrix) string {
		x, err := m.srv.Svc.AddMetric(m.org.Ctx("owner"), service.MetricInput{Title: fmt.Sprintf("Metric %d", m.next()), Target: "95"})
		m.ok(t, err)
		return x.Ref
	}
	rows := withPatch(registerRows("/metrics", addMetric, func(m *matrix, version int) map[string]any {
		return map[string]any{"title": fmt.Sprintf("Metric %d", m.next()), "target": "90", "owner": m.person.Ref, "version": version}
	}), map[string]any{"target": "80", "version": 1})
	rows = append(rows, withPatch(registerRows("/improvements", func(t *testing.T, m *matrix) string {
		x, err := m.srv.Svc.AddImprovement(m.org.Ctx("owner"), service.ImprovementInput{Title: fmt.Sprintf("Improvement %d", m.next())})
		m.ok(t, err)
		return x.Ref
	}, func(m *matrix, version int) map[string]any {
		return map[string]any{"title": fmt.Sprintf("Improvement %d", m.next()), "source": "risk", "source_ref": m.risk.Ref, "version": version}
	}), map[string]any{"reason": "Patched", "version": 1})...)
	measure := func(form bool) func(t *testing.T, m *matrix, _ string) target {
		return func(t *testing.T, m *matrix, _ string) target {
			path := "/metrics/" + addMetric(t, m) + "/measurements"
			if form {
				return target{path: path, body: url.Values{"value": {"97.5"}}}
			}
			return target{path: path, body: map[string]any{"value": "97.5"}}
		}
	}
	fresh := func(suffix string) func(t *testing.T, m *matrix, _ string) target {
		return func(t *testing.T, m *matrix, _ string) target { return target{path: "/metrics/" + addMetric(t, m) + suffix} }
	}
	return append(rows,
		route{method: "GET", pattern: "/metrics/{ref}/measurements", allowed: everyone, prep: fresh("/measurements")},
		route{method: "POST", pattern: "/metrics/{ref}/measurements", allowed: contentEdit, prep: measure(false)},
		route{method: "GET", pattern: "/metrics/{ref}/chart.svg", allowed: everyone, prep: fresh("/chart.svg")},
		route{web: true, method: "POST", pattern: "/metrics/{ref}/measurements", allowed: contentEdit, prep: measure(true)},
	)
}

// withPatch gives the API's PATCH row of a register a body of its own fields.
func withPatch(rows []route, body map[string]any) []route {
	for i, r := range rows {
		if !r.web && r.method == http.MethodPatch {
			add := r.prep
			rows[i].prep = func(t *testing.T, m *matrix, role string) target {
				x := add(t, m, role)
				return target{path: x.path, body: body}
			}
		}
	}
	return rows
}

// The chart of a metric is an SVG image, never sniffed as anything else; through the API a measurement moves
// the metric's latest value and status, and a bad value is a 422 naming the field.
func TestMetricAPI(t *testing.T) {
	srv := testutil.StartServer(t, "sqlite")
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok := token(t, srv, org, "editor")
	want(t, api(t, srv, tok, http.MethodPost, "/metrics", map[string]any{"title": "Patch compliance", "target": "95", "unit": "%"}), http.StatusCreated, "add")
	p := wantProblem(t, api(t, srv, tok, http.MethodPost, "/metrics/M-001/measurements", map[string]any{"value": "97,5"}), http.StatusUnprocessableEntity, "bad value")
	if len(p.Errors) != 1 || p.Errors[0].Location != "body.value" || !strings.Contains(p.Errors[0].Message, "must be a number") {
		t.Fatalf("problem: %+v", p)
	}
	want(t, api(t, srv, tok, http.MethodPost, "/metrics/M-001/measurements", map[string]any{"value": "90", "taken_on": "2026-01-31"}), http.StatusCreated, "measure")
	a := api(t, srv, tok, http.MethodGet, "/metrics/M-001", nil)
	want(t, a, http.StatusOK, "get")
	var m isms.Metric
	decode(t, a, &m)
	if m.Latest == nil || m.Latest.Value != "90" || m.Status != isms.MetricOffTarget {
		t.Fatalf("after a value: %+v", m)
	}
	a = api(t, srv, tok, http.MethodGet, "/metrics/M-001/chart.svg", nil)
	want(t, a, http.StatusOK, "chart")
	if ct := a.Header.Get("Content-Type"); ct != "image/svg+xml" || a.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(string(a.Body), "<svg ") || !strings.Contains(string(a.Body), `class="target"`) {
		t.Fatalf("chart: %s %v\n%s", ct, a.Header, a.Body)
	}
}
