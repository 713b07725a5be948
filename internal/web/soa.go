package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// soaRoutes registers the Statement of Applicability: the table of the 93 entries with their filters, the edit
// of one entry (in place on the table, or on the entry's page), the bulk edit of a selection, the approval, the
// approved versions, the comparison of two SoAs and the downloads.
func (h *Handler) soaRoutes() {
	h.mux.HandleFunc("GET /soa", h.soa)
	h.mux.HandleFunc("POST /soa/bulk", h.bulkSoA)
	h.mux.HandleFunc("POST /soa/approve", h.approveSoA)
	h.mux.HandleFunc("GET /soa/versions", h.soaVersions)
	h.mux.HandleFunc("GET /soa/versions/{n}", h.soaVersion)
	h.mux.HandleFunc("GET /soa/diff", h.soaDiff)
	h.mux.HandleFunc("GET /soa/export", h.exportSoA)
	h.mux.HandleFunc("GET /soa/{control}", h.soaEntry)
	h.mux.HandleFunc("POST /soa/{control}", h.saveSoAEntry)
}

// soaTabs are the SoA's own navigation.
func soaTabs(current string) []CatalogTab {
	tabs := []CatalogTab{
		{Href: "/soa", Label: "Statement of Applicability"},
		{Href: "/soa/versions", Label: "Approved versions"},
		{Href: "/soa/diff", Label: "Compare"},
		{Href: "/transition", Label: "Transition from 2013"},
	}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

// soaStatusOptions and soaReasonOptions name the statuses and the reasons a user may choose, in words.
func soaStatusOptions() []Option {
	out := make([]Option, len(isms.SoAStatuses))
	for i, s := range isms.SoAStatuses {
		out[i] = Option{Value: s, Label: isms.SoAStatusNames[s]}
	}
	return out
}

func soaReasonOptions() []Option {
	var out []Option
	for _, r := range isms.SoAReasons {
		if r != isms.ReasonRisk { // derived from the risk register, never chosen
			out = append(out, Option{Value: r, Label: isms.SoAReasonNames[r]})
		}
	}
	return out
}

var soaApplicableOptions = []Option{{"yes", "Applicable"}, {"no", "Not applicable"}, {"undecided", "Undecided"}}

// soaShort is the first words of a justification, cut at a space, for the table (the entry shows it whole).
func soaShort(s string) string {
	const limit = 140
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	cut := string([]rune(s)[:limit])
	if i := strings.LastIndexByte(cut, ' '); i > limit/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// soaEntryURL is the page of one entry.
func soaEntryURL(control string) string { return "/soa/" + url.PathEscape(control) }

// SoARow is one entry of the table, with what the page shows of it.
type SoARow struct {
	isms.SoAEntry
	URL        string   // the entry's page
	ControlURL string   // the control's guidance in the catalog
	Reasons    []string // every reason in words, "Risk treatment" first when risks link the control
	Short      string   // the justification, shortened
	Issues     []isms.SoAIssue
	Form       SoAForm

	Docs []service.DocumentLink // the documents that serve the control
}

// soaReasonWords says the reasons of an entry in words.
func soaReasonWords(e isms.SoAEntry) []string {
	var out []string
	for _, r := range e.AllReasons() {
		out = append(out, isms.SoAReasonNames[r])
	}
	return out
}

// SoAForm is the edit form of one entry, on the table or on the entry's page.
type SoAForm struct {
	Control string
	Action  string
	Back    string // where a save returns
	Version int    // the version the user read; after a conflict the saved one (saving again replaces it)
	Values  FormValues
	Risks   []string // derived: shown, never edited
	Owner   PickerField
	// OwnerList names the page's shared list of people (a datalist) when the owner is a text field over it.
	OwnerList string
	Statuses  []Option
	Reasons   []Option
	Applic    []Option
	// Errors, Error and Conflict are set on the form that was posted and refused.
	Errors   map[string]string
	Error    string
	Conflict bool
}

// soaRisksShown is how many risk links a row and its form show; the rest is one link to the risks of the control.
const soaRisksShown = 10

// ShownRisks are the first risks of the form's control, linked one by one.
func (f SoAForm) ShownRisks() []string { return f.Risks[:min(len(f.Risks), soaRisksShown)] }

// MoreRisks is how many risks of the control ShownRisks leaves out.
func (f SoAForm) MoreRisks() int { return max(0, len(f.Risks)-soaRisksShown) }

// Err is the error of one field of the form.
func (f SoAForm) Err(field string) string { return f.Errors[field] }

// soaFormValues fills the edit form from a saved entry.
func soaFormValues(e isms.SoAEntry) FormValues {
	return FormValues(url.Values{"applicable": {e.Applicability()}, "justification": {e.Justification}, "reasons": e.Reasons,
		"status": {e.Status}, "owner": {e.Owner}, "notes": {e.Notes}})
}

// soaOwnerList is the id of the one list of people that the table's row forms share: a select in each of 93 rows
// would repeat every person 93 times (megabytes, and most of the page's time, with a few hundred people).
const soaOwnerList = "soa-owners"

// soaForm builds the form of entry e; people is the page's owner picker. shared (the table's rows) makes the
// owner a text field over the page's shared list when the picker is a list.
func soaForm(e isms.SoAEntry, people Picker, back string, shared bool) SoAForm {
	f := SoAForm{Control: e.Control, Action: soaEntryURL(e.Control), Back: back, Version: e.Version, Values: soaFormValues(e),
		Risks: e.Risks, Statuses: soaStatusOptions(), Reasons: soaReasonOptions(), Applic: soaApplicableOptions}
	if shared && !people.Search {
		f.OwnerList = soaOwnerList
		f.Owner = PickerField{ID: "owner-" + e.Control, Name: "owner", Value: e.Owner}
	} else {
		f.Owner = people.Keep(e.Owner, e.OwnerName).Field("owner-"+e.Control, "owner", e.Owner, "nobody")
	}
	return f
}

// refused marks the form as the one the user posted: their input kept, the errors of err beside the fields, and
// after a conflict the saved version, so that saving again deliberately replaces the other change.
func (f *SoAForm) refused(posted url.Values, saved isms.SoAEntry, err error) {
	f.Values = FormValues(posted)
	f.Version = formInt(posted.Get("version"))
	f.Owner.Value = posted.Get("owner")
	f.Errors = map[string]string{}
	if e, ok := isms.AsError(err); ok {
		for _, fe := range e.Fields {
			f.Errors[fe.Field] = fe.Message
		}
		if len(e.Fields) == 0 {
			f.Error = e.Msg
		} else {
			f.Error = "Not saved: " + strings.Join(fieldMessages(e.Fields), "; ") + "."
		}
		if e.Kind == isms.KindConflict {
			f.Conflict, f.Version = true, saved.Version
		}
	}
}

func fieldMessages(fields []isms.FieldError) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Field + " " + f.Message
	}
	return out
}

