package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// catalogRoutes registers the catalog browser: the Annex A controls with their guidance and attribute
// filters, the clauses, the mandatory documents, the 2013 to 2022 mapping and the attribute coverage charts. Every page reads the
// catalog through the service, which checks that the caller may read content.
func (h *Handler) catalogRoutes() {
	h.mux.HandleFunc("GET /catalog", h.catalogList)
	h.mux.HandleFunc("GET /catalog/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/catalog", http.StatusMovedPermanently)
	})
	h.mux.HandleFunc("GET /catalog/controls/{id}", h.catalogControl)
	h.mux.HandleFunc("GET /catalog/clauses", h.catalogClauses)
	h.mux.HandleFunc("GET /catalog/clauses/{id}", h.catalogClause)
	h.mux.HandleFunc("GET /catalog/documents", h.catalogDocuments)
	h.mux.HandleFunc("GET /catalog/mapping", h.catalogMapping)
	h.mux.HandleFunc("GET /catalog/coverage", h.catalogCoverage)
}

// CatalogTab is one entry of the catalog's own navigation.
type CatalogTab struct {
	Href, Label string
	Current     bool
}

func catalogTabs(current string) []CatalogTab {
	tabs := []CatalogTab{
		{Href: "/catalog", Label: "Annex A controls"},
		{Href: "/catalog/clauses", Label: "Clauses 4–10"},
		{Href: "/catalog/documents", Label: "Mandatory documents"},
		{Href: "/catalog/mapping", Label: "2013 → 2022 mapping"},
		{Href: "/catalog/coverage", Label: "Attribute coverage"},
	}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

// catalogAttrLabels names the ISO/IEC 27002 attribute keys as the standard does.
var catalogAttrLabels = map[string]string{
	"control_type": "Control type",
	"properties":   "Information security properties",
	"concepts":     "Cybersecurity concepts",
	"capabilities": "Operational capabilities",
	"domains":      "Security domains",
}

func catalogAttrLabel(key string) string {
	if l, ok := catalogAttrLabels[key]; ok {
		return l
	}
	return catalogHumanise(key)
}

func catalogHumanise(s string) string { return strings.ReplaceAll(s, "_", " ") }

// ControlRef is a control named by id and title, with its page.
type ControlRef struct {
	ID, Title, URL string
	New            bool
}

func controlRef(c *catalog.Catalog, id string) ControlRef {
	ctl, ok := c.Control(id)
	if !ok {
		return ControlRef{ID: id, Title: id}
	}
	return ControlRef{ID: ctl.ID, Title: ctl.Title, URL: "/catalog/controls/" + ctl.ID, New: ctl.NewIn2022}
}

// Ref2013 is a control of ISO/IEC 27001:2013 with its entry in the mapping view.
type Ref2013 struct {
	ID, Title, URL string
}

func ref2013(c *catalog.Catalog, id string) Ref2013 {
	old, _ := c.Control2013(id)
	if old.ID == "" {
		old.ID = id
	}
	return Ref2013{ID: old.ID, Title: old.Title, URL: "/catalog/mapping#" + old.ID}
}

// CatalogAttrLink is one attribute value that links to the list filtered by it.
type CatalogAttrLink struct {
	Value, Label, URL string
}

// CatalogAttrGroup is one attribute key with the values a control carries.
type CatalogAttrGroup struct {
	Key, Label string
	Values     []CatalogAttrLink
}

func catalogAttrGroups(a catalog.Attributes) []CatalogAttrGroup {
	var out []CatalogAttrGroup
	for _, k := range catalog.AttributeKeys() {
		g := CatalogAttrGroup{Key: k, Label: catalogAttrLabel(k)}
		for _, v := range a.Values(k) {
			g.Values = append(g.Values, CatalogAttrLink{Value: v, Label: catalogHumanise(v), URL: "/catalog?" + url.Values{k: {v}}.Encode()})
		}
		out = append(out, g)
	}
	return out
}

// ---- the list of controls ----

// CatalogAttrSelect is one attribute filter of the list form.
type CatalogAttrSelect struct {
	Key, Label string
	Options    []CatalogAttrLink
	Selected   string   // the first chosen value, shown in the select
	Extra      []string // further chosen values (from links), kept as hidden fields
}

// CatalogThemeCount is the number of controls of one theme that match the other filters.
type CatalogThemeCount struct {
	Theme, Label, URL string
	Count             int
	Current           bool
}

// CatalogList is the data of the controls page.
type CatalogList struct {
	Tabs        []CatalogTab
	Themes      []string
	Theme       string
	New         bool
	Search      string
	Attrs       []CatalogAttrSelect
	Controls    []catalog.Control
	Total       int
	Filtered    bool
	Invalid     bool
	ThemeCounts []CatalogThemeCount
	AllThemes   CatalogThemeCount
}

const catalogMaxSearch = 200

// catalogListFilter reads the filter form from the query string and checks every field against the catalog, so
// that each bad value is reported next to its field.
func catalogListFilter(c *catalog.Catalog, q url.Values, d *CatalogList) (catalog.Filter, isms.Problems) {
	var p isms.Problems
	f := catalog.Filter{Attrs: map[string][]string{}}

	d.Theme = strings.TrimSpace(q.Get("theme"))
	if t := strings.ToLower(d.Theme); t != "" {
		if slices.Contains(c.Themes(), t) {
			d.Theme, f.Theme = t, t
		} else {
			p.Add("theme", "%q is not a theme; choose one of %s", d.Theme, strings.Join(c.Themes(), ", "))
		}
	}

	switch v := strings.ToLower(strings.TrimSpace(q.Get("new"))); v {
	case "", "0", "false", "off", "no":
	case "1", "true", "on", "yes":
		d.New, f.NewOnly = true, true
	default:
		p.Add("new", "%q is not yes or no; use new=1 for the controls new in 2022", q.Get("new"))
	}

	d.Search = strings.TrimSpace(q.Get("search"))
	if len(d.Search) > catalogMaxSearch {
		p.Add("search", "the search is too long: at most %d characters", catalogMaxSearch)
	} else {
		f.Search = d.Search
	}

	values := c.AttributeValues()
	for _, k := range catalog.AttributeKeys() {
		s := CatalogAttrSelect{Key: k, Label: catalogAttrLabel(k)}
		for _, v := range values[k] {
			s.Options = append(s.Options, CatalogAttrLink{Value: v, Label: catalogHumanise(v)})
		}
		for _, raw := range q[k] {
			if strings.TrimSpace(raw) == "" {
				continue
			}
			_, v, err := catalog.ParseAttr(k + "=" + raw)
			if err != nil || !slices.Contains(values[k], v) {
				p.Add(k, "%q is not a value of %s; choose one of %s", raw, strings.ToLower(s.Label), strings.Join(catalogMap(values[k], catalogHumanise), ", "))
				continue
			}
			if slices.Contains(f.Attrs[k], v) {
				continue
			}
			f.Attrs[k] = append(f.Attrs[k], v)
			if s.Selected == "" {
				s.Selected = v
			} else {
				s.Extra = append(s.Extra, v)
			}
		}
		d.Attrs = append(d.Attrs, s)
	}
	return f, p
}

func catalogMap(in []string, fn func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = fn(s)
	}
	return out
}

