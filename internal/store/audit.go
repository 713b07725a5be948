package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

const auditCols = "id, org_id, seq, at, actor_id, actor, via, action, entity, entity_id, ref, before_json, after_json, prev_hash, hash"

func scanAudit(row interface{ Scan(...any) error }) (isms.AuditEvent, error) {
	var e isms.AuditEvent
	var at, before, after string
	if err := row.Scan(&e.ID, &e.OrgID, &e.Seq, &at, &e.ActorID, &e.Actor, &e.Via, &e.Action, &e.Entity, &e.EntityID, &e.Ref,
		&before, &after, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	if before != "" {
		e.Before = []byte(before)
	}
	if after != "" {
		e.After = []byte(after)
	}
	var err error
	e.At, err = parseTS(at)
	return e, err
}

// auditHash is the one place the store hashes an event: keyed, or not at all.
func (tx *Tx) auditHash(e *isms.AuditEvent) (string, error) {
	if len(tx.auditKey) == 0 {
		return "", errors.New("no audit key: the installation key was not loaded")
	}
	return e.ComputeHash(tx.auditKey), nil
}

// AppendAudit adds e to its organisation's hash chain. ID, Seq, PrevHash and Hash are set here.
func (tx *Tx) AppendAudit(ctx context.Context, e *isms.AuditEvent) error {
	return tx.AppendAuditBatch(ctx, e.OrgID, []*isms.AuditEvent{e})
}

// lockAuditHead reads an organisation's chain head (the organisation row) and, on PostgreSQL, locks it until
// the transaction ends, so that appends, even from several servers, follow one another. Every append takes
// this one lock, so one transaction may append several times. (SQLite has one writer at a time: the write
// transaction already serialises appends.)
func (tx *Tx) lockAuditHead(ctx context.Context, orgID string) (seq int64, head string, err error) {
	q := "SELECT audit_seq, audit_head FROM organisations WHERE id = " + tx.stableParam("$1")
	if tx.engine == sqldb.Postgres {
		// NO KEY UPDATE, not UPDATE: a use case has usually inserted a row referencing the organisation already,
		// which holds a KEY SHARE lock on it. FOR UPDATE conflicts with KEY SHARE, so two such writers would each
		// wait for the other's KEY SHARE: a deadlock. NO KEY UPDATE conflicts only with other appenders.
		q += " FOR NO KEY UPDATE"
	}
	if err := tx.tx.QueryRowContext(ctx, q, orgID).Scan(&seq, &head); err != nil {
		return 0, "", notFound(err, "organisation %s", orgID)
	}
	return seq, head, nil
}

// AuditFilter narrows the audit trail. Empty fields match everything.
type AuditFilter struct {
	Entity   string
	EntityID string
	Actor    string // email
	Action   string
	Ref      string
	From, To time.Time // To is exclusive
}

func (f AuditFilter) where(orgID string) where {
	w := where{org: orgID} // the total is remembered while nothing changes (countCache)
	w.add("org_id = ?", orgID)
	if f.Entity != "" {
		w.add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		w.add("entity_id = ?", f.EntityID)
	}
	if f.Actor != "" {
		w.add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.Ref != "" {
		w.add("ref = ?", f.Ref)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", ts(f.From))
	}
	if !f.To.IsZero() {
		w.add("at < ?", ts(f.To))
	}
	return w
}

// ListAudit lists events newest first; a deep page by walking the trail's index (offsetPage).
func (tx *Tx) ListAudit(ctx context.Context, orgID string, f AuditFilter, p Page) (List[isms.AuditEvent], error) {
	w := f.where(orgID)
	return offsetPage(p, func() (int, error) { return tx.count(ctx, "audit_events", w) },
		func(offset int) (Cursor, error) {
			if f == (AuditFilter{}) {
				return tx.auditAtOffset(ctx, orgID, offset)
			}
			return tx.walkKeys(ctx, "SELECT seq, id FROM audit_events"+w.sql()+" ORDER BY seq DESC", w.args, offset)
		},
		func(c Cursor, n int, backward bool) ([]isms.AuditEvent, []Cursor, error) {
			return tx.auditAfter(ctx, orgID, f, c, n, backward)
		},
		func(p Page) (List[isms.AuditEvent], error) {
			return listPage(ctx, tx, "SELECT "+auditCols, "audit_events", w, "seq DESC", p,
				func(r *sql.Rows) (isms.AuditEvent, error) { return scanAudit(r) })
		})
}

// auditAtOffset finds the event at offset (newest first) of a whole trail. Its sequence numbers are distinct, so
// when there are as many events as numbers from the lowest to the highest, none is missing and the event at
// offset n has the highest number less n: two index reads instead of walking a million entries. Otherwise
// (events removed by hand, a partial restore) it walks them.
func (tx *Tx) auditAtOffset(ctx context.Context, orgID string, offset int) (Cursor, error) {
	w := AuditFilter{}.where(orgID)
	n, err := tx.count(ctx, "audit_events", w) // remembered: the page has just counted it
	if err != nil {
		return Cursor{}, err
	}
	var lo, hi int64
	// Two subqueries: SQLite reads a lone min() or max() from the end of the index, but both in one SELECT scan it.
	err = tx.tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT min(seq) FROM audit_events WHERE org_id = $1), 0),
		COALESCE((SELECT max(seq) FROM audit_events WHERE org_id = $1), 0)`, orgID).Scan(&lo, &hi)
	if err != nil {
		return Cursor{}, err
	}
	if n > 0 && hi-lo+1 == int64(n) {
		var c Cursor
		err := tx.tx.QueryRowContext(ctx, "SELECT seq, id FROM audit_events WHERE org_id = $1 AND seq = $2", orgID, hi-int64(offset)).Scan(&c.Key, &c.ID)
		return c, err
	}
	return tx.walkKeys(ctx, "SELECT seq, id FROM audit_events"+w.sql()+" ORDER BY seq DESC", w.args, offset)
}

// AuditPage is one page of the trail read by keyset, newest first.
type AuditPage = Keyset[isms.AuditEvent]

// ListAuditKeyset reads the page of the trail s asks for by its sequence numbers, newest first: a page deep in a
// trail of a million events costs what the first one does.
func (tx *Tx) ListAuditKeyset(ctx context.Context, orgID string, f AuditFilter, s Seek) (AuditPage, error) {
	return keysetPage(s, func() (int, error) { return tx.count(ctx, "audit_events", f.where(orgID)) },
		func(c Cursor, n int, backward bool) ([]isms.AuditEvent, []Cursor, error) {
			return tx.auditAfter(ctx, orgID, f, c, n, backward)
		})
}

// auditAfter reads up to n events after c, newest first (before c, oldest first, when backward).
func (tx *Tx) auditAfter(ctx context.Context, orgID string, f AuditFilter, c Cursor, n int, backward bool) ([]isms.AuditEvent, []Cursor, error) {
	w := f.where(orgID)
	order := "seq DESC"
	if backward {
		order = "seq"
	}
	if c.ID != "" {
		seq, ok := c.Key.(int64)
		if !ok {
			return nil, nil, badCursor
		}
		cmp := "<"
		if backward {
			cmp = ">"
		}
		w.add("seq "+cmp+" ?", seq)
	}
	var page []isms.AuditEvent
	var cursors []Cursor
	err := tx.query(ctx, "SELECT "+auditCols+" FROM audit_events"+w.sql()+" ORDER BY "+order+fmt.Sprintf(" LIMIT %d", n), w.args, func(r *sql.Rows) error {
		e, err := scanAudit(r)
		page, cursors = append(page, e), append(cursors, Cursor{e.Seq, e.ID})
		return err
	})
	return page, cursors, err
}

// EachAudit calls fn for every matching event, oldest first, without holding the whole trail in memory.
func (tx *Tx) EachAudit(ctx context.Context, orgID string, f AuditFilter, fn func(*isms.AuditEvent) error) error {
	w := f.where(orgID)
	rows, err := tx.tx.QueryContext(ctx, "SELECT "+auditCols+" FROM audit_events"+w.sql()+" ORDER BY seq", w.args...)
	if err != nil {
		return fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditHead returns the last sequence number and hash the application recorded for an organisation.
func (tx *Tx) AuditHead(ctx context.Context, orgID string) (int64, string, error) {
	var seq int64
	var head string
	err := tx.tx.QueryRowContext(ctx, "SELECT audit_seq, audit_head FROM organisations WHERE id = "+tx.stableParam("$1"), orgID).Scan(&seq, &head)
	if err != nil {
		return 0, "", notFound(err, "organisation %s", orgID)
	}
	return seq, head, nil
}

// Revision names an organisation's state by its audit head: the sequence and hash of the trail's last event.
func Revision(seq int64, head string) string { return strconv.FormatInt(seq, 10) + "-" + head }

// AuditFacets returns the distinct entities, actions and actors of a trail, for filter menus. They are
// remembered until the trail grows (see countCache), and then brought up to date from the events added since:
// a trail only grows, so only the first read scans it all.
func (tx *Tx) AuditFacets(ctx context.Context, orgID string) (entities, actions, actors []string, err error) {
	const key = "audit facets"
	f, err := remembered(ctx, tx, orgID, key, func() (auditFacets, error) {
		last, _ := rememberedLast[auditFacets](tx, orgID, key)
		return tx.readAuditFacets(ctx, orgID, last)
	})
	return f.entities, f.actions, f.actors, err
}

// auditFacets are the menus of the events up to seq, the event with hash hash.
type auditFacets struct {
	seq                       int64
	hash                      string
	entities, actions, actors []string
}

// readAuditFacets adds to last the values of the events after last.seq, up to the head. When the event at
// last.seq is no longer the one read then (a backup restored over the trail), it reads the trail from the start.
func (tx *Tx) readAuditFacets(ctx context.Context, orgID string, last auditFacets) (auditFacets, error) {
	head, hash, err := tx.AuditHead(ctx, orgID)
	if err != nil {
		return last, err
	}
	if last.seq > 0 {
		var h string
		err := tx.tx.QueryRowContext(ctx, "SELECT hash FROM audit_events WHERE org_id = $1 AND seq = $2", orgID, last.seq).Scan(&h)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return last, err
		}
		if h != last.hash || last.seq > head {
			last = auditFacets{}
		}
	}
	f := auditFacets{seq: head, hash: hash}
	for _, c := range []struct {
		col string
		old []string
		out *[]string
	}{{"entity", last.entities, &f.entities}, {"action", last.actions, &f.actions}, {"actor", last.actors, &f.actors}} {
		values := slices.Clone(c.old)
		err := tx.query(ctx, "SELECT DISTINCT "+c.col+" FROM audit_events WHERE org_id = $1 AND seq > $2 AND seq <= $3", []any{orgID, last.seq, head},
			func(r *sql.Rows) error {
				var s string
				err := r.Scan(&s)
				values = append(values, s)
				return err
			})
		if err != nil {
			return last, err
		}
		slices.Sort(values)
		*c.out = slices.Compact(values)
	}
	return f, nil
}

// AuditAfter returns up to limit events of an organisation's trail with a sequence above afterSeq, in order:
// a trail read in pages, for work that writes while it reads (re-keying).
func (tx *Tx) AuditAfter(ctx context.Context, orgID string, afterSeq int64, limit int) ([]isms.AuditEvent, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT "+auditCols+" FROM audit_events WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", orgID, afterSeq, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	var out []isms.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RehashAudit re-links and re-hashes events with the store's audit key, in order, starting from prevHash (the
// hash of the event before the first); it returns the last hash. Events are rewritten a few hundred per statement.
func (tx *Tx) RehashAudit(ctx context.Context, events []isms.AuditEvent, prevHash string) (string, error) {
	const perStatement = 300 // three parameters each, well below both engines' limits
	for len(events) > 0 {
		n := min(perStatement, len(events))
		var values []string
		var args []any
		for i := range events[:n] {
			e := &events[i]
			e.PrevHash = prevHash
			h, err := tx.auditHash(e)
			if err != nil {
				return "", err
			}
			e.Hash, prevHash = h, h
			values = append(values, fmt.Sprintf("($%d, $%d, $%d)", len(args)+1, len(args)+2, len(args)+3))
			args = append(args, e.ID, e.PrevHash, e.Hash)
		}
		q := "WITH v(id, prev_hash, hash) AS (VALUES " + strings.Join(values, ", ") + ") " +
			"UPDATE audit_events SET prev_hash = v.prev_hash, hash = v.hash FROM v WHERE audit_events.id = v.id"
		if _, err := tx.tx.ExecContext(ctx, q, args...); err != nil {
			return "", fmt.Errorf("re-hash audit events: %w", err)
		}
		events = events[n:]
	}
	return prevHash, nil
}

// SetAuditHead records an organisation's chain head (after re-keying its trail).
func (tx *Tx) SetAuditHead(ctx context.Context, orgID string, seq int64, head string) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE organisations SET audit_seq = $1, audit_head = $2 WHERE id = $3", seq, head, orgID)
	return err
}

// ClaimSetting stores an installation setting only if it is absent and reports whether it did. On PostgreSQL a
// concurrent claim waits for the first to commit and then finds the value set, so only one server claims.
func (tx *Tx) ClaimSetting(ctx context.Context, key, value string) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", key, value)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
