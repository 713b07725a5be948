package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The lint report, its rules, acknowledging a finding (refused with the field named), withdrawing it by rule and
// ref, and the roadmap, through the API.
func TestLintAPI(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok, _, err := srv.Svc.CreateToken(org.Ctx("approver"), "lint")
	if err != nil {
		t.Fatal(err)
	}
	c := apiClient{t: t, srv: srv, token: tok}

	var r isms.LintReport
	c.want(c.do("GET", "/lint", nil), http.StatusOK, "lint", &r)
	if !r.Failed() || len(r.Findings) == 0 || r.Findings[0].Severity != isms.Major {
		t.Fatalf("lint of a new organisation: %+v", r)
	}
	var rules []isms.Rule
	c.want(c.do("GET", "/lint/rules", nil), http.StatusOK, "rules", &rules)
	if len(rules) == 0 || rules[0].ID == "" {
		t.Fatalf("rules: %+v", rules)
	}

	until := srv.Clock.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	var p apiProblem
	c.want(c.do("POST", "/lint/acks", map[string]any{"rule": "scope-missing", "reason": "Board in May"}), http.StatusUnprocessableEntity, "no expiry", &p)
	if len(p.Errors) != 1 || p.Errors[0].Location != "body.expires_on" {
		t.Fatalf("no expiry: %+v", p)
	}
	var k isms.LintAcknowledge
	c.want(c.do("POST", "/lint/acks", map[string]any{"rule": "scope-missing", "reason": "Board in May", "expires_on": until}), http.StatusCreated, "acknowledge", &k)
	if k.Rule != "scope-missing" || k.Ref != "4.3" || k.By != "approver of Acme" || k.ExpiresOn != until {
		t.Fatalf("acknowledgement: %+v", k)
	}
	before := r.Major
	c.want(c.do("GET", "/lint", nil), http.StatusOK, "lint after", &r)
	if r.Major != before-1 {
		t.Fatalf("major after the acknowledgement: %d, want %d", r.Major, before-1)
	}
	c.want(c.do("DELETE", "/lint/acks/scope-missing?ref=4.2", nil), http.StatusNotFound, "withdraw another ref", nil)
	c.want(c.do("DELETE", "/lint/acks/scope-missing?ref=4.3", nil), http.StatusNoContent, "withdraw", nil)
	c.want(c.do("GET", "/lint", nil), http.StatusOK, "lint after withdrawal", &r)
	if r.Major != before {
		t.Fatalf("major after the withdrawal: %d, want %d", r.Major, before)
	}

	var rd isms.Readiness
	c.want(c.do("GET", "/readiness", nil), http.StatusOK, "readiness", &rd)
	if len(rd.Steps) != 8 || rd.Steps[1].Name != "Scope" || len(rd.Steps[1].Next) == 0 || len(rd.Steps[1].Measures) == 0 {
		t.Fatalf("readiness: %+v", rd)
	}
}
