package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/sqldb"
)

// `party import` reads a file with a ref row (updated) and a new row (added); --dry-run writes nothing; a bad
// row is refused by line and field. The other four registers have the same command through registerCmd.
func TestRowRegisterImportCommands(t *testing.T) {
	i := newInstallation(t, sqldb.SQLite)
	i.cli("party", "add", "--name", "Customers", "--kind", "customer")
	file := filepath.Join(t.TempDir(), "parties.csv")
	write := func(body string) {
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ref,name,kind,description,requirements\nIP-001,Customers,customer,Buy the service,REQ-001 (contractual): x\n,Insurer,insurer,,\n")
	if out := i.cli("party", "import", "--dry-run", file); out != "Nothing written (a check): the import would add 1 party, update 1 and leave 0 unchanged. Columns ignored: requirements.\n" {
		t.Fatalf("dry run: %q", out)
	}
	if out := i.cli("party", "import", file); out != "Imported 1 party (IP-002), updated 1, left 0 unchanged. Columns ignored: requirements.\n" {
		t.Fatalf("import: %q", out)
	}
	if out := i.cli("party", "show", "IP-001", "--format", "json"); !strings.Contains(out, "Buy the service") {
		t.Fatalf("not updated: %s", out)
	}
	write("ref,name,kind\n,Alien,martian\n")
	i.refused("line 2: kind: must be one of", "party", "import", file)
	for _, reg := range []string{"issue", "role", "commitment", "objective"} {
		if out := i.cli(reg, "import", "--help"); !strings.Contains(out, "--dry-run") {
			t.Errorf("%s import --help: %s", reg, out)
		}
	}
}
