package e2e

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestCorrectivePath: on the sample organisation the CISO opens Improvement, finds the overdue corrective action
// standing out, records an effective check on it and closes it; then opens the held management review, whose
// input sections, decisions and minutes are there.
func TestCorrectivePath(t *testing.T) {
	t.Parallel()
	_, b := startDemo(t)
	b.login("daniel@northwind.example", service.DemoPassword)
	b.open("/")
	b.follow("nav.main-nav", "Improvement")
	b.expectPath("/corrective")
	if n := b.count("table.corrective tr.overdue"); n != 1 {
		t.Fatalf("%d overdue corrective actions stand out, want 1", n)
	}
	b.saveScreenshot("corrective")
	b.follow("table.corrective tr.overdue", "CA-002")
	b.expectPath("/corrective/CA-002")
	shows(b, "main", "not-effective")
	b.check("Effective: the cause is gone", true)
	b.fillIn("section[aria-labelledby=check-head]", "What was checked and seen", "Every deployment this week named an approver")
	b.pressIn("section[aria-labelledby=check-head]", "Record the check")
	shows(b, ".flash", "The check of CA-002 is recorded: effective.")
	b.press("Close CA-002")
	shows(b, ".flash", "CA-002 is closed.")
	b.saveScreenshot("corrective-closed")

	b.follow("nav.subnav", "Management reviews")
	b.expectPath("/reviews")
	b.follow("table.reviews", "MR-001")
	shows(b, "#input-nonconformities", "Hotfixes are merged without code review")
	shows(b, "#input-feedback", "supplier questionnaires")
	shows(b, "table.review-actions", "Hire a second security engineer")
	if _, ok := b.attr(`a[href="/reviews/MR-001/minutes.pdf"]`, "download"); !ok {
		t.Fatal("no minutes download on the held review")
	}
	b.saveScreenshot("review")
}
