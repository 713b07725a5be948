package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The chart helpers of the metric pages, added to the template functions here (before New parses the
// templates) rather than in web.go. The SVG is built by internal/chart, which escapes every text it writes.
func init() {
	funcs["metricChart"] = func(m isms.Metric) template.HTML {
		return template.HTML(service.MetricTrend(m, "chart-"+m.Ref).SVG()) // #nosec G203 -- escaped by chart
	}
	funcs["sparkline"] = func(m isms.Metric) template.HTML {
		return template.HTML(service.MetricTrend(m, "spark-"+m.Ref).Sparkline()) // #nosec G203 -- escaped by chart
	}
	funcs["latestFirst"] = func(ms []isms.Measurement) []isms.Measurement {
		out := slices.Clone(ms)
		slices.Reverse(out)
		return out
	}
}

// performanceTabs are the tabs of the pages of clauses 9.1 and 10.1.
func performanceTabs(current string) []LeadershipTab {
	tabs := []LeadershipTab{{Href: "/metrics", Label: "Metrics"}, {Href: "/improvements", Label: "Improvements"}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

// metricRoutes registers the metrics (clause 9.1) and the form that records a measurement.
func (h *Handler) metricRoutes() {
	metrics := h.metricPages()
	h.mux.HandleFunc("GET /metrics", metrics.list)
	h.mux.HandleFunc("POST /metrics", metrics.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /metrics/export."+f, metrics.export)
	}
	h.mux.HandleFunc("GET /metrics/{ref}", metrics.show)
	h.mux.HandleFunc("POST /metrics/{ref}", metrics.update)
	h.mux.HandleFunc("POST /metrics/{ref}/delete", metrics.delete)
	h.mux.HandleFunc("POST /metrics/{ref}/measurements", func(w http.ResponseWriter, r *http.Request) { h.recordMeasurement(w, r, metrics) })
}

func (h *Handler) metricPages() registerPages[isms.Metric, service.MetricInput, service.MetricFilter] {
	return registerPages[isms.Metric, service.MetricInput, service.MetricFilter]{h: h, path: "/metrics", listPage: "metrics", rowPage: "metric",
		title: "Metrics", nav: "performance", tabs: performanceTabs, choices: isms.MetricFrequencies,
		// The late box asks for the metrics late today (the register's late_on filter).
		parse: func(q url.Values) (service.MetricFilter, error) {
			f, err := service.MetricRegister.Parse("q", q.Get)
			if formBool(q.Get("late")) {
				f.LateOn = h.svc.Today()
			}
			return f, err
		},
		values:   func(f service.MetricFilter) url.Values { return service.MetricRegister.Values("q", f) },
		filtered: service.MetricRegister.Filtered,
		personOf: func(f service.MetricFilter) string { return f.Owner },
		holder:   func(m isms.Metric) (string, string) { return m.Owner, m.OwnerName },
		label:    func(m isms.Metric) string { return m.Ref + " " + m.Title },
		lister:   unwarned(h.svc.ListMetrics),
		get:      h.svc.Metric, addRow: h.svc.AddMetric, updateRow: h.svc.UpdateMetric, deleteRow: h.svc.DeleteMetric,
		exportRows: h.svc.ExportMetrics,
		input: func(f url.Values) service.MetricInput {
			in := formInput[service.MetricInput](f)
			in.Controls = controlIDs(f["controls"])
			return in
		},
		form: func(m isms.Metric) url.Values {
			v := formValues(&m)
			v.Set("controls", strings.Join(m.Controls, ", "))
			return v
		},
	}
}

// recordMeasurement records a value from the metric's page; refused input shows the page again with the
// value kept and the problem at its field.
func (h *Handler) recordMeasurement(w http.ResponseWriter, r *http.Request, p registerPages[isms.Metric, service.MetricInput, service.MetricFilter]) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var m isms.Measurement
	if err == nil {
		m, err = h.svc.RecordMeasurement(r.Context(), ref, formInput[service.MeasurementInput](r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		v, lerr := p.rowView(r, ref)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		for _, k := range []string{"taken_on", "value", "note"} {
			v.Form.Set(k, r.PostForm.Get(k))
		}
		h.formError(w, r, p.rowPage, v, err)
		return
	}
	h.redirect(w, r, "/metrics/"+url.PathEscape(ref)+"#measurements", "Recorded "+m.Value+" for "+ref+" on "+m.TakenOn+".")
}
