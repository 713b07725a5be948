package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/markdown"
	"github.com/praxis-isms/praxis/internal/policy"
	"github.com/praxis-isms/praxis/internal/service"
)

// documentRoutes registers the document register (clause 7.5): list, page, versions, diff, workflow,
// publication and acknowledgement.
func (h *Handler) documentRoutes() {
	h.mux.HandleFunc("GET /documents", h.documents)
	h.mux.HandleFunc("POST /documents", h.addDocument)
	h.mux.HandleFunc("GET /documents/{ref}", h.document)
	h.mux.HandleFunc("POST /documents/{ref}", h.updateDocument)
	h.mux.HandleFunc("GET /documents/{ref}/versions/{n}", h.documentVersion)
	h.mux.HandleFunc("GET /documents/{ref}/diff", h.documentDiff)
	h.mux.HandleFunc("GET /documents/{ref}/export", h.exportDocument)
	h.mux.HandleFunc("POST /documents/{ref}/submit", func(w http.ResponseWriter, r *http.Request) { h.documentStep(w, r, "submit", h.svc.SubmitDocument) })
	h.mux.HandleFunc("POST /documents/{ref}/approve", func(w http.ResponseWriter, r *http.Request) { h.documentStep(w, r, "approve", h.svc.ApproveDocument) })
	h.mux.HandleFunc("POST /documents/{ref}/retire", func(w http.ResponseWriter, r *http.Request) { h.documentStep(w, r, "retire", h.svc.RetireDocument) })
	h.mux.HandleFunc("POST /documents/{ref}/publish", h.publishDocument)
	h.mux.HandleFunc("POST /documents/{ref}/acknowledge", h.acknowledgeDocument)
}

// Documents is the data of the documents page.
type Documents struct {
	List      service.List[isms.Document]
	Pager     Pager
	Filter    service.DocumentFilter
	Filtered  bool
	Today     string
	Overdue   int
	People    Picker
	Types     []string
	Classes   []string
	Statuses  []string
	Templates []policy.Template
	Posted    bool // the add form was posted and failed
}

func (h *Handler) documentsView(r *http.Request) (View, error) {
	ctx := r.Context()
	f, err := service.DocumentRegister.Parse("q", r.URL.Query().Get)
	if err != nil {
		return View{}, err
	}
	l, err := h.svc.ListDocuments(ctx, f, page(r))
	if err != nil {
		return View{}, err
	}
	d := Documents{List: l, Pager: pager(r, l.Total, l.Limit, l.Offset), Filter: f, Filtered: service.DocumentRegister.Filtered(f),
		Today: h.svc.Today(), Types: isms.DocumentTypes, Classes: isms.Classifications, Statuses: isms.DocumentStatuses}
	if d.Templates, err = h.svc.DocumentTemplates(ctx); err != nil {
		return View{}, err
	}
	if d.Overdue, err = h.svc.OverdueDocuments(ctx); err != nil {
		return View{}, err
	}
	if d.People, err = h.ownerPicker(ctx, f.Owner, ""); err != nil {
		return View{}, err
	}
	return View{Title: "Documents", Nav: "documents", Data: d}, nil
}

