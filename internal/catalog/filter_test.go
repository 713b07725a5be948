package catalog

import (
	"slices"
	"strings"
	"testing"
)

func ids(cs []Control) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestFilterTheme(t *testing.T) {
	c := MustLoad()
	for th, n := range map[string]int{"organizational": 37, "people": 8, "Physical": 14, " technological ": 34} {
		got, err := c.Filter(Filter{Theme: th})
		if err != nil || len(got) != n {
			t.Errorf("theme %q: %d controls, err %v; want %d", th, len(got), err, n)
		}
	}
	all, _ := c.Filter(Filter{})
	if len(all) != 93 {
		t.Errorf("empty filter: %d controls", len(all))
	}
	_, err := c.Filter(Filter{Theme: "technical"})
	if err == nil || !strings.Contains(err.Error(), "technological") {
		t.Errorf("unknown theme: err = %v, want one listing the valid themes", err)
	}
}

func TestFilterNewOnly(t *testing.T) {
	got, err := MustLoad().Filter(Filter{NewOnly: true})
	want := []string{"5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"}
	if err != nil || !slices.Equal(ids(got), want) {
		t.Errorf("new only = %v, %v; want %v", ids(got), err, want)
	}
	tech, _ := MustLoad().Filter(Filter{NewOnly: true, Theme: "technological"})
	if len(tech) != 7 {
		t.Errorf("new technological = %v, want 7", ids(tech))
	}
}

// manual computes the expected result straight from the reference file.
func manual(t *testing.T, want map[string][]string) []string {
	out := []string{}
	for _, r := range refControls(t) {
		ok := true
		for k, vs := range want {
			for _, v := range vs {
				ok = ok && slices.Contains(r.Attributes[k], v)
			}
		}
		if ok {
			out = append(out, r.ID)
		}
	}
	sortIDs(out)
	return out
}

func TestFilterAttrs(t *testing.T) {
	c := MustLoad()
	cases := []map[string][]string{
		{"control_type": {"detective"}, "concepts": {"detect"}},
		{"properties": {"confidentiality", "integrity", "availability"}, "domains": {"resilience"}},
		{"capabilities": {"information_security_assurance"}},
		{"control_type": {"corrective"}},
		{"control_type": {"preventive", "detective"}, "concepts": {"protect"}},
	}
	for _, want := range cases {
		got, err := c.Filter(Filter{Attrs: want})
		if err != nil {
			t.Errorf("%v: %v", want, err)
			continue
		}
		if exp := manual(t, want); !slices.Equal(ids(got), exp) || len(exp) == 0 {
			t.Errorf("%v: got %v, want %v (and not nothing)", want, ids(got), exp)
		}
	}
	// The worked example: detective controls whose concept is detect.
	got, _ := c.Filter(Filter{Attrs: map[string][]string{"control_type": {"detective"}, "concepts": {"detect"}}})
	want := []string{"5.7", "5.25", "6.8", "7.4", "7.11", "8.6", "8.7", "8.12", "8.15", "8.16", "8.17", "8.20", "8.30"}
	if !slices.Equal(ids(got), want) {
		t.Errorf("detective+detect = %v, want %v", ids(got), want)
	}
	// ISO 27002 spellings work in Filter as well.
	alt, err := c.Filter(Filter{Attrs: map[string][]string{"Control-Type": {"#Detective"}, "concepts": {"#Detect"}}})
	if err != nil || !slices.Equal(ids(alt), want) {
		t.Errorf("ISO spelling: %v, %v", ids(alt), err)
	}
	// Combined with theme and search.
	both, _ := c.Filter(Filter{Theme: "technological", NewOnly: true, Attrs: map[string][]string{"control_type": {"detective"}}})
	if !slices.Equal(ids(both), []string{"8.12", "8.16"}) {
		t.Errorf("technological, new, detective = %v", ids(both))
	}
}

func TestFilterErrors(t *testing.T) {
	c := MustLoad()
	for _, tc := range []struct {
		attrs map[string][]string
		want  string
	}{
		{map[string][]string{"colour": {"red"}}, "control_type, properties, concepts, capabilities, domains"},
		{map[string][]string{"control_type": {"deterrent"}}, "corrective, detective, preventive"},
		{map[string][]string{"domains": {"defense"}}, "defence"},
	} {
		_, err := c.Filter(Filter{Attrs: tc.attrs})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want one listing %q", tc.attrs, err, tc.want)
		}
	}
}

func TestParseAttr(t *testing.T) {
	for in, want := range map[string][2]string{
		"control_type=preventive":                        {"control_type", "preventive"},
		"control-type=#Preventive":                       {"control_type", "preventive"},
		" capabilities = information-security-assurance": {"capabilities", "information_security_assurance"},
		"domains=#Governance_and_Ecosystem":              {"domains", "governance_and_ecosystem"},
		"properties=Confidentiality":                     {"properties", "confidentiality"},
	} {
		k, v, err := ParseAttr(in)
		if err != nil || k != want[0] || v != want[1] {
			t.Errorf("ParseAttr(%q) = %q, %q, %v; want %v", in, k, v, err, want)
		}
	}
	for _, in := range []string{"colour=red", "preventive", "control_type=", "=preventive", ""} {
		_, _, err := ParseAttr(in)
		if err == nil || !strings.Contains(err.Error(), "control_type") && !strings.Contains(err.Error(), "empty") {
			t.Errorf("ParseAttr(%q) err = %v, want an error naming the valid keys", in, err)
		}
	}
	// What ParseAttr returns is what Filter accepts.
	k, v, _ := ParseAttr("concepts=#Respond")
	if got, err := MustLoad().Filter(Filter{Attrs: map[string][]string{k: {v}}}); err != nil || len(got) == 0 {
		t.Errorf("filter by parsed attr: %v, %v", ids(got), err)
	}
}

