package service_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

func checkTexts(t isms.Task) []string {
	out := []string{}
	for _, c := range t.Checklist {
		out = append(out, c.Text)
	}
	return out
}

func taskRefs(l service.List[isms.Task]) []string {
	out := []string{}
	for _, t := range l.Items {
		out = append(out, t.Ref)
	}
	return out
}

// A task for a control starts from the control's guidance steps unless it brings its own items; an unknown
// control, clause, status, recurrence or assignee is refused by field and adds nothing.
func TestTaskChecklistFromGuidance(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		steps := func() []string { c, _ := catalog.MustLoad().Control("8.28"); return c.Guidance.Steps }()
		task, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Adopt secure coding rules", Control: "8.28"})
		ok(t, err)
		if task.Ref != "T-001" || task.Status != "open" || len(steps) == 0 || !slices.Equal(checkTexts(task), steps) || task.Checks.Total != len(steps) {
			t.Fatalf("task for 8.28: %+v, want the %d guidance steps", task, len(steps))
		}
		own, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Review the rules", Control: "8.28", Items: []string{"Read", " ", "Sign off"}})
		ok(t, err)
		if !slices.Equal(checkTexts(own), []string{"Read", "Sign off"}) || own.Checklist[1].Position != 2 {
			t.Fatalf("own items: %+v", own.Checklist)
		}
		plain, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Book the auditor", Clause: "9.2"})
		ok(t, err)
		if len(plain.Checklist) != 0 || plain.Clause != "9.2" {
			t.Fatalf("task without a control: %+v", plain)
		}
		_, err = e.svc.AddTask(ctx, service.TaskInput{Title: "Bad", Control: "8.99", Clause: "11", Status: "finished", Recurrence: "weekly", Assignee: "Nobody"})
		wantKind(t, err, isms.KindInvalid, "bad task")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"assignee", "clause", "control", "recurrence", "status"}) {
			t.Fatalf("fields: %v (%v)", got, err)
		}
		l, err := e.svc.ListTasks(ctx, service.TaskFilter{}, service.Page{})
		ok(t, err)
		if l.Total != 3 {
			t.Fatalf("%d tasks after a refused add", l.Total)
		}
		_, err = e.svc.AddTask(o.Ctx("viewer"), service.TaskInput{Title: "Not mine to add"})
		wantKind(t, err, isms.KindForbidden, "viewer adds a task")
	})
}

// Completing a task with open checklist items is refused (saying how to force it) and changes nothing; ticked
// items record who and when; completion records who and when; force completes with items open.
func TestTaskCompletion(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		task, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Restore test", Items: []string{"Pick a backup", "Restore it"}})
		ok(t, err)
		_, err = e.svc.CompleteTask(ctx, task.Ref, task.Version, false)
		wantKind(t, err, isms.KindInvalid, "complete with open items")
		if !strings.Contains(err.Error(), "2 checklist item(s) still open") || !strings.Contains(err.Error(), "force") {
			t.Fatalf("refusal does not say why and how: %v", err)
		}
		_, err = e.svc.PatchTask(ctx, task.Ref, service.TaskInput{Status: "done", Version: task.Version, Sent: service.SentOf("status")})
		wantKind(t, err, isms.KindInvalid, "patch to done with open items")
		task, err = e.svc.TickTaskItem(ctx, task.Ref, 1, true)
		ok(t, err)
		if c := task.Checklist[0]; c.DoneAt == nil || c.DoneBy != "editor of Acme" || task.Checks != (isms.CheckCount{Done: 1, Total: 2}) || task.Status != "open" || task.Version != 1 {
			t.Fatalf("after a tick: %+v", task)
		}
		task, err = e.svc.TickTaskItem(ctx, task.Ref, 1, false)
		ok(t, err)
		if task.Checklist[0].DoneAt != nil || task.Checklist[0].DoneBy != "" {
			t.Fatalf("after an untick: %+v", task.Checklist[0])
		}
		_, err = e.svc.TickTaskItem(ctx, task.Ref, 9, true)
		wantKind(t, err, isms.KindNotFound, "tick a missing item")
		task, err = e.svc.AddTaskItem(ctx, task.Ref, "Write down the time it took")
		ok(t, err)
		task, err = e.svc.RemoveTaskItem(ctx, task.Ref, 2)
		ok(t, err)
		if !slices.Equal(checkTexts(task), []string{"Pick a backup", "Write down the time it took"}) || task.Checklist[1].Position != 3 {
			t.Fatalf("after adding and removing: %+v", task.Checklist)
		}
		for _, c := range task.Checklist {
			task, err = e.svc.TickTaskItem(ctx, task.Ref, c.Position, true)
			ok(t, err)
		}
		e.clock.Advance(3600e9)
		done, err := e.svc.CompleteTask(ctx, task.Ref, task.Version, false)
		ok(t, err)
		if done.Status != "done" || done.DoneAt == nil || !done.DoneAt.Equal(e.clock.Now()) || done.DoneBy != "editor of Acme" || done.Version != 2 {
			t.Fatalf("completed: %+v", done)
		}
		forced, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Skip", Items: []string{"Never ticked"}})
		ok(t, err)
		forced, err = e.svc.CompleteTask(ctx, forced.Ref, forced.Version, true)
		ok(t, err)
		if forced.Status != "done" || forced.Checks.Open() != 1 {
			t.Fatalf("forced: %+v", forced)
		}
		reopened, err := e.svc.PatchTask(ctx, forced.Ref, service.TaskInput{Status: "open", Version: forced.Version, Sent: service.SentOf("status")})
		ok(t, err)
		if reopened.DoneAt != nil || reopened.DoneBy != "" {
			t.Fatalf("reopened keeps its completion: %+v", reopened)
		}
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "task", Ref: task.Ref}, service.Page{})
		ok(t, err)
		var actions []string
		for _, ev := range events.Items {
			actions = append(actions, ev.Action)
		}
		for _, want := range []string{"create", "check", "uncheck", "add-item", "remove-item", "update"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit trail lacks %q: %v", want, actions)
			}
		}
	})
}

