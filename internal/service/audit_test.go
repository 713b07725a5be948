package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// wantEvent is what one audit event must say. Before and After list JSON fields and their expected values; a nil
// map means the side must be empty.
type wantEvent struct {
	actor, via, action, entity, entityID, ref string
	before, after                             map[string]any
}

func checkEvent(t *testing.T, got isms.AuditEvent, want wantEvent) {
	t.Helper()
	if got.Actor != want.actor || got.Via != want.via || got.Action != want.action || got.Entity != want.entity || got.Ref != want.ref {
		t.Errorf("event %d = actor %q via %q %q %q ref %q; want actor %q via %q %q %q ref %q", got.Seq,
			got.Actor, got.Via, got.Action, got.Entity, got.Ref, want.actor, want.via, want.action, want.entity, want.ref)
	}
	if want.entityID != "" && got.EntityID != want.entityID {
		t.Errorf("event %d: entity id %q, want %q", got.Seq, got.EntityID, want.entityID)
	}
	if got.ActorID == "" || got.ID == "" {
		t.Errorf("event %d lacks actor id or id: %+v", got.Seq, got)
	}
	for side, pair := range map[string]struct {
		raw  json.RawMessage
		want map[string]any
	}{"before": {got.Before, want.before}, "after": {got.After, want.after}} {
		if pair.want == nil {
			if len(pair.raw) != 0 {
				t.Errorf("event %d (%s %s): %s = %s, want empty", got.Seq, got.Action, got.Entity, side, pair.raw)
			}
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(pair.raw, &m); err != nil {
			t.Errorf("event %d: %s is not a JSON object: %q", got.Seq, side, pair.raw)
			continue
		}
		for k, v := range pair.want {
			if fmt.Sprint(m[k]) != fmt.Sprint(v) {
				t.Errorf("event %d (%s %s): %s.%s = %v, want %v", got.Seq, got.Action, got.Entity, side, k, m[k], v)
			}
		}
	}
}

// since returns the events written after the trail had n events.
func since(t *testing.T, e *env, org string, n int) []isms.AuditEvent {
	t.Helper()
	return trail(t, e, org)[n:]
}

// TestAuditTrailRecordsEveryChange runs every change use case and checks the events each writes: how many, who,
// through which door, what, and the state before and after. Secrets never reach the trail.
func TestAuditTrailRecordsEveryChange(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		const ownerPW = "first owner password"
		token, setupActor := setupOwner(t, e, "First Org", "Olivia@First.example", ownerPW)
		first := setupActor.OrgID
		secrets := []string{ownerPW, token}
		events := trail(t, e, first)
		if len(events) != 2 {
			t.Fatalf("Setup wrote %d events, want 2", len(events))
		}
		checkEvent(t, events[0], wantEvent{actor: "olivia@first.example", via: "web", action: "create", entity: "organisation", entityID: first, ref: "first-org",
			after: map[string]any{"slug": "first-org", "name": "First Org"}})
		checkEvent(t, events[1], wantEvent{actor: "olivia@first.example", via: "web", action: "add", entity: "member", entityID: setupActor.UserID, ref: "olivia@first.example",
			after: map[string]any{"role": "owner", "approver": true, "email": "olivia@first.example"}})

		// CreateOrganisation opens the new organisation's own trail.
		sess, err := e.svc.SessionActor(ctx, token)
		ok(t, err)
		second, err := e.svc.CreateOrganisation(service.WithActor(ctx, sess), "Second Org")
		ok(t, err)
		if got := len(trail(t, e, first)); got != 2 {
			t.Errorf("creating another organisation wrote %d events into the first one's trail", got-2)
		}
		events = trail(t, e, second.ID)
		if len(events) != 2 {
			t.Fatalf("CreateOrganisation wrote %d events, want 2", len(events))
		}
		checkEvent(t, events[0], wantEvent{actor: "olivia@first.example", via: "web", action: "create", entity: "organisation", ref: "second-org", after: map[string]any{"name": "Second Org"}})
		checkEvent(t, events[1], wantEvent{actor: "olivia@first.example", via: "web", action: "add", entity: "member", ref: "olivia@first.example", after: map[string]any{"role": "owner"}})

		// Init (the CLI) writes through the "cli" door.
		initOrg, initPW, err := e.svc.Init(ctx, service.InitInput{OrgName: "Init Org", OwnerEmail: "ivan@init.example"})
		ok(t, err)
		secrets = append(secrets, initPW)
		events = trail(t, e, initOrg.ID)
		if len(events) != 2 {
			t.Fatalf("Init wrote %d events, want 2", len(events))
		}
		checkEvent(t, events[0], wantEvent{actor: "ivan@init.example", via: "cli", action: "create", entity: "organisation", ref: "init-org", after: map[string]any{"slug": "init-org"}})
		checkEvent(t, events[1], wantEvent{actor: "ivan@init.example", via: "cli", action: "add", entity: "member", ref: "ivan@init.example", after: map[string]any{"role": "owner"}})

		o := testutil.NewOrg(t, e.svc, "Audit Org")
		org := orgID(o)
		email := func(role string) string { return o.Actors[role].Email }
		var person isms.Person
		var member isms.Membership
		var tok isms.APIToken
		var invToken string
		steps := []struct {
			name string
			run  func(t *testing.T)
			want []wantEvent
		}{
			{"AddPerson", func(t *testing.T) {
				person, err = e.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: " Ann ", Email: "Ann@Audit.example", Department: "IT", StartDate: "2024-01-02"})
				ok(t, err)
			}, []wantEvent{{actor: email("editor"), via: "api", action: "create", entity: "person", ref: "P-001",
				after: map[string]any{"name": "Ann", "email": "ann@audit.example", "department": "IT", "start_date": "2024-01-02", "version": 1}}}},
			{"UpdatePerson", func(t *testing.T) {
				person, err = e.svc.UpdatePerson(o.Ctx("admin"), "P-001", service.PersonInput{Name: "Ann Lee", Email: person.Email, Department: "Security", Version: person.Version})
				ok(t, err)
			}, []wantEvent{{actor: email("admin"), via: "api", action: "update", entity: "person", ref: "P-001",
				before: map[string]any{"name": "Ann", "department": "IT", "start_date": "2024-01-02", "version": 1},
				after:  map[string]any{"name": "Ann Lee", "department": "Security", "start_date": "", "version": 2}}}},
			{"CreateInvitation", func(t *testing.T) {
				token, _, err := e.svc.CreateInvitation(o.Ctx("owner"), service.InviteInput{Email: "Zoe@Audit.example", Role: isms.RoleAuditor})
				ok(t, err)
				secrets = append(secrets, token)
				invToken = token
			}, []wantEvent{{actor: email("owner"), via: "api", action: "create", entity: "invitation", ref: "zoe@audit.example",
				after: map[string]any{"role": "auditor", "email": "zoe@audit.example", "approver": false, "status": "open"}}}},
			{"AcceptInvitationNewAccount", func(t *testing.T) {
				session, _, err := e.svc.AcceptInvitationNewAccount(context.Background(), invToken,
					service.NewAccountInput{Name: "Zoe", Email: "zoe@audit.example", Password: "zoe's own long password"}, service.Client{IP: "192.0.2.9"})
				ok(t, err)
				secrets = append(secrets, session, "zoe's own long password")
				member, _ = memberByEmail(t, e, o.Ctx("owner"), "zoe@audit.example")
			}, []wantEvent{
				{actor: "zoe@audit.example", via: "web", action: "add", entity: "member", ref: "zoe@audit.example",
					after: map[string]any{"role": "auditor", "email": "zoe@audit.example", "name": "Zoe", "approver": false}},
				{actor: "zoe@audit.example", via: "web", action: "accept", entity: "invitation", ref: "zoe@audit.example",
					before: map[string]any{"status": "open"}, after: map[string]any{"status": "accepted", "accepted_by": "zoe@audit.example"}}}},
			{"UpdateMember", func(t *testing.T) {
				member, err = e.svc.UpdateMember(o.Ctx("owner"), member.UserID, service.UpdateMemberInput{Role: isms.RoleEditor, Approver: true, Version: member.Version})
				ok(t, err)
			}, []wantEvent{{actor: email("owner"), via: "api", action: "update", entity: "member", ref: "zoe@audit.example",
				before: map[string]any{"role": "auditor", "approver": false, "version": 1},
				after:  map[string]any{"role": "editor", "approver": true, "version": 2}}}},
			{"RemoveMember", func(t *testing.T) {
				ok(t, e.svc.RemoveMember(o.Ctx("owner"), member.UserID))
			}, []wantEvent{{actor: email("owner"), via: "api", action: "remove", entity: "member", ref: "zoe@audit.example",
				before: map[string]any{"role": "editor", "email": "zoe@audit.example"}}}},
			{"CreateToken", func(t *testing.T) {
				var secret string
				secret, tok, err = e.svc.CreateToken(o.Ctx("viewer"), "ci pipeline")
				ok(t, err)
				secrets = append(secrets, secret)
			}, []wantEvent{{actor: email("viewer"), via: "api", action: "create", entity: "api token", ref: "ci pipeline",
				after: map[string]any{"name": "ci pipeline", "user_id": o.Actors["viewer"].UserID}}}},
			{"RevokeToken", func(t *testing.T) {
				ok(t, e.svc.RevokeToken(o.Ctx("viewer"), tok.ID))
			}, []wantEvent{{actor: email("viewer"), via: "api", action: "revoke", entity: "api token", ref: "ci pipeline",
				before: map[string]any{"name": "ci pipeline", "revoked_at": nil},
				after:  map[string]any{"name": "ci pipeline", "revoked_at": e.clock.Now().UTC().Format(time.RFC3339)}}}},
			{"RevokeToken again", func(t *testing.T) {
				ok(t, e.svc.RevokeToken(o.Ctx("admin"), tok.ID))
			}, nil},
			{"refused and invalid changes", func(t *testing.T) {
				_, err := e.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: ""})
				wantKind(t, err, isms.KindInvalid, "AddPerson without a name")
				_, err = e.svc.UpdatePerson(o.Ctx("editor"), "P-001", service.PersonInput{Name: "Stale", Version: 1})
				wantKind(t, err, isms.KindConflict, "stale UpdatePerson")
				_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), invToken,
					service.NewAccountInput{Name: "Zed", Email: "zed@audit.example", Password: "another long password"}, service.Client{})
				wantKind(t, err, isms.KindNotFound, "accepting an invitation twice")
				_, _, err = e.svc.CreateInvitation(o.Ctx("owner"), service.InviteInput{Email: "x@audit.example", Role: "boss"})
				wantKind(t, err, isms.KindInvalid, "inviting with an unknown role")
				_, _, err = e.svc.CreateInvitation(o.Ctx("admin"), service.InviteInput{Email: "x@audit.example", Role: isms.RoleViewer, Approver: true})
				wantKind(t, err, isms.KindForbidden, "an admin granting the approver flag")
				_, _, err = e.svc.CreateToken(o.Ctx("viewer"), "  ")
				wantKind(t, err, isms.KindInvalid, "token without a name")
			}, nil},
		}
		for _, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				n := len(trail(t, e, org))
				step.run(t)
				got := since(t, e, org, n)
				if len(got) != len(step.want) {
					t.Fatalf("%s wrote %d events, want %d: %+v", step.name, len(got), len(step.want), got)
				}
				for i := range got {
					checkEvent(t, got[i], step.want[i])
				}
			})
		}
		if person.Version != 2 || person.Name != "Ann Lee" {
			t.Errorf("UpdatePerson returned %+v", person)
		}

		// ChangePassword is recorded in the organisation the session works in, without any password material.
		pwToken, pwActor := login(t, e, "olivia@first.example", ownerPW)
		secrets = append(secrets, pwToken)
		n := len(trail(t, e, first))
		ok(t, e.svc.ChangePassword(service.WithActor(ctx, pwActor), ownerPW, "second owner password"))
		secrets = append(secrets, "second owner password")
		got := since(t, e, first, n)
		if len(got) != 1 {
			t.Fatalf("ChangePassword wrote %d events, want 1", len(got))
		}
		checkEvent(t, got[0], wantEvent{actor: "olivia@first.example", via: "web", action: "change password", entity: "user", entityID: pwActor.UserID, ref: "olivia@first.example"})

		// No secret, and no password hash, anywhere in any trail.
		for _, id := range []string{first, second.ID, initOrg.ID, org} {
			for _, ev := range trail(t, e, id) {
				raw := string(ev.Before) + string(ev.After) + ev.Ref
				for _, s := range secrets {
					if s != "" && strings.Contains(raw, s) {
						t.Errorf("event %d of %s contains a secret: %s", ev.Seq, id, raw)
					}
				}
				if strings.Contains(raw, "argon2id") || strings.Contains(raw, "password_hash") || strings.Contains(raw, "token_hash") {
					t.Errorf("event %d contains credential material: %s", ev.Seq, raw)
				}
			}
		}

		// After all of this every chain is intact.
		res, err := e.svc.VerifyAuditTrail(ctx, "")
		ok(t, err)
		if len(res) != 4 {
			t.Fatalf("VerifyAuditTrail checked %d organisations, want 4", len(res))
		}
		for _, r := range res {
			if !r.Intact || r.Break != nil || r.Events < 2 {
				t.Errorf("trail of %s: %+v", r.Org, r)
			}
		}
	})
}

