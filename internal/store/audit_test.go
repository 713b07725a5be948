package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Without the installation key the store writes no audit event at all, rather than an unkeyed one.
func TestAppendAuditRefusesWithoutAKey(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			ctx := context.Background()
			err := st.Write(ctx, func(tx *store.Tx) error {
				org := isms.Organisation{ID: store.NewID(), Name: "Keyless", Slug: "keyless", CreatedAt: time.Now()}
				if err := tx.CreateOrg(ctx, org); err != nil {
					return err
				}
				return tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: org.ID, At: time.Now(), Actor: "x", Via: "cli", Action: "create", Entity: "organisation"})
			})
			if err == nil || !strings.Contains(err.Error(), "no audit key") {
				t.Fatalf("append without a key: %v", err)
			}
		})
	}
}

// Two writers that each insert a row referencing the organisation (which takes a KEY SHARE lock on it) and then
// append to its audit chain, once alone and once in a batch (as SetRiskMethod can), both commit: the appends
// take one kind of lock on the chain head, and the chain stays whole. PostgreSQL only: SQLite has one writer.
func TestConcurrentAppendsDoNotDeadlock(t *testing.T) {
	st := store.New(testutil.NewPostgres(t))
	st.SetAuditKey(testutil.TestKey.Audit())
	ctx := context.Background()
	org := isms.Organisation{ID: store.NewID(), Name: "Locks", Slug: "locks", CreatedAt: time.Now()}
	if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, org) }); err != nil {
		t.Fatal(err)
	}
	event := func(action string) *isms.AuditEvent {
		return &isms.AuditEvent{OrgID: org.ID, At: time.Now(), Actor: "x", Via: "api", Action: action, Entity: "person"}
	}
	const writers = 2
	inserted := make(chan struct{}, writers)
	proceed := make(chan struct{})
	errs := make(chan error, writers)
	for i := range writers {
		go func() {
			errs <- st.Write(ctx, func(tx *store.Tx) error {
				p := isms.Person{ID: store.NewID(), OrgID: org.ID, Ref: fmt.Sprintf("P-%03d", i+1), Name: "P", CreatedAt: time.Now()}
				if err := tx.CreatePerson(ctx, p); err != nil {
					return err
				}
				inserted <- struct{}{}
				<-proceed // both hold their KEY SHARE lock before either appends
				if err := tx.AppendAudit(ctx, event("create")); err != nil {
					return err
				}
				return tx.AppendAuditBatch(ctx, org.ID, []*isms.AuditEvent{event("link"), event("link")})
			})
		}()
	}
	for range writers {
		<-inserted
	}
	close(proceed)
	for range writers {
		if err := <-errs; err != nil {
			t.Fatalf("a concurrent append failed: %v", err)
		}
	}
	var events []isms.AuditEvent
	err := st.Read(ctx, func(tx *store.Tx) (err error) {
		events, err = tx.AuditAfter(ctx, org.ID, 0, 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3*writers {
		t.Fatalf("%d events, want %d", len(events), 3*writers)
	}
	prev := ""
	for i, e := range events {
		if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != e.ComputeHash(testutil.TestKey.Audit()) {
			t.Fatalf("event %d (seq %d) does not continue the chain", i, e.Seq)
		}
		prev = e.Hash
	}
}

// The audit page's filter menus read the whole trail once: while the trail stays as it is they come from memory
// (one statement, the head), and the next event shows in them at once, read from the new events alone.
func TestAuditFacetsRememberedUntilTheTrailGrows(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			ctx := context.Background()
			org := isms.Organisation{ID: store.NewID(), Name: "Facets", Slug: "facets", CreatedAt: time.Now()}
			appendEvent := func(actor, action, entity string) {
				t.Helper()
				err := st.Write(ctx, func(tx *store.Tx) error {
					return tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: org.ID, At: time.Now(), Actor: actor, Via: "web", Action: action, Entity: entity})
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, org) }); err != nil {
				t.Fatal(err)
			}
			appendEvent("ana", "create", "risk")
			facets := func() (string, int64) {
				t.Helper()
				before := st.Statements()
				var entities, actions, actors []string
				err := st.Read(ctx, func(tx *store.Tx) (err error) {
					entities, actions, actors, err = tx.AuditFacets(ctx, org.ID)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprint(entities, actions, actors), st.Statements() - before
			}
			if got, _ := facets(); got != "[risk] [create] [ana]" {
				t.Fatalf("facets %s", got)
			}
			if got, n := facets(); got != "[risk] [create] [ana]" || n != 1 {
				t.Fatalf("unchanged trail: facets %s in %d statements, want 1 (the head)", got, n)
			}
			appendEvent("ben", "update", "asset")
			if got, _ := facets(); got != "[asset risk] [create update] [ana ben]" {
				t.Fatalf("after a new event: facets %s", got)
			}
			// Brought up to date from the new events alone: a value only the older events hold stays (the trail
			// is read once, not on every change), until the chain itself is no longer the one read.
			if _, err := st.DB.W.ExecContext(ctx, "UPDATE audit_events SET actor = 'cleo' WHERE org_id = $1 AND seq = 1", org.ID); err != nil {
				t.Fatal(err)
			}
			appendEvent("dan", "delete", "asset")
			if got, _ := facets(); got != "[asset risk] [create delete update] [ana ben dan]" {
				t.Fatalf("after another event: facets %s, want those read before and the new event's", got)
			}
			if _, err := st.DB.W.ExecContext(ctx, "UPDATE audit_events SET hash = 'other' WHERE org_id = $1 AND seq = 3", org.ID); err != nil {
				t.Fatal(err)
			}
			appendEvent("eve", "delete", "asset")
			if got, _ := facets(); got != "[asset risk] [create delete update] [ben cleo dan eve]" {
				t.Fatalf("after the chain changed: facets %s, want the trail read again", got)
			}
		})
	}
}