func (h *Handler) catalogList(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Catalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := CatalogList{Tabs: catalogTabs("/catalog"), Themes: c.Themes(), Total: len(c.Controls())}
	v := View{Title: "Annex A controls", Nav: "catalog"}
	q := r.URL.Query()
	f, problems := catalogListFilter(c, q, &d)
	if len(problems) > 0 {
		d.Invalid = true
		v.Errors = map[string]string{}
		for _, pr := range problems {
			v.Errors[pr.Field] = pr.Message
		}
		v.Error = "The filter was not applied: " + strings.Join(catalogProblemMessages(problems), "; ") + "."
		v.Data = d
		h.render(w, r, http.StatusUnprocessableEntity, "catalog", v)
		return
	}
	d.Filtered = f.Theme != "" || f.NewOnly || f.Search != "" || len(f.Attrs) > 0

	if d.Controls, err = service.FilterControls(c, f); err != nil {
		h.fail(w, r, err)
		return
	}
	// Theme counts: what each theme would give with the other filters kept.
	anyTheme := f
	anyTheme.Theme = ""
	all, err := service.FilterControls(c, anyTheme)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	link := func(theme string) string {
		qq := url.Values{}
		for k, vs := range q {
			if k != "theme" {
				qq[k] = vs
			}
		}
		if theme != "" {
			qq.Set("theme", theme)
		}
		if len(qq) == 0 {
			return "/catalog"
		}
		return "/catalog?" + qq.Encode()
	}
	d.AllThemes = CatalogThemeCount{Label: "All themes", URL: link(""), Count: len(all), Current: f.Theme == ""}
	for _, t := range c.Themes() {
		n := 0
		for _, ctl := range all {
			if ctl.Theme == t {
				n++
			}
		}
		d.ThemeCounts = append(d.ThemeCounts, CatalogThemeCount{Theme: t, Label: catalogTitleCase(t), URL: link(t), Count: n, Current: f.Theme == t})
	}
	v.Data = d
	h.render(w, r, http.StatusOK, "catalog", v)
}

