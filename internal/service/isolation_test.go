package service_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// snapshot is everything an organisation holds, as its owner sees it, to prove that nothing changed.
type snapshot struct {
	members []isms.Membership
	people  []isms.Person
	tokens  []isms.APIToken
	events  int
}

func takeSnapshot(t *testing.T, e *env, o testutil.Org) snapshot {
	t.Helper()
	ctx := o.Ctx("owner")
	all := service.Page{Limit: store.MaxPageSize}
	m, err := e.svc.ListMembers(ctx, all)
	ok(t, err)
	p, err := e.svc.ListPeople(ctx, service.PersonFilter{}, all)
	ok(t, err)
	tk, err := e.svc.ListTokens(ctx, all)
	ok(t, err)
	// Tokens made in the same instant have no defined order: compare them by id.
	slices.SortFunc(tk.Items, func(x, y isms.APIToken) int { return strings.Compare(x.ID, y.ID) })
	return snapshot{members: m.Items, people: p.Items, tokens: tk.Items, events: len(trail(t, e, orgID(o)))}
}

func sameSnapshot(t *testing.T, what string, a, b snapshot) {
	t.Helper()
	if a.events != b.events {
		t.Errorf("%s: audit events %d -> %d", what, a.events, b.events)
	}
	if !slices.EqualFunc(a.members, b.members, func(x, y isms.Membership) bool { return x == y }) {
		t.Errorf("%s: members changed:\n%+v\n%+v", what, a.members, b.members)
	}
	if !slices.EqualFunc(a.people, b.people, func(x, y isms.Person) bool { return x == y }) {
		t.Errorf("%s: people changed:\n%+v\n%+v", what, a.people, b.people)
	}
	if len(a.tokens) != len(b.tokens) {
		t.Errorf("%s: tokens %d -> %d", what, len(a.tokens), len(b.tokens))
	}
	for i := range min(len(a.tokens), len(b.tokens)) {
		if a.tokens[i].ID != b.tokens[i].ID || (a.tokens[i].RevokedAt == nil) != (b.tokens[i].RevokedAt == nil) {
			t.Errorf("%s: token %s changed", what, a.tokens[i].Name)
		}
	}
}

