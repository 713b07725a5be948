package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// actionRow is a treatment action as its table holds it: the action, its owner's person id, the title of its
// risk and when it last changed.
type actionRow struct {
	isms.TreatmentAction
	ownerID, riskTitle string
	updatedAt          time.Time
}

// actionTable declares the treatment actions table with the register kit: select, scan, insert (single and
// bulk) and the versioned update derive from it. The plan's filters and order are ActionFilter's.
var actionTable = &Register[actionRow, ActionFilter]{
	Entity: "treatment action", Table: "treatment_actions", Alias: "t",
	ID:      func(a *actionRow) *string { return &a.ID },
	Ref:     func(a *actionRow) *string { return &a.Ref },
	Version: func(a *actionRow) *int { return &a.Version },
	Columns: []Column[actionRow]{
		Text("title", func(a *actionRow) *string { return &a.Title }),
		Text("due", func(a *actionRow) *string { return &a.Due }),
		Text("status", func(a *actionRow) *string { return &a.Status }),
		Text("notes", func(a *actionRow) *string { return &a.Notes }),
		Time("created_at", func(a *actionRow) *time.Time { return &a.CreatedAt }).InsertOnly(),
		Time("updated_at", func(a *actionRow) *time.Time { return &a.updatedAt }),
	},
	Refs: []Reference[actionRow]{
		{Column: "risk_id", Target: Lookup{Table: "risks", Name: "title"}, Alias: "r",
			ID:   func(a *actionRow) *string { return &a.RiskID },
			Ref:  func(a *actionRow) *string { return &a.RiskRef },
			Name: func(a *actionRow) *string { return &a.riskTitle }},
		{Column: "owner_id", Target: PeopleLookup, Alias: "p",
			ID:   func(a *actionRow) *string { return &a.ownerID },
			Ref:  func(a *actionRow) *string { return &a.Owner },
			Name: func(a *actionRow) *string { return &a.OwnerName }},
	},
}

var (
	actionSelect = actionTable.selectSQL()
	actionFrom   = actionTable.from()
)

func scanAction(row interface{ Scan(...any) error }) (isms.TreatmentAction, error) {
	a, err := actionTable.scan(row)
	return a.TreatmentAction, err
}

// CreateAction inserts a treatment action.
func (tx *Tx) CreateAction(ctx context.Context, orgID, ownerID string, a isms.TreatmentAction) error {
	return actionTable.Insert(ctx, tx, orgID, &actionRow{TreatmentAction: a, ownerID: ownerID, updatedAt: a.CreatedAt})
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

// planOrder is the treatment plan's order: by due date, the undated last. Migration 00008 indexes exactly this
// expression (treatment_actions_plan), so that a page reads its rows in order instead of sorting the plan.
const planOrder = "CASE WHEN t.due = '' THEN 1 ELSE 0 END, t.due, t.ref"

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
	return listPage(ctx, tx, actionSelect, actionFrom, w, planOrder, p,
		func(r *sql.Rows) (isms.TreatmentAction, error) { return scanAction(r) })
}

// UpdateAction saves a with optimistic locking on a.Version.
func (tx *Tx) UpdateAction(ctx context.Context, orgID, ownerID string, a isms.TreatmentAction, now time.Time) error {
	return actionTable.Update(ctx, tx, orgID, &actionRow{TreatmentAction: a, ownerID: ownerID, updatedAt: now})
}
