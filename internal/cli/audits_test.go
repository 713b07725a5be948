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

// Audits and findings from the command line: plan an audit, fill its checklist item by item, raise a finding
// from an item, complete the audit, write its report as PDF; the programme's coverage; findings listed by grade
// in every format; refusals exit non-zero.
func TestAuditCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli, refused := praxis.cli, praxis.refused
			cli("person", "add", "--name", "Ann Lee", "--department", "Engineering")
			out, errOut, code := praxis.run("audit", "add", "--title", "Secure development", "--area", "Engineering", "--clause", "9.2",
				"--control", "A.8.28,5.1", "--lead", "Ann Lee", "--planned-start", "2026-03-02")
			if code != 0 || out != "Added AU-001 Secure development.\n" {
				t.Fatalf("audit add: exit %d, %q, %q", code, out, errOut)
			}
			refused("controls: no Annex A control", "audit", "add", "--title", "Bad", "--control", "9.9")
			if _, errOut, _ := praxis.run("audit", "show", "AU-001"); !strings.Contains(errOut, "Ann Lee audits their own area (Engineering)") {
				t.Errorf("own-area warning: %q", errOut)
			}
			if out := cli("audit", "checklist", "AU-001"); !strings.Contains(out, "Clause 9.2") || !strings.Contains(out, "A.8.28") || !strings.Contains(out, "Secure coding") {
				t.Errorf("checklist:\n%s", out)
			}
			if out := cli("audit", "checklist", "AU-001", "--item", "8.28", "--result", "nonconformity", "--evidence", "Two merges without review"); out != "Recorded A.8.28: nonconformity.\n" {
				t.Errorf("record: %q", out)
			}
			if out := cli("audit", "checklist", "AU-001", "--item", "8.28", "--raise", "Code review skipped", "--grade", "major-nc"); out != "Raised F-001 Code review skipped (Major nonconformity).\n" {
				t.Errorf("raise: %q", out)
			}
			refused("result: must be one of", "audit", "checklist", "AU-001", "--item", "9.2", "--result", "fine")
			refused("checklist: 2 item(s) have no result yet", "audit", "set", "AU-001", "--status", "completed", "--conclusion", "Mostly effective")
			cli("audit", "checklist", "AU-001", "--item", "9.2", "--result", "conforms")
			cli("audit", "checklist", "AU-001", "--item", "A.5.1", "--result", "not-audited", "--notes", "Out of time")
			cli("audit", "set", "AU-001", "--status", "completed", "--conclusion", "Mostly effective")
			var audits []isms.Audit
			if err := json.Unmarshal([]byte(cli("audit", "list", "--status", "completed", "--format", "json")), &audits); err != nil {
				t.Fatal(err)
			}
			if len(audits) != 1 || audits[0].ActualEnd == "" || audits[0].Conclusion != "Mostly effective" {
				t.Fatalf("completed audits: %+v", audits)
			}
			pdfPath := filepath.Join(t.TempDir(), "r.pdf")
			cli("audit", "report", "AU-001", "--format", "pdf", "-o", pdfPath)
			if b, err := os.ReadFile(pdfPath); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
				t.Fatalf("report pdf: %v %.20q", err, b)
			}
			if md := cli("audit", "report", "AU-001"); !strings.Contains(md, "### Major nonconformity (1)") || !strings.Contains(md, "Mostly effective") {
				t.Errorf("report md:\n%s", md)
			}

			cli("finding", "add", "--title", "Visitor log incomplete", "--grade", "observation", "--source", "incident", "--clause", "7.5")
			refused("grade: must be one of", "finding", "add", "--title", "x", "--grade", "bad", "--clause", "7.5")
			if csv := cli("finding", "list", "--grade", "major-nc", "--format", "csv"); !strings.HasPrefix(csv, "ref,title,grade,against,audit,raised,status\nF-001,Code review skipped,Major nonconformity,A.8.28,AU-001,") {
				t.Errorf("findings as CSV:\n%s", csv)
			}
			if out := cli("finding", "export", "--format", "csv"); !strings.Contains(out, "F-002,Visitor log incomplete,observation,incident") {
				t.Errorf("export:\n%s", out)
			}

			_, errOut, _ = praxis.run("audit", "programme")
			if !strings.Contains(errOut, "no cycle yet") {
				t.Errorf("programme without a cycle: %q", errOut)
			}
			cli("audit", "programme", "--cycle-start", "2026-01-01")
			out, errOut, code = praxis.run("audit", "programme")
			if code != 0 || !strings.Contains(out, "Clause 9") || !strings.Contains(out, "AU-001") || !strings.Contains(errOut, "not covered in this cycle: Clause 4") {
				t.Errorf("programme: exit %d\n%s%s", code, out, errOut)
			}
		})
	}
}
