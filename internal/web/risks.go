package web

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// riskRoutes registers risk assessment and treatment (clauses 6.1.2, 6.1.3, 8.2 and 8.3): the asset inventory,
// the risk register with its heat maps, the risk method and the treatment plan. Every page reads and writes
// through the service, which checks the caller's role; the pages only hide the forms a role may not use.
func (h *Handler) riskRoutes() {
	h.assetRoutes()
	h.mux.HandleFunc("GET /risks", h.risks)
	h.mux.HandleFunc("POST /risks", h.addRisk)
	h.mux.HandleFunc("GET /risks/new", h.newRisk)
	h.mux.HandleFunc("GET /risks/heatmap", h.riskHeatMap)
	h.mux.HandleFunc("GET /risks/plan", h.riskPlan)
	h.mux.HandleFunc("GET /risks/method", h.riskMethod)
	h.mux.HandleFunc("POST /risks/method", h.saveRiskMethod)
	h.mux.HandleFunc("GET /risks/import", h.riskImportForm)
	h.mux.HandleFunc("POST /risks/import", h.importRisks)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /risks/export."+f, h.exportRisks)
		h.mux.HandleFunc("GET /risks/plan/export."+f, h.exportPlan)
	}
	h.mux.HandleFunc("GET /risks/{ref}", h.risk)
	h.mux.HandleFunc("POST /risks/{ref}", h.updateRisk)
	h.mux.HandleFunc("POST /risks/{ref}/accept", h.acceptRisk)
	h.mux.HandleFunc("POST /risks/{ref}/delete", h.deleteRisk)
	h.mux.HandleFunc("POST /risks/{ref}/actions", h.addAction)
	h.mux.HandleFunc("POST /risks/{ref}/actions/{action}", h.updateAction)
	h.mux.HandleFunc("POST /risks/{ref}/actions/{action}/status", h.setActionStatus)
}

// ---- shared pieces

// RiskTab is one entry of the risk pages' own navigation.
type RiskTab struct {
	Href, Label string
	Current     bool
}

func riskTabs(current string) []RiskTab {
	tabs := []RiskTab{
		{Href: "/risks", Label: "Register"},
		{Href: "/risks/heatmap", Label: "Heat maps"},
		{Href: "/risks/plan", Label: "Treatment plan"},
		{Href: "/risks/method", Label: "Risk method"},
		{Href: "/assets", Label: "Assets"},
	}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
}

// ControlGroup is the controls of one theme, for selects and check lists.
type ControlGroup struct {
	Theme    string
	Controls []ControlRef
}

func controlGroups(c *catalog.Catalog) []ControlGroup {
	var out []ControlGroup
	for _, ctl := range c.Controls() {
		if len(out) == 0 || out[len(out)-1].Theme != ctl.Theme {
			out = append(out, ControlGroup{Theme: ctl.Theme})
		}
		g := &out[len(out)-1]
		g.Controls = append(g.Controls, ControlRef{ID: ctl.ID, Title: ctl.Title, URL: "/catalog/controls/" + ctl.ID, New: ctl.NewIn2022})
	}
	return out
}

// LevelOption is one level of a likelihood or impact scale, labelled for a select ("4 — Likely").
type LevelOption struct {
	Value, Label, Description string
}

func levelOptions(levels []isms.Level) []LevelOption {
	out := make([]LevelOption, len(levels))
	for i, l := range levels {
		n := strconv.Itoa(i + 1)
		out[i] = LevelOption{Value: n, Label: n + " — " + l.Label, Description: l.Description}
	}
	return out
}

