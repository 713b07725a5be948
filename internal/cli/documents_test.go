package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Documents from the command line: add from a file, the workflow, refusals with a non-zero exit, list as JSON
// with the fields scripts read, diff, export, publish and acknowledgements.
func TestDocCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			data := t.TempDir()
			d := []string{"--data=" + data}
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
			cli("init", "--org", "Acme", "--owner", "alice@example.com")
			cli("person", "add", "--name", "Alice Owner", "--email", "alice@example.com", "--department", "Board")
			cli("person", "add", "--name", "Bob Builder", "--department", "Engineering")
			file := filepath.Join(data, "backup.md")
			if err := os.WriteFile(file, []byte("# Backup\n\nDaily.\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if out := cli("doc", "add", "--title", "Backup policy", "--type", "policy", "--owner", "P-001", "--controls", "8.13", "--clauses", "7.5",
				"--review-months", "12", "--file", file); !strings.Contains(out, "Added DOC-001 Backup policy") {
				t.Errorf("add: %s", out)
			}
			refused("type: must be one of", "doc", "add", "--title", "Memo", "--type", "memo")
			refused("only a version in review can be approved", "doc", "approve", "DOC-001")
			cli("doc", "submit", "DOC-001")
			cli("doc", "approve", "DOC-001")
			refused(`no person "Nobody"`, "doc", "ack", "DOC-001", "--person", "Nobody")
			if out := cli("doc", "publish", "DOC-001", "--all"); !strings.Contains(out, "2 added, 2 readers in all") {
				t.Errorf("publish: %s", out)
			}
			cli("doc", "ack", "DOC-001")
			if out := cli("doc", "ack", "DOC-001", "--list"); !strings.Contains(out, "1 of 2 have acknowledged") || !strings.Contains(out, "Bob Builder") {
				t.Errorf("ack list: %s", out)
			}
			var docs []map[string]any
			if err := json.Unmarshal([]byte(cli("doc", "list", "--format", "json")), &docs); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"ref", "title", "type", "status", "owner", "controls", "clauses", "version", "next_review"} {
				if _, ok := docs[0][k]; !ok {
					t.Errorf("doc list --format json lacks %q: %v", k, docs[0])
				}
			}
			if docs[0]["status"] != isms.DocApproved || docs[0]["next_review"] == "" {
				t.Errorf("listed %v", docs[0])
			}
			cli("doc", "set", "DOC-001", "--content", "# Backup\n\nDaily, and tested monthly.\n", "--summary", "Restore tests")
			if diff := cli("doc", "diff", "DOC-001"); !strings.Contains(diff, "-Daily.\n+Daily, and tested monthly.\n") {
				t.Errorf("diff:\n%s", diff)
			}
			if csv := cli("doc", "list", "--status", "draft", "--format", "csv"); !strings.HasPrefix(csv, "ref,title,type,status") || !strings.Contains(csv, "DOC-001") {
				t.Errorf("drafts as CSV:\n%s", csv)
			}
			if md := cli("doc", "export", "DOC-001", "--version", "1"); !strings.HasSuffix(md, "-->\n\n# Backup\n\nDaily.\n") || !strings.Contains(md, "sha256: ") {
				t.Errorf("export:\n%s", md)
			}
			if out := cli("doc", "templates"); !strings.Contains(out, "secure-development") {
				t.Errorf("templates:\n%s", out)
			}
			if out := cli("doc", "add", "--template", "secure-development"); !strings.Contains(out, "Added DOC-002") {
				t.Errorf("add from a template: %s", out)
			}
			var tpl map[string]any
			if err := json.Unmarshal([]byte(cli("doc", "show", "DOC-002", "--format", "json")), &tpl); err != nil {
				t.Fatal(err)
			}
			if shown, _ := tpl["shown_version"].(map[string]any); tpl["type"] != "policy" || !strings.Contains(strings.Join(toStrings(tpl["controls"]), ","), "8.28") ||
				!strings.Contains(shown["content"].(string), "Acme") {
				t.Errorf("from the template: %v", tpl)
			}
			pdfFile := filepath.Join(data, "backup.pdf")
			cli("doc", "export", "DOC-001", "--version", "1", "-o", pdfFile)
			if b, err := os.ReadFile(pdfFile); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("PDF export: %v %.20q", err, b)
			}
			if show := cli("doc", "show", "DOC-001"); !strings.Contains(show, "2 (draft)") || !strings.Contains(show, "tested monthly") {
				t.Errorf("show:\n%s", show)
			}
		})
	}
}

func toStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
