package e2e

import (
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestCertificationPath: an owner opens Certification from the menu, sees that nothing is planned, plans the
// Stage 1 audit with the certification body, finds it in the cycle as planned, then marks it done with its
// recommendation; the cycle shows Stage 1 done and Stage 2 not planned yet.
func TestCertificationPath(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")
	b.login("owner@acme.example", testutil.Password)
	b.open("/")
	b.follow("nav.main-nav", "Certification")
	b.expectPath("/certification")
	b.see("No certification audits yet")

	day := srv.Clock.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	b.fillIn("#add", "Audit", "Stage 1 audit")
	b.fillIn("#add", "Certification body", "Meridian Assurance Ltd")
	b.fillIn("#add", "Lead auditor", "Ruth Adeyemi")
	b.fillIn("#add", "Start", day)
	b.pressIn("#add", "Plan the audit")
	b.expectPath("/certification/CERT-001")
	shows(b, ".flash", "CERT-001 Stage 1 audit is added.")

	b.follow("p.crumbs", "Certification")
	shows(b, "table.cycle tr[data-step='Stage 1 audit']", "CERT-001")
	shows(b, "table.cycle tr[data-step='Stage 1 audit']", "planned")
	b.saveScreenshot("certification-planned")

	b.follow("table.certification", "CERT-001")
	b.fillIn("form[aria-label='Edit CERT-001']", "Status", "done")
	b.fillIn("form[aria-label='Edit CERT-001']", "Result", "recommended")
	b.pressIn("form[aria-label='Edit CERT-001']", "Save CERT-001")
	shows(b, ".flash", "CERT-001 Stage 1 audit is saved.")
	b.follow("p.crumbs", "Certification")
	shows(b, "table.cycle tr[data-step='Stage 1 audit']", "done")
	shows(b, "table.cycle tr[data-step='Stage 2 audit']", "not planned")
	b.saveScreenshot("certification-done")
}
