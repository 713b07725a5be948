package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The register kit. A register (assets, people, later risks, documents, tasks ...) declares once, in a
// Register value, its table, its columns and how each maps to the Go struct T, the references it joins
// (owner -> people), the filters of its list with the filter struct F, its sorts and its search columns.
// Select, scan, insert, versioned update, keyed list, keyset iteration, bulk insert and filter validation
// derive from that declaration, so that a new field is one line here and a new register one declaration.

// Column is one column of a register's table and the field of T it holds.
type Column[T any] struct {
	Name       string // column name in the table (a joined column: its expression)
	insertOnly bool
	joined     bool         // read from a joined table, never written
	dest       func(*T) any // where a scan puts the value
	value      func(*T) any // what a write stores
}

// InsertOnly marks a column written when the row is created and never updated (created_at).
func (c Column[T]) InsertOnly() Column[T] { c.insertOnly = true; return c }

// JoinedInt is an integer read from a table a Reference joins (its alias and column, "co.recurrence_months"):
// selected with every row, never written. A rule that needs a fact of the row it names (a course's recurrence
// for a training record's expiry) reads it here rather than with a query per row.
func JoinedInt[T any](expr string, f func(*T) *int) Column[T] {
	return Column[T]{Name: "COALESCE(" + expr + ", 0)", joined: true, dest: func(r *T) any { return f(r) }}
}

// Text is a TEXT column held in a string field.
func Text[T any](name string, f func(*T) *string) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return f(r) }, value: func(r *T) any { return *f(r) }}
}

// OptText is a nullable TEXT column: an empty string is stored as NULL and NULL reads as "".
func OptText[T any](name string, f func(*T) *string) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return nullText{f(r)} }, value: func(r *T) any { return nullString(*f(r)) }}
}

// Int is an INTEGER column held in an int field.
func Int[T any](name string, f func(*T) *int) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return f(r) }, value: func(r *T) any { return *f(r) }}
}

// Time is a time column stored as fixed-width UTC text (isms.TimeFormat).
func Time[T any](name string, f func(*T) *time.Time) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return timeText{f(r)} }, value: func(r *T) any { return ts(*f(r)) }}
}

// OptTime is a nullable time column held in a *time.Time field: nil is stored as NULL.
func OptTime[T any](name string, f func(*T) **time.Time) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return optTime{f(r)} }, value: func(r *T) any {
		if t := *f(r); t != nil {
			return ts(*t)
		}
		return nil
	}}
}

// JSON is a TEXT column holding a field of any type V as JSON; an empty column reads as V's zero value, and a
// zero V (nil map or pointer) is stored as "".
func JSON[T, V any](name string, f func(*T) *V) Column[T] {
	return Column[T]{Name: name, dest: func(r *T) any { return jsonValue[V]{f(r)} }, value: func(r *T) any {
		b, err := json.Marshal(*f(r))
		if err != nil || string(b) == "null" {
			return ""
		}
		return string(b)
	}}
}

// jsonValue scans a JSON text column into a V.
type jsonValue[V any] struct{ v *V }

func (x jsonValue[V]) Scan(src any) error {
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return err
	}
	var zero V
	*x.v = zero
	if s.String == "" {
		return nil
	}
	return json.Unmarshal([]byte(s.String), x.v)
}

// optTime scans a nullable stored time into a *time.Time.
type optTime struct{ t **time.Time }

func (x optTime) Scan(src any) error {
	var v sql.NullString
	if err := v.Scan(src); err != nil {
		return err
	}
	t, err := parseNullTS(v)
	*x.t = t
	return err
}

// nullText scans a nullable text column into a string.
type nullText struct{ s *string }

func (n nullText) Scan(src any) error {
	var v sql.NullString
	if err := v.Scan(src); err != nil {
		return err
	}
	*n.s = v.String
	return nil
}

// timeText scans a stored time into a time.Time.
type timeText struct{ t *time.Time }

func (x timeText) Scan(src any) error {
	var v sql.NullString
	if err := v.Scan(src); err != nil {
		return err
	}
	t, err := parseTS(v.String)
	*x.t = t
	return err
}

