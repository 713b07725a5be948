package service

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// personFile is one row of a staff file as an import reads it (personFileColumns).
type personFile struct{ in PersonInput }

// personText is a plain text column of the staff files, read into the input field set gives.
func personText(name string, width float64, wrap bool, get func(p *isms.Person) string, set func(in *PersonInput) *string, aliases ...string) fileColumn[isms.Person, personFile] {
	return fileColumn[isms.Person, personFile]{Field: importer.Field{Name: name, Aliases: aliases}, look: table.Column{Width: width, NoWrap: !wrap},
		cell: func(p *isms.Person) any { return get(p) }, read: func(f *personFile, v string) { *set(&f.in) = v }}
}

// personFileColumns are the staff register's columns, in export order, for export and import alike. The manager
// is written as a reference (read back as a reference, an email or a name) and, for people, by name.
var personFileColumns = []fileColumn[isms.Person, personFile]{
	{Field: importer.Field{Name: "ref", Aliases: []string{"reference", "person ref"}}, look: table.Column{Width: 8, NoWrap: true},
		cell: func(p *isms.Person) any { return p.Ref }},
	{Field: importer.Field{Name: "name", Aliases: []string{"full name", "person", "employee"}, Required: true}, look: table.Column{Width: 28},
		cell: func(p *isms.Person) any { return p.Name }, read: func(f *personFile, v string) { f.in.Name = v }},
	personText("email", 32, false, func(p *isms.Person) string { return p.Email }, func(in *PersonInput) *string { return &in.Email }, "e-mail", "email address", "mail"),
	personText("job_title", 24, true, func(p *isms.Person) string { return p.JobTitle }, func(in *PersonInput) *string { return &in.JobTitle }, "title", "job", "role", "position"),
	personText("department", 20, true, func(p *isms.Person) string { return p.Department }, func(in *PersonInput) *string { return &in.Department }, "unit"),
	personText("team", 16, true, func(p *isms.Person) string { return p.Team }, func(in *PersonInput) *string { return &in.Team }, "squad", "group"),
	{Field: importer.Field{Name: "manager", Aliases: []string{"manager ref", "manager email", "line manager", "reports to"}},
		look: table.Column{Width: 9, NoWrap: true, DataOnly: true},
		cell: func(p *isms.Person) any { return p.Manager }, read: func(f *personFile, v string) { f.in.Manager = v }},
	{Field: importer.Field{Name: "manager_name"}, look: table.Column{Width: 20}, cell: func(p *isms.Person) any { return p.ManagerName }},
	{Field: importer.Field{Name: "employment", Aliases: []string{"employment type", "contract", "contract type"}},
		look: table.Column{Width: 11, NoWrap: true, Allowed: isms.Employments},
		cell: func(p *isms.Person) any { return p.Employment }, read: func(f *personFile, v string) { f.in.Employment = v }},
	personText("start_date", 11, false, func(p *isms.Person) string { return p.StartDate }, func(in *PersonInput) *string { return &in.StartDate }, "start", "started", "joined"),
	personText("end_date", 11, false, func(p *isms.Person) string { return p.EndDate }, func(in *PersonInput) *string { return &in.EndDate }, "end", "left", "leaving date", "last day"),
	personText("screened_on", 11, false, func(p *isms.Person) string { return p.ScreenedOn }, func(in *PersonInput) *string { return &in.ScreenedOn }, "screened", "screening", "background check"),
	personText("terms_signed_on", 11, false, func(p *isms.Person) string { return p.TermsSignedOn }, func(in *PersonInput) *string { return &in.TermsSignedOn }, "terms signed", "terms", "nda signed"),
	personText("notes", 40, true, func(p *isms.Person) string { return p.Notes }, func(in *PersonInput) *string { return &in.Notes }, "note", "comments"),
	{Field: importer.Field{Name: "version"}, look: table.Column{Width: 7, DataOnly: true}, cell: func(p *isms.Person) any { return p.Version }},
}

