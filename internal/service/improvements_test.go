package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// An improvement names where it came from with a reference of that source's shape (the registers behind them
// may not exist yet); a wrong shape, source or date is refused and saves nothing; the day defaults to today.
func TestImprovementSource(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Daniel Kim"})
		ok(t, err)
		_, err = e.svc.AddImprovement(ctx, service.ImprovementInput{Title: "Quarterly access reviews", Source: "review", SourceRef: "CA-001", MadeOn: "1 May"})
		wantKind(t, err, isms.KindInvalid, "wrong shape")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"made_on", "source_ref"}) {
			t.Fatalf("problems: %v", got)
		}
		_, err = e.svc.AddImprovement(ctx, service.ImprovementInput{Title: "Quarterly access reviews", Source: "gossip"})
		wantKind(t, err, isms.KindInvalid, "unknown source")
		l, err := e.svc.ListImprovements(ctx, service.ImprovementFilter{}, service.Page{})
		ok(t, err)
		if l.Total != 0 {
			t.Fatalf("a refused improvement was saved: %+v", l.Items)
		}
		m, err := e.svc.AddImprovement(ctx, service.ImprovementInput{Title: "Quarterly access reviews", Description: "Reviews moved from yearly to quarterly",
			Reason: "Leavers kept access for weeks", Source: "Corrective", SourceRef: "ca-004", Owner: "Daniel Kim"})
		ok(t, err)
		if m.Ref != "IMP-001" || m.Source != "corrective" || m.SourceRef != "CA-004" || m.MadeOn != e.svc.Today() || m.Owner != "P-001" {
			t.Fatalf("added: %+v", m)
		}
		_, err = e.svc.PatchImprovement(ctx, "IMP-001", service.ImprovementInput{Source: "audit", Version: 1, Sent: service.SentOf("source")})
		wantKind(t, err, isms.KindInvalid, "source changed without a reference of its shape")
		m, err = e.svc.PatchImprovement(ctx, "IMP-001", service.ImprovementInput{Source: "audit", SourceRef: "AU-002", Version: 1, Sent: service.SentOf("source", "source_ref")})
		ok(t, err)
		if m.Source != "audit" || m.SourceRef != "AU-002" || m.Reason != "Leavers kept access for weeks" || m.Version != 2 {
			t.Fatalf("patched: %+v", m)
		}
		l, err = e.svc.ListImprovements(ctx, service.ImprovementFilter{Source: "audit"}, service.Page{})
		ok(t, err)
		if l.Total != 1 {
			t.Fatalf("by source: %+v", l)
		}
	})
}
