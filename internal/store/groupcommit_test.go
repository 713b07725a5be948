package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestConcurrentWritesSucceedOrFailAlone queues writes behind one that holds the writer, so that on SQLite they
// share one commit, and checks on both engines that every caller gets its own answer: the writes that failed or
// panicked left nothing, the others are all saved, and saved means readable from a database opened afresh.
func TestConcurrentWritesSucceedOrFailAlone(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			db := testutil.NewDB(t, engine)
			st := store.New(db)
			st.SetAuditKey(testutil.TestKey.Audit())
			org, _ := newOrg(t, st, "group")
			run := fmt.Sprint(time.Now().UnixNano()) // the PostgreSQL database may be shared with other tests
			key := func(i int) string { return fmt.Sprintf("group-%s-%02d", run, i) }
			// Each write changes a row and appends to the organisation's audit chain, as every use case does.
			set := func(ctx context.Context, tx *store.Tx, i int) error {
				if err := tx.SetSetting(ctx, key(i), "saved"); err != nil {
					return err
				}
				return tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: org.ID, At: t0, ActorID: "u", Actor: "x@example.org", Via: "cli",
					Action: "update", Entity: "setting", Ref: key(i)})
			}

			hold, held := make(chan struct{}), make(chan struct{})
			first := make(chan error, 1)
			go func() {
				first <- st.Write(ctx, func(tx *store.Tx) error {
					close(held)
					<-hold
					return set(ctx, tx, 0)
				})
			}()
			<-held
			const n = 12
			errs := make([]error, n)
			panics := make([]any, n)
			var wg sync.WaitGroup
			for i := 1; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() { panics[i] = recover() }()
					errs[i] = st.Write(ctx, func(tx *store.Tx) error {
						if err := set(ctx, tx, i); err != nil {
							return err
						}
						switch i % 4 {
						case 1:
							return isms.Conflict("write %d conflicts", i) // after its row was written
						case 2:
							panic(fmt.Sprintf("write %d panics", i))
						}
						return nil
					})
				}()
			}
			time.Sleep(100 * time.Millisecond) // let the writes queue behind the first
			close(hold)
			wg.Wait()
			if err := <-first; err != nil {
				t.Fatalf("first write: %v", err)
			}

			check := st
			if engine == sqldb.SQLite { // read from the file, as a server started after a crash would
				again, err := sqldb.Open(ctx, "sqlite:"+db.Where, "")
				if err != nil {
					t.Fatal(err)
				}
				defer again.Close()
				check = store.New(again)
			}
			// The chain holds exactly the saved writes' events, numbered without gaps, and verifies.
			v := isms.NewChainVerifier(testutil.TestKey.Audit())
			var refs []string
			err := check.Read(ctx, func(tx *store.Tx) error {
				err := tx.EachAudit(ctx, org.ID, store.AuditFilter{}, func(e *isms.AuditEvent) error {
					refs = append(refs, e.Ref)
					if b := v.Next(e); b != nil {
						return fmt.Errorf("chain broken: %s", b)
					}
					return nil
				})
				if err != nil {
					return err
				}
				seq, head, err := tx.AuditHead(ctx, org.ID)
				if err != nil {
					return err
				}
				if b := v.Finish(seq, head); b != nil {
					return fmt.Errorf("chain broken: %s", b)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := 1 // the first write, and every write that neither conflicts nor panics
			for i := 1; i < n; i++ {
				if i%4 != 1 && i%4 != 2 {
					want++
				}
			}
			if len(refs) != want {
				t.Errorf("audit trail holds %d events %v, want %d", len(refs), refs, want)
			}
			for i := 1; i < n; i++ {
				var got string
				if err := check.Read(ctx, func(tx *store.Tx) (err error) { got, err = tx.Setting(ctx, key(i), "absent"); return err }); err != nil {
					t.Fatal(err)
				}
				switch i % 4 {
				case 1:
					if isms.ErrorKind(errs[i]) != isms.KindConflict || got != "absent" {
						t.Errorf("write %d: error %v, setting %q; want its own conflict and nothing saved", i, errs[i], got)
					}
				case 2:
					if panics[i] != fmt.Sprintf("write %d panics", i) || got != "absent" {
						t.Errorf("write %d: panic %v, setting %q; want its own panic and nothing saved", i, panics[i], got)
					}
				default:
					if errs[i] != nil || panics[i] != nil || got != "saved" {
						t.Errorf("write %d: error %v, panic %v, setting %q; want it saved", i, errs[i], panics[i], got)
					}
				}
			}
		})
	}
}
