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

// taskRoutes are the role matrix rows of the tasks register: the register's rows, then completion and the
// checklist items in both doors. Every role reads; content editors change.
func taskRoutes() []route {
	add := func(t *testing.T, m *matrix) string {
		task, err := m.srv.Svc.AddTask(m.org.Ctx("owner"), service.TaskInput{Title: fmt.Sprintf("Task %d", m.next()), Control: "5.18",
			Items: []string{"First", "Second"}})
		m.ok(t, err)
		return task.Ref
	}
	rows := registerRows("/tasks", add, func(m *matrix, version int) map[string]any {
		return map[string]any{"title": fmt.Sprintf("Task %d", m.next()), "status": "in-progress", "assignee": m.person.Ref, "version": version}
	})
	on := func(suffix string, body any) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/tasks/" + add(t, m) + suffix, body: body}
		}
	}
	return append(rows,
		route{method: "POST", pattern: "/tasks/{ref}/done", allowed: contentEdit, prep: on("/done", map[string]any{"version": 1, "force": true})},
		route{method: "POST", pattern: "/tasks/{ref}/checklist", allowed: contentEdit, prep: on("/checklist", map[string]any{"text": "Third"})},
		route{method: "PATCH", pattern: "/tasks/{ref}/checklist/{position}", allowed: contentEdit, prep: on("/checklist/1", map[string]any{"done": true})},
		route{method: "DELETE", pattern: "/tasks/{ref}/checklist/{position}", allowed: contentEdit, prep: on("/checklist/2", nil)},
		route{web: true, method: "POST", pattern: "/tasks/{ref}/done", allowed: contentEdit, prep: on("/done", url.Values{"version": {"1"}, "force": {"1"}})},
		route{web: true, method: "POST", pattern: "/tasks/{ref}/checklist", allowed: contentEdit, prep: on("/checklist", url.Values{"text": {"Third"}})},
		route{web: true, method: "POST", pattern: "/tasks/{ref}/checklist/{position}", allowed: contentEdit, prep: on("/checklist/1", url.Values{"done": {"yes"}})},
		route{web: true, method: "POST", pattern: "/tasks/{ref}/checklist/{position}/delete", allowed: contentEdit, prep: on("/checklist/2/delete", url.Values{})},
		route{method: "GET", pattern: "/controls/{id}/work", allowed: everyone, prep: fixed("/controls/5.18/work")},
		route{web: true, method: "GET", pattern: "/controls/{id}", allowed: everyone, prep: fixed("/controls/5.18")},
	)
}

// taskTenants are the tasks of the isolation test: A has T-001; B has T-001 and T-002 (which only B has), both
// saying Bravo and assigned to B's people.
type taskTenants struct{ bTasks []isms.Task }

func addTaskTenants(t *testing.T, x *tenants) taskTenants {
	t.Helper()
	svc := x.srv.Svc
	_, err := svc.AddTask(x.a.Ctx("editor"), service.TaskInput{Title: "Alpha review", Control: "5.18", Assignee: x.aPerson.Ref, Items: []string{"Alpha step"}})
	noErr(t, err)
	var out taskTenants
	for i := range 2 {
		task, err := svc.AddTask(x.b.Ctx("editor"), service.TaskInput{Title: fmt.Sprintf("Bravo task %d", i), Control: "5.18", Assignee: x.bPeople[i].Ref,
			Due: "2020-01-01", Items: []string{"Bravo step"}, Notes: "Bravo notes"})
		noErr(t, err)
		out.bTasks = append(out.bTasks, task)
		x.secrets = append(x.secrets, task.ID)
	}
	return out
}

// taskReads are A's reads of tasks and of a control's work page (which lists tasks) in the API and the web UI.
func taskReads(web bool) []string {
	export, work := "/tasks/export", "/controls/5.18/work"
	if web {
		export, work = "/tasks/export.csv", "/controls/5.18"
	}
	return []string{"/tasks", export, "/tasks/T-001", "/tasks?mine=yes", "/tasks?overdue=yes", "/tasks?control=5.18", "/tasks?assignee=P-002", work}
}

// A can neither read, change, complete nor tick B's tasks (by id, or by a reference only B has), in the API or
// the web UI, nor assign its own task to B's person. B's tasks stay as they were.
func TestIsolationTasks(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			srv := x.srv
			c := srv.Login(t, x.a.Actors["admin"].Email, testutil.Password)
			victim := x.tasks.bTasks[1]
			for _, p := range []string{"/tasks/" + victim.ID, "/tasks/" + victim.Ref} {
				for _, r := range []struct {
					method, suffix string
					body           any
				}{
					{http.MethodGet, "", nil}, {http.MethodPut, "", map[string]any{"title": "Hijacked", "version": 1}},
					{http.MethodPatch, "", map[string]any{"status": "done", "version": 1}}, {http.MethodDelete, "", nil},
					{http.MethodPost, "/done", map[string]any{"version": 1, "force": true}}, {http.MethodPost, "/checklist", map[string]any{"text": "Hijacked"}},
					{http.MethodPatch, "/checklist/1", map[string]any{"done": true}}, {http.MethodDelete, "/checklist/1", nil},
				} {
					a := api(t, srv, x.aTok, r.method, p+r.suffix, r.body)
					wantProblem(t, a, http.StatusNotFound, "A: "+r.method+" "+p+r.suffix)
					x.clean(t, "A: "+r.method+" "+p+r.suffix, a, strings.Split(p, "/")...)
				}
				a := call(t, c, http.MethodGet, srv.URL+p, nil)
				want(t, a, http.StatusNotFound, "A's admin GET "+p)
				x.clean(t, "web GET "+p, a, strings.Split(p, "/")...)
				for suffix, form := range map[string]url.Values{"": {"title": {"Hijacked"}, "version": {"1"}}, "/delete": {}, "/done": {"version": {"1"}, "force": {"1"}},
					"/checklist": {"text": {"Hijacked"}}, "/checklist/1": {"done": {"yes"}}, "/checklist/1/delete": {}} {
					a := post(t, srv, c, p+suffix, form)
					want(t, a, http.StatusNotFound, "A's admin POST "+p+suffix)
					x.clean(t, "web POST "+p+suffix, a, strings.Split(p, "/")...)
				}
			}
			for _, who := range []string{x.bPeople[2].ID, x.bPeople[2].Ref, x.bPeople[2].Email} {
				a := api(t, srv, x.aTok, http.MethodPost, "/tasks", map[string]any{"title": "Cross link", "assignee": who})
				wantProblem(t, a, http.StatusUnprocessableEntity, "A assigns a task to B's person")
				x.clean(t, "A assigns a task to B's person", a, who)
			}
			got, err := srv.Svc.Task(x.b.Ctx("owner"), victim.Ref)
			if err != nil || got.Version != victim.Version || got.Status != "open" || got.Checks.Done != 0 || got.Checks.Total != 1 {
				t.Fatalf("B's %s after A's attempts: %+v %v", victim.Ref, got, err)
			}
			x.unchanged(t)
		})
	}
}

// taskSnapshot adds B's tasks, read through B's token, to the snapshot that must not change.
func taskSnapshot(t *testing.T, x *tenants, out map[string]string) {
	t.Helper()
	for _, task := range x.tasks.bTasks {
		p := "/tasks/" + task.ID
		a := api(t, x.srv, x.bTok, http.MethodGet, p, nil)
		want(t, a, http.StatusOK, "B reads "+p)
		out[p] = string(a.Body)
	}
}
