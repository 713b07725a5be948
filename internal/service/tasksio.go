package service

import (
	"context"
	"io"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ExportTasks writes the matching tasks as csv, xlsx or pdf (or csv-excel), each with whether it is overdue
// today; mine=yes exports the signed-in user's.
func (s *Service) ExportTasks(ctx context.Context, f TaskFilter, format string, w io.Writer) error {
	f, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (TaskFilter, error) { return s.taskFilter(ctx, tx, a, f) })
	if err != nil {
		return err
	}
	sheet := table.Sheet{Name: "Tasks", Title: "Tasks", Columns: []table.Column{
		col("ref", 8, false), col("title", 34, true), col("control", 8, false), col("clause", 7, false), col("action", 8, false),
		col("document", 9, false), col("assignee_ref", 9, false), col("assignee", 18, true), col("due", 11, false), col("status", 10, false),
		col("recurrence", 10, false), col("overdue", 8, false), col("done_by", 16, true), col("description", 30, true), col("notes", 24, true),
		col("version", 7, false)}}
	sheet.Columns[9].Allowed = isms.TaskStatuses
	return exportRegister(ctx, s, store.Tasks, f, format, w, sheet, func(t isms.Task) table.Row {
		return table.Row{t.Ref, t.Title, t.Control, t.Clause, t.Action, t.Document, t.Assignee.Ref, t.Assignee.Name, t.Due, t.Status,
			t.Recurrence, yesNo(t.IsOverdue(f.Today)), t.DoneBy, t.Description, t.Notes, t.Version}
	}, exportFacts(store.Tasks, f, "every task"))
}