// Reference is a column holding the id of a row of another table (owner_id -> people), with the reference
// and name of that row brought back by every select. The join checks org_id on both sides, so that a crafted
// restore cannot link rows of two organisations.
type Reference[T any] struct {
	Column string // the id column in the register's table, e.g. owner_id
	Target Lookup // the table it points into
	Alias  string // the target's alias in selects, e.g. p
	// ID, Ref and Name are the fields of T that hold the target's id, reference and name.
	ID, Ref, Name func(*T) *string
}

// Lookup is a table that other registers refer to: how a user's words (a reference, a name, an email)
// resolve to one of its rows.
type Lookup struct {
	Table string
	Name  string   // the column shown as the row's name
	Match []string // further lower-case columns a value may match after the reference, in order (name, email)
}

// Target is one row a reference resolved to.
type Target struct {
	ID, Ref, Name string
}

// FilterKind says what values a filter takes, so that every door validates and describes it the same way.
type FilterKind int

const (
	FilterText FilterKind = iota // any text, compared as given
	FilterEnum                   // one of Values
	FilterRef                    // a reference of another register (P-001)
	FilterBool                   // "yes" or "no"; Cond is the "yes" condition
)

// Filter is one filter of a register's list, held in a field of the filter struct F.
type Filter[F any] struct {
	Name   string // query parameter, CLI flag and field name in errors
	Kind   FilterKind
	Values []string // the allowed values of an enum
	Cond   string   // SQL condition; every ? stands for the value (FilterBool: none)
	Doc    string   // one line for help texts
	Field  func(*F) *string
	// Where, when set, replaces Cond: it gives the condition and the values of its ? marks in order, from the
	// value and the whole filter, for a condition that depends on the value's meaning (leavers=open-access) or on
	// what the service fills in rather than the caller types (today, the signed-in user's person). A yes/no
	// filter's Where gives the condition of "yes".
	Where func(f *F, v string) (cond string, args []any)
}

// Sort is one order of a register's list. Expr must never be NULL (use COALESCE), so that keyset paging
// compares every row.
type Sort struct {
	Name string
	Expr string
}

// ListColumn is one column of a register's list as a table shows it (the CLI's list and show): the header, the
// width a cell is cut to in a terminal (0: the default) and the cell of a row. Table, CSV and JSON output take
// the columns from here, so that a column added to the list is one line.
type ListColumn[T any] struct {
	Header string
	Width  int
	Value  func(*T) string
}

// IntCell is n as a list cell: empty for 0, which means not assessed.
func IntCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Register declares one register over table Table (alias Alias) with rows T and filter struct F.
type Register[T, F any] struct {
	Entity string // what a row is called in messages (asset, person)
	Table  string
	Alias  string
	// Key, when set, is the one column that is both the row's id and its reference within the organisation (a
	// natural key such as soa_entries.control_id); otherwise the table has id and ref columns.
	Key     string
	ID, Ref func(*T) *string
	Version func(*T) *int
	Columns []Column[T]
	Refs    []Reference[T]
	// ListColumns are the columns of the register's list in a table, in order.
	ListColumns []ListColumn[T]
	Filters     []Filter[F]
	Sorts       []Sort   // the first is the default
	Search      []string // expressions searched (lower-case) by the search text
	// SearchDoc says what the search text matches, for help texts ("name, email or job title contains").
	SearchDoc string
	// SearchOf and SortOf are the fields of F that hold the search text and the sort key ("-name" descends).
	SearchOf, SortOf func(*F) *string
	// Load, when set, completes rows read from the table with what lives in other tables (link tables), one
	// query for all of them: Get, GetMany, List and Each call it once per read.
	Load func(ctx context.Context, tx *Tx, orgID string, rows []T) error
	// Save, when set, writes that part of a row after Insert and Update (not InsertMany).
	Save func(ctx context.Context, tx *Tx, orgID string, row *T) error
}

// load runs Load over rows, when the register declares it.
func (r *Register[T, F]) load(ctx context.Context, tx *Tx, orgID string, rows []T) error {
	if r.Load == nil || len(rows) == 0 {
		return nil
	}
	return r.Load(ctx, tx, orgID, rows)
}

// save runs Save for row, when the register declares it.
func (r *Register[T, F]) save(ctx context.Context, tx *Tx, orgID string, row *T) error {
	if r.Save == nil {
		return nil
	}
	return r.Save(ctx, tx, orgID, row)
}

