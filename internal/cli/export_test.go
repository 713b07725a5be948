package cli

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/export/auditorpack"
)

// praxis export auditor-pack writes a pack that passes its own manifest check, names what is missing, and
// refuses to replace an existing file without --force.
func TestExportAuditorPackCommand(t *testing.T) {
	dir := t.TempDir()
	d := "--data=" + dir
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	out := filepath.Join(dir, "pack.zip")
	_, stderr, code := run(t, d, "export", "auditor-pack", "-o", out)
	if code != 0 || !strings.Contains(stderr, "Missing: Statement of Applicability") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	check := func() {
		t.Helper()
		zr, err := zip.OpenReader(out)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		if _, err := auditorpack.Check(&zr.Reader); err != nil {
			t.Fatal(err)
		}
	}
	check()

	if err := os.WriteFile(out, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = run(t, d, "export", "auditor-pack", "-o", out, "--files")
	if b, _ := os.ReadFile(out); code == 0 || !strings.Contains(stderr, "--force") || string(b) != "keep me" {
		t.Fatalf("over an existing file: exit %d, %s; the file now holds %.20q", code, stderr, b)
	}
	mustRun(t, d, "export", "auditor-pack", "-o", out, "--files", "--force")
	check()

	if _, stderr, code = run(t, d, "export", "auditor-pack"); code == 0 || !strings.Contains(stderr, "-o FILE") {
		t.Fatalf("without -o: exit %d, %s", code, stderr)
	}
}
