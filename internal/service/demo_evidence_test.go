package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation shows evidence of every kind: files that download as they were stored, one expiring,
// one expired, a link and an auditor's note, found under their controls.
func TestDemoEvidence(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		l, err := e.svc.ListEvidence(ctx, service.EvidenceFilter{}, service.Page{})
		ok(t, err)
		kinds, statuses := map[string]int{}, map[string]int{}
		walkthroughs := 0
		for _, ev := range l.Items {
			if strings.HasPrefix(ev.Title, "Walk-through of the ") && strings.HasSuffix(ev.Title, " controls") {
				walkthroughs++ // the CISO's notes behind every implemented control (demoWalkthroughs)
				continue
			}
			kinds[ev.Kind]++
			statuses[ev.Status]++
		}
		if kinds["file"] != 3 || kinds["link"] != 1 || kinds["note"] != 1 || statuses["expired"] != 1 || statuses["expiring"] != 1 || walkthroughs == 0 {
			t.Fatalf("demo evidence: kinds %v, statuses %v", kinds, statuses)
		}
		for control, want := range map[string]string{"8.28": "Static analysis", "5.18": "access review", "8.13": "Restore test"} {
			l, err := e.svc.EvidenceFor(ctx, control, service.Page{})
			ok(t, err)
			if l.Total == 0 || !strings.Contains(strings.ToLower(l.Items[len(l.Items)-1].Title+l.Items[0].Title), strings.ToLower(want)) {
				t.Errorf("evidence for %s: %+v", control, l.Items)
			}
		}
		got, err := readEvidenceFile(t, e.svc, ctx, "E-002")
		ok(t, err)
		if !strings.HasPrefix(got, "user,system,role") {
			t.Fatalf("access review export: %q", got)
		}
	})
}
