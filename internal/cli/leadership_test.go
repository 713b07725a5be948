package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Roles, commitments and objectives from the command line: add, set (only the flags given), list with filters
// in every format, the role warning on stderr, refusals with a non-zero exit, delete and export.
func TestLeadershipCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli := praxis.cli
			refused := praxis.refused
			cli("person", "add", "--name", "Maya Patel", "--email", "maya@example.com")
			cli("person", "add", "--name", "Dana Lee")
			cli("risk", "add", "--title", "Phishing", "--likelihood", "3", "--impact", "4", "--treatment", "modify")

			out, errOut, code := praxis.run("role", "add", "--name", "Sponsor", "--kind", "sponsor", "--person", "maya@example.com",
				"--responsibilities", "Approves the policy")
			if code != 0 || out != "Added RL-001 Sponsor.\n" || !strings.Contains(errOut, "No role is marked as the ISMS owner") {
				t.Fatalf("role add: exit %d, %q, stderr %q", code, out, errOut)
			}
			out, errOut, code = praxis.run("role", "list")
			if code != 0 || !strings.Contains(out, "Maya Patel") || !strings.Contains(errOut, "No role is marked as the ISMS owner") {
				t.Fatalf("role list without an owner: exit %d\n%s%s", code, out, errOut)
			}
			cli("role", "add", "--name", "CISO", "--kind", "isms-owner", "--person", "P-002")
			cli("role", "set", "RL-002", "--authorities", "Stops releases")
			var roles []isms.ISMSRole
			if err := json.Unmarshal([]byte(cli("role", "list", "--kind", "isms-owner", "--format", "json")), &roles); err != nil {
				t.Fatal(err)
			}
			if len(roles) != 1 || roles[0].PersonName != "Dana Lee" || roles[0].Authorities != "Stops releases" || roles[0].Version != 2 {
				t.Fatalf("owner roles: %+v", roles)
			}
			_, errOut, _ = praxis.run("role", "list")
			if errOut != "" {
				t.Errorf("one owner and one sponsor: stderr %q", errOut)
			}
			refused("kind: must be one of isms-owner, sponsor, other", "role", "add", "--name", "Boss", "--kind", "boss")
			refused(`person: no person "P-404"`, "role", "set", "RL-001", "--person", "P-404")

			cli("commitment", "add", "--title", "Approved the policy", "--person", "P-001", "--date", "2026-01-15", "--document", "DOC-001")
			refused("date: must be a date as YYYY-MM-DD", "commitment", "add", "--title", "Budget", "--date", "15/01/2026")
			if csv := cli("commitment", "list", "--format", "csv"); !strings.HasPrefix(csv, "ref,date,title,person,document,evidence\nLC-001,2026-01-15,Approved the policy,Maya Patel,DOC-001,") {
				t.Errorf("commitments as CSV:\n%s", csv)
			}

			cli("objective", "add", "--title", "Fewer phishing clicks", "--owner", "P-002", "--due", "2020-06-30", "--risk", "r-001", "--status", "at-risk")
			cli("objective", "add", "--title", "Certification", "--due", "2999-01-01")
			refused(`risks: no risk "R-404"`, "objective", "set", "OBJ-001", "--risk", "R-404")
			cli("objective", "set", "OBJ-001", "--target", "below 4%")
			var objectives []isms.Objective
			if err := json.Unmarshal([]byte(cli("objective", "list", "--overdue", "--format", "json")), &objectives); err != nil {
				t.Fatal(err)
			}
			if len(objectives) != 1 || objectives[0].Ref != "OBJ-001" || !slices.Equal(objectives[0].Risks, []string{"R-001"}) || objectives[0].Target != "below 4%" {
				t.Fatalf("overdue objectives: %+v", objectives)
			}
			if table := cli("objective", "list", "--status", "planned"); !strings.Contains(table, "OBJ-002") || strings.Contains(table, "OBJ-001") {
				t.Errorf("planned objectives:\n%s", table)
			}
			if csv := cli("objective", "export", "--overdue"); !strings.Contains(csv, "OBJ-001,Fewer phishing clicks") || strings.Contains(csv, "OBJ-002") {
				t.Errorf("overdue export:\n%s", csv)
			}
			cli("objective", "delete", "OBJ-002")
			refused("not found", "objective", "show", "OBJ-002")
		})
	}
}
