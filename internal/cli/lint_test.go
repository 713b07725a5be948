package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// setClock makes the CLI's service read the time from *now until the test ends.
func setClock(t *testing.T, now *time.Time) {
	testClock = func() time.Time { return *now }
	t.Cleanup(func() { testClock = nil })
}

// praxis lint exits 1 while a major finding is open and 0 once every major one is acknowledged, until the
// acknowledgement expires; JSON carries each finding's fields; bad acknowledgements and roles are refused.
func TestLintExitStatus(t *testing.T) {
	now := time.Now().UTC() // invitations are accepted with the real clock
	setClock(t, &now)
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	until := day(8)
	data := t.TempDir()
	d := "--data=" + data
	mustRun(t, d, "init", "--org", "Lint Ltd", "--owner", "alice@example.com")

	out, errOut, code := run(t, d, "lint")
	if code != 1 || errOut != "" || !strings.Contains(out, "SEVERITY") || !strings.Contains(out, "scope-missing") || !strings.Contains(out, "major, ") {
		t.Fatalf("lint of a new organisation: exit %d (want 1, no error printed)\n%s\n%s", code, out, errOut)
	}
	var findings []map[string]any
	out, _, code = run(t, d, "lint", "--format", "json")
	if err := json.Unmarshal([]byte(out), &findings); err != nil || code != 1 || len(findings) == 0 {
		t.Fatalf("lint --format json: exit %d, %v\n%s", code, err, out)
	}
	for _, f := range findings {
		for _, k := range []string{"rule", "severity", "ref", "message", "link", "step"} {
			if _, ok := f[k]; !ok {
				t.Fatalf("finding %v has no %s", f, k)
			}
		}
	}
	if out := mustRun(t, d, "lint", "--rules"); !strings.Contains(out, "scope-not-approved") {
		t.Fatalf("lint --rules: %s", out)
	}
	if _, errOut, code := run(t, d, "lint", "--severity", "fatal"); code != 2 || !strings.Contains(errOut, "severity") {
		t.Fatalf("lint --severity fatal: exit %d %s", code, errOut)
	}
	if out, _, _ := run(t, d, "lint", "--severity", "minor", "--format", "csv"); strings.Contains(out, "scope-missing") {
		t.Fatalf("lint --severity minor shows a major finding:\n%s", out)
	}

	// Refused: no reason, a day in the past, a viewer.
	if _, errOut, code := run(t, d, "lint", "ack", "scope-missing", "--until", until); code != 2 || !strings.Contains(errOut, "reason: is required") {
		t.Fatalf("ack without a reason: exit %d %s", code, errOut)
	}
	if _, errOut, code := run(t, d, "lint", "ack", "scope-missing", "--reason", "x", "--until", day(-1)); code != 2 || !strings.Contains(errOut, "expires_on: is in the past") {
		t.Fatalf("ack in the past: exit %d %s", code, errOut)
	}
	acceptInvitation(t, data, strings.TrimSpace(mustRun(t, d, "user", "invite", "vic@example.com", "--role", "viewer")), "Vic", "vic@example.com")
	if _, errOut, code := run(t, d, "--as", "vic@example.com", "lint", "ack", "scope-missing", "--reason", "x", "--until", until); code != 1 || !strings.Contains(errOut, "only an owner") {
		t.Fatalf("a viewer acknowledges: exit %d %s", code, errOut)
	}

	// Every major finding acknowledged for eight days: the lint passes, and still lists them.
	for _, f := range findings {
		if f["severity"] == string(isms.Major) {
			mustRun(t, d, "lint", "ack", f["rule"].(string), f["ref"].(string), "--reason", "Board meets next week", "--until", until)
		}
	}
	out, _, code = run(t, d, "lint")
	if code != 0 || !strings.Contains(out, "scope-missing") || !strings.Contains(out, "until "+until+" by") || !strings.Contains(out, "0 major") {
		t.Fatalf("lint with every major finding acknowledged: exit %d\n%s", code, out)
	}
	out, _, _ = run(t, d, "lint", "--format", "json")
	if !strings.Contains(out, `"acknowledged": {`) || !strings.Contains(out, `"expires_on": "`+until+`"`) {
		t.Fatalf("lint --format json carries the acknowledgement:\n%s", out)
	}

	// The day after the last day, the findings count again.
	now = now.AddDate(0, 0, 9)
	if _, _, code := run(t, d, "lint"); code != 1 {
		t.Fatalf("lint after the acknowledgements expired: exit %d, want 1", code)
	}
	// Renewed, then one withdrawn: it fails again.
	mustRun(t, d, "lint", "ack", "scope-missing", "--reason", "Renewed", "--until", day(40))
	if out := mustRun(t, d, "lint", "unack", "scope-missing"); !strings.Contains(out, "Removed the acknowledgement of scope-missing") {
		t.Fatalf("unack: %s", out)
	}
	if _, errOut, code := run(t, d, "lint", "unack", "scope-missing"); code != 1 || !strings.Contains(errOut, "no acknowledgement") {
		t.Fatalf("unack twice: exit %d %s", code, errOut)
	}
}

// praxis readiness prints the eight steps with bars and next actions, or the Readiness object as JSON.
func TestReadinessCommand(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Ready Ltd", "--owner", "alice@example.com")
	out := mustRun(t, d, "readiness")
	for _, want := range []string{"Ready for certification: ", "1. Leadership commitment", "8. Certification audit", "2. Scope", "[", "- Scope statement written: 0 of 1", "next [major] scope-missing"} {
		if !strings.Contains(out, want) {
			t.Fatalf("readiness has no %q:\n%s", want, out)
		}
	}
	var rd isms.Readiness
	if err := json.Unmarshal([]byte(mustRun(t, d, "readiness", "--format", "json")), &rd); err != nil || len(rd.Steps) != 8 || rd.Steps[1].Name != "Scope" {
		t.Fatalf("readiness --format json: %v %+v", err, rd)
	}
}
