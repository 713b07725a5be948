package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The limiter's counts: an address's n-th latest failure inside the window, an account's run of failures, and
// a sweep that forgets whatever is older than the window, so a spray of made-up accounts and addresses cannot
// fill the tables.
func TestLoginFailures(t *testing.T) {
	const window = 15 * time.Minute
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			db := testutil.NewDB(t, engine)
			st := store.New(db)
			ctx := context.Background()
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			fail := func(at time.Time, account, address string) {
				t.Helper()
				if err := st.Write(ctx, func(tx *store.Tx) error { return tx.AddLoginFailure(ctx, account, address, at, at.Add(-window)) }); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 300 {
				fail(t0.Add(time.Duration(i)*time.Second), fmt.Sprintf("made-up-%d@example.org", i), "203.0.113.9")
			}
			read := func(now time.Time, n int) (nth time.Time, full bool, failures int, last time.Time) {
				t.Helper()
				err := st.Read(ctx, func(tx *store.Tx) (err error) {
					if nth, full, err = tx.NthAddressFailure(ctx, "203.0.113.9", now.Add(-window), n); err != nil {
						return err
					}
					failures, last, err = tx.AccountFailures(ctx, "made-up-7@example.org")
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			now := t0.Add(300 * time.Second)
			if nth, full, n, last := read(now, 20); !full || !nth.Equal(t0.Add(280*time.Second)) || n != 1 || !last.Equal(t0.Add(7*time.Second)) {
				t.Fatalf("20th latest failure %s (%v), account run %d at %s", nth, full, n, last)
			}
			if _, full, _, _ := read(now, 301); full {
				t.Fatal("an address with 300 failures reports a 301st")
			}

			// An account's run grows, and ends with a success.
			fail(now, "victim@example.org", "")
			fail(now, "victim@example.org", "")
			var n int
			ok := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			ok(st.Read(ctx, func(tx *store.Tx) (err error) { n, _, err = tx.AccountFailures(ctx, "victim@example.org"); return err }))
			if n != 2 {
				t.Fatalf("two failures in a row count %d", n)
			}
			ok(st.Write(ctx, func(tx *store.Tx) error { return tx.ClearAccountFailures(ctx, "victim@example.org") }))
			ok(st.Read(ctx, func(tx *store.Tx) (err error) { n, _, err = tx.AccountFailures(ctx, "victim@example.org"); return err }))
			if n != 0 {
				t.Fatalf("after a success the run is %d", n)
			}

			// Once the window has passed, the next failure sweeps everything older.
			fail(t0.Add(time.Hour), "fresh@example.org", "198.51.100.1")
			var rows int
			ok(db.R.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM login_address_failures) + (SELECT count(*) FROM login_account_failures)").Scan(&rows))
			if rows != 2 {
				t.Fatalf("after the window the tables hold %d rows, want the 2 fresh ones", rows)
			}
		})
	}
}
