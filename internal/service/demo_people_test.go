package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample's staff have teams, managers and employment types; two were never screened, and the contractor who
// left still has a membership and a token, so the warning shows.
func TestDemoStaff(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		open, err := e.svc.LeaversWithOpenAccess(ctx)
		ok(t, err)
		if len(open) != 1 || open[0].Name != "Ravi Shah" || open[0].What() != "member as editor, 1 API token" {
			t.Fatalf("leavers with open access: %+v", open)
		}
		gaps, err := e.svc.StaffOverview(ctx, 5)
		ok(t, err)
		if gaps.NotScreened != 2 || gaps.NoTerms != 1 {
			t.Fatalf("gaps: %+v", gaps)
		}
		for f, want := range map[service.PersonFilter]int{{Employment: "contractor"}: 4, {Team: "Platform"}: 3} {
			l, err := e.svc.ListPeople(ctx, f, service.Page{})
			ok(t, err)
			if l.Total != want {
				t.Errorf("%+v: %d, want %d", f, l.Total, want)
			}
		}
		sofia, err := e.svc.ListPeople(ctx, service.PersonFilter{Search: "sofia@"}, service.Page{})
		ok(t, err)
		reports, err := e.svc.ListPeople(ctx, service.PersonFilter{Manager: sofia.Items[0].Ref}, service.Page{})
		ok(t, err)
		if reports.Total != 5 {
			t.Errorf("Sofia manages %d people, want 5", reports.Total)
		}
		// The staff records are in the trail (TestDemoPolicySet checks that the whole trail moves forward).
		trail, err := e.svc.ListAudit(ctx, service.AuditFilter{Entity: "person", Action: "update"}, service.Page{Limit: 1})
		ok(t, err)
		if len(trail.Items) == 0 || trail.Items[0].Ref == "" {
			t.Errorf("no update of a person in the trail: %+v", trail.Items)
		}
	})
}
