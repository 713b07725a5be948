package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// The staff fields from the command line: add and set take them as flags (set changes only those given), bad
// ones are refused naming the field, list filters by them and prints the manager as a reference and name in
// JSON, leavers with open access are listed with what is open, and an export imports back unchanged (dry run
// first).
func TestPersonStaffCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli, refused := praxis.cli, praxis.refused
			cli("person", "add", "--name", "Grace Boss", "--team", "Ops", "--screened-on", "2020-01-01", "--terms-signed-on", "2020-01-01")
			// alice is the owner: her own person left in January and her account is still the owner.
			cli("person", "add", "--name", "Alice Owner", "--email", "alice@example.com", "--manager", "P-001", "--employment", "contractor",
				"--start-date", "2020-01-01", "--end-date", "2026-01-31")
			cli("person", "set", "P-002", "--team", "Ops")
			refused("manager: is managed by this person", "person", "set", "P-001", "--manager", "P-002")
			refused("end_date: must not be before the start date", "person", "set", "P-002", "--end-date", "2019-12-31")
			refused("employment: must be one of employee, contractor", "person", "set", "P-002", "--employment", "intern")

			var people []struct {
				Ref         string `json:"ref"`
				Team        string `json:"team"`
				Manager     string `json:"manager"`
				ManagerName string `json:"manager_name"`
				Employment  string `json:"employment"`
				EndDate     string `json:"end_date"`
			}
			if err := json.Unmarshal([]byte(cli("person", "list", "--team", "Ops", "--screened=no", "--format", "json")), &people); err != nil {
				t.Fatal(err)
			}
			if len(people) != 1 || people[0].Ref != "P-002" || people[0].Manager != "P-001" || people[0].ManagerName != "Grace Boss" ||
				people[0].Team != "Ops" || people[0].Employment != "contractor" || people[0].EndDate != "2026-01-31" {
				t.Fatalf("person list --team Ops --screened=no: %+v", people)
			}
			if out := cli("person", "list", "--leavers", "open-access", "--format", "csv"); !strings.Contains(out, "P-002,Alice Owner") || strings.Contains(out, "P-001") {
				t.Fatalf("--leavers open-access:\n%s", out)
			}
			if out := cli("person", "leavers"); !strings.Contains(out, "member as owner") || !strings.Contains(out, "P-002") {
				t.Fatalf("person leavers:\n%s", out)
			}
			file := filepath.Join(t.TempDir(), "people.csv")
			cli("person", "export", "--format", "csv", "--output", file)
			if out := cli("person", "import", file, "--dry-run"); !strings.Contains(out, "2 unchanged") {
				t.Fatalf("dry run of the export:\n%s", out)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), "P-002,Alice Owner,alice@example.com,,,Ops,P-001,Grace Boss,contractor") {
				t.Fatalf("export:\n%s", data)
			}
		})
	}
}