// levelName is "4 Likely" for a level of a scale, "" for level 0 (not assessed).
func levelName(levels []isms.Level, n int) string {
	if n < 1 || n > len(levels) {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	return strconv.Itoa(n) + " " + levels[n-1].Label
}

// FormValues is the input of one form, to fill it (several forms on one page each have their own).
type FormValues url.Values

// Get returns the value of a field.
func (f FormValues) Get(k string) string { return url.Values(f).Get(k) }

// Has reports whether a multi-valued field (checkboxes, multi-select) holds v.
func (f FormValues) Has(k, v string) bool { return slices.Contains(f[k], v) }

// SortCol is one sortable column header: its link sorts by the column, or reverses the order when the list
// is already sorted by it.
type SortCol struct {
	Label, URL string
	Order      string // "ascending", "descending" or "" (for aria-sort)
}

// sortCols builds the header links of the sortable columns of a list page, keeping the filters.
func sortCols(r *http.Request, current string, cols [][2]string) map[string]SortCol {
	out := map[string]SortCol{}
	for _, c := range cols {
		key, label := c[0], c[1]
		q := r.URL.Query()
		q.Del("offset")
		sc := SortCol{Label: label}
		switch current {
		case key:
			sc.Order = "ascending"
			q.Set("sort", "-"+key)
		case "-" + key:
			sc.Order = "descending"
			q.Set("sort", key)
		default:
			q.Set("sort", key)
		}
		sc.URL = r.URL.Path + "?" + q.Encode()
		out[key] = sc
	}
	return out
}

// ExportLink is one download of a register.
type ExportLink struct {
	Format, URL string
}

// exportLinks are the downloads of a register with the list's filter and order q: CSV, CSV for Excel (with the
// byte order mark Excel needs, asked for with excel=1), XLSX and PDF.
func exportLinks(base string, q url.Values) []ExportLink {
	link := func(format string, extra url.Values) ExportLink {
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		for k, vals := range extra {
			v[k] = vals
		}
		return ExportLink{URL: base + "." + format + queryString(v)}
	}
	var out []ExportLink
	for _, f := range service.ExportFormats {
		l := link(f, nil)
		l.Format = strings.ToUpper(f)
		out = append(out, l)
		if f == "csv" {
			l = link(f, url.Values{"excel": {"1"}})
			l.Format = "CSV for Excel"
			out = append(out, l)
		}
	}
	return out
}

// exportFormat is the format a download asks for: the extension of its path, csv-excel for a CSV with excel=1.
func exportFormat(r *http.Request) string {
	f := strings.TrimPrefix(path.Ext(r.URL.Path), ".")
	if f == "csv" && formBool(r.URL.Query().Get("excel")) {
		return service.FormatCSVExcel
	}
	return f
}

// splitList reads a multi-valued field that may also hold comma-separated values (a text field, a pasted list).
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
			if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// controlIDs reads the controls field: ids from the check list, or typed as "8.28", "A.8.28" or "8.28 Secure coding".
func controlIDs(values []string) []string {
	var out []string
	for _, v := range splitList(values) {
		if id := strings.Fields(v)[0]; !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// ---- the register

// RiskQuery is the register's filter and order as given in the query string.
type RiskQuery struct {
	Search, Owner, Band, ResidualBand, Appetite, Treatment, Control, Asset, Accepted, Sort string
	Likelihood, Impact, ResidualLikelihood, ResidualImpact                                 int
}

func riskQuery(q url.Values) RiskQuery {
	n := func(k string) int { return formInt(q.Get(k)) }
	t := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return RiskQuery{Search: t("q"), Owner: t("owner"), Band: t("band"), ResidualBand: t("residual_band"), Appetite: t("appetite"), Treatment: t("treatment"),
		Control: strings.TrimPrefix(t("control"), "A."), Asset: t("asset"), Accepted: t("accepted"), Sort: t("sort"),
		Likelihood: n("likelihood"), Impact: n("impact"), ResidualLikelihood: n("residual_likelihood"), ResidualImpact: n("residual_impact")}
}

// Values encodes the filter (and order) for links, skipping empty fields.
func (q RiskQuery) Values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": q.Search, "owner": q.Owner, "band": q.Band, "residual_band": q.ResidualBand, "appetite": q.Appetite,
		"treatment": q.Treatment, "control": q.Control, "asset": q.Asset, "accepted": q.Accepted, "sort": q.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	for k, n := range map[string]int{"likelihood": q.Likelihood, "impact": q.Impact, "residual_likelihood": q.ResidualLikelihood, "residual_impact": q.ResidualImpact} {
		if n > 0 {
			v.Set(k, strconv.Itoa(n))
		}
	}
	return v
}

// Filtered reports whether any filter is set (the order is not a filter).
func (q RiskQuery) Filtered() bool {
	v := q.Values()
	v.Del("sort")
	return len(v) > 0
}

// Cell reports whether the register shows one heat-map cell.
func (q RiskQuery) Cell() bool {
	return q.Likelihood > 0 || q.Impact > 0 || q.ResidualLikelihood > 0 || q.ResidualImpact > 0
}

// WithoutCell is the register link with the same filters but no heat-map cell.
func (q RiskQuery) WithoutCell() string {
	q.Likelihood, q.Impact, q.ResidualLikelihood, q.ResidualImpact = 0, 0, 0, 0
	return "/risks" + queryString(q.Values())
}

func queryString(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// filter checks the query and turns it into the service's filter; every bad field is reported.
func (q RiskQuery) filter(m isms.RiskMethod) (service.RiskFilter, error) {
	f := service.RiskFilter{Search: q.Search, Owner: q.Owner, Treatment: q.Treatment, Control: q.Control, Asset: q.Asset,
		Accepted: q.Accepted, Sort: q.Sort, Likelihood: q.Likelihood, Impact: q.Impact,
		ResidualLikelihood: q.ResidualLikelihood, ResidualImpact: q.ResidualImpact}
	var p isms.Problems
	var err error
	if f, err = service.BandFilter(f, m, q.Band, false); err != nil {
		p.Add("band", "must be low, medium or high")
	}
	if f, err = service.BandFilter(f, m, q.ResidualBand, true); err != nil {
		p.Add("residual_band", "must be low, medium or high")
	}
	if f, err = service.AppetiteFilter(f, m, q.Appetite); err != nil {
		p.Add("appetite", "must be above or within")
	}
	if q.Treatment != "" && !isms.Treatment(q.Treatment).Valid() {
		p.Add("treatment", "must be one of modify, retain, avoid, share")
	}
	if q.Accepted != "" && q.Accepted != "yes" && q.Accepted != "no" {
		p.Add("accepted", "must be yes or no")
	}
	return f, p.Err()
}

// RiskRow is one risk of a list with the bands of its scores.
type RiskRow struct {
	isms.Risk
	Band, ResidualBand string
}

// Score is a score with its band, for the coloured badges.
type Score struct {
	Value int
	Band  string
}

// Inherent is the inherent score with its band.
func (r RiskRow) Inherent() Score { return Score{r.Score, r.Band} }

// Residual is the residual score with its band (0 when not assessed).
func (r RiskRow) Residual() Score { return Score{r.ResidualScore, r.ResidualBand} }

func riskRows(m isms.RiskMethod, risks []isms.Risk) []RiskRow {
	out := make([]RiskRow, len(risks))
	for i, r := range risks {
		out[i] = RiskRow{Risk: r, Band: m.Band(r.Score), ResidualBand: m.Band(r.ResidualScore)}
	}
	return out
}

// RiskRegister is the data of the register page.
type RiskRegister struct {
	Tabs       []RiskTab
	Query      RiskQuery
	Method     isms.RiskMethod
	Rows       []RiskRow
	Total      int
	Pager      Pager
	Sort       map[string]SortCol
	People     Picker
	Controls   []ControlGroup
	Treatments []isms.Treatment
	Exports    []ExportLink
	Bands      []string
	CellText   string // the heat-map cell shown, in words
}

// riskBands are the bands of scores, lowest first.
var riskBands = []string{"low", "medium", "high"}

var riskSortCols = [][2]string{{"ref", "Ref"}, {"title", "Title"}, {"score", "Inherent"}, {"residual", "Residual"}, {"owner", "Owner"}, {"treatment", "Treatment"}}

func (h *Handler) risks(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := h.svc.RiskMethod(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.svc.Catalog(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := riskQuery(r.URL.Query())
	people, err := h.ownerPicker(ctx, q.Owner, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := RiskRegister{Tabs: riskTabs("/risks"), Query: q, Method: m, People: people, Controls: controlGroups(c), Treatments: isms.Treatments, Bands: riskBands,
		Sort: sortCols(r, q.Sort, riskSortCols), Exports: exportLinks("/risks/export", q.Values())}
	switch {
	case q.Likelihood > 0 || q.Impact > 0:
		d.CellText = "inherent likelihood " + levelName(m.Likelihood, q.Likelihood) + " × impact " + levelName(m.Impact, q.Impact)
	case q.ResidualLikelihood > 0 || q.ResidualImpact > 0:
		d.CellText = "residual likelihood " + levelName(m.Likelihood, q.ResidualLikelihood) + " × impact " + levelName(m.Impact, q.ResidualImpact)
	}
	v := View{Title: "Risk register", Nav: "risks"}
	f, err := q.filter(m)
	if err != nil {
		v.Data = d
		h.formError(w, r, "risks", v, err)
		return
	}
	items, err := h.registerPage(r, f, &d)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows = riskRows(m, items)
	v.Data = d
	h.render(w, r, http.StatusOK, "risks", v)
}

// registerPage reads the page of the register the request asks for and sets d's total and pager.
func (h *Handler) registerPage(r *http.Request, f service.RiskFilter, d *RiskRegister) ([]isms.Risk, error) {
	ctx := r.Context()
	items, total, p, err := pageByKey(r, func(p service.Page) (service.List[isms.Risk], error) { return h.svc.ListRisks(ctx, f, p) },
		func(sk service.Seek) (service.Keyset[isms.Risk], error) { return h.svc.ListRisksKeyset(ctx, f, sk) })
	d.Total, d.Pager = total, p
	return items, err
}

// pageByKey reads the page of a list the request asks for, with its total and pager. Pages are read by keyset
// (after=, before=) and the pager's links lead on by keyset too, so a deep page costs what the first does; an
// offset= link alone, as older links and bookmarks have it, still reads by offset.
func pageByKey[T any](r *http.Request, byOffset func(service.Page) (service.List[T], error),
	byKey func(service.Seek) (service.Keyset[T], error)) ([]T, int, Pager, error) {
	q, p := r.URL.Query(), page(r)
	after, before := q.Get("after"), q.Get("before")
	if after == "" && before == "" && p.Offset > 0 {
		l, err := byOffset(p)
		return l.Items, l.Total, pager(r, l.Total, l.Limit, l.Offset), err
	}
	l, err := byKey(service.Seek{After: after, Before: before, Limit: p.Limit})
	return l.Items, l.Total, keysetPager(r, l.Total, l.Limit, p.Offset, len(l.Items), l.Prev, l.Next), err
}

// ---- one risk: the new-risk form and the risk's page share the template risk.html

// LibraryEntry is a threat or vulnerability of the library with its suggested controls and the link that
// starts a new risk from it.
type LibraryEntry struct {
	ID, Name, Category, Description, URL string
	Controls                             []ControlRef
	Current                              bool
}

// AssetLink names an asset of a risk.
type AssetLink struct {
	Ref, Name, URL string
}

// ActionRow is a treatment action with its overdue state.
type ActionRow struct {
	isms.TreatmentAction
	Overdue bool
}

func actionRows(today string, actions []isms.TreatmentAction) []ActionRow {
	out := make([]ActionRow, len(actions))
	for i, a := range actions {
		out[i] = ActionRow{TreatmentAction: a, Overdue: a.Overdue(today)}
	}
	return out
}

// HistoryRow is one assessment of a risk with the bands of its scores.
type HistoryRow struct {
	isms.RiskAssessment
	Band, ResidualBand string
}

// Inherent is the inherent score of the assessment with its band.
func (r HistoryRow) Inherent() Score { return Score{r.Score, r.Band} }

// Residual is the residual score of the assessment with its band.
func (r HistoryRow) Residual() Score { return Score{r.ResidualScore, r.ResidualBand} }

// RiskPage is the data of risk.html: the new-risk form (New) or one risk with its edit form.
type RiskPage struct {
	Tabs       []RiskTab
	New        bool
	Risk       service.RiskDetail // as saved now
	Method     isms.RiskMethod
	Likelihood []LevelOption
	Impact     []LevelOption
	Treatments []isms.Treatment
	Statuses   []string
	People     Picker
	Assets     Picker
	Controls   []ControlGroup
	Threats    []LibraryEntry
	Vulns      []LibraryEntry
	// Edit fills the risk form: the saved risk, the library pick or the posted input.
	Edit FormValues
	// Version goes into the forms. After a conflict it is the saved version, so that saving again (after
	// reading what changed) deliberately replaces the other change; otherwise it is the version the user read.
	Version  int
	Conflict bool
	Posted   string // which form failed: "risk", "accept", "action" (add) or the ref of an action

	AssetLinks   []AssetLink
	ControlLinks []ControlRef
	History      []HistoryRow
	Actions      []ActionRow
	Today        string
	CanAccept    bool
	Acceptance   isms.Acceptance // what accepting the risk takes (the service enforces the same rule)
	Warnings     []string        // what looks wrong about the saved risk (isms.Risk.Warnings)
}

// Inherent is the saved risk's inherent score with its band.
func (d RiskPage) Inherent() Score { return Score{d.Risk.Score, d.Risk.Band} }

// Residual is the saved risk's residual score with its band.
func (d RiskPage) Residual() Score { return Score{d.Risk.ResidualScore, d.Risk.ResidualBand} }

// LikelihoodName is "4 Likely" for a likelihood level of the method.
func (d RiskPage) LikelihoodName(n int) string { return levelName(d.Method.Likelihood, n) }

// ImpactName is "5 Severe" for an impact level of the method.
func (d RiskPage) ImpactName(n int) string { return levelName(d.Method.Impact, n) }

// riskForm fills the risk form from a saved risk.
func riskForm(r isms.Risk) FormValues {
	v := url.Values{"title": {r.Title}, "description": {r.Description}, "threat": {r.Threat}, "vulnerability": {r.Vulnerability},
		"owner": {r.Owner}, "treatment": {string(r.Treatment)}, "assets": r.Assets, "controls": r.Controls}
	for k, n := range map[string]int{"likelihood": r.Likelihood, "impact": r.Impact, "residual_likelihood": r.ResidualLikelihood, "residual_impact": r.ResidualImpact} {
		if n > 0 {
			v.Set(k, strconv.Itoa(n))
		}
	}
	return FormValues(v)
}

// riskInput reads the risk form.
func riskInput(f url.Values) service.RiskInput {
	return service.RiskInput{Title: f.Get("title"), Description: f.Get("description"), Assets: splitList(f["assets"]),
		Threat: f.Get("threat"), Vulnerability: f.Get("vulnerability"), Owner: f.Get("owner"),
		Likelihood: formInt(f.Get("likelihood")), Impact: formInt(f.Get("impact")), Treatment: isms.Treatment(f.Get("treatment")),
		Controls: controlIDs(f["controls"]), ResidualLikelihood: formInt(f.Get("residual_likelihood")),
		ResidualImpact: formInt(f.Get("residual_impact")), Note: f.Get("note"), Version: formInt(f.Get("version"))}
}

// riskPage loads what risk.html needs besides the risk itself: the method, the option lists and the library.
func (h *Handler) riskPage(ctx context.Context, q url.Values) (RiskPage, error) {
	d := RiskPage{Tabs: riskTabs(""), Treatments: isms.Treatments, Statuses: isms.ActionStatuses, Today: h.svc.Today()}
	var err error
	if d.Method, err = h.svc.RiskMethod(ctx); err != nil {
		return d, err
	}
	d.Likelihood, d.Impact = levelOptions(d.Method.Likelihood), levelOptions(d.Method.Impact)
	c, err := h.svc.Catalog(ctx)
	if err != nil {
		return d, err
	}
	d.Controls = controlGroups(c)
	if d.People, err = h.peoplePicker(ctx); err != nil {
		return d, err
	}
	if d.Assets, err = h.assetPicker(ctx); err != nil {
		return d, err
	}
	// The library links keep the other pick, so that a threat and a vulnerability can be combined.
	threat, vuln := q.Get("threat"), q.Get("vulnerability")
	link := func(k, id string) string {
		v := url.Values{}
		if threat != "" {
			v.Set("threat", threat)
		}
		if vuln != "" {
			v.Set("vulnerability", vuln)
		}
		if a := q.Get("asset"); a != "" {
			v.Set("asset", a)
		}
		v.Set(k, id)
		return "/risks/new?" + v.Encode()
	}
	entry := func(k string, t catalog.Threat, current string) LibraryEntry {
		e := LibraryEntry{ID: t.ID, Name: t.Name, Category: t.Category, Description: t.Description, URL: link(k, t.ID), Current: t.ID == current}
		for _, id := range t.Controls {
			e.Controls = append(e.Controls, controlRef(c, id))
		}
		return e
	}
	for _, t := range c.Threats() {
		d.Threats = append(d.Threats, entry("threat", t, threat))
	}
	for _, t := range c.Vulnerabilities() {
		d.Vulns = append(d.Vulns, entry("vulnerability", t, vuln))
	}
	return d, nil
}

// prefill starts the new-risk form from the library picks of the query string (service.FromLibrary, which
// AddRisk applies to ids too) and the asset given there. A pick the library does not hold fills nothing.
func (h *Handler) prefill(q url.Values) FormValues {
	in, err := h.svc.FromLibrary(service.RiskInput{Threat: q.Get("threat"), Vulnerability: q.Get("vulnerability")})
	if err != nil {
		in = service.RiskInput{}
	}
	f := url.Values{"treatment": {string(isms.TreatModify)}}
	for k, v := range map[string]string{"title": in.Title, "description": in.Description, "threat": in.Threat, "vulnerability": in.Vulnerability,
		"assets": strings.TrimSpace(q.Get("asset"))} {
		if v != "" {
			f.Set(k, v)
		}
	}
	if len(in.Controls) > 0 {
		f["controls"] = in.Controls
	}
	return FormValues(f)
}

func (h *Handler) newRisk(w http.ResponseWriter, r *http.Request) {
	d, err := h.riskPage(r.Context(), r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.New, d.Tabs = true, riskTabs("/risks")
	d.Edit = h.prefill(r.URL.Query())
	h.render(w, r, http.StatusOK, "risk", View{Title: "New risk", Nav: "risks", Data: d})
}

func (h *Handler) addRisk(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var risk service.RiskResult
	if err == nil {
		risk, err = h.svc.AddRisk(r.Context(), riskInput(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		d, lerr := h.riskPage(r.Context(), url.Values{})
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		d.New, d.Tabs, d.Posted, d.Edit = true, riskTabs("/risks"), "risk", FormValues(r.PostForm)
		h.formError(w, r, "risk", View{Title: "New risk", Nav: "risks", Data: d}, err)
		return
	}
	h.redirect(w, r, "/risks/"+url.PathEscape(risk.Ref), withWarnings(risk.Ref+" "+risk.Title+" is added to the register.", risk.Warnings))
}

// loadRisk fills the page of one saved risk.
func (h *Handler) loadRisk(r *http.Request, ref string) (RiskPage, error) {
	ctx := r.Context()
	d, err := h.riskPage(ctx, url.Values{})
	if err != nil {
		return d, err
	}
	if d.Risk, err = h.svc.Risk(ctx, ref); err != nil {
		return d, err
	}
	rk := d.Risk.Risk
	d.Version, d.Edit = rk.Version, riskForm(rk)
	// Owners beyond the select's first rows stay selectable, so saving the page never drops them.
	d.People = d.People.Keep(rk.Owner, rk.OwnerName)
	for _, a := range d.Risk.Actions {
		d.People = d.People.Keep(a.Owner, a.OwnerName)
	}
	c, err := h.svc.Catalog(ctx)
	if err != nil {
		return d, err
	}
	for _, id := range rk.Controls {
		d.ControlLinks = append(d.ControlLinks, controlRef(c, id))
	}
	names := map[string]string{}
	for _, o := range d.Assets.Options {
		names[o.Value] = strings.TrimPrefix(o.Label, o.Value+" ")
	}
	for _, a := range rk.Assets {
		name, ok := names[a]
		if !ok && d.Assets.Search { // not in the option list: look it up
			if asset, err := h.svc.Asset(ctx, a); err == nil {
				name = asset.Name
			}
		}
		d.AssetLinks = append(d.AssetLinks, AssetLink{Ref: a, Name: name, URL: "/assets/" + url.PathEscape(a)})
	}
	for _, a := range d.Risk.History {
		// Each assessment is banded under the method it was made under, not today's.
		d.History = append(d.History, HistoryRow{RiskAssessment: a, Band: a.Method.Band(a.Score), ResidualBand: a.Method.Band(a.ResidualScore)})
	}
	d.Actions = actionRows(d.Today, d.Risk.Actions)
	d.Acceptance = d.Method.AcceptanceOf(rk)
	d.Warnings = rk.Warnings()
	d.CanAccept, err = h.svc.MayAccept(ctx, rk)
	return d, err
}

func riskTitle(r isms.Risk) string { return r.Ref + " " + r.Title }

func (h *Handler) risk(w http.ResponseWriter, r *http.Request) {
	d, err := h.loadRisk(r, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "risk", View{Title: riskTitle(d.Risk.Risk), Nav: "risks", Data: d})
}

// riskFormError shows the risk's page again after a form on it failed: posted names the form, whose input is
// kept; after a conflict the forms carry the saved version.
func (h *Handler) riskFormError(w http.ResponseWriter, r *http.Request, ref, posted string, err error) {
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	d, lerr := h.loadRisk(r, ref)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	d.Posted = posted
	if posted == "risk" {
		d.Edit = FormValues(r.PostForm)
		d.Version = formInt(r.PostForm.Get("version"))
	}
	if isms.ErrorKind(err) == isms.KindConflict {
		d.Conflict, d.Version = true, d.Risk.Version
	}
	h.formError(w, r, "risk", View{Title: riskTitle(d.Risk.Risk), Nav: "risks", Data: d}, err)
}

func (h *Handler) updateRisk(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var risk service.RiskResult
	if err == nil {
		risk, err = h.svc.UpdateRisk(r.Context(), ref, riskInput(r.PostForm))
	}
	if err != nil {
		h.riskFormError(w, r, ref, "risk", err)
		return
	}
	h.redirect(w, r, "/risks/"+url.PathEscape(risk.Ref), withWarnings(riskTitle(risk.Risk)+" is saved.", risk.Warnings))
}

// withWarnings adds the warnings of a saved record to the message that confirms it.
func withWarnings(msg string, warnings []string) string {
	for _, w := range warnings {
		msg += " Warning: " + w + "."
	}
	return msg
}

func (h *Handler) acceptRisk(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var risk isms.Risk
	if err == nil {
		risk, err = h.svc.AcceptRisk(r.Context(), ref, service.AcceptRiskInput{Comment: r.PostForm.Get("comment"), Version: formInt(r.PostForm.Get("version"))})
	}
	if err != nil {
		h.riskFormError(w, r, ref, "accept", err)
		return
	}
	h.redirect(w, r, "/risks/"+url.PathEscape(risk.Ref), "The residual risk of "+risk.Ref+" is accepted.")
}

func (h *Handler) deleteRisk(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if err := h.svc.DeleteRisk(r.Context(), ref); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/risks", ref+" is deleted with its history and treatment actions. The audit trail keeps its last state.")
}

// ---- treatment actions

// actionInput reads an action form.
func actionInput(f url.Values) service.ActionInput {
	return service.ActionInput{Title: f.Get("title"), Owner: f.Get("owner"), Due: strings.TrimSpace(f.Get("due")), Status: f.Get("status"),
		Notes: f.Get("notes"), Version: formInt(f.Get("version"))}
}

func (h *Handler) addAction(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var a isms.TreatmentAction
	if err == nil {
		a, err = h.svc.AddAction(r.Context(), ref, actionInput(r.PostForm))
	}
	if err != nil {
		h.riskFormError(w, r, ref, "action", err)
		return
	}
	h.redirect(w, r, "/risks/"+url.PathEscape(ref)+"#actions", a.Ref+" "+a.Title+" is added to the treatment plan.")
}

// updateAction saves an action from the risk's page or the treatment plan (the form's "back" says which).
func (h *Handler) updateAction(w http.ResponseWriter, r *http.Request) {
	h.saveAction(w, r, func(aref string, f url.Values) (isms.TreatmentAction, error) {
		return h.svc.UpdateAction(r.Context(), aref, actionInput(f))
	})
}

// setActionStatus sets only an action's status: its form posts the status and the version, nothing else, so no
// field can be put back to what the page showed when it was loaded.
func (h *Handler) setActionStatus(w http.ResponseWriter, r *http.Request) {
	h.saveAction(w, r, func(aref string, f url.Values) (isms.TreatmentAction, error) {
		return h.svc.SetActionStatus(r.Context(), aref, f.Get("status"), formInt(f.Get("version")))
	})
}

// saveAction runs one of the action forms and returns to the page it came from.
func (h *Handler) saveAction(w http.ResponseWriter, r *http.Request, save func(aref string, f url.Values) (isms.TreatmentAction, error)) {
	ref, aref := r.PathValue("ref"), r.PathValue("action")
	err := parseForm(w, r)
	back := safeNext(r.PostForm.Get("back"))
	if back == "/" {
		back = "/risks/" + url.PathEscape(ref) + "#actions"
	}
	var a isms.TreatmentAction
	if err == nil {
		a, err = save(aref, r.PostForm)
	}
	if err != nil {
		if strings.HasPrefix(back, "/risks/plan") && inputError(err) {
			h.renderPlan(w, r, aref, err)
			return
		}
		h.riskFormError(w, r, ref, aref, err)
		return
	}
	h.redirect(w, r, back, a.Ref+" is saved: "+a.Status+".")
}

// PlanQuery is the treatment plan's filter.
type PlanQuery struct {
	Status, Owner, Search string
	Overdue               bool
}

// Values encodes the filter for links.
func (q PlanQuery) Values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"status": q.Status, "owner": q.Owner, "q": q.Search} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Overdue {
		v.Set("overdue", "1")
	}
	return v
}

// Filtered reports whether any filter is set.
func (q PlanQuery) Filtered() bool { return len(q.Values()) > 0 }

// PlanPage is the data of the treatment plan.
type PlanPage struct {
	Tabs     []RiskTab
	Query    PlanQuery
	Rows     []ActionRow
	Total    int
	Overdue  int // open actions past their due date, whatever the filter
	Pager    Pager
	People   Picker
	Statuses []string
	Today    string
	Posted   string // the action whose form failed
	Back     string // this page with its filters, where the status forms return
	Exports  []ExportLink
}

func (h *Handler) riskPlan(w http.ResponseWriter, r *http.Request) { h.renderPlan(w, r, "", nil) }

// planQuery reads the treatment plan's filter from the query string.
func planQuery(qs url.Values, today string) (PlanQuery, service.ActionFilter) {
	q := PlanQuery{Status: strings.TrimSpace(qs.Get("status")), Owner: strings.TrimSpace(qs.Get("owner")), Search: strings.TrimSpace(qs.Get("q")),
		Overdue: formBool(qs.Get("overdue"))}
	f := service.ActionFilter{Status: q.Status, Owner: q.Owner, Search: q.Search}
	if q.Overdue {
		f.OverdueOn = today
	}
	return q, f
}

// renderPlan shows the treatment plan; with formErr it shows the failed status change of action posted.
func (h *Handler) renderPlan(w http.ResponseWriter, r *http.Request, posted string, formErr error) {
	ctx := r.Context()
	qs := r.URL.Query()
	today := h.svc.Today()
	q, f := planQuery(qs, today)
	d := PlanPage{Tabs: riskTabs("/risks/plan"), Query: q, Statuses: isms.ActionStatuses, Today: today, Posted: posted,
		Back: "/risks/plan" + queryString(qs), Exports: exportLinks("/risks/plan/export", q.Values())}
	var err error
	if d.People, err = h.ownerPicker(ctx, q.Owner, ""); err != nil {
		h.fail(w, r, err)
		return
	}
	v := View{Title: "Risk treatment plan", Nav: "risks"}
	if q.Status != "" && !isms.OneOf(q.Status, isms.ActionStatuses) {
		v.Data = d
		h.formError(w, r, "risk_plan", v, isms.Invalid(isms.FieldError{Field: "status", Message: "must be one of " + strings.Join(isms.ActionStatuses, ", ")}))
		return
	}
	items, total, pg, err := pageByKey(r, func(p service.Page) (service.List[isms.TreatmentAction], error) { return h.svc.ListActions(ctx, f, p) },
		func(sk service.Seek) (service.Keyset[isms.TreatmentAction], error) {
			return h.svc.ListActionsKeyset(ctx, f, sk)
		})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	overdue, err := h.svc.ListActions(ctx, service.ActionFilter{OverdueOn: today}, service.Page{Limit: 1})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Total, d.Overdue, d.Pager = actionRows(today, items), total, overdue.Total, pg
	v.Data = d
	if formErr != nil {
		h.formError(w, r, "risk_plan", v, formErr)
		return
	}
	h.render(w, r, http.StatusOK, "risk_plan", v)
}

// ---- heat maps

// BandRange is the score range of one band of the method.
type BandRange struct {
	Name     string
	From, To int
}

func bandRanges(m isms.RiskMethod) []BandRange {
	return []BandRange{{"low", m.Score(1, 1), m.AcceptanceThreshold}, {"medium", m.AcceptanceThreshold + 1, m.HighThreshold - 1},
		{"high", m.HighThreshold, m.MaxScore()}}
}

// HeatMapPage is the data of the heat-map page.
type HeatMapPage struct {
	Tabs                         []RiskTab
	Method                       isms.RiskMethod
	Bands                        []BandRange
	Inherent, Residual           template.HTML
	InherentTotal, ResidualTotal int
	Unassessed                   int // risks without a residual assessment
}

func (h *Handler) riskHeatMap(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	in, err := h.svc.RiskHeatMap(ctx, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.svc.RiskHeatMap(ctx, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := HeatMapPage{Tabs: riskTabs("/risks/heatmap"), Method: in.Method, Bands: bandRanges(in.Method),
		Inherent: heatMapSVG(in.Method, in.Cells, false), Residual: heatMapSVG(res.Method, res.Cells, true),
		InherentTotal: in.Total, ResidualTotal: res.Total, Unassessed: max(0, in.Total-res.Total)}
	h.render(w, r, http.StatusOK, "risk_heatmap", View{Title: "Risk heat maps", Nav: "risks", Data: d})
}

// ---- import and export (risks and assets share the page and the download)

func (h *Handler) riskImportForm(w http.ResponseWriter, r *http.Request) {
	h.importForm(w, r, "risks")
}

func (h *Handler) importRisks(w http.ResponseWriter, r *http.Request) {
	h.importFile(w, r, "risks", h.svc.ImportRisks, h.svc.PreviewRiskImport)
}

func (h *Handler) exportRisks(w http.ResponseWriter, r *http.Request) {
	m, err := h.svc.RiskMethod(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := riskQuery(r.URL.Query()).filter(m)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format := exportFormat(r)
	h.download(w, r, "risk-register", format, func(w io.Writer) error { return h.svc.ExportRisks(r.Context(), f, format, w) })
}

// exportPlan downloads the treatment plan with the plan page's filter.
func (h *Handler) exportPlan(w http.ResponseWriter, r *http.Request) {
	q, f := planQuery(r.URL.Query(), h.svc.Today())
	if q.Status != "" && !isms.OneOf(q.Status, isms.ActionStatuses) {
		h.fail(w, r, isms.Invalid(isms.FieldError{Field: "status", Message: "must be one of " + strings.Join(isms.ActionStatuses, ", ")}))
		return
	}
	format := exportFormat(r)
	h.download(w, r, "treatment-plan", format, func(w io.Writer) error { return h.svc.ExportActions(r.Context(), f, format, w) })
}

// downloadTypes are the media types of the export formats.
var downloadTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pdf":  "application/pdf",
}

// download streams an export. The service checks access before it writes a byte, and the download headers
// are set only when the first byte comes, so a refused export is an error page, not a broken file.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, name, format string, write func(io.Writer) error) {
	ext := format
	if format == service.FormatCSVExcel {
		ext = "csv"
	}
	h.downloadAs(w, r, name, ext, downloadTypes[ext], write)
}

// downloadAs is download with the file's extension and media type given.
func (h *Handler) downloadAs(w http.ResponseWriter, r *http.Request, name, ext, contentType string, write func(io.Writer) error) {
	a, _ := service.ActorFrom(r.Context())
	file := "praxis-" + name
	if a.OrgSlug != "" {
		file += "-" + a.OrgSlug
	}
	h.sendFile(w, r, file+"."+ext, contentType, write)
}

// sendFile streams a file named filename: an error before its first byte is an error page, after it a broken
// connection.
func (h *Handler) sendFile(w http.ResponseWriter, r *http.Request, filename, contentType string, write func(io.Writer) error) {
	dw := &fileDownload{w: w, filename: filename, contentType: contentType}
	if err := write(dw); err != nil {
		if !dw.started {
			h.fail(w, r, err)
			return
		}
		h.cfg.Logger.Error("export broke off", "file", dw.filename, "err", err)
		panic(http.ErrAbortHandler) // break the connection so that the download fails instead of looking complete
	}
	if !dw.started {
		dw.start()
	}
}

// fileDownload sets the download headers on the first write.
type fileDownload struct {
	w                     http.ResponseWriter
	filename, contentType string
	started               bool
}

func (d *fileDownload) start() {
	d.started = true
	hd := d.w.Header()
	hd.Set("Content-Type", d.contentType)
	hd.Set("Content-Disposition", `attachment; filename="`+d.filename+`"`)
	hd.Set("Cache-Control", "no-store")
	d.w.WriteHeader(http.StatusOK)
}

func (d *fileDownload) Write(p []byte) (int, error) {
	if !d.started {
		d.start()
	}
	return d.w.Write(p)
}
