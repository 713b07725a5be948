package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// contextRoutes registers clause 4: the issues (4.1) and the interested parties with their requirements (4.2).
// The scope (4.3) is in scope.go.
func (h *Handler) contextRoutes() {
	h.mux.HandleFunc("GET /issues", h.issues)
	h.mux.HandleFunc("POST /issues", h.addIssue)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /issues/export."+f, h.exportIssues)
		h.mux.HandleFunc("GET /parties/export."+f, h.exportParties)
	}
	h.mux.HandleFunc("GET /issues/{ref}", h.issue)
	h.mux.HandleFunc("POST /issues/{ref}", h.updateIssue)
	h.mux.HandleFunc("POST /issues/{ref}/delete", h.deleteIssue)
	h.mux.HandleFunc("GET /parties", h.parties)
	h.mux.HandleFunc("POST /parties", h.addParty)
	h.mux.HandleFunc("GET /parties/{ref}", h.party)
	h.mux.HandleFunc("POST /parties/{ref}", h.updateParty)
	h.mux.HandleFunc("POST /parties/{ref}/delete", h.deleteParty)
	h.mux.HandleFunc("POST /parties/{ref}/requirements", h.addRequirement)
	h.mux.HandleFunc("POST /requirements/{ref}/delete", h.deleteRequirement)
	h.scopeRoutes()
}

// IssuesPage is the data of the issues page.
type IssuesPage struct {
	List     service.List[isms.Issue]
	Pager    Pager
	Filter   service.IssueFilter
	Filtered bool
	Kinds    []string
	People   Picker
	Posted   bool // the add form was posted and failed
	Exports  []ExportLink
}

func (h *Handler) issuesView(r *http.Request) (View, error) {
	f, err := service.IssueRegister.Parse("q", r.URL.Query().Get)
	if err != nil {
		return View{}, err
	}
	l, err := h.svc.ListIssues(r.Context(), f, page(r))
	if err != nil {
		return View{}, err
	}
	people, err := h.peoplePicker(r.Context())
	if err != nil {
		return View{}, err
	}
	return View{Title: "Internal and external issues", Nav: "context", Data: IssuesPage{List: l, Pager: pager(r, l.Total, l.Limit, l.Offset),
		Filter: f, Filtered: service.IssueRegister.Filtered(f), Kinds: isms.IssueKinds, People: people,
		Exports: registerExports("/issues/export", service.IssueRegister.Values("q", f))}}, nil
}

// registerExports are the download links of a register list with its filter q.
func registerExports(base string, q url.Values) []ExportLink {
	var out []ExportLink
	for _, f := range []string{"csv", "xlsx", "pdf"} {
		u := base + "." + f
		if s := q.Encode(); s != "" {
			u += "?" + s
		}
		out = append(out, ExportLink{Format: strings.ToUpper(f), URL: u})
	}
	return out
}

func (h *Handler) issues(w http.ResponseWriter, r *http.Request) {
	v, err := h.issuesView(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "issues", v)
}

func (h *Handler) addIssue(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var i isms.Issue
	if err == nil {
		i, err = h.svc.AddIssue(r.Context(), formInput[service.IssueInput](r.PostForm))
	}
	if err != nil {
		h.formFailed(w, r, err, "issues", h.issuesView, func(v *View) { d := v.Data.(IssuesPage); d.Posted = true; v.Data = d })
		return
	}
	h.redirect(w, r, "/issues/"+url.PathEscape(i.Ref), i.Ref+" "+i.Title+" is added.")
}

// formFailed answers a form whose input was refused with its page (built by view, changed by mark) showing the
// errors; any other error is the error page.
func (h *Handler) formFailed(w http.ResponseWriter, r *http.Request, err error, page string, view func(*http.Request) (View, error), mark func(*View)) {
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	v, lerr := view(r)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	if mark != nil {
		mark(&v)
	}
	h.formError(w, r, page, v, err)
}

// IssuePage is the data of one issue's page.
type IssuePage struct {
	Issue    isms.Issue
	Version  int // in the edit form: after a conflict the saved version, so that saving again replaces the other change
	Conflict bool
	Kinds    []string
	People   Picker
}

func (h *Handler) issuePage(r *http.Request, formVersion int, conflict bool) (View, error) {
	i, err := h.svc.Issue(r.Context(), r.PathValue("ref"))
	if err != nil {
		return View{}, err
	}
	people, err := h.ownerPicker(r.Context(), i.Owner, i.OwnerName)
	if err != nil {
		return View{}, err
	}
	d := IssuePage{Issue: i, Version: i.Version, Kinds: isms.IssueKinds, People: people, Conflict: conflict}
	if formVersion > 0 && !conflict {
		d.Version = formVersion
	}
	return View{Title: i.Ref + " " + i.Title, Nav: "context", Data: d, Form: formValues(&i)}, nil
}

func (h *Handler) issue(w http.ResponseWriter, r *http.Request) {
	v, err := h.issuePage(r, 0, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "issues_edit", v)
}

func (h *Handler) updateIssue(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var i isms.Issue
	if err == nil {
		i, err = h.svc.UpdateIssue(r.Context(), r.PathValue("ref"), formInput[service.IssueInput](r.PostForm))
	}
	if err != nil {
		h.formFailed(w, r, err, "issues_edit", func(r *http.Request) (View, error) {
			return h.issuePage(r, formInt(r.PostForm.Get("version")), isms.ErrorKind(err) == isms.KindConflict)
		}, nil)
		return
	}
	h.redirect(w, r, "/issues/"+url.PathEscape(i.Ref), i.Ref+" "+i.Title+" is saved.")
}

