package service

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// importBatch is how many rows an import checks and writes at a time: the rows of a CSV file are read inside
// the transaction and never all held at once, whatever the size of the file.
const importBatch = 2000

// registerImport is how one register reads its import files; importRows does the rest, the same way for every
// register. A register on the kit gets load and save from its declaration (kitImport); the risk register brings
// its own, for its links and history.
type registerImport[T any] struct {
	entity string           // "asset", for messages and audit events
	kind   string           // the reference prefix of new rows ("A")
	fields []importer.Field // "ref" and "version" among them, both optional
	// keys are the id, reference and version of a row.
	keys func(t *T) (id, ref *string, version *int)
	// lookups are the kinds of rows a row names (owners, assets), resolved with one scoped query per kind and batch.
	lookups []importLookup[T]
	// begin reads what every row needs (the risk method) at the start of the transaction; nil when none.
	begin func(ctx context.Context, tx *store.Tx, orgID string) error
	// load reads the saved rows that references name, keyed by reference.
	load func(ctx context.Context, tx *store.Tx, orgID string, refs []string) (map[string]T, error)
	// apply checks a row, adding its problems, and copies it onto t: a copy of the saved row, or a new row.
	apply func(p *isms.Problems, row *importer.Row, found importFound, t *T)
	// verify checks what the changes of a batch do together (a loop of managers), adding problems named by line;
	// nil when a row's own checks are enough.
	verify func(ctx context.Context, tx *store.Tx, orgID string, changes []importedRow[T], p *isms.Problems) error
	// same says whether t changes nothing of before; reflect.DeepEqual when nil.
	same func(before, t *T) bool
	// stamp sets the times of a row that is added (isNew) or changed; nil when the register keeps none.
	stamp func(t *T, now time.Time, isNew bool)
	// save writes the rows of a batch: added ones (references set) and changed ones, counting their versions up.
	save func(ctx context.Context, tx *store.Tx, a Actor, added []T, changed []importedRow[T], now time.Time) error
	// audited is what the audit trail records of a row; the row itself when nil.
	audited func(t *T) any
	// warnings are what looks wrong in a row that is saved anyway (e.g. isms.Risk.Warnings).
	warnings func(t *T) []string
}

// importLookup is a kind of row that rows name: values gives the names one row holds; saved is the row it
// updates (nil for a new row), whose names count where the file has no column for them.
type importLookup[T any] struct {
	lookup store.Lookup
	values func(row *importer.Row, saved *T) []string
}

// importFound holds the rows a batch names, by table ("people", "assets") and lower-cased value.
type importFound map[string]map[string]store.Target

// kitImport fills the keys, load and save of a register on the kit from its declaration.
func kitImport[T, F any](reg *store.Register[T, F], spec registerImport[T]) registerImport[T] {
	spec.entity = reg.Entity
	spec.keys = func(t *T) (*string, *string, *int) { return reg.ID(t), reg.Ref(t), reg.Version(t) }
	spec.load = func(ctx context.Context, tx *store.Tx, orgID string, refs []string) (map[string]T, error) {
		return reg.GetMany(ctx, tx, orgID, refs)
	}
	spec.save = func(ctx context.Context, tx *store.Tx, a Actor, added []T, changed []importedRow[T], _ time.Time) error {
		if err := reg.InsertMany(ctx, tx, a.OrgID, added); err != nil {
			return err
		}
		for i := range changed {
			if err := reg.Update(ctx, tx, a.OrgID, &changed[i].row); err != nil {
				return err
			}
		}
		return nil
	}
	return spec
}

// importedRow is a row of the file that changes the register: a new row (before nil) or a changed one.
type importedRow[T any] struct {
	line   int
	before *T
	row    T
}

