package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation has tasks for applicable controls: two done, the quarterly access review's next
// quarter open, a yearly restore test, two overdue, and one of the owner's (who signs in first).
func TestDemoTasks(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		count := func(f service.TaskFilter) int {
			t.Helper()
			l, err := e.svc.ListTasks(ctx, f, service.Page{})
			ok(t, err)
			return l.Total
		}
		if n := count(service.TaskFilter{Status: "done"}); n != 2 {
			t.Errorf("done: %d", n)
		}
		if n := count(service.TaskFilter{Overdue: "yes"}); n != 2 {
			t.Errorf("overdue: %d", n)
		}
		if n := count(service.TaskFilter{Mine: "yes"}); n != 1 {
			t.Errorf("the owner's tasks: %d", n)
		}
		reviews, err := e.svc.ListTasks(ctx, service.TaskFilter{Control: "5.18", Sort: "due"}, service.Page{})
		ok(t, err)
		if reviews.Total != 2 || reviews.Items[0].Status != "done" || reviews.Items[1].Status != "open" || reviews.Items[1].Previous != reviews.Items[0].Ref {
			t.Fatalf("access reviews: %+v", reviews.Items)
		}
		restore, err := e.svc.ListTasks(ctx, service.TaskFilter{Control: "8.13"}, service.Page{})
		ok(t, err)
		if restore.Total != 1 || restore.Items[0].Recurrence != "yearly" || restore.Items[0].Checks.Done != 1 {
			t.Fatalf("restore test: %+v", restore.Items)
		}
	})
}
