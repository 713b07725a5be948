package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Clause 4 from the command line: issues and parties with their requirements (add, set only the flags given,
// show, list as CSV, delete), the scope set, approved (the owner is an approver), diffed and exported; bad input
// is refused with a non-zero exit.
func TestContextCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli := praxis.cli
			refused := praxis.refused
			cli("person", "add", "--name", "Dana Lee")

			if out := cli("issue", "add", "--title", "Remote-first staff", "--kind", "internal", "--owner", "Dana Lee", "--effect", "Data on laptops"); !strings.Contains(out, "I-001") {
				t.Fatalf("issue add: %s", out)
			}
			cli("issue", "set", "I-001", "--review-date", "2026-12-01")
			var issue isms.Issue
			if err := json.Unmarshal([]byte(cli("issue", "show", "I-001", "--format", "json")), &issue); err != nil {
				t.Fatal(err)
			}
			if issue.ReviewDate != "2026-12-01" || issue.Effect != "Data on laptops" || issue.Owner != "P-001" || issue.Version != 2 {
				t.Fatalf("issue: %+v", issue)
			}
			refused("kind: must be one of internal, external", "issue", "add", "--title", "x", "--kind", "sideways")
			if csv := cli("issue", "list", "--kind", "internal", "--format", "csv"); !strings.HasPrefix(csv, "ref,title,kind,owner") || !strings.Contains(csv, "I-001,Remote-first staff") {
				t.Errorf("issue list csv:\n%s", csv)
			}

			// The issue list pages as every register's list does: --limit, and a note on stderr naming what is left out.
			cli("issue", "add", "--title", "New regulation", "--kind", "external")
			if out, errOut, code := praxis.run("issue", "list", "--limit", "1"); code != 0 || strings.Count(out, "I-00") != 1 || !strings.Contains(errOut, "showing 1 of 2 issues") {
				t.Errorf("issue list --limit 1: exit %d\n%s%s", code, out, errOut)
			}

			cli("party", "add", "--name", "Customers", "--kind", "customer")
			if out := cli("party", "add-requirement", "IP-001", "--type", "contractual", "--text", "Security clauses", "--controls", "5.20,A.5.31"); !strings.Contains(out, "REQ-001") {
				t.Fatalf("add-requirement: %s", out)
			}
			refused("is not an ISO/IEC 27001:2022 Annex A control", "party", "add-requirement", "IP-001", "--type", "legal", "--text", "x", "--controls", "9.9")
			refused("party IP-404 not found", "party", "add-requirement", "IP-404", "--type", "legal", "--text", "x")
			cli("party", "add", "--name", "Regulator", "--kind", "regulator")
			if _, errOut, _ := praxis.run("party", "list", "--limit", "1"); !strings.Contains(errOut, "showing 1 of 2 parties") {
				t.Errorf("party list --limit 1: stderr %q", errOut)
			}
			cli("party", "requirement", "set", "REQ-001", "--addressed", "Contract review")
			var p isms.Party
			if err := json.Unmarshal([]byte(cli("party", "show", "IP-001", "--format", "json")), &p); err != nil {
				t.Fatal(err)
			}
			if len(p.Requirements) != 1 || p.Requirements[0].Addressed != "Contract review" || strings.Join(p.Requirements[0].Controls, ",") != "5.20,5.31" {
				t.Fatalf("party: %+v", p)
			}
			if out := cli("party", "show", "IP-001"); !strings.Contains(out, "Requirements (1)") || !strings.Contains(out, "Security clauses") {
				t.Errorf("party show:\n%s", out)
			}

			refused("statement: is required", "scope", "approve")
			cli("scope", "set", "--statement", "The Acme platform", "--units", "Engineering", "--units", "Support, EU",
				"--exclusions", "Cafeteria: no information there")
			cli("scope", "approve", "--comment", "First")
			cli("scope", "set", "--systems", "Billing")
			var v service.ScopeView
			if err := json.Unmarshal([]byte(cli("scope", "show", "--format", "json")), &v); err != nil {
				t.Fatal(err)
			}
			if v.Status != service.ScopeChanged || v.Approval == nil || v.Approval.Number != 1 || len(v.Units) != 2 || v.Units[1] != "Support, EU" ||
				len(v.Exclusions) != 1 || v.Exclusions[0].Justification != "no information there" {
				t.Fatalf("scope: %+v", v)
			}
			if out := cli("scope", "diff", "1", "draft"); !strings.Contains(out, "systems") || !strings.Contains(out, "Billing") {
				t.Errorf("scope diff:\n%s", out)
			}
			if out := cli("scope", "versions"); !strings.Contains(out, "First") {
				t.Errorf("scope versions:\n%s", out)
			}
			file := filepath.Join(t.TempDir(), "scope.pdf")
			cli("scope", "export", "--version", "1", "-o", file)
			if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "%PDF") {
				t.Fatalf("scope pdf: %v", err)
			}
			if md := cli("scope", "export"); !strings.Contains(md, "## Organisational units") || !strings.Contains(md, "changed since the last approval") {
				t.Errorf("scope markdown:\n%s", md)
			}
			cli("issue", "delete", "I-001")
			refused("issue I-001", "issue", "show", "I-001")
		})
	}
}
