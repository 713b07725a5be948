package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The training commands on both engines: a course is added and changed, records are added and imported, the
// JSON list names the course and the person with the record's expiry and status, and overdue lists who needs
// training (an expired record and someone never trained).
func TestTrainingCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			if engine == sqldb.Postgres {
				testutil.PostgresURL(t)
			}
			i := newInstallation(t, engine)
			i.cli("person", "add", "--name", "Ann Lee", "--email", "ann@example.com", "--job-title", "Engineer")
			i.cli("person", "add", "--name", "Ben Ode", "--email", "ben@example.com", "--job-title", "Engineer")
			if out := i.cli("course", "add", "--title", "Secure coding", "--audience", "role", "--audience-value", "engineer",
				"--recurrence-months", "12", "--control", "8.28"); out != "Added C-001 Secure coding.\n" {
				t.Fatalf("course add: %q", out)
			}
			i.refused("audience_value: is required", "course", "add", "--title", "Team thing", "--audience", "team")
			i.cli("course", "set", "C-001", "--description", "OWASP basics")
			if out := i.cli("course", "show", "C-001", "--format", "json"); !strings.Contains(out, `"description": "OWASP basics"`) ||
				!strings.Contains(out, `"recurrence_months": 12`) {
				t.Fatalf("course set lost fields: %s", out)
			}
			i.cli("training", "add", "--course", "C-001", "--person", "ann@example.com", "--completed-on", "2020-05-01", "--result", "passed")
			i.refused("completed_on: must be a date", "training", "add", "--course", "C-001", "--person", "P-001", "--completed-on", "May")
			var list []map[string]any
			if err := json.Unmarshal([]byte(i.cli("training", "list", "--format", "json")), &list); err != nil || len(list) != 1 {
				t.Fatalf("training list json: %v %v", list, err)
			}
			r := list[0]
			course, person := r["course"].(map[string]any), r["person"].(map[string]any)
			if r["ref"] != "TR-001" || course["ref"] != "C-001" || course["title"] != "Secure coding" || person["name"] != "Ann Lee" ||
				r["expires_on"] != "2021-05-01" || r["status"] != "expired" || r["result"] != "passed" {
				t.Fatalf("training list json: %v", r)
			}
			overdue := i.cli("training", "overdue", "--format", "csv")
			if !strings.Contains(overdue, "C-001 Secure coding,P-001 Ann Lee,,2020-05-01,2021-05-01,overdue") ||
				!strings.Contains(overdue, "C-001 Secure coding,P-002 Ben Ode,,,,never") {
				t.Fatalf("overdue: %s", overdue)
			}
			file := filepath.Join(t.TempDir(), "training.csv")
			recent := time.Now().UTC().AddDate(0, -1, 0).Format(time.DateOnly) // current for eleven months more
			if err := os.WriteFile(file, []byte("course,person,completed_on\nSecure coding,ben@example.com,"+recent+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if out := i.cli("training", "import", "--dry-run", file); !strings.Contains(out, "Nothing written") {
				t.Fatalf("dry run: %q", out)
			}
			i.cli("training", "import", file)
			if out := i.cli("training", "list", "--person", "P-002"); !strings.Contains(out, "TR-002") || !strings.Contains(out, "current") {
				t.Fatalf("imported: %s", out)
			}
			if out := i.cli("training", "export", "--format", "csv"); !strings.Contains(out, "TR-002,C-001,Secure coding,P-002,Ben Ode,"+recent) {
				t.Fatalf("export: %s", out)
			}
			if out := i.cli("course", "list", "--format", "csv"); !strings.Contains(out, "C-001,Secure coding,job title with engineer,year") {
				t.Fatalf("course list: %s", out)
			}
		})
	}
}