// soaInput reads an edit form into the partial change: only the fields the form holds are sent (Sent). The
// reasons are check boxes, which a browser leaves out when none is ticked: the form marks that it holds them
// with reasons_sent. With keepEmpty false (the bulk form) an empty field means "leave it" and is not sent.
func soaInput(f url.Values, keepEmpty bool) (service.SoAInput, error) {
	in := service.SoAInput{Sent: service.Sent{}, Version: formInt(f.Get("version"))}
	text := func(k string, to *string) {
		if _, ok := f[k]; ok && (keepEmpty || strings.TrimSpace(f.Get(k)) != "") {
			*to, in.Sent[k] = f.Get(k), true
		}
	}
	var applicable string
	text("applicable", &applicable)
	text("justification", &in.Justification)
	text("status", &in.Status)
	text("owner", &in.Owner)
	text("notes", &in.Notes)
	if in.Sent["applicable"] {
		a, ok := isms.ParseApplicable(applicable)
		if !ok {
			return in, isms.Invalid(isms.FieldError{Field: "applicable", Message: fmt.Sprintf("%q is not yes, no or undecided", applicable)})
		}
		in.Applicable = a
	}
	if r := splitList(f["reasons"]); len(r) > 0 || (keepEmpty && formBool(f.Get("reasons_sent"))) {
		in.Reasons, in.Sent["reasons"] = r, true
		if in.Reasons == nil {
			in.Reasons = []string{}
		}
	}
	if f.Has("version") {
		in.Sent["version"] = true
	}
	return in, nil
}

