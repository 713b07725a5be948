package catalog

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// referenceHashes pins the SHA-256 of each reference file as checked in ../shared/reference. The embedded
// copies in data/ must match them byte for byte, so a typo cannot ship even where the shared folder is absent
// (a bare clone in CI); where it is present, the shared files must match too, so an update of the reference
// is noticed and the embedded copies follow it.
var referenceHashes = map[string]string{
	"annexa-2013.json":                "3d3929c52cea3b98b14633d4514e3289a07912f4504325e11a26ed7eceae0409",
	"annexa-2022-title-variants.json": "61be55d22fd8e353a1afd496c0a7e225c9b1b6d70d1ac6ea39690b8f7ce04490",
	"annexa-2022.json":                "5c5bd90fe2e555fff26834acad0be7c0a9b822f2f32193be1a13eb5c6be07033",
	"clauses-2022.json":               "0e18867cf9ae512cb2632a3b096f7472d6c3b8e1dfdb2af9dbf591c6016f7fb8",
	"mandatory-documents.json":        "99eb4088af4c0874bf36d412ee94e720d4df4ddedce89d016f6a604ee45770dc",
	"mapping-2013-2022.json":          "07ed3c4e953171488df560c2eea249977c9bae8c576cb07284ef51a16575e244",
}

func TestEmbeddedDataIsTheReference(t *testing.T) {
	shared := sharedReferenceDir()
	for name, want := range referenceHashes {
		dirs := []string{"data"}
		if shared != "" {
			dirs = append(dirs, shared)
		}
		for _, dir := range dirs {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%x", sha256.Sum256(b)); got != want {
				t.Errorf("%s/%s has SHA-256 %s, the checked reference has %s", dir, name, got, want)
			}
		}
	}
	if shared == "" {
		t.Log("shared/reference not found next to the repository: checked the embedded copies against the pinned hashes only")
	}
}

// sharedReferenceDir finds the project's checked reference facts (shared/reference next to the repo root) by
// walking up from the package directory, or returns "" when there is none.
func sharedReferenceDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "reference")
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// referenceDir is where the field-by-field comparisons read the reference: the shared folder when present,
// else the embedded copies, which TestEmbeddedDataIsTheReference pins to the reference's hashes.
func referenceDir(t *testing.T) string {
	t.Helper()
	if dir := sharedReferenceDir(); dir != "" {
		return dir
	}
	return "data"
}

