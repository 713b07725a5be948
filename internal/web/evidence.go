package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The evidence pages' template functions: the statuses of the filter and a file's size for people.
func init() {
	funcs["evidenceStatuses"] = func() []string { return isms.EvidenceStatuses }
	funcs["bytes"] = func(n int) string { return blob.SizeText(int64(n)) }
}

// evidenceRoutes registers the evidence register: the list with its upload form, a piece's page, its file.
func (h *Handler) evidenceRoutes() {
	evidence := h.evidencePages()
	h.mux.HandleFunc("GET /evidence", evidence.list)
	h.mux.HandleFunc("POST /evidence", evidence.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /evidence/export."+f, evidence.export)
	}
	h.mux.HandleFunc("GET /evidence/{ref}", evidence.show)
	h.mux.HandleFunc("POST /evidence/{ref}", evidence.update)
	h.mux.HandleFunc("POST /evidence/{ref}/delete", evidence.delete)
	h.mux.HandleFunc("GET /evidence/{ref}/file", h.evidenceFile)
}

// evidenceInput reads the edit form.
func evidenceInput(f url.Values) service.EvidenceInput {
	in := service.EvidenceFormInput(f)
	in.Version = formInt(f.Get("version"))
	return in
}

// evidenceForm fills the edit form from a saved piece of evidence.
func evidenceForm(e isms.Evidence) url.Values {
	v := formValues(&e)
	for _, l := range [][2]any{{"controls", e.Controls}, {"clauses", e.Clauses}, {"tasks", e.Tasks}} {
		v.Set(l[0].(string), strings.Join(l[1].([]string), ", "))
	}
	return v
}

func (h *Handler) evidencePages() registerPages[isms.Evidence, service.EvidenceInput, service.EvidenceFilter] {
	return registerPages[isms.Evidence, service.EvidenceInput, service.EvidenceFilter]{h: h, path: "/evidence", listPage: "evidence", rowPage: "evidence_item",
		title: "Evidence", nav: "evidence", choices: isms.EvidenceKinds,
		parse:    func(q url.Values) (service.EvidenceFilter, error) { return service.EvidenceRegister.Parse("q", q.Get) },
		values:   func(f service.EvidenceFilter) url.Values { return service.EvidenceRegister.Values("q", f) },
		filtered: service.EvidenceRegister.Filtered,
		personOf: func(f service.EvidenceFilter) string { return f.Owner },
		holder:   func(e isms.Evidence) (string, string) { return e.Owner, e.OwnerName },
		label:    func(e isms.Evidence) string { return e.Ref + " " + e.Title },
		lister:   unwarned(h.svc.ListEvidence),
		get:      h.svc.Evidence, addRow: h.svc.AddEvidence, updateRow: h.svc.UpdateEvidence, deleteRow: h.svc.DeleteEvidence,
		exportRows: h.svc.ExportEvidence, input: evidenceInput, form: evidenceForm,
		addRequest: h.addEvidence,
	}
}

// addEvidence reads the add form as it arrives: a multipart form streams its file to the blob store (never held
// whole), an ordinary form adds a link or a note.
func (h *Handler) addEvidence(r *http.Request) (isms.Evidence, error) {
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return isms.Evidence{}, isms.Invalid(isms.FieldError{Field: "form", Message: errNoForm.Error()})
		}
		return h.svc.AddEvidence(r.Context(), evidenceInput(r.PostForm))
	}
	r.PostForm = url.Values{}
	body := http.MaxBytesReader(nil, r.Body, h.svc.MaxUpload()+1<<20)
	e, err := h.svc.AddEvidenceForm(r.Context(), multipart.NewReader(body, params["boundary"]), r.PostForm)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = isms.Invalid(isms.FieldError{Field: "file", Message: "is larger than the upload limit"})
	}
	return e, err
}

// evidenceFile sends the file of a piece of evidence, checked against its SHA-256 before the first byte.
func (h *Handler) evidenceFile(w http.ResponseWriter, r *http.Request) {
	e, rc, err := h.svc.OpenEvidenceFile(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	for _, hd := range service.EvidenceFileHeaders(e) {
		w.Header().Set(hd[0], hd[1])
	}
	if _, err := io.Copy(w, rc); err != nil {
		panic(http.ErrAbortHandler) // the bytes changed while they were sent: the browser sees a failed download
	}
}
