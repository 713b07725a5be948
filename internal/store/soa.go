package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// annexA is the catalog the SoA is laid out by: its controls are the entries every organisation has, in order.
var annexA = sync.OnceValue(catalog.MustLoad)

// SoAEntries is the Statement of Applicability declared with the register kit: one row per organisation and
// Annex A control, keyed by the control id. Its list is the 93 rows of one organisation, read by SoA.
var SoAEntries = &Register[isms.SoAEntry, struct{}]{
	Entity: "SoA entry", Table: "soa_entries", Alias: "s", Key: "control_id",
	ID:      func(e *isms.SoAEntry) *string { return &e.Control },
	Ref:     func(e *isms.SoAEntry) *string { return &e.Control },
	Version: func(e *isms.SoAEntry) *int { return &e.Version },
	Columns: []Column[isms.SoAEntry]{
		optBool("applicable", func(e *isms.SoAEntry) **bool { return &e.Applicable }),
		Text("justification", func(e *isms.SoAEntry) *string { return &e.Justification }),
		textList("reasons", func(e *isms.SoAEntry) *[]string { return &e.Reasons }),
		Text("status", func(e *isms.SoAEntry) *string { return &e.Status }),
		Text("notes", func(e *isms.SoAEntry) *string { return &e.Notes }),
		Time("updated_at", func(e *isms.SoAEntry) *time.Time { return &e.UpdatedAt }),
	},
	Refs: []Reference[isms.SoAEntry]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(e *isms.SoAEntry) *string { return &e.OwnerID },
		Ref:  func(e *isms.SoAEntry) *string { return &e.Owner },
		Name: func(e *isms.SoAEntry) *string { return &e.OwnerName }}},
}

// optBool is a nullable 0/1 INTEGER column held in a *bool field (nil: NULL).
func optBool[T any](name string, f func(*T) **bool) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return nullBool{f(r)} }, value: func(r *T) any {
		if b := *f(r); b != nil {
			return boolInt(*b)
		}
		return nil
	}}
}

type nullBool struct{ b **bool }

func (x nullBool) Scan(src any) error {
	var v sql.NullInt64
	if err := v.Scan(src); err != nil {
		return err
	}
	*x.b = nil
	if v.Valid {
		b := v.Int64 == 1
		*x.b = &b
	}
	return nil
}

// textList is a TEXT column holding a comma list of short values (no commas in them) in a []string field.
func textList[T any](name string, f func(*T) *[]string) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return listText{f(r)} }, value: func(r *T) any { return strings.Join(*f(r), ",") }}
}

type listText struct{ l *[]string }

func (x listText) Scan(src any) error {
	var v sql.NullString
	if err := v.Scan(src); err != nil {
		return err
	}
	*x.l = []string{}
	if v.String != "" {
		*x.l = strings.Split(v.String, ",")
	}
	return nil
}

// createSoA gives a new organisation its entries, one per Annex A control, undecided.
func (tx *Tx) createSoA(ctx context.Context, orgID string, at time.Time) error {
	var rows []isms.SoAEntry
	for _, c := range annexA().Controls() {
		rows = append(rows, isms.SoAEntry{Control: c.ID, Reasons: []string{}, UpdatedAt: at})
	}
	return SoAEntries.InsertMany(ctx, tx, orgID, rows)
}

// SoA lists the organisation's entries in the catalog's order, each with its title and theme and the risks
// that link its control: two queries, whatever the size of the risk register.
func (tx *Tx) SoA(ctx context.Context, orgID string) ([]isms.SoAEntry, error) {
	rows, err := SoAEntries.query(ctx, tx, SoAEntries.selectSQL()+" FROM "+SoAEntries.from()+" WHERE s.org_id = $1", []any{orgID})
	if err != nil {
		return nil, err
	}
	// Reading every link of a large register takes long (about 0.7 s at 100,000 risks), and links change only
	// through audited writes, so the map is remembered until the organisation's audit trail moves on. It is
	// shared: nothing may change its slices (describeEntry only hands them on).
	risks, err := remembered(ctx, tx, orgID, "soa risks by control", func() (map[string][]string, error) {
		m, err := tx.risksByControl(ctx, orgID, "")
		for c, refs := range m {
			m[c] = slices.Clip(refs)
		}
		return m, err
	})
	if err != nil {
		return nil, err
	}
	for i := range rows {
		describeEntry(&rows[i], risks[rows[i].Control])
	}
	inCatalogOrder(rows)
	return rows, nil
}

// inCatalogOrder sorts entries in the catalog's order of their controls.
func inCatalogOrder(rows []isms.SoAEntry) {
	order := map[string]int{}
	for i, c := range annexA().Controls() {
		order[c.ID] = i
	}
	slices.SortFunc(rows, func(a, b isms.SoAEntry) int { return order[a.Control] - order[b.Control] })
}

// SoAEntry loads one entry by control id, with the risks that link it.
func (tx *Tx) SoAEntry(ctx context.Context, orgID, control string) (isms.SoAEntry, error) {
	e, err := SoAEntries.Get(ctx, tx, orgID, control)
	if err != nil {
		return e, err
	}
	return e, tx.DescribeSoAEntry(ctx, orgID, &e)
}

