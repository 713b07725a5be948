package web_test

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
	"github.com/praxis-isms/praxis/internal/web"
)

// answer is one HTTP response, read whole.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

func do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// get requests path from srv as client c.
func get(t *testing.T, srv *testutil.Server, c *http.Client, path string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, c, req)
}

// post submits a form as a browser does (same-origin Origin header, urlencoded body).
func post(t *testing.T, srv *testutil.Server, c *http.Client, path string, form url.Values) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	return do(t, c, req)
}

// expect fails the test unless a has the status and contains every string of want.
func expect(t *testing.T, what string, a answer, status int, want ...string) {
	t.Helper()
	if a.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, a.Status, status, a.Body)
	}
	for _, w := range want {
		if !strings.Contains(a.Body, w) {
			t.Fatalf("%s: body lacks %q\n%s", what, w, a.Body)
		}
	}
}

// refuse fails the test if a contains any string of unwanted.
func refuse(t *testing.T, what string, a answer, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(a.Body, u) {
			t.Fatalf("%s: body contains %q\n%s", what, u, a.Body)
		}
	}
}

// startOrg starts a server with the organisation Acme (one member per role) and logs in the given roles.
func startOrg(t *testing.T, roles ...string) (*testutil.Server, testutil.Org, map[string]*http.Client) {
	t.Helper()
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	clients := map[string]*http.Client{}
	for _, r := range roles {
		clients[r] = srv.Login(t, r+"@acme.example", testutil.Password)
	}
	return srv, org, clients
}

