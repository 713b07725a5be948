package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// internalAuditRoutes registers the audit programme, the audits and their checklists (9.2).
func (h *Handler) internalAuditRoutes() {
	audits := h.auditPages()
	h.mux.HandleFunc("GET /audits", audits.list)
	h.mux.HandleFunc("POST /audits", audits.add)
	h.mux.HandleFunc("GET /audits/programme", h.auditProgramme)
	h.mux.HandleFunc("POST /audits/programme", h.setAuditProgramme)
	h.mux.HandleFunc("GET /audits/{ref}", audits.show)
	h.mux.HandleFunc("POST /audits/{ref}", audits.update)
	h.mux.HandleFunc("POST /audits/{ref}/delete", audits.delete)
	h.mux.HandleFunc("POST /audits/{ref}/items/{item}", func(w http.ResponseWriter, r *http.Request) { h.setAuditItem(w, r, audits) })
	h.mux.HandleFunc("POST /audits/{ref}/items/{item}/finding", func(w http.ResponseWriter, r *http.Request) { h.raiseFinding(w, r, audits) })
	h.mux.HandleFunc("GET /audits/{ref}/report.md", h.auditReport)
	h.mux.HandleFunc("GET /audits/{ref}/report.pdf", h.auditReport)
}

// listOf reads a form's list of references or ids, separated by commas, semicolons or spaces.
func listOf(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
}

func auditInput(f url.Values) service.AuditInput {
	in := formInput[service.AuditInput](f)
	in.Clauses, in.Controls, in.Team = listOf(f.Get("clauses")), listOf(f.Get("controls")), listOf(f.Get("team"))
	return in
}

func auditForm(a isms.Audit) url.Values {
	v := formValues(&a)
	v.Set("clauses", strings.Join(a.Clauses, ", "))
	v.Set("controls", strings.Join(a.Controls, ", "))
	v.Set("team", strings.Join(a.Team, ", "))
	return v
}

func (h *Handler) auditPages() registerPages[isms.Audit, service.AuditInput, service.InternalAuditFilter] {
	return registerPages[isms.Audit, service.AuditInput, service.InternalAuditFilter]{h: h, path: "/audits", listPage: "audits", rowPage: "audit_show",
		title: "Internal audits", nav: "audits", tabs: auditTabs, choices: isms.AuditStatuses,
		parse: func(q url.Values) (service.InternalAuditFilter, error) {
			return service.AuditRegister.Parse("q", q.Get)
		},
		values:   func(f service.InternalAuditFilter) url.Values { return service.AuditRegister.Values("q", f) },
		filtered: service.AuditRegister.Filtered,
		personOf: func(f service.InternalAuditFilter) string { return f.Lead },
		holder:   func(a isms.Audit) (string, string) { return a.Lead, a.LeadName },
		label:    func(a isms.Audit) string { return a.Ref + " " + a.Title },
		lister:   unwarned(h.svc.ListAudits),
		get:      h.svc.Audit, addRow: h.svc.AddAudit, updateRow: h.svc.UpdateAudit, deleteRow: h.svc.DeleteAudit,
		extra: func(ctx context.Context, a isms.Audit) (any, error) {
			c, err := h.svc.Checklist(ctx, a.Ref)
			return c.Items, err
		},
		input: auditInput, form: auditForm,
	}
}

// setAuditItem records the result of one checklist item, in place on the audit's page.
func (h *Handler) setAuditItem(w http.ResponseWriter, r *http.Request, audits registerPages[isms.Audit, service.AuditInput, service.InternalAuditFilter]) {
	ref, item := r.PathValue("ref"), r.PathValue("item")
	err := parseForm(w, r)
	var it isms.AuditItem
	if err == nil {
		it, err = h.svc.SetAuditItem(r.Context(), ref, item, service.AuditItemInput{Result: r.PostForm.Get("result"),
			EvidenceSeen: r.PostForm.Get("evidence_seen"), Notes: r.PostForm.Get("notes")})
	}
	if err != nil {
		h.auditPageError(w, r, audits, ref, err)
		return
	}
	msg := it.Label() + " is recorded."
	if it.Raises() {
		msg += " Raise a finding from it below the item."
	}
	h.redirect(w, r, "/audits/"+url.PathEscape(ref)+"#item-"+strconv.Itoa(it.Position), msg)
}

// raiseFinding raises a finding from a checklist item: the item's suggestion with the title and grade posted.
func (h *Handler) raiseFinding(w http.ResponseWriter, r *http.Request, audits registerPages[isms.Audit, service.AuditInput, service.InternalAuditFilter]) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var f isms.Finding
	if err == nil {
		f, err = h.svc.RaiseFinding(r.Context(), ref, r.PathValue("item"), service.FindingInput{Title: r.PostForm.Get("title"), Grade: r.PostForm.Get("grade")})
	}
	if err != nil {
		h.auditPageError(w, r, audits, ref, err)
		return
	}
	h.redirect(w, r, "/findings/"+url.PathEscape(f.Ref), f.Ref+" is raised.")
}

// auditPageError shows the audit's page again with what went wrong with an item: refusals and missing audits
// as their own pages, bad input and conflicts above the checklist.
func (h *Handler) auditPageError(w http.ResponseWriter, r *http.Request, audits registerPages[isms.Audit, service.AuditInput, service.InternalAuditFilter], ref string, err error) {
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	v, verr := audits.rowView(r, ref)
	if verr != nil {
		h.fail(w, r, verr)
		return
	}
	v.Error = err.Error()
	h.render(w, r, statusOf(err), "audit_show", v)
}

func (h *Handler) auditReport(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	format, media := "md", "text/markdown; charset=utf-8"
	if strings.HasSuffix(r.URL.Path, ".pdf") {
		format, media = "pdf", "application/pdf"
	}
	h.downloadAs(w, r, "audit-"+ref+"-report", format, media, func(w io.Writer) error {
		return h.svc.WriteAuditReport(r.Context(), ref, format, w)
	})
}

// ProgrammePage is the data of the programme's page.
type ProgrammePage struct {
	Tabs      []LeadershipTab
	Programme service.Programme
}

func (h *Handler) programmeView(r *http.Request) (View, error) {
	p, err := h.svc.AuditProgramme(r.Context())
	form := url.Values{"cycle_start": {p.Programme.CycleStart}, "notes": {p.Programme.Notes}, "version": {strconv.Itoa(p.Programme.Version)}}
	return View{Title: "Audit programme", Nav: "audits", Data: ProgrammePage{Tabs: auditTabs("/audits/programme"), Programme: p}, Form: form}, err
}

func (h *Handler) auditProgramme(w http.ResponseWriter, r *http.Request) {
	v, err := h.programmeView(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "audit_programme", v)
}

func (h *Handler) setAuditProgramme(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	if err == nil {
		_, err = h.svc.SetAuditProgramme(r.Context(), service.ProgrammeInput{CycleStart: r.PostForm.Get("cycle_start"),
			Notes: r.PostForm.Get("notes"), Version: formInt(r.PostForm.Get("version"))})
	}
	if err != nil {
		v, verr := h.programmeView(r)
		if verr != nil {
			h.fail(w, r, verr)
			return
		}
		h.formError(w, r, "audit_programme", v, err)
		return
	}
	h.redirect(w, r, "/audits/programme", "The audit programme is saved.")
}