// DescribeSoAEntry fills the title, theme and risks of an entry loaded by the register kit.
func (tx *Tx) DescribeSoAEntry(ctx context.Context, orgID string, e *isms.SoAEntry) error {
	risks, err := tx.risksByControl(ctx, orgID, e.Control)
	describeEntry(e, risks[e.Control])
	return err
}

// describeEntry fills what an entry takes from the catalog and the risk register.
func describeEntry(e *isms.SoAEntry, risks []string) {
	if c, ok := annexA().Control(e.Control); ok {
		e.Title, e.Theme = c.Title, c.Theme
	}
	e.Risks = risks
	if e.Risks == nil {
		e.Risks = []string{}
	}
	if e.Reasons == nil {
		e.Reasons = []string{}
	}
}

// risksByControl maps control ids to the refs of the risks that link them (one control, or all when control is
// ""), in one query.
func (tx *Tx) risksByControl(ctx context.Context, orgID, control string) (map[string][]string, error) {
	q := "SELECT rc.control_id, r.ref FROM risk_controls rc JOIN risks r ON r.id = rc.risk_id AND r.org_id = rc.org_id WHERE rc.org_id = $1"
	args := []any{orgID}
	if control != "" {
		q += " AND rc.control_id = $2"
		args = append(args, control)
	}
	rows, err := tx.tx.QueryContext(ctx, q+" ORDER BY r.ref", args...)
	if err != nil {
		return nil, fmt.Errorf("read the risks of controls: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var c, ref string
		if err := rows.Scan(&c, &ref); err != nil {
			return nil, err
		}
		out[c] = append(out[c], ref)
	}
	return out, rows.Err()
}

// forUpdate locks the rows a PostgreSQL SELECT reads until the transaction ends; SQLite runs one writer at a
// time, so there it needs nothing.
func (tx *Tx) forUpdate() string {
	if tx.engine == sqldb.Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// LockSoAEntries locks the organisation's entries of the controls (all of them when none are named) before an
// SoA write checks them against the risk register: a risk linked at the same time either commits first, and the
// check that follows sees it, or waits for this write and then sees the exclusion (refuseExcludedControls).
// Rows are locked in control order, as the risk side does, so that two writers cannot wait for each other.
func (tx *Tx) LockSoAEntries(ctx context.Context, orgID string, controls ...string) error {
	if tx.engine != sqldb.Postgres {
		return nil
	}
	q := "SELECT control_id FROM soa_entries WHERE org_id = $1"
	args := []any{orgID}
	if len(controls) > 0 {
		q += " AND control_id IN (" + placeholders(2, len(controls)) + ")"
		for _, c := range controls {
			args = append(args, c)
		}
	}
	rows, err := tx.tx.QueryContext(ctx, q+" ORDER BY control_id FOR UPDATE", args...)
	if err != nil {
		return fmt.Errorf("lock the SoA: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// refuseExcludedControls is the rule of the risk register's side: a risk may not be linked to a control the
// SoA excludes. Risk i (id ids[i], reference refs[i] or "" to look it up) is about to link controls[i]; one
// query checks them all. Every write of risk_controls passes here: a single risk's links and bulk inserts alike.
func (tx *Tx) refuseExcludedControls(ctx context.Context, orgID string, ids, refs []string, controls [][]string) error {
	var all []any
	seen := map[string]bool{}
	for _, cs := range controls {
		for _, c := range cs {
			if !seen[c] {
				seen[c] = true
				all = append(all, c)
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	// Every linked control's entry is read locked, whatever its applicability, so that an exclusion running at the
	// same time either commits first (and is seen here) or waits and then sees this link (LockSoAEntries).
	rows, err := tx.tx.QueryContext(ctx, "SELECT control_id, COALESCE(applicable, 1) FROM soa_entries WHERE org_id = $1 AND control_id IN ("+
		placeholders(2, len(all))+") ORDER BY control_id"+tx.forUpdate(), append([]any{orgID}, all...)...)
	if err != nil {
		return fmt.Errorf("check the SoA: %w", err)
	}
	defer rows.Close()
	excluded := map[string]bool{}
	for rows.Next() {
		var c string
		var applicable int
		if err := rows.Scan(&c, &applicable); err != nil {
			return err
		}
		if applicable == 0 {
			excluded[c] = true
		}
	}
	if err := rows.Err(); err != nil || len(excluded) == 0 {
		return err
	}
	// One problem per control, naming the risks (the first ten of a large import) in the order they came.
	var order []string
	risks := map[string][]string{}
	for i, cs := range controls {
		for _, c := range cs {
			if !excluded[c] {
				continue
			}
			ref := refs[i]
			if ref == "" {
				if err := tx.tx.QueryRowContext(ctx, "SELECT ref FROM risks WHERE org_id = $1 AND id = $2", orgID, ids[i]).Scan(&ref); err != nil {
					return err
				}
			}
			if risks[c] == nil {
				order = append(order, c)
			}
			risks[c] = append(risks[c], ref)
		}
	}
	var fe []isms.FieldError
	for _, c := range order {
		named := risks[c]
		if len(named) > 10 {
			named = append(named[:10:10], fmt.Sprintf("and %d more", len(risks[c])-10))
		}
		fe = append(fe, isms.ExcludedWithRisks("controls", c, named))
	}
	return isms.Invalid(fe...)
}
