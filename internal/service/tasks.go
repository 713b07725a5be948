package service

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// TaskFilter narrows the task list.
type TaskFilter = store.TaskFilter

// TaskRegister is the declaration of the tasks register.
var TaskRegister = store.Tasks

// TaskInput is the editable part of a task. Assignee is a person's reference, name or email; Action and
// Document are references (TA-001, DOC-001).
type TaskInput struct {
	Title       string `json:"title" doc:"What is to be done"`
	Description string `json:"description" doc:"More about it"`
	Control     string `json:"control" doc:"The Annex A control it implements (8.28)"`
	Clause      string `json:"clause" doc:"The clause of the standard it serves (9.2)"`
	Action      string `json:"action" doc:"The risk treatment action it carries out (TA-001)"`
	Document    string `json:"document" doc:"The document it concerns (DOC-001)"`
	Assignee    string `json:"assignee" doc:"Who does it: a person's reference, name or email"`
	Due         string `json:"due" doc:"Due date, YYYY-MM-DD"`
	Status      string `json:"status" doc:"open (the default), in-progress, done or cancelled"`
	Recurrence  string `json:"recurrence" doc:"How often it comes back once done: monthly, quarterly, half-yearly, yearly, or empty for once"`
	Notes       string `json:"notes" doc:"Notes"`
	// Items are the checklist of a new task; without them a task for a control starts from the control's guidance.
	Items   []string `json:"items,omitempty" doc:"Checklist items of a new task (default: the steps of the control's guidance)"`
	Version int      `json:"version" doc:"The version read; required for a change"`
	Sent    Sent     `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *TaskInput) UnmarshalJSON(b []byte) error {
	type plain TaskInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// taskTargets are the rows a task input names, each found with one scoped query.
type taskTargets struct{ people, actions, documents map[string]store.Target }

// apply validates in and copies it onto t.
func (s *Service) applyTask(p *isms.Problems, in TaskInput, found taskTargets, t *isms.Task) {
	isms.CheckText(p, "title", in.Title, 200)
	control := strings.TrimSpace(in.Control)
	if mapped, ok, why := s.mapControl(control); ok {
		control = mapped // a 2013 id is the 2022 control it became
	} else if control != "" {
		p.Add("control", "%s", cmp.Or(why, fmt.Sprintf("no Annex A control %q in ISO/IEC 27001:2022 (for example 8.28)", control)))
	}
	clause := strings.TrimSpace(in.Clause)
	if _, ok := s.cat.Clause(clause); clause != "" && !ok {
		p.Add("clause", "no clause %q: the requirements run from clause 4 to clause 10, for example 9.2", clause)
	}
	status := strings.ToLower(strings.TrimSpace(in.Status))
	if status == "" {
		status = "open"
	}
	if !isms.OneOf(status, isms.TaskStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.TaskStatuses, ", "))
	}
	recurrence := strings.ToLower(strings.TrimSpace(in.Recurrence))
	if recurrence != "" && !isms.OneOf(recurrence, isms.TaskRecurrences) {
		p.Add("recurrence", "must be empty (once) or one of %s", strings.Join(isms.TaskRecurrences, ", "))
	}
	due := strings.TrimSpace(in.Due)
	checkDate(p, "due", due)
	checkLong(p, map[string]string{"description": in.Description, "notes": in.Notes})
	assignee := resolveTarget(p, "assignee", in.Assignee, found.people, "person")
	action := resolveTarget(p, "action", in.Action, found.actions, "treatment action")
	document := resolveTarget(p, "document", in.Document, found.documents, "document")
	t.Title, t.Description, t.Control, t.Clause = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), control, clause
	t.ActionID, t.Action, t.ActionTitle = action.ID, action.Ref, action.Name
	t.DocumentID, t.Document, t.DocumentTitle = document.ID, document.Ref, document.Name
	t.AssigneeID, t.Assignee = assignee.ID, isms.Who{Ref: assignee.Ref, Name: assignee.Name}
	t.Due, t.Status, t.Recurrence, t.Notes = due, status, recurrence, strings.TrimSpace(in.Notes)
}

// checklistOf is the checklist a new task starts with: the items given, else the steps of its control's guidance.
func (s *Service) checklistOf(p *isms.Problems, in TaskInput, control string) []isms.TaskCheck {
	items := in.Items
	if len(items) == 0 {
		if c, ok := s.cat.Control(control); ok && c.Guidance != nil {
			items = c.Guidance.Steps
		}
	}
	out := []isms.TaskCheck{}
	for _, text := range items {
		if text = strings.TrimSpace(text); text == "" {
			continue
		}
		if len(text) > 1000 {
			p.Add("items", "an item must be at most 1000 characters")
		}
		out = append(out, isms.TaskCheck{Position: len(out) + 1, Text: text})
	}
	if len(out) > 200 {
		p.Add("items", "at most 200 items")
	}
	return out
}

// taskFilter completes a door's filter with what only the service knows: today and, for mine, the signed-in
// user's person (linked to the account, else the one with its email; one query, only when asked).
func (s *Service) taskFilter(ctx context.Context, tx *store.Tx, a Actor, f TaskFilter) (TaskFilter, error) {
	f.Today, f.Me = s.Today(), ""
	if f.Mine == "" {
		return f, nil
	}
	me, _, err := tx.PersonOfUser(ctx, a.OrgID, a.UserID, a.Email)
	f.Me = me.ID
	return f, err
}

// derive fills what a read derives rather than stores: whether each task is overdue today and its checklist
// counts (one query for all of them).
func (s *Service) derive(ctx context.Context, tx *store.Tx, orgID string, tasks []isms.Task) error {
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	counts, err := tx.TaskCheckCounts(ctx, orgID, ids)
	if err != nil {
		return err
	}
	today := s.Today()
	for i := range tasks {
		tasks[i].Overdue, tasks[i].Checks = tasks[i].IsOverdue(today), counts[tasks[i].ID]
	}
	return nil
}

// ListTasks lists tasks: filter mine=yes for the signed-in user's, overdue=yes for those past their due date.
func (s *Service) ListTasks(ctx context.Context, f TaskFilter, p Page) (List[isms.Task], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Task], error) {
		f, err := s.taskFilter(ctx, tx, a, f)
		if err != nil {
			return List[isms.Task]{}, err
		}
		l, err := store.Tasks.List(ctx, tx, a.OrgID, f, p)
		if err != nil {
			return l, err
		}
		return l, s.derive(ctx, tx, a.OrgID, l.Items)
	})
}

// Task returns one task by reference (T-001) or id, with its checklist.
func (s *Service) Task(ctx context.Context, ref string) (isms.Task, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Task, error) {
		return s.readTask(ctx, tx, a, ref)
	})
}

func (s *Service) readTask(ctx context.Context, tx *store.Tx, a Actor, ref string) (isms.Task, error) {
	t, err := store.Tasks.Get(ctx, tx, a.OrgID, ref)
	if err != nil {
		return t, err
	}
	if t.Checklist, err = tx.TaskChecklist(ctx, a.OrgID, t.ID); err != nil {
		return t, err
	}
	for _, c := range t.Checklist {
		t.Checks.Total++
		if c.DoneAt != nil {
			t.Checks.Done++
		}
	}
	t.Overdue = t.IsOverdue(s.Today())
	return t, nil
}

// AddTask records a task; a task for a control without items of its own starts from the control's guidance steps.
func (s *Service) AddTask(ctx context.Context, in TaskInput) (isms.Task, error) {
	return s.writeTask(ctx, "", in, false, false)
}

// UpdateTask changes a task as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateTask(ctx context.Context, ref string, in TaskInput) (isms.Task, error) {
	return s.writeTask(ctx, ref, in, false, false)
}

// PatchTask changes only the fields in.Sent names. Setting the status to done completes the task, as
// CompleteTask does without force.
func (s *Service) PatchTask(ctx context.Context, ref string, in TaskInput) (isms.Task, error) {
	return s.writeTask(ctx, ref, in, true, false)
}

// CompleteTask marks a task done, recording who and when. It is refused while checklist items are open, unless
// force. A recurring task then gets its next occurrence (once, however often it is completed): due one period
// after this one's due date (or after today without one), with the same checklist unticked.
func (s *Service) CompleteTask(ctx context.Context, ref string, version int, force bool) (isms.Task, error) {
	return s.writeTask(ctx, ref, TaskInput{Status: "done", Version: version, Sent: SentOf("status")}, true, force)
}

// DeleteTask removes a task and its checklist.
func (s *Service) DeleteTask(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Tasks, ref, func(tx *store.Tx, a Actor, t *isms.Task) (err error) {
		t.Checklist, err = tx.TaskChecklist(ctx, a.OrgID, t.ID)
		return err
	})
}

func (s *Service) writeTask(ctx context.Context, ref string, in TaskInput, patch, force bool) (isms.Task, error) {
	var check func() error
	if !patch && ref != "" {
		check = func() error { return in.Sent.require("title") }
	}
	var wasDone bool
	out, err := writeAs(ctx, s, isms.PermWriteContent, store.Tasks, change[isms.Task]{Ref: ref, Version: in.Version, Kind: "T", Check: check,
		Load: func(tx *store.Tx, a Actor, t *isms.Task) (err error) {
			t.Checklist, err = tx.TaskChecklist(ctx, a.OrgID, t.ID)
			return err
		},
		Apply: func(tx *store.Tx, a Actor, t *isms.Task) error {
			wasDone = t.Status == "done"
			if patch {
				saved := inputOf[TaskInput](*t)
				saved.Assignee = t.Assignee.Ref // a Who on the row, a string in the input
				in = overlay(saved, in, in.Sent)
			}
			var found taskTargets
			var err error
			if found.people, err = tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Assignee}); err != nil {
				return err
			}
			if found.actions, err = tx.Resolve(ctx, a.OrgID, store.ActionLookup, []string{in.Action}); err != nil {
				return err
			}
			if found.documents, err = tx.Resolve(ctx, a.OrgID, store.DocumentLookup, []string{in.Document}); err != nil {
				return err
			}
			var p isms.Problems
			s.applyTask(&p, in, found, t)
			if ref == "" {
				t.Checklist = s.checklistOf(&p, in, t.Control)
			} else if len(in.Items) > 0 {
				p.Add("items", "are given when a task is added; change the checklist item by item")
			}
			if err := p.Err(); err != nil {
				return err
			}
			s.stampTimes(&t.CreatedAt, &t.UpdatedAt, ref == "")
			switch {
			case t.Status == "done" && !wasDone:
				return s.finish(a, t, force)
			case t.Status != "done":
				t.DoneAt, t.DoneBy = nil, ""
			}
			return nil
		},
		After: func(tx *store.Tx, a Actor, t *isms.Task) error {
			if ref == "" {
				texts := make([]string, len(t.Checklist))
				for i, c := range t.Checklist {
					texts[i] = c.Text
				}
				if err := tx.AddTaskChecks(ctx, a.OrgID, t.ID, texts); err != nil {
					return err
				}
			}
			if t.Status == "done" && !wasDone {
				return s.nextOccurrence(ctx, tx, a, *t)
			}
			return nil
		}})
	if err != nil {
		return out, err
	}
	return s.Task(ctx, out.Ref)
}

// finish records who completed t and when, refusing while checklist items are open unless force.
func (s *Service) finish(a Actor, t *isms.Task, force bool) error {
	open := 0
	for _, c := range t.Checklist {
		if c.DoneAt == nil {
			open++
		}
	}
	if open > 0 && !force {
		return isms.Invalid(isms.FieldError{Field: "status", Message: fmt.Sprintf(
			"%d checklist item(s) still open: tick them first, or complete with force to close the task anyway", open)})
	}
	now := s.now()
	t.DoneAt, t.DoneBy = &now, actorName(a)
	return nil
}

// actorName is how a record names who acted.
func actorName(a Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

// nextOccurrence adds the occurrence after done, a completed recurring task, unless it has one already:
// tasks.previous_id is unique, so a task reopened and completed again still has one successor.
func (s *Service) nextOccurrence(ctx context.Context, tx *store.Tx, a Actor, done isms.Task) error {
	if done.Recurrence == "" {
		return nil
	}
	if next, err := tx.NextTaskOf(ctx, a.OrgID, done.ID); err != nil || next != "" {
		return err
	}
	ref, err := tx.NextRef(ctx, a.OrgID, "T")
	if err != nil {
		return err
	}
	now := s.now()
	next := isms.Task{ID: store.NewID(), Ref: ref, Title: done.Title, Description: done.Description, Control: done.Control, Clause: done.Clause,
		ActionID: done.ActionID, Action: done.Action, ActionTitle: done.ActionTitle, DocumentID: done.DocumentID, Document: done.Document,
		DocumentTitle: done.DocumentTitle, AssigneeID: done.AssigneeID, Assignee: done.Assignee, Status: "open", Recurrence: done.Recurrence,
		Due: isms.NextDue(done.Recurrence, done.Due, s.Today()), PreviousID: done.ID, Previous: done.Ref, Notes: done.Notes,
		CreatedAt: now, UpdatedAt: now, Checklist: []isms.TaskCheck{}}
	texts := make([]string, len(done.Checklist))
	for i, c := range done.Checklist {
		texts[i] = c.Text
		next.Checklist = append(next.Checklist, isms.TaskCheck{Position: i + 1, Text: c.Text})
	}
	if err := store.Tasks.Insert(ctx, tx, a.OrgID, &next); err != nil {
		return err
	}
	if err := tx.AddTaskChecks(ctx, a.OrgID, next.ID, texts); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "create", "task", next.ID, next.Ref, nil, next)
}

// TickTaskItem ticks (done) or unticks one checklist item of a task, recording who ticked it and when.
func (s *Service) TickTaskItem(ctx context.Context, ref string, position int, done bool) (isms.Task, error) {
	action := "uncheck"
	if done {
		action = "check"
	}
	return s.changeChecklist(ctx, ref, action, func(tx *store.Tx, a Actor, t isms.Task) (any, error) {
		item, err := itemAt(t, position)
		if err != nil {
			return nil, err
		}
		if done {
			now := s.now()
			item.DoneAt, item.DoneBy = &now, actorName(a)
		} else {
			item.DoneAt, item.DoneBy = nil, ""
		}
		return item, tx.SetTaskCheck(ctx, a.OrgID, t.ID, position, item.DoneAt, item.DoneBy)
	})
}

// AddTaskItem adds an item at the end of a task's checklist.
func (s *Service) AddTaskItem(ctx context.Context, ref, text string) (isms.Task, error) {
	text = strings.TrimSpace(text)
	var p isms.Problems
	isms.CheckText(&p, "text", text, 1000)
	if err := p.Err(); err != nil {
		return isms.Task{}, err
	}
	return s.changeChecklist(ctx, ref, "add-item", func(tx *store.Tx, a Actor, t isms.Task) (any, error) {
		if len(t.Checklist) >= 200 {
			return nil, isms.Invalid(isms.FieldError{Field: "text", Message: "a checklist holds at most 200 items"})
		}
		return map[string]string{"text": text}, tx.AddTaskChecks(ctx, a.OrgID, t.ID, []string{text})
	})
}

// RemoveTaskItem removes one item of a task's checklist.
func (s *Service) RemoveTaskItem(ctx context.Context, ref string, position int) (isms.Task, error) {
	return s.changeChecklist(ctx, ref, "remove-item", func(tx *store.Tx, a Actor, t isms.Task) (any, error) {
		item, err := itemAt(t, position)
		if err != nil {
			return nil, err
		}
		return item, tx.RemoveTaskCheck(ctx, a.OrgID, t.ID, position)
	})
}

func itemAt(t isms.Task, position int) (isms.TaskCheck, error) {
	for _, c := range t.Checklist {
		if c.Position == position {
			return c, nil
		}
	}
	return isms.TaskCheck{}, isms.NotFound("%s has no checklist item %d", t.Ref, position)
}

// changeChecklist is the shape of a checklist change: the role, one transaction, the task read with its
// checklist, the change, and an audit event naming the item. The task's version stays: an item is a row of its
// own, and an edit form open elsewhere is not made stale by a tick.
func (s *Service) changeChecklist(ctx context.Context, ref, action string, change func(tx *store.Tx, a Actor, t isms.Task) (any, error)) (isms.Task, error) {
	var out isms.Task
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return out, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		t, err := s.readTask(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		item, err := change(tx, a, t)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, action, "task", t.ID, t.Ref, nil, item); err != nil {
			return err
		}
		out, err = s.readTask(ctx, tx, a, t.Ref)
		return err
	})
	return out, err
}
