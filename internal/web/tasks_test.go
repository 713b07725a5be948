package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/service"
)

// The tasks pages: the list marks overdue tasks and its quick links (mine, overdue) narrow it; the add form for a
// control (/tasks?control=8.28) is prefilled and takes the guidance steps; on the task page items tick and untick
// without script, completing with open items is refused on the page, then forced; viewers see no forms.
func TestTasksPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Ed Itor", Email: org.Actors["editor"].Email}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddTask(ctx, service.TaskInput{Title: "Late review", Due: "2020-01-31", Assignee: "P-001", Control: "5.18", Items: []string{"Export"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddTask(ctx, service.TaskInput{Title: "Future drill", Due: "2999-01-01", Items: []string{"Plan"}}); err != nil {
		t.Fatal(err)
	}
	a := get(t, srv, c["viewer"], "/tasks")
	expect(t, "task list", a, http.StatusOK, "Late review", "Future drill", "overdue", `href="/tasks?mine=yes"`, `href="/controls/5.18"`)
	refuse(t, "task list as a viewer", a, `method="post" action="/tasks"`)
	a = get(t, srv, c["editor"], "/tasks?mine=yes")
	expect(t, "my tasks", a, http.StatusOK, "Late review")
	refuse(t, "my tasks", a, "Future drill")
	a = get(t, srv, c["editor"], "/tasks?overdue=yes")
	expect(t, "overdue tasks", a, http.StatusOK, "Late review")
	refuse(t, "overdue tasks", a, "Future drill")
	expect(t, "bad filter", get(t, srv, c["editor"], "/tasks?mine=maybe"), http.StatusUnprocessableEntity, "must be yes or no")

	a = get(t, srv, c["editor"], "/tasks?control=8.28")
	expect(t, "add form for a control", a, http.StatusOK, `name="control" value="8.28"`)
	a = post(t, srv, c["editor"], "/tasks", url.Values{"title": {"Secure coding"}, "control": {"8.28"}, "assignee": {"P-001"}})
	redirected(t, "add task", a, "/tasks/T-003")
	ctl, _ := catalog.MustLoad().Control("8.28")
	a = get(t, srv, c["editor"], "/tasks/T-003")
	expect(t, "task page", a, http.StatusOK, ctl.Guidance.Steps[0], `action="/tasks/T-003/checklist/1"`, "Mark T-003 done", "0 of")
	a = post(t, srv, c["editor"], "/tasks/T-003/checklist/1", url.Values{"done": {"yes"}})
	redirected(t, "tick", a, "/tasks/T-003#checklist")
	a = get(t, srv, c["editor"], "/tasks/T-003")
	expect(t, "after a tick", a, http.StatusOK, `class="ticked"`, "ticked by editor of")
	a = post(t, srv, c["editor"], "/tasks/T-003/done", url.Values{"version": {"1"}})
	expect(t, "complete with open items", a, http.StatusUnprocessableEntity, "still open", "complete with force")
	a = post(t, srv, c["editor"], "/tasks/T-003/done", url.Values{"version": {"1"}, "force": {"1"}})
	redirected(t, "forced completion", a, "/tasks/T-003")
	a = get(t, srv, c["viewer"], "/tasks/T-003")
	expect(t, "done task as a viewer", a, http.StatusOK, "Done on", "editor of")
	refuse(t, "done task as a viewer", a, `action="/tasks/T-003/checklist`, "Mark T-003 done")
}
