package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// scopeRoutes registers the ISMS scope (4.3): the page with its edit and approval forms, the approved versions,
// the comparison and the downloads.
func (h *Handler) scopeRoutes() {
	h.mux.HandleFunc("GET /scope", h.scope)
	h.mux.HandleFunc("POST /scope", h.saveScope)
	h.mux.HandleFunc("POST /scope/approve", h.approveScope)
	h.mux.HandleFunc("GET /scope/versions", h.scopeVersions)
	h.mux.HandleFunc("GET /scope/versions/{n}", h.scopeVersion)
	h.mux.HandleFunc("GET /scope/diff", h.scopeDiff)
	h.mux.HandleFunc("GET /scope/export", h.exportScope)
}

// scopeTabs are the scope's own navigation.
func scopeTabs(current string) []CatalogTab {
	tabs := []CatalogTab{{Href: "/scope", Label: "ISMS scope"}, {Href: "/scope/versions", Label: "Approved versions"}, {Href: "/scope/diff", Label: "Compare"}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

// ScopePage is the data of the scope page.
type ScopePage struct {
	Tabs    []CatalogTab
	Scope   service.ScopeView
	Version int // in the edit form: after a conflict the saved version
	Posted  string
	Exports []ExportLink
}

// scopeForm is the scope as its edit form holds it: one list item a line, exclusions as "item: why" lines.
func scopeForm(s isms.Scope) url.Values {
	return url.Values{"statement": {s.Statement}, "units": {strings.Join(s.Units, "\n")}, "locations": {strings.Join(s.Locations, "\n")},
		"systems": {strings.Join(s.Systems, "\n")}, "boundaries": {s.Boundaries}, "exclusions": {isms.ExclusionLines(s.Exclusions)}}
}

func scopeExports(version string) []ExportLink {
	q := ""
	if version != "" {
		q = "&version=" + version
	}
	return []ExportLink{{Format: "PDF", URL: "/scope/export?format=pdf" + q}, {Format: "Markdown", URL: "/scope/export?format=md" + q}}
}

func (h *Handler) scopeView(r *http.Request, posted string) (View, error) {
	sc, err := h.svc.Scope(r.Context())
	if err != nil {
		return View{}, err
	}
	return View{Title: "ISMS scope", Nav: "context", Form: scopeForm(sc.Scope),
		Data: ScopePage{Tabs: scopeTabs("/scope"), Scope: sc, Version: sc.Version, Posted: posted, Exports: scopeExports("")}}, nil
}

func (h *Handler) scope(w http.ResponseWriter, r *http.Request) {
	v, err := h.scopeView(r, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "scope", v)
}

func (h *Handler) saveScope(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	if err == nil {
		f := r.PostForm
		_, err = h.svc.SetScope(r.Context(), service.ScopeInput{Statement: f.Get("statement"), Units: isms.Lines(f.Get("units")),
			Locations: isms.Lines(f.Get("locations")), Systems: isms.Lines(f.Get("systems")), Boundaries: f.Get("boundaries"),
			Exclusions: isms.ParseExclusions(f.Get("exclusions")), Version: formInt(f.Get("version"))})
	}
	if err != nil {
		h.formFailed(w, r, err, "scope", func(r *http.Request) (View, error) { return h.scopeView(r, "edit") }, func(v *View) {
			if isms.ErrorKind(err) != isms.KindConflict { // keep the version read, so that a stale edit stays stale
				d := v.Data.(ScopePage)
				d.Version = formInt(r.PostForm.Get("version"))
				v.Data = d
			}
		})
		return
	}
	h.redirect(w, r, "/scope", "The scope is saved.")
}

func (h *Handler) approveScope(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var ver isms.ApprovedVersion
	if err == nil {
		ver, err = h.svc.ApproveScope(r.Context(), r.PostForm.Get("comment"))
	}
	if err != nil {
		h.formFailed(w, r, err, "scope", func(r *http.Request) (View, error) { return h.scopeView(r, "approve") }, nil)
		return
	}
	h.redirect(w, r, "/scope/versions/"+strconv.Itoa(ver.Number), fmt.Sprintf("The ISMS scope is approved as version %d.", ver.Number))
}

// ScopeVersionsPage lists the approved versions, newest first.
type ScopeVersionsPage struct {
	Tabs     []CatalogTab
	Versions []isms.ApprovedVersion
}

func (h *Handler) scopeVersions(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.ScopeVersions(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "scope_versions", View{Title: "Approved versions of the ISMS scope", Nav: "context",
		Data: ScopeVersionsPage{Tabs: scopeTabs("/scope/versions"), Versions: l}})
}

// ScopeVersionPage is one approved version as it was approved.
type ScopeVersionPage struct {
	Tabs     []CatalogTab
	Version  service.ScopeVersion
	Previous int
	Exports  []ExportLink
}

func (h *Handler) scopeVersion(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		h.fail(w, r, isms.NotFound("There is no approved version %q of the ISMS scope: versions are numbered 1, 2, 3 …", r.PathValue("n")))
		return
	}
	ver, err := h.svc.ScopeVersion(r.Context(), n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "scope_version", View{Title: fmt.Sprintf("ISMS scope version %d", n), Nav: "context",
		Data: ScopeVersionPage{Tabs: scopeTabs(""), Version: ver, Previous: n - 1, Exports: scopeExports(strconv.Itoa(n))}})
}

// ScopeDiffPage compares two scopes.
type ScopeDiffPage struct {
	Tabs     []CatalogTab
	From, To string
	Choices  []Option
	Changes  []isms.ScopeChange
	Compared bool
}

// scopePartNames say the scope's parts in words.
var scopePartNames = map[string]string{"statement": "Scope statement", "units": "Organisational units", "locations": "Locations",
	"systems": "Systems and services", "boundaries": "Boundaries and interfaces", "exclusions": "Exclusions"}

func (h *Handler) scopeDiff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	versions, err := h.svc.ScopeVersions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := ScopeDiffPage{Tabs: scopeTabs("/scope/diff"), From: strings.TrimSpace(r.URL.Query().Get("from")), To: strings.TrimSpace(r.URL.Query().Get("to"))}
	d.Choices = []Option{{Value: service.DraftVersion, Label: "Current draft"}}
	for _, ver := range versions {
		n := strconv.Itoa(ver.Number)
		d.Choices = append(d.Choices, Option{Value: n, Label: "Version " + n + " (" + ver.ApprovedAt.UTC().Format("2006-01-02") + ")"})
	}
	if d.From == "" && d.To == "" && len(versions) > 0 { // what changed since the last approval
		d.From, d.To = strconv.Itoa(versions[0].Number), service.DraftVersion
	}
	v := View{Title: "Compare versions of the ISMS scope", Nav: "context", Data: d}
	if d.From == "" || d.To == "" {
		h.render(w, r, http.StatusOK, "scope_diff", v)
		return
	}
	diff, err := h.svc.DiffScope(ctx, d.From, d.To)
	if err != nil {
		h.formError(w, r, "scope_diff", v, err)
		return
	}
	d.Compared = true
	for _, c := range diff.Changes {
		c.Field = scopePartNames[c.Field]
		d.Changes = append(d.Changes, c)
	}
	v.Data = d
	h.render(w, r, http.StatusOK, "scope_diff", v)
}

func (h *Handler) exportScope(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format, version := strings.ToLower(strings.TrimSpace(q.Get("format"))), strings.TrimSpace(q.Get("version"))
	ext, media := service.SoAFileType(format)
	if strings.HasPrefix(media, "text/") {
		media += "; charset=utf-8"
	}
	name := "scope-draft"
	if version != "" && version != service.DraftVersion {
		name = "scope-v" + version
	}
	h.downloadAs(w, r, name, ext, media, func(w io.Writer) error { return h.svc.ExportScope(r.Context(), version, format, w) })
}
