// Package store holds all SQL. Statements are static and use $N placeholders, which both SQLite (modernc)
// and PostgreSQL (pgx) accept. Every query on organisation data is scoped by org_id.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// Store runs transactions over the database.
type Store struct {
	DB         *sqldb.DB
	auditKey   []byte       // keys the audit hash chain; appending refuses to run without it
	statements atomic.Int64 // statements run so far, for tests that keep N+1 queries out
	counts     countCache
	// readStmts and writeStmts keep SQLite's compiled statements (nil on PostgreSQL, whose driver does it).
	readStmts, writeStmts *stmtCache
	group                 groupCommit
}

// New returns a Store over db.
func New(db *sqldb.DB) *Store {
	s := &Store{DB: db}
	if db != nil && db.Engine == sqldb.SQLite {
		s.readStmts, s.writeStmts = &stmtCache{pool: db.R}, &stmtCache{pool: db.W}
	}
	return s
}

// Tx is one transaction; every query method hangs off it so that a use case is one transaction.
type Tx struct {
	tx       countedTx
	engine   sqldb.Engine
	auditKey []byte
	counts   *countCache
}

// SetAuditKey gives the store the installation's audit subkey (keys.Key.Audit), before any transaction runs.
func (s *Store) SetAuditKey(key []byte) { s.auditKey = key }

// Read runs fn in a read transaction.
func (s *Store) Read(ctx context.Context, fn func(*Tx) error) error {
	err := s.DB.InTx(ctx, false, func(tx *sql.Tx) error { return fn(s.tx(tx, s.readStmts)) })
	s.readStmts.prepareNew(ctx)
	return err
}

// Write runs fn in a write transaction. When it returns nil, fn's changes are committed (on disk: SQLite runs
// with synchronous=FULL). On SQLite, writes that wait for each other share one commit (groupCommit).
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	if s.DB.Engine == sqldb.SQLite {
		return s.group.write(ctx, s, fn)
	}
	return s.DB.InTx(ctx, true, func(tx *sql.Tx) error { return fn(s.tx(tx, s.writeStmts)) })
}

func (s *Store) tx(tx *sql.Tx, stmts *stmtCache) *Tx {
	t := &Tx{tx: countedTx{Tx: tx, n: &s.statements, stmts: stmts}, engine: s.DB.Engine, auditKey: s.auditKey, counts: &s.counts}
	if stmts != nil {
		t.tx.own = &txStmts{}
	}
	return t
}

// Statements returns how many statements the store has run since it was created.
func (s *Store) Statements() int64 { return s.statements.Load() }

// countedTx is the database transaction with every statement counted, run from the compiled statement when
// the pool has one.
type countedTx struct {
	*sql.Tx
	n     *atomic.Int64
	stmts *stmtCache
	own   *txStmts
}

// txStmts are the compiled statements a transaction has bound so far, each bound once however often it runs.
type txStmts struct {
	bound  map[string]*sql.Stmt
	listed map[string]bool // queries whose rows were read through their compiled statement
}

func (t countedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.n.Add(1)
	// A compiled statement runs one query at a time on its connection: rows of the same query nested inside
	// its own loop would reset the outer one, so a query reads rows through it only once per transaction.
	if t.own != nil && !t.own.listed[q] {
		if st := t.prepared(ctx, q, len(args)); st != nil {
			if t.own.listed == nil {
				t.own.listed = map[string]bool{}
			}
			t.own.listed[q] = true
			return st.QueryContext(ctx, args...)
		}
	}
	return t.Tx.QueryContext(ctx, q, args...)
}

func (t countedTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	t.n.Add(1)
	if st := t.prepared(ctx, q, len(args)); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, q, args...)
}

func (t countedTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.n.Add(1)
	if st := t.prepared(ctx, q, len(args)); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, q, args...)
}

// prepared returns q's compiled statement bound to this transaction, or nil when the pool has none yet.
func (t countedTx) prepared(ctx context.Context, q string, args int) *sql.Stmt {
	if t.stmts == nil || t.own == nil || args > maxStmtArgs {
		return nil
	}
	if st, ok := t.own.bound[q]; ok {
		return st
	}
	st := t.stmts.get(q)
	if st == nil {
		return nil
	}
	st = t.Tx.StmtContext(ctx, st)
	if t.own.bound == nil {
		t.own.bound = map[string]*sql.Stmt{}
	}
	t.own.bound[q] = st
	return st
}