// importRows is the one import path of the registers. In one transaction, all or nothing: a row whose ref
// exists updates that row (when the file has a version column, only if the row is still at that version), a row
// without a ref adds a new one, and a row that would change nothing is counted as unchanged and left alone.
// Columns the register does not know (a spreadsheet's own) are ignored and named in the result. Every bad row is
// a "line N: field: problem". With dryRun the same checks run and the result says what would happen, but
// nothing is written.
//
// Rows go through in batches of importBatch: the rows a batch names are found with one scoped query per kind,
// then the batch is written, so memory stays flat however long the file is. Once a row is bad the later batches
// are still checked (to report every problem) but not written, and the transaction is rolled back. An XLSX file
// is parsed in full before the transaction starts, so that a slow workbook never holds the database's write lock;
// a CSV file is cheap to read and is streamed inside it.
func importRows[T any](ctx context.Context, s *Service, spec registerImport[T], format string, r io.Reader, dryRun bool) (ImportResult, error) {
	empty := ImportResult{Refs: []string{}, Ignored: []string{}, Warnings: []string{}, DryRun: dryRun}
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return empty, err
	}
	if !isImportFormat(format) {
		return empty, isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(ImportFormats, ", ")})
	}
	rows, err := importSource(ctx, format, r, spec.fields)
	if err != nil {
		return empty, err
	}
	run := s.store.Write
	if dryRun {
		run = s.store.Read
	}
	var res ImportResult
	err = run(ctx, func(tx *store.Tx) error {
		res = empty
		if spec.begin != nil {
			if err := spec.begin(ctx, tx, a.OrgID); err != nil {
				return err
			}
		}
		b := importBatcher[T]{s: s, tx: tx, a: a, spec: spec, res: &res, lineOf: map[string]int{}, now: s.now()}
		err := rows(func(row *importer.Row) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if b.rows == 0 && row.Ignored() != nil {
				res.Ignored = row.Ignored()
			}
			b.rows++
			b.batch = append(b.batch, row)
			if len(b.batch) == importBatch {
				return b.flush(ctx)
			}
			return nil
		})
		if e, ok := isms.AsError(err); ok && e.Kind == isms.KindInvalid && b.rows > 0 {
			// A problem of the file met after some rows (a malformed line, too many rows): reported among the
			// problems of the rows when they have some, on its own otherwise.
			if b.flush(ctx) == nil && b.p.failed() {
				b.p.add(e.Fields...)
				return b.p.err()
			}
			return err
		}
		if err != nil {
			return err
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		if b.p.failed() {
			return b.p.err()
		}
		return nil
	})
	if err != nil {
		return empty, err
	}
	return res, nil
}

// importSource reads the rows of an import file for fn. An XLSX workbook is parsed in full at once (before any
// transaction); CSV rows are read as fn asks for them. A file that cannot be used at all is an error at once.
func importSource(ctx context.Context, format string, r io.Reader, fields []importer.Field) (func(fn func(*importer.Row) error) error, error) {
	opt := importer.Options{IgnoreUnknown: true, MaxRows: MaxImportRows}
	br := bufio.NewReaderSize(limitFile(r), 64<<10)
	if magic, _ := br.Peek(4); format == "csv" && !bytes.Equal(magic, []byte("PK\x03\x04")) {
		return func(fn func(*importer.Row) error) error { return importer.Read(format, br, fields, opt, fn) }, nil
	}
	file, err := parseImport(ctx, format, br, fields, opt)
	if err != nil {
		return nil, err
	}
	return func(fn func(*importer.Row) error) error {
		for _, row := range file.rows {
			if err := fn(row); err != nil {
				return err
			}
		}
		return file.late
	}, nil
}

// importBatcher checks and writes the rows of an import a batch at a time.
type importBatcher[T any] struct {
	s      *Service
	tx     *store.Tx
	a      Actor
	spec   registerImport[T]
	res    *ImportResult
	p      importProblems
	batch  []*importer.Row
	rows   int
	lineOf map[string]int // the line that named each reference first
	now    time.Time
}

