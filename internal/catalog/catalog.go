// Package catalog holds ISO/IEC 27001:2022 (clauses, Annex A), the ISO/IEC 27002:2022 attributes, the
// 2013 to 2022 mapping, the mandatory documents and praxis's own implementation guidance, all as embedded,
// read-only data. It imports nothing of ours.
package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The whole folder is embedded so that guidance files can be added without touching the directive.
//
//go:embed data
var dataFS embed.FS

// Attributes are the five ISO/IEC 27002:2022 attribute lists of a control, values lower-case without '#'.
type Attributes struct {
	ControlType  []string `json:"control_type"`
	Properties   []string `json:"properties"`
	Concepts     []string `json:"concepts"`
	Capabilities []string `json:"capabilities"`
	Domains      []string `json:"domains"`
}

// Values returns the list for an attribute key (see AttributeKeys), or nil for an unknown key.
func (a Attributes) Values(key string) []string {
	switch key {
	case "control_type":
		return a.ControlType
	case "properties":
		return a.Properties
	case "concepts":
		return a.Concepts
	case "capabilities":
		return a.Capabilities
	case "domains":
		return a.Domains
	}
	return nil
}

// AttributeKeys lists the attribute keys in the order ISO/IEC 27002 presents them.
func AttributeKeys() []string {
	return []string{"control_type", "properties", "concepts", "capabilities", "domains"}
}

// Guidance is praxis's own-words help for implementing one control.
type Guidance struct {
	Purpose       string   `json:"purpose"`
	Steps         []string `json:"steps"`
	Evidence      []string `json:"evidence"`
	Owner         string   `json:"owner"`
	Related       []string `json:"related"`
	Feeds         []string `json:"feeds"`
	ChangesIn2022 string   `json:"changes_2022"`
}

// Control is one ISO/IEC 27001:2022 Annex A control.
type Control struct {
	ID            string     `json:"id"`
	Title         string     `json:"title"`
	Theme         string     `json:"theme"`
	NewIn2022     bool       `json:"new_in_2022"`
	Attributes    Attributes `json:"attributes"`
	Replaces      []string   `json:"replaces"`                 // 2013 ids that became this control
	TitleVariants []string   `json:"title_variants,omitempty"` // other accepted titles (27002 wording)
	Guidance      *Guidance  `json:"guidance,omitempty"`
}

// Clause is a clause or sub-clause of ISO/IEC 27001:2022 (4 to 10).
type Clause struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	Parent        string   `json:"parent"`
	Level         int      `json:"level"`
	Summary       string   `json:"summary,omitempty"`
	AuditorChecks []string `json:"auditor_checks,omitempty"`
}

// Control2013 is an ISO/IEC 27001:2013 Annex A control and the 2022 controls it became.
type Control2013 struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	BecameIDs []string `json:"became"`
}

// MandatoryDocument is documented information a clause explicitly requires.
type MandatoryDocument struct {
	Clause      string `json:"clause"`
	Item        string `json:"item,omitempty"`
	ClauseTitle string `json:"clause_title"`
	Description string `json:"description"`
	Wording     string `json:"wording"`
	Note        string `json:"note,omitempty"`
}

// Threat is an entry of the threat or the vulnerability library, with the controls that address it.
type Threat struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Controls    []string `json:"controls"`
}

// Catalog is the loaded, cross-checked standard. It is never modified after Load, and every accessor
// returns copies, so one Catalog can be shared freely.
type Catalog struct {
	controls   []Control
	byID       map[string]int
	haystack   []string   // lower-cased searchable text, per control index
	idKeys     [][]string // bare ids an id-like search word matches, per control index: its own and the 2013 ones it replaces
	attrValues map[string][]string
	controls13 []Control2013
	byID13     map[string]int
	clauses    []Clause
	clauseByID map[string]int
	docs       []MandatoryDocument
	threats    []Threat
	vulns      []Threat
}

func themes() []string { return []string{"organizational", "people", "physical", "technological"} }

// Themes lists the four Annex A themes in the standard's order.
func (c *Catalog) Themes() []string { return themes() }

// MustLoad is Load for main and tests: it panics if the embedded data is inconsistent.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Load parses the embedded data and cross-checks it; the error names the first bad entry.
func Load() (*Catalog, error) {
	c, err := load(dataFS)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return c, nil
}

