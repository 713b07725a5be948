package oscal

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/catalog"
)

var now = time.Date(2026, 3, 1, 12, 30, 0, 0, time.FixedZone("CET", 3600))

func export(t *testing.T) ([]byte, *oscalTypes.Catalog) {
	t.Helper()
	out, err := Catalog(catalog.MustLoad(), now, "1.2.3")
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var doc oscalTypes.OscalCompleteSchema
	if err := json.Unmarshal(out, &doc); err != nil || doc.Catalog == nil {
		t.Fatalf("decode: %v", err)
	}
	return out, doc.Catalog
}

func TestCatalogExport(t *testing.T) {
	out, cat := export(t)
	if err := Validate(out); err != nil {
		t.Fatalf("exported catalog does not validate: %v", err)
	}
	if !bytes.HasPrefix(out, []byte("{\n  \"catalog\": {")) {
		t.Errorf("not indented {\"catalog\": ...}: %.40s", out)
	}
	m := cat.Metadata
	if m.Title != CatalogTitle || m.Version != "1.2.3" || m.OscalVersion != "1.1.3" || !m.LastModified.Equal(now) {
		t.Errorf("metadata = %+v", m)
	}
	if cat.Groups == nil || len(*cat.Groups) != 4 {
		t.Fatalf("want 4 groups, got %v", cat.Groups)
	}
	want := map[string]int{"organizational": 37, "people": 8, "physical": 14, "technological": 34}
	token := regexp.MustCompile(`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`)
	total := 0
	for _, g := range *cat.Groups {
		if g.Controls == nil || len(*g.Controls) != want[g.ID] {
			t.Errorf("group %s: want %d controls", g.ID, want[g.ID])
			continue
		}
		for _, ctl := range *g.Controls {
			total++
			if !token.MatchString(ctl.ID) {
				t.Errorf("control id %q is not an OSCAL token", ctl.ID)
			}
		}
	}
	if total != 93 {
		t.Errorf("%d controls, want 93", total)
	}
}

func find(cat *oscalTypes.Catalog, id string) *oscalTypes.Control {
	for _, g := range *cat.Groups {
		for _, ctl := range *g.Controls {
			if ctl.ID == id {
				return &ctl
			}
		}
	}
	return nil
}

func TestControlContent(t *testing.T) {
	_, cat := export(t)
	ctl := find(cat, "a8-28")
	if ctl == nil {
		t.Fatal("control a8-28 missing")
	}
	src, _ := catalog.MustLoad().Control("8.28")
	has := map[string]bool{}
	for _, p := range *ctl.Props {
		has[p.Name+"="+p.Value] = true
		if p.Name != "label" && p.Ns != NS {
			t.Errorf("prop %s has ns %q", p.Name, p.Ns)
		}
	}
	wantProps := []string{"label=8.28", "new-in-2022=true"}
	for _, k := range catalog.AttributeKeys() {
		for _, v := range src.Attributes.Values(k) {
			wantProps = append(wantProps, k+"="+v)
		}
	}
	for _, p := range wantProps {
		if !has[p] {
			t.Errorf("8.28 lacks prop %s; has %v", p, has)
		}
	}
	if ctl.Title != "Secure coding" {
		t.Errorf("title %q", ctl.Title)
	}

	// A replaced control lists its 2013 ids.
	old := find(cat, "a5-36")
	n := 0
	for _, p := range *old.Props {
		if p.Name == "replaces-2013" {
			n++
		}
	}
	if n != 2 { // A.18.2.2 and A.18.2.3
		t.Errorf("5.36 has %d replaces-2013 props, want 2", n)
	}

	// 8.28 has guidance in the catalog: losing it must fail here, not skip the checks of the guidance parts.
	if src.Guidance == nil {
		t.Fatal("8.28 has no guidance: the guidance parts cannot be checked")
	}
	parts := map[string]oscalTypes.Part{}
	for _, p := range *ctl.Parts {
		parts[p.Name] = p
	}
	if parts["overview"].Prose != src.Guidance.Purpose {
		t.Errorf("overview = %q", parts["overview"].Prose)
	}
	if g := parts["guidance"]; g.Parts == nil || len(*g.Parts) != len(src.Guidance.Steps) || (*g.Parts)[0].Name != "item" {
		t.Errorf("guidance part = %+v", g)
	}
	if e := parts["evidence"]; e.Ns != NS || e.Parts == nil || len(*e.Parts) != len(src.Guidance.Evidence) {
		t.Errorf("evidence part = %+v", e)
	}
	if ctl.Links == nil || len(*ctl.Links) != len(src.Guidance.Related) {
		t.Errorf("links = %v, related = %v", ctl.Links, src.Guidance.Related)
	}
}

func TestExportIsReproducible(t *testing.T) {
	a, _ := export(t)
	b, _ := export(t)
	if !bytes.Equal(a, b) {
		t.Error("two exports of the same data differ")
	}
	_, cat := export(t)
	other, err := Catalog(catalog.MustLoad(), now, "1.2.4")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5`).MatchString(cat.UUID) || bytes.Contains(other, []byte(cat.UUID)) {
		t.Errorf("uuid %s should be a v5 uuid that changes with the version", cat.UUID)
	}
	if _, err := Catalog(catalog.MustLoad(), now, ""); err == nil {
		t.Error("empty version accepted")
	}
}

func TestValidatorRejectsCorruptDocument(t *testing.T) {
	out, _ := export(t)
	for name, corrupt := range map[string]func(string) string{
		"id starting with a digit": func(s string) string { return strings.Replace(s, `"id": "a5-1"`, `"id": "5.1"`, 1) },
		"bad uuid": func(s string) string {
			return regexp.MustCompile(`"uuid": "[^"]+"`).ReplaceAllString(s, `"uuid": "not-a-uuid"`)
		},
		"missing title": func(s string) string { return strings.Replace(s, `"title": "`+CatalogTitle+`",`, ``, 1) },
	} {
		bad := corrupt(string(out))
		if bad == string(out) {
			t.Fatalf("%s: corruption did not change the document", name)
		}
		err := Validate([]byte(bad))
		if err == nil {
			t.Errorf("%s: validator accepted the corrupt document", name)
			continue
		}
		if !strings.Contains(err.Error(), "invalid OSCAL") {
			t.Errorf("%s: err = %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
}

// Catalog validates the very document it would return: a version that OSCAL forbids (its strings may not start or
// end with white space) gets past Catalog's own check and is caught only by the schema, so no bytes come out.
func TestCatalogRefusesInvalidDocument(t *testing.T) {
	for _, version := range []string{"1.2.3 ", "\t1.2.3", "1.2\n3"} {
		out, err := Catalog(catalog.MustLoad(), now, version)
		if err == nil || out != nil {
			t.Errorf("version %q: %d bytes, err %v; want no document and an error", version, len(out), err)
			continue
		}
		if !strings.Contains(err.Error(), "invalid OSCAL 1.1.3") || !strings.Contains(err.Error(), "/catalog/metadata/version") {
			t.Errorf("version %q: err = %v, want the schema's complaint about /catalog/metadata/version", version, err)
		}
	}
}