func (r *Register[T, F]) col(c string) string { return r.Alias + "." + c }

// idCol and refCol are the columns of the row's id and reference.
func (r *Register[T, F]) idCol() string {
	if r.Key != "" {
		return r.Key
	}
	return "id"
}

func (r *Register[T, F]) refCol() string {
	if r.Key != "" {
		return r.Key
	}
	return "ref"
}

// keyCols are the leading columns of a new row: id, org_id and ref, or the key and org_id.
func (r *Register[T, F]) keyCols(row *T, orgID string) (cols []string, vals []any) {
	if r.Key != "" {
		return []string{r.Key, "org_id"}, []any{*r.ID(row), orgID}
	}
	return []string{"id", "org_id", "ref"}, []any{*r.ID(row), orgID, *r.Ref(row)}
}

// selectSQL is "SELECT ..." of every column, in the order of dests.
func (r *Register[T, F]) selectSQL() string {
	cols := []string{r.col(r.idCol()), r.col(r.refCol())}
	for _, c := range r.Columns {
		if c.joined {
			cols = append(cols, c.Name)
		} else {
			cols = append(cols, r.col(c.Name))
		}
	}
	for _, ref := range r.Refs {
		cols = append(cols, "COALESCE("+r.col(ref.Column)+", '')", "COALESCE("+ref.Alias+".ref, '')", "COALESCE("+ref.Alias+"."+ref.Target.Name+", '')")
	}
	return "SELECT " + strings.Join(append(cols, r.col("version")), ", ")
}

func (r *Register[T, F]) from() string {
	var b strings.Builder
	b.WriteString(r.Table + " " + r.Alias)
	for _, ref := range r.Refs {
		fmt.Fprintf(&b, " LEFT JOIN %[1]s %[2]s ON %[2]s.id = %[3]s AND %[2]s.org_id = %[4]s", ref.Target.Table, ref.Alias, r.col(ref.Column), r.col("org_id"))
	}
	return b.String()
}

// dests are the scan destinations of a row of selectSQL, then extra.
func (r *Register[T, F]) dests(row *T, extra ...any) []any {
	d := []any{r.ID(row), r.Ref(row)}
	for _, c := range r.Columns {
		d = append(d, c.dest(row))
	}
	for _, ref := range r.Refs {
		d = append(d, ref.ID(row), ref.Ref(row), ref.Name(row))
	}
	return append(append(d, r.Version(row)), extra...)
}

func (r *Register[T, F]) scan(row interface{ Scan(...any) error }, extra ...any) (T, error) {
	var out T
	err := row.Scan(r.dests(&out, extra...)...)
	return out, err
}

// insertCols and insertRow are the columns and values of a new row (version 1).
func (r *Register[T, F]) insertCols() []string {
	var zero T
	cols, _ := r.keyCols(&zero, "")
	for _, c := range r.Columns {
		if !c.joined {
			cols = append(cols, c.Name)
		}
	}
	for _, ref := range r.Refs {
		cols = append(cols, ref.Column)
	}
	return append(cols, "version")
}

func (r *Register[T, F]) insertRow(orgID string, row *T) []any {
	_, vals := r.keyCols(row, orgID)
	for _, c := range r.Columns {
		if !c.joined {
			vals = append(vals, c.value(row))
		}
	}
	for _, ref := range r.Refs {
		vals = append(vals, nullString(*ref.ID(row)))
	}
	return append(vals, 1)
}

// Get loads one row by reference or id.
func (r *Register[T, F]) Get(ctx context.Context, tx *Tx, orgID, ref string) (T, error) {
	q := r.selectSQL() + " FROM " + r.from() + " WHERE " + r.col("org_id") + " = $1 AND (" + r.col(r.refCol()) + " = $2 OR " + r.col(r.idCol()) + " = $2)"
	out, err := r.scan(tx.tx.QueryRowContext(ctx, q, orgID, ref))
	if err != nil {
		return out, notFound(err, r.Entity+" %s", ref)
	}
	one := []T{out}
	err = r.load(ctx, tx, orgID, one)
	return one[0], err
}