// buildTrail makes an organisation with a few dozen events.
func buildTrail(t *testing.T, e *env, name string) testutil.Org {
	t.Helper()
	o := testutil.NewOrg(t, e.svc, name)
	for i := range 10 {
		p, err := e.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: fmt.Sprintf("Person %02d", i)})
		ok(t, err)
		_, err = e.svc.UpdatePerson(o.Ctx("admin"), p.Ref, service.PersonInput{Name: fmt.Sprintf("Person %02d renamed", i), Version: p.Version})
		ok(t, err)
	}
	return o
}

func rawExec(t *testing.T, e *env, q string, args ...any) {
	t.Helper()
	res, err := e.db.W.ExecContext(context.Background(), q, args...)
	ok(t, err)
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s changed %d rows, want 1", q, n)
	}
}

// forgeFrom rewrites event seq of a trail and recomputes the chain from there to the head with hash, as someone
// with write access to the database would.
func forgeFrom(t *testing.T, e *env, org string, events []isms.AuditEvent, seq int64, hash func(*isms.AuditEvent) string) {
	t.Helper()
	events[seq-1].After = json.RawMessage(`{"name":"Mallory"}`)
	rechain(t, e, org, events, seq, hash)
}

// rechain recomputes a trail's chain from event seq to the head with hash and writes it to the database.
func rechain(t *testing.T, e *env, org string, events []isms.AuditEvent, seq int64, hash func(*isms.AuditEvent) string) {
	t.Helper()
	for i := seq - 1; i < int64(len(events)); i++ {
		ev := &events[i]
		if i > 0 {
			ev.PrevHash = events[i-1].Hash
		}
		ev.Hash = hash(ev)
		rawExec(t, e, "UPDATE audit_events SET after_json = $1, prev_hash = $2, hash = $3 WHERE id = $4", string(ev.After), ev.PrevHash, ev.Hash, ev.ID)
	}
	last := events[len(events)-1]
	rawExec(t, e, "UPDATE organisations SET audit_seq = $1, audit_head = $2 WHERE id = $3", last.Seq, last.Hash, org)
}

