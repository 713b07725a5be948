package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

const actionSelect = `SELECT t.id, t.ref, t.risk_id, r.ref, t.title, COALESCE(p.ref, ''), COALESCE(p.name, ''), t.due, t.status, t.notes,
	t.created_at, t.version`
const actionFrom = "treatment_actions t JOIN risks r ON r.id = t.risk_id LEFT JOIN people p ON p.id = t.owner_id"

func scanAction(row interface{ Scan(...any) error }) (isms.TreatmentAction, error) {
	var a isms.TreatmentAction
	var created string
	if err := row.Scan(&a.ID, &a.Ref, &a.RiskID, &a.RiskRef, &a.Title, &a.Owner, &a.OwnerName, &a.Due, &a.Status, &a.Notes, &created, &a.Version); err != nil {
		return a, err
	}
	var err error
	a.CreatedAt, err = parseTS(created)
	return a, err
}

// CreateAction inserts a treatment action.
func (tx *Tx) CreateAction(ctx context.Context, orgID, ownerID string, a isms.TreatmentAction) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO treatment_actions (id, org_id, ref, risk_id, title, owner_id, due, status, notes, created_at,
		updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)`,
		a.ID, orgID, a.Ref, a.RiskID, a.Title, nullString(ownerID), a.Due, a.Status, a.Notes, ts(a.CreatedAt))
	return err
}

// RiskID finds the id and reference of a risk named by reference or id, for a write that needs only those.
func (tx *Tx) RiskID(ctx context.Context, orgID, ref string) (id, riskRef string, err error) {
	err = tx.tx.QueryRowContext(ctx, "SELECT id, ref FROM risks WHERE org_id = $1 AND (ref = $2 OR id = $2)", orgID, ref).Scan(&id, &riskRef)
	if err != nil {
		return "", "", notFound(err, "risk %s", ref)
	}
	return id, riskRef, nil
}

// ActionByRef loads a treatment action by reference (TA-001) or id.
func (tx *Tx) ActionByRef(ctx context.Context, orgID, ref string) (isms.TreatmentAction, error) {
	a, err := scanAction(tx.tx.QueryRowContext(ctx, actionSelect+" FROM "+actionFrom+" WHERE t.org_id = $1 AND (t.ref = $2 OR t.id = $2)", orgID, ref))
	if err != nil {
		return a, notFound(err, "treatment action %s", ref)
	}
	return a, nil
}

// ActionFilter narrows the treatment plan.
type ActionFilter struct {
	Risk      string // risk ref
	Owner     string // person ref
	Status    string
	OverdueOn string // YYYY-MM-DD: only actions open and due before this day
	Search    string
}

// ListActions lists the treatment plan by due date (undated last).
func (tx *Tx) ListActions(ctx context.Context, orgID string, f ActionFilter, p Page) (List[isms.TreatmentAction], error) {
	w := where{org: orgID} // the total is remembered while nothing changes (countCache)
	w.add("t.org_id = ?", orgID)
	if f.Risk != "" {
		w.add("r.ref = ?", f.Risk)
	}
	if f.Owner != "" {
		w.add("p.ref = ?", f.Owner)
	}
	if f.Status != "" {
		w.add("t.status = ?", f.Status)
	}
	if f.OverdueOn != "" { // isms.TreatmentAction.Overdue
		w.add("t.due <> '' AND t.due < ?", f.OverdueOn)
		open := make([]string, len(isms.OpenActionStatuses))
		for i, s := range isms.OpenActionStatuses {
			w.args = append(w.args, s)
			open[i] = fmt.Sprintf("$%d", len(w.args))
		}
		w.conds = append(w.conds, "t.status IN ("+strings.Join(open, ", ")+")")
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		w.add("(lower(t.title) LIKE ? OR lower(t.ref) LIKE ?)", "%"+strings.ToLower(s)+"%")
	}
	return listPage(ctx, tx, actionSelect, actionFrom, w, "CASE WHEN t.due = '' THEN 1 ELSE 0 END, t.due, t.ref", p,
		func(r *sql.Rows) (isms.TreatmentAction, error) { return scanAction(r) })
}

// UpdateAction saves a with optimistic locking on a.Version.
func (tx *Tx) UpdateAction(ctx context.Context, orgID, ownerID string, a isms.TreatmentAction, now string) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE treatment_actions SET title = $1, owner_id = $2, due = $3, status = $4, notes = $5,
		updated_at = $6, version = version + 1 WHERE org_id = $7 AND id = $8 AND version = $9`,
		a.Title, nullString(ownerID), a.Due, a.Status, a.Notes, now, orgID, a.ID, a.Version)
	if err != nil {
		return err
	}
	return tx.checkUpdated(ctx, res, "treatment_actions", orgID, a.ID, "treatment action", a.Ref, a.Version)
}
