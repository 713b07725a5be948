package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// riskRow is a risk as its table holds it: the risk and its owner's person id.
type riskRow struct {
	isms.Risk
	ownerID string
}

// riskTable declares the risks table with the register kit: select, scan, insert (single and bulk) and the
// versioned update derive from it, so that a new column is one line here. The list (filters, sorts, keyset
// pages, the search index) is RiskFilter's, so its List, Each and Parse are not used.
var riskTable = &Register[riskRow, RiskFilter]{
	Entity: "risk", Table: "risks", Alias: "r",
	ID:      func(r *riskRow) *string { return &r.ID },
	Ref:     func(r *riskRow) *string { return &r.Ref },
	Version: func(r *riskRow) *int { return &r.Version },
	Columns: []Column[riskRow]{
		Text("title", func(r *riskRow) *string { return &r.Title }),
		Text("description", func(r *riskRow) *string { return &r.Description }),
		Text("threat", func(r *riskRow) *string { return &r.Threat }),
		Text("vulnerability", func(r *riskRow) *string { return &r.Vulnerability }),
		Int("likelihood", func(r *riskRow) *int { return &r.Likelihood }),
		Int("impact", func(r *riskRow) *int { return &r.Impact }),
		Int("score", func(r *riskRow) *int { return &r.Score }),
		Text("treatment", func(r *riskRow) *string { return (*string)(&r.Treatment) }),
		Int("residual_likelihood", func(r *riskRow) *int { return &r.ResidualLikelihood }),
		Int("residual_impact", func(r *riskRow) *int { return &r.ResidualImpact }),
		Int("residual_score", func(r *riskRow) *int { return &r.ResidualScore }),
		OptText("accepted_by_id", func(r *riskRow) *string { return &r.AcceptedByID }),
		Text("accepted_by_name", func(r *riskRow) *string { return &r.AcceptedBy }),
		OptTime("accepted_at", func(r *riskRow) **time.Time { return &r.AcceptedAt }),
		Text("acceptance_comment", func(r *riskRow) *string { return &r.AcceptanceComment }),
		Text("external_ref", func(r *riskRow) *string { return &r.ExternalRef }),
		Time("created_at", func(r *riskRow) *time.Time { return &r.CreatedAt }).InsertOnly(),
		Time("updated_at", func(r *riskRow) *time.Time { return &r.UpdatedAt }),
	},
	Refs: []Reference[riskRow]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(r *riskRow) *string { return &r.ownerID },
		Ref:  func(r *riskRow) *string { return &r.Owner },
		Name: func(r *riskRow) *string { return &r.OwnerName }}},
}

var (
	riskSelect = riskTable.selectSQL()
	riskFrom   = riskTable.from()
)

// scanRisk reads a row of riskSelect, and any columns after it into extra.
func scanRisk(row interface{ Scan(...any) error }, extra ...any) (isms.Risk, error) {
	r, err := riskTable.scan(row, extra...)
	r.Assets, r.Controls = []string{}, []string{}
	return r.Risk, err
}

func acceptedAt(r isms.Risk) any {
	if r.AcceptedAt == nil {
		return nil
	}
	return ts(*r.AcceptedAt)
}

// CreateRisk inserts r; ownerID is the owner's person id or "". Links to assets and controls are set apart.
func (tx *Tx) CreateRisk(ctx context.Context, orgID, ownerID string, r isms.Risk) error {
	return riskTable.Insert(ctx, tx, orgID, &riskRow{r, ownerID})
}

// UpdateRisk saves r with optimistic locking on r.Version.
func (tx *Tx) UpdateRisk(ctx context.Context, orgID, ownerID string, r isms.Risk) error {
	return riskTable.Update(ctx, tx, orgID, &riskRow{r, ownerID})
}

// DeleteRisk removes a risk with its links, history and actions.
func (tx *Tx) DeleteRisk(ctx context.Context, orgID, id string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM risks WHERE org_id = $1 AND id = $2", orgID, id)
	return err
}

// SetRiskLinks replaces the assets (ids) and controls of a risk: two deletes and at most two multi-row inserts.
func (tx *Tx) SetRiskLinks(ctx context.Context, orgID, riskID string, assetIDs, controls []string) error {
	if err := tx.refuseExcludedControls(ctx, orgID, []string{riskID}, []string{""}, [][]string{controls}); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, "DELETE FROM risk_assets WHERE org_id = $1 AND risk_id = $2", orgID, riskID); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, "DELETE FROM risk_controls WHERE org_id = $1 AND risk_id = $2", orgID, riskID); err != nil {
		return err
	}
	return tx.insertRiskLinks(ctx, orgID, riskID, assetIDs, controls)
}

