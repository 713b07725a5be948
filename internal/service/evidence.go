package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Evidence (clause 7.5 and every control at work): files kept in the blob store by their SHA-256, links and
// notes, each with what it proves and how long it is valid. Editors keep the register; auditors add the evidence
// they collect and may change or remove only what they added themselves.

// DefaultMaxUpload is the largest evidence file accepted unless Config.MaxUpload says otherwise: 50 MB.
const DefaultMaxUpload = 50 << 20

// EvidenceFilter narrows the evidence list.
type EvidenceFilter = store.EvidenceFilter

// EvidenceRegister is the declaration of the evidence register.
var EvidenceRegister = store.Evidence

// EvidenceInput is the editable part of a piece of evidence. A file's own fields (hash, size, type, name) come
// from its upload, never from input.
type EvidenceInput struct {
	Title       string   `json:"title" doc:"What the evidence is (a file's name when empty)"`
	Kind        string   `json:"kind" doc:"link or note (files are uploaded); set when added, never changed"`
	Description string   `json:"description" doc:"What it shows; a note's text"`
	URL         string   `json:"url" doc:"Where a link points (http or https)"`
	Owner       string   `json:"owner" doc:"Who keeps it: a person's reference, name or email"`
	CollectedAt string   `json:"collected_at" doc:"When it was collected, YYYY-MM-DD (today when empty)"`
	ValidUntil  string   `json:"valid_until" doc:"Last day it counts, YYYY-MM-DD (empty: no end)"`
	Controls    []string `json:"controls" doc:"Annex A controls it shows at work (8.28)"`
	Clauses     []string `json:"clauses" doc:"Clauses of ISO/IEC 27001 it shows (9.2)"`
	Tasks       []string `json:"tasks" doc:"Tasks it completes (T-001)"`
	Version     int      `json:"version" doc:"The version read; required for a change"`
	Sent        Sent     `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *EvidenceInput) UnmarshalJSON(b []byte) error {
	type plain EvidenceInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// EvidenceFile is an upload: the name it came under and its bytes, read once, as they arrive.
type EvidenceFile struct {
	Name string
	Body io.Reader
}

// blobs is where evidence files live: the data folder on SQLite, the database on PostgreSQL (shared by servers).
func (s *Service) blobs() *blob.Store {
	inUse := func(ctx context.Context, sha string) (used bool, err error) {
		err = s.store.Read(ctx, func(tx *store.Tx) (err error) { used, err = tx.EvidenceNamesBlob(ctx, sha); return err })
		return used, err
	}
	if s.store.DB.Engine == "postgres" {
		return blob.InTable(s.store.DB.W, inUse)
	}
	return blob.InDir(s.cfg.BlobDir, inUse)
}

// MaxUpload is the largest evidence file accepted, in bytes.
func (s *Service) MaxUpload() int64 {
	if s.cfg.MaxUpload > 0 {
		return s.cfg.MaxUpload
	}
	return DefaultMaxUpload
}

// evidencePerm is what a write of evidence asks of the caller: editing ISMS content, or for an auditor recording
// audits (then only on evidence they added, checked by ownEvidence).
func evidencePerm(ctx context.Context) isms.Permission {
	if a, _ := ActorFrom(ctx); !a.Role.Can(isms.PermWriteContent) && a.Role.Can(isms.PermWriteAudits) {
		return isms.PermWriteAudits
	}
	return isms.PermWriteContent
}

// ownEvidence refuses a change of e by an actor who may not edit ISMS content and did not add e.
func ownEvidence(a Actor, e *isms.Evidence) error {
	if !a.Role.Can(isms.PermWriteContent) && e.CreatedBy != a.UserID {
		return isms.Forbidden("your role (%s) may change only the evidence you added; %s was added by someone else", a.Role, e.Ref)
	}
	return nil
}

// withStatus sets each row's status for today (isms.EvidenceStatus, the one rule).
func (s *Service) withStatus(rows []isms.Evidence) {
	today := s.today()
	for i := range rows {
		rows[i].Status = isms.EvidenceStatus(rows[i].ValidUntil, today)
	}
}

// ListEvidence lists the evidence register; the status filter is computed for today.
func (s *Service) ListEvidence(ctx context.Context, f EvidenceFilter, p Page) (List[isms.Evidence], error) {
	f.Today = s.today()
	l, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Evidence], error) {
		return store.Evidence.List(ctx, tx, a.OrgID, f, p)
	})
	s.withStatus(l.Items)
	return l, err
}

// EvidenceFor lists the evidence that shows one Annex A control at work (the control's work page), a page of it.
func (s *Service) EvidenceFor(ctx context.Context, control string, p Page) (List[isms.Evidence], error) {
	return s.ListEvidence(ctx, EvidenceFilter{Control: controlID(control), Sort: "-collected"}, p)
}

// Evidence returns one piece of evidence by reference (E-001) or id.
func (s *Service) Evidence(ctx context.Context, ref string) (isms.Evidence, error) {
	e, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Evidence, error) {
		return store.Evidence.Get(ctx, tx, a.OrgID, ref)
	})
	return s.statusOf(e), err
}

// statusOf is e with its status for today.
func (s *Service) statusOf(e isms.Evidence) isms.Evidence {
	e.Status = isms.EvidenceStatus(e.ValidUntil, s.today())
	return e
}

// AddEvidence records a link or a note.
func (s *Service) AddEvidence(ctx context.Context, in EvidenceInput) (isms.Evidence, error) {
	return s.writeEvidence(ctx, "", in, false, nil)
}

// AddEvidenceFile stores an uploaded file (streamed to the blob store, at most MaxUpload bytes) and records it
// as evidence. The caller's role is checked before a byte is read; a failed upload or a refused record leaves
// neither a file nor a row.
func (s *Service) AddEvidenceFile(ctx context.Context, in EvidenceInput, file EvidenceFile) (isms.Evidence, error) {
	if _, err := require(ctx, evidencePerm(ctx)); err != nil {
		return isms.Evidence{}, err
	}
	in.Kind = "file"
	if err := checkEvidenceInput(in); err != nil { // refuse bad fields before the upload is stored
		return isms.Evidence{}, err
	}
	name := cleanFilename(file.Name)
	info, err := s.blobs().Put(ctx, file.Body, s.MaxUpload())
	if errors.Is(err, blob.ErrTooLarge) {
		return isms.Evidence{}, isms.Invalid(isms.FieldError{Field: "file",
			Message: fmt.Sprintf("is larger than the upload limit of %s (--max-upload, PRAXIS_MAX_UPLOAD)", blob.SizeText(s.MaxUpload()))})
	}
	if err != nil {
		return isms.Evidence{}, fmt.Errorf("store the uploaded file: %w", err)
	}
	if info.Size == 0 {
		s.blobs().Delete(ctx, info.SHA256) //nolint:errcheck // best effort: the row was never written
		return isms.Evidence{}, isms.Invalid(isms.FieldError{Field: "file", Message: "is empty"})
	}
	e, err := s.writeEvidence(ctx, "", in, false, func(e *isms.Evidence) {
		e.SHA256, e.Size, e.MediaType, e.Filename = info.SHA256, int(info.Size), blob.MediaType(info.MediaType, name), name
	})
	if err != nil {
		// The row was not written: drop the file unless another row (of any organisation) names the same bytes.
		if _, derr := s.blobs().Delete(ctx, info.SHA256); derr != nil {
			s.cfg.Logger.Warn("remove the file of a refused upload", "sha256", info.SHA256, "err", derr)
		}
	}
	return e, err
}

// cleanFilename keeps the last element of an uploaded file's name, without control characters, at most 200 bytes.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '"' {
			return -1
		}
		return r
	}, name)
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// UpdateEvidence changes a piece of evidence as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateEvidence(ctx context.Context, ref string, in EvidenceInput) (isms.Evidence, error) {
	return s.writeEvidence(ctx, ref, in, false, nil)
}

// PatchEvidence changes only the fields in.Sent names.
func (s *Service) PatchEvidence(ctx context.Context, ref string, in EvidenceInput) (isms.Evidence, error) {
	return s.writeEvidence(ctx, ref, in, true, nil)
}

// DeleteEvidence removes a piece of evidence, refused while anything refers to it (a task, a training record,
// an approved SoA version, an audit or a finding); its file goes too unless other evidence names the same bytes.
func (s *Service) DeleteEvidence(ctx context.Context, ref string) error {
	var sha string
	err := deleteAs(ctx, s, evidencePerm(ctx), store.Evidence, ref, func(tx *store.Tx, a Actor, e *isms.Evidence) error {
		if err := ownEvidence(a, e); err != nil {
			return err
		}
		uses, err := tx.EvidenceUses(ctx, a.OrgID, e.ID, e.Ref)
		if err != nil {
			return err
		}
		if len(uses) > 0 {
			return isms.Conflict("%s is still referred to by %s: remove those references first", e.Ref, strings.Join(uses, ", "))
		}
		sha = e.SHA256
		return nil
	})
	if err == nil && sha != "" {
		if _, derr := s.blobs().Delete(ctx, sha); derr != nil {
			s.cfg.Logger.Warn("remove the file of deleted evidence", "sha256", sha, "err", derr)
		}
	}
	return err
}

// OpenEvidenceFile returns a file's evidence row and its bytes, checked against the SHA-256 recorded: bytes that
// no longer match are refused (a Conflict naming the evidence), never served. The caller closes the reader.
func (s *Service) OpenEvidenceFile(ctx context.Context, ref string) (isms.Evidence, io.ReadCloser, error) {
	e, err := s.Evidence(ctx, ref)
	if err != nil {
		return e, nil, err
	}
	if e.Kind != "file" || e.SHA256 == "" {
		return e, nil, isms.NotFound("%s is a %s, not a file", e.Ref, e.Kind)
	}
	rc, err := s.openEvidenceBlob(ctx, e.Ref, e.SHA256)
	return e, rc, err
}

// openEvidenceBlob opens the stored file of evidence ref, checked against its SHA-256, and says in words what
// is wrong when it is damaged or missing.
func (s *Service) openEvidenceBlob(ctx context.Context, ref, sha string) (io.ReadCloser, error) {
	rc, _, err := s.blobs().Open(ctx, sha)
	switch {
	case errors.Is(err, blob.ErrCorrupt):
		return nil, isms.Conflict("the stored file of %s no longer matches its SHA-256 %s: it was altered or damaged, so it is not served; restore it from a backup", ref, sha)
	case errors.Is(err, blob.ErrNotFound):
		return nil, isms.NotFound("the file of %s (SHA-256 %s) is missing from the file store; restore it from a backup", ref, sha)
	case err != nil:
		return nil, err
	}
	return rc, nil
}

// checkEvidenceInput checks what needs no database: the kind, the link and the days.
func checkEvidenceInput(in EvidenceInput) error {
	var p isms.Problems
	checkEvidenceFields(&p, in)
	return p.Err()
}

func checkEvidenceFields(p *isms.Problems, in EvidenceInput) {
	if k := strings.TrimSpace(in.Kind); k != "" && !isms.OneOf(k, isms.EvidenceKinds) {
		p.Add("kind", "must be one of %s", strings.Join(isms.EvidenceKinds, ", "))
	}
	if u := strings.TrimSpace(in.URL); u != "" {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			p.Add("url", "must be an http or https address")
		} else if len(u) > 2000 {
			p.Add("url", "must be at most 2000 characters")
		}
	}
	collected, until := strings.TrimSpace(in.CollectedAt), strings.TrimSpace(in.ValidUntil)
	checkDate(p, "collected_at", collected)
	checkDate(p, "valid_until", until)
	if collected != "" && until != "" && until < collected {
		p.Add("valid_until", "must not be before collected_at (%s)", collected)
	}
	checkLong(p, map[string]string{"description": in.Description})
}

// writeEvidence is every add and change of evidence; file sets a new row's file fields (uploads).
func (s *Service) writeEvidence(ctx context.Context, ref string, in EvidenceInput, patch bool, file func(*isms.Evidence)) (isms.Evidence, error) {
	e, err := writeRowAs(ctx, s, evidencePerm(ctx), store.Evidence, "E", ref, in, in.Version, in.Sent, []string{"title"}, patch,
		func(tx *store.Tx, a Actor, in EvidenceInput, e *isms.Evidence) error {
			isNew := ref == ""
			if !isNew {
				if err := ownEvidence(a, e); err != nil {
					return err
				}
			}
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			tasks, err := tx.Resolve(ctx, a.OrgID, store.TaskLookup, in.Tasks)
			if err != nil {
				return err
			}
			var p isms.Problems
			s.applyEvidence(&p, in, people, tasks, e, isNew, file)
			if isNew {
				e.CreatedBy = a.UserID
			}
			s.stampTimes(&e.CreatedAt, &e.UpdatedAt, isNew)
			return p.Err()
		}, rowHooks[isms.Evidence]{})
	return s.statusOf(e), err
}

// applyEvidence validates in and copies it onto e.
func (s *Service) applyEvidence(p *isms.Problems, in EvidenceInput, people, tasks map[string]store.Target, e *isms.Evidence, isNew bool, file func(*isms.Evidence)) {
	checkEvidenceFields(p, in)
	kind := strings.ToLower(strings.TrimSpace(in.Kind))
	switch {
	case isNew && file != nil:
		kind = "file"
		file(e)
	case isNew && kind == "":
		kind = "note"
		if strings.TrimSpace(in.URL) != "" {
			kind = "link"
		}
	case isNew && kind == "file":
		p.Add("kind", "a file is added by uploading it")
	case !isNew && kind == "":
		kind = e.Kind
	case !isNew && kind != e.Kind:
		p.Add("kind", "cannot change (it is a %s); add new evidence instead", e.Kind)
		kind = e.Kind
	}
	title := strings.TrimSpace(in.Title)
	if title == "" && isNew {
		title = defaultTitle(kind, e.Filename, in)
	}
	isms.CheckText(p, "title", title, 200)
	u := strings.TrimSpace(in.URL)
	switch {
	case kind == "link" && u == "":
		p.Add("url", "is required for a link")
	case kind != "link" && u != "":
		p.Add("url", "only a link has one")
	}
	if kind == "note" && strings.TrimSpace(in.Description) == "" {
		p.Add("description", "is required for a note: it is the note's text")
	}
	collected := strings.TrimSpace(in.CollectedAt)
	if collected == "" {
		collected = e.CollectedAt
	}
	if collected == "" {
		collected = s.today()
	}
	owner := resolveTarget(p, "owner", in.Owner, people, "person")
	e.Tasks, e.TaskIDs = []string{}, []string{}
	for _, v := range in.Tasks {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if t := resolveTarget(p, "tasks", v, tasks, "task"); t.Ref != "" && !isms.OneOf(t.Ref, e.Tasks) {
			e.Tasks, e.TaskIDs = append(e.Tasks, t.Ref), append(e.TaskIDs, t.ID)
		}
	}
	e.Clauses = cleanIDs(in.Clauses)
	for _, c := range e.Clauses {
		if _, ok := s.cat.Clause(c); !ok {
			p.Add("clauses", "%q is not a clause of ISO/IEC 27001:2022", c)
		}
	}
	e.Controls = s.annexControls(p, "controls", in.Controls)
	// In the order the store reads them back, so that an audit event's after state is what a read shows.
	slices.Sort(e.Controls)
	slices.Sort(e.Clauses)
	sortTasks(e)
	e.Title, e.Kind, e.Description, e.URL = title, kind, strings.TrimSpace(in.Description), u
	e.OwnerID, e.Owner, e.OwnerName = owner.ID, owner.Ref, owner.Name
	e.CollectedAt, e.ValidUntil = collected, strings.TrimSpace(in.ValidUntil)
}

// defaultTitle names new evidence added without a title: a file by its name, a link by its address, a note by its
// first line.
func defaultTitle(kind, filename string, in EvidenceInput) string {
	switch kind {
	case "file":
		return filename
	case "link":
		return strings.TrimSpace(in.URL)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(in.Description), "\n")
	if r := []rune(strings.TrimSpace(line)); len(r) > 80 {
		return string(r[:80]) + "..."
	}
	return strings.TrimSpace(line)
}

// sortTasks orders e's tasks by reference, their ids alongside.
func sortTasks(e *isms.Evidence) {
	idOf := make(map[string]string, len(e.Tasks))
	for i, ref := range e.Tasks {
		idOf[ref] = e.TaskIDs[i]
	}
	slices.Sort(e.Tasks)
	for i, ref := range e.Tasks {
		e.TaskIDs[i] = idOf[ref]
	}
}

// ExportEvidence writes the matching evidence as csv, xlsx or pdf (or csv-excel), with each file's SHA-256 so
// that a copy can be checked against the register.
func (s *Service) ExportEvidence(ctx context.Context, f EvidenceFilter, format string, w io.Writer) error {
	f.Today = s.today()
	sheet := evidenceSheet()
	return exportRegister(ctx, s, store.Evidence, f, format, w, sheet, func(e isms.Evidence) table.Row {
		e = s.statusOf(e)
		return table.Row{e.Ref, e.Title, e.Kind, e.Description, e.URL, e.Filename, e.SHA256, e.Size, e.MediaType, e.Owner, e.OwnerName,
			e.CollectedAt, e.ValidUntil, e.Status, strings.Join(e.Controls, ", "), strings.Join(e.Clauses, ", "), strings.Join(e.Tasks, ", "), e.Version}
	}, exportFacts(store.Evidence, f, "all evidence"))
}

func evidenceSheet() table.Sheet {
	return table.Sheet{Name: "Evidence", Title: "Evidence", Columns: []table.Column{
		col("ref", 9, false), col("title", 30, true), col("kind", 7, false), col("description", 30, true), col("url", 25, true),
		col("filename", 20, true), col("sha256", 20, true), col("size", 10, false), col("media_type", 14, true), col("owner_ref", 9, false),
		col("owner", 16, true), col("collected_at", 11, false), col("valid_until", 11, false), col("status", 9, false),
		col("controls", 14, true), col("clauses", 10, true), col("tasks", 10, true), col("version", 7, false)}}
}

// AddEvidenceForm adds evidence from a multipart form as it arrives (an upload through the API or a browser): the
// fields first, recorded in fields as they are read (so that a form can be shown again), then the part named
// file, streamed to the blob store. A file part without a name (a browser's empty file input) or none at all adds
// a link or a note from the fields; fields after a file are not read.
func (s *Service) AddEvidenceForm(ctx context.Context, mr *multipart.Reader, fields url.Values) (isms.Evidence, error) {
	if _, err := require(ctx, evidencePerm(ctx)); err != nil {
		return isms.Evidence{}, err
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return s.AddEvidence(ctx, EvidenceFormInput(fields))
		}
		if err != nil {
			return isms.Evidence{}, err
		}
		if part.FormName() == "file" && part.FileName() != "" {
			return s.AddEvidenceFile(ctx, EvidenceFormInput(fields), EvidenceFile{Name: part.FileName(), Body: part})
		}
		if part.FormName() != "file" {
			v, err := io.ReadAll(io.LimitReader(part, 64<<10))
			if err != nil {
				return isms.Evidence{}, err
			}
			fields.Add(part.FormName(), string(v))
		}
	}
}

// EvidenceFileHeaders are the headers of a download of e's file, the same through every door: an attachment
// under its name, of its stored type unless a browser would run it (then application/octet-stream), never
// sniffed, never cached by a shared cache, with the SHA-256 it was checked against.
func EvidenceFileHeaders(e isms.Evidence) [][2]string {
	name := e.Filename
	if name == "" {
		name = e.Ref
	}
	return [][2]string{{"Content-Type", blob.ServeType(e.MediaType)},
		{"Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name})},
		{"Content-Length", strconv.Itoa(e.Size)}, {"X-Content-Type-Options", "nosniff"},
		{"Cache-Control", "private, no-store"}, {"X-Evidence-SHA256", e.SHA256}}
}

// EvidenceFormInput reads an evidence input from form fields named as its JSON fields (an upload's multipart form,
// the web's form): the lists (controls, clauses, tasks) repeat or separate their values by commas.
func EvidenceFormInput(v map[string][]string) EvidenceInput {
	var in EvidenceInput
	for _, f := range InputFields(&in) {
		if p, ok := f.Ptr.(*string); ok && len(v[f.Name]) > 0 {
			*p = v[f.Name][0]
		}
	}
	list := func(name string) []string {
		out := []string{}
		for _, x := range v[name] {
			for _, part := range strings.Split(x, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
		return out
	}
	in.Controls, in.Clauses, in.Tasks = list("controls"), list("clauses"), list("tasks")
	return in
}