// stmtCache keeps the compiled statements of one SQLite pool. The SQLite driver parses and plans every statement
// on every call, which was most of the time of a short API request. A statement is compiled after the
// transaction that first ran it (compiling needs a connection of the pool, and the write pool's only one is busy
// until then); database/sql then compiles it once on each connection that runs it.
type stmtCache struct {
	pool    *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt // nil value: could not be compiled, run it plain
	pending map[string]bool
}

// The cache keeps the statements the code has, not whatever varies with the data: many-row inserts (many
// arguments) are left out, and past maxStmts distinct statements new ones run plain.
const (
	maxStmts    = 512
	maxStmtArgs = 64
)

// get returns q's statement, noting it to be compiled when it is new.
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.stmts[q]
	if !ok && len(c.stmts)+len(c.pending) < maxStmts {
		if c.pending == nil {
			c.pending = map[string]bool{}
		}
		c.pending[q] = true
	}
	return st
}

// prepareNew compiles the statements noted since the last call, outside any transaction.
func (c *stmtCache) prepareNew(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	todo := c.pending
	c.pending = nil
	c.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx) // a request that ended must not leave a statement half noted
	for q := range todo {
		st, err := c.pool.PrepareContext(ctx, q)
		if err != nil {
			st = nil // the statement keeps running plain; its own error shows where it runs
		}
		c.mu.Lock()
		if c.stmts == nil {
			c.stmts = map[string]*sql.Stmt{}
		}
		if _, dup := c.stmts[q]; dup && st != nil {
			st.Close()
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

// NewID returns a new UUIDv7: unique and ordered by creation time.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ts formats a time the way every time is stored.
func ts(t time.Time) string { return t.UTC().Format(isms.TimeFormat) }

// parseTS reads a stored time; a malformed value is a corrupted row, reported as such.
func parseTS(s string) (time.Time, error) {
	t, err := time.Parse(isms.TimeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

func parseNullTS(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTS(s.String)
	return &t, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Page asks for one page of a list.
type Page struct {
	Limit  int
	Offset int
}

// MaxPageSize bounds every list so that no request reads a whole register.
const MaxPageSize = 500

// Normalise applies the defaults: 50 per page, never more than MaxPageSize.
func (p Page) Normalise() Page {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	if p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// List is one page of results with the total that matched.
type List[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// where builds a WHERE clause from conditions, numbering placeholders from 1.
type where struct {
	conds []string
	args  []any
	org   string // the organisation every row belongs to, when its count may be remembered (see countCache)
	// countFrom, when set, is what the count reads instead of the page's FROM: the list's own table, when the
	// conditions name no joined table, so that counting skips the joins.
	countFrom string
	// countConds, when set, are what the count checks instead of conds: the same rows, in a form its indexes serve.
	countConds []string
}

// add appends a condition in which every '?' stands for arg.
func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(w.args))))
}

// repeatArg gives arg once for every '?' mark of cond, for a Filter.Where whose marks all stand for one value.
func repeatArg(cond string, arg any) []any {
	args := make([]any, strings.Count(cond, "?"))
	for i := range args {
		args[i] = arg
	}
	return args
}

// addArgs appends a condition whose '?' marks stand for args, in order.
func (w *where) addArgs(cond string, args []any) {
	parts := strings.Split(cond, "?")
	var b strings.Builder
	for i, part := range parts {
		b.WriteString(part)
		if i < len(parts)-1 {
			w.args = append(w.args, args[i])
			fmt.Fprintf(&b, "$%d", len(w.args))
		}
	}
	w.conds = append(w.conds, b.String())
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// listPage runs a count and a page query over the same filter. selectSQL must end where the WHERE clause begins;
// scan reads one row.
func listPage[T any](ctx context.Context, tx *Tx, selectSQL, from string, w where, orderBy string, p Page, scan func(*sql.Rows) (T, error)) (List[T], error) {
	p = p.Normalise()
	out := List[T]{Items: []T{}, Limit: p.Limit, Offset: p.Offset}
	var err error
	if out.Total, err = tx.count(ctx, from, w); err != nil {
		return out, fmt.Errorf("count %s: %w", from, err)
	}
	args := append(append([]any(nil), w.args...), p.Limit, p.Offset)
	q := fmt.Sprintf("%s FROM %s%s ORDER BY %s LIMIT $%d OFFSET $%d", selectSQL, from, w.sql(), orderBy, len(w.args)+1, len(w.args)+2)
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return out, fmt.Errorf("list %s: %w", from, err)
	}
	defer rows.Close()
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, item)
	}
	return out, rows.Err()
}

// countCache remembers what is read from an organisation's rows (list totals, the audit filter menus) while its
// audit trail stays where it was: every change is audited in its own transaction, so an unchanged chain head
// means unchanged rows, whichever server wrote them. A page of a large register then costs its rows, not a count
// of the whole register.
type countCache struct {
	mu sync.Mutex
	m  map[string]cachedCount
}

type cachedCount struct {
	head string
	v    any
}

// maxCachedCounts bounds the cache; when full it starts again empty.
const maxCachedCounts = 4096

// count counts the rows of from matching w, from the cache when w names its organisation and nothing changed.
func (tx *Tx) count(ctx context.Context, from string, w where) (int, error) {
	if w.countFrom != "" {
		from = w.countFrom
	}
	if w.countConds != nil {
		w.conds = w.countConds
	}
	q := "SELECT count(*) FROM " + from + w.sql()
	load := func() (int, error) {
		var n int
		err := tx.tx.QueryRowContext(ctx, q, w.args...).Scan(&n)
		return n, err
	}
	if w.org == "" {
		return load()
	}
	return remembered(ctx, tx, w.org, fmt.Sprintf("%s\x00%q", q, w.args), load)
}

// remembered returns what load reads for key in organisation orgID, from the cache while the organisation's
// audit head has not moved since it was read.
func remembered[V any](ctx context.Context, tx *Tx, orgID, key string, load func() (V, error)) (V, error) {
	if tx.counts == nil {
		return load()
	}
	_, head, err := tx.AuditHead(ctx, orgID)
	if err != nil {
		var zero V
		return zero, err
	}
	key = orgID + "\x00" + key
	c := tx.counts
	c.mu.Lock()
	hit, ok := c.m[key]
	c.mu.Unlock()
	if ok && hit.head == head {
		return hit.v.(V), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedCounts {
		c.m = map[string]cachedCount{}
	}
	c.m[key] = cachedCount{head, v}
	c.mu.Unlock()
	return v, nil
}

// rememberedLast returns the value last remembered for key in organisation orgID, whatever the audit head was
// then: for a read that can bring an older value up to date instead of starting again.
func rememberedLast[V any](tx *Tx, orgID, key string) (V, bool) {
	var zero V
	if tx.counts == nil {
		return zero, false
	}
	tx.counts.mu.Lock()
	hit, ok := tx.counts.m[orgID+"\x00"+key]
	tx.counts.mu.Unlock()
	if !ok {
		return zero, false
	}
	v, ok := hit.v.(V)
	return v, ok
}

// isUniqueViolation recognises a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505") || strings.Contains(m, "duplicate key")
}

// notFound maps sql.ErrNoRows to a NotFound error naming what was looked for.
func notFound(err error, what string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return isms.NotFound(what+" not found", args...)
	}
	return fmt.Errorf("load "+what+": %w", append(args, err)...)
}

