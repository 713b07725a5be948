package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `person import` adds people and `person export` writes a file that imports back unchanged; an edited export
// updates in place. `asset import --dry-run` says what would happen and writes nothing.
func TestPersonImportAndDryRun(t *testing.T) {
	d := "--data=" + t.TempDir()
	dir := t.TempDir()
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	staff := filepath.Join(dir, "staff.csv")
	os.WriteFile(staff, []byte("name,email,department,badge\nSofia Rossi,sofia@example.com,IT,17\nLiam Chen,,Finance,18\n"), 0o600)
	if out := mustRun(t, d, "person", "import", "--dry-run", staff); out != "Nothing written (a check): the import would add 2 people, update 0 and leave 0 unchanged. Columns ignored: badge.\n" {
		t.Fatalf("dry run: %q", out)
	}
	if out := mustRun(t, d, "person", "list", "--format", "csv"); strings.Contains(out, "Sofia") {
		t.Fatalf("the dry run wrote: %s", out)
	}
	if out := mustRun(t, d, "person", "import", staff); out != "Imported 2 people: P-001, P-002. Columns ignored: badge.\n" {
		t.Fatalf("import: %q", out)
	}
	export := filepath.Join(dir, "people.csv")
	mustRun(t, d, "person", "export", "-o", export)
	data, _ := os.ReadFile(export)
	os.WriteFile(export, []byte(strings.Replace(string(data), "Finance", "Accounting", 1)), 0o600)
	if out := mustRun(t, d, "person", "import", export); out != "Imported 0 people, updated 1, left 1 unchanged.\n" {
		t.Fatalf("import of the edited export: %q", out)
	}
	if out := mustRun(t, d, "person", "show", "P-002"); !strings.Contains(out, "Accounting") {
		t.Fatalf("P-002: %s", out)
	}

	assets := filepath.Join(dir, "assets.csv")
	os.WriteFile(assets, []byte("name,type,owner\nLaptops,hardware,Sofia Rossi\n"), 0o600)
	if out := mustRun(t, d, "asset", "import", "--dry-run", assets); !strings.Contains(out, "would add 1 asset, update 0 and leave 0 unchanged") {
		t.Fatalf("asset dry run: %q", out)
	}
	if out := mustRun(t, d, "asset", "list", "--format", "csv"); strings.Contains(out, "Laptops") {
		t.Fatalf("the asset dry run wrote: %s", out)
	}
}

// `risk import --dry-run` says what an edited export would do and writes nothing; `risk import` then updates the
// edited row in place, adds the new one and leaves the rest; a bad file lists every bad row by line.
func TestRiskImportRoundTripCLI(t *testing.T) {
	d := "--data=" + t.TempDir()
	dir := t.TempDir()
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	first := filepath.Join(dir, "first.csv")
	os.WriteFile(first, []byte("title,likelihood,impact,treatment,legacy id\nLaptop theft,3,3,modify,OLD-1\nCRM breach,2,5,modify,OLD-2\n"), 0o600)
	if out := mustRun(t, d, "risk", "import", first); out != "Imported 2 risks: R-001, R-002.\n" {
		t.Fatalf("import: %q", out)
	}
	export := filepath.Join(dir, "risks.csv")
	mustRun(t, d, "risk", "export", "-o", export)
	data, _ := os.ReadFile(export)
	edited := strings.Replace(string(data), "Laptop theft", "Laptop stolen", 1) + ",Phishing,,,,,,,4,3,,modify,,,,,,,,,\n"
	os.WriteFile(export, []byte(edited), 0o600)
	want := "the import would add 1 risk, update 1 and leave 1 unchanged. Columns ignored: score, residual_score, accepted_by, accepted_at, acceptance_comment."
	if out := mustRun(t, d, "risk", "import", "--dry-run", export); !strings.Contains(out, want) {
		t.Fatalf("dry run: %q", out)
	}
	if out := mustRun(t, d, "risk", "show", "R-001"); !strings.Contains(out, "Laptop theft") {
		t.Fatalf("the dry run wrote: %s", out)
	}
	if out := mustRun(t, d, "risk", "import", export); !strings.HasPrefix(out, "Imported 1 risk (R-003), updated 1, left 1 unchanged.") {
		t.Fatalf("import of the edited export: %q", out)
	}
	if out := mustRun(t, d, "risk", "show", "R-001"); !strings.Contains(out, "Laptop stolen") || !strings.Contains(out, "OLD-1") {
		t.Fatalf("R-001: %s", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("ref,title,likelihood,impact,treatment,controls\nR-001,x,1,1,modify,A.12.6.1\nR-077,y,1,1,modify,\n"), 0o600)
	_, out, code := run(t, d, "risk", "import", bad)
	if code != 2 || !strings.Contains(out, "line 2: controls: A.12.6.1 is an ISO 27001:2013 control; it became 8.8 in 2022") || !strings.Contains(out, "line 3: ref: no risk R-077") {
		t.Fatalf("bad file: exit %d %q", code, out)
	}
}