// TestVerifyAuditTrailDetectsTampering edits the database behind praxis's back, as someone with database access
// could, and checks that verification names the event where the chain breaks; the other organisation stays intact.
func TestVerifyAuditTrailDetectsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tamper  func(t *testing.T, e *env, org string, events []isms.AuditEvent) (wantSeq int64, wantChecked int64)
		problem string
	}{
		{"altered after_json", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			rawExec(t, e, "UPDATE audit_events SET after_json = $1 WHERE org_id = $2 AND seq = $3", `{"name":"Mallory"}`, org, 12)
			return 12, 11
		}, "altered"},
		{"altered actor", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			rawExec(t, e, "UPDATE audit_events SET actor = $1 WHERE org_id = $2 AND seq = $3", "someone@else.example", org, 3)
			return 3, 2
		}, "altered"},
		{"altered and rehashed", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			ev := events[11]
			ev.After = json.RawMessage(`{"name":"Mallory"}`)
			rawExec(t, e, "UPDATE audit_events SET after_json = $1, hash = $2 WHERE org_id = $3 AND seq = $4", string(ev.After), ev.ComputeHash(testutil.TestKey.Audit()), org, 12)
			return 13, 12
		}, "previous-hash"},
		// An attacker with the database but not the key rewrites event 12 and recomputes the rest of the chain
		// and the head: with the old plain hash (what the unkeyed chain used) or with a key of their own.
		{"rewritten, chain recomputed with plain SHA-256", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			forgeFrom(t, e, org, events, 12, (*isms.AuditEvent).UnkeyedHash)
			return 12, 11
		}, "altered"},
		{"rewritten, chain recomputed with a guessed key", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			forgeFrom(t, e, org, events, 12, func(ev *isms.AuditEvent) string { return ev.ComputeHash([]byte("guessed key")) })
			return 12, 11
		}, "altered"},
		{"deleted middle", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			rawExec(t, e, "DELETE FROM audit_events WHERE org_id = $1 AND seq = $2", org, 10)
			return 10, 9
		}, "missing"},
		{"deleted first", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			rawExec(t, e, "DELETE FROM audit_events WHERE org_id = $1 AND seq = $2", org, 1)
			return 1, 0
		}, "missing"},
		{"deleted last", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			last := int64(len(events))
			rawExec(t, e, "DELETE FROM audit_events WHERE org_id = $1 AND seq = $2", org, last)
			return last, last - 1
		}, "removed"},
		{"deleted last and head rewound", func(t *testing.T, e *env, org string, events []isms.AuditEvent) (int64, int64) {
			// Rewinding the head's sequence without its hash still shows.
			last := int64(len(events))
			rawExec(t, e, "DELETE FROM audit_events WHERE org_id = $1 AND seq = $2", org, last)
			rawExec(t, e, "UPDATE organisations SET audit_seq = $1 WHERE id = $2", last-1, org)
			return last - 1, last - 1
		}, "removed"},
	}
	eachEngineParallel(t, func(t *testing.T, e *env) {
		// One organisation per kind of tampering, plus one nobody touches, in one database.
		control := buildTrail(t, e, "Control Org")
		orgs := map[string]testutil.Org{}
		for i, tt := range tests {
			orgs[tt.name] = buildTrail(t, e, fmt.Sprintf("Tampered %d", i))
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				o := orgs[tt.name]
				events := trail(t, e, orgID(o))
				if r := verifyOrg(t, e, o.Slug); !r.Intact || r.Events != int64(len(events)) || len(events) < 30 {
					t.Fatalf("before tampering: %+v with %d events", r, len(events))
				}
				wantSeq, wantChecked := tt.tamper(t, e, orgID(o), events)
				r := verifyOrg(t, e, o.Slug)
				if r.Intact || r.Break == nil {
					t.Fatalf("tampering not detected: %+v", r)
				}
				if r.Break.Seq != wantSeq || r.Events != wantChecked || !strings.Contains(r.Break.Problem, tt.problem) {
					t.Fatalf("break = %+v after %d events, want sequence %d after %d events, problem mentioning %q",
						r.Break, r.Events, wantSeq, wantChecked, tt.problem)
				}
				if rc := verifyOrg(t, e, control.Slug); !rc.Intact {
					t.Fatalf("the untouched organisation's trail is reported broken: %+v", rc)
				}
			})
		}
		// Verifying every organisation at once reports exactly the tampered ones.
		all, err := e.svc.VerifyAuditTrail(context.Background(), "")
		ok(t, err)
		if len(all) != len(tests)+1 {
			t.Fatalf("VerifyAuditTrail(all) checked %d organisations, want %d", len(all), len(tests)+1)
		}
		for _, x := range all {
			if (x.Org == control.Slug) != x.Intact {
				t.Errorf("VerifyAuditTrail(all): %+v", x)
			}
		}
		_, err = e.svc.VerifyAuditTrail(context.Background(), "no-such-org")
		wantKind(t, err, isms.KindNotFound, "verifying an unknown organisation")
	})
}

