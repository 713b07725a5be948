package service_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// checkKeysetMatchesOffset reads a list by keyset, forwards page by page and then back from the last page, and
// checks that both give exactly the rows and order of the list read by offset.
func checkKeysetMatchesOffset[T any](t *testing.T, name string, byOffset func(service.Page) (service.List[T], error),
	byKey func(service.Seek) (service.Keyset[T], error), key func(T) string) {
	t.Helper()
	all, err := byOffset(service.Page{Limit: 500})
	ok(t, err)
	want := make([]string, len(all.Items))
	for i, x := range all.Items {
		want[i] = key(x)
	}
	keys := func(l service.Keyset[T]) []string {
		out := make([]string, len(l.Items))
		for i, x := range l.Items {
			out[i] = key(x)
		}
		return out
	}
	const size = 3
	var got []string
	var pages []service.Keyset[T]
	for after := ""; ; {
		p, err := byKey(service.Seek{After: after, Limit: size})
		ok(t, err)
		if p.Total != all.Total {
			t.Fatalf("%s: keyset total %d, offset total %d", name, p.Total, all.Total)
		}
		got, pages = append(got, keys(p)...), append(pages, p)
		if after = p.Next; after == "" || len(pages) > 100 {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: forward by keyset %v, by offset %v", name, got, want)
	}
	for i := len(pages) - 1; i > 0; i-- {
		back, err := byKey(service.Seek{Before: pages[i].Prev, Limit: size})
		ok(t, err)
		if !slices.Equal(keys(back), keys(pages[i-1])) {
			t.Errorf("%s: back from page %d: %v, want %v", name, i+1, keys(back), keys(pages[i-1]))
		}
	}
	if _, err := byKey(service.Seek{After: "not-a-cursor", Limit: size}); isms.ErrorKind(err) != isms.KindInvalid {
		t.Errorf("%s: a bad cursor gave %v, want Invalid", name, err)
	}
}

// The treatment plan and the audit trail read by keyset (the web pagers, the API's after=) give the rows the
// offset pages give, in the same order, on both engines: the plan's dated actions by due date with ties by
// reference, then the undated ones, across the boundary and with filters; the trail newest first.
func TestPlanAndAuditKeysetMatchOffset(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("owner")
		owner, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Ola Owner"})
		ok(t, err)
		r, err := e.svc.AddRisk(ctx, service.RiskInput{Title: "Phishing", Likelihood: 2, Impact: 2, Treatment: isms.TreatModify})
		ok(t, err)
		dues := []string{"2026-03-01", "", "2026-01-15", "2026-03-01", "", "2026-01-15", "2027-01-01", "2026-03-01", "", "2025-12-31", "2026-03-01"}
		for i, due := range dues {
			in := service.ActionInput{Title: fmt.Sprintf("Action %d", i), Due: due, Status: isms.ActionStatuses[i%len(isms.ActionStatuses)]}
			if i%2 == 0 {
				in.Owner = owner.Ref
			}
			_, err := e.svc.AddAction(ctx, r.Ref, in)
			ok(t, err)
		}
		today := e.svc.Today()
		for _, f := range []service.ActionFilter{{}, {Status: "planned"}, {Owner: owner.Ref}, {OverdueOn: today}, {Risk: r.Ref, Search: "action 1"}} {
			checkKeysetMatchesOffset(t, fmt.Sprintf("plan %+v", f),
				func(p service.Page) (service.List[isms.TreatmentAction], error) { return e.svc.ListActions(ctx, f, p) },
				func(s service.Seek) (service.Keyset[isms.TreatmentAction], error) {
					return e.svc.ListActionsKeyset(ctx, f, s)
				},
				func(a isms.TreatmentAction) string { return a.Ref })
		}
		for _, f := range []service.AuditFilter{{}, {Entity: "treatment action"}} {
			checkKeysetMatchesOffset(t, fmt.Sprintf("audit %+v", f),
				func(p service.Page) (service.List[isms.AuditEvent], error) { return e.svc.ListAudit(ctx, f, p) },
				func(s service.Seek) (service.Keyset[isms.AuditEvent], error) { return e.svc.ListAuditKeyset(ctx, f, s) },
				func(ev isms.AuditEvent) string { return fmt.Sprint(ev.Seq) })
		}
	})
}

// The register sorted by owner reads by keyset (owners in name order, each owner's risks by id) what offset
// paging gives, both ways and with a filter: risks without an owner first (last when descending), owners of the
// same name one after the other.
func TestOwnerSortKeysetMatchesOffset(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("owner")
		var owners []string
		for _, name := range []string{"bob", "Ann", "ann", "Cleo"} {
			p, err := e.svc.AddPerson(ctx, service.PersonInput{Name: name})
			ok(t, err)
			owners = append(owners, p.Ref)
		}
		for i := range 14 {
			in := service.RiskInput{Title: fmt.Sprintf("Risk %d", i), Likelihood: 1 + i%3, Impact: 2, Treatment: isms.TreatModify}
			if i%5 != 0 {
				in.Owner = owners[i%len(owners)]
			}
			_, err := e.svc.AddRisk(ctx, in)
			ok(t, err)
		}
		for _, f := range []service.RiskFilter{{Sort: "owner"}, {Sort: "-owner"}, {Sort: "owner", Likelihood: 2}} {
			checkKeysetMatchesOffset(t, fmt.Sprintf("risks %+v", f),
				func(p service.Page) (service.List[isms.Risk], error) { return e.svc.ListRisks(ctx, f, p) },
				func(s service.Seek) (service.Keyset[isms.Risk], error) { return e.svc.ListRisksKeyset(ctx, f, s) },
				func(r isms.Risk) string { return r.Ref + "/" + r.OwnerName })
		}
		l, err := e.svc.ListRisks(ctx, service.RiskFilter{Sort: "owner"}, service.Page{Limit: 100})
		ok(t, err)
		var names []string
		for _, r := range l.Items {
			if len(names) == 0 || names[len(names)-1] != r.OwnerName {
				names = append(names, r.OwnerName)
			}
		}
		if want := []string{"", "Ann", "ann", "bob", "Cleo"}; !slices.Equal(names, want) {
			t.Errorf("owners in order %q, want %q", names, want)
		}
	})
}
