package service_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// placeholderText is what a template prints for a fact it does not know.
var placeholderText = regexp.MustCompile(`\[[^\]]*not yet [a-z]+[^\]]*\]`)

// The sample organisation's policy set: 15 or more documents, most approved, drafted from Northwind's own facts
// (no placeholder left, its role holders named), the set published with acknowledgements partly in, and the
// audit trail still in time order.
func TestDemoPolicySet(t *testing.T) {
	e := demoEnv(t, "sqlite")
	a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
	ok(t, err)
	ctx := service.WithActor(context.Background(), a)
	l, err := e.svc.ListDocuments(ctx, service.DocumentFilter{}, service.Page{Limit: 100})
	ok(t, err)
	approved := 0
	for _, d := range l.Items {
		if d.Approved > 0 {
			approved++
		}
	}
	if l.Total < 15 || approved*4 < l.Total*3 {
		t.Errorf("%d documents, %d approved", l.Total, approved)
	}
	partly := 0
	for _, d := range l.Items {
		v, err := e.svc.DocumentVersion(ctx, d.Ref, 0)
		ok(t, err)
		if m := placeholderText.FindString(v.Content); m != "" {
			t.Errorf("%s %s keeps the placeholder %s", d.Ref, d.Title, m)
		}
		if d.Approved == 0 {
			continue
		}
		acks, err := e.svc.DocumentAcknowledgements(ctx, d.Ref, 0)
		ok(t, err)
		if acks.Done > 0 && acks.Done < acks.Total {
			partly++
		}
	}
	if partly < 3 {
		t.Errorf("%d documents are partly acknowledged, want the policy and the published set", partly)
	}
	sec, err := e.svc.ListDocuments(ctx, service.DocumentFilter{Search: "Secure development"}, service.Page{Limit: 1})
	ok(t, err)
	if len(sec.Items) != 1 || sec.Items[0].OwnerName != "Sofia Rossi" || sec.Items[0].Status != isms.DocApproved {
		t.Fatalf("secure development policy: %+v", sec.Items)
	}
	trail, err := e.svc.ListAudit(ctx, service.AuditFilter{}, service.Page{Limit: 500})
	ok(t, err)
	for i := 1; i < len(trail.Items); i++ {
		if trail.Items[i].At.After(trail.Items[i-1].At) { // newest first
			t.Fatalf("the audit trail goes back in time at %d: %s after %s", i, trail.Items[i].At, trail.Items[i-1].At)
		}
	}
}