func (h *Handler) documents(w http.ResponseWriter, r *http.Request) {
	v, err := h.documentsView(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if t := r.URL.Query().Get("template"); t != "" { // a gap of the mandatory documents links here with its template
		v.Form = url.Values{"template": {t}}
	}
	h.render(w, r, http.StatusOK, "documents", v)
}

// documentInput reads the document form: the plain fields by JSON name, the control and clause lists as
// comma-separated text.
func documentInput(f url.Values) service.DocumentInput {
	in := formInput[service.DocumentInput](f)
	in.Controls, in.Clauses = strings.Split(f.Get("controls"), ","), strings.Split(f.Get("clauses"), ",")
	in.Content = strings.ReplaceAll(in.Content, "\r\n", "\n") // browsers send CRLF; store what was typed
	return in
}

func (h *Handler) addDocument(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var d isms.Document
	if err == nil {
		d, err = h.svc.AddDocument(r.Context(), documentInput(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		v, lerr := h.documentsView(r)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		dd := v.Data.(Documents)
		dd.Posted = true
		v.Data = dd
		h.formError(w, r, "documents", v, err)
		return
	}
	h.redirect(w, r, "/documents/"+url.PathEscape(d.Ref), d.Ref+" "+d.Title+" is added as a draft.")
}

// DocumentPage is the data of one document's page.
type DocumentPage struct {
	Doc      isms.Document
	Versions []isms.DocumentVersion
	Shown    isms.DocumentVersion // the version in force, else the latest
	Latest   isms.DocumentVersion
	Rendered template.HTML
	Acks     isms.Acknowledgements
	ToRead   bool // the signed-in user's person was published the version in force and has not acknowledged it
	Overdue  bool
	People   Picker
	Version  int // the document version the forms send
	Conflict bool
	Types    []string
	Classes  []string
}

func (h *Handler) documentPage(r *http.Request, ref string) (DocumentPage, url.Values, error) {
	ctx := r.Context()
	p := DocumentPage{Types: isms.DocumentTypes, Classes: isms.Classifications}
	var err error
	if p.Doc, err = h.svc.Document(ctx, ref); err != nil {
		return p, nil, err
	}
	if p.Versions, err = h.svc.DocumentVersions(ctx, ref); err != nil {
		return p, nil, err
	}
	p.Version, p.Overdue = p.Doc.Version, p.Doc.Overdue(h.svc.Today())
	for _, v := range p.Versions {
		if v.Number == p.Doc.Latest {
			p.Latest = v
		}
		if v.Number == p.Doc.Approved {
			p.Shown = v
		}
	}
	if p.Shown.Number == 0 {
		p.Shown = p.Latest
	}
	p.Rendered = markdown.HTML(p.Shown.Content)
	if p.Acks, err = h.svc.DocumentAcknowledgements(ctx, ref, p.Shown.Number); err != nil {
		return p, nil, err
	}
	todo, err := h.svc.MyDocumentsToRead(ctx)
	if err != nil {
		return p, nil, err
	}
	for _, t := range todo {
		p.ToRead = p.ToRead || t.Ref == p.Doc.Ref
	}
	if p.People, err = h.ownerPicker(ctx, p.Doc.Owner, p.Doc.OwnerName); err != nil {
		return p, nil, err
	}
	form := formValues(&p.Doc)
	form.Set("controls", strings.Join(p.Doc.Controls, ", "))
	form.Set("clauses", strings.Join(p.Doc.Clauses, ", "))
	form.Set("content", p.Latest.Content)
	if p.Latest.Status == isms.DocDraft || p.Latest.Status == isms.DocInReview {
		form.Set("summary", p.Latest.Summary)
	}
	return p, form, nil
}

func (h *Handler) document(w http.ResponseWriter, r *http.Request) {
	p, form, err := h.documentPage(r, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "document", View{Title: p.Doc.Ref + " " + p.Doc.Title, Nav: "documents", Data: p, Form: form})
}

// documentFail shows the document page again with the error of one of its forms (the edit form keeps what
// was typed; after a conflict it sends the saved version, so that saving again is deliberate).
func (h *Handler) documentFail(w http.ResponseWriter, r *http.Request, err error, keepForm bool) {
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	p, form, lerr := h.documentPage(r, r.PathValue("ref"))
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	p.Conflict = isms.ErrorKind(err) == isms.KindConflict
	if keepForm && !p.Conflict {
		p.Version = formInt(r.PostForm.Get("version"))
	}
	v := View{Title: p.Doc.Ref + " " + p.Doc.Title, Nav: "documents", Data: p, Form: form}
	h.formError(w, r, "document", v, err)
}

func (h *Handler) updateDocument(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var d isms.Document
	if err == nil {
		d, err = h.svc.UpdateDocument(r.Context(), r.PathValue("ref"), documentInput(r.PostForm))
	}
	if err != nil {
		h.documentFail(w, r, err, true)
		return
	}
	h.redirect(w, r, "/documents/"+url.PathEscape(d.Ref), d.Ref+" is saved (version "+strconv.Itoa(d.Latest)+" is "+d.Status+").")
}

func (h *Handler) documentStep(w http.ResponseWriter, r *http.Request, step string, do func(context.Context, string, int) (isms.Document, error)) {
	err := parseForm(w, r)
	var d isms.Document
	if err == nil {
		d, err = do(r.Context(), r.PathValue("ref"), formInt(r.PostForm.Get("version")))
	}
	if err != nil {
		h.documentFail(w, r, err, false)
		return
	}
	done := map[string]string{"submit": "is submitted for review", "approve": "is approved and in force", "retire": "is retired"}[step]
	h.redirect(w, r, "/documents/"+url.PathEscape(d.Ref), d.Ref+" version "+strconv.Itoa(d.Latest)+" "+done+".")
}

func (h *Handler) publishDocument(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var p service.Publication
	if err == nil {
		in := service.PublishInput{}
		switch r.PostForm.Get("audience") {
		case "all":
			in.All = true
		case "team":
			in.Team = r.PostForm.Get("team")
		case "people":
			in.People = strings.Split(r.PostForm.Get("people"), ",")
		}
		p, err = h.svc.PublishDocument(r.Context(), r.PathValue("ref"), in)
	}
	if err != nil {
		h.documentFail(w, r, err, false)
		return
	}
	h.redirect(w, r, "/documents/"+url.PathEscape(p.Ref), p.Ref+" version "+strconv.Itoa(p.Number)+" is published to "+strconv.Itoa(p.Added)+
		" more people ("+strconv.Itoa(p.Total)+" in all).")
}

func (h *Handler) acknowledgeDocument(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	if err == nil {
		_, err = h.svc.AcknowledgeDocument(r.Context(), ref, service.AckInput{Number: formInt(r.PostForm.Get("number")), Person: r.PostForm.Get("person")})
	}
	if err != nil {
		h.documentFail(w, r, err, false)
		return
	}
	msg := "Thank you: your acknowledgement is recorded."
	if p := r.PostForm.Get("person"); p != "" {
		msg = "The acknowledgement of " + p + " is recorded."
	}
	h.redirect(w, r, "/documents/"+url.PathEscape(ref), msg)
}

// DocumentVersionPage is the data of one version's page.
type DocumentVersionPage struct {
	Doc      isms.Document
	V        isms.DocumentVersion
	Rendered template.HTML
}

func (h *Handler) documentVersion(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		h.fail(w, r, isms.NotFound("no version %q", r.PathValue("n")))
		return
	}
	d, err := h.svc.Document(ctx, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.svc.DocumentVersion(ctx, d.Ref, n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "document_version", View{Title: d.Ref + " version " + strconv.Itoa(n), Nav: "documents",
		Data: DocumentVersionPage{Doc: d, V: v, Rendered: markdown.HTML(v.Content)}})
}

// DocumentDiffPage is the data of the comparison page.
type DocumentDiffPage struct {
	Doc      isms.Document
	Diff     service.DocumentDiff
	Rows     []isms.DiffRow
	Side     bool // side by side rather than unified
	Versions []isms.DocumentVersion
}

func (h *Handler) documentDiff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d, err := h.svc.Document(ctx, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	diff, err := h.svc.DiffDocument(ctx, d.Ref, formInt(q.Get("from")), formInt(q.Get("to")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	vs, err := h.svc.DocumentVersions(ctx, d.Ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := DocumentDiffPage{Doc: d, Diff: diff, Side: q.Get("view") == "side", Versions: vs}
	if p.Side {
		p.Rows = isms.SideBySide(diff.Lines)
	}
	h.render(w, r, http.StatusOK, "document_diff", View{Title: d.Ref + " changes", Nav: "documents", Data: p})
}

// exportDocument downloads a version as Markdown or PDF (format md, the default, or pdf).
func (h *Handler) exportDocument(w http.ResponseWriter, r *http.Request) {
	ref, format := r.PathValue("ref"), r.URL.Query().Get("format")
	if format == "" {
		format = "md"
	}
	var buf bytes.Buffer
	if err := h.svc.ExportDocument(r.Context(), ref, formInt(r.URL.Query().Get("version")), format, &buf); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", map[string]string{"md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}[format])
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(ref)+"."+format)
	_, _ = buf.WriteTo(w)
}