// GetMany loads the rows with the given references (any case), keyed by their reference, with one scoped query
// per lookupChunk references; unknown references are missing from the map. Imports use it to find the rows a
// file names at once.
func (r *Register[T, F]) GetMany(ctx context.Context, tx *Tx, orgID string, refs []string) (map[string]T, error) {
	seen := map[string]bool{}
	var keys []any
	for _, ref := range refs {
		if k := strings.ToUpper(strings.TrimSpace(ref)); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	out := make(map[string]T, len(keys))
	for len(keys) > 0 {
		chunk := keys[:min(lookupChunk, len(keys))]
		keys = keys[len(chunk):]
		q := r.selectSQL() + " FROM " + r.from() + " WHERE " + r.col("org_id") + " = $1 AND " + r.col(r.refCol()) + " IN (" + placeholders(2, len(chunk)) + ")"
		rows, err := r.query(ctx, tx, q, append([]any{orgID}, chunk...))
		if err == nil {
			err = r.load(ctx, tx, orgID, rows)
		}
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			out[*r.Ref(&row)] = row
		}
	}
	return out, nil
}

// Insert adds row (its ID and Ref already set) at version 1.
func (r *Register[T, F]) Insert(ctx context.Context, tx *Tx, orgID string, row *T) error {
	cols := r.insertCols()
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO "+r.Table+" ("+strings.Join(cols, ", ")+") VALUES ("+placeholders(1, len(cols))+")",
		r.insertRow(orgID, row)...)
	if isUniqueViolation(err) {
		return isms.Conflict("%s %s exists already", r.Entity, *r.Ref(row))
	}
	if err != nil {
		return fmt.Errorf("insert %s: %w", r.Entity, err)
	}
	*r.Version(row) = 1
	return r.save(ctx, tx, orgID, row)
}

// InsertMany adds rows in as few multi-row statements as the parameter limit allows.
func (r *Register[T, F]) InsertMany(ctx context.Context, tx *Tx, orgID string, rows []T) error {
	vals := make([][]any, len(rows))
	for i := range rows {
		vals[i] = r.insertRow(orgID, &rows[i])
		*r.Version(&rows[i]) = 1
	}
	if err := tx.insertBatched(ctx, r.Table, r.insertCols(), vals); err != nil {
		return fmt.Errorf("insert %s rows: %w", r.Entity, err)
	}
	return nil
}

// Update saves row if its stored version is still row's Version, and then counts the version up. A stale
// version is a Conflict, a missing one Invalid, a vanished row NotFound; nothing changes in each case.
func (r *Register[T, F]) Update(ctx context.Context, tx *Tx, orgID string, row *T) error {
	var set []string
	var args []any
	for _, c := range r.Columns {
		if !c.insertOnly && !c.joined {
			args = append(args, c.value(row))
			set = append(set, fmt.Sprintf("%s = $%d", c.Name, len(args)))
		}
	}
	for _, ref := range r.Refs {
		args = append(args, nullString(*ref.ID(row)))
		set = append(set, fmt.Sprintf("%s = $%d", ref.Column, len(args)))
	}
	id, version := *r.ID(row), *r.Version(row)
	args = append(args, orgID, id, version)
	n := len(args)
	res, err := tx.tx.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s, version = version + 1 WHERE org_id = $%d AND %s = $%d AND version = $%d",
		r.Table, strings.Join(set, ", "), n-2, r.idCol(), n-1, n), args...)
	if err != nil {
		return fmt.Errorf("update %s: %w", r.Entity, err)
	}
	if err := tx.checkUpdatedBy(ctx, res, r.Table, r.idCol(), orgID, id, r.Entity, *r.Ref(row), version); err != nil {
		return err
	}
	*r.Version(row) = version + 1
	return r.save(ctx, tx, orgID, row)
}

// Delete removes one row by id.
func (r *Register[T, F]) Delete(ctx context.Context, tx *Tx, orgID, id string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM "+r.Table+" WHERE org_id = $1 AND "+r.idCol()+" = $2", orgID, id)
	return err
}

// Check validates the filter values of f: an enum must be one of its values, a yes/no filter yes or no.
// It is the one place every door's filter input is checked.
func (r *Register[T, F]) Check(f F) error {
	var p isms.Problems
	for _, flt := range r.Filters {
		v := *flt.Field(&f)
		switch {
		case v == "":
		case flt.Kind == FilterEnum && !isms.OneOf(v, flt.Values):
			p.Add(flt.Name, "must be one of %s", strings.Join(flt.Values, ", "))
		case flt.Kind == FilterBool && v != "yes" && v != "no":
			p.Add(flt.Name, "must be yes or no")
		}
	}
	return p.Err()
}

