package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// eachEditor is eachEngine with a fresh organisation, Acme, whose editor's context fn works in: the set-up of
// the register tests.
func eachEditor(t *testing.T, fn func(t *testing.T, e *env, o testutil.Org, ctx context.Context)) {
	t.Helper()
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		fn(t, e, o, o.Ctx("editor"))
	})
}