// testAuditTrailConcurrentWriters appends from many goroutines at once: every write succeeds, sequences run 1..N
// without gaps or duplicates, and the chain is intact. On PostgreSQL this needs the lock on the chain head:
// CreateToken takes no other lock, so without it two writers would read the same head.
func testAuditTrailConcurrentWriters(t *testing.T, e *env) {
	o := testutil.NewOrg(t, e.svc, "Busy Org")
	other := testutil.NewOrg(t, e.svc, "Quiet Org")
	start := len(trail(t, e, orgID(o)))
	const writers, each, tokenWriters, tokensEach = 8, 25, 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each+tokenWriters*tokensEach)
	gate := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			<-gate
			for i := range each {
				if _, err := e.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: fmt.Sprintf("Writer %d person %d", w, i)}); err != nil {
					errs <- err
				}
			}
		})
	}
	for w := range tokenWriters {
		wg.Go(func() {
			<-gate
			for i := range tokensEach {
				if _, _, err := e.svc.CreateToken(o.Ctx("viewer"), fmt.Sprintf("token %d-%d", w, i)); err != nil {
					errs <- err
				}
			}
		})
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write failed: %v", err)
	}
	events := trail(t, e, orgID(o))
	want := start + writers*each + tokenWriters*tokensEach
	if len(events) != want {
		t.Fatalf("%d events, want %d", len(events), want)
	}
	for i, ev := range events {
		if ev.Seq != int64(i+1) {
			t.Fatalf("event %d has sequence %d: gap or duplicate", i+1, ev.Seq)
		}
	}
	r := verifyOrg(t, e, o.Slug)
	if !r.Intact || r.Events != int64(want) {
		t.Fatalf("after concurrent writes: %+v, want intact with %d events", r, want)
	}
	if r := verifyOrg(t, e, other.Slug); !r.Intact {
		t.Fatalf("the other organisation: %+v", r)
	}
	people, err := e.svc.ListPeople(o.Ctx("viewer"), service.PersonFilter{}, service.Page{Limit: store.MaxPageSize})
	ok(t, err)
	if people.Total != writers*each {
		t.Fatalf("%d people, want %d", people.Total, writers*each)
	}
	refs := map[string]bool{}
	for _, p := range people.Items {
		refs[p.Ref] = true
	}
	for i := 1; i <= writers*each; i++ {
		if ref := fmt.Sprintf("P-%03d", i); !refs[ref] {
			t.Errorf("reference %s was not handed out (duplicates or gaps)", ref)
		}
	}
}

