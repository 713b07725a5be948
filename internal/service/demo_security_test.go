package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation's owner finds a week of sign-ins with a mistyped password on the Security page and a
// new starter's invitation still open on the Members page.
func TestDemoSecurity(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		events, err := e.svc.ListSecurityEvents(ctx, service.Page{Limit: 50})
		ok(t, err)
		kinds := map[string]int{}
		for _, ev := range events.Items {
			kinds[ev.Kind]++
			if ev.Email == "admin@northwind.example" {
				t.Errorf("the owner sees a failed login for an address that is no member: %+v", ev)
			}
			if e.clock.Now().Sub(ev.At).Hours() > 7*24 {
				t.Errorf("event %+v is older than the week the demo writes", ev)
			}
		}
		if kinds[isms.EventLogin] < 5 || kinds[isms.EventLoginFailed] != 1 {
			t.Fatalf("demo security events by kind: %v", kinds)
		}
		inv, err := e.svc.ListInvitations(ctx, "open", service.Page{Limit: 50})
		ok(t, err)
		if len(inv.Items) != 1 || inv.Items[0].Email != "new.analyst@northwind.example" || inv.Items[0].Role != isms.RoleViewer {
			t.Fatalf("open demo invitations: %+v", inv.Items)
		}
	})
}
