package store

import (
	"context"
	"fmt"
)

// ControlProgress is what one Annex A control has to show for it.
type ControlProgress struct {
	OpenTask bool // a task neither done nor cancelled
	Evidence bool // evidence linked
	Current  bool // evidence linked that has not expired
}

// ControlProgress reads the progress of every control of the SoA on today (YYYY-MM-DD) with one query: a few
// index probes per control, so that the cost does not grow with the evidence register (expired is
// isms.EvidenceStatus, as the evidence filter has it).
func (tx *Tx) ControlProgress(ctx context.Context, orgID, today string) (map[string]ControlProgress, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT s.control_id,
		EXISTS (SELECT 1 FROM tasks t WHERE t.org_id = s.org_id AND t.control_id = s.control_id AND t.status NOT IN ('done', 'cancelled')),
		EXISTS (SELECT 1 FROM evidence_controls x WHERE x.org_id = s.org_id AND x.control_id = s.control_id),
		EXISTS (SELECT 1 FROM evidence_controls x JOIN evidence ev ON ev.id = x.evidence_id AND ev.org_id = x.org_id
			WHERE x.org_id = s.org_id AND x.control_id = s.control_id AND (ev.valid_until = '' OR ev.valid_until >= $2))
		FROM soa_entries s WHERE s.org_id = $1`, orgID, today)
	if err != nil {
		return nil, fmt.Errorf("read the progress of controls: %w", err)
	}
	defer rows.Close()
	out := map[string]ControlProgress{}
	for rows.Next() {
		var c string
		var p ControlProgress
		if err := rows.Scan(&c, &p.OpenTask, &p.Evidence, &p.Current); err != nil {
			return nil, err
		}
		out[c] = p
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
