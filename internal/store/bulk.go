package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// Bulk writes serve imports: a few multi-row statements instead of a dozen statements per row, so that a
// 100,000-row register imports in seconds on either engine.

// bulkParams bounds the parameters of one statement of insertBatched. Fewer, larger statements matter on a table
// with a search index: SQLite's FTS5 writes its pending terms out at the end of every statement.
const bulkParams = 4000

// insertBatched inserts rows with as few statements as bulkParams allows. The statement for a full chunk is
// prepared once and run for every full chunk, as parsing a large statement costs more than running it. SQLite
// gets anonymous "?" placeholders: binding numbered ones looks each up by name, which grows with the square of
// their number.
func (tx *Tx) insertBatched(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := max(1, bulkParams/len(cols))
	args := make([]any, 0, min(per, len(rows))*len(cols))
	flat := func(rows [][]any) ([]any, error) {
		args = args[:0]
		for _, r := range rows {
			if len(r) != len(cols) {
				return nil, fmt.Errorf("%s: row has %d values for %d columns", table, len(r), len(cols))
			}
			args = append(args, r...)
		}
		return args, nil
	}
	if len(rows) >= per {
		stmt, err := tx.tx.PrepareContext(ctx, tx.insertSQL(table, cols, per))
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		defer stmt.Close()
		for ; len(rows) >= per; rows = rows[per:] {
			args, err := flat(rows[:per])
			if err != nil {
				return err
			}
			tx.tx.n.Add(1)
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("insert into %s: %w", table, err)
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	args, err := flat(rows)
	if err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, tx.insertSQL(table, cols, len(rows)), args...); err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	return nil
}

// insertSQL is a multi-row INSERT of n rows, with the placeholders of the engine.
func (tx *Tx) insertSQL(table string, cols []string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	row := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if tx.engine == sqldb.SQLite {
			b.WriteString(row)
		} else {
			b.WriteString("(" + placeholders(1+i*len(cols), len(cols)) + ")")
		}
	}
	return b.String()
}

// NextRefs reserves n consecutive human references of kind at once and returns them.
func (tx *Tx) NextRefs(ctx context.Context, orgID, kind string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	var last int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO counters (org_id, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (org_id, name) DO UPDATE SET value = counters.value + $3 RETURNING value`, orgID, kind, n).Scan(&last)
	if err != nil {
		return nil, fmt.Errorf("reserve %d %s references: %w", n, kind, err)
	}
	refs := make([]string, n)
	for i := range refs {
		refs[i] = fmt.Sprintf("%s-%03d", kind, last-int64(n)+int64(i)+1)
	}
	return refs, nil
}

// AppendAuditBatch appends events to one organisation's hash chain under a single lock of the chain head
// (lockAuditHead). ID, Seq, PrevHash and Hash of each event are set here.
func (tx *Tx) AppendAuditBatch(ctx context.Context, orgID string, events []*isms.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	seq, head, err := tx.lockAuditHead(ctx, orgID)
	if err != nil {
		return err
	}
	rows := make([][]any, len(events))
	for i, e := range events {
		if e.OrgID != orgID {
			return fmt.Errorf("audit batch mixes organisations")
		}
		seq++
		e.ID, e.Seq, e.PrevHash, e.At = NewID(), seq, head, e.At.UTC().Truncate(time.Microsecond)
		h, err := tx.auditHash(e)
		if err != nil {
			return err
		}
		e.Hash, head = h, h
		rows[i] = []any{e.ID, e.OrgID, e.Seq, ts(e.At), e.ActorID, e.Actor, e.Via, e.Action, e.Entity, e.EntityID, e.Ref,
			string(e.Before), string(e.After), e.PrevHash, e.Hash}
	}
	cols := []string{"id", "org_id", "seq", "at", "actor_id", "actor", "via", "action", "entity", "entity_id", "ref", "before_json", "after_json", "prev_hash", "hash"}
	if err := tx.insertBatched(ctx, "audit_events", cols, rows); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, "UPDATE organisations SET audit_seq = $1, audit_head = $2 WHERE id = $3", seq, head, orgID); err != nil {
		return fmt.Errorf("advance audit head: %w", err)
	}
	return nil
}

// NewRisk is one risk of a bulk insert, with the ids its references resolved to.
type NewRisk struct {
	Risk     isms.Risk
	OwnerID  string
	AssetIDs []string
	History  isms.RiskAssessment
}

// InsertRisks inserts new risks with their links and first history entries in a handful of statements.
func (tx *Tx) InsertRisks(ctx context.Context, orgID string, risks []NewRisk) error {
	var riskRows, assetRows, controlRows, historyRows [][]any
	ids, refs, controls := make([]string, len(risks)), make([]string, len(risks)), make([][]string, len(risks))
	for i, n := range risks {
		ids[i], refs[i], controls[i] = n.Risk.ID, n.Risk.Ref, n.Risk.Controls
	}
	if err := tx.refuseExcludedControls(ctx, orgID, ids, refs, controls); err != nil {
		return err
	}
	for _, n := range risks {
		r := n.Risk
		riskRows = append(riskRows, riskTable.insertRow(orgID, &riskRow{r, n.OwnerID}))
		for _, a := range n.AssetIDs {
			assetRows = append(assetRows, []any{orgID, r.ID, a})
		}
		for _, c := range r.Controls {
			controlRows = append(controlRows, []any{orgID, r.ID, c})
		}
		historyRows = append(historyRows, assessmentRow(orgID, n.History))
	}
	for _, b := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"risks", riskTable.insertCols(), riskRows},
		{"risk_assets", []string{"org_id", "risk_id", "asset_id"}, assetRows},
		{"risk_controls", []string{"org_id", "risk_id", "control_id"}, controlRows},
		{"risk_assessments", assessmentCols, historyRows},
	} {
		if err := tx.insertBatched(ctx, b.table, b.cols, b.rows); err != nil {
			return err
		}
	}
	return nil
}

// RefNames maps the ids of an organisation's people or assets to their reference and name.
func (tx *Tx) RefNames(ctx context.Context, orgID, table string) (map[string][2]string, error) {
	q := map[string]string{
		"people": "SELECT id, ref, name FROM people WHERE org_id = $1",
		"assets": "SELECT id, ref, name FROM assets WHERE org_id = $1",
	}[table]
	if q == "" {
		return nil, isms.NotFound("no reference names for %s", table)
	}
	rows, err := tx.tx.QueryContext(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var id, ref, name string
		if err := rows.Scan(&id, &ref, &name); err != nil {
			return nil, err
		}
		out[id] = [2]string{ref, name}
	}
	return out, rows.Err()
}

// RisksByRefs loads the risks with the given references (any case), keyed by reference, with their links: one
// scoped query per few hundred references and two for their links. Imports use it for the rows a batch names.
func (tx *Tx) RisksByRefs(ctx context.Context, orgID string, refs []string) (map[string]isms.Risk, error) {
	rows, err := riskTable.GetMany(ctx, tx, orgID, refs)
	if err != nil || len(rows) == 0 {
		return map[string]isms.Risk{}, err
	}
	list := make([]isms.Risk, 0, len(rows))
	for _, r := range rows {
		r.Assets, r.Controls = []string{}, []string{}
		list = append(list, r.Risk)
	}
	if err := tx.loadRiskLinks(ctx, orgID, list); err != nil {
		return nil, err
	}
	out := make(map[string]isms.Risk, len(list))
	for _, r := range list {
		out[r.Ref] = r
	}
	return out, nil
}
