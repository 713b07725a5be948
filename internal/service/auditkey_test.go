package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// openWith opens another service over e's database with key, as a restart of praxis would.
func openWith(e *env, key keys.Key) (*service.Service, error) {
	return service.Open(context.Background(), store.New(e.db), service.Config{Now: e.clock.Now, Key: key, KeySource: "the test", KeyOldTrails: true})
}

func keySetting(t *testing.T, e *env) string {
	t.Helper()
	var v string
	ok(t, e.svc.Store().Read(context.Background(), func(tx *store.Tx) (err error) {
		v, err = tx.Setting(context.Background(), "audit_key_id", "")
		return err
	}))
	return v
}

// makeUnkeyed turns a database into what an installation from before the keyed chain holds: every trail hashed
// with plain SHA-256 and no key fingerprint.
func makeUnkeyed(t *testing.T, e *env, orgs ...testutil.Org) {
	t.Helper()
	for _, o := range orgs {
		rechain(t, e, orgID(o), trail(t, e, orgID(o)), 1, (*isms.AuditEvent).UnkeyedHash)
	}
	rawExec(t, e, "DELETE FROM settings WHERE key = $1", "audit_key_id")
}

func TestOpenKeysAnUnkeyedTrailOnce(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		a, b := buildTrail(t, e, "Upgrade A"), buildTrail(t, e, "Upgrade B")
		before := len(trail(t, e, orgID(a)))
		makeUnkeyed(t, e, a, b)
		if r := verifyOrg(t, e, a.Slug); r.Intact {
			t.Fatal("an unkeyed trail passed the keyed verification")
		}
		svc, err := openWith(e, testutil.TestKey)
		ok(t, err)
		if got := keySetting(t, e); got != testutil.TestKey.ID() {
			t.Fatalf("key fingerprint %q recorded, want %q", got, testutil.TestKey.ID())
		}
		for _, o := range []testutil.Org{a, b} {
			res, err := svc.VerifyAuditTrail(context.Background(), o.Slug)
			ok(t, err)
			if !res[0].Intact || res[0].Events != int64(before+1) {
				t.Fatalf("%s after keying: %+v, want intact with %d events", o.Slug, res[0], before+1)
			}
			events := trail(t, e, orgID(o))
			if last := events[len(events)-1]; last.Action != "key" || last.Entity != "audit_trail" || !strings.Contains(string(last.After), testutil.TestKey.ID()) {
				t.Fatalf("the trail does not record its keying: %+v", last)
			}
		}
		// Opening again re-hashes nothing and adds nothing.
		_, err = openWith(e, testutil.TestKey)
		ok(t, err)
		if n := len(trail(t, e, orgID(a))); n != before+1 {
			t.Fatalf("a second open changed the trail: %d events", n)
		}
	})
}

func TestOpenRefusesABrokenUnkeyedTrailNamingWhere(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := buildTrail(t, e, "Broken Before")
		makeUnkeyed(t, e, o)
		rawExec(t, e, "UPDATE audit_events SET actor = $1 WHERE org_id = $2 AND seq = $3", "mallory@example.org", orgID(o), 5)
		_, err := openWith(e, testutil.TestKey)
		if err == nil || !strings.Contains(err.Error(), "broken-before") || !strings.Contains(err.Error(), "sequence 5") {
			t.Fatalf("open over a broken unkeyed trail: %v", err)
		}
		if got := keySetting(t, e); got != "" {
			t.Fatalf("the refused open recorded key %q", got)
		}
	})
}

// Somebody with the database but not the key removes the key's fingerprint and plants a trail recomputed with
// the plain hash: the next start must not key it (as it would an old installation's), but refuse and say why.
func TestOpenRefusesToKeyAPlantedTrail(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := buildTrail(t, e, "Planted")
		rawExec(t, e, "UPDATE audit_events SET actor = $1 WHERE org_id = $2 AND seq = $3", "mallory@example.org", orgID(o), 3)
		makeUnkeyed(t, e, o)
		_, err := service.Open(context.Background(), store.New(e.db), service.Config{Now: e.clock.Now, Key: testutil.TestKey, KeySource: "the test"})
		if err == nil || !strings.Contains(err.Error(), "--key-audit-trail") || !strings.Contains(err.Error(), "checkpoints") {
			t.Fatalf("open over a planted unkeyed trail: %v", err)
		}
		if got := keySetting(t, e); got != "" {
			t.Fatalf("a refused open recorded the key fingerprint %q", got)
		}
	})
}

func TestOpenRefusesAnotherKey(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		buildTrail(t, e, "Keyed")
		_, err := openWith(e, keys.Generate())
		if err == nil || !strings.Contains(err.Error(), keys.EnvVar) || !strings.Contains(err.Error(), keys.FileName) || !strings.Contains(err.Error(), testutil.TestKey.ID()) {
			t.Fatalf("open with another key: %v", err)
		}
		if _, err := openWith(e, keys.Key{}); err == nil {
			t.Fatal("open without a key succeeded")
		}
	})
}

