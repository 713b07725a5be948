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

// auditsOfB are the audits and findings in the isolation test: A has AU-001 and F-001; B has two of each (the
// second refs exist only in B), each saying Bravo, led by B's people, and a programme.
type auditsOfB struct {
	bAudits   []isms.Audit
	bFindings []isms.Finding
}

func setupAudits(t *testing.T, x *tenants) auditsOfB {
	t.Helper()
	svc := x.srv.Svc
	var out auditsOfB
	_, err := svc.AddAudit(x.a.Ctx("editor"), service.AuditInput{Title: "Alpha audit", Clauses: []string{"9.2"}, Controls: []string{"8.13"}, Lead: x.aPerson.Ref})
	noErr(t, err)
	_, err = svc.AddFinding(x.a.Ctx("auditor"), service.FindingInput{Title: "Alpha finding", Grade: "minor-nc", Clause: "9.2", Audit: "AU-001"})
	noErr(t, err)
	_, err = svc.SetAuditProgramme(x.a.Ctx("editor"), service.ProgrammeInput{CycleStart: "2026-01-01"})
	noErr(t, err)
	for i := range 2 {
		a, err := svc.AddAudit(x.b.Ctx("editor"), service.AuditInput{Title: fmt.Sprintf("Bravo audit %d", i), Area: "Bravo Ops", Scope: "Bravo scope",
			Clauses: []string{"9.2"}, Controls: []string{"8.13"}, Lead: x.bPeople[i].Ref, Team: []string{x.bPeople[2].Ref}})
		noErr(t, err)
		_, err = svc.SetAuditItem(x.b.Ctx("auditor"), a.Ref, "8.13", service.AuditItemInput{Result: "nonconformity", EvidenceSeen: "Bravo backups"})
		noErr(t, err)
		f, err := svc.RaiseFinding(x.b.Ctx("auditor"), a.Ref, "8.13", service.FindingInput{Title: fmt.Sprintf("Bravo finding %d", i)})
		noErr(t, err)
		out.bAudits, out.bFindings = append(out.bAudits, a), append(out.bFindings, f)
		x.secrets = append(x.secrets, a.ID, f.ID)
	}
	_, err = svc.SetAuditProgramme(x.b.Ctx("editor"), service.ProgrammeInput{CycleStart: "2025-01-01", Notes: "Bravo programme"})
	noErr(t, err)
	return out
}

// auditReads are A's reads of its audits and findings, in the API or the web UI: each must answer A's own only.
func auditReads(web bool) []string {
	if web {
		return []string{"/audits", "/audits?lead=P-002", "/audits/AU-001", "/audits/AU-001/report.md", "/audits/AU-001/report.pdf", "/audits/programme",
			"/findings", "/findings?audit=AU-002", "/findings/export.csv", "/findings/F-001"}
	}
	return []string{"/audits", "/audits?search=bravo", "/audits/AU-001", "/audits/AU-001/checklist", "/audits/AU-001/report?format=md",
		"/audits/AU-001/report?format=pdf", "/audits/programme", "/findings", "/findings?search=bravo", "/findings/export", "/findings/F-001"}
}

// A can neither read, change, run nor delete B's audits and findings (by id, or by a reference only B has), in
// the API or the web UI; nor name B's audit in its finding or B's people on its audit. B's stay as they were.
func TestIsolationAudits(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			srv := x.srv
			snapshot := func() map[string]string {
				out := map[string]string{}
				for _, p := range []string{"/audits?limit=500", "/findings?limit=500", "/audits/programme", "/audits/" + x.audits.bAudits[1].Ref + "/checklist"} {
					a := api(t, srv, x.bTok, http.MethodGet, p, nil)
					want(t, a, http.StatusOK, "B reads "+p)
					out[p] = string(a.Body)
				}
				return out
			}
			before := snapshot()
			c := srv.Login(t, x.a.Actors["admin"].Email, testutil.Password)
			au, f := x.audits.bAudits[1], x.audits.bFindings[1]
			for _, p := range []string{"/audits/" + au.ID, "/audits/" + au.Ref, "/findings/" + f.ID, "/findings/" + f.Ref} {
				body := map[string]any{"title": "Hijacked", "version": 1}
				if strings.HasPrefix(p, "/findings/") {
					body["grade"], body["clause"] = "ofi", "7.5"
				}
				for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
					a := api(t, srv, x.aTok, method, p, body)
					wantProblem(t, a, http.StatusNotFound, "A: "+method+" "+p)
					x.clean(t, "A: "+method+" "+p, a, au.ID, f.ID)
				}
				a := call(t, c, http.MethodGet, srv.URL+p, nil)
				want(t, a, http.StatusNotFound, "A's admin GET "+p)
				for _, suffix := range []string{"", "/delete"} {
					a := post(t, srv, c, p+suffix, url.Values{"title": {"Hijacked"}, "grade": {"ofi"}, "clause": {"7.5"}, "version": {"1"}})
					want(t, a, http.StatusNotFound, "A's admin POST "+p+suffix)
					x.clean(t, "web POST "+p+suffix, a, au.ID, f.ID)
				}
			}
			for _, ref := range []string{au.ID, au.Ref} {
				for _, r := range []struct {
					method, path string
					body         any
				}{
					{http.MethodGet, "/audits/" + ref + "/checklist", nil},
					{http.MethodGet, "/audits/" + ref + "/report?format=md", nil},
					{http.MethodPatch, "/audits/" + ref + "/checklist/8.13", map[string]any{"result": "conforms"}},
					{http.MethodPost, "/audits/" + ref + "/checklist/8.13/finding", map[string]any{"title": "Hijacked"}},
				} {
					a := api(t, srv, x.aTok, r.method, r.path, r.body)
					wantProblem(t, a, http.StatusNotFound, "A: "+r.method+" "+r.path)
					x.clean(t, "A: "+r.method+" "+r.path, a, ref)
				}
				for _, p := range []string{"/items/A.8.13", "/items/A.8.13/finding"} {
					a := post(t, srv, c, "/audits/"+ref+p, url.Values{"result": {"conforms"}, "title": {"Hijacked"}})
					want(t, a, http.StatusNotFound, "A's admin POST "+ref+p)
				}
				want(t, call(t, c, http.MethodGet, srv.URL+"/audits/"+ref+"/report.pdf", nil), http.StatusNotFound, "A's admin reads B's report")
				a := api(t, srv, x.aTok, http.MethodPost, "/findings", map[string]any{"title": "Cross link", "grade": "ofi", "clause": "7.5", "audit": ref})
				wantProblem(t, a, http.StatusUnprocessableEntity, "A names B's audit in a finding")
			}
			for _, who := range []string{x.bPeople[2].ID, x.bPeople[2].Ref, x.bPeople[2].Email} {
				for _, field := range []string{"lead", "team"} {
					var v any = who
					if field == "team" {
						v = []string{who}
					}
					a := api(t, srv, x.aTok, http.MethodPost, "/audits", map[string]any{"title": "Cross link", field: v})
					wantProblem(t, a, http.StatusUnprocessableEntity, "A names B's person as "+field)
					x.clean(t, "A names B's person as "+field, a, who)
				}
			}
			after := snapshot()
			for k, v := range before {
				if after[k] != v {
					t.Errorf("B's %s changed:\nbefore %s\nafter  %s", k, v, after[k])
				}
			}
		})
	}
}
