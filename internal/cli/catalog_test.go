package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
)

// readCSV parses CSV output into records, failing the test on malformed output.
func readCSV(t *testing.T, out string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%.300s", err, out)
	}
	return recs
}

// controlIDs runs a catalog controls command with --format json and returns the ids it lists.
func controlIDs(t *testing.T, args ...string) []string {
	t.Helper()
	var list []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, append(append([]string{"catalog", "controls"}, args...), "--format", "json")...)), &list); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	return ids
}

// The CSV of the control list carries every field of every control (all five attributes and the 2013 ids), so a
// spreadsheet built from it loses nothing; the table shows the same columns.
func TestCatalogControlsCSVAndTable(t *testing.T) {
	want := []string{"id", "title", "theme", "new_in_2022", "control_type", "properties", "concepts", "capabilities", "domains", "replaces"}
	recs := readCSV(t, mustRun(t, "catalog", "controls", "--format", "csv"))
	if !slices.Equal(recs[0], want) {
		t.Fatalf("CSV header %v, want %v", recs[0], want)
	}
	ctls := catalog.MustLoad().Controls()
	if len(recs) != 1+len(ctls) {
		t.Fatalf("CSV has %d rows, want %d", len(recs)-1, len(ctls))
	}
	for i, c := range ctls {
		row := recs[i+1]
		exp := []string{c.ID, c.Title, c.Theme, map[bool]string{true: "yes", false: "no"}[c.NewIn2022]}
		for _, k := range catalog.AttributeKeys() {
			exp = append(exp, strings.Join(c.Attributes.Values(k), ","))
		}
		exp = append(exp, strings.Join(c.Replaces, ","))
		if !slices.Equal(row, exp) {
			t.Errorf("CSV row %d is %q, want %q", i+1, row, exp)
		}
	}
	// Spot checks against what a reader of ISO/IEC 27002 expects.
	if r := recs[slices.IndexFunc(recs, func(r []string) bool { return r[0] == "5.36" })]; r[9] != "A.18.2.2,A.18.2.3" {
		t.Errorf("5.36 replaces %q", r[9])
	}

	out := mustRun(t, "catalog", "controls", "--theme", "physical")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 15 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("table: %d lines, want a header and 14 controls:\n%s", len(lines), out)
	}
	for _, h := range want {
		if !strings.Contains(lines[0], strings.ToUpper(h)) {
			t.Errorf("table header %q lacks %s", lines[0], strings.ToUpper(h))
		}
	}
	row713 := lines[slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "7.13 ") })]
	for _, s := range []string{"preventive", "confidentiality,integrity,availability", "protect", "physical_security,asset_management", "protection,resilience", "A.11.2.4"} {
		if !strings.Contains(row713, s) {
			t.Errorf("table row of 7.13 lacks %q: %s", s, row713)
		}
	}
}