// ---- the SoA page

// SoAQuery is the table's filter, as the query string holds it.
type SoAQuery struct {
	Theme, Status, Applicable, Owner string
	Attrs                            []CatalogAttrSelect
}

// SoAIssueGroup is what stops one entry from being approved.
type SoAIssueGroup struct {
	Control, Title, URL string
	Contradictory       bool
	Messages            []string
}

// SoAPage is the data of the SoA page.
type SoAPage struct {
	Tabs        []CatalogTab
	Summary     isms.SoASummary
	Issues      []SoAIssueGroup
	Rows        []SoARow
	Query       SoAQuery
	Filtered    bool
	Themes      []Option
	Statuses    []Option
	Reasons     []Option
	Applic      []Option
	People      Picker
	Owner       PickerField // the owner filter
	BulkOwner   PickerField
	Latest      *isms.SoAVersion // the last approved version, nil before the first approval
	LastVersion int
	CanEdit     bool
	CanApprove  bool
	ApproveWhy  string // why the approve button is disabled, "" when it is not
	Back        string // this page with its filter: where the forms return
	Exports     []ExportLink
	// Bulk is the bulk form's input after a refusal, BulkProblems what was refused, control by control.
	Bulk         FormValues
	BulkProblems []isms.FieldError
	Comment      string // the approval comment, kept after a refusal
}

// soaQuery reads the filter from q. Theme and attributes are read (and their bad values named) as the catalog
// page reads them; the service checks the whole filter.
func soaQuery(c *catalog.Catalog, q url.Values) (SoAQuery, service.SoAFilter, isms.Problems) {
	var d CatalogList
	attrs := url.Values{"theme": q["theme"]}
	for _, k := range catalog.AttributeKeys() {
		attrs[k] = q[k]
	}
	cf, problems := catalogListFilter(c, attrs, &d)
	sq := SoAQuery{Theme: d.Theme, Attrs: d.Attrs, Status: strings.TrimSpace(q.Get("status")),
		Applicable: strings.TrimSpace(q.Get("applicable")), Owner: strings.TrimSpace(q.Get("owner"))}
	f := service.SoAFilter{Theme: cf.Theme, Status: sq.Status, Applicable: sq.Applicable, Owner: sq.Owner}
	for k, vs := range cf.Attrs {
		for _, v := range vs {
			f.Attrs = append(f.Attrs, k+"="+v)
		}
	}
	slices.Sort(f.Attrs)
	return sq, f, problems
}

// Values encodes the filter for links.
func (q SoAQuery) Values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"theme": q.Theme, "status": q.Status, "applicable": q.Applicable, "owner": q.Owner} {
		if s != "" {
			v.Set(k, s)
		}
	}
	for _, a := range q.Attrs {
		if a.Selected != "" {
			v[a.Key] = append([]string{a.Selected}, a.Extra...)
		}
	}
	return v
}

func (h *Handler) soa(w http.ResponseWriter, r *http.Request) {
	h.renderSoA(w, r, r.URL.Query(), "", nil)
}

