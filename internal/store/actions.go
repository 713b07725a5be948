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
const planOrder = planUndated + ", t.due, t.ref"

// planUndated is 1 for an action without a due date, 0 for one with: the first key of the plan's order.
const planUndated = "CASE WHEN t.due = '' THEN 1 ELSE 0 END"

// where is the filter's condition. The risk and the owner are found by a subquery, not the joins of the page, so
// that the count reads only the plan's own rows.
func (f ActionFilter) where(orgID string) where {
	w := where{org: orgID, countFrom: "treatment_actions t"} // the total is remembered while nothing changes (countCache)
	w.add("t.org_id = ?", orgID)
	if f.Risk != "" {
		w.add("t.risk_id = (SELECT id FROM risks WHERE org_id = $1 AND ref = ?)", f.Risk)
	}
	if f.Owner != "" {
		w.add("t.owner_id = (SELECT id FROM people WHERE org_id = $1 AND ref = ?)", f.Owner)
	}
	if f.Status != "" {
		w.add("t.status = ?", f.Status)
	}
	if f.OverdueOn != "" { // isms.TreatmentAction.Overdue
		// Dated (planUndated = 0, not due <> ''): treatment_actions_plan then holds the overdue actions as one
		// range, by due date, for the count and the page alike.
		w.add(planUndated+" = 0 AND t.due < ?", f.OverdueOn)
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
	return w
}

// ListActions lists the treatment plan by due date (undated last), by offset. The first page is read as the
// keyset pages are: with a filter such as overdue, SQLite would otherwise read the matches by status and sort them;
// a deep page by walking the plan's index (offsetPage).
func (tx *Tx) ListActions(ctx context.Context, orgID string, f ActionFilter, p Page) (List[isms.TreatmentAction], error) {
	if p.Normalise().Offset == 0 {
		l, err := tx.ListActionsKeyset(ctx, orgID, f, Seek{Limit: p.Limit})
		return l.List, err
	}
	w := f.where(orgID)
	return offsetPage(p, func() (int, error) { return tx.count(ctx, actionFrom, w) },
		func(offset int) (Cursor, error) {
			return tx.walkKeys(ctx, "SELECT t.due, t.ref FROM "+w.countFrom+w.sql()+" ORDER BY "+planOrder, w.args, offset)
		},
		func(c Cursor, n int, backward bool) ([]isms.TreatmentAction, []Cursor, error) {
			return tx.actionsAfter(ctx, orgID, f, c, n, backward)
		},
		func(p Page) (List[isms.TreatmentAction], error) {
			return listPage(ctx, tx, actionSelect, actionFrom, w, planOrder, p,
				func(r *sql.Rows) (isms.TreatmentAction, error) { return scanAction(r) })
		})
}

// ActionPage is one page of the treatment plan read by keyset.
type ActionPage = Keyset[isms.TreatmentAction]

// ListActionsKeyset reads the page of the plan s asks for by keyset: a deep page costs what the first one does.
// A cursor is the due date and reference of an action.
func (tx *Tx) ListActionsKeyset(ctx context.Context, orgID string, f ActionFilter, s Seek) (ActionPage, error) {
	return keysetPage(s, func() (int, error) { return tx.count(ctx, actionFrom, f.where(orgID)) },
		func(c Cursor, n int, backward bool) ([]isms.TreatmentAction, []Cursor, error) {
			return tx.actionsAfter(ctx, orgID, f, c, n, backward)
		})
}

// actionsAfter reads up to n actions after c in the plan's order (before c, nearest first, when backward). The
// plan has two parts, the dated actions by due date and then the undated ones by reference; each part is read
// with its first key fixed, so that treatment_actions_plan seeks straight to the cursor.
func (tx *Tx) actionsAfter(ctx context.Context, orgID string, f ActionFilter, c Cursor, n int, backward bool) ([]isms.TreatmentAction, []Cursor, error) {
	due, ok := c.Key.(string)
	if c.ID != "" && !ok {
		return nil, nil, badCursor
	}
	at := 0 // the part the cursor is in
	if due == "" {
		at = 1
	}
	parts := []int{0, 1}
	cmp, dir := ">", ""
	if backward {
		parts, cmp, dir = []int{1, 0}, "<", " DESC"
	}
	switch {
	case f.OverdueOn != "":
		parts = []int{0} // overdue actions are dated
	case c.ID == "":
		parts = []int{-1} // from the start, both parts are one read in the plan's order
	}
	var page []isms.TreatmentAction
	var cursors []Cursor
	for _, part := range parts {
		if len(page) == n || (c.ID != "" && (part < at) != backward && part != at) {
			continue // full, or a part wholly before the cursor
		}
		w := f.where(orgID)
		order := "t.due" + dir + ", t.ref" + dir
		switch part {
		case -1:
			order = planOrder
		case 1:
			order = "t.ref" + dir
		}
		if part >= 0 {
			w.add(planUndated+" = ?", part)
		}
		if c.ID != "" && part == at {
			if part == 0 {
				w.args = append(w.args, due, c.ID)
				d, r := len(w.args)-1, len(w.args)
				w.conds = append(w.conds, fmt.Sprintf("t.due %[1]s= $%[2]d AND (t.due %[1]s $%[2]d OR t.ref %[1]s $%[3]d)", cmp, d, r))
			} else {
				w.add("t.ref "+cmp+" ?", c.ID)
			}
		}
		q := actionSelect + " FROM " + actionFrom + w.sql() + " ORDER BY " + order + fmt.Sprintf(" LIMIT %d", n-len(page))
		err := tx.query(ctx, q, w.args, func(r *sql.Rows) error {
			a, err := scanAction(r)
			page, cursors = append(page, a), append(cursors, Cursor{a.Due, a.Ref})
			return err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read treatment plan: %w", err)
		}
	}
	return page, cursors, nil
}

// UpdateAction saves a with optimistic locking on a.Version.
func (tx *Tx) UpdateAction(ctx context.Context, orgID, ownerID string, a isms.TreatmentAction, now time.Time) error {
	return actionTable.Update(ctx, tx, orgID, &actionRow{TreatmentAction: a, ownerID: ownerID, updatedAt: now})
}
