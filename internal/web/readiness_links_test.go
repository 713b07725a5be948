package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Every place the roadmap and the lint send a user to fix something opens: each step's link, each measure's and
// each finding's, on a new organisation (where every rule of a missing thing fires) and on the sample (where the
// planted problems and the records they name do).
func TestReadinessLinksOpen(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	checkReadinessLinks(t, srv, c["owner"], org.Ctx("owner"))

	demo := testutil.StartDemoServer(t, sqldb.SQLite)
	a, err := demo.Svc.OperatorActor(t.Context(), service.DemoOrgSlug, "")
	if err != nil {
		t.Fatal(err)
	}
	checkReadinessLinks(t, demo, demo.Login(t, a.Email, service.DemoPassword), service.WithActor(t.Context(), a))
}

func checkReadinessLinks(t *testing.T, srv *testutil.Server, c *http.Client, ctx context.Context) {
	t.Helper()
	r, err := srv.Svc.Readiness(ctx)
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]string{}
	for _, s := range r.Steps {
		links[s.Link] = "step " + s.Name
		for _, m := range s.Measures {
			if m.Link != "" {
				links[m.Link] = "measure " + m.Label
			}
		}
	}
	l, err := srv.Svc.Lint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range l.Findings {
		links[f.Link] = "finding " + f.Rule + " " + f.Ref
	}
	for link, what := range links {
		path, _, _ := strings.Cut(link, "#")
		if a := get(t, srv, c, path); a.Status != http.StatusOK {
			t.Errorf("%s links to %s: %d", what, link, a.Status)
		}
	}
}
