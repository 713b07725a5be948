package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// ActionLookup and DocumentLookup resolve a treatment action or a document by its reference, for the registers
// that name one (tasks).
var (
	ActionLookup   = Lookup{Table: "treatment_actions", Name: "title"}
	DocumentLookup = Lookup{Table: "documents", Name: "title"}
	TaskLookup     = Lookup{Table: "tasks", Name: "title"} // by reference (T-001, any case)
)

// Tasks is the register of tasks declared once; a task's checklist lives in task_checks (below).
var Tasks = &Register[isms.Task, TaskFilter]{
	Entity: "task", Table: "tasks", Alias: "t",
	ID:      func(t *isms.Task) *string { return &t.ID },
	Ref:     func(t *isms.Task) *string { return &t.Ref },
	Version: func(t *isms.Task) *int { return &t.Version },
	Columns: []Column[isms.Task]{
		Text("title", func(t *isms.Task) *string { return &t.Title }),
		Text("description", func(t *isms.Task) *string { return &t.Description }),
		Text("control_id", func(t *isms.Task) *string { return &t.Control }),
		Text("clause", func(t *isms.Task) *string { return &t.Clause }),
		Text("due", func(t *isms.Task) *string { return &t.Due }),
		Text("status", func(t *isms.Task) *string { return &t.Status }),
		Text("recurrence", func(t *isms.Task) *string { return &t.Recurrence }),
		OptTime("done_at", func(t *isms.Task) **time.Time { return &t.DoneAt }),
		Text("done_by", func(t *isms.Task) *string { return &t.DoneBy }),
		Text("notes", func(t *isms.Task) *string { return &t.Notes }),
		Time("created_at", func(t *isms.Task) *time.Time { return &t.CreatedAt }).InsertOnly(),
		Time("updated_at", func(t *isms.Task) *time.Time { return &t.UpdatedAt }),
	},
	Refs: []Reference[isms.Task]{
		{Column: "assignee_id", Target: PeopleLookup, Alias: "p",
			ID: func(t *isms.Task) *string { return &t.AssigneeID }, Ref: func(t *isms.Task) *string { return &t.Assignee.Ref },
			Name: func(t *isms.Task) *string { return &t.Assignee.Name }},
		{Column: "action_id", Target: ActionLookup, Alias: "ta",
			ID: func(t *isms.Task) *string { return &t.ActionID }, Ref: func(t *isms.Task) *string { return &t.Action },
			Name: func(t *isms.Task) *string { return &t.ActionTitle }},
		{Column: "document_id", Target: DocumentLookup, Alias: "d",
			ID: func(t *isms.Task) *string { return &t.DocumentID }, Ref: func(t *isms.Task) *string { return &t.Document },
			Name: func(t *isms.Task) *string { return &t.DocumentTitle }},
		{Column: "previous_id", Target: TaskLookup, Alias: "pt",
			ID: func(t *isms.Task) *string { return &t.PreviousID }, Ref: func(t *isms.Task) *string { return &t.Previous },
			Name: func(t *isms.Task) *string { return &t.PreviousTitle }},
	},
	ListColumns: []ListColumn[isms.Task]{
		{Header: "ref", Value: func(t *isms.Task) string { return t.Ref }},
		{Header: "title", Width: 44, Value: func(t *isms.Task) string { return t.Title }},
		{Header: "control", Value: func(t *isms.Task) string { return t.Control }},
		{Header: "clause", Value: func(t *isms.Task) string { return t.Clause }},
		{Header: "assignee", Value: func(t *isms.Task) string { return t.Assignee.Name }},
		{Header: "due", Value: func(t *isms.Task) string { return t.Due }},
		{Header: "status", Value: func(t *isms.Task) string { return t.Status }},
		{Header: "recurrence", Value: func(t *isms.Task) string { return t.Recurrence }},
		{Header: "overdue", Value: func(t *isms.Task) string { return map[bool]string{true: "yes"}[t.Overdue] }},
		{Header: "checklist", Value: func(t *isms.Task) string {
			if t.Checks.Total == 0 {
				return ""
			}
			return fmt.Sprintf("%d/%d", t.Checks.Done, t.Checks.Total)
		}},
	},
	Filters: []Filter[TaskFilter]{
		{Name: "status", Kind: FilterEnum, Values: isms.TaskStatuses, Cond: "t.status = ?", Doc: "only this status",
			Field: func(f *TaskFilter) *string { return &f.Status }},
		{Name: "assignee", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this assignee (person reference, P-001)",
			Field: func(f *TaskFilter) *string { return &f.Assignee }},
		{Name: "control", Kind: FilterText, Cond: "t.control_id = ?", Doc: "only tasks for this Annex A control (8.28)",
			Field: func(f *TaskFilter) *string { return &f.Control }},
		// isms.Task.IsOverdue in SQL, ? being today.
		{Name: "overdue", Kind: FilterBool, Doc: "yes: only tasks past their due date and not done or cancelled",
			Field: func(f *TaskFilter) *string { return &f.Overdue }, Where: func(f *TaskFilter, _ string) (string, []any) {
				return "t.due <> '' AND t.due < ? AND t.status NOT IN ('done', 'cancelled')", []any{f.Today}
			}},
		// Me is the signed-in user's person ("" matches no task: an unassigned task is nobody's).
		{Name: "mine", Kind: FilterBool, Doc: "yes: only tasks assigned to you (your person in the staff register)",
			Field: func(f *TaskFilter) *string { return &f.Mine }, Where: func(f *TaskFilter, _ string) (string, []any) {
				return "COALESCE(t.assignee_id, '-') = ?", []any{f.Me}
			}},
	},
	Sorts: []Sort{{"due", "t.due"}, {"ref", "t.ref"}, {"title", "lower(t.title)"}, {"status", "t.status"},
		{"control", "t.control_id"}, {"assignee", "COALESCE(lower(p.name), '')"}},
	Search:    []string{"lower(t.title)", "lower(t.ref)", "lower(t.description)"},
	SearchDoc: "reference, title or description contains",
	SearchOf:  func(f *TaskFilter) *string { return &f.Search },
	SortOf:    func(f *TaskFilter) *string { return &f.Sort },
}