// testExportAuditCSV checks the export an auditor opens in a spreadsheet: BOM, header, oldest first, one row per
// event, filters, and cells that a spreadsheet would run as formulas are defused.
func testExportAuditCSV(t *testing.T, e *env) {
	o := testutil.NewOrg(t, e.svc, "Export Org")
	_, _, err := e.svc.CreateToken(o.Ctx("viewer"), `=HYPERLINK("http://evil.example","x")`)
	ok(t, err)
	// An email address may legally start with a formula character; that member then appears as the actor.
	evil := "=cmd|calc!a0@evil.example"
	evilActor := testutil.Join(t, e.svc, o.Ctx("owner"), evil, "", isms.RoleEditor, false)
	_, err = e.svc.AddPerson(service.WithActor(context.Background(), evilActor), service.PersonInput{Name: "+SUM(1,2)"})
	ok(t, err)

	var buf bytes.Buffer
	ok(t, e.svc.ExportAuditCSV(o.Ctx("auditor"), service.AuditFilter{}, &buf))
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeff") {
		t.Fatal("no UTF-8 BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	ok(t, err)
	if !slices.Equal(rows[0], service.AuditCSVHeader) {
		t.Fatalf("header = %v", rows[0])
	}
	events := trail(t, e, orgID(o))
	if len(rows)-1 != len(events) {
		t.Fatalf("%d rows for %d events", len(rows)-1, len(events))
	}
	col := func(name string) int { return slices.Index(service.AuditCSVHeader, name) }
	for i, row := range rows[1:] {
		ev := events[i]
		if row[col("seq")] != fmt.Sprint(ev.Seq) || row[col("hash")] != ev.Hash || row[col("prev_hash")] != ev.PrevHash ||
			row[col("entity_id")] != ev.EntityID || row[col("action")] != ev.Action {
			t.Errorf("row %d = %v does not match event %+v", i+1, row, ev)
		}
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("row %d: cell %q would run as a spreadsheet formula", i+1, cell)
			}
		}
	}
	if !strings.Contains(out, `'=HYPERLINK`) || !strings.Contains(out, "'"+evil) {
		t.Errorf("formula cells not kept in defused form:\n%s", out)
	}

	buf.Reset()
	ok(t, e.svc.ExportAuditCSV(o.Ctx("admin"), service.AuditFilter{Entity: "api token"}, &buf))
	rows, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	ok(t, err)
	if len(rows) != 2 || rows[1][col("entity")] != "api token" {
		t.Fatalf("filtered export = %v", rows)
	}

	entities, actions, actors, err := e.svc.AuditFacets(o.Ctx("auditor"))
	ok(t, err)
	for _, want := range []string{"api token", "member", "organisation", "person"} {
		if !slices.Contains(entities, want) {
			t.Errorf("facet entities %v lack %q", entities, want)
		}
	}
	if !slices.IsSorted(entities) || !slices.Contains(actions, "create") || !slices.Contains(actions, "add") ||
		!slices.Contains(actors, evil) || !slices.Contains(actors, o.Actors["owner"].Email) {
		t.Errorf("facets = %v %v %v", entities, actions, actors)
	}
}
