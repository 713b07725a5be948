package e2e

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestTaskPath: on the sample organisation the head of engineering opens the work page of 8.28, sees what is
// still missing, creates a task from it (its checklist from the control's guidance), ticks the first item in
// place without JavaScript, is refused completing while items are open, then completes it anyway; the work page lists it done.
func TestTaskPath(t *testing.T) {
	t.Parallel()
	_, b := startDemo(t)
	b.login("sofia@northwind.example", service.DemoPassword)
	b.open("/catalog/controls/8.28")
	b.follow("main", "Work on 8.28: tasks, evidence, what is missing")
	b.expectPath("/controls/8.28")
	shows(b, "main", "Still missing")
	b.saveScreenshot("control-work")

	b.follow("main", "Create task")
	b.expectPath("/tasks?control=8.28")
	if v := b.value("#add #control"); v != "8.28" {
		t.Fatalf("the add form's control is %q, want 8.28", v)
	}
	b.fillIn("#add", "Task", "Add dependency scanning to the build")
	b.fillIn("#add", "Due", "2999-06-30")
	b.pressIn("#add", "Add task")
	if !strings.HasPrefix(b.path(), "/tasks/T-") {
		t.Fatalf("after adding: %s", b.path())
	}
	ref := strings.TrimPrefix(b.path(), "/tasks/")
	shows(b, ".flash", ref+" Add dependency scanning to the build is added.")
	steps := b.count("ol.checklist li")
	if steps < 2 {
		t.Fatalf("the checklist from the guidance has %d items", steps)
	}

	// The checklist and the completion are plain forms: they work with page scripts off.
	b.disableJavaScript()
	b.open("/tasks/" + ref)
	b.pressIn(`ol.checklist li[data-position="1"]`, "Tick")
	if n := b.count("ol.checklist li.ticked"); n != 1 {
		t.Fatalf("%d items ticked after one tick", n)
	}
	shows(b, "#checklist", "1 of")

	b.press("Mark " + ref + " done")
	shows(b, "main", "still open")
	b.check("Complete although", true)
	b.press("Mark " + ref + " done")
	shows(b, ".flash", ref+" is done.")
	shows(b, "main", "Done on")
	b.saveScreenshot("task-done")

	b.open("/controls/8.28")
	shows(b, `table.tasks tr[data-ref="`+ref+`"]`, "done")
}
