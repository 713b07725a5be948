package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The transition sample: Harbourside's 2013 SoA imported, four decisions taken since, and the workspace left
// with exactly the new controls not yet decided and the two conflicts its exclusions make; a task written
// against a 2013 id sits under the 2022 control it became; loading it again adds nothing.
func TestDemoTransition(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		created, logins, err := e.svc.DemoTransition(context.Background())
		ok(t, err)
		if !created || len(logins) != 2 || logins[0].Role != isms.RoleOwner || logins[0].Org != service.DemoTransitionOrgName {
			t.Fatalf("created %v, logins %+v", created, logins)
		}
		a, err := e.svc.OperatorActor(context.Background(), service.DemoTransitionOrgSlug, "omar@harbourside.example")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		st, err := e.svc.TransitionStatus(ctx)
		ok(t, err)
		var open, conflicts []string
		for _, it := range st.Open() {
			open = append(open, it.Control)
		}
		for _, it := range st.Controls {
			if it.Outcome == isms.TransitionConflict {
				conflicts = append(conflicts, it.Control)
			}
		}
		wantOpen := []string{"5.30", "7.10", "8.9", "8.10", "8.11", "8.16", "8.23", "8.28", "8.31"}
		if !st.Imported || len(st.Rows) != 114 || st.Marked != 13 || st.Decided != 4 || !slices.Equal(open, wantOpen) ||
			!slices.Equal(conflicts, []string{"7.10", "8.31"}) {
			t.Fatalf("transition: imported %v, %d rows, %d of %d decided, open %v, conflicts %v", st.Imported, len(st.Rows), st.Decided, st.Marked, open, conflicts)
		}
		e76, err := e.svc.SoAEntry(ctx, "7.6")
		ok(t, err)
		if e76.Applicability() != "no" || !strings.Contains(e76.Justification, "server room closed") {
			t.Errorf("7.6 should take A.11.1.5's exclusion: %+v", e76)
		}
		e57, err := e.svc.SoAEntry(ctx, "5.7")
		ok(t, err)
		if e57.Applicability() != "yes" || e57.Status != isms.SoAPlanned || e57.OwnerName != "Grace Liu" {
			t.Errorf("5.7 decided since the import: %+v", e57)
		}
		tasks, err := e.svc.ListTasks(ctx, service.TaskFilter{}, service.Page{Limit: 10})
		ok(t, err)
		if tasks.Total != 1 || tasks.Items[0].Control != "8.13" {
			t.Errorf("the task planned against A.12.3.1: %+v", tasks.Items)
		}

		created, _, err = e.svc.DemoTransition(context.Background())
		ok(t, err)
		again, err := e.svc.TransitionStatus(ctx)
		ok(t, err)
		if created || again.Decided != 4 || again.ImportedAt.Compare(*st.ImportedAt) != 0 {
			t.Fatalf("loading the sample again: created %v, %d decided", created, again.Decided)
		}
	})
}