func TestCatalogControlsSearchAndErrors(t *testing.T) {
	if ids := controlIDs(t, "--search", "secure coding"); !slices.Contains(ids, "8.28") {
		t.Errorf("--search \"secure coding\" = %v, want 8.28 among them", ids)
	}
	for q, want := range map[string][]string{"8.1": {"8.1"}, "A.14.2.1": {"8.25"}, "A.18.2.3": {"5.36", "8.8"}, "zebra quantum": {}} {
		if ids := controlIDs(t, "--search", q); !slices.Equal(ids, want) {
			t.Errorf("--search %q = %v, want %v", q, ids, want)
		}
	}
	if ids := controlIDs(t, "--theme", "Technological", "--new", "--attr", "control_type=#Detective"); !slices.Equal(ids, []string{"8.12", "8.16"}) {
		t.Errorf("technological, new, detective = %v", ids)
	}

	out, errOut, code := run(t, "catalog", "controls", "--theme", "technical")
	if code != 2 || out != "" || !strings.Contains(errOut, `theme: unknown theme "technical" (valid: organizational, people, physical, technological)`) {
		t.Errorf("unknown theme: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, errOut, code := run(t, "catalog", "controls", "--attr", "concepts=dance"); code != 2 || !strings.Contains(errOut, `attr: unknown concepts value "dance"`) {
		t.Errorf("unknown attribute value: exit %d, %s", code, errOut)
	}
}

func TestCatalogShow(t *testing.T) {
	cat := catalog.MustLoad()
	out := mustRun(t, "catalog", "show", "8.1")
	if !strings.HasPrefix(out, "8.1 User end point devices\nalso titled (ISO/IEC 27002): User endpoint devices\n") {
		t.Errorf("show 8.1 does not show both titles:\n%.300s", out)
	}

	var ctl catalog.Control
	if err := json.Unmarshal([]byte(mustRun(t, "catalog", "show", "a.8.28", "--format", "json")), &ctl); err != nil {
		t.Fatal(err)
	}
	want, _ := cat.Control("8.28")
	if ctl.ID != "8.28" || ctl.Guidance == nil || !slices.Equal(ctl.Guidance.Steps, want.Guidance.Steps) {
		t.Errorf("show 8.28 --format json = %+v", ctl)
	}

	recs := readCSV(t, mustRun(t, "catalog", "show", "8.28", "--format", "csv"))
	if len(recs) != 2 {
		t.Fatalf("show --format csv: %d records, want a header and one row", len(recs))
	}
	got := map[string]string{}
	for i, h := range recs[0] {
		got[h] = recs[1][i]
	}
	if got["id"] != "8.28" || got["new_in_2022"] != "yes" || got["purpose"] != want.Guidance.Purpose ||
		got["steps"] != strings.Join(want.Guidance.Steps, "\n") || got["changes_2022"] != want.Guidance.ChangesIn2022 ||
		got["capabilities"] != strings.Join(want.Attributes.Capabilities, ",") {
		t.Errorf("show 8.28 --format csv = %v", got)
	}

	// A 2013 id: what it became, in every format.
	if out := mustRun(t, "catalog", "show", "A.14.2.1"); !strings.Contains(out, "8.25 Secure development life cycle") {
		t.Errorf("show A.14.2.1: %s", out)
	}
	if out := mustRun(t, "catalog", "show", "A.14.2.1", "--format", "csv"); out != "id_2013,title_2013,became,title_2022\nA.14.2.1,Secure development policy,8.25,Secure development life cycle\n" {
		t.Errorf("show A.14.2.1 --format csv = %q", out)
	}
	var became struct {
		ID     string   `json:"id"`
		Became []string `json:"became"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "catalog", "show", "A.18.2.3", "--format", "json")), &became); err != nil ||
		became.ID != "A.18.2.3" || !slices.Equal(became.Became, []string{"5.36", "8.8"}) {
		t.Errorf("show A.18.2.3 --format json = %+v, %v", became, err)
	}

	// Unknown ids fail with exit status 1 and say where to look; a clause id points to catalog clauses.
	for id, msg := range map[string]string{"9.99": `no control "9.99"`, "A.19.1.1": "2013 ids from A.5.1.1", "4.1": "praxis catalog clauses 4.1"} {
		out, errOut, code := run(t, "catalog", "show", id)
		if code != 1 || out != "" || !strings.Contains(errOut, msg) {
			t.Errorf("show %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", id, code, out, errOut, msg)
		}
	}
	if _, errOut, code := run(t, "catalog", "show", "8.28", "--format", "xml"); code == 0 || !strings.Contains(errOut, "xml") {
		t.Errorf("show --format xml: exit %d, %s", code, errOut)
	}
	if out := mustRun(t, "catalog", "show", "--help"); !strings.Contains(out, "praxis catalog clauses ID") {
		t.Errorf("show --help does not send clause ids to catalog clauses:\n%s", out)
	}
}

func TestCatalogClausesCommand(t *testing.T) {
	cat := catalog.MustLoad()
	recs := readCSV(t, mustRun(t, "catalog", "clauses", "--format", "csv"))
	if len(recs) != 1+len(cat.Clauses()) || recs[1][0] != "4" || recs[len(recs)-1][0] != "10.2" {
		t.Errorf("clauses: %d rows, first %v", len(recs)-1, recs[1])
	}

	cl, _ := cat.Clause("6.1.2")
	out := mustRun(t, "catalog", "clauses", "6.1.2")
	for _, s := range []string{"Clause 6.1.2 Information security risk assessment", "part of clause 6.1 ", cl.Summary,
		"What auditors check", "  - " + cl.AuditorChecks[1], "Mandatory documents", "Information security risk assessment process (6.1.2: retain documented information)"} {
		if !strings.Contains(out, s) {
			t.Errorf("clauses 6.1.2 lacks %q:\n%s", s, out)
		}
	}

	var v struct {
		ID            string   `json:"id"`
		Summary       string   `json:"summary"`
		AuditorChecks []string `json:"auditor_checks"`
		SubClauses    []struct {
			ID string `json:"id"`
		} `json:"sub_clauses"`
		Docs []catalog.MandatoryDocument `json:"mandatory_documents"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "catalog", "clauses", "6", "--format", "json")), &v); err != nil {
		t.Fatal(err)
	}
	var subs, docs []string
	for _, s := range v.SubClauses {
		subs = append(subs, s.ID)
	}
	for _, d := range v.Docs {
		docs = append(docs, d.Clause+d.Item)
	}
	if v.ID != "6" || v.Summary == "" || len(v.AuditorChecks) < 2 || !slices.Equal(subs, []string{"6.1", "6.2", "6.3"}) ||
		!slices.Equal(docs, []string{"6.1.2", "6.1.3", "6.1.3d", "6.1.3e", "6.2"}) {
		t.Errorf("clauses 6 --format json: %+v (sub-clauses %v, documents %v)", v, subs, docs)
	}
	recs = readCSV(t, mustRun(t, "catalog", "clauses", "9.3", "--format", "csv"))
	if len(recs) != 2 || !slices.Equal(recs[0], []string{"id", "title", "parent", "level", "summary", "auditor_checks", "sub_clauses", "mandatory_documents"}) ||
		!slices.Equal(recs[1][:4], []string{"9.3", "Management review", "9", "2"}) || recs[1][6] != "9.3.1,9.3.2,9.3.3" ||
		!strings.HasPrefix(recs[1][7], "9.3.3: ") {
		t.Errorf("clauses 9.3 --format csv = %q", recs)
	}
	if out, errOut, code := run(t, "catalog", "clauses", "11"); code != 1 || out != "" || !strings.Contains(errOut, `no clause "11"`) {
		t.Errorf("clauses 11: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestCatalogDocumentsCommand(t *testing.T) {
	want := catalog.MustLoad().MandatoryDocuments()
	var got []catalog.MandatoryDocument
	if err := json.Unmarshal([]byte(mustRun(t, "catalog", "documents", "--format", "json")), &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || len(got) < 10 {
		t.Errorf("documents --format json: %d documents, want the %d of the catalog", len(got), len(want))
	}
	recs := readCSV(t, mustRun(t, "catalog", "documents", "--format", "csv"))
	if !slices.Equal(recs[0], []string{"clause", "item", "clause_title", "description", "wording", "note"}) || len(recs) != 1+len(want) {
		t.Fatalf("documents --format csv: header %v, %d rows", recs[0], len(recs)-1)
	}
	for i, d := range want {
		if r := recs[i+1]; r[0] != d.Clause || r[1] != d.Item || r[3] != d.Description || r[5] != d.Note {
			t.Errorf("documents CSV row %d = %q, want %+v", i+1, r, d)
		}
	}
	out := mustRun(t, "catalog", "documents")
	if !strings.Contains(out, "Statement of Applicability") || !strings.HasPrefix(out, "CLAUSE  ITEM") {
		t.Errorf("documents table lacks the Statement of Applicability:\n%s", out)
	}
}

func TestCatalogExportJSON(t *testing.T) {
	file := filepath.Join(t.TempDir(), "catalog.json")
	_, errOut, code := run(t, "catalog", "export", "--format", "json", "-o", file)
	if code != 0 || !strings.Contains(errOut, "Wrote "+file) {
		t.Fatalf("export: exit %d, %s", code, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var whole struct {
		Controls     []catalog.Control           `json:"controls"`
		Controls2013 []catalog.Control2013       `json:"controls_2013"`
		Clauses      []catalog.Clause            `json:"clauses"`
		Docs         []catalog.MandatoryDocument `json:"mandatory_documents"`
	}
	if err := json.Unmarshal(b, &whole); err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustLoad()
	if len(whole.Controls) != 93 || len(whole.Controls2013) != 114 || len(whole.Clauses) != len(cat.Clauses()) || len(whole.Docs) != len(cat.MandatoryDocuments()) {
		t.Errorf("export: %d controls, %d 2013 controls, %d clauses, %d documents", len(whole.Controls), len(whole.Controls2013), len(whole.Clauses), len(whole.Docs))
	}
	if c := whole.Controls[slices.IndexFunc(whole.Controls, func(c catalog.Control) bool { return c.ID == "8.28" })]; c.Guidance == nil || c.Guidance.Purpose == "" {
		t.Errorf("exported 8.28 has no guidance: %+v", c)
	}
	if out := mustRun(t, "catalog", "export"); !json.Valid([]byte(out)) {
		t.Errorf("export to standard output is not JSON: %.200s", out)
	}
	if _, errOut, code := run(t, "catalog", "export", "--format", "xml"); code != 2 || !strings.Contains(errOut, "format: must be json or oscal") {
		t.Errorf("export --format xml: exit %d, %s", code, errOut)
	}
}