func load(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{byID: map[string]int{}, byID13: map[string]int{}, clauseByID: map[string]int{}}

	if err := readJSON(fsys, "annexa-2022.json", &c.controls, false); err != nil {
		return nil, err
	}
	slices.SortFunc(c.controls, func(a, b Control) int { return compareIDs(a.ID, b.ID) })
	for i, ctl := range c.controls {
		if _, dup := c.byID[ctl.ID]; dup {
			return nil, fmt.Errorf("annexa-2022.json: control %s appears twice", ctl.ID)
		}
		if !slices.Contains(themes(), ctl.Theme) {
			return nil, fmt.Errorf("annexa-2022.json: control %s: unknown theme %q", ctl.ID, ctl.Theme)
		}
		c.byID[ctl.ID] = i
		c.controls[i].Replaces = []string{} // JSON "[]" rather than null for new controls
	}

	var variants []struct {
		ID      string `json:"id"`
		AnnexA  string `json:"iso27001_2022_annex_a"`
		ISO2702 string `json:"iso27002_2022"`
	}
	if err := readJSON(fsys, "annexa-2022-title-variants.json", &variants, false); err != nil {
		return nil, err
	}
	for _, v := range variants {
		i, ok := c.byID[v.ID]
		if !ok {
			return nil, fmt.Errorf("annexa-2022-title-variants.json: control %s does not exist", v.ID)
		}
		if v.AnnexA != c.controls[i].Title {
			return nil, fmt.Errorf("annexa-2022-title-variants.json: control %s: Annex A title %q differs from annexa-2022.json %q", v.ID, v.AnnexA, c.controls[i].Title)
		}
		if v.ISO2702 != "" && v.ISO2702 != v.AnnexA {
			c.controls[i].TitleVariants = append(c.controls[i].TitleVariants, v.ISO2702)
		}
	}

	if err := c.loadMapping(fsys); err != nil {
		return nil, err
	}
	if err := c.loadGuidance(fsys); err != nil {
		return nil, err
	}
	if err := c.loadClauses(fsys); err != nil {
		return nil, err
	}
	if err := readJSON(fsys, "mandatory-documents.json", &c.docs, false); err != nil {
		return nil, err
	}
	if err := c.loadThreats(fsys); err != nil {
		return nil, err
	}

	c.attrValues = map[string][]string{}
	for _, k := range AttributeKeys() {
		seen := []string{}
		for _, ctl := range c.controls {
			if len(ctl.Attributes.Values(k)) == 0 {
				return nil, fmt.Errorf("annexa-2022.json: control %s has no %s", ctl.ID, k)
			}
			for _, v := range ctl.Attributes.Values(k) {
				if !slices.Contains(seen, v) {
					seen = append(seen, v)
				}
			}
		}
		slices.Sort(seen)
		c.attrValues[k] = seen
	}
	c.haystack = make([]string, len(c.controls))
	c.idKeys = make([][]string, len(c.controls))
	for i, ctl := range c.controls {
		c.haystack[i] = searchText(ctl)
		c.idKeys[i] = append([]string{ctl.ID}, ctl.Replaces...)
		for k, id := range c.idKeys[i] {
			c.idKeys[i][k] = normID(id)
		}
	}
	return c, nil
}

func (c *Catalog) loadMapping(fsys fs.FS) error {
	if err := readJSON(fsys, "annexa-2013.json", &c.controls13, false); err != nil {
		return err
	}
	slices.SortFunc(c.controls13, func(a, b Control2013) int { return compareIDs(a.ID, b.ID) })
	for i, old := range c.controls13 {
		key := normID(old.ID)
		if _, dup := c.byID13[key]; dup {
			return fmt.Errorf("annexa-2013.json: control %s appears twice", old.ID)
		}
		c.byID13[key] = i
	}

	var m struct {
		Description string `json:"description"`
		Mappings    []struct {
			From string   `json:"from"`
			To   []string `json:"to"`
		} `json:"mappings"`
		NewIn2022 []string `json:"new_in_2022"`
	}
	if err := readJSON(fsys, "mapping-2013-2022.json", &m, false); err != nil {
		return err
	}
	for _, e := range m.Mappings {
		j, ok := c.byID13[normID(e.From)]
		if !ok {
			return fmt.Errorf("mapping-2013-2022.json: 2013 control %s does not exist", e.From)
		}
		if len(e.To) == 0 || len(c.controls13[j].BecameIDs) > 0 {
			return fmt.Errorf("mapping-2013-2022.json: 2013 control %s maps to nothing or appears twice", e.From)
		}
		for _, to := range e.To {
			i, ok := c.byID[normID(to)]
			if !ok {
				return fmt.Errorf("mapping-2013-2022.json: %s maps to control %s, which does not exist", e.From, to)
			}
			c.controls13[j].BecameIDs = append(c.controls13[j].BecameIDs, c.controls[i].ID)
			c.controls[i].Replaces = append(c.controls[i].Replaces, c.controls13[j].ID)
		}
	}
	for i, old := range c.controls13 {
		if len(old.BecameIDs) == 0 {
			return fmt.Errorf("mapping-2013-2022.json: 2013 control %s is not mapped", old.ID)
		}
		sortIDs(c.controls13[i].BecameIDs)
	}
	// A control is new in 2022 exactly when no 2013 control became it; the three sources must agree.
	for i := range c.controls {
		ctl := &c.controls[i]
		sortIDs(ctl.Replaces)
		listed := slices.Contains(m.NewIn2022, ctl.ID)
		if ctl.NewIn2022 != listed || ctl.NewIn2022 != (len(ctl.Replaces) == 0) {
			return fmt.Errorf("control %s: new_in_2022 is %v in annexa-2022.json, listed as new in mapping: %v, replaces %v",
				ctl.ID, ctl.NewIn2022, listed, ctl.Replaces)
		}
	}
	return nil
}

