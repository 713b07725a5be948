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

// The people register's columns, in export order; imports read the same headers and the aliases.
var personFields = []importer.Field{
	{Name: "ref", Aliases: []string{"reference", "person ref"}},
	{Name: "name", Aliases: []string{"full name", "person", "employee"}, Required: true},
	{Name: "email", Aliases: []string{"e-mail", "email address", "mail"}},
	{Name: "job_title", Aliases: []string{"title", "job", "role", "position"}},
	{Name: "department", Aliases: []string{"team", "unit"}},
	{Name: "start_date", Aliases: []string{"start", "started", "joined"}},
	{Name: "notes", Aliases: []string{"note", "comments"}},
	{Name: "version"},
}

var personSortWords = sortWords{"name": {"name", "A to Z", "Z to A"}, "ref": {"reference", "ascending", "descending"},
	"department": {"department", "A to Z", "Z to A"}}

func personColumns() []table.Column {
	widths := map[string]float64{"ref": 8, "name": 28, "email": 32, "job_title": 24, "department": 20, "start_date": 11, "notes": 40, "version": 7}
	cols := make([]table.Column, len(personFields))
	for k, f := range personFields {
		cols[k] = table.Column{Header: f.Name, Width: widths[f.Name], NoWrap: f.Name != "name" && f.Name != "job_title" && f.Name != "department" && f.Name != "notes",
			DataOnly: f.Name == "version"}
	}
	return cols
}

func personRow(p isms.Person) table.Row {
	return table.Row{p.Ref, p.Name, p.Email, p.JobTitle, p.Department, p.StartDate, p.Notes, p.Version}
}

// ImportPeople reads a staff list (csv or xlsx) in one transaction, all or nothing, like ImportAssets: a row
// with the ref of a person updates them, a row without one adds a person, an unchanged row is left alone.
func (s *Service) ImportPeople(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, personImport, format, r, false)
}

// PreviewPeopleImport checks a staff list as ImportPeople does and says what it would do, writing nothing.
func (s *Service) PreviewPeopleImport(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, personImport, format, r, true)
}

var personImport = kitImport(store.People, registerImport[isms.Person]{kind: "P", fields: personFields,
	apply: func(p *isms.Problems, row *importer.Row, _ importFound, person *isms.Person) {
		in := PersonInput{Name: row.Get("name"), Email: row.Get("email"), JobTitle: row.Get("job_title"), Department: row.Get("department"),
			StartDate: row.Get("start_date"), Notes: row.Get("notes")}
		in.check(p, row.Prefix())
		in.apply(person)
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
	sheet := table.Sheet{Name: "People", Title: "People", Columns: personColumns()}
	return exportRegister(ctx, s, store.People, f, format, w, sheet, personRow, func(*store.Tx, string) []pdf.Fact {
		var parts []string
		if f.Search != "" {
			parts = append(parts, fmt.Sprintf("text contains %q", f.Search))
		}
		if f.Department != "" {
			parts = append(parts, fmt.Sprintf("department is %q", f.Department))
		}
		return []pdf.Fact{{Label: "Filter", Value: filterWords(parts, "everyone")},
			{Label: "Sorted by", Value: describeSort(firstNonEmpty(f.Sort, "name"), personSortWords)}}
	})
}
