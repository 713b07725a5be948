package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation measures six metrics with a year of monthly values, linked to its objectives and
// controls: one is off target, one is late, the others on target; its improvement log cites where each change
// came from. The audit trail keeps moving forward.
func TestDemoPerformance(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		metrics, err := e.svc.ListMetrics(ctx, service.MetricFilter{}, service.Page{})
		ok(t, err)
		var off, late, linked []string
		for _, m := range metrics.Items {
			if m.Status == isms.MetricOffTarget {
				off = append(off, m.Ref)
			}
			if m.Late {
				late = append(late, m.Ref)
			}
			if m.Objective != "" && len(m.Controls) > 0 {
				linked = append(linked, m.Ref)
			}
			if len(m.Recent) < 9 || m.Trend == "" {
				t.Errorf("%s: %d values, trend %q", m.Ref, len(m.Recent), m.Trend)
			}
		}
		if metrics.Total != 6 || len(off) != 1 || off[0] != "M-002" || len(late) != 1 || late[0] != "M-004" || len(linked) != 5 {
			t.Fatalf("demo metrics: %d, off target %v, late %v, linked %v", metrics.Total, off, late, linked)
		}
		imps, err := e.svc.ListImprovements(ctx, service.ImprovementFilter{}, service.Page{})
		ok(t, err)
		sources := map[string]bool{}
		for _, m := range imps.Items {
			sources[m.Source] = m.SourceRef != ""
		}
		if imps.Total != 5 || !sources["review"] || !sources["corrective"] || !sources["audit"] {
			t.Fatalf("demo improvements: %+v", imps.Items)
		}
		events, err := e.svc.ListAudit(ctx, service.AuditFilter{}, service.Page{Limit: 500})
		ok(t, err)
		for i := 1; i < len(events.Items); i++ { // the latest first
			if events.Items[i].At.After(events.Items[i-1].At) {
				t.Fatalf("the trail goes back in time: %s %s after %s %s", events.Items[i].Entity, events.Items[i].At, events.Items[i-1].Entity, events.Items[i-1].At)
			}
		}
	})
}