// A recurring task, once done, gets its next occurrence exactly once: due one period after the old due date
// (or today without one), open, with the same checklist unticked; completing it again after reopening adds none.
func TestTaskRecurrence(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Ana Silva"})
		ok(t, err)
		review, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Access review", Control: "5.18", Recurrence: "quarterly", Due: "2026-01-31",
			Assignee: "Ana Silva", Items: []string{"Export accounts", "Ask managers"}})
		ok(t, err)
		for _, c := range review.Checklist {
			_, err = e.svc.TickTaskItem(ctx, review.Ref, c.Position, true)
			ok(t, err)
		}
		done, err := e.svc.CompleteTask(ctx, review.Ref, review.Version, false)
		ok(t, err)
		l, err := e.svc.ListTasks(ctx, service.TaskFilter{Status: "open"}, service.Page{})
		ok(t, err)
		if l.Total != 1 {
			t.Fatalf("open tasks after completing a recurring one: %v", taskRefs(l))
		}
		next, err := e.svc.Task(ctx, l.Items[0].Ref)
		ok(t, err)
		if next.Due != "2026-04-30" || next.Previous != review.Ref || next.Recurrence != "quarterly" || next.Control != "5.18" ||
			next.Assignee.Name != "Ana Silva" || !slices.Equal(checkTexts(next), []string{"Export accounts", "Ask managers"}) || next.Checks.Done != 0 {
			t.Fatalf("next occurrence: %+v", next)
		}
		again, err := e.svc.PatchTask(ctx, review.Ref, service.TaskInput{Status: "in-progress", Version: done.Version, Sent: service.SentOf("status")})
		ok(t, err)
		_, err = e.svc.CompleteTask(ctx, review.Ref, again.Version, false)
		ok(t, err)
		all, err := e.svc.ListTasks(ctx, service.TaskFilter{}, service.Page{})
		ok(t, err)
		if all.Total != 2 {
			t.Fatalf("completing twice made %d tasks: %v", all.Total, taskRefs(all))
		}
		undated, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Restore test", Recurrence: "yearly"})
		ok(t, err)
		_, err = e.svc.CompleteTask(ctx, undated.Ref, undated.Version, false)
		ok(t, err)
		l, err = e.svc.ListTasks(ctx, service.TaskFilter{Search: "restore", Status: "open"}, service.Page{})
		ok(t, err)
		if l.Total != 1 || l.Items[0].Due != "2027-03-02" {
			t.Fatalf("next of an undated yearly task: %+v", l.Items)
		}
	})
}

func TestNextDue(t *testing.T) {
	for _, c := range []struct{ rec, due, today, want string }{
		{"monthly", "2026-01-31", "", "2026-02-28"}, {"quarterly", "2026-11-15", "", "2027-02-15"},
		{"half-yearly", "2026-08-31", "", "2027-02-28"}, {"yearly", "2024-02-29", "", "2025-02-28"},
		{"yearly", "", "2026-03-02", "2027-03-02"}, {"", "2026-01-01", "", ""},
	} {
		if got := isms.NextDue(c.rec, c.due, c.today); got != c.want {
			t.Errorf("NextDue(%q, %q, %q) = %q, want %q", c.rec, c.due, c.today, got, c.want)
		}
	}
}

