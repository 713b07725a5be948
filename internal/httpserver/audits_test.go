package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
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

// Through the API: an audit is planned (its answer carries the own-area warning), an item is recorded by PATCH
// with the fields sent, a finding is raised from it, bad input and a stale or missing version are problems
// naming the cause, a completed audit's checklist is a conflict, and the report downloads as Markdown and PDF.
func TestAuditAPI(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	plan, run := token(t, srv, org, "editor"), token(t, srv, org, "auditor")
	_, err := srv.Svc.AddPerson(org.Ctx("owner"), service.PersonInput{Name: "Ann Lee", Department: "Engineering"})
	if err != nil {
		t.Fatal(err)
	}
	a := api(t, srv, plan, http.MethodPost, "/audits", map[string]any{"title": "Secure development", "area": "engineering", "lead": "P-001",
		"clauses": []string{"9.2"}, "controls": []string{"8.28", "5.1"}})
	want(t, a, http.StatusCreated, "plan an audit")
	var au isms.Audit
	decode(t, a, &au)
	if au.Ref != "AU-001" || len(au.Warnings) != 1 || !strings.Contains(au.Warnings[0], "Ann Lee audits their own area") {
		t.Fatalf("planned: %s", a)
	}
	wantProblem(t, api(t, srv, plan, http.MethodPatch, "/audits/AU-001/checklist/A.8.28", map[string]any{"result": "conforms"}), http.StatusForbidden, "an editor records")
	p := wantProblem(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001/checklist/A.8.28", map[string]any{"result": "fine"}), http.StatusUnprocessableEntity, "bad result")
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Location, "result") {
		t.Fatalf("bad result: %+v", p)
	}
	wantProblem(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001/checklist/7.1", map[string]any{"result": "conforms"}), http.StatusNotFound, "item out of scope")
	a = api(t, srv, run, http.MethodPatch, "/audits/AU-001/checklist/8.28", map[string]any{"result": "nonconformity", "evidence_seen": "No review on hotfixes"})
	want(t, a, http.StatusOK, "record")
	a = api(t, srv, run, http.MethodPatch, "/audits/AU-001/checklist/8.28", map[string]any{"notes": "Branch protection off"})
	var it isms.AuditItem
	decode(t, a, &it)
	if it.Result != "nonconformity" || it.EvidenceSeen != "No review on hotfixes" || it.Notes != "Branch protection off" || len(it.Prompts) == 0 {
		t.Fatalf("a patch of the notes keeps the rest: %s", a)
	}
	a = api(t, srv, run, http.MethodPost, "/audits/AU-001/checklist/8.28/finding", map[string]any{"grade": "major-nc"})
	want(t, a, http.StatusCreated, "raise")
	var f isms.Finding
	decode(t, a, &f)
	if f.Ref != "F-001" || f.Control != "8.28" || f.Audit != "AU-001" || f.EvidenceSeen != "No review on hotfixes" {
		t.Fatalf("raised: %s", a)
	}
	wantProblem(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001", map[string]any{"status": "completed"}), http.StatusUnprocessableEntity, "no version")
	wantProblem(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001", map[string]any{"status": "completed", "version": 1}), http.StatusConflict, "stale")
	p = wantProblem(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001", map[string]any{"status": "completed", "conclusion": "Mostly effective", "version": 2}),
		http.StatusUnprocessableEntity, "items open")
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "Clause 9.2, A.5.1") {
		t.Fatalf("items open: %+v", p)
	}
	for _, item := range []string{"9.2", "5.1"} {
		want(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001/checklist/"+item, map[string]any{"result": "conforms"}), http.StatusOK, "record "+item)
	}
	want(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001", map[string]any{"status": "completed", "conclusion": "Mostly effective", "version": 2}), http.StatusOK, "complete")
	wantProblem(t, api(t, srv, run, http.MethodPatch, "/audits/AU-001/checklist/9.2", map[string]any{"result": "observation"}), http.StatusConflict, "completed checklist")
	a = api(t, srv, plan, http.MethodGet, "/audits/AU-001/report?format=md", nil)
	want(t, a, http.StatusOK, "report md")
	if !strings.Contains(a.String(), "### Major nonconformity (1)") || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/markdown") {
		t.Fatalf("report md: %s", a)
	}
	a = api(t, srv, plan, http.MethodGet, "/audits/AU-001/report?format=pdf", nil)
	if a.Status != http.StatusOK || a.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(a.String(), "%PDF-") {
		t.Fatalf("report pdf: %d %s", a.Status, a.Header.Get("Content-Type"))
	}
	wantProblem(t, api(t, srv, plan, http.MethodGet, "/audits/AU-404/report?format=pdf", nil), http.StatusNotFound, "report of no audit")
	a = api(t, srv, plan, http.MethodPut, "/audits/programme", map[string]any{"cycle_start": srv.Svc.Today(), "version": 0})
	want(t, a, http.StatusOK, "programme")
	var prog service.Programme
	decode(t, a, &prog)
	// AU-001 started today, when its first result was recorded: it counts in year 1, and covers clause 9.
	if prog.Programme.Version != 1 || len(prog.Coverage.Years) != 3 || len(prog.Coverage.Years[0].Audits) != 1 || !prog.Coverage.Rows[5].Done {
		t.Fatalf("programme: %s", a)
	}
}
