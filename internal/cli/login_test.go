package cli

import (
	"strings"
	"testing"
)

// The operator prints a reset link for a user; owners read the security events and require two-factor.
func TestResetPasswordAndSecurityLog(t *testing.T) {
	data := t.TempDir()
	d := "--data=" + data
	mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	join(t, data, "bob@example.com", "editor", "Bob")

	out := mustRun(t, d, "user", "reset-password", "Bob@Example.com", "--base-url", "https://isms.example/")
	if !strings.HasPrefix(out, "https://isms.example/reset/") || len(strings.TrimSpace(out)) < 60 {
		t.Fatalf("reset-password printed %q", out)
	}
	if _, _, code := run(t, d, "user", "reset-password", "nobody@example.com"); code == 0 {
		t.Fatal("a reset link for an unknown user succeeded")
	}

	out = mustRun(t, d, "log", "security", "--limit", "5")
	if !strings.Contains(out, "reset link issued") || !strings.Contains(out, "bob@example.com") {
		t.Fatalf("log security:\n%s", out)
	}
	if out := mustRun(t, d, "org", "two-factor", "required"); !strings.Contains(out, "required in Acme Ltd") {
		t.Fatalf("org two-factor required: %q", out)
	}
	if _, _, code := run(t, d, "org", "two-factor", "sometimes"); code == 0 {
		t.Fatal("org two-factor accepted a made-up setting")
	}
	if _, _, code := run(t, d, "log", "security", "--as", "bob@example.com"); code == 0 {
		t.Fatal("an editor read the security events")
	}
}