// flush checks the rows of the batch and, while no row of the file has failed, writes them.
func (b *importBatcher[T]) flush(ctx context.Context) error {
	if len(b.batch) == 0 {
		return nil
	}
	spec := b.spec
	var refs []string
	for _, row := range b.batch {
		refs = append(refs, row.Get("ref"))
	}
	saved, err := spec.load(ctx, b.tx, b.a.OrgID, refs)
	if err != nil {
		return err
	}
	values := make([][]string, len(spec.lookups))
	for _, row := range b.batch {
		var sv *T
		if v, ok := saved[strings.ToUpper(row.Get("ref"))]; ok {
			sv = &v
		}
		for i, l := range spec.lookups {
			values[i] = append(values[i], l.values(row, sv)...)
		}
	}
	found := importFound{}
	for i, l := range spec.lookups {
		if found[l.lookup.Table], err = b.tx.Resolve(ctx, b.a.OrgID, l.lookup, values[i]); err != nil {
			return err
		}
	}
	var changes []importedRow[T]
	for _, row := range b.batch {
		b.p.add(row.Problems...)
		var rp isms.Problems
		prefix := row.Prefix()
		var before *T
		var t T
		if ref := strings.ToUpper(row.Get("ref")); ref != "" {
			bt, ok := saved[ref]
			switch {
			case !ok:
				rp.Add(prefix+"ref", "no %s %s in this organisation: leave ref empty to add the row as a new %s", spec.entity, ref, spec.entity)
			case b.lineOf[ref] != 0:
				rp.Add(prefix+"ref", "%s is on line %d already", ref, b.lineOf[ref])
			default:
				b.lineOf[ref] = row.Line
				_, _, version := spec.keys(&bt)
				checkImportVersion(&rp, prefix, row.Get("version"), ref, *version)
				before, t = &bt, bt
			}
		} else {
			id, _, _ := spec.keys(&t)
			*id = store.NewID()
		}
		spec.apply(&rp, row, found, &t)
		if b.p.add(rp...); b.p.failed() {
			continue
		}
		switch {
		case before == nil:
			changes = append(changes, importedRow[T]{line: row.Line, row: t})
		case spec.same != nil && spec.same(before, &t), spec.same == nil && reflect.DeepEqual(*before, t):
			b.res.Unchanged++
		default:
			changes = append(changes, importedRow[T]{line: row.Line, before: before, row: t})
		}
	}
	b.batch = b.batch[:0]
	if spec.verify != nil && !b.p.failed() {
		var vp isms.Problems
		if err := spec.verify(ctx, b.tx, b.a.OrgID, changes, &vp); err != nil {
			return err
		}
		b.p.add(vp...)
	}
	if b.p.failed() {
		return nil // keep checking the rest of the file, write nothing more
	}
	return b.save(ctx, changes)
}

// save writes the checked changes of a batch (a dry run only counts them): the new rows get their references,
// then the register's save, then one batch of audit events ("create", or "update" with before and after).
func (b *importBatcher[T]) save(ctx context.Context, changes []importedRow[T]) error {
	spec := b.spec
	var added []T
	var changed []importedRow[T]
	var addedLines []int
	for _, c := range changes {
		if c.before == nil {
			added, addedLines = append(added, c.row), append(addedLines, c.line)
		} else {
			changed = append(changed, c)
		}
	}
	b.res.Added += len(added)
	b.res.Updated += len(changed)
	refs := make([]string, len(added))
	if !b.res.DryRun {
		var err error
		if refs, err = b.tx.NextRefs(ctx, b.a.OrgID, spec.kind, len(added)); err != nil {
			return err
		}
	}
	for i := range added {
		_, ref, _ := spec.keys(&added[i])
		*ref = firstNonEmpty(refs[i], "(new)")
		if spec.stamp != nil {
			spec.stamp(&added[i], b.now, true)
		}
		b.warn(addedLines[i], &added[i])
	}
	for i := range changed {
		if spec.stamp != nil {
			spec.stamp(&changed[i].row, b.now, false)
		}
		b.warn(changed[i].line, &changed[i].row)
	}
	if b.res.DryRun {
		return nil
	}
	if err := spec.save(ctx, b.tx, b.a, added, changed, b.now); err != nil {
		return err
	}
	audited := func(t *T) any {
		if spec.audited != nil {
			return spec.audited(t)
		}
		return *t
	}
	events := make([]*isms.AuditEvent, 0, len(changes))
	for i := range added {
		id, ref, _ := spec.keys(&added[i])
		e, err := b.s.auditEvent(b.a, "create", spec.entity, *id, *ref, nil, audited(&added[i]))
		if err != nil {
			return err
		}
		events = append(events, e)
	}
	for i := range changed {
		id, ref, _ := spec.keys(&changed[i].row)
		e, err := b.s.auditEvent(b.a, "update", spec.entity, *id, *ref, audited(changed[i].before), audited(&changed[i].row))
		if err != nil {
			return err
		}
		events = append(events, e)
	}
	b.res.Refs = append(b.res.Refs, refs...)
	return b.tx.AppendAuditBatch(ctx, b.a.OrgID, events)
}

