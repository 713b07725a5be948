package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// A larger sample (praxis demo --scale) adds its assets, risks with links and actions, and an audit trail of
// the size asked for, with a chain that verifies; loading it again adds nothing.
func TestDemoSample(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		size := service.SampleSize{Assets: 30, Risks: 2_500, AuditEvents: 9_000} // more risks than one batch
		var reported []string
		created, _, err := e.svc.DemoSample(context.Background(), size, func(what string, done, total int) {
			if done == total {
				reported = append(reported, what)
			}
		})
		ok(t, err)
		if !created {
			t.Fatal("the sample was not created")
		}
		if len(reported) != 3 {
			t.Errorf("progress finished %v, want assets, risks and audit events", reported)
		}
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		risks, err := e.svc.ListRisks(ctx, service.RiskFilter{Sort: "-ref"}, service.Page{Limit: 5})
		ok(t, err)
		assets, err := e.svc.ListAssets(ctx, service.AssetFilter{}, service.Page{Limit: 1})
		ok(t, err)
		actions, err := e.svc.ListActions(ctx, service.ActionFilter{}, service.Page{Limit: 1})
		ok(t, err)
		demoRisks, demoAssets := 12, 14
		if risks.Total != demoRisks+size.Risks || assets.Total != demoAssets+size.Assets || actions.Total < size.Risks/2 {
			t.Fatalf("sample holds %d risks, %d assets, %d actions", risks.Total, assets.Total, actions.Total)
		}
		for _, r := range risks.Items {
			if len(r.Assets) == 0 || r.Owner == "" || r.Score == 0 {
				t.Errorf("sample risk without assets, owner or score: %+v", r)
			}
		}
		res, err := e.svc.VerifyAuditTrail(context.Background(), service.DemoOrgSlug)
		ok(t, err)
		if len(res) != 1 || !res[0].Intact || res[0].Events != int64(size.AuditEvents) {
			t.Fatalf("audit trail after the sample: %+v", res)
		}
		created, _, err = e.svc.DemoSample(context.Background(), size, nil)
		ok(t, err)
		again, err := e.svc.ListRisks(ctx, service.RiskFilter{}, service.Page{Limit: 1})
		ok(t, err)
		if created || again.Total != risks.Total {
			t.Fatalf("loading the sample again: created %v, %d risks", created, again.Total)
		}
	})
}
