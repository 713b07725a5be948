package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation has one ISMS owner (the CISO) and one sponsor (the CEO), so no role warning; three
// commitments by the CEO; and five objectives, one achieved and one overdue, the risk links naming real risks.
func TestDemoLeadership(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		roles, err := e.svc.ListRoles(ctx, service.RoleFilter{}, service.Page{Limit: 100})
		ok(t, err)
		holders := map[string]string{}
		for _, r := range roles.Items {
			holders[r.Kind+" "+r.Name] = r.PersonName
		}
		if len(roles.Warnings) != 0 || roles.Total < 5 || holders["sponsor Top-management sponsor"] != "Maya Patel" ||
			holders["isms-owner ISMS owner (CISO)"] != "Daniel Kim" {
			t.Fatalf("demo roles: %d, warnings %q, holders %v", roles.Total, roles.Warnings, holders)
		}
		commitments, err := e.svc.ListCommitments(ctx, service.CommitmentFilter{Person: "P-001"}, service.Page{})
		ok(t, err)
		if commitments.Total != 3 {
			t.Fatalf("demo commitments by Maya: %d", commitments.Total)
		}
		objectives, err := e.svc.ListObjectives(ctx, service.ObjectiveFilter{}, service.Page{})
		ok(t, err)
		today := e.svc.Today()
		var achieved, overdue int
		for _, o := range objectives.Items {
			if o.Status == "achieved" {
				achieved++
			}
			if o.Overdue(today) {
				overdue++
			}
			for _, ref := range o.Risks {
				r, err := e.svc.Risk(ctx, ref)
				ok(t, err)
				if ref == "R-002" && !strings.Contains(r.Title, "Phishing") {
					t.Errorf("%s serves %s %q, meant the phishing risk", o.Ref, ref, r.Title)
				}
			}
		}
		if objectives.Total != 5 || achieved != 1 || overdue != 1 {
			t.Fatalf("demo objectives: %d, %d achieved, %d overdue", objectives.Total, achieved, overdue)
		}
	})
}