// TaskFilter narrows the task list; Tasks.Filters declares each field. Today and Me are filled by the service
// (the day overdue is measured against, the id of the signed-in user's person for "mine"), never by a door.
type TaskFilter struct {
	Search   string
	Status   string
	Assignee string // person ref
	Control  string
	Overdue  string // yes or no
	Mine     string // yes or no
	Sort     string // due (default), ref, title, status, control or assignee; "-" prefix for descending
	Today    string `json:"-"`
	Me       string `json:"-"`
}

// TaskChecklist is a task's checklist in order.
func (tx *Tx) TaskChecklist(ctx context.Context, orgID, taskID string) ([]isms.TaskCheck, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT position, text, done_at, done_by FROM task_checks WHERE org_id = $1 AND task_id = $2 ORDER BY position`, orgID, taskID)
	if err != nil {
		return nil, fmt.Errorf("read checklist: %w", err)
	}
	defer rows.Close()
	out := []isms.TaskCheck{}
	for rows.Next() {
		var c isms.TaskCheck
		var done sql.NullString
		if err := rows.Scan(&c.Position, &c.Text, &done, &c.DoneBy); err != nil {
			return nil, err
		}
		if c.DoneAt, err = parseNullTS(done); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// TaskCheckCounts counts the items, and the ticked ones, of the checklists of the tasks given, with one scoped
// query per lookupChunk tasks (a list page is one).
func (tx *Tx) TaskCheckCounts(ctx context.Context, orgID string, taskIDs []string) (map[string]isms.CheckCount, error) {
	out := map[string]isms.CheckCount{}
	for len(taskIDs) > 0 {
		chunk := taskIDs[:min(lookupChunk, len(taskIDs))]
		taskIDs = taskIDs[len(chunk):]
		args := []any{orgID}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := tx.tx.QueryContext(ctx, `SELECT task_id, COUNT(*), COUNT(done_at) FROM task_checks WHERE org_id = $1 AND task_id IN (`+
			placeholders(2, len(chunk))+`) GROUP BY task_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("count checklists: %w", err)
		}
		for rows.Next() {
			var id string
			var c isms.CheckCount
			if err := rows.Scan(&id, &c.Total, &c.Done); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AddTaskChecks appends items to a task's checklist after its last position, with one statement.
func (tx *Tx) AddTaskChecks(ctx context.Context, orgID, taskID string, texts []string) error {
	if len(texts) == 0 {
		return nil
	}
	var last int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM task_checks WHERE org_id = $1 AND task_id = $2`, orgID, taskID).Scan(&last); err != nil {
		return fmt.Errorf("read checklist: %w", err)
	}
	rows := make([][]any, len(texts))
	for i, text := range texts {
		rows[i] = []any{orgID, taskID, last + i + 1, text, nil, ""}
	}
	if err := tx.insertBatched(ctx, "task_checks", []string{"org_id", "task_id", "position", "text", "done_at", "done_by"}, rows); err != nil {
		return fmt.Errorf("add checklist items: %w", err)
	}
	return nil
}

// SetTaskCheck ticks (at, by) or unticks (nil, "") one item; an unknown item is NotFound.
func (tx *Tx) SetTaskCheck(ctx context.Context, orgID, taskID string, position int, at *time.Time, by string) error {
	var done any
	if at != nil {
		done = ts(*at)
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE task_checks SET done_at = $1, done_by = $2 WHERE org_id = $3 AND task_id = $4 AND position = $5`,
		done, by, orgID, taskID, position)
	return checkItem(res, err, position)
}

// RemoveTaskCheck removes one item; the others keep their positions, so that a link to an item stays right.
func (tx *Tx) RemoveTaskCheck(ctx context.Context, orgID, taskID string, position int) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM task_checks WHERE org_id = $1 AND task_id = $2 AND position = $3`, orgID, taskID, position)
	return checkItem(res, err, position)
}

func checkItem(res sql.Result, err error, position int) error {
	if err != nil {
		return fmt.Errorf("change checklist item: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return isms.NotFound("no checklist item %d", position)
	}
	return nil
}

// NextTaskOf is the id of the occurrence that follows a task (previous_id), or "".
func (tx *Tx) NextTaskOf(ctx context.Context, orgID, taskID string) (string, error) {
	var id string
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM tasks WHERE org_id = $1 AND previous_id = $2`, orgID, taskID).Scan(&id)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return id, err
}
