package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// praxis transition: a dry run says what would happen and writes nothing; the import makes the draft and the
// status counts the open decisions; a file with a bad row is refused with its line and changes nothing; the
// report is written in each format.
func TestTransitionCommands(t *testing.T) {
	dir := t.TempDir()
	d := "--data=" + dir
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	file := "../service/testdata/soa-2013.csv"

	out := mustRun(t, d, "transition", "import", file, "--dry-run")
	if !strings.Contains(out, "Dry run, nothing written: 114 rows") || !strings.Contains(out, "79 entries decided, 14 left for a decision") ||
		!strings.Contains(out, "Columns not read: Control title, Owner (department)") {
		t.Fatalf("dry run:\n%s", out)
	}
	if out := mustRun(t, d, "transition", "status"); !strings.Contains(out, "No 2013 SoA imported yet") {
		t.Fatalf("status after a dry run:\n%s", out)
	}

	bad := filepath.Join(dir, "bad.csv")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, bytes.Replace(b, []byte("Fully implemented"), []byte("sort of"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, d, "transition", "import", bad)
	if code == 0 || !strings.Contains(stderr, `line 4: status: "sort of" is not an implementation status`) {
		t.Fatalf("bad file: exit %d\n%s\n%s", code, stdout, stderr)
	}

	mustRun(t, d, "transition", "import", file)
	out = mustRun(t, d, "transition", "status")
	if !strings.Contains(out, "Decisions the import left open: 0 of 14 decided.") || !strings.Contains(out, "conflict") {
		t.Fatalf("status:\n%s", out)
	}
	mustRun(t, d, "soa", "set", "5.7", "--applicable=yes", "--justification", "Threat feeds", "--status", "planned")
	if out := mustRun(t, d, "transition", "status"); !strings.Contains(out, "1 of 14 decided") {
		t.Fatalf("status after a decision:\n%s", out)
	}
	// The open decisions come with what each control is for, and --open lists them alone.
	out = mustRun(t, d, "transition", "status", "--open")
	if !strings.Contains(out, "Still to decide (13):") || !strings.Contains(out, "8.28  Secure coding\n  New in ISO/IEC 27001:2022") ||
		strings.Count(out, "What it is for: ") != 13 || strings.Contains(out, "5.7 ") || strings.Contains(out, "5.1 ") {
		t.Fatalf("open decisions:\n%s", out)
	}
	var open struct{ Controls []struct{ Control string } }
	if err := json.Unmarshal([]byte(mustRun(t, d, "transition", "status", "--open", "--format", "json")), &open); err != nil || len(open.Controls) != 13 {
		t.Fatalf("open decisions as JSON: %d (%v)", len(open.Controls), err)
	}
	if out := mustRun(t, d, "transition", "report"); !strings.Contains(out, "| A.18.2.3 | Technical compliance review |") {
		t.Fatalf("report:\n%.2000s", out)
	}
	for _, name := range []string{"t.pdf", "t.xlsx"} {
		mustRun(t, d, "transition", "report", "-o", filepath.Join(dir, name))
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || len(b) < 1000 {
			t.Errorf("%s: %d bytes (%v)", name, len(b), err)
		}
	}
}

// praxis demo --transition adds the transition sample beside Northwind: its status shows the decisions taken and
// the ones still open; praxis demo alone leaves a single organisation, so commands need no --org.
func TestDemoTransitionCommand(t *testing.T) {
	d := "--data=" + t.TempDir()
	if out := mustRun(t, d, "demo"); strings.Contains(out, "Harbourside") {
		t.Fatalf("praxis demo alone added the transition sample:\n%s", out)
	}
	mustRun(t, d, "risk", "list") // one organisation: no --org needed
	out := mustRun(t, d, "demo", "--transition")
	if !strings.Contains(out, "Created the sample organisation Harbourside Logistics Ltd") || !strings.Contains(out, "grace@harbourside.example") ||
		!strings.Contains(out, "maya@northwind.example") {
		t.Fatalf("demo --transition:\n%s", out)
	}
	out = mustRun(t, d, "--org", "harbourside-logistics-ltd", "transition", "status", "--open")
	if !strings.Contains(out, "4 of 13 decided") || !strings.Contains(out, "Still to decide (9):") || !strings.Contains(out, "8.31  Separation of development") {
		t.Fatalf("status of the transition sample:\n%s", out)
	}
	if out := mustRun(t, d, "demo", "--transition"); strings.Contains(out, "Created") {
		t.Fatalf("loading the samples again created something:\n%s", out)
	}
}