// insertRiskLinks links a risk to assets (ids) and controls; the caller has removed duplicates.
func (tx *Tx) insertRiskLinks(ctx context.Context, orgID, riskID string, assetIDs, controls []string) error {
	for _, l := range []struct {
		table, col string
		ids        []string
	}{{"risk_assets", "asset_id", assetIDs}, {"risk_controls", "control_id", controls}} {
		rows := make([][]any, len(l.ids))
		for i, id := range l.ids {
			rows[i] = []any{orgID, riskID, id}
		}
		if err := tx.insertBatched(ctx, l.table, []string{"org_id", "risk_id", l.col}, rows); err != nil {
			return fmt.Errorf("link %s: %w", l.col, err)
		}
	}
	return nil
}

// WithLinks sets the asset references and controls of r in the order RiskByRef reads them, so that a write
// returns and audits the risk it saved without reading it back.
func WithLinks(r *isms.Risk, assetRefs, controls []string) {
	r.Assets = slices.Clone(assetRefs)
	if r.Assets == nil {
		r.Assets = []string{}
	}
	slices.Sort(r.Assets)
	r.Controls = slices.Clone(controls)
	if r.Controls == nil {
		r.Controls = []string{}
	}
	sortControlIDs(r.Controls)
}

// AssetLookup resolves an asset named by reference or name (one scoped query, Tx.Resolve).
var AssetLookup = Lookup{Table: "assets", Name: "name", Match: []string{"lower(name)"}}

