package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// taskRoutes registers the task register, its checklist and its completion.
func (h *Handler) taskRoutes() {
	tasks := h.taskPages()
	h.mux.HandleFunc("GET /tasks", tasks.list)
	h.mux.HandleFunc("POST /tasks", tasks.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /tasks/export."+f, tasks.export)
	}
	h.mux.HandleFunc("GET /tasks/{ref}", tasks.show)
	h.mux.HandleFunc("POST /tasks/{ref}", tasks.update)
	h.mux.HandleFunc("POST /tasks/{ref}/delete", tasks.delete)
	h.mux.HandleFunc("POST /tasks/{ref}/done", h.completeTask)
	h.mux.HandleFunc("POST /tasks/{ref}/checklist", h.taskItem(func(ctx context.Context, ref string, f url.Values) (isms.Task, error) {
		return h.svc.AddTaskItem(ctx, ref, f.Get("text"))
	}))
	h.mux.HandleFunc("POST /tasks/{ref}/checklist/{position}", h.taskItem(func(ctx context.Context, ref string, f url.Values) (isms.Task, error) {
		return h.svc.TickTaskItem(ctx, ref, formInt(f.Get("position")), formBool(f.Get("done")))
	}))
	h.mux.HandleFunc("POST /tasks/{ref}/checklist/{position}/delete", h.taskItem(func(ctx context.Context, ref string, f url.Values) (isms.Task, error) {
		return h.svc.RemoveTaskItem(ctx, ref, formInt(f.Get("position")))
	}))
}

// taskInput reads the task form: the fields by JSON name, and a new task's checklist one item a line.
func taskInput(f url.Values) service.TaskInput {
	in := formInput[service.TaskInput](f)
	in.Items = strings.FieldsFunc(f.Get("items"), func(r rune) bool { return r == '\n' || r == '\r' })
	return in
}

// taskForm fills the edit form from a saved task.
func taskForm(t isms.Task) url.Values {
	v := formValues(&t)
	v.Set("assignee", t.Assignee.Ref)
	return v
}

func (h *Handler) taskPages() registerPages[isms.Task, service.TaskInput, service.TaskFilter] {
	return registerPages[isms.Task, service.TaskInput, service.TaskFilter]{h: h, path: "/tasks", listPage: "tasks", rowPage: "task",
		title: "Tasks", nav: "tasks", choices: isms.TaskStatuses,
		parse:    func(q url.Values) (service.TaskFilter, error) { return service.TaskRegister.Parse("q", q.Get) },
		values:   func(f service.TaskFilter) url.Values { return service.TaskRegister.Values("q", f) },
		filtered: service.TaskRegister.Filtered,
		personOf: func(f service.TaskFilter) string { return f.Assignee },
		holder:   func(t isms.Task) (string, string) { return t.Assignee.Ref, t.Assignee.Name },
		label:    func(t isms.Task) string { return t.Ref + " " + t.Title },
		lister:   unwarned(h.svc.ListTasks),
		get:      h.svc.Task, addRow: h.svc.AddTask, updateRow: h.svc.UpdateTask, deleteRow: h.svc.DeleteTask,
		exportRows: h.svc.ExportTasks, input: taskInput, form: taskForm,
	}
}

// Prefill is a blank form with one field filled in (the add form of a task for the control the list shows).
func (v View) Prefill(field, value string) View {
	v = v.Blank()
	v.Form = url.Values{field: {value}}
	return v
}

// completeTask completes a task from its page; open checklist items show the page again with the refusal.
func (h *Handler) completeTask(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var t isms.Task
	if err == nil {
		t, err = h.svc.CompleteTask(r.Context(), ref, formInt(r.PostForm.Get("version")), formBool(r.PostForm.Get("force")))
	}
	if err != nil {
		h.taskPageError(w, r, ref, err)
		return
	}
	h.redirect(w, r, "/tasks/"+url.PathEscape(t.Ref), t.Ref+" is done.")
}

// taskItem is the handler of one checklist change: back to the task's checklist, or its page with the error.
func (h *Handler) taskItem(change func(ctx context.Context, ref string, f url.Values) (isms.Task, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("ref")
		err := parseForm(w, r)
		var t isms.Task
		if err == nil {
			r.PostForm.Set("position", r.PathValue("position"))
			t, err = change(r.Context(), ref, r.PostForm)
		}
		if err != nil {
			h.taskPageError(w, r, ref, err)
			return
		}
		h.redirect(w, r, "/tasks/"+url.PathEscape(t.Ref)+"#checklist", "")
	}
}

// taskPageError shows a task's page with the error of one of its forms (a refusal to complete, a bad item).
func (h *Handler) taskPageError(w http.ResponseWriter, r *http.Request, ref string, err error) {
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	p := h.taskPages()
	v, verr := p.rowView(r, ref)
	if verr != nil {
		h.fail(w, r, verr)
		return
	}
	v.Error = err.Error() // the task's own forms keep their saved values
	h.render(w, r, statusOf(err), p.rowPage, v)
}
