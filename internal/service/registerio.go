package service

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// registerImport is how one register on the kit reads its import files; importRows does the rest, the same
// way for every register.
type registerImport[T, F any] struct {
	reg    *store.Register[T, F]
	kind   string           // the reference prefix of new rows ("A")
	fields []importer.Field // "ref" and "version" among them, both optional
	// people are the values of a row that name people (owners), resolved with one query for the whole file.
	people func(row *importer.Row) []string
	// apply checks a row, adding its problems, and copies it onto t: a copy of the saved row, or a new row.
	apply func(p *isms.Problems, row *importer.Row, people map[string]store.Target, t *T)
	// stamp sets the times of a row that is added (isNew) or changed; nil when the register keeps none.
	stamp func(t *T, now time.Time, isNew bool)
}

// importedRow is a row of the file that changes the register: a new row (before nil) or a changed one.
type importedRow[T any] struct {
	before *T
	row    T
}

// importRows is the one import path of the registers on the kit (assets, people). In one transaction, all or
// nothing: a row whose ref exists updates that row (when the file has a version column, only if the row is
// still at that version), a row without a ref adds a new one, and a row that would change nothing is counted
// as unchanged and left alone. Columns the register does not know (a spreadsheet's own, or another tool's row
// id such as legacy_id: no register on the kit has a column to keep one yet) are ignored and named in the
// result. Every bad row is a "line N: field: problem". With dryRun the same checks run
// and the result says what would happen, but nothing is written.
func importRows[T, F any](ctx context.Context, s *Service, spec registerImport[T, F], format string, r io.Reader, dryRun bool) (ImportResult, error) {
	res := ImportResult{Refs: []string{}, Ignored: []string{}, DryRun: dryRun}
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return res, err
	}
	if !isImportFormat(format) {
		return res, isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(ImportFormats, ", ")})
	}
	file, err := parseImport(ctx, format, r, spec.fields, importer.Options{IgnoreUnknown: true})
	if err != nil {
		return res, err
	}
	var refs, people []string
	for _, row := range file.rows {
		refs = append(refs, row.Get("ref"))
		if spec.people != nil {
			people = append(people, spec.people(row)...)
		}
	}
	run := s.store.Write
	if dryRun {
		run = s.store.Read
	}
	err = run(ctx, func(tx *store.Tx) error {
		res = ImportResult{Refs: []string{}, Ignored: file.ignored(), DryRun: dryRun}
		saved, err := spec.reg.GetMany(ctx, tx, a.OrgID, refs)
		if err != nil {
			return err
		}
		targets, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, people)
		if err != nil {
			return err
		}
		var p importProblems
		var changes []importedRow[T]
		lineOf := map[string]int{} // the line that named each reference first
		now := s.now()
		err = file.each(&p, func(row *importer.Row) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			p.add(row.Problems...)
			var rp isms.Problems
			prefix := row.Prefix()
			var before *T
			var t T
			if ref := strings.ToUpper(row.Get("ref")); ref != "" {
				b, ok := saved[ref]
				switch {
				case !ok:
					rp.Add(prefix+"ref", "no %s %s in this organisation: leave ref empty to add the row as a new %s", spec.reg.Entity, ref, spec.reg.Entity)
				case lineOf[ref] != 0:
					rp.Add(prefix+"ref", "%s is on line %d already", ref, lineOf[ref])
				default:
					lineOf[ref] = row.Line
					checkImportVersion(&rp, prefix, row.Get("version"), ref, *spec.reg.Version(&b))
					before, t = &b, b
				}
			} else {
				*spec.reg.ID(&t) = store.NewID()
			}
			spec.apply(&rp, row, targets, &t)
			if p.add(rp...); p.failed() {
				return nil
			}
			switch {
			case before == nil:
				changes = append(changes, importedRow[T]{row: t})
			case reflect.DeepEqual(*before, t):
				res.Unchanged++
			default:
				changes = append(changes, importedRow[T]{before: before, row: t})
			}
			return nil
		})
		if err != nil {
			return err
		}
		if p.failed() {
			return p.err()
		}
		return saveImported(ctx, s, tx, a, spec, changes, now, &res)
	})
	if err != nil {
		return ImportResult{Refs: []string{}, Ignored: []string{}, DryRun: dryRun}, err
	}
	return res, nil
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
	return s + "."
}

func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if noun == "person" {
		return strconv.Itoa(n) + " people"
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

// saveImported writes the checked changes of an import (a dry run only counts them): the new rows with their
// references in multi-row statements, each changed row with its version check, and one batch of audit events
// ("create", or "update" with before and after).
func saveImported[T, F any](ctx context.Context, s *Service, tx *store.Tx, a Actor, spec registerImport[T, F], changes []importedRow[T], now time.Time, res *ImportResult) error {
	var added []T
	var events []*isms.AuditEvent
	for _, c := range changes {
		if c.before == nil {
			added = append(added, c.row)
		}
	}
	res.Added, res.Updated = len(added), len(changes)-len(added)
	if res.DryRun {
		return nil
	}
	refs, err := tx.NextRefs(ctx, a.OrgID, spec.kind, len(added))
	if err != nil {
		return err
	}
	for i := range added {
		*spec.reg.Ref(&added[i]) = refs[i]
		if spec.stamp != nil {
			spec.stamp(&added[i], now, true)
		}
	}
	if err := spec.reg.InsertMany(ctx, tx, a.OrgID, added); err != nil {
		return err
	}
	for i := range added {
		e, err := s.auditEvent(a, "create", spec.reg.Entity, *spec.reg.ID(&added[i]), refs[i], nil, added[i])
		if err != nil {
			return err
		}
		events = append(events, e)
	}
	for _, c := range changes {
		if c.before == nil {
			continue
		}
		row := c.row
		if spec.stamp != nil {
			spec.stamp(&row, now, false)
		}
		if err := spec.reg.Update(ctx, tx, a.OrgID, &row); err != nil {
			return err
		}
		e, err := s.auditEvent(a, "update", spec.reg.Entity, *spec.reg.ID(&row), *spec.reg.Ref(&row), *c.before, row)
		if err != nil {
			return err
		}
		events = append(events, e)
	}
	res.Refs = refs
	if res.Refs == nil {
		res.Refs = []string{}
	}
	return tx.AppendAuditBatch(ctx, a.OrgID, events)
}
