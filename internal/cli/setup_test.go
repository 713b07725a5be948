package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Commands that only use a database fail with a clear message where there is none, and leave no empty data
// folder behind (a typo in --data must not look like an empty installation).
func TestReadCommandsCreateNoDataFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no-such-folder")
	for _, args := range [][]string{
		{"risk", "list"}, {"asset", "show", "A-001"}, {"risk", "export", "--format", "csv"}, {"person", "list"},
		{"log", "verify"}, {"log", "list"}, {"user", "list"}, {"backup", filepath.Join(t.TempDir(), "b.zip")},
	} {
		_, errOut, code := run(t, append([]string{"--data=" + dir}, args...)...)
		if code == 0 || !strings.Contains(errOut, "no database at "+filepath.Join(dir, "praxis.db")) || !strings.Contains(errOut, "praxis init") {
			t.Errorf("praxis %s without a database: exit %d, %q", strings.Join(args, " "), code, errOut)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("praxis %s created the data folder: %v", strings.Join(args, " "), err)
		}
	}
	// The catalog needs no database at all.
	if out := mustRun(t, "--data="+dir, "catalog", "show", "8.28"); !strings.Contains(out, "8.28") {
		t.Fatalf("catalog show: %s", out)
	}
	// init creates the folder.
	mustRun(t, "--data="+dir, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	mustRun(t, "--data="+dir, "risk", "list")
}

// Running init again for the same organisation says it exists and changes nothing.
func TestInitTwiceSaysTheOrganisationExists(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	_, errOut, code := run(t, d, "init", "--org", "Acme Ltd", "--owner", "bob@example.com")
	if code != 1 || !strings.Contains(errOut, "organisation Acme Ltd exists already (acme-ltd)") {
		t.Fatalf("second init: exit %d, %q", code, errOut)
	}
	if out := mustRun(t, d, "user", "list", "--format", "csv"); strings.Contains(out, "bob@") || strings.Contains(out, "acme-ltd-2") {
		t.Fatalf("the refused init changed something: %s", out)
	}
	if _, errOut, code := run(t, d, "--org", "acme-ltd-2", "user", "list"); code == 0 {
		t.Fatalf("a second organisation exists: %s", errOut)
	}
}
