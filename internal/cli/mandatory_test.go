package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// praxis doc mandatory lists every item: all gaps in a new organisation, and an approved policy serving 5.2
// satisfies its item, as a table and as JSON.
func TestDocMandatoryCommand(t *testing.T) {
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
			cli("init", "--org", "Acme", "--owner", "alice@example.com")
			if out := cli("doc", "mandatory"); strings.Contains(out, "satisfied") || !strings.Contains(out, "The ISMS scope has no approved version.") {
				t.Errorf("new organisation:\n%s", out)
			}
			cli("doc", "add", "--title", "Security policy", "--type", "policy", "--clauses", "5.2", "--content", "# Policy\n")
			cli("doc", "submit", "DOC-001")
			cli("doc", "approve", "DOC-001")
			if out := cli("doc", "mandatory"); !strings.Contains(out, "DOC-001 Security policy, version 1") {
				t.Errorf("after the policy:\n%s", out)
			}
			var items []struct {
				Clause, Item string
				Satisfied    bool
				Evidence     []struct{ Ref string }
				CreateLink   string `json:"create_link"`
			}
			if err := json.Unmarshal([]byte(cli("doc", "mandatory", "--format", "json")), &items); err != nil {
				t.Fatal(err)
			}
			satisfied := map[string]bool{}
			for _, it := range items {
				satisfied[strings.TrimSpace(it.Clause+" "+it.Item)] = it.Satisfied
				if !it.Satisfied && it.CreateLink == "" {
					t.Errorf("%s %s: a gap without a link", it.Clause, it.Item)
				}
			}
			if len(items) != 16 || !satisfied["5.2 e"] || satisfied["4.3"] {
				t.Errorf("%d items, satisfied: %v", len(items), satisfied)
			}
		})
	}
}

// praxis doc methodology says there is none, drafts it from the risk method, and follows its approval.
func TestDocMethodologyCommand(t *testing.T) {
	d := []string{"--data=" + t.TempDir()}
	cli := func(args ...string) string {
		t.Helper()
		return mustRun(t, append(append([]string{}, d...), args...)...)
	}
	cli("init", "--org", "Acme", "--owner", "alice@example.com")
	if out := cli("doc", "methodology"); !strings.Contains(out, "No risk methodology yet") {
		t.Errorf("before: %s", out)
	}
	if out := cli("doc", "methodology", "--draft"); !strings.Contains(out, "DOC-001 version 1 is draft and waits for approval") {
		t.Errorf("draft: %s", out)
	}
	cli("doc", "submit", "DOC-001")
	cli("doc", "approve", "DOC-001")
	var m struct {
		Ref     string
		Pending bool
	}
	if err := json.Unmarshal([]byte(cli("doc", "methodology", "--format", "json")), &m); err != nil || m.Ref != "DOC-001" || m.Pending {
		t.Errorf("approved: %+v %v", m, err)
	}
}
