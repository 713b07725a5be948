package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// TaskQuery filters the task list; the names are those of the register's declared filters.
type TaskQuery struct {
	Search   string `query:"search" doc:"Reference, title or description contains" maxLength:"200"`
	Status   string `query:"status" doc:"Only this status"`
	Assignee string `query:"assignee" doc:"Only this assignee (person reference, P-001)" maxLength:"100"`
	Control  string `query:"control" doc:"Only tasks for this Annex A control (8.28)" maxLength:"20"`
	Overdue  string `query:"overdue" enum:"yes,no," doc:"yes: only tasks past their due date and not done or cancelled"`
	Mine     string `query:"mine" enum:"yes,no," doc:"yes: only tasks assigned to you (your person in the staff register)"`
	Sort     string `query:"sort" doc:"due (default), ref, title, status, control or assignee; prefix - for descending" maxLength:"100"`
}

func (q TaskQuery) filter() service.TaskFilter {
	return service.TaskFilter{Search: q.Search, Status: q.Status, Assignee: q.Assignee, Control: q.Control, Overdue: q.Overdue, Mine: q.Mine, Sort: q.Sort}
}

// TaskDone completes a task.
type TaskDone struct {
	Version int  `json:"version" doc:"The version read"`
	Force   bool `json:"force,omitempty" doc:"Complete even with checklist items still open"`
}

// TaskItemPath names one checklist item of a task.
type TaskItemPath struct {
	RefPath
	Position int `path:"position" doc:"The item's position in the checklist (1, 2, ...)"`
}

func (a *API) taskRoutes() {
	tag := "Tasks"
	op(a, huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: "/tasks", Summary: "List tasks",
		Description: "Each says whether it is overdue today and how much of its checklist is ticked. mine=yes lists your tasks, overdue=yes the late ones.",
		Tags:        []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			TaskQuery
		}) (*Body[service.List[isms.Task]], error) {
			l, err := a.svc.ListTasks(ctx, in.filter(), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-tasks", "/tasks/export", "Download the tasks as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			TaskQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "tasks", in.Format, in.filter(), a.svc.ListTasks, a.svc.ExportTasks)
		})
	filterEnums(a, service.TaskRegister, "/tasks", "/tasks/export")
	rowRoutes(a, "/tasks", "task", tag, rowOps[isms.Task, service.TaskInput]{
		get: a.svc.Task, add: a.svc.AddTask, update: a.svc.UpdateTask, patch: a.svc.PatchTask, delete: a.svc.DeleteTask,
		shows: "Show a task with its checklist", deletes: "Delete a task and its checklist"})
	op(a, huma.Operation{OperationID: "complete-task", Method: http.MethodPost, Path: "/tasks/{ref}/done", Summary: "Complete a task (send the version you read)",
		Description: "Records who completed it and when. Refused (422) while checklist items are open unless force is true. " +
			"A recurring task then gets its next occurrence, due one period later, once.",
		Tags: []string{tag}, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RefPath
			Body TaskDone
		}) (*Body[isms.Task], error) {
			t, err := a.svc.CompleteTask(ctx, in.Ref, in.Body.Version, in.Body.Force)
			return body(t), err
		})
	op(a, huma.Operation{OperationID: "add-task-item", Method: http.MethodPost, Path: "/tasks/{ref}/checklist", DefaultStatus: http.StatusCreated,
		Summary: "Add an item to a task's checklist", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			RefPath
			Body struct {
				Text string `json:"text" doc:"What is to be checked" maxLength:"1000"`
			}
		}) (*Body[isms.Task], error) {
			t, err := a.svc.AddTaskItem(ctx, in.Ref, in.Body.Text)
			return body(t), err
		})
	op(a, huma.Operation{OperationID: "tick-task-item", Method: http.MethodPatch, Path: "/tasks/{ref}/checklist/{position}",
		Summary: "Tick or untick a checklist item", Description: "Records who ticked it and when.", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			TaskItemPath
			Body struct {
				Done bool `json:"done" doc:"true ticks the item, false unticks it"`
			}
		}) (*Body[isms.Task], error) {
			t, err := a.svc.TickTaskItem(ctx, in.Ref, in.Position, in.Body.Done)
			return body(t), err
		})
	op(a, huma.Operation{OperationID: "remove-task-item", Method: http.MethodDelete, Path: "/tasks/{ref}/checklist/{position}",
		Summary: "Remove an item from a task's checklist", Tags: []string{tag}},
		func(ctx context.Context, in *TaskItemPath) (*Body[isms.Task], error) {
			t, err := a.svc.RemoveTaskItem(ctx, in.Ref, in.Position)
			return body(t), err
		})
}
