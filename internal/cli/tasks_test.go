package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Tasks from the command line: add for a control fills the checklist from the guidance, list --mine and
// --overdue with the JSON fields scripts read, done refused with open items and then forced, a recurring task's
// next occurrence, set (only the flags given), check and show, export as CSV.
func TestTaskCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli, refused := praxis.cli, praxis.refused
			cli("person", "add", "--name", "Alice Owner", "--email", "alice@example.com")
			cli("person", "add", "--name", "Dana Lee")
			if out := cli("task", "add", "--title", "Secure coding rules", "--control", "8.28", "--assignee", "alice@example.com", "--due", "2020-01-31"); out != "Added T-001 Secure coding rules.\n" {
				t.Fatalf("task add: %q", out)
			}
			cli("task", "add", "--title", "Restore test", "--control", "8.13", "--recurrence", "yearly", "--due", "2099-05-01", "--assignee", "P-002",
				"--item", "Restore a backup", "--item", "Time it")
			refused(`control: no Annex A control "9.9"`, "task", "add", "--title", "Bad", "--control", "9.9")

			var tasks []struct {
				Ref, Title, Control, Clause, Due, Status, Recurrence string
				Assignee                                             struct{ Ref, Name string }
				Overdue                                              bool
				Checks                                               struct{ Done, Total int }
				Version                                              int
			}
			if err := json.Unmarshal([]byte(cli("task", "list", "--mine", "--format", "json")), &tasks); err != nil {
				t.Fatal(err)
			}
			steps := func() int { c, _ := catalog.MustLoad().Control("8.28"); return len(c.Guidance.Steps) }()
			if len(tasks) != 1 || tasks[0].Ref != "T-001" || tasks[0].Assignee.Name != "Alice Owner" || tasks[0].Assignee.Ref != "P-001" ||
				!tasks[0].Overdue || tasks[0].Checks.Total != steps || tasks[0].Control != "8.28" || tasks[0].Version != 1 {
				t.Fatalf("my tasks: %+v", tasks)
			}
			if table := cli("task", "list", "--overdue"); !strings.Contains(table, "T-001") || strings.Contains(table, "T-002") {
				t.Errorf("overdue tasks:\n%s", table)
			}
			if table := cli("task", "list", "--overdue=no"); strings.Contains(table, "T-001") || !strings.Contains(table, "T-002") {
				t.Errorf("tasks not overdue:\n%s", table)
			}
			refused("checklist item(s) still open", "task", "done", "T-002")
			cli("task", "check", "T-002", "1")
			if show := cli("task", "show", "T-002"); !strings.Contains(show, "1. [x] Restore a backup") || !strings.Contains(show, "2. [ ] Time it") {
				t.Errorf("show after a tick:\n%s", show)
			}
			cli("task", "done", "T-002", "--force")
			if out := cli("task", "list", "--status", "open", "--control", "8.13"); !strings.Contains(out, "T-003") || !strings.Contains(out, "2100-05-01") {
				t.Errorf("next occurrence of the restore test:\n%s", out)
			}
			cli("task", "set", "T-001", "--status", "in-progress")
			if out := cli("task", "show", "T-001", "--format", "json"); !strings.Contains(out, `"status": "in-progress"`) || !strings.Contains(out, `"name": "Alice Owner"`) {
				t.Errorf("after set:\n%s", out)
			}
			if out := cli("control", "show", "A.8.28"); !strings.Contains(out, "T-001  in-progress  Secure coding rules") ||
				!strings.Contains(out, "does not say yet whether 8.28 applies") {
				t.Errorf("control show:\n%s", out)
			}
			if csv := cli("control", "show", "8.13", "--format", "csv"); !strings.HasPrefix(csv, "code,message\nundecided,") {
				t.Errorf("control show as CSV:\n%s", csv)
			}
			refused(`no Annex A control "9.9"`, "control", "show", "9.9")
			if csv := cli("task", "export", "--mine"); !strings.Contains(csv, "T-001,Secure coding rules,8.28") || strings.Contains(csv, "T-002") {
				t.Errorf("export of my tasks:\n%s", csv)
			}
		})
	}
}
