package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// readinessRoutes registers the roadmap to certification with every lint finding, and the acknowledgements.
func (h *Handler) readinessRoutes() {
	h.mux.HandleFunc("GET /readiness", h.readiness)
	h.mux.HandleFunc("POST /readiness/acks", h.acknowledgeFinding)
	h.mux.HandleFunc("POST /readiness/acks/remove", h.removeAcknowledgement)
}

// ReadinessPage is the roadmap, then the findings grouped by severity (those of Severity only, when set).
type ReadinessPage struct {
	Readiness  isms.Readiness
	Report     isms.LintReport
	Groups     []FindingGroup
	Acked      int // findings acknowledged, left out of the report's counts
	Severity   string
	Severities []isms.Severity
	CanAck     bool   // the caller may acknowledge findings
	ShowPack   bool   // approvers and auditors get the link to the auditor pack
	Posted     string // "rule ref" of the acknowledgement form that was refused
	Today      string
	MaxDay     string // the latest expiry an acknowledgement may have
}

// FindingGroup is the findings of one severity.
type FindingGroup struct {
	Severity isms.Severity
	Findings []isms.LintFinding
}

// severityParam is the severity filter of q, "" when absent or not a severity.
func severityParam(q url.Values) string {
	s := q.Get("severity")
	if isms.Severity(s).Rank() >= len(isms.Severities) {
		return ""
	}
	return s
}

func (h *Handler) readinessView(r *http.Request, severity, posted string) (View, error) {
	rd, report, err := h.svc.ReadinessAndLint(r.Context())
	if err != nil {
		return View{}, err
	}
	a, _ := service.ActorFrom(r.Context())
	now := h.svc.Now()
	d := ReadinessPage{Readiness: rd, Report: report, Severity: severity, Severities: isms.Severities, CanAck: service.MayAcknowledge(a),
		ShowPack: a.Approver || a.Role == isms.RoleAuditor, Posted: posted,
		Today: now.Format(time.DateOnly), MaxDay: now.AddDate(1, 0, 0).Format(time.DateOnly)}
	for _, sev := range isms.Severities {
		if severity != "" && string(sev) != severity {
			continue
		}
		g := FindingGroup{Severity: sev}
		for _, f := range report.Findings {
			if f.Severity == sev {
				g.Findings = append(g.Findings, f)
			}
		}
		d.Groups = append(d.Groups, g)
	}
	for _, f := range report.Findings {
		if f.Acknowledged != nil {
			d.Acked++
		}
	}
	return View{Title: "Readiness for certification", Nav: "readiness", Data: d}, nil
}

func (h *Handler) readiness(w http.ResponseWriter, r *http.Request) {
	v, err := h.readinessView(r, severityParam(r.URL.Query()), "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "readiness", v)
}

// readinessBack is the page a posted form returns to, with the severity filter it was posted from.
func readinessBack(f url.Values) string {
	if s := severityParam(f); s != "" {
		return "/readiness?severity=" + s
	}
	return "/readiness"
}

func (h *Handler) acknowledgeFinding(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var k isms.LintAcknowledge
	if err == nil {
		f := r.PostForm
		k, err = h.svc.AcknowledgeFinding(r.Context(), f.Get("rule"), f.Get("ref"), f.Get("reason"), f.Get("expires_on"))
	}
	if err != nil {
		h.formFailed(w, r, err, "readiness", func(r *http.Request) (View, error) {
			return h.readinessView(r, severityParam(r.PostForm), r.PostForm.Get("rule")+" "+r.PostForm.Get("ref"))
		}, nil)
		return
	}
	h.redirect(w, r, readinessBack(r.PostForm), "The finding "+k.Rule+" "+k.Ref+" is acknowledged until "+k.ExpiresOn+".")
}

func (h *Handler) removeAcknowledgement(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	if err == nil {
		err = h.svc.RemoveAcknowledgement(r.Context(), r.PostForm.Get("rule"), r.PostForm.Get("ref"))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, readinessBack(r.PostForm), "The acknowledgement is withdrawn: the finding counts again.")
}

// nextActions are the most serious open findings across the roadmap's steps, at most n, for the dashboard.
func nextActions(rd isms.Readiness, n int) []isms.LintFinding {
	var all []isms.LintFinding
	for _, s := range rd.Steps {
		all = append(all, s.Next...)
	}
	slices.SortStableFunc(all, func(x, y isms.LintFinding) int { return x.Severity.Rank() - y.Severity.Rank() })
	return all[:min(n, len(all))]
}
