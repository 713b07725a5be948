package httpserver_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Role matrix rows and isolation checks of lint and readiness: everyone reads them; owners, admins and
// approvers acknowledge findings.

var ackers = []string{"owner", "admin", "approver"}

// ackUntil is a valid last day for an acknowledgement made now on the server's clock.
func ackUntil(m *matrix) string { return m.srv.Clock.Now().AddDate(0, 1, 0).Format(time.DateOnly) }

// acknowledged makes sure the scope-changed finding is acknowledged, for a removal to remove.
func (m *matrix) acknowledged(t *testing.T) {
	t.Helper()
	_, err := m.srv.Svc.AcknowledgeFinding(m.org.Ctx("owner"), "scope-changed", "", "Matrix", ackUntil(m))
	m.ok(t, err)
}

func lintRoutes() []route {
	remove := func(path string, form bool) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			m.acknowledged(t)
			if form {
				return target{path: path, body: url.Values{"rule": {"scope-changed"}}}
			}
			return target{path: path + "?ref=4.3"}
		}
	}
	return []route{
		{method: "GET", pattern: "/lint", allowed: everyone},
		{method: "GET", pattern: "/lint/rules", allowed: everyone},
		{method: "GET", pattern: "/readiness", allowed: everyone},
		{method: "POST", pattern: "/lint/acks", allowed: ackers, prep: func(_ *testing.T, m *matrix, role string) target {
			return target{path: "/lint/acks", body: map[string]any{"rule": "scope-missing", "reason": "Acknowledged by " + role, "expires_on": ackUntil(m)}}
		}},
		{method: "DELETE", pattern: "/lint/acks/{rule}", allowed: ackers, prep: remove("/lint/acks/scope-changed", false)},
		{web: true, method: "GET", pattern: "/readiness", allowed: everyone},
		{web: true, method: "POST", pattern: "/readiness/acks", allowed: ackers, prep: func(_ *testing.T, m *matrix, role string) target {
			return target{path: "/readiness/acks", body: url.Values{"rule": {"scope-missing"}, "reason": {"Acknowledged by " + role}, "expires_on": {ackUntil(m)}}}
		}},
		{web: true, method: "POST", pattern: "/readiness/acks/remove", allowed: ackers, prep: remove("/readiness/acks/remove", true)},
	}
}

// setupLint has B acknowledge a finding with a reason that names B; A has none.
func setupLint(t *testing.T, x *tenants) {
	t.Helper()
	if _, err := x.srv.Svc.AcknowledgeFinding(x.b.Ctx("owner"), "scope-changed", "", "Bravo board meets in May",
		x.srv.Clock.Now().AddDate(0, 1, 0).Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
}

// lintReads are A's lint and readiness reads, which must show nothing of B.
var lintReads = []string{"/lint", "/lint/rules", "/readiness"}

// lintCases are A's attempts at B's acknowledgement: A has none to remove.
func lintCases() []struct {
	name, method, path string
	body               any
} {
	return []struct {
		name, method, path string
		body               any
	}{
		{"remove B's acknowledgement", http.MethodDelete, "/lint/acks/scope-changed", nil},
	}
}
