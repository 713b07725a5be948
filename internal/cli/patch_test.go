package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// `asset set`, `person set`, `risk set` and `risk action set` send only the flags given: a change made by someone else to another
// field, before or while the command runs, is kept. Several sets of different fields of one row at the same
// time all succeed and all their values survive (a set that copied the row back would overwrite them or fail
// with a stale version).
func TestSetSendsOnlyTheFlagsGiven(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			praxis := newInstallation(t, engine)
			cli := praxis.cli
			show := func(v any, args ...string) {
				t.Helper()
				if err := json.Unmarshal([]byte(cli(append(args, "--format", "json")...)), v); err != nil {
					t.Fatal(err)
				}
			}
			cli("person", "add", "--name", "Alice Owner", "--email", "alice@example.com", "--department", "IT")
			cli("person", "add", "--name", "Bob Builder")
			cli("asset", "add", "--name", "Laptop", "--type", "hardware", "--owner", "P-001", "--confidentiality", "3")
			cli("risk", "add", "--title", "Stolen laptop", "--asset", "A-001", "--owner", "P-001", "--likelihood", "3", "--impact", "4",
				"--treatment", "modify", "--control", "8.1")
			cli("risk", "action", "add", "R-001", "--title", "Encrypt laptops", "--owner", "P-001")

			// One change after another to different fields keeps both.
			cli("person", "set", "P-001", "--job-title", "CTO")
			cli("person", "set", "P-001", "--department", "Engineering")
			var person struct {
				Name, Email, Department string
				JobTitle                string `json:"job_title"`
				Version                 int
			}
			show(&person, "person", "show", "P-001")
			if person.Name != "Alice Owner" || person.Email != "alice@example.com" || person.JobTitle != "CTO" || person.Department != "Engineering" || person.Version != 3 {
				t.Fatalf("person after two sets: %+v", person)
			}

			// Changes to different fields at the same time.
			var wg sync.WaitGroup
			for _, args := range [][]string{
				{"asset", "set", "A-001", "--location", "Berlin office"}, {"asset", "set", "A-001", "--notes", "Encrypted disk"},
				{"asset", "set", "A-001", "--classification", "internal"}, {"asset", "set", "A-001", "--integrity", "4"},
				{"risk", "set", "R-001", "--description", "Left on a train"}, {"risk", "set", "R-001", "--owner", "P-002"},
				{"risk", "set", "R-001", "--residual-likelihood", "1", "--residual-impact", "4"}, {"risk", "set", "R-001", "--threat", "Theft"},
				{"risk", "action", "set", "TA-001", "--status", "done"}, {"risk", "action", "set", "TA-001", "--notes", "Asset tags checked"},
				{"risk", "action", "set", "TA-001", "--due", "2031-06-30"}, {"risk", "action", "set", "TA-001", "--owner", "P-002"},
			} {
				wg.Go(func() {
					if out, errOut, code := praxis.run(args...); code != 0 {
						t.Errorf("praxis %v: exit %d: %s%s", args, code, out, errOut)
					}
				})
			}
			wg.Wait()
			var asset struct {
				Name, Type, Owner, Location, Notes, Classification string
				Confidentiality, Integrity, Version                int
			}
			show(&asset, "asset", "show", "A-001")
			if asset.Name != "Laptop" || asset.Type != "hardware" || asset.Owner != "P-001" || asset.Confidentiality != 3 || asset.Location != "Berlin office" ||
				asset.Notes != "Encrypted disk" || asset.Classification != "internal" || asset.Integrity != 4 || asset.Version != 5 {
				t.Errorf("asset after four sets at once: %+v", asset)
			}
			var risk struct {
				cliRisk
				Description, Threat string
				History             []struct{ Score int }
			}
			show(&risk, "risk", "show", "R-001")
			if got := fmt.Sprint(risk.Title, "|", risk.Description, "|", risk.Threat, "|", risk.Owner, "|", risk.Assets, "|", risk.Controls, "|",
				risk.Score, "|", risk.ResidualScore, "|", risk.Version); got != "Stolen laptop|Left on a train|Theft|P-002|[A-001]|[8.1]|12|4|5" {
				t.Errorf("risk after four sets at once: %s", got)
			}
			var actions []struct {
				Title, Owner, Due, Status, Notes string
				Version                          int
			}
			show(&actions, "risk", "action", "list")
			if got := fmt.Sprint(actions); got != "[{Encrypt laptops P-002 2031-06-30 done Asset tags checked 5}]" {
				t.Errorf("action after four sets at once: %s", got)
			}
			if len(risk.History) != 2 {
				t.Errorf("risk history: %+v, want the first assessment and the residual one", risk.History)
			}
		})
	}
}