// Parse reads a filter from named values (a query string, a form): the search text under searchKey, the order
// under "sort" and every filter under its name; then checks it. Every door reads its filters this way.
func (r *Register[T, F]) Parse(searchKey string, get func(name string) string) (F, error) {
	var f F
	*r.SearchOf(&f) = strings.TrimSpace(get(searchKey))
	*r.SortOf(&f) = strings.TrimSpace(get("sort"))
	for _, flt := range r.Filters {
		*flt.Field(&f) = strings.TrimSpace(get(flt.Name))
	}
	return f, r.Check(f)
}

// Values is f as query values (the inverse of Parse), leaving out empty ones: links keep the filter.
func (r *Register[T, F]) Values(searchKey string, f F) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set(searchKey, *r.SearchOf(&f))
	for _, flt := range r.Filters {
		set(flt.Name, *flt.Field(&f))
	}
	set("sort", *r.SortOf(&f))
	return v
}

// Filtered reports whether f narrows the list (the order is not a filter).
func (r *Register[T, F]) Filtered(f F) bool {
	v := r.Values("search", f)
	v.Del("sort")
	return len(v) > 0
}

// SortNames are the sort keys of the list, the default first.
func (r *Register[T, F]) SortNames() []string {
	out := make([]string, len(r.Sorts))
	for i, s := range r.Sorts {
		out[i] = s.Name
	}
	return out
}

// where is the WHERE clause of f in orgID.
func (r *Register[T, F]) where(orgID string, f *F) where {
	var w where
	w.add(r.col("org_id")+" = ?", orgID)
	for _, flt := range r.Filters {
		v := *flt.Field(f)
		switch {
		case v == "":
		case flt.Where != nil:
			cond, args := flt.Where(f, v)
			if flt.Kind == FilterBool && v != "yes" {
				cond = "NOT (" + cond + ")"
			}
			w.addArgs(cond, args)
		case flt.Kind == FilterBool && v == "yes":
			w.conds = append(w.conds, flt.Cond)
		case flt.Kind == FilterBool:
			w.conds = append(w.conds, "NOT ("+flt.Cond+")")
		default:
			w.add(flt.Cond, v)
		}
	}
	if s := strings.TrimSpace(*r.SearchOf(f)); s != "" && len(r.Search) > 0 {
		like := make([]string, len(r.Search))
		for i, e := range r.Search {
			like[i] = e + " LIKE ?"
		}
		w.add("("+strings.Join(like, " OR ")+")", "%"+strings.ToLower(s)+"%")
	}
	return w
}

// order is the sort expression of f's sort key (the first sort for an unknown one) and its direction.
func (r *Register[T, F]) order(f *F) (expr string, desc bool) {
	key := *r.SortOf(f)
	name := strings.TrimPrefix(key, "-")
	for _, s := range r.Sorts {
		if s.Name == name {
			return s.Expr, strings.HasPrefix(key, "-")
		}
	}
	return r.Sorts[0].Expr, false
}

// orderBy orders by the sort key, ties by id: the list and the keyset iteration agree.
func (r *Register[T, F]) orderBy(f *F) string {
	expr, desc := r.order(f)
	if desc {
		return expr + " DESC, " + r.col(r.idCol())
	}
	return expr + ", " + r.col(r.idCol())
}

// List is one page of the rows matching f, in f's order, with the total that matched.
func (r *Register[T, F]) List(ctx context.Context, tx *Tx, orgID string, f F, p Page) (List[T], error) {
	if err := r.Check(f); err != nil {
		return List[T]{Items: []T{}}, err
	}
	out, err := listPage(ctx, tx, r.selectSQL(), r.from(), r.where(orgID, &f), r.orderBy(&f), p,
		func(rows *sql.Rows) (T, error) { return r.scan(rows) })
	if err == nil {
		err = r.load(ctx, tx, orgID, out.Items)
	}
	return out, err
}

