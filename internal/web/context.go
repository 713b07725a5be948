package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// contextRoutes registers clause 4: the issues (4.1) and the interested parties with their requirements (4.2),
// both lists on the register pages; a party's page, with its requirements, is its own. The scope (4.3) is in
// scope.go.
func (h *Handler) contextRoutes() {
	issues := h.issuePages()
	h.mux.HandleFunc("GET /issues", issues.list)
	h.mux.HandleFunc("GET /issues/import", issues.importForm)
	h.mux.HandleFunc("POST /issues/import", issues.importFile)
	h.mux.HandleFunc("POST /issues", issues.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /issues/export."+f, issues.export)
	}
	h.mux.HandleFunc("GET /issues/{ref}", issues.show)
	h.mux.HandleFunc("POST /issues/{ref}", issues.update)
	h.mux.HandleFunc("POST /issues/{ref}/delete", issues.delete)
	parties := h.partyPages()
	h.mux.HandleFunc("GET /parties", parties.list)
	h.mux.HandleFunc("GET /parties/import", parties.importForm)
	h.mux.HandleFunc("POST /parties/import", parties.importFile)
	h.mux.HandleFunc("POST /parties", parties.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /parties/export."+f, parties.export)
	}
	h.mux.HandleFunc("GET /parties/{ref}", h.party)
	h.mux.HandleFunc("POST /parties/{ref}", h.updateParty)
	h.mux.HandleFunc("POST /parties/{ref}/delete", h.deleteParty)
	h.mux.HandleFunc("POST /parties/{ref}/requirements", h.addRequirement)
	h.mux.HandleFunc("POST /requirements/{ref}/delete", h.deleteRequirement)
	h.scopeRoutes()
}

func (h *Handler) issuePages() registerPages[isms.Issue, service.IssueInput, service.IssueFilter] {
	return registerPages[isms.Issue, service.IssueInput, service.IssueFilter]{h: h, path: "/issues", listPage: "issues", rowPage: "issues_edit",
		title: "Internal and external issues", nav: "context", choices: isms.IssueKinds,
		parse:    func(q url.Values) (service.IssueFilter, error) { return service.IssueRegister.Parse("q", q.Get) },
		values:   func(f service.IssueFilter) url.Values { return service.IssueRegister.Values("q", f) },
		filtered: service.IssueRegister.Filtered,
		personOf: func(f service.IssueFilter) string { return f.Owner },
		holder:   func(i isms.Issue) (string, string) { return i.Owner, i.OwnerName },
		label:    func(i isms.Issue) string { return i.Ref + " " + i.Title },
		lister:   unwarned(h.svc.ListIssues),
		get:      h.svc.Issue, addRow: h.svc.AddIssue, updateRow: h.svc.UpdateIssue, deleteRow: h.svc.DeleteIssue, exportRows: h.svc.ExportIssues, importRows: h.svc.ImportIssues,
		input: formInput[service.IssueInput],
		form:  func(i isms.Issue) url.Values { return formValues(&i) },
	}
}

// partyPages are the list, add and export of the interested parties (show, update and delete are below).
func (h *Handler) partyPages() registerPages[isms.Party, service.PartyInput, service.PartyFilter] {
	return registerPages[isms.Party, service.PartyInput, service.PartyFilter]{h: h, path: "/parties", listPage: "parties", rowPage: "party",
		title: "Interested parties", nav: "context", choices: isms.PartyKinds,
		parse:    func(q url.Values) (service.PartyFilter, error) { return service.PartyRegister.Parse("q", q.Get) },
		values:   func(f service.PartyFilter) url.Values { return service.PartyRegister.Values("q", f) },
		filtered: service.PartyRegister.Filtered,
		label:    func(p isms.Party) string { return p.Ref + " " + p.Name },
		lister:   unwarned(h.svc.ListParties),
		addRow:   h.svc.AddParty, exportRows: h.svc.ExportParties, importRows: h.svc.ImportParties,
		input: formInput[service.PartyInput],
	}
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

// PartyPage is the data of one party's page: the party, its edit form and its requirements with their add form.
type PartyPage struct {
	Party     isms.Party
	Version   int
	Conflict  bool
	Choices   []string // the party kinds
	Types     []string
	ReqPosted bool // the requirement form was posted and failed
}

func (h *Handler) partyPage(r *http.Request, formVersion int, conflict bool) (View, error) {
	p, err := h.svc.Party(r.Context(), r.PathValue("ref"))
	if err != nil {
		return View{}, err
	}
	d := PartyPage{Party: p, Version: p.Version, Conflict: conflict, Choices: isms.PartyKinds, Types: isms.RequirementTypes}
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