func TestSearch(t *testing.T) {
	c := MustLoad()
	for q, id := range map[string]string{
		"SEGREGATION of duties": "5.3",
		"secure coding":         "8.28",
		"8.28":                  "8.28",
		"a.8.28":                "8.28",
		"threat intelligence":   "5.7",
		"coding secure":         "8.28",
	} {
		got, err := c.Filter(Filter{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ids(got), id) {
			t.Errorf("search %q = %v, want %s among them", q, ids(got), id)
		}
		if !slices.IsSortedFunc(ids(got), compareIDs) {
			t.Errorf("search %q not in id order: %v", q, ids(got))
		}
	}
	got, err := c.Filter(Filter{Search: "zebra quantum"})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("no match: %v, %v; want an empty, non-nil list", got, err)
	}
	// Words are AND-ed: both must occur.
	got, _ = c.Filter(Filter{Search: "segregation zebra"})
	if len(got) != 0 {
		t.Errorf("AND search found %v", ids(got))
	}
}

// An id in the search box means that control, not every id that contains it; a 2013 id means what it became.
func TestSearchByID(t *testing.T) {
	c := MustLoad()
	for q, want := range map[string][]string{
		"8.1":                      {"8.1"}, // not 8.10 to 8.19
		" A.8.2 ":                  {"8.2"},
		"a.5.1":                    {"5.1"},
		"A.14.2.1":                 {"8.25"},
		"14.2.1":                   {"8.25"},
		"A.18.2.3":                 {"5.36", "8.8"}, // the one 2013 control split in two
		"A.12.6.1":                 {"8.8"},
		"A.9.4.3 a.9.2.4":          {"5.17"}, // both merged into 5.17
		"8.1 8.2":                  {},       // AND: no control is both
		"8.99":                     {},
		"A.19.1.1":                 {},
		"A.8.1 endpoint":           {"8.1"},
		"teleworking remote":       {"6.7"}, // 2013 title, in the what's-new note
		"a.13.2.4 confidentiality": {"6.6"},
	} {
		got, err := c.Filter(Filter{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), want) {
			t.Errorf("search %q = %v, want %v", q, ids(got), want)
		}
	}
	// A 2013 section is text, not an id: it finds every control that replaced one of its controls.
	got, _ := c.Filter(Filter{Search: "A.14."})
	for _, id := range []string{"5.8", "8.25", "8.26", "8.29", "8.32", "8.33"} {
		if !slices.Contains(ids(got), id) {
			t.Errorf("search A.14. = %v, want %s among them", ids(got), id)
		}
	}
	for _, w := range []string{"8.1", "A.8.1", "a.14.2.1", "10.2"} {
		if !isIDLike(w) {
			t.Errorf("isIDLike(%q) = false", w)
		}
	}
	for _, w := range []string{"8", "A.8", "8.", "8.x", "800-63b", "tls", "A..1", "1.2b"} {
		if isIDLike(w) {
			t.Errorf("isIDLike(%q) = true", w)
		}
	}
}

func TestAttributeValuesAndCoverage(t *testing.T) {
	c := MustLoad()
	want := map[string][]string{}
	for _, r := range refControls(t) {
		for k, vs := range r.Attributes {
			for _, v := range vs {
				if !slices.Contains(want[k], v) {
					want[k] = append(want[k], v)
				}
			}
		}
	}
	got := c.AttributeValues()
	if len(got) != 5 {
		t.Errorf("AttributeValues has %d keys", len(got))
	}
	for k, vs := range want {
		slices.Sort(vs)
		if !slices.Equal(got[k], vs) {
			t.Errorf("%s: got %v, want %v", k, got[k], vs)
		}
	}
	if len(got["capabilities"]) != 15 || len(got["concepts"]) != 5 {
		t.Errorf("capabilities %d, concepts %d; want 15 and 5", len(got["capabilities"]), len(got["concepts"]))
	}

	rows, err := c.Coverage("control_type")
	if err != nil || len(rows) != 3 {
		t.Fatalf("coverage: %v, %v", rows, err)
	}
	for _, row := range rows {
		if exp := manual(t, map[string][]string{"control_type": {row.Value}}); row.Count != len(exp) || !slices.Equal(row.Controls, exp) {
			t.Errorf("coverage %s: %d %v, want %v", row.Value, row.Count, row.Controls, exp)
		}
	}
	if _, err := c.Coverage("colour"); err == nil || !strings.Contains(err.Error(), "domains") {
		t.Errorf("coverage of unknown key: err = %v", err)
	}
}