// Each streams every row matching f in f's order, MaxPageSize rows per query: keyset paging on the sort key
// and the id (no OFFSET, no count), so that an export reads each row once however long the register.
func (r *Register[T, F]) Each(ctx context.Context, tx *Tx, orgID string, f F, fn func(T) error) error {
	if err := r.Check(f); err != nil {
		return err
	}
	expr, desc := r.order(&f)
	cmp, cmpEq := ">", ">="
	if desc {
		cmp, cmpEq = "<", "<="
	}
	var lastKey any
	lastID := ""
	for {
		w := r.where(orgID, &f)
		if lastID != "" {
			// After (k, id) come the rows with a key beyond k, and those with key k and a greater id.
			w.args = append(w.args, lastKey, lastID)
			k, id := len(w.args)-1, len(w.args)
			w.conds = append(w.conds, fmt.Sprintf("%[1]s %[2]s $%[4]d AND (%[1]s %[3]s $%[4]d OR %[5]s > $%[6]d)", expr, cmpEq, cmp, k, r.col(r.idCol()), id))
		}
		q := r.selectSQL() + ", " + expr + " FROM " + r.from() + w.sql() + " ORDER BY " + r.orderBy(&f) + fmt.Sprintf(" LIMIT %d", MaxPageSize)
		page, err := r.query(ctx, tx, q, w.args, &lastKey)
		if err == nil {
			err = r.load(ctx, tx, orgID, page)
		}
		if err != nil {
			return err
		}
		for _, row := range page {
			if err := fn(row); err != nil {
				return err
			}
		}
		if len(page) < MaxPageSize {
			return nil
		}
		lastID = *r.ID(&page[len(page)-1])
	}
}

// query reads every row of q; extra receives the columns after the row's own, of the last row.
func (r *Register[T, F]) query(ctx context.Context, tx *Tx, q string, args []any, extra ...any) ([]T, error) {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s rows: %w", r.Entity, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		row, err := r.scan(rows, extra...)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// lookupChunk is how many values one resolving query names (twice: upper- and lower-cased).
const lookupChunk = 300

// Resolve finds the rows of l that values name, with one scoped query per 300 distinct values: a value
// matches a reference (any case), else the first Match column (lower-case), and so on; among rows of the same
// name the lowest reference wins. The map is keyed by the lower-cased value; unknown values are missing.
func (tx *Tx) Resolve(ctx context.Context, orgID string, l Lookup, values []string) (map[string]Target, error) {
	seen := map[string]bool{}
	var keys []string
	for _, v := range values {
		k := strings.ToLower(strings.TrimSpace(v))
		if k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	out := make(map[string]Target, len(keys))
	rank := map[string]int{} // how the value matched: 0 by reference, 1+ by Match[i-1]
	for len(keys) > 0 {
		chunk := keys[:min(lookupChunk, len(keys))]
		keys = keys[len(chunk):]
		args := []any{orgID}
		for _, k := range chunk {
			args = append(args, strings.ToUpper(k))
		}
		if len(l.Match) > 0 { // PostgreSQL refuses arguments that no placeholder uses
			for _, k := range chunk {
				args = append(args, k)
			}
		}
		upper, lower := placeholders(2, len(chunk)), placeholders(2+len(chunk), len(chunk))
		cond := []string{"ref IN (" + upper + ")"}
		for _, m := range l.Match {
			cond = append(cond, m+" IN ("+lower+")")
		}
		q := "SELECT id, ref, " + l.Name + ", " + strings.Join(append([]string{"lower(ref)"}, l.Match...), ", ") + " FROM " + l.Table +
			" WHERE org_id = $1 AND (" + strings.Join(cond, " OR ") + ") ORDER BY ref"
		rows, err := tx.tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", l.Table, err)
		}
		for rows.Next() {
			var t Target
			keysOf := make([]sql.NullString, 1+len(l.Match))
			dest := []any{&t.ID, &t.Ref, &t.Name}
			for i := range keysOf {
				dest = append(dest, &keysOf[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, err
			}
			for i, k := range keysOf {
				if !seen[k.String] {
					continue
				}
				if prev, ok := rank[k.String]; !ok || i < prev {
					out[k.String], rank[k.String] = t, i
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// placeholders is "$from, $from+1, ..." for n values.
func placeholders(from, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ph, ", ")
}
