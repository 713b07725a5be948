package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The state of the 2013 to 2022 transition: the imported 2013 rows and what the import made of each 2022
// control. Both are replaced whole by the next import.

// ReplaceTransition deletes the organisation's transition state and saves the new one.
func (tx *Tx) ReplaceTransition(ctx context.Context, orgID string, rows []isms.Transition2013Row, plan []isms.TransitionControl, at time.Time) error {
	for _, table := range []string{"transition_rows", "transition_controls"} {
		if _, err := tx.tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE org_id = $1", orgID); err != nil {
			return err
		}
	}
	when := ts(at)
	vals := make([][]any, len(rows))
	for i, r := range rows {
		var applicable any
		if r.Applicable != nil {
			applicable = boolInt(*r.Applicable)
		}
		vals[i] = []any{orgID, r.Control, r.Line, applicable, r.Justification, r.Status, r.Notes, when}
	}
	if err := tx.insertBatched(ctx, "transition_rows",
		[]string{"org_id", "control", "line", "applicable", "justification", "status", "notes", "imported_at"}, vals); err != nil {
		return err
	}
	vals = make([][]any, len(plan))
	for i, c := range plan {
		vals[i] = []any{orgID, c.Control, c.Outcome, boolInt(c.Marked), boolInt(c.Kept), c.Note, when}
	}
	return tx.insertBatched(ctx, "transition_controls",
		[]string{"org_id", "control", "outcome", "marked", "kept", "note", "imported_at"}, vals)
}

// TransitionRows lists the imported 2013 rows in file order.
func (tx *Tx) TransitionRows(ctx context.Context, orgID string) ([]isms.Transition2013Row, error) {
	var out []isms.Transition2013Row
	err := tx.query(ctx, `SELECT control, line, applicable, justification, status, notes, imported_at
		FROM transition_rows WHERE org_id = $1 ORDER BY line`, []any{orgID}, func(rs *sql.Rows) error {
		var r isms.Transition2013Row
		var applicable sql.NullInt64
		var at string
		if err := rs.Scan(&r.Control, &r.Line, &applicable, &r.Justification, &r.Status, &r.Notes, &at); err != nil {
			return err
		}
		if applicable.Valid {
			yes := applicable.Int64 == 1
			r.Applicable = &yes
		}
		var err error
		r.ImportedAt, err = parseTS(at)
		out = append(out, r)
		return err
	})
	return out, err
}

// TransitionControls lists what the last import made of each 2022 control (without sources and titles, which
// the catalog gives), by control id; empty before the first import.
func (tx *Tx) TransitionControls(ctx context.Context, orgID string) (map[string]isms.TransitionControl, error) {
	out := map[string]isms.TransitionControl{}
	err := tx.query(ctx, `SELECT control, outcome, marked, kept, note FROM transition_controls WHERE org_id = $1`,
		[]any{orgID}, func(rs *sql.Rows) error {
			var c isms.TransitionControl
			var marked, kept int
			if err := rs.Scan(&c.Control, &c.Outcome, &marked, &kept, &c.Note); err != nil {
				return err
			}
			c.Marked, c.Kept = marked == 1, kept == 1
			out[c.Control] = c
			return nil
		})
	return out, err
}
