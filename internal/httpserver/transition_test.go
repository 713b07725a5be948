package httpserver_test

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// transitionTenants imports a 2013 SoA into both organisations of the isolation tests, B's saying Bravo in its
// justification and notes, so that A's transition pages and report would show a leak.
func transitionTenants(t *testing.T, svc *service.Service, a, b testutil.Org) {
	t.Helper()
	for _, imp := range []struct {
		org  testutil.Org
		file string
	}{
		{a, "control,applicable,justification,status\nA.5.1.1,yes,Alpha policies,implemented\n"},
		{b, "control,applicable,justification,status,notes\nA.5.1.1,no,Bravo does without,,Bravo note\nA.5.1.2,yes,Bravo reviews,planned,\n"},
	} {
		if _, err := svc.ImportTransition(imp.org.Ctx("editor"), "csv", strings.NewReader(imp.file), service.TransitionImportInput{Overwrite: true}); err != nil {
			t.Fatal(err)
		}
	}
}

// transitionReads are the transition's reads of each door.
var (
	transitionAPIReads = []string{"/transition", "/transition/report?format=md", "/transition/report?format=xlsx"}
	transitionWebReads = []string{"/transition", "/transition/report?format=md"}
)