// TestOrganisationIsolation: nothing of organisation B shows in A's lists, and A cannot read, change or remove
// B's objects by their ids or references: every such attempt is NotFound and changes nothing.
func testOrganisationIsolation(t *testing.T, e *env) {
	a := testutil.NewOrg(t, e.svc, "Org A")
	b := testutil.NewOrg(t, e.svc, "Org B")
	// A has one person, B has three: B's P-003 has no namesake in A.
	_, err := e.svc.AddPerson(a.Ctx("editor"), service.PersonInput{Name: "Alice of A", Department: "Shared"})
	ok(t, err)
	var bPeople []isms.Person
	for _, n := range []string{"Bob of B", "Carol of B", "Dan of B"} {
		p, err := e.svc.AddPerson(b.Ctx("editor"), service.PersonInput{Name: n, Department: "Shared", Email: strings.ToLower(strings.Fields(n)[0]) + "@org-b.example"})
		ok(t, err)
		bPeople = append(bPeople, p)
	}
	_, _, err = e.svc.CreateToken(a.Ctx("viewer"), "a token")
	ok(t, err)
	bSecret, bToken, err := e.svc.CreateToken(b.Ctx("viewer"), "b token")
	ok(t, err)
	_, _, err = e.svc.CreateToken(b.Ctx("owner"), "b owner token")
	ok(t, err)
	bIDs := map[string]bool{}
	for _, p := range bPeople {
		bIDs[p.ID] = true
	}
	for _, role := range everyone {
		bIDs[b.Actors[role].UserID] = true
	}

	t.Run("lists", func(t *testing.T) {
		aID := orgID(a)
		for _, role := range []string{"owner", "admin", "auditor"} {
			ctx := a.Ctx(role)
			members, err := e.svc.ListMembers(ctx, service.Page{Limit: store.MaxPageSize})
			ok(t, err)
			if members.Total != 6 {
				t.Errorf("A has %d members, want 6", members.Total)
			}
			for _, m := range members.Items {
				if m.OrgID != aID || bIDs[m.UserID] || strings.Contains(m.Email, "org-b") {
					t.Errorf("A's member list shows %+v", m)
				}
			}
			events, err := e.svc.ListAudit(ctx, service.AuditFilter{}, service.Page{Limit: store.MaxPageSize})
			ok(t, err)
			if events.Total != len(trail(t, e, aID)) {
				t.Errorf("A's audit list has %d events, its trail %d", events.Total, len(trail(t, e, aID)))
			}
			for _, ev := range events.Items {
				if ev.OrgID != aID || bIDs[ev.EntityID] || bIDs[ev.ActorID] || strings.Contains(ev.Actor, "org-b") {
					t.Errorf("A's audit trail shows event %d of org %s by %s: %s %s %s", ev.Seq, ev.OrgID, ev.Actor, ev.Action, ev.Entity, ev.Ref)
				}
			}
			// Filtering A's trail by a B actor finds nothing.
			byB, err := e.svc.ListAudit(ctx, service.AuditFilter{Actor: b.Actors["editor"].Email}, service.Page{})
			ok(t, err)
			if byB.Total != 0 {
				t.Errorf("A's trail filtered by B's editor has %d events", byB.Total)
			}
			_, _, actors, err := e.svc.AuditFacets(ctx)
			ok(t, err)
			for _, x := range actors {
				if strings.Contains(x, "org-b") {
					t.Errorf("A's audit facets name %s", x)
				}
			}
			var csv bytes.Buffer
			ok(t, e.svc.ExportAuditCSV(ctx, service.AuditFilter{}, &csv))
			if strings.Contains(csv.String(), "org-b") || strings.Contains(csv.String(), "of B") {
				t.Errorf("A's audit CSV mentions B")
			}
		}
		for _, role := range everyone {
			ctx := a.Ctx(role)
			people, err := e.svc.ListPeople(ctx, service.PersonFilter{}, service.Page{Limit: store.MaxPageSize})
			ok(t, err)
			if people.Total != 1 || len(people.Items) != 1 || people.Items[0].Name != "Alice of A" {
				t.Errorf("A's people as %s = %+v", role, people.Items)
			}
			// A search or a filter that matches B's people finds nothing in A.
			for _, f := range []service.PersonFilter{{Search: "of B"}, {Search: "org-b"}} {
				l, err := e.svc.ListPeople(ctx, f, service.Page{})
				ok(t, err)
				if l.Total != 0 {
					t.Errorf("A's people filtered by %+v = %+v", f, l.Items)
				}
			}
			tokens, err := e.svc.ListTokens(ctx, service.Page{Limit: store.MaxPageSize})
			ok(t, err)
			for _, tk := range tokens.Items {
				if tk.OrgID != aID || tk.ID == bToken.ID || strings.HasPrefix(tk.Name, "b ") {
					t.Errorf("A's tokens as %s show %+v", role, tk)
				}
			}
			org, err := e.svc.Organisation(ctx)
			ok(t, err)
			if org.ID != aID {
				t.Errorf("A's organisation is %+v", org)
			}
		}
	})

	t.Run("lookups", func(t *testing.T) {
		beforeA, beforeB := takeSnapshot(t, e, a), takeSnapshot(t, e, b)
		owner := a.Ctx("owner")
		for _, ref := range []string{"P-003", bPeople[0].ID, bPeople[2].ID} {
			_, err := e.svc.Person(owner, ref)
			wantKind(t, err, isms.KindNotFound, "A reads B's person "+ref)
			_, err = e.svc.UpdatePerson(owner, ref, service.PersonInput{Name: "Hijacked", Version: 1})
			wantKind(t, err, isms.KindNotFound, "A updates B's person "+ref)
		}
		// B's P-001 exists in A as A's own P-001: that one is A's, never B's.
		p, err := e.svc.Person(owner, "P-001")
		ok(t, err)
		if p.Name != "Alice of A" {
			t.Errorf("A's P-001 is %+v", p)
		}
		for _, role := range []string{"editor", "viewer", "owner"} {
			uid := b.Actors[role].UserID
			_, err := e.svc.UpdateMember(owner, uid, service.UpdateMemberInput{Role: isms.RoleAdmin, Version: 1})
			wantKind(t, err, isms.KindNotFound, "A updates B's "+role)
			wantKind(t, e.svc.RemoveMember(owner, uid), isms.KindNotFound, "A removes B's "+role)
		}
		for _, role := range []string{"owner", "viewer"} {
			wantKind(t, e.svc.RevokeToken(a.Ctx(role), bToken.ID), isms.KindNotFound, "A's "+role+" revokes B's token")
		}
		sameSnapshot(t, "A", beforeA, takeSnapshot(t, e, a))
		sameSnapshot(t, "B", beforeB, takeSnapshot(t, e, b))
		if act, err := e.svc.TokenActor(context.Background(), bSecret); err != nil || act.OrgID != orgID(b) {
			t.Fatalf("B's token after A's attempts: %+v, %v", act, err)
		}
		if got := verifyOrg(t, e, a.Slug); !got.Intact {
			t.Errorf("A's trail broken: %+v", got)
		}
	})

	t.Run("member of both", func(t *testing.T) {
		// A user who belongs to both organisations: removing them from A revokes their token in A only.
		ed := a.Actors["editor"]
		inB := testutil.Join(t, e.svc, b.Ctx("admin"), ed.Email, "", isms.RoleViewer, false)
		if inB.Role != isms.RoleViewer || inB.UserID != ed.UserID {
			t.Fatalf("editor of A in B = %+v", inB)
		}
		secretA, _, err := e.svc.CreateToken(a.Ctx("editor"), "in A")
		ok(t, err)
		secretB, _, err := e.svc.CreateToken(service.WithActor(context.Background(), inB), "in B")
		ok(t, err)
		actB, err := e.svc.TokenActor(context.Background(), secretB)
		ok(t, err)
		if actB.OrgID != orgID(b) || actB.Role != isms.RoleViewer {
			t.Fatalf("token made in B acts as %+v", actB)
		}
		ok(t, e.svc.RemoveMember(a.Ctx("owner"), ed.UserID))
		_, err = e.svc.TokenActor(context.Background(), secretA)
		wantKind(t, err, isms.KindUnauthenticated, "token in A after removal from A")
		if _, err := e.svc.TokenActor(context.Background(), secretB); err != nil {
			t.Fatalf("token in B revoked by a removal from A: %v", err)
		}
	})
}