func (c *Catalog) loadGuidance(fsys fs.FS) error {
	files, err := fs.Glob(fsys, "data/guidance/*.json")
	if err != nil {
		return err
	}
	seenIn := map[string]string{}
	for _, f := range files {
		name := strings.TrimPrefix(f, "data/")
		var entries []struct {
			ID string `json:"id"`
			Guidance
		}
		if err := readJSON(fsys, name, &entries, false); err != nil {
			return err
		}
		for n, e := range entries {
			id := normID(e.ID)
			i, ok := c.byID[id]
			if !ok {
				return fmt.Errorf("%s: entry %d: control %q does not exist", name, n+1, e.ID)
			}
			if prev, dup := seenIn[id]; dup {
				return fmt.Errorf("%s: control %s: guidance already given in %s", name, id, prev)
			}
			seenIn[id] = name
			g := e.Guidance
			for k, r := range g.Related {
				j, ok := c.byID[normID(r)]
				if !ok {
					return fmt.Errorf("%s: control %s: related control %q does not exist", name, id, r)
				}
				g.Related[k] = c.controls[j].ID
			}
			c.controls[i].Guidance = &g
		}
	}
	return nil
}

func (c *Catalog) loadClauses(fsys fs.FS) error {
	if err := readJSON(fsys, "clauses-2022.json", &c.clauses, false); err != nil {
		return err
	}
	slices.SortFunc(c.clauses, func(a, b Clause) int { return compareIDs(a.ID, b.ID) })
	for i, cl := range c.clauses {
		if _, dup := c.clauseByID[cl.ID]; dup {
			return fmt.Errorf("clauses-2022.json: clause %s appears twice", cl.ID)
		}
		c.clauseByID[cl.ID] = i
	}
	for _, cl := range c.clauses {
		if _, ok := c.clauseByID[cl.Parent]; cl.Parent != "" && !ok {
			return fmt.Errorf("clauses-2022.json: clause %s: parent %s does not exist", cl.ID, cl.Parent)
		}
	}

	var guidance []struct {
		ID            string   `json:"id"`
		Summary       string   `json:"summary"`
		AuditorChecks []string `json:"auditor_checks"`
	}
	if err := readJSON(fsys, "clauses-guidance.json", &guidance, false); err != nil {
		return err
	}
	seen := map[string]bool{}
	for n, g := range guidance {
		id := strings.TrimSpace(g.ID)
		i, ok := c.clauseByID[id]
		if !ok {
			return fmt.Errorf("clauses-guidance.json: entry %d: clause %q does not exist", n+1, g.ID)
		}
		if seen[id] {
			return fmt.Errorf("clauses-guidance.json: clause %s: guidance given twice", id)
		}
		seen[id] = true
		c.clauses[i].Summary = g.Summary
		c.clauses[i].AuditorChecks = g.AuditorChecks
	}
	return nil
}