// TestEveryPageRenders renders each page template through a real request and checks that no page is left
// out: a new template without a case here fails the test.
func TestEveryPageRenders(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer")
	if _, err := srv.Svc.AddPerson(org.Ctx("owner"), service.PersonInput{Name: "Ada Lovelace", Department: "Engineering"}); err != nil {
		t.Fatal(err)
	}
	fresh := testutil.StartServer(t, sqldb.SQLite)
	invitation, _, err := srv.Svc.CreateInvitation(org.Ctx("owner"), service.InviteInput{Email: "guest@example.org", Role: isms.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	resetToken, err := srv.Svc.OperatorResetLink(t.Context(), "viewer@acme.example", false)
	if err != nil {
		t.Fatal(err)
	}
	addLeadershipRows(t, srv.Svc, org.Ctx("owner"))
	completeSoA(t, srv.Svc, org.Ctx("owner"))
	if _, err := srv.Svc.ApproveSoA(org.Ctx("owner"), "first"); err != nil {
		t.Fatal(err)
	}
	doc := documentFixture(t, srv, org)
	contextSample(t, srv.Svc, org.Ctx("owner"))
	if _, err := srv.Svc.AddEvidence(org.Ctx("owner"), service.EvidenceInput{Title: "Restore test", Description: "Restored the HR database"}); err != nil {
		t.Fatal(err)
	}
	trainingSample(t, srv.Svc, org.Ctx("owner"))
	performanceSample(t, srv.Svc, org.Ctx("owner"))
	if _, err := srv.Svc.AddTask(org.Ctx("owner"), service.TaskInput{Title: "Secure coding rules", Control: "8.28"}); err != nil {
		t.Fatal(err)
	}
	auditSample(t, srv.Svc, org.Ctx("owner"))
	correctiveSample(t, srv.Svc, org.Ctx("owner"))
	certificationSample(t, srv.Svc, org.Ctx("owner"))
	pending := srv.Client() // half-way through a two-factor login
	u, _ := url.Parse(srv.URL + "/login/code")
	pending.Jar.SetCookies(u, []*http.Cookie{{Name: "praxis_pending", Value: "x", Path: "/login/code"}})

	cases := []struct {
		page   string
		srv    *testutil.Server
		client *http.Client
		path   string
		status int
		want   string
	}{
		{"dashboard", srv, c["owner"], "/", http.StatusOK, "<h1>Acme</h1>"},
		{"readiness", srv, c["owner"], "/readiness", http.StatusOK, "<h1>Readiness for certification</h1>"},
		{"login", srv, srv.Client(), "/login", http.StatusOK, "<h1>Log in</h1>"},
		{"setup", fresh, fresh.Client(), "/setup", http.StatusOK, "<h1>Set up praxis</h1>"},
		{"password", srv, c["owner"], "/password", http.StatusOK, "<h1>Change password</h1>"},
		{"org_new", srv, c["owner"], "/orgs/new", http.StatusOK, "<h1>New organisation</h1>"},
		{"invite", srv, srv.Client(), "/invite/" + invitation, http.StatusOK, "<h1>Join Acme</h1>"},
		{"tokens", srv, c["owner"], "/settings/tokens", http.StatusOK, "<h1>API tokens</h1>"},
		{"members", srv, c["owner"], "/members", http.StatusOK, "<h1>Members</h1>"},
		{"people", srv, c["owner"], "/people", http.StatusOK, "<h1>People</h1>"},
		{"person", srv, c["owner"], "/people/P-001", http.StatusOK, `action="/people/P-001"`},
		{"audit", srv, c["owner"], "/audit", http.StatusOK, "<h1>Audit trail</h1>"},
		{"error", srv, c["viewer"], "/audit", http.StatusForbidden, "<h1>Not allowed</h1>"},
		{"catalog", srv, c["viewer"], "/catalog", http.StatusOK, "<h1>Annex A controls</h1>"},
		{"catalog_control", srv, c["viewer"], "/catalog/controls/8.28", http.StatusOK, `<span class="ctl-id">8.28</span>`},
		{"catalog_control2013", srv, c["viewer"], "/catalog/controls/A.14.2.1", http.StatusOK, `<span class="ctl-id">A.14.2.1</span>`},
		{"catalog_clauses", srv, c["viewer"], "/catalog/clauses", http.StatusOK, "<h1>Clauses 4 to 10</h1>"},
		{"catalog_clause", srv, c["viewer"], "/catalog/clauses/6.1", http.StatusOK, `<span class="ctl-id">6.1</span>`},
		{"catalog_documents", srv, c["viewer"], "/catalog/documents", http.StatusOK, "<h1>Mandatory documents</h1>"},
		{"catalog_mapping", srv, c["viewer"], "/catalog/mapping", http.StatusOK, "2013 → 2022</h1>"},
		{"catalog_coverage", srv, c["viewer"], "/catalog/coverage", http.StatusOK, "<h1>Attribute coverage</h1>"},
		{"assets", srv, c["owner"], "/assets", http.StatusOK, "<h1>Asset inventory</h1>"},
		{"risks", srv, c["owner"], "/risks", http.StatusOK, "<h1>Risk register</h1>"},
		{"risk", srv, c["owner"], "/risks/new", http.StatusOK, "<h1>New risk</h1>"},
		{"risk_heatmap", srv, c["owner"], "/risks/heatmap", http.StatusOK, "<h1>Risk heat maps</h1>"},
		{"risk_plan", srv, c["owner"], "/risks/plan", http.StatusOK, "<h1>Risk treatment plan</h1>"},
		{"risk_method", srv, c["owner"], "/risks/method", http.StatusOK, "<h1>Risk method</h1>"},
		{"risk_import", srv, c["owner"], "/risks/import", http.StatusOK, "<h1>Import risks</h1>"},
		{"login_code", srv, pending, "/login/code", http.StatusOK, "<h1>Two-factor code</h1>"},
		{"org_choose", srv, c["owner"], "/orgs/choose", http.StatusOK, "<h1>Choose an organisation</h1>"},
		{"two_factor", srv, c["viewer"], "/settings/two-factor", http.StatusOK, "<h1>Two-factor authentication</h1>"},
		{"security", srv, c["owner"], "/security", http.StatusOK, "<h1>Security</h1>"},
		{"reset", srv, srv.Client(), "/reset/" + resetToken, http.StatusOK, "viewer@acme.example"},
		{"soa", srv, c["owner"], "/soa", http.StatusOK, "<h1>Statement of Applicability</h1>"},
		{"soa_entry", srv, c["viewer"], "/soa/8.28", http.StatusOK, `<span class="ctl-id">8.28</span> Secure coding</h1>`},
		{"soa_versions", srv, c["viewer"], "/soa/versions", http.StatusOK, "<h1>Approved versions</h1>"},
		{"soa_version", srv, c["viewer"], "/soa/versions/1", http.StatusOK, "<h1>Statement of Applicability, version 1</h1>"},
		{"soa_diff", srv, c["viewer"], "/soa/diff", http.StatusOK, "<h1>Compare two SoAs</h1>"},
		{"transition", srv, c["viewer"], "/transition", http.StatusOK, "<h1>Transition from ISO/IEC 27001:2013 to 2022</h1>"},
		{"documents", srv, c["viewer"], "/documents", http.StatusOK, "<h1>Documents</h1>"},
		{"mandatory", srv, c["viewer"], "/documents/mandatory", http.StatusOK, "<h1>Mandatory documented information</h1>"},
		{"document", srv, c["owner"], "/documents/" + doc, http.StatusOK, "Acceptable use <span class=\"muted\">" + doc},
		{"document_version", srv, c["viewer"], "/documents/" + doc + "/versions/1", http.StatusOK, "<span class=\"muted\">version 1</span></h1>"},
		{"document_diff", srv, c["viewer"], "/documents/" + doc + "/diff?from=1&to=2&view=side", http.StatusOK, "version 1 to 2</h1>"},
		{"roles", srv, c["owner"], "/roles", http.StatusOK, "<h1>Roles and responsibilities</h1>"},
		{"role", srv, c["viewer"], "/roles/RL-001", http.StatusOK, "Top-management sponsor"},
		{"commitments", srv, c["owner"], "/commitments", http.StatusOK, "<h1>Leadership commitments</h1>"},
		{"commitment", srv, c["owner"], "/commitments/LC-001", http.StatusOK, `action="/commitments/LC-001"`},
		{"objectives", srv, c["owner"], "/objectives", http.StatusOK, "<h1>Information security objectives</h1>"},
		{"objective", srv, c["owner"], "/objectives/OBJ-001", http.StatusOK, `action="/objectives/OBJ-001"`},
		{"evidence", srv, c["owner"], "/evidence", http.StatusOK, "<h1>Evidence</h1>"},
		{"evidence_item", srv, c["owner"], "/evidence/E-001", http.StatusOK, `action="/evidence/E-001"`},
		{"metrics", srv, c["owner"], "/metrics", http.StatusOK, "<h1>Metrics</h1>"},
		{"metric", srv, c["owner"], "/metrics/M-001", http.StatusOK, `class="chart trend-chart"`},
		{"improvements", srv, c["owner"], "/improvements", http.StatusOK, "<h1>Improvement log</h1>"},
		{"improvement", srv, c["owner"], "/improvements/IMP-001", http.StatusOK, `action="/improvements/IMP-001"`},
		{"tasks", srv, c["owner"], "/tasks", http.StatusOK, "<h1>Tasks</h1>"},
		{"task", srv, c["owner"], "/tasks/T-001", http.StatusOK, `action="/tasks/T-001/done"`},
		{"control_work", srv, c["viewer"], "/controls/8.28", http.StatusOK, `<span class="ctl-id">8.28</span> Secure coding</h1>`},
		{"corrective_list", srv, c["owner"], "/corrective", http.StatusOK, "<h1>Corrective actions</h1>"},
		{"corrective", srv, c["owner"], "/corrective/CA-001", http.StatusOK, `action="/corrective/CA-001/verify"`},
		{"reviews", srv, c["owner"], "/reviews", http.StatusOK, "<h1>Management reviews</h1>"},
		{"review", srv, c["owner"], "/reviews/MR-001", http.StatusOK, `action="/reviews/MR-001/hold"`},
		{"issues", srv, c["owner"], "/issues", http.StatusOK, "<h1>Internal and external issues</h1>"},
		{"issues_edit", srv, c["owner"], "/issues/I-001", http.StatusOK, `action="/issues/I-001"`},
		{"parties", srv, c["owner"], "/parties", http.StatusOK, "<h1>Interested parties</h1>"},
		{"party", srv, c["owner"], "/parties/IP-001", http.StatusOK, "Requirements (1)"},
		{"scope", srv, c["owner"], "/scope", http.StatusOK, "Changed since approval"},
		{"scope_versions", srv, c["viewer"], "/scope/versions", http.StatusOK, "<h1>Approved versions of the scope</h1>"},
		{"scope_version", srv, c["viewer"], "/scope/versions/1", http.StatusOK, "<h1>ISMS scope, version 1</h1>"},
		{"scope_diff", srv, c["viewer"], "/scope/diff", http.StatusOK, "Systems and services"},
		{"courses", srv, c["owner"], "/courses", http.StatusOK, "<h1>Training and awareness courses</h1>"},
		{"course", srv, c["viewer"], "/courses/C-001", http.StatusOK, "of 1 trained"},
		{"training", srv, c["owner"], "/training", http.StatusOK, "<h1>Training records</h1>"},
		{"training_record", srv, c["owner"], "/training/TR-001", http.StatusOK, `action="/training/TR-001"`},
		{"training_overdue", srv, c["viewer"], "/training/overdue", http.StatusOK, "<h1>Who needs training</h1>"},
		{"audit_programme", srv, c["viewer"], "/audits/programme", http.StatusOK, "<h1>Audit programme</h1>"},
		{"audits", srv, c["owner"], "/audits", http.StatusOK, "<h1>Internal audits</h1>"},
		{"audit_show", srv, c["owner"], "/audits/AU-001", http.StatusOK, `action="/audits/AU-001/items/A.8.28"`},
		{"findings", srv, c["owner"], "/findings", http.StatusOK, "<h1>Findings</h1>"},
		{"finding", srv, c["owner"], "/findings/F-001", http.StatusOK, `action="/findings/F-001"`},
		{"certification", srv, c["viewer"], "/certification", http.StatusOK, "<h1>Certification</h1>"},
		{"certification_audit", srv, c["owner"], "/certification/CERT-001", http.StatusOK, `action="/certification/CERT-001"`},
		{"auditor_pack", srv, c["owner"], "/auditor-pack", http.StatusOK, "<h1>Auditor pack</h1>"},
	}
	visited := map[string]bool{}
	for _, tc := range cases {
		a := get(t, tc.srv, tc.client, tc.path)
		expect(t, tc.page+" page at "+tc.path, a, tc.status, tc.want, "</html>")
		if ct := a.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tc.path, ct)
		}
		visited[tc.page] = true
	}

	// The reset link page answers a form.
	expect(t, "reset link", post(t, srv, c["owner"], "/members/"+org.Actors["viewer"].UserID+"/reset-link", nil), http.StatusOK, srv.URL+"/reset/")
	visited["reset_link"] = true

	names := web.New(srv.Svc, web.Config{}).PageNames()
	slices.Sort(names)
	for _, n := range names {
		if !visited[n] {
			t.Errorf("page %q has no render case in TestEveryPageRenders: add a request that renders it", n)
		}
	}
	for p := range visited {
		if !slices.Contains(names, p) {
			t.Errorf("render case %q names no template (templates: %v)", p, names)
		}
	}
	if len(names) != len(visited) {
		t.Errorf("%d templates, %d pages rendered: %v", len(names), len(visited), names)
	}
}

// TestPagesNeedLogin sends anonymous visitors of the new pages to the login page, keeping where they were going.
func TestPagesNeedLogin(t *testing.T) {
	srv, org, _ := startOrg(t)
	anon := srv.Client()
	for _, p := range []string{"/members", "/people", "/people/P-001", "/audit", "/audit/export.csv"} {
		a := get(t, srv, anon, p)
		if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Header.Get("Location"), "/login?next=") {
			t.Errorf("GET %s anonymously: status %d, Location %q", p, a.Status, a.Header.Get("Location"))
		}
	}
	a := post(t, srv, anon, "/people", url.Values{"name": {"Eve"}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/login" {
		t.Errorf("POST /people anonymously: status %d, Location %q", a.Status, a.Header.Get("Location"))
	}
	if l, _ := srv.Svc.ListPeople(org.Ctx("owner"), service.PersonFilter{}, service.Page{}); l.Total != 0 {
		t.Errorf("anonymous POST created %d people", l.Total)
	}
}