// A task is overdue when due before today and neither done nor cancelled: the isms rule, the list's overdue
// filter in SQL and the export's column agree. Filters by status, assignee, control and mine (the person with
// the signed-in user's email) narrow the list; a bad filter value is refused.
func TestTaskOverdueAndFilters(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Ed Itor", Email: "editor@acme.example"})
		ok(t, err)
		_, err = e.svc.AddPerson(ctx, service.PersonInput{Name: "Vi Ewer", Email: "viewer@acme.example"})
		ok(t, err)
		yesterday := e.clock.Now().AddDate(0, 0, -1).Format("2006-01-02")
		tomorrow := e.clock.Now().AddDate(0, 0, 1).Format("2006-01-02")
		cases := []struct {
			due, status, assignee, control string
			overdue                        bool
		}{
			{yesterday, "open", "P-001", "5.18", true}, {yesterday, "in-progress", "", "8.13", true}, {yesterday, "done", "P-001", "", false},
			{yesterday, "cancelled", "", "", false}, {e.svc.Today(), "open", "P-002", "5.18", false}, {tomorrow, "open", "P-001", "", false}, {"", "open", "", "", false},
		}
		var overdue, mine, control []string
		for i, c := range cases {
			task, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Task " + c.due, Due: c.due, Status: c.status, Assignee: c.assignee, Control: c.control, Items: []string{}})
			ok(t, err)
			if task.Overdue != c.overdue || task.IsOverdue(e.svc.Today()) != c.overdue {
				t.Errorf("case %d: overdue %v", i, task.Overdue)
			}
			if c.overdue {
				overdue = append(overdue, task.Ref)
			}
			if c.assignee == "P-001" {
				mine = append(mine, task.Ref)
			}
			if c.control == "5.18" {
				control = append(control, task.Ref)
			}
		}
		list := func(ctx context.Context, f service.TaskFilter) []string {
			t.Helper()
			f.Sort = "ref"
			l, err := e.svc.ListTasks(ctx, f, service.Page{})
			ok(t, err)
			return taskRefs(l)
		}
		if got := list(ctx, service.TaskFilter{Overdue: "yes"}); !slices.Equal(got, overdue) {
			t.Errorf("overdue: %v, want %v", got, overdue)
		}
		if got := list(ctx, service.TaskFilter{Overdue: "no"}); len(got) != len(cases)-len(overdue) {
			t.Errorf("not overdue: %v", got)
		}
		if got := list(ctx, service.TaskFilter{Mine: "yes"}); !slices.Equal(got, mine) {
			t.Errorf("editor's tasks: %v, want %v", got, mine)
		}
		if got := list(o.Ctx("viewer"), service.TaskFilter{Mine: "yes"}); !slices.Equal(got, []string{"T-005"}) {
			t.Errorf("viewer's tasks: %v", got)
		}
		if got := list(o.Ctx("auditor"), service.TaskFilter{Mine: "yes"}); len(got) != 0 {
			t.Errorf("someone without a person has tasks: %v", got)
		}
		if got := list(ctx, service.TaskFilter{Assignee: "P-001", Status: "open"}); !slices.Equal(got, []string{"T-001", "T-006"}) {
			t.Errorf("P-001's open tasks: %v", got)
		}
		if got := list(ctx, service.TaskFilter{Control: "5.18"}); !slices.Equal(got, control) {
			t.Errorf("tasks of 5.18: %v, want %v", got, control)
		}
		_, err = e.svc.ListTasks(ctx, service.TaskFilter{Status: "finished"}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "bad status filter")
		var b bytes.Buffer
		ok(t, e.svc.ExportTasks(ctx, service.TaskFilter{Sort: "ref"}, "csv", &b))
		if n := strings.Count(b.String(), ",yes,"); n != len(overdue) {
			t.Fatalf("export marks %d overdue, want %d:\n%s", n, len(overdue), b.String())
		}
		b.Reset()
		ok(t, e.svc.ExportTasks(ctx, service.TaskFilter{Mine: "yes"}, "xlsx", &b))
		if b.Len() < 100 {
			t.Fatalf("xlsx export of my tasks: %d bytes", b.Len())
		}
	})
}
