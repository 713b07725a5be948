package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation's documents: two versions each, one in review, one overdue for review, and the
// policy in force partly acknowledged.
func TestDemoDocuments(t *testing.T) {
	e := demoEnv(t, "sqlite")
	a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
	ok(t, err)
	ctx := service.WithActor(context.Background(), a)
	l, err := e.svc.ListDocuments(ctx, service.DocumentFilter{}, service.Page{})
	ok(t, err)
	status := map[string]int{}
	for _, d := range l.Items {
		status[d.Status]++
		if d.Latest != 2 && d.Ref <= "DOC-003" { // Northwind's own three; the policy set has one version each
			t.Errorf("%s has %d versions", d.Ref, d.Latest)
		}
	}
	if l.Total < 3 || status[isms.DocInReview] != 1 || status[isms.DocApproved] < 1 || status[isms.DocDraft] < 1 {
		t.Errorf("documents by status: %v", status)
	}
	overdue, err := e.svc.OverdueDocuments(ctx)
	ok(t, err)
	if overdue != 1 {
		t.Errorf("%d overdue", overdue)
	}
	acks, err := e.svc.DocumentAcknowledgements(ctx, "DOC-001", 0)
	ok(t, err)
	if acks.Number != 2 || acks.Done == 0 || acks.Done >= acks.Total {
		t.Errorf("policy acknowledgements: %d of %d (version %d)", acks.Done, acks.Total, acks.Number)
	}
}
