package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// Filter selects controls; the zero value selects all of them.
type Filter struct {
	Theme   string
	NewOnly bool
	Attrs   map[string][]string // attribute key -> values; every value of every key must be present (AND)
	Search  string              // words, each must occur (case-insensitive) in titles, guidance or 2013 ids; an id-like word (8.1, A.14.2.1) matches ids exactly
}

// FilterError is a bad value in a Filter; Field names the part it came from ("theme" or "attr"), so that the
// doors can report it at the right field.
type FilterError struct {
	Field string
	Msg   string
}

func (e *FilterError) Error() string { return e.Msg }

// CoverageRow is one value of an attribute and the controls that carry it.
type CoverageRow struct {
	Value    string   `json:"value"`
	Count    int      `json:"count"`
	Controls []string `json:"controls"`
}

// normAttr accepts the spellings people copy from ISO/IEC 27002 ("#Preventive", "Control-Type",
// "#Information_security_assurance") and returns the data's form ("preventive", "control_type").
func normAttr(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "#")
	return strings.NewReplacer("-", "_", " ", "_").Replace(s)
}

func checkAttrKey(key string) error {
	if !slices.Contains(AttributeKeys(), key) {
		return fmt.Errorf("unknown attribute %q (valid: %s)", key, strings.Join(AttributeKeys(), ", "))
	}
	return nil
}

// ParseAttr splits "control_type=preventive" (also "control-type=#Preventive") into a valid key and a
// normalised value. Values are checked against the catalog by Filter.
func ParseAttr(s string) (key, value string, err error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", fmt.Errorf("attribute %q: want KEY=VALUE, e.g. control_type=preventive (keys: %s)",
			s, strings.Join(AttributeKeys(), ", "))
	}
	key, value = normAttr(k), normAttr(v)
	if err := checkAttrKey(key); err != nil {
		return "", "", err
	}
	if value == "" {
		return "", "", fmt.Errorf("attribute %q: empty value", s)
	}
	return key, value, nil
}

// AttributeValues returns every attribute key with the sorted distinct values the controls carry.
func (c *Catalog) AttributeValues() map[string][]string {
	out := make(map[string][]string, len(c.attrValues))
	for k, v := range c.attrValues {
		out[k] = slices.Clone(v)
	}
	return out
}

// Filter returns the matching controls in id order. An unknown theme, attribute key or value is an
// error that lists the valid ones, so a typo never silently returns nothing.
func (c *Catalog) Filter(f Filter) ([]Control, error) {
	theme := strings.ToLower(strings.TrimSpace(f.Theme))
	if theme != "" && !slices.Contains(themes(), theme) {
		return nil, &FilterError{"theme", fmt.Sprintf("unknown theme %q (valid: %s)", f.Theme, strings.Join(themes(), ", "))}
	}
	want := map[string][]string{}
	for k, vs := range f.Attrs {
		key := normAttr(k)
		if err := checkAttrKey(key); err != nil {
			return nil, &FilterError{"attr", err.Error()}
		}
		for _, v := range vs {
			val := normAttr(v)
			if !slices.Contains(c.attrValues[key], val) {
				return nil, &FilterError{"attr", fmt.Sprintf("unknown %s value %q (valid: %s)", key, v, strings.Join(c.attrValues[key], ", "))}
			}
			want[key] = append(want[key], val)
		}
	}
	words := strings.Fields(strings.ToLower(f.Search))

	out := []Control{}
	for i, ctl := range c.controls {
		if theme != "" && ctl.Theme != theme || f.NewOnly && !ctl.NewIn2022 {
			continue
		}
		if !hasAll(ctl.Attributes, want) || !matchesAll(c.haystack[i], c.idKeys[i], words) {
			continue
		}
		out = append(out, ctl.clone())
	}
	return out, nil
}

func hasAll(a Attributes, want map[string][]string) bool {
	for k, vs := range want {
		for _, v := range vs {
			if !slices.Contains(a.Values(k), v) {
				return false
			}
		}
	}
	return true
}

// matchesAll reports whether every search word matches: an id-like word one of the control's ids exactly (its own
// or a 2013 id it replaces, so A.14.2.1 finds 8.25 and 8.1 does not find 8.10), any other word the text.
func matchesAll(text string, ids []string, words []string) bool {
	for _, w := range words {
		if isIDLike(w) {
			if !slices.Contains(ids, normID(w)) {
				return false
			}
		} else if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// searchText is what Search matches text words against: the ids (so "a.14" finds what replaced A.14.x.x), titles
// and the guidance a user reads, including what changed in 2022.
func searchText(ctl Control) string {
	parts := append([]string{"a." + ctl.ID, ctl.Title}, ctl.Replaces...)
	parts = append(parts, ctl.TitleVariants...)
	if g := ctl.Guidance; g != nil {
		parts = append(parts, g.Purpose, g.Owner)
		parts = append(parts, g.Steps...)
		parts = append(parts, g.Evidence...)
		parts = append(parts, g.Feeds...)
		parts = append(parts, g.ChangesIn2022)
	}
	return strings.ToLower(strings.Join(parts, "\n"))
}

// Coverage counts, for each value of one attribute, the controls that carry it.
func (c *Catalog) Coverage(key string) ([]CoverageRow, error) {
	key = normAttr(key)
	if err := checkAttrKey(key); err != nil {
		return nil, err
	}
	rows := []CoverageRow{}
	for _, v := range c.attrValues[key] {
		row := CoverageRow{Value: v, Controls: []string{}}
		for _, ctl := range c.controls {
			if slices.Contains(ctl.Attributes.Values(key), v) {
				row.Controls = append(row.Controls, ctl.ID)
			}
		}
		row.Count = len(row.Controls)
		rows = append(rows, row)
	}
	return rows, nil
}