func catalogProblemMessages(p isms.Problems) []string {
	out := make([]string, len(p))
	for i, f := range p {
		out[i] = f.Message
	}
	return out
}

func catalogTitleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ---- one control ----

// CatalogControlPage is the data of a control's page.
type CatalogControlPage struct {
	Tabs       []CatalogTab
	Control    catalog.Control
	ThemeURL   string
	Attrs      []CatalogAttrGroup
	Related    []ControlRef
	Replaces   []Ref2013
	Prev, Next ControlRef
	// Risks are the organisation's risks this control treats (the first page), RisksTotal how many in all.
	Risks      []isms.Risk
	RisksTotal int
	RisksURL   string
	// SoA is the organisation's Statement of Applicability entry for the control.
	SoA SoARow
}

// Became2013Page is the data of the page of a 2013 control: what it became in 2022.
type Became2013Page struct {
	Tabs       []CatalogTab
	Control    catalog.Control2013
	MappingURL string
	Became     []BecameEntry
}

// BecameEntry is a 2022 control a 2013 control became, with the other 2013 controls merged into it.
type BecameEntry struct {
	ControlRef
	MergedWith []Ref2013
}

func (h *Handler) catalogControl(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Catalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	ctl, ok := c.Control(id)
	if !ok {
		old, ok := c.Control2013(id)
		if !ok {
			h.fail(w, r, isms.NotFound("There is no Annex A control %q. The 2022 controls run from 5.1 to 8.34; 2013 ids such as A.14.2.1 work too.", id))
			return
		}
		h.renderControl2013(w, r, c, old)
		return
	}
	if id != ctl.ID { // "A.8.28" or " 8.28": one address per control
		http.Redirect(w, r, "/catalog/controls/"+ctl.ID, http.StatusMovedPermanently)
		return
	}
	d := CatalogControlPage{Tabs: catalogTabs(""), Control: ctl, Attrs: catalogAttrGroups(ctl.Attributes),
		ThemeURL: "/catalog?" + url.Values{"theme": {ctl.Theme}}.Encode()}
	if g := ctl.Guidance; g != nil {
		for _, rid := range g.Related {
			d.Related = append(d.Related, controlRef(c, rid))
		}
	}
	for _, old := range ctl.Replaces {
		d.Replaces = append(d.Replaces, ref2013(c, old))
	}
	d.RisksURL = "/risks?" + url.Values{"control": {ctl.ID}}.Encode()
	risks, err := h.svc.ListRisks(r.Context(), service.RiskFilter{Control: ctl.ID, Sort: "-residual"}, service.Page{Limit: 10})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Risks, d.RisksTotal = risks.Items, risks.Total
	e, err := h.svc.SoAEntry(r.Context(), ctl.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	docs, err := h.svc.DocumentsByControl(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.SoA = SoARow{SoAEntry: e, URL: soaEntryURL(e.Control), Reasons: soaReasonWords(e), Docs: docs[ctl.ID]}
	all := c.Controls()
	for i, x := range all {
		if x.ID != ctl.ID {
			continue
		}
		if i > 0 {
			d.Prev = controlRef(c, all[i-1].ID)
		}
		if i+1 < len(all) {
			d.Next = controlRef(c, all[i+1].ID)
		}
	}
	h.render(w, r, http.StatusOK, "catalog_control", View{Title: ctl.ID + " " + ctl.Title, Nav: "catalog", Data: d})
}

func (h *Handler) renderControl2013(w http.ResponseWriter, r *http.Request, c *catalog.Catalog, old catalog.Control2013) {
	d := Became2013Page{Tabs: catalogTabs(""), Control: old, MappingURL: "/catalog/mapping#" + old.ID}
	for _, nid := range old.BecameIDs {
		e := BecameEntry{ControlRef: controlRef(c, nid)}
		if ctl, ok := c.Control(nid); ok {
			for _, o := range ctl.Replaces {
				if o != old.ID {
					e.MergedWith = append(e.MergedWith, ref2013(c, o))
				}
			}
		}
		d.Became = append(d.Became, e)
	}
	h.render(w, r, http.StatusOK, "catalog_control2013", View{Title: old.ID + " (2013) " + old.Title, Nav: "catalog", Data: d})
}

// ---- clauses ----

// CatalogClauseNode is a clause with its sub-clauses and the mandatory documents it names.
type CatalogClauseNode struct {
	catalog.Clause
	Children []CatalogClauseNode
	Docs     []catalog.MandatoryDocument
}

// CatalogClausesPage is the data of the clauses overview.
type CatalogClausesPage struct {
	Tabs    []CatalogTab
	Clauses []CatalogClauseNode
	Docs    int
}

// CatalogClausePage is the data of one clause.
type CatalogClausePage struct {
	Tabs       []CatalogTab
	Clause     catalog.Clause
	Ancestors  []catalog.Clause
	Parent     *catalog.Clause
	Children   []catalog.Clause
	Docs       []catalog.MandatoryDocument // of this clause
	ChildDocs  []catalog.MandatoryDocument // of its sub-clauses
	Prev, Next *catalog.Clause
}

func catalogClauseTree(all []catalog.Clause, docs []catalog.MandatoryDocument, parent string) []CatalogClauseNode {
	var out []CatalogClauseNode
	for _, cl := range all {
		if cl.Parent != parent {
			continue
		}
		n := CatalogClauseNode{Clause: cl, Children: catalogClauseTree(all, docs, cl.ID)}
		for _, d := range docs {
			if d.Clause == cl.ID {
				n.Docs = append(n.Docs, d)
			}
		}
		out = append(out, n)
	}
	return out
}

func (h *Handler) catalogClauses(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Catalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	docs := c.MandatoryDocuments()
	d := CatalogClausesPage{Tabs: catalogTabs("/catalog/clauses"), Clauses: catalogClauseTree(c.Clauses(), docs, ""), Docs: len(docs)}
	h.render(w, r, http.StatusOK, "catalog_clauses", View{Title: "Clauses 4 to 10", Nav: "catalog", Data: d})
}

func (h *Handler) catalogClause(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Catalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	v, err := service.ClauseOf(c, id)
	if err != nil {
		h.fail(w, r, isms.NotFound("There is no clause %q. The requirements run from clause 4 to clause 10, for example 6.1.2.", id))
		return
	}
	cl := v.Clause
	if id != cl.ID {
		http.Redirect(w, r, "/catalog/clauses/"+cl.ID, http.StatusMovedPermanently)
		return
	}
	d := CatalogClausePage{Tabs: catalogTabs(""), Clause: cl, Children: v.SubClauses}
	for p := cl.Parent; p != ""; {
		pc, ok := c.Clause(p)
		if !ok {
			break
		}
		d.Ancestors = append([]catalog.Clause{pc}, d.Ancestors...)
		p = pc.Parent
	}
	if n := len(d.Ancestors); n > 0 {
		d.Parent = &d.Ancestors[n-1]
	}
	all := c.Clauses()
	for i, x := range all {
		if x.ID == cl.ID {
			if i > 0 {
				d.Prev = &all[i-1]
			}
			if i+1 < len(all) {
				d.Next = &all[i+1]
			}
		}
	}
	for _, doc := range v.MandatoryDocuments {
		if doc.Clause == cl.ID {
			d.Docs = append(d.Docs, doc)
		} else {
			d.ChildDocs = append(d.ChildDocs, doc)
		}
	}
	h.render(w, r, http.StatusOK, "catalog_clause", View{Title: "Clause " + cl.ID + " " + cl.Title, Nav: "catalog", Data: d})
}

// ---- mandatory documents ----

// CatalogDocumentsPage is the data of the list of mandatory documents.
type CatalogDocumentsPage struct {
	Tabs []CatalogTab
	Docs []catalog.MandatoryDocument
}

func (h *Handler) catalogDocuments(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Catalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := CatalogDocumentsPage{Tabs: catalogTabs("/catalog/documents"), Docs: c.MandatoryDocuments()}
	h.render(w, r, http.StatusOK, "catalog_documents", View{Title: "Mandatory documents", Nav: "catalog", Data: d})
}

// ---- the 2013 to 2022 mapping ----

// CatalogMappingRow is a 2013 control, what it became, and how.
type CatalogMappingRow struct {
	ID, Title string
	Became    []ControlRef
	Change    string
}

// CatalogMappingPage is the data of the mapping view.
type CatalogMappingPage struct {
	Tabs      []CatalogTab
	Query     string
	Rows      []CatalogMappingRow
	Total     int
	New       []ControlRef // the controls new in 2022 (those matching the query, when there is one)
	NewTotal  int
	Filtered  bool
	NewIDNote string // set when the query names a control that is new in 2022
}

func catalogBareID(id string) string {
	id = strings.TrimSpace(id)
	if len(id) > 2 && (id[0] == 'A' || id[0] == 'a') && id[1] == '.' {
		return id[2:]
	}
	return id
}

func (h *Handler) catalogMapping(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Catalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	olds := c.Controls2013()
	d := CatalogMappingPage{Tabs: catalogTabs("/catalog/mapping"), Total: len(olds), Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	q := catalogBareID(d.Query)
	d.Filtered = q != ""
	// A row matches a 2013 id or a 2013 section ("14.2" lists A.14.2.1 to A.14.2.9), or a 2022 id it became.
	matches := func(old catalog.Control2013) bool {
		if q == "" {
			return true
		}
		b := catalogBareID(old.ID)
		if b == q || strings.HasPrefix(b, q+".") {
			return true
		}
		for _, nid := range old.BecameIDs {
			if nid == q {
				return true
			}
		}
		return false
	}
	for _, old := range olds {
		if !matches(old) {
			continue
		}
		row := CatalogMappingRow{ID: old.ID, Title: old.Title}
		for _, nid := range old.BecameIDs {
			row.Became = append(row.Became, controlRef(c, nid))
		}
		row.Change = catalogChangeKind(c, old)
		d.Rows = append(d.Rows, row)
	}
	for _, ctl := range c.Controls() {
		if !ctl.NewIn2022 {
			continue
		}
		d.NewTotal++
		if q == "" || ctl.ID == q {
			d.New = append(d.New, controlRef(c, ctl.ID))
		}
		if q != "" && ctl.ID == q {
			d.NewIDNote = fmt.Sprintf("%s %s is new in 2022: no 2013 control became it.", ctl.ID, ctl.Title)
		}
	}
	v := View{Title: "2013 to 2022 mapping", Nav: "catalog", Data: d}
	if d.Filtered && len(d.Rows) == 0 && d.NewIDNote == "" {
		v.Errors = map[string]string{"q": fmt.Sprintf("%q is neither a 2013 control (such as A.14.2.1 or A.14) nor a 2022 control (such as 8.25)", d.Query)}
		v.Error = "Nothing matches: " + v.Errors["q"] + "."
		h.render(w, r, http.StatusUnprocessableEntity, "catalog_mapping", v)
		return
	}
	h.render(w, r, http.StatusOK, "catalog_mapping", v)
}

// catalogChangeKind says in words how a 2013 control moved: kept as one control, merged with others, or split.
func catalogChangeKind(c *catalog.Catalog, old catalog.Control2013) string {
	if len(old.BecameIDs) > 1 {
		return "split into " + strconv.Itoa(len(old.BecameIDs)) + " controls"
	}
	if len(old.BecameIDs) == 1 {
		if ctl, ok := c.Control(old.BecameIDs[0]); ok && len(ctl.Replaces) > 1 {
			if n := len(ctl.Replaces) - 1; n > 1 {
				return "merged with " + strconv.Itoa(n) + " others"
			}
			return "merged with 1 other"
		}
		return "one to one"
	}
	return ""
}

// ---- attribute coverage ----

// CoverageBar is one bar of the coverage chart; coordinates are in the SVG's user units.
type CoverageBar struct {
	Value, Label, URL string
	Count             int
	Percent           int // of the 93 controls
	Y, W, TextY       int
	CountX            int
}

// CoverageChart is a horizontal bar chart drawn on the server.
type CoverageChart struct {
	Width, Height int
	LabelW        int
	BarH          int
	Bars          []CoverageBar
}

// CoveragePage is the data of the coverage view.
type CoveragePage struct {
	Tabs  []CatalogTab
	Key   string
	Label string
	Keys  []CatalogAttrLink
	Total int
	Chart CoverageChart
}

const (
	covRow   = 30
	covBarH  = 20
	covBarW  = 420
	covCharW = 8 // a generous average glyph width at 14px
)

func catalogCoverageChart(key string, rows []catalog.CoverageRow) CoverageChart {
	maxCount, maxLabel := 1, 0
	for _, r := range rows {
		maxCount = max(maxCount, r.Count)
		maxLabel = max(maxLabel, len(r.Value))
	}
	ch := CoverageChart{LabelW: maxLabel*covCharW + 16, BarH: covBarH}
	ch.Width = ch.LabelW + covBarW + 60
	ch.Height = len(rows)*covRow + 10
	for i, r := range rows {
		w := r.Count * covBarW / maxCount
		if r.Count > 0 && w < 2 {
			w = 2
		}
		y := 5 + i*covRow
		ch.Bars = append(ch.Bars, CoverageBar{
			Value: r.Value, Label: catalogHumanise(r.Value), Count: r.Count,
			URL: "/catalog?" + url.Values{key: {r.Value}}.Encode(),
			Y:   y, W: w, TextY: y + covBarH/2 + 5, CountX: ch.LabelW + w + 8,
		})
	}
	return ch
}

func (h *Handler) catalogCoverage(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Catalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	key := strings.TrimSpace(r.URL.Query().Get("key"))
	if key == "" {
		key = "control_type"
	}
	d := CoveragePage{Tabs: catalogTabs("/catalog/coverage"), Total: len(c.Controls())}
	for _, k := range catalog.AttributeKeys() {
		d.Keys = append(d.Keys, CatalogAttrLink{Value: k, Label: catalogAttrLabel(k), URL: "/catalog/coverage?key=" + k})
	}
	v := View{Title: "Attribute coverage", Nav: "catalog"}
	if !slices.Contains(catalog.AttributeKeys(), key) {
		v.Error = fmt.Sprintf("%q is not an attribute; choose one of %s.", key, strings.Join(catalog.AttributeKeys(), ", "))
		v.Data = d
		h.render(w, r, http.StatusUnprocessableEntity, "catalog_coverage", v)
		return
	}
	rows, err := c.Coverage(key)
	if err != nil {
		h.fail(w, r, isms.Invalid(isms.FieldError{Field: "key", Message: err.Error()}))
		return
	}
	d.Key, d.Label = key, catalogAttrLabel(key)
	d.Chart = catalogCoverageChart(key, rows)
	for i := range d.Chart.Bars {
		d.Chart.Bars[i].Percent = (d.Chart.Bars[i].Count*100 + d.Total/2) / d.Total
	}
	v.Title = "Coverage: " + d.Label
	v.Data = d
	h.render(w, r, http.StatusOK, "catalog_coverage", v)
}
