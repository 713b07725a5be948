package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The transition workspace: import a 2013 SoA (checked first, then imported), then the decisions the import
// left open one by one, each with its 2013 sources and their answers, the control's guidance and the SoA
// entry's own form (saving returns here, to the next open decision), and the report.

func (h *Handler) transitionRoutes() {
	h.mux.HandleFunc("GET /transition", h.transition)
	h.mux.HandleFunc("POST /transition/import", h.transitionImport)
	h.mux.HandleFunc("GET /transition/report", h.transitionReport)
}

// TransitionPage is the data of the workspace.
type TransitionPage struct {
	Tabs     []CatalogTab
	Status   service.TransitionStatus
	Open     []isms.TransitionItem // still waiting for a decision
	Current  *isms.TransitionItem  // the decision shown: ?control= or the first open one
	Position int                   // Current's place among Open, from 1; 0 when it is decided already
	Guidance *catalog.Guidance
	Form     SoAForm
	CanEdit  bool
	Outcomes map[string]string // outcome words
	Formats  []string          // of the report
	Sample   string            // on the sample organisation before any import: the sample that shows a transition
	// The import: problems of a refused file, or the check of one (kept in a stash for the Import button).
	Problems                []isms.FieldError
	Checked                 *service.TransitionImport
	Stash, Filename, Format string
	Overwrite               bool
}

func (h *Handler) transitionPage(r *http.Request, control string) (TransitionPage, error) {
	ctx := r.Context()
	st, err := h.svc.TransitionStatus(ctx)
	if err != nil {
		return TransitionPage{}, err
	}
	a, _ := service.ActorFrom(ctx)
	d := TransitionPage{Tabs: soaTabs("/transition"), Status: st, Open: st.Open(), CanEdit: a.Role.Can(isms.PermWriteContent),
		Outcomes: isms.TransitionOutcomeNames, Formats: service.TransitionReportFormats}
	if !st.Imported && a.OrgSlug == service.DemoOrgSlug {
		d.Sample = service.DemoTransitionOrgName
	}
	i := slices.IndexFunc(st.Controls, func(it isms.TransitionItem) bool { return it.Marked && it.Control == control })
	if i < 0 && len(d.Open) > 0 {
		i = slices.IndexFunc(st.Controls, func(it isms.TransitionItem) bool { return it.Control == d.Open[0].Control })
	}
	if i < 0 {
		return d, nil
	}
	cur := st.Controls[i]
	d.Current = &cur
	d.Position = slices.IndexFunc(d.Open, func(it isms.TransitionItem) bool { return it.Control == cur.Control }) + 1
	cat, err := h.svc.Catalog(ctx)
	if err != nil {
		return d, err
	}
	if c, ok := cat.Control(cur.Control); ok {
		d.Guidance = c.Guidance
	}
	if d.CanEdit {
		people, err := h.peoplePicker(ctx)
		if err != nil {
			return d, err
		}
		d.Form = soaForm(cur.Entry, people, "/transition", false)
	}
	return d, nil
}

func (h *Handler) transition(w http.ResponseWriter, r *http.Request) {
	h.renderTransition(w, r, r.URL.Query().Get("control"), nil)
}

// renderTransition shows the workspace at control; after a refused decision (formErr) it shows that decision
// again with the input kept and the problems beside the fields, so the user stays in the workspace.
func (h *Handler) renderTransition(w http.ResponseWriter, r *http.Request, control string, formErr error) {
	d, err := h.transitionPage(r, control)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := View{Title: "Transition from ISO/IEC 27001:2013", Nav: "soa"}
	status := http.StatusOK
	if formErr != nil {
		if d.Current == nil || d.Current.Control != control || !d.CanEdit { // not a decision of the workspace
			h.renderSoAEntry(w, r, control, formErr)
			return
		}
		d.Form.refused(r.PostForm, d.Current.Entry, formErr)
		status = isms.HTTPStatus(formErr)
		v.Error = "Not saved: see the decision below."
	}
	v.Data = d
	h.render(w, r, status, "transition", v)
}

// transitionImport checks an uploaded 2013 SoA (step=check: what would happen to each 2022 control, nothing
// written; the file is kept for the Import button) or imports it, the checked one or a new upload.
func (h *Handler) transitionImport(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "Transition from ISO/IEC 27001:2013", Nav: "soa"}
	show := func(d TransitionPage, err error) {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		e, _ := isms.AsError(err)
		d.Problems = e.Fields
		v.Error = "Nothing was imported: " + e.Msg
		if len(e.Fields) > 0 {
			v.Error = "Nothing was imported: the file has " + countWord(len(e.Fields), "problem") + ". Correct them and upload the file again."
		}
		v.Data = d
		h.render(w, r, statusOf(err), "transition", v)
	}
	if err := service.MayImport(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.transitionPage(r, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		show(d, isms.Invalid(isms.FieldError{Field: "file", Message: "could not read the upload (a CSV or XLSX file of at most 64 MB)"}))
		return
	}
	defer r.MultipartForm.RemoveAll()
	in := service.TransitionImportInput{Overwrite: formBool(r.FormValue("overwrite"))}
	var file io.ReadCloser
	var name string
	if stash := r.FormValue("stash"); stash != "" {
		f, err := openStash(r.Context(), stash)
		if err != nil {
			show(d, err)
			return
		}
		file, name = f, r.FormValue("filename")
	} else {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			show(d, isms.Invalid(isms.FieldError{Field: "file", Message: "choose the 2013 SoA, a CSV or XLSX file"}))
			return
		}
		file, name = f, hdr.Filename
	}
	defer file.Close()
	format := strings.TrimPrefix(strings.ToLower(path.Ext(name)), ".")
	if !slices.Contains(service.ImportFormats, format) {
		format = "csv" // an XLSX is recognised by its content whatever the name says
	}
	if r.FormValue("step") == "check" {
		body, err := io.ReadAll(file)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		res, err := h.svc.ImportTransition(r.Context(), format, bytes.NewReader(body), service.TransitionImportInput{DryRun: true, Overwrite: in.Overwrite})
		if err != nil {
			show(d, err)
			return
		}
		stash, err := stashUpload(r.Context(), bytes.NewReader(body))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Checked, d.Stash, d.Filename, d.Format, d.Overwrite = &res, stash, name, format, in.Overwrite
		v.Data = d
		h.render(w, r, http.StatusOK, "transition", v)
		return
	}
	res, err := h.svc.ImportTransition(r.Context(), format, file, in)
	if err != nil {
		show(d, err)
		return
	}
	if stash := r.FormValue("stash"); stash != "" {
		removeStash(r.Context(), stash)
	}
	n := res.Counts
	h.redirect(w, r, "/transition", fmt.Sprintf("Imported %d rows of the 2013 SoA: %d SoA entries decided from it, %d controls left for a decision, %d decided entries kept.",
		n.Rows, n.Saved, n.Marked, n.Kept))
}

// transitionReport downloads the report as md, pdf or xlsx.
func (h *Handler) transitionReport(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "pdf"
	}
	var buf bytes.Buffer // small: written whole first, so that a refusal is still a page
	if err := h.svc.ExportTransition(r.Context(), format, &buf); err != nil {
		h.fail(w, r, err)
		return
	}
	media := map[string]string{"md": "text/markdown; charset=utf-8", "pdf": "application/pdf",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	w.Header().Set("Content-Type", media)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(service.TransitionReportName(format)))
	w.Write(buf.Bytes())
}
