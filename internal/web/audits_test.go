package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The audit pages: an editor plans an audit, whose page shows the checklist with the catalog's prompts and the
// own-area warning; an auditor records a nonconformity in place and raises a finding from it; a viewer sees the
// checklist without forms; completing needs a conclusion; the programme shows coverage by year and what is not
// covered; the findings list filters by grade; the report downloads.
func TestAuditPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "auditor", "viewer")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Ann Lee", Department: "Engineering"}); err != nil {
		t.Fatal(err)
	}
	a := post(t, srv, c["editor"], "/audits", url.Values{"title": {"Secure development"}, "area": {"Engineering"}, "clauses": {"9.2"},
		"controls": {"8.28, 9.99"}, "lead": {"P-001"}})
	expect(t, "bad scope", a, http.StatusUnprocessableEntity, "no Annex A control &#34;9.99&#34;")
	a = post(t, srv, c["editor"], "/audits", url.Values{"title": {"Secure development"}, "area": {"Engineering"}, "clauses": {"9.2"},
		"controls": {"8.28"}, "lead": {"P-001"}, "planned_start": {srv.Svc.Today()}})
	redirected(t, "plan", a, "/audits/AU-001")
	a = get(t, srv, c["viewer"], "/audits/AU-001")
	expect(t, "audit page", a, http.StatusOK, "Clause 9.2", "A.8.28 Secure coding", "What to look at", "Ann Lee audits their own area (Engineering)", "/audits/AU-001/report.pdf")
	refuse(t, "viewer's audit page", a, `action="/audits/AU-001/items/`, `action="/audits/AU-001"`)
	refuse(t, "editor's audit page has no result forms", get(t, srv, c["editor"], "/audits/AU-001"), `action="/audits/AU-001/items/`)
	a = post(t, srv, c["editor"], "/audits/AU-001/items/A.8.28", url.Values{"result": {"conforms"}})
	expect(t, "an editor records a result", a, http.StatusForbidden)

	a = get(t, srv, c["auditor"], "/audits/AU-001")
	expect(t, "auditor's audit page", a, http.StatusOK, `action="/audits/AU-001/items/A.8.28"`, `action="/audits/AU-001/items/Clause%209.2"`)
	a = post(t, srv, c["auditor"], "/audits/AU-001/items/A.8.28", url.Values{"result": {"broken"}})
	expect(t, "bad result", a, http.StatusUnprocessableEntity, "must be one of conforms")
	a = post(t, srv, c["auditor"], "/audits/AU-001/items/A.8.28", url.Values{"result": {"nonconformity"}, "evidence_seen": {"Two merges without review"}})
	redirected(t, "record", a, "/audits/AU-001#item-2")
	a = get(t, srv, c["auditor"], "/audits/AU-001")
	expect(t, "after recording", a, http.StatusOK, "Two merges without review", `action="/audits/AU-001/items/A.8.28/finding"`, "in-progress")
	a = post(t, srv, c["auditor"], "/audits/AU-001/items/A.8.28/finding", url.Values{"title": {"Code review skipped"}, "grade": {"major-nc"}})
	redirected(t, "raise", a, "/findings/F-001")
	expect(t, "finding page", get(t, srv, c["viewer"], "/findings/F-001"), http.StatusOK, "Code review skipped", "Major nonconformity", "Two merges without review", "AU-001")

	a = get(t, srv, c["viewer"], "/findings?grade=major-nc")
	expect(t, "findings by grade", a, http.StatusOK, "Code review skipped")
	expect(t, "no minor findings", get(t, srv, c["viewer"], "/findings?grade=minor-nc"), http.StatusOK, "No finding matches the filter")
	expect(t, "bad grade filter", get(t, srv, c["viewer"], "/findings?grade=bad"), http.StatusUnprocessableEntity, "must be one of")

	post(t, srv, c["auditor"], "/audits/AU-001/items/Clause%209.2", url.Values{"result": {"conforms"}})
	au, err := srv.Svc.Audit(ctx, "AU-001")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"title": {au.Title}, "area": {au.Area}, "clauses": {"9.2"}, "controls": {"8.28"}, "lead": {"P-001"}, "status": {"completed"},
		"version": {strconv.Itoa(au.Version)}, "planned_start": {au.PlannedStart}, "actual_start": {au.ActualStart}}
	a = post(t, srv, c["auditor"], "/audits/AU-001", form)
	expect(t, "complete without a conclusion", a, http.StatusUnprocessableEntity, "is required to complete the audit")
	form.Set("conclusion", "Effective but for code review")
	redirected(t, "complete", post(t, srv, c["auditor"], "/audits/AU-001", form), "/audits/AU-001")
	a = get(t, srv, c["auditor"], "/audits/AU-001")
	refuse(t, "a completed audit has no result forms", a, `action="/audits/AU-001/items/A.8.28"`, `action="/audits/AU-001/items/Clause%209.2"`, `action="/audits/AU-001/items/Clause 9.2"`)
	a = get(t, srv, c["viewer"], "/audits/AU-001/report.md")
	expect(t, "report", a, http.StatusOK, "### Major nonconformity (1)", "Effective but for code review")
	a = get(t, srv, c["viewer"], "/audits/AU-001/report.pdf")
	if a.Status != http.StatusOK || !strings.HasPrefix(a.Body, "%PDF-") {
		t.Fatalf("pdf report: %d %.20q", a.Status, a.Body)
	}

	expect(t, "programme without a cycle", get(t, srv, c["viewer"], "/audits/programme"), http.StatusOK, "The programme has no cycle yet")
	a = post(t, srv, c["editor"], "/audits/programme", url.Values{"cycle_start": {"2026-02-30"}, "version": {"0"}})
	expect(t, "bad cycle", a, http.StatusUnprocessableEntity, "must be a date")
	redirected(t, "cycle", post(t, srv, c["editor"], "/audits/programme", url.Values{"cycle_start": {srv.Svc.Today()}, "version": {"0"}}), "/audits/programme")
	a = get(t, srv, c["viewer"], "/audits/programme")
	expect(t, "programme", a, http.StatusOK, `data-row="Clause 9"`, `href="/audits/AU-001"`, "Not yet covered in this cycle: Clause 4")
	expect(t, "audits list", get(t, srv, c["viewer"], "/audits?status=completed"), http.StatusOK, "Secure development", "9.2, A.8.28")
}

// auditSample gives an organisation an audit AU-001 of clause 9.2 and control 8.28 and a finding F-001 of it,
// for the pages that show one.
func auditSample(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	if _, err := svc.AddAudit(ctx, service.AuditInput{Title: "Secure development", Clauses: []string{"9.2"}, Controls: []string{"8.28"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RaiseFinding(ctx, "AU-001", "8.28", service.FindingInput{Title: "Code review skipped", Grade: "minor-nc"}); err != nil {
		t.Fatal(err)
	}
}
