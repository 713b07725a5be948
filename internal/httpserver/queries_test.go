package httpserver_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Every main page and list runs a fixed number of statements: showing 40 rows costs no more than showing 2, so a
// query per row (N+1) fails here, and a budget per request keeps pages from growing statement by statement.
func TestStatementsPerPage(t *testing.T) {
	srv, owner, token := sampleServer(t, service.SampleSize{Assets: 60, Risks: 120, AuditEvents: 600})
	web := srv.Login(t, owner.Email, service.DemoPassword)
	// statements runs the request and returns how many statements the store ran for it.
	statements := func(t *testing.T, path string) int64 {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		client := web
		if strings.HasPrefix(path, "/api/") {
			client = srv.Client()
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Cache-Control", "no-cache") // what the list costs to read, not its remembered answer
		}
		before := srv.Svc.Store().Statements()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return srv.Svc.Store().Statements() - before
	}
	statements(t, "/api/v1/me") // the token's first use is recorded once; it is no part of what a list costs
	// The budgets are at most today's counts before anything is remembered: raise one only for a statement the page
	// really needs.
	lists := map[string]int64{"/risks": 15, "/risks?sort=-score&q=through": 15, "/risks/plan": 15, "/assets": 12, "/people": 10, // 10: the staff overview
		"/audit": 13, "/api/v1/risks": 9, "/api/v1/risks?sort=owner&band=high": 10, "/api/v1/assets": 7,
		"/api/v1/treatment-actions": 7, "/api/v1/people": 6, "/api/v1/audit-events": 7, "/api/v1/members": 6, "/documents": 12, "/api/v1/documents": 6,
		"/roles": 12, "/commitments": 11, "/objectives": 11, "/objectives?overdue=1&status=at-risk": 11, "/api/v1/roles": 7,
		"/api/v1/commitments": 6, "/api/v1/objectives": 6,
		"/issues": 11, "/parties": 9, "/scope": 10, "/api/v1/issues": 3, "/api/v1/parties": 3, "/api/v1/requirements": 3, "/api/v1/scope": 4,
		"/tasks": 12, "/tasks?mine=yes&overdue=no": 13, "/api/v1/tasks": 7, "/api/v1/tasks?control=5.18&overdue=yes": 7,
		"/audits": 12, "/findings": 9, "/api/v1/audits": 4, "/api/v1/findings": 3,
		"/metrics": 12, "/metrics?late=1": 12, "/improvements": 11, "/api/v1/metrics": 4, "/api/v1/improvements": 3,
		"/certification": 10, "/api/v1/certification": 3}
	// Pages deep in the plan and the trail, read by keyset as their pagers and the API's next lead, cost what the
	// first pages do.
	actx := service.WithActor(context.Background(), owner)
	plan, err := srv.Svc.ListActionsKeyset(actx, service.ActionFilter{}, service.Seek{Limit: 60})
	if err != nil || plan.Next == "" {
		t.Fatalf("plan: %v, next %q", err, plan.Next)
	}
	trail, err := srv.Svc.ListAuditKeyset(actx, service.AuditFilter{}, service.Seek{Limit: 300})
	if err != nil || trail.Next == "" {
		t.Fatalf("trail: %v, next %q", err, trail.Next)
	}
	for path, budget := range map[string]int64{"/risks/plan?after=" + plan.Next: 15, "/audit?after=" + trail.Next: 13,
		"/api/v1/treatment-actions?after=" + plan.Next: 7, "/api/v1/audit-events?after=" + trail.Next: 7} {
		lists[path] = budget
	}
	for path, budget := range lists {
		t.Run(path, func(t *testing.T) {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			// One request first, so that what a page remembers until the trail moves on (totals, the audit page's
			// menus) is in place for both measured requests alike.
			statements(t, path+sep+"limit=2")
			few, many := statements(t, path+sep+"limit=2"), statements(t, path+sep+"limit=40")
			if many > few || few > budget {
				t.Errorf("GET %s runs %d statements for 2 rows and %d for 40 (budget %d)", path, few, many, budget)
			}
		})
	}
	// "/": the risk methodology prompt and one count per dashboard card (staff, training, corrective actions,
	// late metrics), and one run of the checks (the roadmap and what to do next).
	// The heat map page: each of its two maps reads the audit head to reuse its remembered counts.
	pages := map[string]int64{"/": 37 + checksStatements, "/risks/heatmap": 13, "/risks/R-100": 20, "/assets/A-050": 16, "/members": 11, "/security": 10,
		"/api/v1/risks/R-100": 12, "/api/v1/risks/heatmap": 6, "/api/v1/assets/A-050": 5,
		"/api/v1/soa": 7, "/api/v1/soa/8.28": 6, "/documents/DOC-001": 17, "/api/v1/documents/DOC-001/acknowledgements": 7,
		"/roles/RL-001": 11, "/objectives/OBJ-001": 10, "/api/v1/objectives/OBJ-001": 5,
		"/tasks/T-001": 12, "/api/v1/tasks/T-001": 6,
		"/audits/programme": 10, "/audits/AU-002": 22, "/findings/F-001": 8, "/api/v1/audits/AU-002/checklist": 8, "/api/v1/audits/programme": 4,
		"/metrics/M-001": 11, "/api/v1/metrics/M-001": 3, "/api/v1/metrics/M-001/chart.svg": 3,
		"/certification/CERT-001": 10, "/api/v1/certification/CERT-001": 2, "/api/v1/certification/cycle": 2,
		"/readiness": 7 + checksStatements, "/api/v1/lint": 1 + checksStatements, "/api/v1/readiness": 1 + checksStatements,
		"/transition": 12, "/api/v1/transition": 6}
	for path, budget := range pages {
		t.Run(path, func(t *testing.T) {
			n := statements(t, path)
			if n > budget {
				t.Errorf("GET %s runs %d statements (budget %d)", path, n, budget)
			}
		})
	}
}

// checksStatements is one run of the lint and readiness checks (service/checks.go): each check group's one or
// two aggregate queries and the acknowledgements: 35 for nine groups and the acknowledgements, the same for 2 rows
// as for 40 (the sample's counts do not change it). A new group adds its share here.
const checksStatements = 35

// sampleServer starts a server on SQLite with the sample organisation at size, and returns its owner and an API
// token of theirs, for tests that count the statements of requests.
func sampleServer(t *testing.T, size service.SampleSize) (*testutil.Server, service.Actor, string) {
	t.Helper()
	srv := testutil.StartServer(t, sqldb.SQLite)
	ctx := context.Background()
	_, logins, err := srv.Svc.DemoSample(ctx, size, nil)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := srv.Svc.OperatorActor(ctx, service.DemoOrgSlug, logins[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := srv.Svc.IssueToken(service.WithActor(ctx, owner), service.TokenInput{Name: "statements"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, owner, token
}
