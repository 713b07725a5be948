package httpserver_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// Who may do what with audits and findings: planners (editors and auditors, with owners and admins) plan audits
// and record findings; only the audit roles (owner, admin, auditor) record checklist results.
var (
	planners   = []string{"owner", "admin", "editor", "auditor", "approver"}
	auditRoles = []string{"owner", "admin", "auditor"}
)

// newAudit plans an audit of clause 9.2 and control 8.28, as the owner.
func (m *matrix) newAudit(t *testing.T) string {
	a, err := m.srv.Svc.AddAudit(m.org.Ctx("owner"), service.AuditInput{Title: fmt.Sprintf("Audit %d", m.next()), Clauses: []string{"9.2"}, Controls: []string{"8.28"}})
	m.ok(t, err)
	return a.Ref
}

func (m *matrix) newFinding(t *testing.T) string {
	f, err := m.srv.Svc.AddFinding(m.org.Ctx("owner"), service.FindingInput{Title: fmt.Sprintf("Finding %d", m.next()), Grade: "minor-nc", Clause: "9.2"})
	m.ok(t, err)
	return f.Ref
}

// programmeVersion is the audit programme's version now.
func (m *matrix) programmeVersion(t *testing.T) int {
	p, err := m.srv.Svc.AuditProgramme(m.org.Ctx("owner"))
	m.ok(t, err)
	return p.Programme.Version
}

