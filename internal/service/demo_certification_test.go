package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation is preparing for certification: the body is chosen, Stage 1 is planned about five
// weeks ahead and Stage 2 about three months ahead, the cycle shows both planned, step 8 is a quarter done,
// and the certification events are the newest of the trail, none in the future.
func TestDemoCertification(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		cycle, err := e.svc.CertificationCycle(ctx)
		ok(t, err)
		day := func(n int) string { return e.clock.Now().AddDate(0, 0, n).Format(time.DateOnly) }
		if cycle.Body != "Meridian Assurance Ltd" || cycle.Certificate != nil || len(cycle.Steps) != 2 ||
			cycle.Steps[0] != (isms.CycleStep{Kind: "stage-1", Label: "Stage 1 audit", Audit: "CERT-001", Date: day(35), State: isms.StepPlanned}) ||
			cycle.Steps[1].Audit != "CERT-002" || cycle.Steps[1].Date != day(91) {
			t.Fatalf("demo cycle: %+v", cycle)
		}
		r, err := e.svc.Readiness(ctx)
		ok(t, err)
		if r.Steps[7].Percent != 25 {
			t.Fatalf("step 8: %+v", r.Steps[7])
		}
		// The certification step is among the last: its events are in the last few, none in the future.
		events, err := e.svc.ListAudit(ctx, service.AuditFilter{}, service.Page{Limit: 5})
		ok(t, err)
		found := false
		for _, ev := range events.Items {
			found = found || ev.Entity == "certification audit"
			if ev.At.After(e.clock.Now()) {
				t.Fatalf("an event in the future: %+v", ev)
			}
		}
		if !found {
			t.Fatalf("no certification audit among the newest events: %+v", events.Items)
		}
	})
}