// SaveAcceptance saves the acceptance fields of r (who, when, comment) with optimistic locking on r.Version,
// leaving every other column as it is.
func (tx *Tx) SaveAcceptance(ctx context.Context, orgID string, r isms.Risk) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE risks SET accepted_by_id = $1, accepted_by_name = $2, accepted_at = $3, acceptance_comment = $4,
		updated_at = $5, version = version + 1 WHERE org_id = $6 AND id = $7 AND version = $8`,
		nullString(r.AcceptedByID), r.AcceptedBy, acceptedAt(r), r.AcceptanceComment, ts(r.UpdatedAt), orgID, r.ID, r.Version)
	if err != nil {
		return err
	}
	return tx.checkUpdated(ctx, res, "risks", orgID, r.ID, "risk", r.Ref, r.Version)
}

// RiskByRef loads a risk by reference or id, with its assets and controls.
func (tx *Tx) RiskByRef(ctx context.Context, orgID, ref string) (isms.Risk, error) {
	r, err := scanRisk(tx.tx.QueryRowContext(ctx, riskSelect+" FROM "+riskFrom+" WHERE r.org_id = $1 AND (r.ref = $2 OR r.id = $2)", orgID, ref))
	if err != nil {
		return r, notFound(err, "risk %s", ref)
	}
	list := []isms.Risk{r}
	if err := tx.loadRiskLinks(ctx, orgID, list); err != nil {
		return r, err
	}
	return list[0], nil
}

// loadRiskLinks fills Assets and Controls of risks with one query, whatever their number: the ids go as one
// parameter (inIDList), so that the same compiled statement serves every page.
func (tx *Tx) loadRiskLinks(ctx context.Context, orgID string, risks []isms.Risk) error {
	if len(risks) == 0 {
		return nil
	}
	idx := make(map[string]int, len(risks))
	ids := make([]string, len(risks))
	for i, r := range risks {
		idx[r.ID], ids[i] = i, r.ID
	}
	list, err := tx.idListArg(ids)
	if err != nil {
		return err
	}
	// One statement for both kinds of link: 0 an asset reference, 1 a control. Each risk's few links are sorted
	// here: an ORDER BY made SQLite sort them all in a temporary b-tree, which took longer than reading them.
	q := "SELECT 0, ra.risk_id, a.ref FROM risk_assets ra JOIN assets a ON a.id = ra.asset_id WHERE ra.org_id = $1 AND " + tx.inIDList("ra.risk_id", 2) +
		" UNION ALL SELECT 1, risk_id, control_id FROM risk_controls WHERE org_id = $1 AND " + tx.inIDList("risk_id", 2)
	err = tx.query(ctx, q, []any{orgID, list}, func(rows *sql.Rows) error {
		var kind int
		var id, v string
		if err := rows.Scan(&kind, &id, &v); err != nil {
			return err
		}
		if r := &risks[idx[id]]; kind == 0 {
			r.Assets = append(r.Assets, v)
		} else {
			r.Controls = append(r.Controls, v)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load risk links: %w", err)
	}
	for i := range risks {
		slices.Sort(risks[i].Assets)
		sortControlIDs(risks[i].Controls)
	}
	return nil
}

// stableParam writes the parameter p so that SQLite plans the statement once, not again at every run. With
// sqlite_stat4 a parameter compared with the first column of an index marks the compiled statement to be
// planned anew for each value bound to it (org_id = $1: every list); written +$1 (the same value) it is not
// looked up in the statistics, and stat1 plans it as well, as every row of a page belongs to one organisation.
// PostgreSQL has no unary + for text, and plans a statement each time anyway.
func (tx *Tx) stableParam(p string) string {
	if tx.engine == sqldb.Postgres {
		return p
	}
	return "+" + p
}

// inIDList is the condition "col is one of the ids of parameter $n" (an idListArg): one parameter however many
// ids, read with json_each on SQLite and as an array on PostgreSQL.
func (tx *Tx) inIDList(col string, n int) string {
	if tx.engine == sqldb.Postgres {
		return fmt.Sprintf("%s = ANY($%d)", col, n)
	}
	return fmt.Sprintf("%s IN (SELECT value FROM json_each($%d))", col, n)
}

// idListArg is the parameter of inIDList for ids: a JSON array on SQLite, a text array on PostgreSQL.
func (tx *Tx) idListArg(ids []string) (any, error) {
	if tx.engine == sqldb.Postgres {
		return ids, nil
	}
	b, err := json.Marshal(ids)
	return string(b), err
}

// RiskFilter narrows the risk register. Zero values match everything.
type RiskFilter struct {
	Search             string // ref, title, threat or vulnerability contains
	Owner              string // person ref
	Treatment          string
	Control            string // Annex A id
	Asset              string // asset ref
	MinScore, MaxScore int    // inherent score range
	MinResidual        int
	MaxResidual        int
	MinCurrent         int // current score range (isms.Risk.CurrentScore: residual once assessed, else inherent)
	MaxCurrent         int
	Likelihood, Impact int // one heat-map cell (inherent)
	ResidualLikelihood int
	ResidualImpact     int
	Accepted           string // "yes" or "no"
	Sort               string // ref, title, score, residual, current, owner, treatment, updated; "-" for descending
	// rowByRow (set by planRisks) has SQLite read a page in the order of its sort and check the score ranges and
	// the control row by row, instead of reading every match from their indexes and sorting them all.
	rowByRow bool
}

// currentScore is isms.Risk.CurrentScore in SQL (a store test holds the two together).
const currentScore = "CASE WHEN r.residual_score > 0 THEN r.residual_score ELSE r.score END"

// riskSorts are the sort keys of the register. The owner sorts risks without one first on both engines.
var riskSorts = map[string]string{"ref": "r.ref", "title": "lower(r.title)", "score": "r.score", "residual": "r.residual_score",
	"owner": "COALESCE(lower(p.name), '')", "treatment": "r.treatment", "updated": "r.updated_at",
	"current": currentScore}

// order is the register's order for f.Sort: the sort key's expression (unknown keys sort by ref) and its
// direction; ties go by id in the same direction, so that one index (org_id, key, id) serves the sort both ways
// (read backwards when descending) and the list and the keyset paging of EachRisk agree. Migrations 00007 and
// 00011 index each key with its tie-break.
func (f RiskFilter) order() (key string, desc bool) {
	key, ok := riskSorts[strings.TrimPrefix(f.Sort, "-")]
	if !ok {
		return riskSorts["ref"], false
	}
	return key, strings.HasPrefix(f.Sort, "-")
}

// orderBy is the ORDER BY of the sort key expression key and the tie-break, both descending when desc. Risks of
// owners with the same name go owner by owner (ownerTie), as ownerRisksAfter reads them.
func orderBy(key string, desc bool) string {
	terms := []string{key, "r.id"}
	if key == riskSorts["owner"] {
		terms = []string{key, ownerTie, "r.id"}
	}
	dir := ""
	if desc {
		dir = " DESC"
	}
	return strings.Join(terms, dir+", ") + dir
}

// ownerTie orders the risks of owners of the same name by owner (reference).
const ownerTie = "COALESCE(p.ref, '')"

// where is the WHERE clause of f. When f.rowByRow, the page reads with the row-by-row conditions and the count
// with the plain ones, which its indexes answer.
func (f RiskFilter) where(tx *Tx, orgID string) where {
	w := f.conditions(tx, orgID, false)
	if f.rowByRow && tx.engine != sqldb.Postgres {
		plain := w.conds
		w = f.conditions(tx, orgID, true)
		w.countConds = plain
	}
	return w
}

// planRisks decides whether a page of f is read row by row (RiskFilter.rowByRow) on SQLite, whose planner, with
// full statistics, reads a score range or a control's risks from their index and sorts them all even when they
// are a tenth of the register or more. Reading in order checks about limit*all/matches rows; reading the
// matches and sorting them costs about matches: the counts (remembered) tell which is less.
func (tx *Tx) planRisks(ctx context.Context, orgID string, f RiskFilter, limit int) (RiskFilter, error) {
	if tx.engine == sqldb.Postgres || f.rowByRow || (f.MinScore == 0 && f.MaxScore == 0 && f.MinResidual == 0 && f.MaxResidual == 0 && f.Control == "") {
		return f, nil
	}
	w := f.where(tx, orgID)
	counts, err := remembered(ctx, tx, orgID, fmt.Sprintf("matches of all\x00%s\x00%q", w.sql(), w.args), func() ([2]int64, error) {
		matches, err := tx.count(ctx, riskFrom, w)
		if err != nil {
			return [2]int64{}, err
		}
		all, err := tx.count(ctx, riskFrom, RiskFilter{}.where(tx, orgID))
		return [2]int64{int64(matches), int64(all)}, err
	})
	f.rowByRow = counts[0]*counts[0] > int64(limit)*counts[1]
	return f, err
}

// conditions builds the WHERE clause of f; rowByRow writes the score ranges (but the sort's own) with a unary +
// and the control as EXISTS, so that SQLite uses no index for them and reads in the sort's order.
func (f RiskFilter) conditions(tx *Tx, orgID string, rowByRow bool) where {
	sortKey, _ := f.order()
	col := func(c string) string {
		if rowByRow && c != sortKey {
			return "+" + c
		}
		return c
	}
	// Every condition names the risks table alone (the owner through a subquery), so the count skips the joins.
	w := where{org: orgID, countFrom: "risks r"}
	w.add("r.org_id = "+tx.stableParam("?"), orgID)
	if f.Owner != "" {
		w.add("r.owner_id = (SELECT id FROM people WHERE org_id = $1 AND ref = ?)", f.Owner)
	}
	if f.Treatment != "" {
		w.add("r.treatment = ?", f.Treatment)
	}
	// The link filters name the organisation as $1 (the first condition), not r.org_id: a subquery that refers to
	// the outer row runs again for every risk, which at 100,000 risks takes minutes.
	if f.Control != "" && rowByRow {
		w.add("EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.risk_id = r.id AND rc.control_id = ? AND rc.org_id = $1)", f.Control)
	} else if f.Control != "" {
		w.add("r.id IN (SELECT risk_id FROM risk_controls WHERE org_id = $1 AND control_id = ?)", f.Control)
	}
	if f.Asset != "" {
		w.add("r.id IN (SELECT ra.risk_id FROM risk_assets ra JOIN assets a ON a.id = ra.asset_id WHERE a.org_id = $1 AND ra.org_id = $1 AND a.ref = ?)", f.Asset)
	}
	for _, c := range []struct {
		cond string
		v    int
	}{{col("r.score") + " >= ?", f.MinScore}, {col("r.score") + " <= ?", f.MaxScore},
		{col("r.residual_score") + " >= ?", f.MinResidual}, {col("r.residual_score") + " <= ?", f.MaxResidual},
		{currentScore + " >= ?", f.MinCurrent}, {currentScore + " <= ?", f.MaxCurrent},
		{"r.likelihood = ?", f.Likelihood}, {"r.impact = ?", f.Impact}, {"r.residual_likelihood = ?", f.ResidualLikelihood}, {"r.residual_impact = ?", f.ResidualImpact}} {
		if c.v > 0 {
			w.add(c.cond, c.v)
		}
	}
	switch f.Accepted {
	case "yes":
		w.conds = append(w.conds, "r.accepted_at IS NOT NULL")
	case "no":
		w.conds = append(w.conds, "r.accepted_at IS NULL")
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		// Both engines answer "contains" from a trigram index (migration 00007) instead of reading every risk.
		pattern := "%" + strings.ToLower(s) + "%"
		if tx.engine == sqldb.Postgres {
			w.add("lower(r.ref || ' ' || r.title || ' ' || r.threat || ' ' || r.vulnerability) LIKE ?", pattern)
		} else {
			w.add("r.rowid IN (SELECT rowid FROM risks_search WHERE text LIKE ?)", pattern)
		}
	}
	return w
}

// ListRisks lists the register with assets and controls (three queries per page, whatever its size); a deep
// page by walking the sort's index (offsetPage).
func (tx *Tx) ListRisks(ctx context.Context, orgID string, f RiskFilter, p Page) (List[isms.Risk], error) {
	p = p.Normalise()
	f, err := tx.planRisks(ctx, orgID, f, p.Limit)
	if err != nil {
		return List[isms.Risk]{}, err
	}
	plain := func(p Page) (List[isms.Risk], error) {
		l, err := listPage(ctx, tx, riskSelect, riskFrom, f.where(tx, orgID), orderBy(f.order()), p,
			func(r *sql.Rows) (isms.Risk, error) { return scanRisk(r) })
		if err != nil {
			return l, err
		}
		return l, tx.loadRiskLinks(ctx, orgID, l.Items)
	}
	key, desc := f.order()
	if key == riskSorts["owner"] {
		return plain(p) // its key is the owner's, from another table
	}
	w := f.where(tx, orgID)
	return offsetPage(p, func() (int, error) { return tx.count(ctx, riskFrom, w) },
		func(offset int) (Cursor, error) {
			return tx.walkKeys(ctx, "SELECT "+key+", r.id FROM "+w.countFrom+w.sql()+" ORDER BY "+orderBy(key, desc), w.args, offset)
		},
		func(c Cursor, n int, _ bool) ([]isms.Risk, []Cursor, error) {
			page, _, err := tx.risksAfter(ctx, orgID, f, c, n, false)
			return page, nil, err
		}, plain)
}

// EachRisk streams every matching risk with its links in the order of the list (f.Sort), a page at a time:
// keyset paging on the sort key and the id (no OFFSET, no count), so an export of 100,000 risks reads each row once.
func (tx *Tx) EachRisk(ctx context.Context, orgID string, f RiskFilter, fn func(isms.Risk) error) error {
	var c Cursor
	for {
		page, keys, err := tx.risksAfter(ctx, orgID, f, c, MaxPageSize, false)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < MaxPageSize {
			return nil
		}
		c = Cursor{keys[len(page)-1], page[len(page)-1].ID}
	}
}

// RiskPage is one page of the register read by keyset, with the cursors of the pages around it.
type RiskPage = Keyset[isms.Risk]

// ListRisksAfter reads the page of the register after cursor (empty: the first page) by keyset: however deep the
// page, it reads only its own rows. The total is the remembered count (see countCache).
func (tx *Tx) ListRisksAfter(ctx context.Context, orgID string, f RiskFilter, cursor string, limit int) (RiskPage, error) {
	return tx.ListRisksKeyset(ctx, orgID, f, Seek{After: cursor, Limit: limit})
}

// ListRisksBefore reads the page of the register that ends just before cursor, by keyset: the page a Previous
// link leads back to. Near the start it is the first page, full.
func (tx *Tx) ListRisksBefore(ctx context.Context, orgID string, f RiskFilter, cursor string, limit int) (RiskPage, error) {
	return tx.ListRisksKeyset(ctx, orgID, f, Seek{Before: cursor, Limit: limit})
}

// ListRisksKeyset reads the page of the register s asks for, by keyset.
func (tx *Tx) ListRisksKeyset(ctx context.Context, orgID string, f RiskFilter, s Seek) (RiskPage, error) {
	f, err := tx.planRisks(ctx, orgID, f, Page{Limit: s.Limit}.Normalise().Limit)
	if err != nil {
		return RiskPage{}, err
	}
	return keysetPage(s, func() (int, error) { return tx.count(ctx, riskFrom, f.where(tx, orgID)) },
		func(c Cursor, n int, backward bool) ([]isms.Risk, []Cursor, error) {
			page, keys, err := tx.risksAfter(ctx, orgID, f, c, n, backward)
			cursors := make([]Cursor, len(page))
			for i, r := range page {
				cursors[i] = Cursor{keys[i], r.ID}
			}
			return page, cursors, err
		})
}

// risksAfter reads up to limit risks after c in the order of f (before c, nearest first, when backward), with
// their links and the sort key of each.
func (tx *Tx) risksAfter(ctx context.Context, orgID string, f RiskFilter, c Cursor, limit int, backward bool) ([]isms.Risk, []any, error) {
	key, desc := f.order()
	if key == riskSorts["owner"] {
		return tx.ownerRisksAfter(ctx, orgID, f, c, limit, desc != backward)
	}
	desc = desc != backward
	w := f.where(tx, orgID)
	if c.ID != "" {
		// After (k, id) come the rows with a key beyond k, and those with key k and an id beyond id.
		cmp, cmpEq := ">", ">="
		if desc {
			cmp, cmpEq = "<", "<="
		}
		w.args = append(w.args, c.Key, c.ID)
		k, id := len(w.args)-1, len(w.args)
		w.conds = append(w.conds, fmt.Sprintf("%[1]s %[2]s $%[4]d AND (%[1]s %[3]s $%[4]d OR r.id %[3]s $%[5]d)", key, cmpEq, cmp, k, id))
	}
	var keys []any
	page, err := tx.queryRisks(ctx, orgID, riskSelect+", "+key+" FROM "+riskFrom+w.sql()+" ORDER BY "+orderBy(key, desc)+fmt.Sprintf(" LIMIT %d", limit), w.args, &keys)
	return page, keys, err
}

// ownerRisksAfter is risksAfter for the sort by owner, descending when desc. A page is read without sorting the
// register: the risks without an owner by id (risks_owner), then the owners in name order (people_sort), each
// with their risks by id (risks_owner again). Descending, the same backwards. A cursor's key is the owner's
// name in lower case, a NUL and the owner's reference; "" for a risk without an owner.
func (tx *Tx) ownerRisksAfter(ctx context.Context, orgID string, f RiskFilter, c Cursor, limit int, desc bool) ([]isms.Risk, []any, error) {
	key, ok := c.Key.(string)
	if c.ID != "" && !ok {
		return nil, nil, badCursor
	}
	name, owner, owned := "", "", false
	if i := strings.LastIndexByte(key, 0); i >= 0 {
		name, owner, owned = key[:i], key[i+1:], true
	}
	cmp, dir := ">", ""
	parts := []bool{false, true} // without an owner, then with one
	if desc {
		cmp, dir, parts = "<", " DESC", []bool{true, false}
	}
	var page []isms.Risk
	var keys []any
	for _, part := range parts {
		if len(page) == limit || (c.ID != "" && owned && !part && !desc) || (c.ID != "" && !owned && part && desc) {
			continue // full, or a part wholly before the cursor
		}
		w := f.where(tx, orgID)
		from, keyCol, order := riskFrom, "''", "r.id"+dir
		if part {
			// CROSS JOIN keeps people the outer loop on SQLite, so the rows come in order from the two indexes.
			from, keyCol = "people p CROSS JOIN risks r", "lower(p.name)"
			w.conds = append(w.conds, "p.org_id = $1", "r.owner_id = p.id")
			order = "lower(p.name)" + dir + ", p.ref" + dir + ", r.id" + dir
		} else {
			w.conds = append(w.conds, "r.owner_id IS NULL")
		}
		if c.ID != "" && part == owned {
			if part {
				w.args = append(w.args, name, owner, c.ID)
				n := len(w.args)
				w.conds = append(w.conds, fmt.Sprintf("lower(p.name) %[1]s= $%[2]d AND (lower(p.name) %[1]s $%[2]d OR p.ref %[1]s $%[3]d OR (p.ref = $%[3]d AND r.id %[1]s $%[4]d))", cmp, n-2, n-1, n))
			} else {
				w.add("r.id "+cmp+" ?", c.ID)
			}
		}
		q := riskSelect + ", " + keyCol + " FROM " + from + w.sql() + " ORDER BY " + order + fmt.Sprintf(" LIMIT %d", limit-len(page))
		var names []any
		more, err := tx.queryRisks(ctx, orgID, q, w.args, &names)
		if err != nil {
			return nil, nil, err
		}
		for i, r := range more {
			k := ""
			if part {
				k = fmt.Sprintf("%s\x00%s", names[i], r.Owner)
			}
			keys = append(keys, k)
		}
		page = append(page, more...)
	}
	return page, keys, nil
}

// queryRisks runs one query of risks and loads their assets and controls. With keys, each row has one more
// column after the risk's own, appended to keys.
func (tx *Tx) queryRisks(ctx context.Context, orgID, q string, args []any, keys *[]any) ([]isms.Risk, error) {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read risks: %w", err)
	}
	defer rows.Close()
	var out []isms.Risk
	for rows.Next() {
		var extra []any
		var key any
		if keys != nil {
			extra = []any{&key}
		}
		r, err := scanRisk(rows, extra...)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
		if keys != nil {
			*keys = append(*keys, key)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // the transaction has one connection: free it for the links query
	return out, tx.loadRiskLinks(ctx, orgID, out)
}

// HeatCell is the number of risks at one likelihood and impact.
type HeatCell struct {
	Likelihood int `json:"likelihood"`
	Impact     int `json:"impact"`
	Count      int `json:"count"`
}

// RiskHeatMap counts risks per cell, inherent or residual (risks without residual values are left out). The
// counts read the whole register (about 20 ms at 100,000 risks), so they are remembered until the
// organisation's trail moves on (see countCache); each caller gets its own copy.
func (tx *Tx) RiskHeatMap(ctx context.Context, orgID string, residual bool) ([]HeatCell, error) {
	cells, err := remembered(ctx, tx, orgID, fmt.Sprintf("heat map %v", residual), func() ([]HeatCell, error) {
		return tx.readHeatMap(ctx, orgID, residual)
	})
	return slices.Clone(cells), err
}

func (tx *Tx) readHeatMap(ctx context.Context, orgID string, residual bool) ([]HeatCell, error) {
	q := "SELECT likelihood, impact, count(*) FROM risks WHERE org_id = $1 GROUP BY likelihood, impact"
	if residual {
		q = "SELECT residual_likelihood, residual_impact, count(*) FROM risks WHERE org_id = $1 AND residual_likelihood > 0 AND residual_impact > 0 GROUP BY residual_likelihood, residual_impact"
	}
	rows, err := tx.tx.QueryContext(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HeatCell
	for rows.Next() {
		var c HeatCell
		if err := rows.Scan(&c.Likelihood, &c.Impact, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddAssessment appends one entry to a risk's history.
func (tx *Tx) AddAssessment(ctx context.Context, orgID string, a isms.RiskAssessment) error {
	return tx.AddAssessments(ctx, orgID, []isms.RiskAssessment{a})
}

// assessmentCols are the columns of a history entry, in the order of assessmentRow.
var assessmentCols = []string{"id", "org_id", "risk_id", "at", "by_name", "likelihood", "impact", "score",
	"residual_likelihood", "residual_impact", "residual_score", "treatment", "note",
	"method_likelihood_levels", "method_impact_levels", "method_scoring", "method_acceptance_threshold", "method_high_threshold"}

func assessmentRow(orgID string, a isms.RiskAssessment) []any {
	m := a.Method
	return []any{NewID(), orgID, a.RiskID, ts(a.At), a.By, a.Likelihood, a.Impact, a.Score, a.ResidualLikelihood, a.ResidualImpact,
		a.ResidualScore, string(a.Treatment), a.Note,
		m.LikelihoodLevels, m.ImpactLevels, string(m.Scoring), m.AcceptanceThreshold, m.HighThreshold}
}

// AddAssessments appends entries to risks' histories in as few statements as the parameter limit allows.
func (tx *Tx) AddAssessments(ctx context.Context, orgID string, list []isms.RiskAssessment) error {
	rows := make([][]any, len(list))
	for i, a := range list {
		rows[i] = assessmentRow(orgID, a)
	}
	if err := tx.insertBatched(ctx, "risk_assessments", assessmentCols, rows); err != nil {
		return fmt.Errorf("record risk history: %w", err)
	}
	return nil
}

// RiskHistory lists a risk's assessments, newest first.
func (tx *Tx) RiskHistory(ctx context.Context, orgID, riskID string) ([]isms.RiskAssessment, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, risk_id, at, by_name, likelihood, impact, score, residual_likelihood, residual_impact,
		residual_score, treatment, note, method_likelihood_levels, method_impact_levels, method_scoring, method_acceptance_threshold,
		method_high_threshold FROM risk_assessments WHERE org_id = $1 AND risk_id = $2 ORDER BY at DESC, id DESC`, orgID, riskID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []isms.RiskAssessment{}
	for rows.Next() {
		var a isms.RiskAssessment
		var at string
		if err := rows.Scan(&a.ID, &a.RiskID, &at, &a.By, &a.Likelihood, &a.Impact, &a.Score, &a.ResidualLikelihood, &a.ResidualImpact,
			&a.ResidualScore, &a.Treatment, &a.Note, &a.Method.LikelihoodLevels, &a.Method.ImpactLevels, &a.Method.Scoring,
			&a.Method.AcceptanceThreshold, &a.Method.HighThreshold); err != nil {
			return nil, err
		}
		if a.At, err = parseTS(at); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RiskScores loads the assessment part of every risk of an organisation in one query: id, ref, levels, scores,
// treatment, acceptance, updated_at and version (the rest of each Risk is left empty). A change of the risk
// method compares it before and after re-scoring.
func (tx *Tx) RiskScores(ctx context.Context, orgID string) ([]isms.Risk, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, ref, likelihood, impact, score, treatment, residual_likelihood, residual_impact, residual_score,
		COALESCE(accepted_by_id, ''), accepted_by_name, accepted_at, acceptance_comment, updated_at, version
		FROM risks WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("read risk scores: %w", err)
	}
	defer rows.Close()
	var out []isms.Risk
	for rows.Next() {
		var r isms.Risk
		var accepted sql.NullString
		var updated string
		if err := rows.Scan(&r.ID, &r.Ref, &r.Likelihood, &r.Impact, &r.Score, &r.Treatment, &r.ResidualLikelihood, &r.ResidualImpact,
			&r.ResidualScore, &r.AcceptedByID, &r.AcceptedBy, &accepted, &r.AcceptanceComment, &updated, &r.Version); err != nil {
			return nil, err
		}
		if r.AcceptedAt, err = parseNullTS(accepted); err != nil {
			return nil, err
		}
		if r.UpdatedAt, err = parseTS(updated); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RescaleRisks moves every risk of an organisation onto new scale sizes with the level maps given
// (old level -> new level, index 0 unused) and recomputes the scores under scoring: two statements, whatever
// the size of the register. The caller records the history (AddAssessments).
func (tx *Tx) RescaleRisks(ctx context.Context, orgID string, lmap, imap []int, scoring isms.Scoring, at time.Time) (int64, error) {
	caseOf := func(col string, m []int) string {
		var b strings.Builder
		b.WriteString("CASE " + col)
		for old := 1; old < len(m); old++ {
			fmt.Fprintf(&b, " WHEN %d THEN %d", old, m[old])
		}
		b.WriteString(" ELSE " + col + " END")
		return b.String()
	}
	op := "*"
	if scoring == isms.ScoreAdd {
		op = "+"
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE risks SET likelihood = `+caseOf("likelihood", lmap)+`, impact = `+caseOf("impact", imap)+`,
		residual_likelihood = `+caseOf("residual_likelihood", lmap)+`, residual_impact = `+caseOf("residual_impact", imap)+`,
		updated_at = $1, version = version + 1 WHERE org_id = $2`, ts(at), orgID)
	if err != nil {
		return 0, fmt.Errorf("rescale risks: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.tx.ExecContext(ctx, `UPDATE risks SET score = likelihood `+op+` impact,
		residual_score = CASE WHEN residual_likelihood > 0 AND residual_impact > 0 THEN residual_likelihood `+op+` residual_impact ELSE 0 END
		WHERE org_id = $1`, orgID); err != nil {
		return 0, fmt.Errorf("rescore risks: %w", err)
	}
	return n, nil
}

// idChunk is how many ids one statement names (well below both engines' parameter limits).
const idChunk = 500

// inIDs runs fn for each chunk of ids with the placeholders "$first, ..." of the chunk and its arguments after
// those already in args.
func inIDs(ids []string, args []any, fn func(in string, args []any) error) error {
	for len(ids) > 0 {
		n := min(idChunk, len(ids))
		a := append([]any(nil), args...)
		ph := make([]string, n)
		for i, id := range ids[:n] {
			a = append(a, id)
			ph[i] = fmt.Sprintf("$%d", len(a))
		}
		if err := fn(strings.Join(ph, ", "), a); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// WithdrawAcceptances clears the acceptance of the risks with the given ids, a statement per 500 of them.
func (tx *Tx) WithdrawAcceptances(ctx context.Context, orgID string, ids []string, at time.Time) error {
	return inIDs(ids, []any{orgID, ts(at)}, func(in string, args []any) error {
		_, err := tx.tx.ExecContext(ctx, `UPDATE risks SET accepted_by_id = NULL, accepted_by_name = '', accepted_at = NULL, acceptance_comment = '',
			updated_at = $2, version = version + 1 WHERE org_id = $1 AND id IN (`+in+`)`, args...)
		if err != nil {
			return fmt.Errorf("withdraw acceptances: %w", err)
		}
		return nil
	})
}

// RiskIDsOfAsset lists the ids of the risks that name an asset, in id order.
func (tx *Tx) RiskIDsOfAsset(ctx context.Context, orgID, assetID string) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT risk_id FROM risk_assets WHERE org_id = $1 AND asset_id = $2 ORDER BY risk_id", orgID, assetID)
	if err != nil {
		return nil, fmt.Errorf("risks of asset: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// TouchRisks records a change made to risks outside their own row (an asset they named was deleted): a new
// version and updated_at, a statement per 500 of them.
func (tx *Tx) TouchRisks(ctx context.Context, orgID string, ids []string, at time.Time) error {
	return inIDs(ids, []any{orgID, ts(at)}, func(in string, args []any) error {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE risks SET updated_at = $2, version = version + 1 WHERE org_id = $1 AND id IN (`+in+`)`, args...); err != nil {
			return fmt.Errorf("touch risks: %w", err)
		}
		return nil
	})
}

// RisksByID loads the risks with the given ids, with their links: three queries per 500 of them.
func (tx *Tx) RisksByID(ctx context.Context, orgID string, ids []string) ([]isms.Risk, error) {
	var out []isms.Risk
	err := inIDs(ids, []any{orgID}, func(in string, args []any) error {
		page, err := tx.queryRisks(ctx, orgID, riskSelect+" FROM "+riskFrom+" WHERE r.org_id = $1 AND r.id IN ("+in+") ORDER BY r.id", args, nil)
		if err != nil {
			return err
		}
		out = append(out, page...)
		return nil
	})
	return out, err
}

// CountRisks counts an organisation's risks.
func (tx *Tx) CountRisks(ctx context.Context, orgID string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM risks WHERE org_id = $1", orgID).Scan(&n)
	return n, err
}
