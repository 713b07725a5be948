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
		return func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/metrics/" + addMetric(t, m) + suffix}
		}
	}
	return append(rows,
		route{method: "GET", pattern: "/metrics/{ref}/measurements", allowed: everyone, prep: fresh("/measurements")},
		route{method: "POST", pattern: "/metrics/{ref}/measurements", allowed: contentEdit, prep: measure(false)},
		route{method: "GET", pattern: "/metrics/{ref}/chart.svg", allowed: everyone, prep: fresh("/chart.svg")},
		route{web: true, method: "POST", pattern: "/metrics/{ref}/measurements", allowed: contentEdit, prep: measure(true)},
		route{method: "POST", pattern: "/metrics/measurements/import", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/metrics/measurements/import", body: raw{"text/csv", "metric,taken_on,value\n" + addMetric(t, m) + ",2026-01-31,97\n"}}
		}},
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

// Clauses 9.1 and 10.1 in the isolation tests: B's metrics (with measurements) and improvements all say Bravo;
// A has M-001 and IMP-001, so M-002 and IMP-002 exist only in B.
type performanceOfB struct {
	metric      isms.Metric
	improvement isms.Improvement
}

// performanceReads are A's API reads of these registers; performanceWebReads its pages and downloads. Each
// must show nothing of B.
var performanceReads = []string{"/metrics?limit=500", "/metrics?search=bravo", "/metrics?late=true", "/metrics/export", "/metrics/M-001",
	"/metrics/M-001/measurements", "/metrics/M-001/chart.svg", "/improvements?limit=500", "/improvements?search=bravo", "/improvements/export",
	"/improvements/IMP-001"}

var performanceWebReads = []string{"/metrics", "/metrics?late=1", "/metrics/export.csv", "/metrics/M-001", "/improvements",
	"/improvements/export.csv", "/improvements/IMP-001"}

func setupPerformance(t *testing.T, x *tenants) performanceOfB {
	t.Helper()
	svc := x.srv.Svc
	var b performanceOfB
	_, err := svc.AddMetric(x.a.Ctx("editor"), service.MetricInput{Title: "Alpha uptime", Target: "99", Owner: x.aPerson.Ref})
	noErr(t, err)
	_, err = svc.RecordMeasurement(x.a.Ctx("editor"), "M-001", service.MeasurementInput{TakenOn: "2026-01-31", Value: "99.5"})
	noErr(t, err)
	_, err = svc.AddImprovement(x.a.Ctx("editor"), service.ImprovementInput{Title: "Alpha change", Owner: x.aPerson.Ref})
	noErr(t, err)
	for i := range 2 {
		b.metric, err = svc.AddMetric(x.b.Ctx("editor"), service.MetricInput{Title: fmt.Sprintf("Bravo metric %d", i), Target: "5",
			Method: "Bravo method", Owner: x.bPeople[i].Ref, Objective: x.lead.bObjectives[i].Ref})
		noErr(t, err)
		_, err = svc.RecordMeasurement(x.b.Ctx("editor"), b.metric.Ref, service.MeasurementInput{TakenOn: "2026-01-31", Value: "7", Note: "Bravo note"})
		noErr(t, err)
		b.improvement, err = svc.AddImprovement(x.b.Ctx("editor"), service.ImprovementInput{Title: fmt.Sprintf("Bravo change %d", i),
			Reason: "Bravo reason", Owner: x.bPeople[i].Ref})
		noErr(t, err)
		x.secrets = append(x.secrets, b.metric.ID, b.improvement.ID)
	}
	return b
}

// paths are B's second rows, by id and by the reference only B has.
func (b performanceOfB) paths() []string {
	return []string{"/metrics/" + b.metric.ID, "/metrics/" + b.metric.Ref, "/improvements/" + b.improvement.ID, "/improvements/" + b.improvement.Ref}
}

