package store

import (
	"context"
	"fmt"
)

// ControlWorkCounts is how much work and proof one Annex A control has.
type ControlWorkCounts struct {
	Tasks    int // tasks that are not cancelled
	Open     int // tasks neither done nor cancelled
	Evidence int // evidence linked to the control
	Current  int // of which not expired
}

// ControlWorkCounts counts the tasks and evidence of every control that has any, judged on today (YYYY-MM-DD),
// with one grouped query over both tables.
func (tx *Tx) ControlWorkCounts(ctx context.Context, orgID, today string) (map[string]ControlWorkCounts, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT control_id, SUM(tasks), SUM(open), SUM(evidence), SUM(current) FROM (
		SELECT control_id, CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END AS tasks,
			CASE WHEN status NOT IN ('done', 'cancelled') THEN 1 ELSE 0 END AS open, 0 AS evidence, 0 AS current
		FROM tasks WHERE org_id = $1 AND control_id <> ''
		UNION ALL
		SELECT x.control_id, 0, 0, 1, CASE WHEN ev.valid_until = '' OR ev.valid_until >= $2 THEN 1 ELSE 0 END
		FROM evidence_controls x JOIN evidence ev ON ev.id = x.evidence_id AND ev.org_id = x.org_id WHERE x.org_id = $1
	) w GROUP BY control_id`, orgID, today)
	if err != nil {
		return nil, fmt.Errorf("count the work of controls: %w", err)
	}
	defer rows.Close()
	out := map[string]ControlWorkCounts{}
	for rows.Next() {
		var c string
		var n ControlWorkCounts
		if err := rows.Scan(&c, &n.Tasks, &n.Open, &n.Evidence, &n.Current); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// WorkCounts is the state of the organisation's tasks and evidence on a day. The first overdue task and expired
// evidence are named, for a finding about a single one.
type WorkCounts struct {
	OpenTasks, OverdueTasks int
	FirstOverdue            string // ref
	Evidence, Expired       int
	FirstExpired            string // ref
}

// WorkCounts reads the counts in one statement; overdue is isms.Task.IsOverdue and expired isms.EvidenceStatus,
// as the task and evidence filters have them.
func (tx *Tx) WorkCounts(ctx context.Context, orgID, today string) (WorkCounts, error) {
	var w WorkCounts
	const overdue = "FROM tasks WHERE org_id = $1 AND status NOT IN ('done', 'cancelled') AND due <> '' AND due < $2"
	const expired = "FROM evidence WHERE org_id = $1 AND valid_until <> '' AND valid_until < $2"
	err := tx.tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM tasks WHERE org_id = $1 AND status NOT IN ('done', 'cancelled')),
		(SELECT COUNT(*) `+overdue+`), (SELECT COALESCE(MIN(ref), '') `+overdue+`),
		(SELECT COUNT(*) FROM evidence WHERE org_id = $1),
		(SELECT COUNT(*) `+expired+`), (SELECT COALESCE(MIN(ref), '') `+expired+`)`, orgID, today).
		Scan(&w.OpenTasks, &w.OverdueTasks, &w.FirstOverdue, &w.Evidence, &w.Expired, &w.FirstExpired)
	if err != nil {
		return w, fmt.Errorf("count tasks and evidence: %w", err)
	}
	return w, nil
}
