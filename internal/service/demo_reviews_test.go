package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation has corrective actions in several states (one closed after an effective check, one
// overdue after a check that found it not effective, one in progress), a held management review with its
// frozen inputs, notes, decisions and minutes, and the next review planned; the trail keeps moving forward.
func TestDemoReviews(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		l, err := e.svc.ListCorrective(ctx, service.CorrectiveFilter{}, service.Page{})
		ok(t, err)
		today := e.svc.Today()
		state := map[string]string{}
		for _, c := range l.Items {
			s := c.Status + "/" + c.CheckResult
			if c.Overdue(today) {
				s += "/overdue"
			}
			state[c.Ref] = s
		}
		if state["CA-001"] != "closed/effective" || state["CA-002"] != "open/not-effective/overdue" || state["CA-003"] != "in-progress/" {
			t.Fatalf("demo corrective actions: %v", state)
		}
		reviews, err := e.svc.ListReviews(ctx, service.ReviewFilter{}, service.Page{})
		ok(t, err)
		if reviews.Total != 2 || reviews.Items[0].Status != "held" || reviews.Items[1].Status != "planned" {
			t.Fatalf("demo reviews: %+v", reviews.Items)
		}
		held := reviews.Items[0]
		if held.Inputs == nil || len(held.Inputs.Section(isms.InputNonconformities).Items) == 0 || len(held.Inputs.Section(isms.InputAudits).Items) == 0 {
			t.Fatalf("the held review's inputs: %+v", held.Inputs)
		}
		var md bytes.Buffer
		ok(t, e.svc.ReviewMinutes(ctx, held.Ref, "md", &md))
		for _, want := range []string{"Maya Patel, CEO (chair)", "Hire a second security engineer", "Hotfixes are merged without code review", "supplier questionnaires"} {
			if !strings.Contains(md.String(), want) {
				t.Fatalf("the demo minutes lack %q:\n%s", want, md.String())
			}
		}
		events, err := e.svc.ListAudit(ctx, service.AuditFilter{Entity: "management review"}, service.Page{Limit: 1})
		ok(t, err)
		if len(events.Items) == 0 || events.Items[0].At.After(e.clock.Now()) {
			t.Fatalf("the newest event: %+v", events.Items)
		}
	})
}
