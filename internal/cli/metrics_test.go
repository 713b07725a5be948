package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// Metrics and the improvement log from the command line: add, measure (a value and a day), list as JSON with
// the latest value, status and lateness, the measurements, refusals with a non-zero exit, set and export.
func TestMetricCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli, refused := praxis.cli, praxis.refused
			cli("person", "add", "--name", "Maya Patel")
			cli("objective", "add", "--title", "Patch quickly")
			if out := cli("metric", "add", "--title", "Patch compliance", "--target", "95", "--unit", "%", "--owner", "Maya Patel",
				"--objective", "OBJ-001", "--control", "8.8"); out != "Added M-001 Patch compliance.\n" {
				t.Fatalf("add: %q", out)
			}
			refused("target: must be a number", "metric", "add", "--title", "Clicks", "--target", "5%")
			refused("frequency: must be one of weekly, monthly, quarterly, half-yearly, yearly", "metric", "set", "M-001", "--frequency", "daily")
			today := time.Now().UTC().Format(time.DateOnly)
			cli("metric", "measure", "M-001", "91", "--on", "2026-01-31")
			if out := cli("metric", "measure", "M-001", "97.5", "--note", "after the push"); out != "Recorded 97.5 for M-001 on "+today+".\n" {
				t.Fatalf("measure: %q", out)
			}
			refused("value: must be a number", "metric", "measure", "M-001", "97,5")
			refused("metric M-404 not found", "metric", "measure", "M-404", "1")
			var list []struct {
				Ref, Title, Owner, Frequency, Target, Direction, Unit, Status, Objective, Trend string
				Late                                                                            bool
				Latest                                                                          *struct {
					Value   string `json:"value"`
					TakenOn string `json:"taken_on"`
				}
			}
			if err := json.Unmarshal([]byte(cli("metric", "list", "--format", "json")), &list); err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].Latest == nil || list[0].Latest.Value != "97.5" || list[0].Latest.TakenOn != today || list[0].Status != "on-target" ||
				list[0].Late || list[0].Objective != "OBJ-001" || list[0].Owner != "P-001" || list[0].Target != "95" || list[0].Trend != "up" {
				t.Fatalf("list as JSON: %+v", list)
			}
			cli("metric", "set", "M-001", "--target", "99")
			if out := cli("metric", "list"); !strings.Contains(out, "off-target") || !strings.Contains(out, "at least 99 %") {
				t.Errorf("list after a higher target:\n%s", out)
			}
			if out := cli("metric", "measurements", "M-001", "--format", "csv"); !strings.HasPrefix(out, "taken on,value,note,recorded by\n"+today+",97.5,after the push,") ||
				!strings.Contains(out, "2026-01-31,91,,") {
				t.Errorf("measurements:\n%s", out)
			}
			file := filepath.Join(t.TempDir(), "values.csv")
			if err := os.WriteFile(file, []byte("metric,taken_on,value\nM-001,2025-12-31,89\nM-001,2025-11-30,x\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			refused("line 3: value: must be a number", "metric", "import-measurements", file)
			if err := os.WriteFile(file, []byte("metric,taken_on,value\nM-001,2025-12-31,89\nM-001,2025-11-30,88\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			cli("metric", "import-measurements", file)
			if out := cli("metric", "measurements", "M-001", "--format", "csv"); strings.Count(out, "\n") != 5 || !strings.Contains(out, "2025-11-30,88") {
				t.Errorf("after the import:\n%s", out)
			}
			if out := cli("metric", "export", "--format", "csv"); !strings.Contains(out, "M-001,Patch compliance") {
				t.Errorf("export:\n%s", out)
			}

			cli("improvement", "add", "--title", "Monthly patch report", "--source", "corrective", "--source-ref", "CA-003", "--owner", "P-001",
				"--made-on", "2026-02-01", "--reason", "Patching slipped unnoticed")
			refused("source_ref: must be MR-001 for source review", "improvement", "set", "IMP-001", "--source", "review")
			if out := cli("improvement", "list", "--format", "csv"); !strings.HasPrefix(out, "ref,made on,title,source,source ref,owner\nIMP-001,2026-02-01,Monthly patch report,corrective,CA-003,Maya Patel") {
				t.Errorf("improvements:\n%s", out)
			}
		})
	}
}
