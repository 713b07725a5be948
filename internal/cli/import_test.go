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