// auditRoutes are the matrix rows of the audit programme, the audits with their checklists and the findings.
func auditRoutes() []route {
	audit := func(suffix string) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/audits/" + m.newAudit(t) + suffix}
		}
	}
	finding := func(suffix string) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/findings/" + m.newFinding(t) + suffix}
		}
	}
	with := func(prep prepFunc, body func(role string) map[string]any) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			tg := prep(t, m, role)
			tg.body = body(role)
			return tg
		}
	}
	form := func(prep prepFunc, body func(role string) map[string]any) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			tg := prep(t, m, role)
			f := url.Values{}
			for k, v := range body(role) {
				f.Set(k, fmt.Sprint(v))
			}
			tg.body = f
			return tg
		}
	}
	auditBody := func(role string) map[string]any {
		return map[string]any{"title": "Audit by " + role, "area": "Finance", "version": 1}
	}
	findingBody := func(role string) map[string]any {
		return map[string]any{"title": "Finding by " + role, "grade": "observation", "clause": "7.5", "version": 1}
	}
	programme := func(t *testing.T, m *matrix, role string) target {
		return target{path: "/audits/programme", body: map[string]any{"cycle_start": "2026-01-01", "notes": "Set by " + role, "version": m.programmeVersion(t)}}
	}
	programmeForm := func(t *testing.T, m *matrix, role string) target {
		return target{path: "/audits/programme", body: url.Values{"cycle_start": {"2026-01-01"}, "notes": {"Set by " + role},
			"version": {fmt.Sprint(m.programmeVersion(t))}}}
	}
	add := func(path string, body func(role string) map[string]any) prepFunc {
		return func(_ *testing.T, _ *matrix, role string) target {
			b := body(role)
			delete(b, "version")
			return target{path: path, body: b}
		}
	}
	return []route{
		// API: audits and the programme.
		{method: "GET", pattern: "/audits", allowed: everyone, prep: fixed("/audits?status=planned&sort=-planned")},
		{method: "GET", pattern: "/audits/{ref}", allowed: everyone, prep: audit("")},
		{method: "POST", pattern: "/audits", allowed: planners, prep: add("/audits", auditBody)},
		{method: "PUT", pattern: "/audits/{ref}", allowed: planners, prep: with(audit(""), auditBody)},
		{method: "PATCH", pattern: "/audits/{ref}", allowed: planners, prep: with(audit(""), func(role string) map[string]any {
			return map[string]any{"scope": "Patched by " + role, "version": 1}
		})},
		{method: "DELETE", pattern: "/audits/{ref}", allowed: planners, prep: audit("")},
		{method: "GET", pattern: "/audits/{ref}/checklist", allowed: everyone, prep: audit("/checklist")},
		{method: "PATCH", pattern: "/audits/{ref}/checklist/{item}", allowed: auditRoles, prep: with(audit("/checklist/A.8.28"), func(role string) map[string]any {
			return map[string]any{"result": "conforms", "evidence_seen": "Seen by " + role}
		})},
		{method: "POST", pattern: "/audits/{ref}/checklist/{item}/finding", allowed: planners, prep: with(audit("/checklist/9.2/finding"), func(role string) map[string]any {
			return map[string]any{"title": "Raised by " + role}
		})},
		{method: "GET", pattern: "/audits/{ref}/report", allowed: everyone, prep: audit("/report?format=pdf")},
		{method: "GET", pattern: "/audits/programme", allowed: everyone},
		{method: "PUT", pattern: "/audits/programme", allowed: planners, prep: programme},
		// API: findings.
		{method: "GET", pattern: "/findings", allowed: everyone, prep: fixed("/findings?grade=minor-nc&sort=grade")},
		{method: "GET", pattern: "/findings/export", allowed: everyone, prep: fixed("/findings/export?format=xlsx")},
		{method: "GET", pattern: "/findings/{ref}", allowed: everyone, prep: finding("")},
		{method: "POST", pattern: "/findings", allowed: planners, prep: add("/findings", findingBody)},
		{method: "PUT", pattern: "/findings/{ref}", allowed: planners, prep: with(finding(""), findingBody)},
		{method: "PATCH", pattern: "/findings/{ref}", allowed: planners, prep: with(finding(""), func(role string) map[string]any {
			return map[string]any{"description": "Patched by " + role, "version": 1}
		})},
		{method: "DELETE", pattern: "/findings/{ref}", allowed: planners, prep: finding("")},
		// Web: audits and the programme.
		{web: true, method: "GET", pattern: "/audits", allowed: everyone},
		{web: true, method: "POST", pattern: "/audits", allowed: planners, prep: form(fixed("/audits"), auditBody)},
		{web: true, method: "GET", pattern: "/audits/programme", allowed: everyone},
		{web: true, method: "POST", pattern: "/audits/programme", allowed: planners, prep: programmeForm},
		{web: true, method: "GET", pattern: "/audits/{ref}", allowed: everyone, prep: audit("")},
		{web: true, method: "POST", pattern: "/audits/{ref}", allowed: planners, prep: form(audit(""), auditBody)},
		{web: true, method: "POST", pattern: "/audits/{ref}/delete", allowed: planners, prep: audit("/delete")},
		{web: true, method: "POST", pattern: "/audits/{ref}/items/{item}", allowed: auditRoles, prep: form(audit("/items/A.8.28"), func(role string) map[string]any {
			return map[string]any{"result": "observation", "notes": "By " + role}
		})},
		{web: true, method: "POST", pattern: "/audits/{ref}/items/{item}/finding", allowed: planners, prep: form(audit("/items/A.8.28/finding"), func(role string) map[string]any {
			return map[string]any{"title": "Raised by " + role, "grade": "observation"}
		})},
		{web: true, method: "GET", pattern: "/audits/{ref}/report.md", allowed: everyone, prep: audit("/report.md")},
		{web: true, method: "GET", pattern: "/audits/{ref}/report.pdf", allowed: everyone, prep: audit("/report.pdf")},
		// Web: findings.
		{web: true, method: "GET", pattern: "/findings", allowed: everyone, prep: fixed("/findings?grade=observation")},
		{web: true, method: "GET", pattern: "/findings/export.", allowed: everyone, prep: fixed("/findings/export.pdf")},
		{web: true, method: "POST", pattern: "/findings", allowed: planners, prep: form(fixed("/findings"), func(role string) map[string]any {
			b := findingBody(role)
			delete(b, "version")
			return b
		})},
		{web: true, method: "GET", pattern: "/findings/{ref}", allowed: everyone, prep: finding("")},
		{web: true, method: "POST", pattern: "/findings/{ref}", allowed: planners, prep: form(finding(""), findingBody)},
		{web: true, method: "POST", pattern: "/findings/{ref}/delete", allowed: planners, prep: finding("/delete")},
	}
}
