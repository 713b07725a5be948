package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

func actions(evs []isms.AuditEvent) []string {
	out := []string{}
	for _, ev := range evs {
		out = append(out, ev.Action)
	}
	return out
}

// An issue is added with the next reference and its owner resolved by name, changed in part and as a whole,
// refused when stale or invalid (nothing changed), and deleted; each change is one audit event.
func TestIssueLifecycle(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		owner, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Grace Hopper", Email: "grace@acme.example"})
		ok(t, err)
		i, err := e.svc.AddIssue(ctx, service.IssueInput{Title: " Remote-first workforce ", Kind: "Internal", Effect: "Laptops hold data outside offices",
			Owner: "grace hopper", ReviewDate: "2026-09-01"})
		ok(t, err)
		if i.Ref != "I-001" || i.Title != "Remote-first workforce" || i.Kind != "internal" || i.Owner != owner.Ref || i.OwnerName != "Grace Hopper" || i.Version != 1 {
			t.Fatalf("added: %+v", i)
		}
		i, err = e.svc.PatchIssue(ctx, i.Ref, service.IssueInput{Notes: "Discussed at the management review", Version: 1, Sent: service.SentOf("notes")})
		ok(t, err)
		if i.Notes == "" || i.Effect != "Laptops hold data outside offices" || i.Owner != owner.Ref || i.Version != 2 {
			t.Fatalf("patched: %+v", i)
		}
		_, err = e.svc.PatchIssue(ctx, i.Ref, service.IssueInput{Title: "Stale", Version: 1, Sent: service.SentOf("title")})
		wantKind(t, err, isms.KindConflict, "stale version")
		_, err = e.svc.UpdateIssue(ctx, i.Ref, service.IssueInput{Title: "", Kind: "sideways", Owner: "nobody", ReviewDate: "next week", Version: 2,
			Sent: service.SentOf("title", "kind", "owner", "review_date")})
		wantKind(t, err, isms.KindInvalid, "bad input")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"kind", "owner", "review_date", "title"}) {
			t.Fatalf("fields: %v (%v)", got, err)
		}
		_, err = e.svc.UpdateIssue(ctx, i.Ref, service.IssueInput{Title: "No kind", Version: 2, Sent: service.SentOf("title", "version")})
		wantKind(t, err, isms.KindInvalid, "PUT without kind")
		saved, err := e.svc.Issue(ctx, "I-001")
		ok(t, err)
		if saved.Version != 2 || saved.Title != "Remote-first workforce" {
			t.Fatalf("saved after refusals: %+v", saved)
		}
		_, err = e.svc.AddIssue(o.Ctx("viewer"), service.IssueInput{Title: "x", Kind: "external"})
		wantKind(t, err, isms.KindForbidden, "viewer adds")
		ok(t, e.svc.DeleteIssue(ctx, "I-001"))
		_, err = e.svc.Issue(ctx, "I-001")
		wantKind(t, err, isms.KindNotFound, "deleted issue")
		if got := actions(events(t, e, o, "issue")); !slices.Equal(got, []string{"create", "update", "delete"}) {
			t.Fatalf("audit of the issue: %v", got)
		}
		l, err := e.svc.ListIssues(ctx, service.IssueFilter{}, service.Page{})
		ok(t, err)
		if l.Total != 0 {
			t.Fatalf("issues left: %d", l.Total)
		}
	})
}

// A party's requirements are rows of their own: each names its party, is typed, checks its controls against the
// catalog, shows on the party, and goes (recorded in the trail) when the party is deleted.
func TestPartyRequirements(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		p, err := e.svc.AddParty(ctx, service.PartyInput{Name: "Enterprise customers", Kind: "customer"})
		ok(t, err)
		if p.Ref != "IP-001" {
			t.Fatalf("party ref %s", p.Ref)
		}
		_, err = e.svc.AddParty(ctx, service.PartyInput{Name: "", Kind: "alien"})
		wantKind(t, err, isms.KindInvalid, "bad party")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"kind", "name"}) {
			t.Fatalf("party fields: %v", got)
		}
		r, err := e.svc.AddRequirement(ctx, service.RequirementInput{Party: "enterprise customers", Text: "Security clauses in the master agreement",
			Type: "Contractual", Addressed: "Contract review before signature", Controls: []string{"A.5.20", "5.31, 5.20"}})
		ok(t, err)
		if r.Ref != "REQ-001" || r.Party != "IP-001" || r.Type != "contractual" || !slices.Equal(r.Controls, []string{"5.20", "5.31"}) || !r.Binding() {
			t.Fatalf("requirement: %+v", r)
		}
		_, err = e.svc.AddRequirement(ctx, service.RequirementInput{Party: "IP-404", Text: "x", Type: "wish", Controls: []string{"5.99"}})
		wantKind(t, err, isms.KindInvalid, "bad requirement")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"controls", "party", "type"}) {
			t.Fatalf("requirement fields: %v (%v)", got, err)
		}
		r, err = e.svc.PatchRequirement(ctx, r.Ref, service.RequirementInput{Controls: []string{"8.24"}, Version: 1, Sent: service.SentOf("controls")})
		ok(t, err)
		if !slices.Equal(r.Controls, []string{"8.24"}) || r.Party != "IP-001" || r.Text == "" {
			t.Fatalf("patched requirement: %+v", r)
		}
		got, err := e.svc.Party(ctx, "IP-001")
		ok(t, err)
		if len(got.Requirements) != 1 || got.Requirements[0].Ref != "REQ-001" {
			t.Fatalf("party with requirements: %+v", got)
		}
		ok(t, e.svc.DeleteParty(ctx, "IP-001"))
		_, err = e.svc.Requirement(ctx, "REQ-001")
		wantKind(t, err, isms.KindNotFound, "requirement of a deleted party")
		evs := events(t, e, o, "party")
		if last := evs[len(evs)-1]; last.Action != "delete" || !strings.Contains(string(last.Before), "Security clauses") {
			t.Fatalf("delete event: %+v", last)
		}
		if got := actions(events(t, e, o, "requirement")); !slices.Equal(got, []string{"create", "update"}) {
			t.Fatalf("audit of the requirement: %v", got)
		}
	})
}
