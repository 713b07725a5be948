package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The SoA from the command line: list with filters, set one entry (only the flags given) or many, the rules
// refused with a non-zero exit and nothing changed, approve, versions and diff.
func TestSoACommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			d := []string{"--data=" + t.TempDir()}
			if engine == sqldb.Postgres {
				d = append(d, "--db="+testutil.NewPostgresURL(t))
			}
			cli := func(args ...string) string {
				t.Helper()
				return mustRun(t, append(append([]string{}, d...), args...)...)
			}
			refused := func(want string, args ...string) {
				t.Helper()
				out, errOut, code := run(t, append(append([]string{}, d...), args...)...)
				if code == 0 || !strings.Contains(errOut, want) {
					t.Errorf("praxis %v: exit %d, %s%s; want a refusal saying %q", args, code, out, errOut, want)
				}
			}
			entry := func(control string) isms.SoAEntry {
				t.Helper()
				var en isms.SoAEntry
				if err := json.Unmarshal([]byte(cli("soa", "show", control, "--format", "json")), &en); err != nil {
					t.Fatal(err)
				}
				return en
			}
			cli("init", "--org", "Acme", "--owner", "alice@example.com")
			cli("person", "add", "--name", "Dana Lee", "--email", "dana@example.com")
			cli("risk", "add", "--title", "Insecure code", "--likelihood", "3", "--impact", "4", "--treatment", "modify", "--control", "8.28")

			var all []isms.SoAEntry
			if err := json.Unmarshal([]byte(cli("soa", "list", "--format", "json")), &all); err != nil {
				t.Fatal(err)
			}
			if len(all) != 93 || all[0].Control != "5.1" {
				t.Fatalf("soa list: %d entries", len(all))
			}
			if csv := cli("soa", "list", "--theme", "physical", "--format", "csv"); strings.Count(csv, "\n") != 15 || !strings.HasPrefix(csv, "control,title,theme,applicable") {
				t.Errorf("physical controls as CSV:\n%s", csv)
			}

			cli("soa", "set", "8.28", "--applicable", "--justification", "We write our own software", "--status", "partial",
				"--reason", "contractual,legal", "--owner", "P-001")
			cli("soa", "set", "8.28", "--notes", "Reviews on every merge")
			en := entry("A.8.28")
			if en.Applicable == nil || !*en.Applicable || en.Status != "partial" || en.Owner != "P-001" || en.Notes != "Reviews on every merge" ||
				strings.Join(en.AllReasons(), ",") != "risk,legal,contractual" || strings.Join(en.Risks, ",") != "R-001" || en.Version != 3 {
				t.Errorf("8.28 after two sets: %+v", en)
			}
			refused("control 8.28 cannot be excluded from the Statement of Applicability while it treats risk R-001",
				"soa", "set", "8.28", "--applicable=false", "--justification", "We buy all our software")
			refused("is required to decide whether control 5.1 applies", "soa", "set", "5.1", "--applicable=no")
			refused("is derived from the risk register", "soa", "set", "5.1", "--reason", "risk")
			refused("8.28: applicable: control 8.28 cannot be excluded", "soa", "set", "7.3", "8.28", "--applicable=false", "--justification", "Not ours")
			if en := entry("8.28"); en.Version != 3 || !*en.Applicable {
				t.Errorf("a refused set changed 8.28: %+v", en)
			}
			if en := entry("7.3"); en.Applicable != nil {
				t.Errorf("a refused bulk set changed 7.3: %+v", en)
			}

			if out := cli("soa", "set", "--theme", "physical", "--applicable=false", "--justification", "Remote-first: no premises of our own"); !strings.Contains(out, "Updated 14 entries") {
				t.Errorf("bulk set: %s", out)
			}
			refused("is undecided", "soa", "approve", "--comment", "too early")
			cli("soa", "set", "--theme", "organizational", "--applicable=yes", "--justification", "Part of how we run", "--status", "planned")
			cli("soa", "set", "--theme", "people", "--applicable=yes", "--justification", "Part of how we run", "--status", "planned")
			cli("soa", "set", "--theme", "technological", "--applicable=yes", "--justification", "Part of how we run", "--status", "implemented")
			// The bulk change set 8.28's justification too; it keeps what the rules allow.
			if out := cli("soa", "approve", "--comment", "First"); !strings.Contains(out, "Approved SoA version 1") {
				t.Errorf("approve: %s", out)
			}
			cli("soa", "set", "7.3", "--applicable=yes", "--justification", "We opened an office", "--status", "planned")
			cli("soa", "approve", "--comment", "Office")
			if out := cli("soa", "versions"); !strings.Contains(out, "Office") || !strings.Contains(out, "First") {
				t.Errorf("versions:\n%s", out)
			}
			diff := cli("soa", "diff", "1", "2")
			if !strings.Contains(diff, "7.3") || !strings.Contains(diff, "applicable") || strings.Contains(diff, "8.28") {
				t.Errorf("diff 1 2:\n%s", diff)
			}
			if out := cli("soa", "diff", "2", "draft"); !strings.Contains(out, "No differences") {
				t.Errorf("diff 2 draft: %s", out)
			}
			refused("must be a version number or", "soa", "diff", "x", "draft")
		})
	}
}