// performanceSnapshot adds B's rows and measurements, read through B's token, to the snapshot that must not change.
func performanceSnapshot(t *testing.T, x *tenants, out map[string]string) {
	t.Helper()
	for _, p := range append(x.perf.paths(), "/metrics?limit=500", "/improvements?limit=500", "/metrics/"+x.perf.metric.Ref+"/measurements") {
		a := api(t, x.srv, x.bTok, http.MethodGet, p, nil)
		want(t, a, http.StatusOK, "B reads "+p)
		out[p] = string(a.Body)
	}
}

// A can neither read, change, measure nor delete B's metrics and improvements (by id, or by a reference only B
// has), in the API or the web UI; nor name B's people or objectives in its own. B's rows stay as they were.
func TestIsolationPerformance(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			srv := x.srv
			c := srv.Login(t, x.a.Actors["admin"].Email, testutil.Password)
			for _, p := range x.perf.paths() {
				body := map[string]any{"title": "Hijacked", "version": 1}
				if strings.HasPrefix(p, "/metrics/") {
					body["target"] = "1"
				}
				for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
					a := api(t, srv, x.aTok, method, p, body)
					wantProblem(t, a, http.StatusNotFound, "A: "+method+" "+p)
					x.clean(t, "A: "+method+" "+p, a, strings.Split(p, "/")...)
				}
				a := call(t, c, http.MethodGet, srv.URL+p, nil)
				want(t, a, http.StatusNotFound, "A's admin GET "+p)
				x.clean(t, "web GET "+p, a, strings.Split(p, "/")...)
				for _, suffix := range []string{"", "/delete"} {
					a := post(t, srv, c, p+suffix, url.Values{"title": {"Hijacked"}, "target": {"1"}, "version": {"1"}})
					want(t, a, http.StatusNotFound, "A's admin POST "+p+suffix)
					x.clean(t, "web POST "+p+suffix, a, strings.Split(p, "/")...)
				}
			}
			for _, ref := range []string{x.perf.metric.ID, x.perf.metric.Ref} {
				for _, suffix := range []string{"/measurements", "/chart.svg"} {
					a := api(t, srv, x.aTok, http.MethodGet, "/metrics/"+ref+suffix, nil)
					wantProblem(t, a, http.StatusNotFound, "A reads B's "+suffix)
					x.clean(t, "A reads B's "+suffix, a, ref)
				}
				a := api(t, srv, x.aTok, http.MethodPost, "/metrics/"+ref+"/measurements", map[string]any{"value": "1"})
				wantProblem(t, a, http.StatusNotFound, "A measures B's metric")
				a = post(t, srv, c, "/metrics/"+ref+"/measurements", url.Values{"value": {"1"}})
				want(t, a, http.StatusNotFound, "A's admin measures B's metric")
			}
			bp, bo := x.bPeople[2], x.lead.bObjectives[1]
			for _, body := range []map[string]any{{"title": "Cross", "target": "1", "owner": bp.Ref}, {"title": "Cross", "target": "1", "objective": bo.Ref},
				{"title": "Cross", "target": "1", "objective": bo.ID}} {
				a := api(t, srv, x.aTok, http.MethodPost, "/metrics", body)
				wantProblem(t, a, http.StatusUnprocessableEntity, fmt.Sprintf("A links B's rows into a metric: %v", body))
				x.clean(t, "A links B's rows", a, bp.ID, bo.ID)
			}
			for _, ref := range []string{x.perf.metric.Ref, x.perf.metric.ID} {
				a := api(t, srv, x.aTok, http.MethodPost, "/metrics/measurements/import", raw{"text/csv", "metric,taken_on,value\n" + ref + ",2026-01-31,1\n"})
				wantProblem(t, a, http.StatusUnprocessableEntity, "A imports a value of B's metric")
				x.clean(t, "A imports a value of B's metric", a, x.perf.metric.ID)
			}
			a := api(t, srv, x.aTok, http.MethodPost, "/improvements", map[string]any{"title": "Cross", "owner": bp.Email})
			wantProblem(t, a, http.StatusUnprocessableEntity, "A links B's person into an improvement")
			x.unchanged(t)
		})
	}
}