func readRef(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(referenceDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type refControl struct {
	ID         string              `json:"id"`
	Title      string              `json:"title"`
	Theme      string              `json:"theme"`
	NewIn2022  bool                `json:"new_in_2022"`
	Attributes map[string][]string `json:"attributes"`
}

func refControls(t *testing.T) []refControl {
	var ref []refControl
	readRef(t, "annexa-2022.json", &ref)
	return ref
}

type refMapping struct {
	Mappings []struct {
		From string   `json:"from"`
		To   []string `json:"to"`
	} `json:"mappings"`
	NewIn2022 []string `json:"new_in_2022"`
}

func TestControlsMatchReference(t *testing.T) {
	c := MustLoad()
	ref := refControls(t)
	if len(ref) != 93 || len(c.Controls()) != 93 {
		t.Fatalf("reference has %d controls, catalog %d; want 93", len(ref), len(c.Controls()))
	}
	for _, r := range ref {
		got, ok := c.Control(r.ID)
		if !ok {
			t.Errorf("control %s missing", r.ID)
			continue
		}
		if got.ID != r.ID || got.Title != r.Title || got.Theme != r.Theme || got.NewIn2022 != r.NewIn2022 {
			t.Errorf("control %s: got %q %q %q new=%v, want %q %q %q new=%v", r.ID,
				got.ID, got.Title, got.Theme, got.NewIn2022, r.ID, r.Title, r.Theme, r.NewIn2022)
		}
		if len(r.Attributes) != len(AttributeKeys()) {
			t.Errorf("control %s: reference has attribute keys %v, catalog knows %v", r.ID, r.Attributes, AttributeKeys())
		}
		for _, k := range AttributeKeys() {
			if !slices.Equal(got.Attributes.Values(k), r.Attributes[k]) {
				t.Errorf("control %s %s: got %v, want %v", r.ID, k, got.Attributes.Values(k), r.Attributes[k])
			}
		}
	}
}

func TestControlsNaturalOrder(t *testing.T) {
	ids := []string{}
	for _, ctl := range MustLoad().Controls() {
		ids = append(ids, ctl.ID)
	}
	if ids[0] != "5.1" || ids[9] != "5.10" || ids[36] != "5.37" || ids[37] != "6.1" || ids[92] != "8.34" {
		t.Errorf("order: %v", ids)
	}
	if !slices.IsSortedFunc(ids, compareIDs) {
		t.Errorf("not in natural order: %v", ids)
	}
}

func TestThemes(t *testing.T) {
	c := MustLoad()
	if got := c.Themes(); !slices.Equal(got, []string{"organizational", "people", "physical", "technological"}) {
		t.Errorf("Themes() = %v", got)
	}
	want := map[string]int{"organizational": 37, "people": 8, "physical": 14, "technological": 34}
	got := map[string]int{}
	for _, ctl := range c.Controls() {
		got[ctl.Theme]++
	}
	for th, n := range want {
		if got[th] != n {
			t.Errorf("theme %s: %d controls, want %d", th, got[th], n)
		}
	}
	// The theme follows from the id's first number.
	for _, ctl := range c.Controls() {
		if th := themes()[ctl.ID[0]-'5']; th != ctl.Theme {
			t.Errorf("control %s has theme %s, want %s", ctl.ID, ctl.Theme, th)
		}
	}
}

func TestNewIn2022(t *testing.T) {
	want := []string{"5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"}
	var m refMapping
	readRef(t, "mapping-2013-2022.json", &m)
	if !slices.Equal(m.NewIn2022, want) {
		t.Errorf("reference new_in_2022 = %v, want %v", m.NewIn2022, want)
	}
	got := []string{}
	for _, ctl := range MustLoad().Controls() {
		if ctl.NewIn2022 {
			got = append(got, ctl.ID)
			if len(ctl.Replaces) != 0 {
				t.Errorf("new control %s replaces %v", ctl.ID, ctl.Replaces)
			}
		} else if len(ctl.Replaces) == 0 {
			t.Errorf("control %s is not new but replaces nothing", ctl.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("new controls = %v, want %v", got, want)
	}
}

func TestControls2013MatchReference(t *testing.T) {
	var ref []struct{ ID, Title string }
	readRef(t, "annexa-2013.json", &ref)
	c := MustLoad()
	all := c.Controls2013()
	if len(ref) != 114 || len(all) != 114 {
		t.Fatalf("reference has %d 2013 controls, catalog %d; want 114", len(ref), len(all))
	}
	for _, r := range ref {
		got, ok := c.Control2013(r.ID)
		if !ok || got.ID != r.ID || got.Title != r.Title {
			t.Errorf("2013 control %s: got %+v, want title %q", r.ID, got, r.Title)
		}
	}
	if all[0].ID != "A.5.1.1" || all[113].ID != "A.18.2.3" {
		t.Errorf("2013 order: first %s, last %s", all[0].ID, all[113].ID)
	}
}

func TestMappingMatchesReference(t *testing.T) {
	var m refMapping
	readRef(t, "mapping-2013-2022.json", &m)
	c := MustLoad()
	if len(m.Mappings) != 114 {
		t.Errorf("reference has %d mappings, want 114", len(m.Mappings))
	}
	links := 0
	for _, e := range m.Mappings {
		old, ok := c.Control2013(e.From)
		if !ok {
			t.Errorf("2013 control %s missing", e.From)
			continue
		}
		want := slices.Clone(e.To)
		sortIDs(want)
		if !slices.Equal(old.BecameIDs, want) {
			t.Errorf("%s became %v, want %v", e.From, old.BecameIDs, want)
		}
		for _, to := range e.To {
			links++
			if ctl, _ := c.Control(to); !slices.Contains(ctl.Replaces, e.From) {
				t.Errorf("control %s replaces %v, missing %s", to, ctl.Replaces, e.From)
			}
		}
	}
	n := 0
	for _, ctl := range c.Controls() {
		n += len(ctl.Replaces)
		if !slices.IsSortedFunc(ctl.Replaces, compareIDs) {
			t.Errorf("control %s: replaces not in natural order: %v", ctl.ID, ctl.Replaces)
		}
	}
	if n != links {
		t.Errorf("catalog has %d 2013->2022 links, reference %d", n, links)
	}
}

func TestControl2013Lookup(t *testing.T) {
	c := MustLoad()
	for _, id := range []string{"A.14.2.1", "14.2.1", " a.14.2.1 "} {
		old, ok := c.Control2013(id)
		if !ok || old.ID != "A.14.2.1" || !slices.Equal(old.BecameIDs, []string{"8.25"}) {
			t.Errorf("Control2013(%q) = %+v, %v; want A.14.2.1 -> [8.25]", id, old, ok)
		}
	}
	// The only 2013 control split in two: technical compliance review became 5.36 and 8.8.
	old, _ := c.Control2013("A.18.2.3")
	if !slices.Equal(old.BecameIDs, []string{"5.36", "8.8"}) {
		t.Errorf("A.18.2.3 became %v, want [5.36 8.8]", old.BecameIDs)
	}
	for _, id := range []string{"5.36", "8.8"} {
		if ctl, _ := c.Control(id); !slices.Contains(ctl.Replaces, "A.18.2.3") {
			t.Errorf("%s replaces %v, want A.18.2.3 among them", id, ctl.Replaces)
		}
	}
	split := 0
	for _, old := range c.Controls2013() {
		if len(old.BecameIDs) > 1 {
			split++
		}
	}
	if split != 1 {
		t.Errorf("%d 2013 controls map to several 2022 controls, want 1", split)
	}
	if _, ok := c.Control2013("A.19.1.1"); ok {
		t.Error("A.19.1.1 should not exist")
	}
}

func TestControlLookup(t *testing.T) {
	c := MustLoad()
	for _, id := range []string{"8.28", "A.8.28", " 8.28 ", "a.8.28"} {
		ctl, ok := c.Control(id)
		if !ok || ctl.ID != "8.28" || ctl.Title != "Secure coding" {
			t.Errorf("Control(%q) = %q %q, %v", id, ctl.ID, ctl.Title, ok)
		}
	}
	for _, id := range []string{"", "8.35", "9.1", "A.14.2.1", "8"} {
		if _, ok := c.Control(id); ok {
			t.Errorf("Control(%q) found a control", id)
		}
	}
}

func TestClausesMatchReference(t *testing.T) {
	var ref []struct {
		ID, Title string
		Parent    *string
		Level     int
	}
	readRef(t, "clauses-2022.json", &ref)
	c := MustLoad()
	if len(ref) != 41 || len(c.Clauses()) != 41 {
		t.Fatalf("reference has %d clauses, catalog %d; want 41", len(ref), len(c.Clauses()))
	}
	for i, r := range ref {
		parent := ""
		if r.Parent != nil {
			parent = *r.Parent
		}
		got, ok := c.Clause(r.ID)
		if !ok || got.Title != r.Title || got.Parent != parent || got.Level != r.Level {
			t.Errorf("clause %s: got %+v, want %q parent %q level %d", r.ID, got, r.Title, parent, r.Level)
		}
		if c.Clauses()[i].ID != r.ID {
			t.Errorf("clause %d is %s, want %s (reference order)", i, c.Clauses()[i].ID, r.ID)
		}
	}
	if _, ok := c.Clause(" 6.1.2 "); !ok {
		t.Error("Clause(\" 6.1.2 \") not found")
	}
}

func TestMandatoryDocumentsMatchReference(t *testing.T) {
	var ref []map[string]any
	readRef(t, "mandatory-documents.json", &ref)
	b, err := json.Marshal(MustLoad().MandatoryDocuments())
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ref) || len(ref) == 0 {
		t.Fatalf("%d mandatory documents, reference has %d", len(got), len(ref))
	}
	for i, r := range ref {
		for k, want := range r { // a null in the reference is an omitted field in ours: both read as nil
			if got[i][k] != want {
				t.Errorf("document %d (%v) field %s: got %v, want %v", i, r["description"], k, got[i][k], want)
			}
		}
		for k := range got[i] {
			if _, ok := r[k]; !ok {
				t.Errorf("document %d: field %s not in the reference", i, k)
			}
		}
	}
}

func TestTitleVariants(t *testing.T) {
	var ref []struct {
		ID     string `json:"id"`
		AnnexA string `json:"iso27001_2022_annex_a"`
		ISO    string `json:"iso27002_2022"`
	}
	readRef(t, "annexa-2022-title-variants.json", &ref)
	c := MustLoad()
	for _, r := range ref {
		ctl, _ := c.Control(r.ID)
		if ctl.Title != r.AnnexA || !slices.Equal(ctl.TitleVariants, []string{r.ISO}) {
			t.Errorf("control %s: title %q variants %v; want %q and [%q]", r.ID, ctl.Title, ctl.TitleVariants, r.AnnexA, r.ISO)
		}
		found, err := c.Filter(Filter{Search: r.ISO})
		if err != nil || !slices.ContainsFunc(found, func(x Control) bool { return x.ID == r.ID }) {
			t.Errorf("search %q does not find %s: %v", r.ISO, r.ID, err)
		}
	}
	for search, id := range map[string]string{"User endpoint devices": "8.1", "ICT supply chain": "5.21", "user end point devices": "8.1"} {
		found, _ := c.Filter(Filter{Search: search})
		if !slices.ContainsFunc(found, func(x Control) bool { return x.ID == id }) {
			t.Errorf("search %q does not find %s", search, id)
		}
	}
	n := 0
	for _, ctl := range c.Controls() {
		n += len(ctl.TitleVariants)
	}
	if n != len(ref) {
		t.Errorf("%d title variants, reference has %d", n, len(ref))
	}
}

// Callers get copies: changing what an accessor returned must not change the catalog.
func TestAccessorsReturnCopies(t *testing.T) {
	c := MustLoad()
	ctl, _ := c.Control("8.28")
	ctl.Attributes.ControlType[0] = "changed"
	ctl.Replaces = append(ctl.Replaces, "x")
	c.Controls()[0].Attributes.Domains[0] = "changed"
	c.Controls2013()[0].BecameIDs[0] = "changed"
	c.AttributeValues()["control_type"][0] = "changed"
	if again, _ := c.Control("8.28"); again.Attributes.ControlType[0] != "preventive" || len(again.Replaces) != 0 {
		t.Errorf("catalog changed through a returned value: %+v", again)
	}
	if c.Controls()[0].Attributes.Domains[0] == "changed" || c.Controls2013()[0].BecameIDs[0] == "changed" ||
		c.AttributeValues()["control_type"][0] == "changed" {
		t.Error("catalog changed through a returned slice")
	}
}

func TestCompareIDs(t *testing.T) {
	ids := []string{"8.1", "5.10", "A.18.1.1", "5.2", "A.5.1.2", "10.1", "5.1", "4"}
	sortIDs(ids)
	want := []string{"4", "5.1", "A.5.1.2", "5.2", "5.10", "8.1", "10.1", "A.18.1.1"}
	if !slices.Equal(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}
}

// baseFS holds the files a load requires: the reference data and an empty clause guidance, so the load tests do
// not depend on the guidance written so far.
func baseFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{"data/clauses-guidance.json": &fstest.MapFile{Data: []byte(`[]`)}}
	for _, name := range []string{"annexa-2022.json", "annexa-2022-title-variants.json", "annexa-2013.json",
		"mapping-2013-2022.json", "clauses-2022.json", "mandatory-documents.json"} {
		b, err := fs.ReadFile(dataFS, "data/"+name)
		if err != nil {
			t.Fatal(err)
		}
		m["data/"+name] = &fstest.MapFile{Data: b}
	}
	return m
}

func TestLoadCrossChecks(t *testing.T) {
	if _, err := load(baseFS(t)); err != nil {
		t.Fatalf("base data without control guidance, clause guidance or threats: %v", err)
	}
	t.Run("clause guidance is required", func(t *testing.T) {
		fsys := baseFS(t)
		delete(fsys, "data/clauses-guidance.json")
		if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), "clauses-guidance.json") {
			t.Errorf("err = %v, want one naming the missing clauses-guidance.json", err)
		}
	})
	cases := []struct {
		name, file, data, wantErr string
	}{
		{"related unknown", "guidance/x.json", `[{"id":"5.1","purpose":"p","related":["5.99"]}]`, `"5.99"`},
		{"guidance for unknown control", "guidance/x.json", `[{"id":"9.9","purpose":"p"}]`, `"9.9"`},
		{"malformed guidance", "guidance/x.json", `[{"id":"5.1",`, "guidance/x.json"},
		{"threat control unknown", "threats.json", `{"threats":[{"id":"T1","name":"n","controls":["A.8.99"]}]}`, `T1: control "A.8.99"`},
		{"vulnerability control unknown", "threats.json", `{"vulnerabilities":[{"id":"V1","controls":["1.1"]}]}`, `V1`},
		{"malformed threats", "threats.json", `{"threats":`, "threats.json"},
		{"clause guidance unknown", "clauses-guidance.json", `[{"id":"11.1","summary":"s"}]`, `"11.1"`},
		{"clause guidance twice", "clauses-guidance.json", `[{"id":"6.1.2","summary":"a"},{"id":" 6.1.2","summary":"b"}]`, "clause 6.1.2: guidance given twice"},
		{"misspelt clause guidance key", "clauses-guidance.json", `[{"id":"6.1.2","summary":"s","auditor_check":["x"]}]`, `unknown field "auditor_check"`},
		{"misspelt guidance key", "guidance/x.json", `[{"id":"5.1","purpose":"p","step":["x"]}]`, `guidance/x.json: json: unknown field "step"`},
		{"data after the guidance", "guidance/x.json", `[{"id":"5.1","purpose":"p"}] [`, "guidance/x.json: unexpected data after the JSON value"},
		{"misspelt threat key", "threats.json", `{"threats":[{"id":"T1","name":"n","control":["8.7"]}]}`, `unknown field "control"`},
		{"mapping to unknown", "mapping-2013-2022.json", `{"mappings":[{"from":"A.5.1.1","to":["5.99"]}]}`, "5.99"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := baseFS(t)
			fsys["data/"+tc.file] = &fstest.MapFile{Data: []byte(tc.data)}
			_, err := load(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %s", err, tc.wantErr)
			}
		})
	}

	t.Run("guidance and libraries attach", func(t *testing.T) {
		fsys := baseFS(t)
		fsys["data/guidance/a.json"] = &fstest.MapFile{Data: []byte(`[{"id":"A.8.28","purpose":"Write safe code.","related":["A.8.25","8.29"],"feeds":["Secure development policy"]},
			{"id":"8.25","purpose":"p","changes_2022":"Renamed from the quokka rules."}]`)}
		fsys["data/guidance/b.json"] = &fstest.MapFile{Data: []byte(`[]`)}
		fsys["data/clauses-guidance.json"] = &fstest.MapFile{Data: []byte(`[{"id":"6.1.2","summary":"Assess risks.","auditor_checks":["criteria"]}]`)}
		fsys["data/threats.json"] = &fstest.MapFile{Data: []byte(`{"threats":[{"id":"T1","name":"Malware","controls":["A.8.7"]}],"vulnerabilities":[{"id":"V1","name":"Unpatched","controls":["8.8"]}]}`)}
		c, err := load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		ctl, _ := c.Control("8.28")
		if ctl.Guidance == nil || !slices.Equal(ctl.Guidance.Related, []string{"8.25", "8.29"}) {
			t.Errorf("8.28 guidance = %+v", ctl.Guidance)
		}
		if found, _ := c.Filter(Filter{Search: "secure DEVELOPMENT policy"}); len(found) != 1 || found[0].ID != "8.28" {
			t.Errorf("search in guidance found %v", found)
		}
		if found, _ := c.Filter(Filter{Search: "Quokka"}); len(found) != 1 || found[0].ID != "8.25" {
			t.Errorf("search in the what's-new note found %v", found)
		}
		if cl, _ := c.Clause("6.1.2"); cl.Summary != "Assess risks." || len(cl.AuditorChecks) != 1 {
			t.Errorf("clause guidance not attached: %+v", cl)
		}
		if th := c.Threats(); len(th) != 1 || th[0].Controls[0] != "8.7" || len(c.Vulnerabilities()) != 1 {
			t.Errorf("threats = %+v, vulnerabilities = %+v", th, c.Vulnerabilities())
		}
	})

	t.Run("duplicate guidance", func(t *testing.T) {
		fsys := baseFS(t)
		fsys["data/guidance/a.json"] = &fstest.MapFile{Data: []byte(`[{"id":"5.1"}]`)}
		fsys["data/guidance/b.json"] = &fstest.MapFile{Data: []byte(`[{"id":"A.5.1"}]`)}
		if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), "5.1") {
			t.Errorf("err = %v, want duplicate 5.1", err)
		}
	})
}

// The embedded catalog loads whatever guidance exists right now.
func TestLoadEmbedded(t *testing.T) {
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
}