var personFields = fileFields(personFileColumns)

var personSortWords = sortWords{"name": {"name", "A to Z", "Z to A"}, "ref": {"reference", "ascending", "descending"},
	"department": {"department", "A to Z", "Z to A"}, "team": {"team", "A to Z", "Z to A"}}

// ImportPeople reads a staff list (csv or xlsx) in one transaction, all or nothing, like ImportAssets: a row
// with the ref of a person updates them, a row without one adds a person, an unchanged row is left alone. The
// manager is a person's reference, email or name, resolved with one scoped query per batch; a change that would
// make a loop of managers is refused with its line.
func (s *Service) ImportPeople(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, personImport, format, r, false)
}

// PreviewPeopleImport checks a staff list as ImportPeople does and says what it would do, writing nothing.
func (s *Service) PreviewPeopleImport(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, personImport, format, r, true)
}

var personImport = kitImport(store.People, registerImport[isms.Person]{kind: "P", fields: personFields,
	lookups: []importLookup[isms.Person]{{lookup: store.PeopleLookup, values: func(row *importer.Row, saved *isms.Person) []string {
		if row.Has("manager") || saved == nil {
			return []string{row.Get("manager")}
		}
		return []string{saved.Manager}
	}}},
	apply: func(p *isms.Problems, row *importer.Row, found importFound, person *isms.Person) {
		var f personFile
		if person.Ref != "" { // an update: the columns the file lacks keep their saved values
			f.in = inputOf[PersonInput](*person)
		}
		readFileRow(personFileColumns, row, &f)
		manager := f.in.check(p, row.Prefix(), found["people"])
		f.in.apply(person, manager)
	},
	verify: func(ctx context.Context, tx *store.Tx, orgID string, changes []importedRow[isms.Person], p *isms.Problems) error {
		moved := map[string]string{} // person id -> new manager id, for the people whose manager changes
		line := map[string]int{}
		for _, c := range changes {
			if c.before != nil && c.row.ManagerID != c.before.ManagerID {
				moved[c.row.ID], line[c.row.ID] = c.row.ManagerID, c.line
			}
		}
		return checkManagers(ctx, tx, orgID, p, moved, func(id string) string { return fmt.Sprintf("line %d: manager", line[id]) })
	},
	stamp: func(p *isms.Person, now time.Time, isNew bool) {
		if isNew {
			p.CreatedAt = now
		}
	},
})

// ExportPeople writes the matching people as csv, xlsx or pdf (or csv-excel) in the order of f.Sort, streaming
// them from one read transaction; the CSV and XLSX import back (ImportPeople).
func (s *Service) ExportPeople(ctx context.Context, f PersonFilter, format string, w io.Writer) error {
	f.AsOf = s.now()
	sheet := table.Sheet{Name: "People", Title: "People", Columns: fileColumns(personFileColumns)}
	row := func(p isms.Person) table.Row { return fileRow(personFileColumns, &p) }
	return exportRegister(ctx, s, store.People, f, format, w, sheet, row, func(*store.Tx, string) []pdf.Fact {
		var parts []string
		if f.Search != "" {
			parts = append(parts, fmt.Sprintf("text contains %q", f.Search))
		}
		for _, c := range []struct{ name, v string }{{"department", f.Department}, {"team", f.Team}, {"manager", f.Manager},
			{"employment", f.Employment}, {"leavers", f.Leavers}, {"screened", f.Screened}, {"terms signed", f.Terms}} {
			if c.v != "" {
				parts = append(parts, fmt.Sprintf("%s is %q", c.name, c.v))
			}
		}
		return []pdf.Fact{{Label: "Filter", Value: filterWords(parts, "everyone")},
			{Label: "Sorted by", Value: describeSort(firstNonEmpty(f.Sort, "name"), personSortWords)}}
	})
}
