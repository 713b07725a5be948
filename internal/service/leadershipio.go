package service

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The exports of the roles, commitments and objectives registers: CSV, XLSX and PDF through exportRegister.

// col is an export column: wrap for free text, which may break across lines in the PDF.
func col(header string, width float64, wrap bool) table.Column {
	return table.Column{Header: header, Width: width, NoWrap: !wrap, DataOnly: header == "version"}
}

// exportFacts are the title-block facts of an export of reg: its filter, in the words of its declaration, and
// its order.
func exportFacts[T, F any](reg *store.Register[T, F], f F, all string) func(*store.Tx, string) []pdf.Fact {
	return func(*store.Tx, string) []pdf.Fact {
		var parts []string
		if s := *reg.SearchOf(&f); s != "" {
			parts = append(parts, fmt.Sprintf("text contains %q", s))
		}
		for _, flt := range reg.Filters {
			if v := *flt.Field(&f); v != "" {
				parts = append(parts, fmt.Sprintf("%s is %s", strings.ReplaceAll(flt.Name, "_", " "), v))
			}
		}
		sort := *reg.SortOf(&f)
		if sort == "" {
			sort = reg.Sorts[0].Name
		}
		order := strings.TrimPrefix(sort, "-")
		if strings.HasPrefix(sort, "-") {
			order += ", descending"
		}
		return []pdf.Fact{{Label: "Filter", Value: filterWords(parts, all)}, {Label: "Sorted by", Value: order}}
	}
}

// ExportRoles writes the matching roles as csv, xlsx or pdf (or csv-excel).
func (s *Service) ExportRoles(ctx context.Context, f RoleFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Roles", Title: "Roles, responsibilities and authorities", Columns: []table.Column{
		col("ref", 8, false), col("name", 26, true), col("kind", 11, false), col("person_ref", 9, false), col("person", 22, true),
		col("responsibilities", 50, true), col("authorities", 40, true), col("notes", 30, true), col("version", 7, false)}}
	return exportRegister(ctx, s, store.Roles, f, format, w, sheet, func(r isms.ISMSRole) table.Row {
		return table.Row{r.Ref, r.Name, r.Kind, r.Person, r.PersonName, r.Responsibilities, r.Authorities, r.Notes, r.Version}
	}, exportFacts(store.Roles, f, "every role"))
}

// ExportCommitments writes the matching leadership commitments as csv, xlsx or pdf (or csv-excel).
func (s *Service) ExportCommitments(ctx context.Context, f CommitmentFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Commitments", Title: "Leadership commitments", Columns: []table.Column{
		col("ref", 8, false), col("date", 11, false), col("title", 40, true), col("person_ref", 9, false), col("person", 22, true),
		col("evidence", 40, true), col("document", 12, false), col("notes", 30, true), col("version", 7, false)}}
	return exportRegister(ctx, s, store.Commitments, f, format, w, sheet, func(c isms.Commitment) table.Row {
		return table.Row{c.Ref, c.Date, c.Title, c.Person, c.PersonName, c.Evidence, c.Document, c.Notes, c.Version}
	}, exportFacts(store.Commitments, f, "every commitment"))
}

// ExportObjectives writes the matching objectives as csv, xlsx or pdf (or csv-excel), each with whether it is
// overdue today.
func (s *Service) ExportObjectives(ctx context.Context, f ObjectiveFilter, format string, w io.Writer) error {
	today := s.Today()
	sheet := table.Sheet{Name: "Objectives", Title: "Information security objectives", Columns: []table.Column{
		col("ref", 9, false), col("title", 36, true), col("measure", 30, true), col("target", 20, true), col("owner_ref", 9, false),
		col("owner", 20, true), col("due", 11, false), col("status", 10, false), col("overdue", 8, false), col("policy", 30, true),
		col("risks", 16, true), col("notes", 30, true), col("version", 7, false)}}
	sheet.Columns[7].Allowed = isms.ObjectiveStatuses
	return exportRegister(ctx, s, store.Objectives, f, format, w, sheet, func(o isms.Objective) table.Row {
		return table.Row{o.Ref, o.Title, o.Measure, o.Target, o.Owner, o.OwnerName, o.Due, o.Status, yesNo(o.Overdue(today)),
			o.Policy, strings.Join(o.Risks, ", "), o.Notes, o.Version}
	}, exportFacts(store.Objectives, f, "every objective"))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