// The register lists print the columns their declarations list: a column added to a declaration shows in
// `list` and `show`, in the table and in CSV, with no change to the CLI.
func TestListColumnsComeFromTheDeclaration(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	mustRun(t, d, "person", "add", "--name", "Alice Owner", "--email", "alice@example.com")
	mustRun(t, d, "asset", "add", "--name", "Laptop", "--type", "hardware", "--owner", "P-001", "--notes", "Encrypted disk")
	mustRun(t, d, "risk", "add", "--title", "Stolen laptop", "--owner", "P-001", "--likelihood", "3", "--impact", "4", "--treatment", "modify")
	mustRun(t, d, "risk", "action", "add", "R-001", "--title", "Encrypt laptops", "--notes", "BitLocker")

	addColumn(t, &service.AssetRegister.ListColumns, store.ListColumn[isms.Asset]{Header: "asset_notes", Value: func(a *isms.Asset) string { return a.Notes }})
	addColumn(t, &service.PeopleRegister.ListColumns, store.ListColumn[isms.Person]{Header: "person_ver", Value: func(p *isms.Person) string { return fmt.Sprint("v", p.Version) }})
	addColumn(t, &service.RiskListColumns, store.ListColumn[isms.Risk]{Header: "risk_ver", Value: func(r *isms.Risk) string { return fmt.Sprint("v", r.Version) }})
	addColumn(t, &service.ActionListColumns, store.ListColumn[service.ActionView]{Header: "action_notes", Width: 3, Value: func(a *service.ActionView) string { return a.Notes }})

	for _, c := range []struct {
		args       []string
		head, cell string
	}{
		{[]string{"asset", "list"}, "ASSET_NOTES", "Encrypted disk"},
		{[]string{"asset", "list", "--format", "csv"}, "asset_notes", "Encrypted disk"},
		{[]string{"asset", "show", "A-001", "--format", "csv"}, "asset_notes", "Encrypted disk"},
		{[]string{"person", "list"}, "PERSON_VER", "v1"},
		{[]string{"person", "show", "P-001", "--format", "csv"}, "person_ver", "v1"},
		{[]string{"risk", "list"}, "RISK_VER", "v1"},
		{[]string{"risk", "action", "list"}, "ACTION_NOTES", "Bi…"}, // cut to the declared width
		{[]string{"risk", "action", "list", "--format", "csv"}, "action_notes", "BitLocker"},
	} {
		out := mustRun(t, append([]string{d}, c.args...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || !strings.HasSuffix(strings.TrimSpace(lines[0]), c.head) || !strings.HasSuffix(strings.TrimSpace(lines[1]), c.cell) {
			t.Errorf("praxis %s: want a last column %s with %q:\n%s", strings.Join(c.args, " "), c.head, c.cell, out)
		}
	}
}

// addColumn adds c to a list declaration for the test.
func addColumn[T any](t *testing.T, cols *[]store.ListColumn[T], c store.ListColumn[T]) {
	old := *cols
	*cols = append(old[:len(old):len(old)], c)
	t.Cleanup(func() { *cols = old })
}

// `person add` and `person set` take --notes from the input type, with no flag written for it.
func TestPersonNotesFlag(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	mustRun(t, d, "person", "add", "--name", "Alice Owner", "--notes", "Awareness training 2026")
	mustRun(t, d, "person", "set", "P-001", "--department", "IT")
	var p struct{ Name, Department, Notes string }
	if err := json.Unmarshal([]byte(mustRun(t, d, "person", "show", "P-001", "--format", "json")), &p); err != nil {
		t.Fatal(err)
	}
	if p != (struct{ Name, Department, Notes string }{"Alice Owner", "IT", "Awareness training 2026"}) {
		t.Fatalf("person: %+v", p)
	}
	mustRun(t, d, "person", "set", "P-001", "--notes", "")
	if out := mustRun(t, d, "person", "show", "P-001", "--format", "json"); !strings.Contains(out, `"notes": ""`) {
		t.Fatalf("notes cleared: %s", out)
	}
}