// renderSoA shows the SoA page filtered by q. After a refused save, posted names the form ("bulk", "approve" or
// a control) whose input is kept and err says why.
func (h *Handler) renderSoA(w http.ResponseWriter, r *http.Request, q url.Values, posted string, formErr error) {
	ctx := r.Context()
	c, err := h.svc.Catalog(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sq, f, problems := soaQuery(c, q)
	d := SoAPage{Tabs: soaTabs("/soa"), Query: sq, Statuses: soaStatusOptions(), Reasons: soaReasonOptions(), Applic: soaApplicableOptions,
		Back: "/soa" + queryString(sq.Values())}
	for _, t := range c.Themes() {
		d.Themes = append(d.Themes, Option{Value: t, Label: catalogTitleCase(t)})
	}
	a, _ := service.ActorFrom(ctx)
	d.CanEdit = a.Role.Can(isms.PermWriteContent)
	if d.People, err = h.peoplePicker(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Owner = d.People.Field("f-owner", "owner", sq.Owner, "anyone")
	v := View{Title: "Statement of Applicability", Nav: "soa"}
	all, err := h.svc.SoA(ctx, service.SoAFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Summary, d.LastVersion = all.Summary, all.LastVersion
	d.Issues = soaIssueGroups(all.Entries, all.Issues)
	shown := all.Entries
	if len(problems) == 0 && len(sq.Values()) > 0 {
		l, err := h.svc.SoA(ctx, f)
		if e, ok := isms.AsError(err); ok && e.Kind == isms.KindInvalid {
			problems = append(problems, e.Fields...)
		} else if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Filtered, shown = err == nil, l.Entries
		if err != nil {
			shown = all.Entries
		}
	}
	if len(problems) > 0 {
		v.Errors = map[string]string{}
		for _, p := range problems {
			v.Errors[p.Field] = p.Message
		}
		v.Error = "The filter was not applied: " + strings.Join(fieldMessages(problems), "; ") + "."
	}
	issues := map[string][]isms.SoAIssue{}
	for _, is := range all.Issues {
		issues[is.Control] = append(issues[is.Control], is)
	}
	docs, err := h.svc.DocumentsByControl(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, e := range shown {
		d.Rows = append(d.Rows, SoARow{SoAEntry: e, URL: soaEntryURL(e.Control), ControlURL: "/catalog/controls/" + e.Control,
			Reasons: soaReasonWords(e), Short: soaShort(e.Justification), Issues: issues[e.Control], Form: soaForm(e, d.People, d.Back, true),
			Docs: docs[e.Control]})
	}
	d.BulkOwner = d.People.Field("bulk-owner", "owner", "", "leave as it is")
	if d.LastVersion > 0 {
		versions, err := h.svc.SoAVersions(ctx) // newest first, without their entries
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(versions) > 0 {
			d.Latest = &versions[0]
		}
	}
	d.CanApprove, d.ApproveWhy = soaMayApprove(a, d.Summary)
	d.Exports = soaExportLinks(0)
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if formErr != nil {
		status = isms.HTTPStatus(formErr)
		switch posted {
		case "bulk":
			d.Bulk = FormValues(r.PostForm)
			d.BulkOwner.Value = r.PostForm.Get("owner")
			if e, ok := isms.AsError(formErr); ok {
				d.BulkProblems = e.Fields
				v.Error = "Nothing was changed: " + e.Msg
				if len(e.Fields) > 0 {
					v.Error = "Nothing was changed: the selection was refused for the reasons listed at the bulk edit."
				}
			}
		case "approve":
			d.Comment = r.PostForm.Get("comment")
			v.Error = "Not approved: " + formErr.Error()
			if e, ok := isms.AsError(formErr); ok && len(e.Fields) > 0 {
				v.Error = fmt.Sprintf("Not approved: %d %s the approval (listed below).", len(e.Fields), plural(len(e.Fields), "issue stops", "issues stop"))
			}
		default:
			for i := range d.Rows {
				if d.Rows[i].Control == posted {
					saved := d.Rows[i].SoAEntry
					d.Rows[i].Form.refused(r.PostForm, saved, formErr)
					v.Error = "The entry of " + posted + " was not saved: see the form below the control."
				}
			}
		}
	}
	v.Data = d
	h.render(w, r, status, "soa", v)
}

// soaMayApprove says whether a the caller may approve the SoA now and, when not, why (the service decides).
func soaMayApprove(a service.Actor, s isms.SoASummary) (bool, string) {
	switch {
	case !a.Approver:
		return false, "Only an approver can approve the Statement of Applicability. An owner of the organisation can make a member an approver on the Members page."
	case s.Incomplete+s.Contradictory > 0:
		return false, fmt.Sprintf("%d %s incomplete or contradictory: complete %s first (listed above).", s.Incomplete+s.Contradictory,
			plural(s.Incomplete+s.Contradictory, "entry is", "entries are"), plural(s.Incomplete+s.Contradictory, "it", "them"))
	}
	return true, ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// soaIssueGroups gathers the issues per control, in the catalog's order.
func soaIssueGroups(entries []isms.SoAEntry, issues []isms.SoAIssue) []SoAIssueGroup {
	titles := map[string]string{}
	for _, e := range entries {
		titles[e.Control] = e.Title
	}
	var out []SoAIssueGroup
	for _, is := range issues {
		if n := len(out); n == 0 || out[n-1].Control != is.Control {
			out = append(out, SoAIssueGroup{Control: is.Control, Title: titles[is.Control], URL: soaEntryURL(is.Control)})
		}
		g := &out[len(out)-1]
		g.Messages = append(g.Messages, is.Message)
		g.Contradictory = g.Contradictory || is.Kind == "contradictory"
	}
	return out
}

// ---- one entry

// SoAEntryPage is the data of an entry's page.
type SoAEntryPage struct {
	Tabs       []CatalogTab
	Row        SoARow
	CanEdit    bool
	ControlURL string
}

func (h *Handler) soaEntry(w http.ResponseWriter, r *http.Request) {
	h.renderSoAEntry(w, r, r.PathValue("control"), nil)
}

func (h *Handler) renderSoAEntry(w http.ResponseWriter, r *http.Request, control string, formErr error) {
	ctx := r.Context()
	e, err := h.svc.SoAEntry(ctx, control)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if e.Control != control && formErr == nil { // "A.8.28": one address per entry
		http.Redirect(w, r, soaEntryURL(e.Control), http.StatusMovedPermanently)
		return
	}
	people, err := h.peoplePicker(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	docs, err := h.svc.DocumentsByControl(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, _ := service.ActorFrom(ctx)
	_, issues := isms.Summarise([]isms.SoAEntry{e})
	d := SoAEntryPage{Tabs: soaTabs(""), CanEdit: a.Role.Can(isms.PermWriteContent),
		Row: SoARow{SoAEntry: e, URL: soaEntryURL(e.Control), ControlURL: "/catalog/controls/" + e.Control, Reasons: soaReasonWords(e),
			Short: soaShort(e.Justification), Issues: issues, Form: soaForm(e, people, soaEntryURL(e.Control), false), Docs: docs[e.Control]}}
	v := View{Title: "SoA " + e.Control + " " + e.Title, Nav: "soa"}
	status := http.StatusOK
	if formErr != nil {
		d.Row.Form.refused(r.PostForm, e, formErr)
		status = isms.HTTPStatus(formErr)
		v.Error = "Not saved: see the form below."
	}
	v.Data = d
	h.render(w, r, status, "soa_entry", v)
}

// saveSoAEntry saves the edit form of one entry and returns to where it was posted from: the table (with its
// filter), the transition workspace or the entry's page. A refused save shows that page again with the input
// kept.
func (h *Handler) saveSoAEntry(w http.ResponseWriter, r *http.Request) {
	control := r.PathValue("control")
	err := parseForm(w, r)
	back := safeNext(r.PostForm.Get("back"))
	if back == "/" {
		back = soaEntryURL(control)
	}
	var e isms.SoAEntry
	var in service.SoAInput
	if err == nil {
		in, err = soaInput(r.PostForm, true)
	}
	if err == nil {
		e, err = h.svc.SetSoAEntry(r.Context(), control, in)
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		switch u, perr := url.Parse(back); {
		case perr == nil && u.Path == "/soa":
			h.renderSoA(w, r, u.Query(), control, err)
		case perr == nil && u.Path == "/transition":
			h.renderTransition(w, r, control, err)
		default:
			h.renderSoAEntry(w, r, control, err)
		}
		return
	}
	if strings.HasPrefix(back, "/soa?") || back == "/soa" {
		back += "#c-" + e.Control
	}
	h.redirect(w, r, back, "The entry of "+e.Control+" "+e.Title+" is saved.")
}

// ---- bulk edit

// bulkSoA applies the bulk form to the selected controls (or to every control the table showed): all or nothing.
func (h *Handler) bulkSoA(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	back := safeNext(r.PostForm.Get("back"))
	if !strings.HasPrefix(back, "/soa") {
		back = "/soa"
	}
	controls := r.PostForm["control"]
	if formBool(r.PostForm.Get("all_shown")) {
		controls = r.PostForm["shown"]
	}
	var changed []isms.SoAEntry
	var set service.SoAInput
	if err == nil {
		set, err = soaInput(r.PostForm, false)
	}
	if err == nil {
		if len(controls) == 0 {
			err = isms.Invalid(isms.FieldError{Field: "controls", Message: "none selected: tick the controls to change, or “select all shown”"})
		} else {
			changed, err = h.svc.BulkSetSoA(r.Context(), service.BulkSoAInput{Controls: controls, Set: set, Versions: shownVersions(r.PostForm, controls)})
		}
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		u, _ := url.Parse(back)
		h.renderSoA(w, r, u.Query(), "bulk", err)
		return
	}
	n := len(changed)
	h.redirect(w, r, back, fmt.Sprintf("%d %s changed.", n, plural(n, "entry is", "entries are")))
}

// shownVersions are the versions the page showed of the selected controls (hidden "version-8.28" fields), so
// that a bulk change made on a stale page is refused instead of overwriting someone else's edit.
func shownVersions(form url.Values, controls []string) map[string]int {
	out := map[string]int{}
	for _, c := range controls {
		if v, err := strconv.Atoi(form.Get("version-" + c)); err == nil {
			out[c] = v
		}
	}
	return out
}

// ---- approval and versions

func (h *Handler) approveSoA(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var ver isms.SoAVersion
	if err == nil {
		ver, err = h.svc.ApproveSoA(r.Context(), r.PostForm.Get("comment"))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		h.renderSoA(w, r, url.Values{}, "approve", err)
		return
	}
	h.redirect(w, r, "/soa/versions/"+strconv.Itoa(ver.Number), fmt.Sprintf("The Statement of Applicability is approved as version %d.", ver.Number))
}

// SoAVersionsPage is the data of the list of approved versions.
type SoAVersionsPage struct {
	Tabs     []CatalogTab
	Versions []isms.SoAVersion // newest first
}

func (h *Handler) soaVersions(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.SoAVersions(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "soa_versions", View{Title: "Approved versions of the SoA", Nav: "soa", Data: SoAVersionsPage{Tabs: soaTabs("/soa/versions"), Versions: l}})
}

// SoAVersionPage is the data of one approved version.
type SoAVersionPage struct {
	Tabs     []CatalogTab
	Version  isms.SoAVersion
	Rows     []SoARow
	Previous int // the version before, 0 for the first
	Exports  []ExportLink
}

func (h *Handler) soaVersion(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		h.fail(w, r, isms.NotFound("There is no approved version %q of the Statement of Applicability: versions are numbered 1, 2, 3 …", r.PathValue("n")))
		return
	}
	ver, err := h.svc.SoAVersion(r.Context(), n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := SoAVersionPage{Tabs: soaTabs(""), Version: ver, Previous: n - 1, Exports: soaExportLinks(n)}
	for _, e := range ver.Entries {
		d.Rows = append(d.Rows, SoARow{SoAEntry: e, ControlURL: "/catalog/controls/" + e.Control, Reasons: soaReasonWords(e)})
	}
	h.render(w, r, http.StatusOK, "soa_version", View{Title: fmt.Sprintf("SoA version %d", n), Nav: "soa", Data: d})
}

// SoADiffField is one field of one control before and after.
type SoADiffField struct {
	Field, Before, After string
}

// SoADiffControl is one control that changed, with its changed fields.
type SoADiffControl struct {
	Control, Title, URL string
	Fields              []SoADiffField
}

// SoADiffPage is the data of the comparison of two SoAs.
type SoADiffPage struct {
	Tabs     []CatalogTab
	From, To string   // a version number or "draft"
	Choices  []Option // the versions and the draft
	Controls []SoADiffControl
	Changes  int
}

// soaDiffFieldNames says the compared fields in words.
var soaDiffFieldNames = map[string]string{"applicable": "Applicable", "justification": "Justification", "reasons": "Reasons",
	"status": "Status", "owner": "Owner", "notes": "Notes", "risks": "Risks"}

// soaDiffValue shows a compared value in words.
func soaDiffValue(field, v string) string {
	switch field {
	case "status":
		if n, ok := isms.SoAStatusNames[v]; ok {
			return n
		}
	case "reasons":
		var words []string
		for _, r := range strings.Split(v, ", ") {
			if n, ok := isms.SoAReasonNames[r]; ok {
				words = append(words, n)
			}
		}
		return strings.Join(words, ", ")
	}
	return v
}

func (h *Handler) soaDiff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	versions, err := h.svc.SoAVersions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := SoADiffPage{Tabs: soaTabs("/soa/diff"), From: strings.TrimSpace(r.URL.Query().Get("from")), To: strings.TrimSpace(r.URL.Query().Get("to"))}
	d.Choices = []Option{{Value: service.SoADraft, Label: "Current draft"}}
	for _, ver := range versions { // newest first
		n := strconv.Itoa(ver.Number)
		d.Choices = append(d.Choices, Option{Value: n, Label: "Version " + n + " (" + ver.ApprovedAt.UTC().Format("2006-01-02") + ")"})
	}
	if d.From == "" && d.To == "" && len(versions) > 0 { // the natural question: what changed since the last approval
		d.From, d.To = strconv.Itoa(versions[0].Number), service.SoADraft
	}
	v := View{Title: "Compare SoA versions", Nav: "soa"}
	if d.From == "" || d.To == "" {
		v.Data = d
		h.render(w, r, http.StatusOK, "soa_diff", v)
		return
	}
	diff, err := h.svc.DiffSoA(ctx, d.From, d.To)
	if err != nil {
		v.Data = d
		h.formError(w, r, "soa_diff", v, err)
		return
	}
	d.Changes = len(diff.Changes)
	for _, ch := range diff.Changes {
		if n := len(d.Controls); n == 0 || d.Controls[n-1].Control != ch.Control {
			d.Controls = append(d.Controls, SoADiffControl{Control: ch.Control, Title: ch.Title, URL: soaEntryURL(ch.Control)})
		}
		c := &d.Controls[len(d.Controls)-1]
		c.Fields = append(c.Fields, SoADiffField{Field: soaDiffFieldNames[ch.Field], Before: soaDiffValue(ch.Field, ch.Before), After: soaDiffValue(ch.Field, ch.After)})
	}
	v.Title = "Compare SoA " + soaSideName(d.From) + " with " + soaSideName(d.To)
	v.Data = d
	h.render(w, r, http.StatusOK, "soa_diff", v)
}

// soaSideName names one side of a comparison in words.
func soaSideName(s string) string {
	if s == "draft" {
		return "the draft"
	}
	return "version " + s
}

// ---- downloads

// soaExportFormats are the downloads of an SoA, in the order offered.
var soaExportFormats = []Option{{"xlsx", "XLSX"}, {"pdf", "PDF"}, {"csv", "CSV"}, {"csv-excel", "CSV for Excel"}, {"md", "Markdown"}, {"oscal", "OSCAL JSON"}}

// soaExportLinks are the downloads of the draft (version 0) or of an approved version.
func soaExportLinks(version int) []ExportLink {
	var out []ExportLink
	for _, f := range soaExportFormats {
		q := url.Values{"format": {f.Value}}
		if version > 0 {
			q.Set("version", strconv.Itoa(version))
		}
		out = append(out, ExportLink{Format: f.Label, URL: "/soa/export?" + q.Encode()})
	}
	return out
}

// StatusName is the entry's implementation status in words.
func (r SoARow) StatusName() string { return isms.SoAStatusNames[r.Status] }

// exportSoA downloads the draft or an approved version (?version=N) in ?format=.
func (h *Handler) exportSoA(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := strings.ToLower(strings.TrimSpace(q.Get("format")))
	var version *int
	if s := strings.TrimSpace(q.Get("version")); s != "" && s != service.SoADraft {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			h.fail(w, r, isms.Invalid(isms.FieldError{Field: "version", Message: fmt.Sprintf("%q is not a version number", s)}))
			return
		}
		version = &n
	}
	ext, media := service.SoAFileType(format)
	if strings.HasPrefix(media, "text/") {
		media += "; charset=utf-8"
	}
	h.downloadAs(w, r, service.SoAExportName(version), ext, media, func(w io.Writer) error { return h.svc.ExportSoA(r.Context(), version, format, w) })
}
