package e2e

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestLeadershipPath: on the sample organisation the head of engineering opens Leadership, finds the CEO as
// sponsor and the CISO as ISMS owner with no warning, adds an objective that serves the phishing risk, and
// narrows the objectives to the overdue one, which stands out.
func TestLeadershipPath(t *testing.T) {
	t.Parallel()
	_, b := startDemo(t)
	b.login("sofia@northwind.example", service.DemoPassword)
	b.open("/")
	b.follow("nav.main-nav", "Leadership")
	b.expectPath("/roles")
	shows(b, "table.roles", "Top-management sponsor Maya Patel")
	shows(b, "table.roles", "ISMS owner Daniel Kim")
	b.notSee("No role is marked")
	b.saveScreenshot("roles")

	b.follow("nav.subnav", "Objectives")
	b.expectPath("/objectives")
	if n := b.count("table.objectives tr.overdue"); n != 1 {
		t.Fatalf("%d overdue objectives stand out, want 1", n)
	}
	b.fillIn("#add", "Objective", "Report every phishing email within an hour")
	b.fillIn("#add", "Measure", "Median time from delivery to report, from the mail gateway")
	b.fillIn("#add", "Target", "under 60 minutes")
	b.fillIn("#add", "Owner", "Daniel Kim (P-002)")
	b.fillIn("#add", "Due", "2999-03-31")
	b.fillIn("#add", "Risks it serves", "R-002")
	b.pressIn("#add", "Add objective")
	b.expectPath("/objectives/OBJ-006")
	shows(b, ".flash", "OBJ-006 Report every phishing email within an hour is added.")
	shows(b, "main", "Serves the risks R-002.")

	b.open("/objectives")
	b.check("Overdue only", true)
	b.press("Filter")
	if n := b.count("table.objectives tbody tr"); n != 1 {
		t.Fatalf("the overdue filter shows %d objectives, want 1", n)
	}
	shows(b, "table.objectives", "Restores proven every quarter")
	b.saveScreenshot("objectives-overdue")
}
