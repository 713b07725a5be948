package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"github.com/praxis-isms/praxis/internal/keys"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// run executes the CLI in-process, as a user would from a shell, and returns its output and exit status.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// mustRun fails the test unless the command exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, args...)
	if code != 0 {
		t.Fatalf("praxis %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestInitUserTokenAndLog(t *testing.T) {
	data := t.TempDir()
	d := "--data=" + data
	out := mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	if !strings.Contains(out, "short name acme-ltd") || !strings.Contains(out, "One-time password: ") {
		t.Fatalf("init output: %s", out)
	}
	if _, errOut, code := run(t, d, "init", "--org", "X", "--owner", "not-an-email"); code != 2 || !strings.Contains(errOut, "owner: must be an email address") {
		t.Fatalf("bad init: exit %d, %s", code, errOut)
	}

	// Nobody joins by email alone: invite prints a link, and the person accepts it.
	out, errOut, code := run(t, d, "user", "invite", "bob@example.com", "--role", "editor")
	if code != 0 || !strings.HasPrefix(out, "/invite/") || !strings.Contains(errOut, "--base-url") || !strings.Contains(errOut, "bob@example.com as editor") {
		t.Fatalf("user invite: exit %d\n%s\n%s", code, out, errOut)
	}
	acceptInvitation(t, data, strings.TrimSpace(out), "Bob", "bob@example.com")
	out = mustRun(t, d, "user", "invite", "carol@example.com", "--base-url", "https://isms.example/")
	if !strings.HasPrefix(out, "https://isms.example/invite/") {
		t.Fatalf("user invite --base-url: %s", out)
	}
	// The old command still works, as an invitation, and says so.
	out, errOut, code = run(t, d, "user", "add", "dave@example.com", "--role", "viewer", "--name", "Dave")
	if code != 0 || !strings.HasPrefix(out, "/invite/") || !strings.Contains(errOut, "no longer adds anyone directly") {
		t.Fatalf("user add: exit %d\n%s\n%s", code, out, errOut)
	}
	var invitations []struct {
		ID     string `json:"id"`
		Email  string `json:"email"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "user", "invitations", "--format", "json")), &invitations); err != nil {
		t.Fatal(err)
	}
	if len(invitations) != 3 || invitations[0].Email != "dave@example.com" || invitations[2].Status != "accepted" {
		t.Fatalf("invitations: %+v", invitations)
	}
	mustRun(t, d, "user", "revoke-invitation", invitations[0].ID)
	if out := mustRun(t, d, "user", "invitations", "--status", "revoked", "--format", "csv"); !strings.Contains(out, "dave@example.com") || strings.Contains(out, "carol") {
		t.Fatalf("revoked invitations: %s", out)
	}
	var members []struct {
		Email    string `json:"email"`
		Role     string `json:"role"`
		Approver bool   `json:"approver"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "user", "list", "--format", "json")), &members); err != nil {
		t.Fatal(err)
	}
	if len(members) != 2 || members[0].Email != "alice@example.com" || members[0].Role != "owner" || !members[0].Approver || members[1].Role != "editor" || members[1].Approver {
		t.Fatalf("members: %+v", members)
	}
	mustRun(t, d, "user", "set", "bob@example.com", "--role", "viewer", "--approver", "true")
	if out := mustRun(t, d, "user", "list", "--format", "csv"); !strings.Contains(out, "bob@example.com,Bob,viewer,yes") {
		t.Fatalf("csv after set: %s", out)
	}
	// Acting as a viewer, the CLI is bound by the same roles as the web UI and the API.
	if _, errOut, code := run(t, d, "--as", "bob@example.com", "person", "add", "--name", "Eve"); code == 0 || !strings.Contains(errOut, "may not") {
		t.Fatalf("viewer added a person: exit %d %s", code, errOut)
	}
	if _, errOut, code := run(t, d, "user", "remove", "alice@example.com"); code == 0 || !strings.Contains(errOut, "last owner") {
		t.Fatalf("removed the last owner: exit %d %s", code, errOut)
	}

	token := strings.TrimSpace(mustRun(t, d, "token", "create", "--name", "ci"))
	if !strings.HasPrefix(token, "prx_") {
		t.Fatalf("token: %q", token)
	}
	if out := mustRun(t, d, "token", "list"); !strings.Contains(out, "ci") || strings.Contains(out, token) {
		t.Fatalf("token list must name the token and never show the secret: %s", out)
	}

	mustRun(t, d, "person", "add", "--name", "Carol", "--department", "Engineering", "--start-date", "2024-01-02")
	if _, errOut, code := run(t, d, "person", "add", "--name", "", "--email", "x", "--start-date", "2024-13-01"); code != 2 ||
		!strings.Contains(errOut, "name: is required") || !strings.Contains(errOut, "email: must be an email address") || !strings.Contains(errOut, "start_date") {
		t.Fatalf("bad person: every field problem must be listed: exit %d %s", code, errOut)
	}
	mustRun(t, d, "person", "set", "P-001", "--job-title", "CTO")
	var person struct {
		Ref      string `json:"ref"`
		JobTitle string `json:"job_title"`
		Version  int    `json:"version"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "person", "show", "P-001", "--format", "json")), &person); err != nil {
		t.Fatal(err)
	}
	if person.JobTitle != "CTO" || person.Version != 2 {
		t.Fatalf("person after set: %+v", person)
	}

	out = mustRun(t, d, "log", "list", "--format", "json")
	var events []struct {
		Action, Entity, Ref, Actor, Via string
	}
	if err := json.Unmarshal([]byte(out), &events); err != nil {
		t.Fatal(err)
	}
	if len(events) < 6 || events[0].Action != "update" || events[0].Ref != "P-001" || events[0].Via != "cli" || events[0].Actor != "alice@example.com" {
		t.Fatalf("newest audit event should be the person update by alice via cli: %+v", events[:min(3, len(events))])
	}
	if out := mustRun(t, d, "log", "verify"); !strings.Contains(out, "acme-ltd: intact") {
		t.Fatalf("verify: %s", out)
	}
	csvPath := filepath.Join(t.TempDir(), "trail.csv")
	mustRun(t, d, "log", "export", "-o", csvPath)
	b, _ := os.ReadFile(csvPath)
	if !bytes.HasPrefix(b, []byte("\ufeffseq,at,actor")) || bytes.Count(b, []byte("\n")) != len(events)+1 {
		t.Fatalf("export: %d lines for %d events: %.200s", bytes.Count(b, []byte("\n")), len(events), b)
	}

	// Tampering behind the application's back is detected, named, and turns the exit status to 1.
	db, err := sql.Open("sqlite", filepath.Join(data, "praxis.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_events SET actor = 'mallory@example.com' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, code = run(t, d, "log", "verify")
	if code != 1 || !strings.Contains(out, "BROKEN at sequence 3") {
		t.Fatalf("tampered trail: exit %d, %s", code, out)
	}
}

func TestBackupRestoreSQLiteToPostgres(t *testing.T) {
	pg := testutil.NewPostgresURL(t)
	src := "--data=" + t.TempDir()
	mustRun(t, src, "demo")
	mustRun(t, src, "person", "add", "--name", "Zoë Ünicode", "--job-title", "Tester, \"QA\"")
	upload := filepath.Join(t.TempDir(), "restore-test.txt")
	os.WriteFile(upload, []byte("evidence file"), 0o600)
	added := strings.Fields(mustRun(t, src, "evidence", "add", upload, "--control", "8.13")) // Added E-00N ...
	archive := filepath.Join(t.TempDir(), "backup.zip")
	if out := mustRun(t, src, "backup", archive); strings.Contains(out, " 0 files") {
		t.Fatalf("backup: %s", out)
	}

	dstData := t.TempDir()
	dst := []string{"--data=" + dstData, "--db=" + pg}
	// The archive is authenticated with the source's installation key: without it the restore is refused.
	if _, errOut, code := run(t, append(dst, "restore", archive)...); code == 0 || !strings.Contains(errOut, "PRAXIS_AUDIT_KEY") {
		t.Fatalf("restore with another installation's key: exit %d %s", code, errOut)
	}
	key, err := os.ReadFile(filepath.Join(strings.TrimPrefix(src, "--data="), "praxis.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dstData, "praxis.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, append(dst, "restore", archive)...); !strings.Contains(out, "Restored") {
		t.Fatalf("restore: %s", out)
	}
	for _, args := range [][]string{{"person", "list", "--format", "json"}, {"user", "list", "--format", "json"}, {"log", "list", "--limit", "500", "--format", "json"},
		{"evidence", "list", "--format", "json"}} {
		a := mustRun(t, append([]string{src}, args...)...)
		b := mustRun(t, append(dst, args...)...)
		if a != b {
			t.Errorf("%v differs after the round trip:\nsqlite:   %.300s\npostgres: %.300s", args, a, b)
		}
	}
	if out := mustRun(t, append(dst, "log", "verify")...); !strings.Contains(out, "intact") {
		t.Fatalf("verify on postgres: %s", out)
	}
	// The file moved into PostgreSQL's file store and comes out as it went in.
	if b := mustRun(t, append(dst, "evidence", "get", added[1], "-o", "-")...); b != "evidence file" {
		t.Fatalf("file after restore: %q", b)
	}
	// A second restore into the now non-empty database is refused and changes nothing.
	if _, errOut, code := run(t, append(dst, "restore", archive)...); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("restore into a non-empty database: exit %d %s", code, errOut)
	}
}

func TestCatalogCommands(t *testing.T) {
	var controls []struct {
		ID         string              `json:"id"`
		Title      string              `json:"title"`
		Theme      string              `json:"theme"`
		NewIn2022  bool                `json:"new_in_2022"`
		Attributes map[string][]string `json:"attributes"`
		Replaces   []string            `json:"replaces"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "catalog", "controls", "--new", "--format", "json")), &controls); err != nil {
		t.Fatal(err)
	}
	if len(controls) != 11 || controls[0].ID != "5.7" || !controls[0].NewIn2022 || len(controls[0].Attributes["control_type"]) == 0 {
		t.Fatalf("new controls: %+v", controls)
	}
	controls = nil
	json.Unmarshal([]byte(mustRun(t, "catalog", "controls", "--theme", "technological", "--attr", "control_type=detective", "--format", "json")), &controls)
	for _, c := range controls {
		if c.Theme != "technological" || !contains(c.Attributes["control_type"], "detective") {
			t.Fatalf("filter leaked %s", c.ID)
		}
	}
	if len(controls) == 0 {
		t.Fatal("no technological detective controls")
	}
	if _, errOut, code := run(t, "catalog", "controls", "--attr", "colour=blue"); code != 2 || !strings.Contains(errOut, "control_type") {
		t.Fatalf("bad attribute key: exit %d %s", code, errOut)
	}
	if out := mustRun(t, "catalog", "show", "8.28"); !strings.Contains(out, "8.28 Secure coding") || !strings.Contains(out, "How to implement") {
		t.Fatalf("show 8.28: %s", out)
	}
	if out := mustRun(t, "catalog", "show", "A.14.2.1"); !strings.Contains(out, "8.25") {
		t.Fatalf("show A.14.2.1: %s", out)
	}
	if out := mustRun(t, "catalog", "mapping", "--format", "csv"); strings.Count(out, "\n") != 115 {
		t.Fatalf("mapping has %d lines, want 114 rows + header", strings.Count(out, "\n"))
	}
	var threats []struct {
		ID       string   `json:"id"`
		Name     string   `json:"name"`
		Controls []string `json:"controls"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "catalog", "threats", "--format", "json")), &threats); err != nil {
		t.Fatal(err)
	}
	if len(threats) < 30 || threats[0].ID != "T01" || len(threats[0].Controls) == 0 {
		t.Fatalf("threat library: %d entries, first %+v", len(threats), threats[0])
	}
	if out := mustRun(t, "catalog", "threats", "--vulnerabilities", "--format", "csv"); !strings.HasPrefix(out, "id,name,category,controls,description\nV01,") {
		t.Fatalf("vulnerabilities csv: %.100s", out)
	}
	oscalFile := filepath.Join(t.TempDir(), "catalog.json")
	mustRun(t, "catalog", "export", "--format", "oscal", "-o", oscalFile)
	b, _ := os.ReadFile(oscalFile)
	if !bytes.Contains(b, []byte(`"oscal-version": "1.1.3"`)) {
		t.Fatalf("oscal export: %.200s", b)
	}
}

func TestVersion(t *testing.T) {
	out := mustRun(t, "version")
	if !strings.HasPrefix(out, "praxis ") || !strings.Contains(out, "go1.") {
		t.Fatalf("version: %s", out)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// join invites email with role through the CLI and accepts the invitation as that person.
func join(t *testing.T, data, email, role, name string) {
	t.Helper()
	link := strings.TrimSpace(mustRun(t, "--data="+data, "user", "invite", email, "--role", role))
	acceptInvitation(t, data, link, name, email)
}

// acceptInvitation accepts an invitation link as someone new would in the browser, through the service over the
// same data folder.
func acceptInvitation(t *testing.T, data, link, name, email string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key, _, _, err := keys.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Open(ctx, store.New(db), service.Config{BlobDir: t.TempDir(), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimPrefix(link, "/invite/")
	if _, _, err := svc.AcceptInvitationNewAccount(ctx, token, service.NewAccountInput{Name: name, Email: email, Password: testutil.Password}, service.Client{}); err != nil {
		t.Fatalf("accept %s: %v", link, err)
	}
}

func TestSettings(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	if out := mustRun(t, d, "settings", "show"); !strings.Contains(out, "org-creation") || !strings.Contains(out, "owners") {
		t.Fatalf("settings show: %s", out)
	}
	out, errOut, code := run(t, d, "settings", "set", "org-creation", "anyone")
	if code != 0 || !strings.Contains(out, "org-creation: owners -> anyone") || !strings.Contains(errOut, "installation setting changed") {
		t.Fatalf("settings set: exit %d\n%s\n%s", code, out, errOut)
	}
	if out := mustRun(t, d, "settings", "show", "--format", "json"); !strings.Contains(out, `"org_creation": "anyone"`) {
		t.Fatalf("settings show after set: %s", out)
	}
	if _, errOut, code := run(t, d, "settings", "set", "org-creation", "everybody"); code != 2 || !strings.Contains(errOut, "must be one of owners, anyone, operator") {
		t.Fatalf("bad value: exit %d %s", code, errOut)
	}
	// Under operator, the command line still creates organisations.
	mustRun(t, d, "settings", "set", "org-creation", "operator")
	if out := mustRun(t, d, "org", "create", "Second Ltd"); !strings.Contains(out, "Created Second Ltd") {
		t.Fatalf("org create under operator: %s", out)
	}
}