func TestCheckpoint(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		o := buildTrail(t, e, "Checkpointed")
		cp, err := e.svc.Checkpoint(o.Ctx("auditor"))
		ok(t, err)
		events := trail(t, e, orgID(o))
		last := events[len(events)-1]
		if cp.OrgID != orgID(o) || cp.OrgSlug != o.Slug || cp.Seq != last.Seq || cp.Hash != last.Hash || cp.KeyID != testutil.TestKey.ID() || cp.Signature == "" {
			t.Fatalf("checkpoint %+v does not state the head %d %s", cp, last.Seq, last.Hash)
		}
		_, err = e.svc.Checkpoint(o.Ctx("viewer"))
		wantKind(t, err, isms.KindForbidden, "checkpoint as viewer")

		check := func(what string, c isms.Checkpoint, wantIntact bool, problem string) {
			t.Helper()
			r, err := e.svc.VerifyCheckpoint(ctx, c)
			ok(t, err)
			if r.Intact != wantIntact || (!wantIntact && (r.Break == nil || r.Break.Seq != c.Seq || !strings.Contains(r.Break.Problem, problem))) {
				t.Fatalf("%s: %+v, want intact %v (%q)", what, r, wantIntact, problem)
			}
		}
		check("fresh", cp, true, "")
		buildTrailMore(t, e, o)
		check("after more changes", cp, true, "")

		// A checkpoint with any field changed fails its signature; so does one signed with someone else's key.
		for name, tamper := range map[string]func(c *isms.Checkpoint){
			"seq":  func(c *isms.Checkpoint) { c.Seq-- },
			"hash": func(c *isms.Checkpoint) { c.Hash = events[0].Hash },
			"org":  func(c *isms.Checkpoint) { c.OrgSlug = "other" },
			"at":   func(c *isms.Checkpoint) { c.At = "2020-01-01T00:00:00.000000Z" },
			"re-signed with another key": func(c *isms.Checkpoint) {
				c.Seq = 1
				c.Hash = events[0].Hash
				c.Sign(keys.Generate().Signer())
			},
		} {
			c := cp
			tamper(&c)
			_, err := e.svc.VerifyCheckpoint(ctx, c)
			wantKind(t, err, isms.KindInvalid, "checkpoint with tampered "+name)
		}

		// Rewriting an event before the checkpoint, even with the key, is caught by the checkpoint's hash.
		all := trail(t, e, orgID(o))
		forgeFrom(t, e, orgID(o), all, 3, func(ev *isms.AuditEvent) string { return ev.ComputeHash(testutil.TestKey.Audit()) })
		if r := verifyOrg(t, e, o.Slug); !r.Intact {
			t.Fatalf("setup: the re-keyed forgery should verify on its own: %+v", r)
		}
		check("rewritten before the checkpoint", cp, false, "rewritten")
	})
}

// buildTrailMore adds a few events to an organisation's trail.
func buildTrailMore(t *testing.T, e *env, o testutil.Org) {
	t.Helper()
	for range 3 {
		_, err := e.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: "Later"})
		ok(t, err)
	}
}

// Deleting every event and resetting the head, or cutting the tail and rewinding the head to the last event
// left, leaves a chain that verifies on its own: only a checkpoint shows what is gone.
func TestCheckpointCatchesTruncation(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for name, truncate := range map[string]func(org string, events []isms.AuditEvent){
			"everything deleted and the head reset": func(org string, _ []isms.AuditEvent) {
				_, err := e.db.W.ExecContext(ctx, "DELETE FROM audit_events WHERE org_id = $1", org)
				ok(t, err)
				rawExec(t, e, "UPDATE organisations SET audit_seq = 0, audit_head = '' WHERE id = $1", org)
			},
			"tail cut and the head rewound": func(org string, events []isms.AuditEvent) {
				_, err := e.db.W.ExecContext(ctx, "DELETE FROM audit_events WHERE org_id = $1 AND seq > 10", org)
				ok(t, err)
				rawExec(t, e, "UPDATE organisations SET audit_seq = $1, audit_head = $2 WHERE id = $3", events[9].Seq, events[9].Hash, org)
			},
		} {
			t.Run(name, func(t *testing.T) {
				o := buildTrail(t, e, "Truncated "+name[:4])
				cp, err := e.svc.Checkpoint(o.Ctx("owner"))
				ok(t, err)
				truncate(orgID(o), trail(t, e, orgID(o)))
				if r := verifyOrg(t, e, o.Slug); !r.Intact {
					t.Fatalf("setup: the truncated chain should verify on its own: %+v", r)
				}
				r, err := e.svc.VerifyCheckpoint(ctx, cp)
				ok(t, err)
				if r.Intact || r.Break == nil || r.Break.Seq != cp.Seq || !strings.Contains(r.Break.Problem, "removed") {
					t.Fatalf("truncation not reported: %+v", r)
				}
			})
		}
	})
}
