package e2e

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestTrainingPath: on the sample organisation the head of engineering opens Training, finds the secure coding
// course with one engineer overdue and one never trained, records Priya's training, and sees her leave the
// list of who needs training while the course's completion goes up.
func TestTrainingPath(t *testing.T) {
	t.Parallel()
	srv, b := startDemo(t)
	b.login("sofia@northwind.example", service.DemoPassword)
	b.open("/")
	b.follow("nav.main-nav", "Training")
	b.expectPath("/courses")
	shows(b, "table.courses", "Secure coding job title with engineer every year")
	b.follow("table.courses", "Secure coding")
	b.expectPath("/courses/C-002")
	shows(b, ".completion-total", "50% of 4 trained")
	shows(b, "table.training-due", "Priya Nair")
	shows(b, "table.training-due", "Jonas Weber")
	b.saveScreenshot("course")

	b.follow("nav.subnav", "Training records")
	b.expectPath("/training")
	b.fillIn("#add", "Course", "C-002")
	b.fillIn("#add", "Person", "Priya Nair (P-008)")
	b.fillIn("#add", "Completed on", srv.Svc.Today())
	b.fillIn("#add", "Result", "passed")
	b.pressIn("#add", "Record training")
	b.expectPath("/training/TR-022")
	shows(b, ".flash", "TR-022 Secure coding, Priya Nair is added.")

	b.open("/courses/C-002")
	shows(b, ".completion-total", "75% of 4 trained")
	if n := b.count("table.training-due tbody tr"); n != 1 {
		t.Fatalf("%d people still need secure coding, want 1 (Jonas)", n)
	}
	b.follow("nav.subnav", "Who needs training")
	b.expectPath("/training/overdue")
	b.notSee("Priya Nair")
	b.saveScreenshot("training-overdue")
}
