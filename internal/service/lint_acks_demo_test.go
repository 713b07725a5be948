package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation has one acknowledged finding, its changed scope, shown with who, why and until when
// and not counted.
func TestDemoLintAcknowledgement(t *testing.T) {
	eachDemoParallel(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		r, err := e.svc.Lint(service.WithActor(context.Background(), a))
		ok(t, err)
		f := findingOf(t, r, "scope-changed")
		if k := f.Acknowledged; k == nil || k.By != "Maya Patel" || k.Reason == "" || k.ExpiresOn <= e.svc.Today() {
			t.Fatalf("the sample's changed scope: %+v", f)
		}
	})
}
