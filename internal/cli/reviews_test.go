package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Management reviews and corrective actions from the command line: plan, note against inputs, hold (inputs
// frozen), record the decisions, write the minutes; a corrective action without a nonconformity is refused.
func TestReviewAndCorrectiveCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli, refused := praxis.cli, praxis.refused
			cli("person", "add", "--name", "Maya Patel")
			cli("issue", "add", "--title", "New privacy law", "--kind", "external")
			if out := cli("review", "add", "--title", "Review 2026", "--chair", "Maya Patel", "--attendees", "CEO\nCISO", "--planned-on", "2026-01-10"); out != "Added MR-001 Review 2026.\n" {
				t.Fatalf("add: %q", out)
			}
			cli("review", "set", "MR-001", "--note", "risks=Ransomware above appetite", "--note", "feedback=Customers ask for reports")
			refused(`input_notes: no input "weather"`, "review", "set", "MR-001", "--note", "weather=sunny")
			if out := cli("review", "inputs", "MR-001", "--format", "csv"); !strings.Contains(out, "context,issue,I-001,New privacy law,new,external,") {
				t.Fatalf("inputs:\n%s", out)
			}
			if out := cli("review", "hold", "MR-001"); !strings.Contains(out, "MR-001 was held on") {
				t.Fatalf("hold: %q", out)
			}
			refused("cannot go back to planned", "review", "set", "MR-001", "--status", "planned")
			cli("review", "action", "add", "--review", "MR-001", "--kind", "resource", "--decision", "Hire an analyst", "--owner", "P-001", "--due", "2026-06-30")
			refused("kind: must be one of improvement, change, resource", "review", "action", "add", "--review", "MR-001", "--kind", "money", "--decision", "x")
			var reviews []isms.Review
			if err := json.Unmarshal([]byte(cli("review", "list", "--format", "json")), &reviews); err != nil {
				t.Fatal(err)
			}
			if len(reviews) != 1 || reviews[0].Status != "held" || reviews[0].Inputs == nil || reviews[0].InputNotes["risks"] != "Ransomware above appetite" {
				t.Fatalf("reviews: %+v", reviews)
			}
			md := cli("review", "minutes", "MR-001")
			for _, want := range []string{"# Review 2026", "- CISO", "Noted: Ransomware above appetite", "RA-001 (resource): Hire an analyst", "issue I-001"} {
				if !strings.Contains(md, want) {
					t.Fatalf("minutes lack %q:\n%s", want, md)
				}
			}
			file := filepath.Join(t.TempDir(), "minutes.pdf")
			cli("review", "minutes", "MR-001", "-o", file)
			if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "%PDF") {
				t.Fatalf("minutes PDF: %v", err)
			}

			refused("finding: is required", "corrective", "add", "--title", "Fix it")
			refused(`finding: no finding "F-404"`, "corrective", "add", "--title", "Fix it", "--finding", "F-404")
			cli("finding", "add", "--title", "Leavers keep access", "--grade", "major-nc", "--clause", "8.1")
			cli("finding", "add", "--title", "Tidy desks", "--grade", "observation", "--clause", "7.3")
			refused("F-002 is graded observation", "corrective", "add", "--title", "Clear desks", "--finding", "F-002")
			if out := cli("corrective", "add", "--title", "Automate leaver removal", "--finding", "f-001", "--due", "2000-01-01"); out != "Added CA-001 Automate leaver removal.\n" {
				t.Fatalf("corrective add: %q", out)
			}
			refused("cannot close CA-001: no effectiveness check yet", "corrective", "close", "CA-001")
			if out := cli("corrective", "list", "--overdue", "--format", "csv"); !strings.Contains(out, "CA-001,F-001,Automate leaver removal") {
				t.Fatalf("overdue list:\n%s", out)
			}
			poam := cli("corrective", "export", "--format", "oscal")
			if !strings.Contains(poam, `"plan-of-action-and-milestones"`) || !strings.Contains(poam, "CA-001 Automate leaver removal") {
				t.Fatalf("POA&M:\n%.400s", poam)
			}
			if out := cli("corrective", "verify", "CA-001", "--result", "effective", "--notes", "Sampled"); out != "Checked CA-001: effective; it is open.\n" {
				t.Fatalf("verify: %q", out)
			}
			cli("corrective", "close", "CA-001")
			if out := cli("corrective", "show", "CA-001"); !strings.Contains(out, "closed") || !strings.Contains(out, "effective, by") {
				t.Fatalf("show:\n%s", out)
			}
			refused("no open corrective action", "corrective", "export", "--format", "oscal")
			if ar := cli("finding", "export", "--format", "oscal"); !strings.Contains(ar, `"assessment-results"`) || !strings.Contains(ar, "F-002 Tidy desks") {
				t.Fatalf("assessment results:\n%.400s", ar)
			}
			if csv := cli("finding", "export", "--format", "csv"); !strings.Contains(csv, "Leavers keep access") {
				t.Fatalf("the finding export's other formats: %q", csv)
			}
		})
	}
}