func (c *Catalog) loadThreats(fsys fs.FS) error {
	var lib struct {
		Threats         []Threat `json:"threats"`
		Vulnerabilities []Threat `json:"vulnerabilities"`
	}
	if err := readJSON(fsys, "threats.json", &lib, true); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, list := range [][]Threat{lib.Threats, lib.Vulnerabilities} {
		for _, t := range list {
			if t.ID == "" || seen[t.ID] {
				return fmt.Errorf("threats.json: id %q is empty or appears twice", t.ID)
			}
			seen[t.ID] = true
			for k, id := range t.Controls {
				i, ok := c.byID[normID(id)]
				if !ok {
					return fmt.Errorf("threats.json: %s: control %q does not exist", t.ID, id)
				}
				t.Controls[k] = c.controls[i].ID
			}
		}
	}
	c.threats, c.vulns = lib.Threats, lib.Vulnerabilities
	return nil
}

// readJSON decodes data/name strictly: a key that v does not know (a misspelt "auditor_check", say) or anything
// after the value is an error, so a typo in a data file fails the load instead of silently dropping text. An
// optional file that is absent leaves v untouched.
func readJSON(fsys fs.FS, name string, v any, optional bool) error {
	b, err := fs.ReadFile(fsys, path.Join("data", name))
	if optional && errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		return fmt.Errorf("%s: unexpected data after the JSON value", name)
	}
	return nil
}

func (ctl Control) clone() Control {
	a := ctl.Attributes
	ctl.Attributes = Attributes{slices.Clone(a.ControlType), slices.Clone(a.Properties), slices.Clone(a.Concepts),
		slices.Clone(a.Capabilities), slices.Clone(a.Domains)}
	ctl.Replaces = slices.Clone(ctl.Replaces)
	ctl.TitleVariants = slices.Clone(ctl.TitleVariants)
	if ctl.Guidance != nil {
		g := *ctl.Guidance
		g.Steps, g.Evidence = slices.Clone(g.Steps), slices.Clone(g.Evidence)
		g.Related, g.Feeds = slices.Clone(g.Related), slices.Clone(g.Feeds)
		ctl.Guidance = &g
	}
	return ctl
}

// Controls returns the 93 controls in natural id order (5.1, 5.2, ..., 5.10, ..., 8.34).
func (c *Catalog) Controls() []Control {
	out := make([]Control, len(c.controls))
	for i, ctl := range c.controls {
		out[i] = ctl.clone()
	}
	return out
}

// Control looks a 2022 control up by id; "8.28", "A.8.28" and " 8.28 " are the same.
func (c *Catalog) Control(id string) (Control, bool) {
	i, ok := c.byID[normID(id)]
	if !ok {
		return Control{}, false
	}
	return c.controls[i].clone(), true
}

// Control2013 looks a 2013 control up by id; "A.14.2.1" and "14.2.1" are the same.
func (c *Catalog) Control2013(id string) (Control2013, bool) {
	i, ok := c.byID13[normID(id)]
	if !ok {
		return Control2013{}, false
	}
	old := c.controls13[i]
	old.BecameIDs = slices.Clone(old.BecameIDs)
	return old, true
}

// Controls2013 returns the 114 controls of ISO/IEC 27001:2013 Annex A in natural id order.
func (c *Catalog) Controls2013() []Control2013 {
	out := slices.Clone(c.controls13)
	for i := range out {
		out[i].BecameIDs = slices.Clone(out[i].BecameIDs)
	}
	return out
}

// Clauses returns clauses 4 to 10 and their sub-clauses in natural id order.
func (c *Catalog) Clauses() []Clause {
	out := slices.Clone(c.clauses)
	for i := range out {
		out[i].AuditorChecks = slices.Clone(out[i].AuditorChecks)
	}
	return out
}

// Clause looks a clause up by id, such as "6.1.2".
func (c *Catalog) Clause(id string) (Clause, bool) {
	i, ok := c.clauseByID[strings.TrimSpace(id)]
	if !ok {
		return Clause{}, false
	}
	cl := c.clauses[i]
	cl.AuditorChecks = slices.Clone(cl.AuditorChecks)
	return cl, true
}

// MandatoryDocuments returns the documented information the clauses explicitly require.
func (c *Catalog) MandatoryDocuments() []MandatoryDocument { return slices.Clone(c.docs) }

// Threats returns the threat library (empty until its data file exists).
func (c *Catalog) Threats() []Threat { return cloneThreats(c.threats) }

// Vulnerabilities returns the vulnerability library (empty until its data file exists).
func (c *Catalog) Vulnerabilities() []Threat { return cloneThreats(c.vulns) }

func cloneThreats(ts []Threat) []Threat {
	out := make([]Threat, len(ts))
	for i, t := range ts {
		t.Controls = slices.Clone(t.Controls)
		out[i] = t
	}
	return out
}
