package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation has its context: eight issues, seven parties with two or three requirements each
// (legal and contractual among them), and a scope approved once and changed since.
func TestDemoContext(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		issues, err := e.svc.ListIssues(ctx, service.IssueFilter{}, service.Page{})
		ok(t, err)
		parties, err := e.svc.ListParties(ctx, service.PartyFilter{}, service.Page{})
		ok(t, err)
		legal, err := e.svc.ListRequirements(ctx, service.RequirementFilter{Type: "legal"}, service.Page{})
		ok(t, err)
		contractual, err := e.svc.ListRequirements(ctx, service.RequirementFilter{Type: "contractual"}, service.Page{})
		ok(t, err)
		if issues.Total != 8 || parties.Total != 7 || legal.Total < 2 || contractual.Total < 4 {
			t.Fatalf("demo context: %d issues, %d parties, %d legal and %d contractual requirements", issues.Total, parties.Total, legal.Total, contractual.Total)
		}
		v, err := e.svc.Scope(ctx)
		ok(t, err)
		if v.Status != service.ScopeChanged || v.Approval == nil || v.Approval.Number != 1 || len(v.Exclusions) != 2 {
			t.Fatalf("demo scope: %+v", v)
		}
		d, err := e.svc.DiffScope(ctx, "1", "draft")
		ok(t, err)
		if len(d.Changes) != 1 || d.Changes[0].Field != "systems" {
			t.Fatalf("demo scope draft change: %+v", d)
		}
	})
}
