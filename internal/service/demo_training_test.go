package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation has three courses with records: a few people overdue, a few never trained, the
// secure coding course reaching the engineers only and the privacy course its one team.
func TestDemoTraining(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		counts, err := e.svc.TrainingCompletion(ctx)
		ok(t, err)
		got := map[string]service.TrainingCounts{}
		for _, c := range counts {
			got[c.Title] = c
		}
		awareness, coding, privacy := got["Security awareness"], got["Secure coding"], got["Handling customer personal data"]
		if awareness.Audience != 15 || awareness.Overdue != 2 || awareness.DueSoon != 1 || awareness.Never != 1 {
			t.Errorf("awareness %+v", awareness)
		}
		if coding.Audience != 4 || coding.Overdue != 1 || coding.Never != 1 {
			t.Errorf("secure coding %+v", coding)
		}
		if privacy.Audience != 1 || privacy.Current != 1 {
			t.Errorf("privacy %+v", privacy)
		}
		records, err := e.svc.ListTraining(ctx, service.TrainingFilter{}, service.Page{})
		ok(t, err)
		if records.Total != 21 {
			t.Errorf("%d records", records.Total)
		}
	})
}