func (h *Handler) deleteIssue(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if err := h.svc.DeleteIssue(r.Context(), ref); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/issues", ref+" is deleted.")
}

func (h *Handler) exportIssues(w http.ResponseWriter, r *http.Request) {
	f, err := service.IssueRegister.Parse("q", r.URL.Query().Get)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format := exportFormat(r)
	h.download(w, r, "issues", format, func(w io.Writer) error { return h.svc.ExportIssues(r.Context(), f, format, w) })
}

// PartiesPage is the data of the interested parties page.
type PartiesPage struct {
	List     service.List[isms.Party]
	Pager    Pager
	Filter   service.PartyFilter
	Filtered bool
	Kinds    []string
	Posted   bool
	Exports  []ExportLink
}

func (h *Handler) partiesView(r *http.Request) (View, error) {
	f, err := service.PartyRegister.Parse("q", r.URL.Query().Get)
	if err != nil {
		return View{}, err
	}
	l, err := h.svc.ListParties(r.Context(), f, page(r))
	if err != nil {
		return View{}, err
	}
	return View{Title: "Interested parties", Nav: "context", Data: PartiesPage{List: l, Pager: pager(r, l.Total, l.Limit, l.Offset), Filter: f,
		Filtered: service.PartyRegister.Filtered(f), Kinds: isms.PartyKinds, Exports: registerExports("/parties/export", service.PartyRegister.Values("q", f))}}, nil
}

func (h *Handler) parties(w http.ResponseWriter, r *http.Request) {
	v, err := h.partiesView(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "parties", v)
}

func (h *Handler) addParty(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var p isms.Party
	if err == nil {
		p, err = h.svc.AddParty(r.Context(), formInput[service.PartyInput](r.PostForm))
	}
	if err != nil {
		h.formFailed(w, r, err, "parties", h.partiesView, func(v *View) { d := v.Data.(PartiesPage); d.Posted = true; v.Data = d })
		return
	}
	h.redirect(w, r, "/parties/"+url.PathEscape(p.Ref), p.Ref+" "+p.Name+" is added.")
}

// PartyPage is the data of one party's page: the party, its edit form and its requirements with their add form.
type PartyPage struct {
	Party     isms.Party
	Version   int
	Conflict  bool
	Kinds     []string
	Types     []string
	ReqPosted bool // the requirement form was posted and failed
}

func (h *Handler) partyPage(r *http.Request, formVersion int, conflict bool) (View, error) {
	p, err := h.svc.Party(r.Context(), r.PathValue("ref"))
	if err != nil {
		return View{}, err
	}
	d := PartyPage{Party: p, Version: p.Version, Conflict: conflict, Kinds: isms.PartyKinds, Types: isms.RequirementTypes}
	if formVersion > 0 && !conflict {
		d.Version = formVersion
	}
	return View{Title: p.Ref + " " + p.Name, Nav: "context", Data: d, Form: formValues(&p)}, nil
}

func (h *Handler) party(w http.ResponseWriter, r *http.Request) {
	v, err := h.partyPage(r, 0, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "party", v)
}

func (h *Handler) updateParty(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var p isms.Party
	if err == nil {
		p, err = h.svc.UpdateParty(r.Context(), r.PathValue("ref"), formInput[service.PartyInput](r.PostForm))
	}
	if err != nil {
		h.formFailed(w, r, err, "party", func(r *http.Request) (View, error) {
			return h.partyPage(r, formInt(r.PostForm.Get("version")), isms.ErrorKind(err) == isms.KindConflict)
		}, nil)
		return
	}
	h.redirect(w, r, "/parties/"+url.PathEscape(p.Ref), p.Ref+" "+p.Name+" is saved.")
}

func (h *Handler) deleteParty(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if err := h.svc.DeleteParty(r.Context(), ref); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/parties", ref+" and its requirements are deleted.")
}

func (h *Handler) addRequirement(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var req isms.Requirement
	if err == nil {
		in := formInput[service.RequirementInput](r.PostForm)
		in.Controls = strings.Split(r.PostForm.Get("controls"), ",")
		req, err = h.svc.AddPartyRequirement(r.Context(), r.PathValue("ref"), in)
	}
	if err != nil {
		h.formFailed(w, r, err, "party", func(r *http.Request) (View, error) {
			v, err := h.partyPage(r, 0, false)
			if err == nil {
				d := v.Data.(PartyPage)
				d.ReqPosted = true
				v.Data = d
				for k, vals := range v.Form { // the party's own form keeps the saved party beside the refused requirement
					if !r.PostForm.Has(k) {
						r.PostForm[k] = vals
					}
				}
			}
			return v, err
		}, nil)
		return
	}
	h.redirect(w, r, "/parties/"+url.PathEscape(req.Party)+"#requirements", req.Ref+" is added.")
}

func (h *Handler) deleteRequirement(w http.ResponseWriter, r *http.Request) {
	req, err := h.svc.Requirement(r.Context(), r.PathValue("ref"))
	if err == nil {
		err = h.svc.DeleteRequirement(r.Context(), req.Ref)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/parties/"+url.PathEscape(req.Party)+"#requirements", req.Ref+" is deleted.")
}

func (h *Handler) exportParties(w http.ResponseWriter, r *http.Request) {
	f, err := service.PartyRegister.Parse("q", r.URL.Query().Get)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format := exportFormat(r)
	h.download(w, r, "parties", format, func(w io.Writer) error { return h.svc.ExportParties(r.Context(), f, format, w) })
}
