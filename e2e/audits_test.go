package e2e

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestAuditPath: on the sample organisation the CISO plans a supplier audit led by the internal auditor, who
// then fills its checklist in place, raises a major nonconformity from an item, completes the audit with a
// conclusion and downloads the report as PDF; the programme shows the new audit in its year.
func TestAuditPath(t *testing.T) {
	t.Parallel()
	srv, b := startDemo(t)
	b.login("daniel@northwind.example", service.DemoPassword)
	b.open("/")
	b.follow("nav.main-nav", "Audits")
	b.expectPath("/audits")
	shows(b, "table.audits", "Secure development and change management")
	b.fillIn("#add", "Audit", "Supplier security")
	b.fillIn("#add", "Area audited", "Operations")
	b.fillIn("#add", "Clauses in scope", "5")
	b.fillIn("#add", "Annex A controls in scope", "5.19, 5.20")
	b.fillIn("#add", "Lead auditor", "Tom Becker (P-004)")
	b.fillIn("#add", "Planned start", srv.Svc.Today())
	b.pressIn("#add", "Plan the audit")
	b.expectPath("/audits/AU-006")
	shows(b, ".flash", "AU-006 Supplier security is added.")
	if n := b.count("ol.checklist > li"); n != 3 {
		t.Fatalf("the checklist has %d items, want 3 (clause 5, A.5.19, A.5.20)", n)
	}
	b.saveScreenshot("audit-planned")
	b.logout()

	b.login("tom@northwind.example", service.DemoPassword)
	b.open("/audits/AU-006")
	b.fillIn("#item-2", "Result", "nonconformity")
	b.fillIn("#item-2", "Evidence seen", "No security review for the two suppliers onboarded this quarter")
	b.pressIn("#item-2", "Save A.5.19")
	b.expectPath("/audits/AU-006")
	shows(b, ".flash", "A.5.19 is recorded.")
	b.fillIn("#item-2 form.raise-finding", "Finding", "Suppliers onboarded without a security review")
	b.fillIn("#item-2 form.raise-finding", "Grade", "Major nonconformity")
	b.pressIn("#item-2", "Raise a finding")
	b.expectPath("/findings/F-005")
	shows(b, "main", "Major nonconformity")
	shows(b, "main", "No security review for the two suppliers onboarded this quarter")

	b.open("/audits/AU-006")
	b.fillIn("#item-1", "Result", "conforms")
	b.pressIn("#item-1", "Save Clause 5")
	b.fillIn("#item-3", "Result", "not-audited")
	b.fillIn("#item-3", "Notes", "Out of time: next year")
	b.pressIn("#item-3", "Save A.5.20")
	edit := `form[aria-label="Edit AU-006"]`
	b.fillIn(edit, "Status", "completed")
	b.pressIn(edit, "Save AU-006")
	shows(b, "main", "is required to complete the audit")
	b.fillIn(edit, "Conclusion", "Supplier onboarding skips the security review: corrective action needed.")
	b.fillIn(edit, "Status", "completed")
	b.pressIn(edit, "Save AU-006")
	b.expectPath("/audits/AU-006")
	shows(b, "main", "completed")
	if n := b.count(`ol.checklist form.item-form`); n != 0 {
		t.Fatalf("a completed audit still offers %d result forms", n)
	}
	b.saveScreenshot("audit-completed")

	var got struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Start  string `json:"start"`
	}
	b.awaitJS("download the report", &got, `async function() {
	  const a = document.querySelector('main a[href$="/report.pdf"]');
	  const r = await fetch(a.href, {credentials: "same-origin"});
	  const text = await r.text();
	  return {status: r.status, type: r.headers.get("Content-Type"), start: text.slice(0, 5)};
	}`)
	if got.Status != 200 || !strings.HasPrefix(got.Type, "application/pdf") || got.Start != "%PDF-" {
		t.Fatalf("the report download: %+v", got)
	}

	b.follow("nav.subnav", "Programme")
	b.expectPath("/audits/programme")
	shows(b, "table.coverage", "AU-006")
	b.follow("nav.subnav", "Findings")
	b.follow("p.grade-filters", "Major nonconformity")
	if n := b.count("table.findings tbody tr"); n != 2 {
		t.Fatalf("%d major nonconformities listed, want 2", n)
	}
}