// checkUpdated turns "no row changed" into a stale-version Conflict (NotFound when the row is gone, Invalid when
// no version was sent).
func (tx *Tx) checkUpdated(ctx context.Context, res sql.Result, table, orgID, id, entity, ref string, version int) error {
	return tx.checkUpdatedBy(ctx, res, table, "id", orgID, id, entity, ref, version)
}

// checkUpdatedBy is checkUpdated for a table whose rows are keyed by idCol.
func (tx *Tx) checkUpdatedBy(ctx context.Context, res sql.Result, table, idCol, orgID, id, entity, ref string, version int) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var one int
	err = tx.tx.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE "+idCol+" = $1 AND org_id = $2", id, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return isms.NotFound("%s %s not found", entity, ref)
	}
	return isms.VersionMismatch(entity, ref, version)
}

// NextRef hands out the next human reference for kind, e.g. NextRef(ctx, org, "P") = "P-004".
func (tx *Tx) NextRef(ctx context.Context, orgID, kind string) (string, error) {
	var n int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO counters (org_id, name, value) VALUES ($1, $2, 1)
		ON CONFLICT (org_id, name) DO UPDATE SET value = counters.value + 1 RETURNING value`, orgID, kind).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("next %s reference: %w", kind, err)
	}
	return fmt.Sprintf("%s-%03d", kind, n), nil
}
