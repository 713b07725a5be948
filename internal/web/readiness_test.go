package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// The readiness page shows the eight steps with their progress and every finding by severity; owners, admins and
// approvers acknowledge a finding there (a refused form names the field, nothing saved), and it then shows who,
// why and until when; approvers and auditors get the auditor pack's link.
func TestReadinessPage(t *testing.T) {
	srv, _, c := startOrg(t, "owner", "viewer", "auditor", "editor")
	a := get(t, srv, c["owner"], "/readiness")
	expect(t, "readiness", a, http.StatusOK, "<h1>Readiness for certification</h1>", "Leadership commitment", "Certification audit",
		`<progress value="0" max="100"`, "Scope statement written</a>: 0 of 1", `id="sev-major"`, "<code>scope-missing</code>",
		`<a href="/scope">Fix</a>`, `action="/readiness/acks"`, `href="/auditor-pack"`, `aria-current="page">Readiness</a>`)
	expect(t, "readiness as a viewer", get(t, srv, c["viewer"], "/readiness"), http.StatusOK, "<code>scope-missing</code>")
	refuse(t, "readiness as a viewer", get(t, srv, c["viewer"], "/readiness"), `action="/readiness/acks"`, `href="/auditor-pack"`)
	expect(t, "readiness as an auditor", get(t, srv, c["auditor"], "/readiness"), http.StatusOK, `href="/auditor-pack"`)
	refuse(t, "readiness as an editor", get(t, srv, c["editor"], "/readiness"), `href="/auditor-pack"`, `action="/readiness/acks"`)
	filtered := get(t, srv, c["owner"], "/readiness?severity=minor")
	expect(t, "minor findings only", filtered, http.StatusOK, `id="sev-minor"`)
	refuse(t, "minor findings only", filtered, `id="sev-major"`, "<code>scope-missing</code>")

	until := srv.Clock.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	form := url.Values{"rule": {"scope-missing"}, "ref": {"4.3"}, "reason": {""}, "expires_on": {until}}
	expect(t, "acknowledge without a reason", post(t, srv, c["owner"], "/readiness/acks", form), http.StatusUnprocessableEntity,
		"is required: say why the finding is accepted for now")
	refuse(t, "nothing saved", get(t, srv, c["owner"], "/readiness"), "Acknowledged by")
	expect(t, "a viewer acknowledges", post(t, srv, c["viewer"], "/readiness/acks", form), http.StatusForbidden)

	form.Set("reason", "Scope workshop on Friday")
	if a := post(t, srv, c["owner"], "/readiness/acks", form); a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/readiness" {
		t.Fatalf("acknowledge: %d %s", a.Status, a.Header.Get("Location"))
	}
	a = get(t, srv, c["owner"], "/readiness")
	expect(t, "acknowledged", a, http.StatusOK, "Acknowledged by Owner of Acme until "+until+": Scope workshop on Friday", `action="/readiness/acks/remove"`,
		"open, 1 acknowledged")
	expect(t, "the viewer sees the acknowledgement", get(t, srv, c["viewer"], "/readiness"), http.StatusOK, "Acknowledged by Owner of Acme")
	if a := post(t, srv, c["owner"], "/readiness/acks/remove", url.Values{"rule": {"scope-missing"}, "ref": {"4.3"}, "severity": {"major"}}); a.Status != http.StatusSeeOther ||
		a.Header.Get("Location") != "/readiness?severity=major" {
		t.Fatalf("withdraw: %d %s", a.Status, a.Header.Get("Location"))
	}
	refuse(t, "withdrawn", get(t, srv, c["owner"], "/readiness"), "Acknowledged by")
}

// Logging in lands on the dashboard, which shows the roadmap, then what to do next, then what is overdue, then the
// rest, from one run of the checks.
func TestDashboardShowsTheRoadmap(t *testing.T) {
	srv := testutil.StartServer(t, "sqlite")
	testutil.NewOrg(t, srv.Svc, "Acme")
	c := srv.Client()
	a := post(t, srv, c, "/login", url.Values{"email": {"owner@acme.example"}, "password": {testutil.Password}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/" {
		t.Fatalf("login: %d to %q, want the dashboard", a.Status, a.Header.Get("Location"))
	}
	a = get(t, srv, c, "/")
	expect(t, "after login", a, http.StatusOK, "<h1>Acme</h1>", "Roadmap to certification: 0%", `<a href="/readiness#step-2">Scope</a>`,
		"What to do next", "There is no ISMS scope statement", `<a href="/scope">Fix</a>`, "overdue treatment actions")
	order := []string{"Roadmap to certification", "What to do next", "<h2>Overdue</h2>", "overdue treatment actions", "risks in the register", "Recent changes"}
	last := -1
	for _, s := range order {
		i := strings.Index(a.Body, s)
		if i < last {
			t.Fatalf("the dashboard shows %q out of order (want %v)", s, order)
		}
		last = i
	}
}
