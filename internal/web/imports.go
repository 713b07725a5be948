package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// ImportPage is the data of the import page of a register.
type ImportPage struct {
	Tabs      []RiskTab
	Kind      string // "risks", "assets" or "people"
	Noun      string // one row: "risk", "asset", "person"
	Action    string
	BackURL   string
	ExportURL string // a CSV of the register: a file with the expected columns
	Formats   []string
	Problems  []isms.FieldError
	// Every register offers a check first; Checked is its result, and Stash names the checked file kept for
	// the Import button (with its Filename and Format).
	Checked                 *service.ImportResult
	Stash, Filename, Format string
}

func importPage(kind string) ImportPage {
	base := "/" + kind
	tab := "/risks"
	if kind == "assets" {
		tab = "/assets"
	}
	d := ImportPage{Kind: kind, Noun: strings.TrimSuffix(kind, "s"), Action: base + "/import", BackURL: base,
		ExportURL: base + "/export.csv", Formats: service.ImportFormats}
	switch kind {
	case "risks", "assets":
		d.Tabs = riskTabs(tab)
	case "people":
		d.Noun = "person"
	case "parties":
		d.Noun = "party"
	}
	return d
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request, kind string) {
	if _, err := h.svc.RiskMethod(r.Context()); err != nil { // the page is for members only
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "risk_import", View{Title: "Import " + kind, Nav: kind, Data: importPage(kind)})
}

// maxUpload bounds an imported file.
const maxUpload = 64 << 20

// importUse is an import use case of the service (ImportRisks, ImportAssets, PreviewAssetImport ...).
type importUse func(context.Context, string, io.Reader) (service.ImportResult, error)

// importFile reads an uploaded CSV or XLSX and hands it to the service's all-or-nothing import; every bad
// row is listed on the page as "line N: field: problem". With a preview, the "Check" button runs it instead
// and shows what the import would do; the checked file is kept for a while so that "Import" needs no second
// upload.
func (h *Handler) importFile(w http.ResponseWriter, r *http.Request, kind string, run, preview importUse) {
	v := View{Title: "Import " + kind, Nav: kind}
	d := importPage(kind)
	show := func(err error) {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		e, _ := isms.AsError(err)
		d.Problems = e.Fields
		v.Data = d
		if len(e.Fields) == 0 {
			v.Error = "Nothing was imported: " + e.Msg
		} else {
			v.Error = "Nothing was imported: the file has " + countWord(len(e.Fields), "problem") + ". Correct them and upload the file again."
		}
		h.render(w, r, statusOf(err), "risk_import", v)
	}
	// Turn away a visitor or a role that may not write before reading a large body; the service decides the rest.
	if err := service.MayImport(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		show(isms.Invalid(isms.FieldError{Field: "file", Message: "could not read the upload (a CSV or XLSX file of at most 64 MB)"}))
		return
	}
	defer r.MultipartForm.RemoveAll()
	var file io.ReadCloser
	var name string
	if stash := r.FormValue("stash"); stash != "" && preview != nil {
		f, err := openStash(r.Context(), stash)
		if err != nil {
			show(err)
			return
		}
		file, name = f, r.FormValue("filename")
	} else {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			show(isms.Invalid(isms.FieldError{Field: "file", Message: "choose a CSV or XLSX file to import"}))
			return
		}
		file, name = f, hdr.Filename
	}
	defer file.Close()
	format := strings.ToLower(strings.TrimSpace(r.FormValue("format")))
	if format == "" || format == "auto" {
		format = strings.TrimPrefix(strings.ToLower(path.Ext(name)), ".")
	}
	if !slices.Contains(service.ImportFormats, format) {
		show(isms.Invalid(isms.FieldError{Field: "format", Message: "the file must be CSV or XLSX (name ending in .csv or .xlsx, or choose the format)"}))
		return
	}
	if preview != nil && r.FormValue("step") == "check" {
		stash, err := stashUpload(r.Context(), file)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		kept, err := openStash(r.Context(), stash)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		res, err := preview(r.Context(), format, kept)
		kept.Close()
		if err != nil {
			show(err)
			return
		}
		d.Checked, d.Stash, d.Filename, d.Format = &res, stash, name, format
		v.Data = d
		h.render(w, r, http.StatusOK, "risk_import", v)
		return
	}
	res, err := run(r.Context(), format, file)
	if err != nil {
		show(err)
		return
	}
	if stash := r.FormValue("stash"); stash != "" {
		removeStash(r.Context(), stash)
	}
	h.redirect(w, r, "/"+kind, res.Summary(d.Noun))
}

// Checked files wait in the temporary folder, named after the member and organisation that checked them (so
// that no one else can import them) and a random part, for stashLife at most.
const stashLife = time.Hour

var stashDir = filepath.Join(os.TempDir(), "praxis-import-checks")

func stashPath(ctx context.Context, id string) (string, error) {
	a, _ := service.ActorFrom(ctx)
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return "", isms.Invalid(isms.FieldError{Field: "file", Message: "choose the file again"})
	}
	owner := sha256.Sum256([]byte(a.UserID + "\x00" + a.OrgID))
	return filepath.Join(stashDir, hex.EncodeToString(owner[:8])+"-"+id), nil
}

// stashUpload keeps an uploaded file for the Import button and clears out checks older than stashLife.
func stashUpload(ctx context.Context, r io.Reader) (string, error) {
	if err := os.MkdirAll(stashDir, 0o700); err != nil {
		return "", err
	}
	if entries, err := os.ReadDir(stashDir); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > stashLife {
				os.Remove(filepath.Join(stashDir, e.Name()))
			}
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	id := hex.EncodeToString(b)
	p, err := stashPath(ctx, id)
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(p)
		return "", err
	}
	return id, f.Close()
}

func openStash(ctx context.Context, id string) (*os.File, error) {
	p, err := stashPath(ctx, id)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, isms.Invalid(isms.FieldError{Field: "file", Message: "the checked file is no longer kept (after an hour, or once imported): choose it again"})
	}
	return f, err
}

func removeStash(ctx context.Context, id string) {
	if p, err := stashPath(ctx, id); err == nil {
		os.Remove(p)
	}
}