// warn adds what looks wrong in a row that is saved anyway to the result, by line.
func (b *importBatcher[T]) warn(line int, t *T) {
	if b.spec.warnings == nil {
		return
	}
	for _, w := range b.spec.warnings(t) {
		if len(b.res.Warnings) < maxImportProblems {
			b.res.Warnings = append(b.res.Warnings, fmt.Sprintf("line %d: %s", line, w))
		}
	}
}

// Summary says in a sentence what the import did (or, in a dry run, would do) with rows of the noun ("asset"):
// "Imported 2 assets: ." or "Imported 1 asset, updated 2, left 7 unchanged."
func (r ImportResult) Summary(noun string) string {
	refs := ""
	switch n := len(r.Refs); {
	case n > 10:
		refs = r.Refs[0] + " to " + r.Refs[n-1]
	case n > 0:
		refs = strings.Join(r.Refs, ", ")
	}
	added := countOf(r.Added, noun)
	var s string
	switch {
	case r.DryRun:
		s = fmt.Sprintf("Nothing written (a check): the import would add %s, update %d and leave %d unchanged", added, r.Updated, r.Unchanged)
	case r.Updated == 0 && r.Unchanged == 0 && refs != "":
		s = "Imported " + added + ": " + refs
	case refs != "":
		s = fmt.Sprintf("Imported %s (%s), updated %d, left %d unchanged", added, refs, r.Updated, r.Unchanged)
	default:
		s = fmt.Sprintf("Imported %s, updated %d, left %d unchanged", added, r.Updated, r.Unchanged)
	}
	if len(r.Ignored) > 0 {
		s += ". Columns ignored: " + strings.Join(r.Ignored, ", ")
	}
	switch n := len(r.Warnings); {
	case n == 1:
		s += ". Warning: " + r.Warnings[0]
	case n > 1:
		s += fmt.Sprintf(". %d warnings, the first: %s", n, r.Warnings[0])
	}
	return s + "."
}

func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if noun == "person" {
		return strconv.Itoa(n) + " people"
	}
	if stem, ok := strings.CutSuffix(noun, "y"); ok {
		return strconv.Itoa(n) + " " + stem + "ies" // party, parties
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// checkImportVersion compares the version a row was exported at (when the file has one) with the saved one.
func checkImportVersion(p *isms.Problems, prefix, v, ref string, saved int) {
	if v == "" {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		p.Add(prefix+"version", "%q is not a version number: leave it as exported, or empty", v)
		return
	}
	if n != saved {
		p.Add(prefix+"version", "%s was exported at version %d but is at version %d now: someone changed it since; export again and redo the edit", ref, n, saved)
	}
}

// fileColumn is one column of a register's files (CSV, XLSX, PDF), declared once for export and import alike:
// its header as exports write it and imports read it, with the other headers imports accept and whether it is
// required or computed (importer.Field); how exports show it (look, whose Header is the field's Name); the cell an
// export writes of a row T; and how an import reads a value into its row R (nil when the column is computed or
// read with another, as the owner's two columns are). Adding a field to a register's files is one line.
type fileColumn[T, R any] struct {
	importer.Field
	look table.Column
	cell func(t *T) any
	read func(r *R, v string)
}

// fileFields are the columns as an import knows them.
func fileFields[T, R any](cols []fileColumn[T, R]) []importer.Field {
	out := make([]importer.Field, len(cols))
	for i, c := range cols {
		out[i] = c.Field
	}
	return out
}

// fileColumns are the columns as an export shows them.
func fileColumns[T, R any](cols []fileColumn[T, R]) []table.Column {
	out := make([]table.Column, len(cols))
	for i, c := range cols {
		out[i] = c.look
		out[i].Header = c.Name
	}
	return out
}

// fileRow is the export's row of t.
func fileRow[T, R any](cols []fileColumn[T, R], t *T) table.Row {
	out := make(table.Row, len(cols))
	for i, c := range cols {
		out[i] = c.cell(t)
	}
	return out
}

// readFileRow reads the columns a file has into r; a column the file lacks leaves r as it is.
func readFileRow[T, R any](cols []fileColumn[T, R], row *importer.Row, r *R) {
	for _, c := range cols {
		if c.read != nil && row.Has(c.Name) {
			c.read(r, row.Get(c.Name))
		}
	}
}
