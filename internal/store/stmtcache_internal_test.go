package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/praxis-isms/praxis/internal/sqldb"
)

// TestCompiledStatementsGiveTheSameRows runs statements the second time from SQLite's compiled statements and
// checks that they read and write what they did plainly, also when a query runs again inside its own rows loop
// (one compiled statement cannot serve both: the inner run must not cut the outer short).
func TestCompiledStatementsGiveTheSameRows(t *testing.T) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s := New(db)
	const list = "SELECT key FROM settings WHERE key >= $1 ORDER BY key"
	const set = "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
	for round := range 3 {
		err := s.Write(ctx, func(tx *Tx) error {
			for i := range 5 {
				if _, err := tx.tx.ExecContext(ctx, set, fmt.Sprintf("k%d", i), fmt.Sprint(round)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var outer, inner int
		var value string
		err = s.Read(ctx, func(tx *Tx) error {
			rows, err := tx.tx.QueryContext(ctx, list, "k")
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				outer++
				again, err := tx.tx.QueryContext(ctx, list, "k")
				if err != nil {
					return err
				}
				for again.Next() {
					inner++
				}
				if err := again.Close(); err != nil {
					return err
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
			return tx.tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", "k4").Scan(&value)
		})
		if err != nil {
			t.Fatal(err)
		}
		if outer != 5 || inner != 25 || value != fmt.Sprint(round) {
			t.Fatalf("round %d: outer loop read %d rows (want 5), inner loops %d (want 25), k4 = %q (want %d)", round, outer, inner, value, round)
		}
	}
	for _, c := range []struct {
		cache *stmtCache
		q     string
	}{{s.writeStmts, set}, {s.readStmts, list}} {
		if c.cache.stmts[c.q] == nil {
			t.Errorf("%q was not compiled, so this test did not run it from a compiled statement", c.q)
		}
	}
}
