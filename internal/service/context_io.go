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

// Exports of the clause 4 registers (csv, xlsx, pdf, csv-excel) through exportRegister, like the assets.

var (
	issueSortWords = sortWords{"ref": {"reference", "ascending", "descending"}, "title": {"title", "A to Z", "Z to A"},
		"kind": {"kind", "A to Z", "Z to A"}, "review": {"review date", "earliest first", "latest first"},
		"updated": {"last change", "oldest first", "newest first"}}
	partySortWords = sortWords{"ref": {"reference", "ascending", "descending"}, "name": {"name", "A to Z", "Z to A"},
		"kind": {"kind", "A to Z", "Z to A"}, "updated": {"last change", "oldest first", "newest first"}}
)

// ExportIssues writes the matching issues in the order of f.Sort.
func (s *Service) ExportIssues(ctx context.Context, f IssueFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Issues", Title: "Internal and external issues", Columns: []table.Column{
		{Header: "ref", Width: 8, NoWrap: true}, {Header: "title", Width: 30}, {Header: "kind", Width: 9, NoWrap: true, Allowed: isms.IssueKinds},
		{Header: "description", Width: 40}, {Header: "effect", Label: "Effect on the ISMS", Width: 40}, {Header: "owner_ref", Width: 9, DataOnly: true},
		{Header: "owner", Width: 20}, {Header: "review_date", Width: 11, NoWrap: true}, {Header: "notes", Width: 30}, {Header: "version", Width: 7, DataOnly: true}}}
	return exportRegister(ctx, s, store.Issues, f, format, w, sheet, func(i isms.Issue) table.Row {
		return table.Row{i.Ref, i.Title, i.Kind, i.Description, i.Effect, i.Owner, i.OwnerName, i.ReviewDate, i.Notes, i.Version}
	}, func(*store.Tx, string) []pdf.Fact {
		var parts []string
		if f.Search != "" {
			parts = append(parts, fmt.Sprintf("text contains %q", f.Search))
		}
		if f.Kind != "" {
			parts = append(parts, "kind is "+f.Kind)
		}
		if f.Owner != "" {
			parts = append(parts, "owner is "+f.Owner)
		}
		return []pdf.Fact{{Label: "Filter", Value: filterWords(parts, "every issue")}, {Label: "Sorted by", Value: describeSort(f.Sort, issueSortWords)}}
	})
}

// ExportParties writes the matching interested parties, each with its requirements in one cell a line.
func (s *Service) ExportParties(ctx context.Context, f PartyFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Interested parties", Title: "Interested parties", Columns: []table.Column{
		{Header: "ref", Width: 8, NoWrap: true}, {Header: "name", Width: 28}, {Header: "kind", Width: 11, NoWrap: true, Allowed: isms.PartyKinds},
		{Header: "description", Width: 40}, {Header: "requirements", Width: 60}, {Header: "notes", Width: 30}, {Header: "version", Width: 7, DataOnly: true}}}
	var reqs map[string][]string // party id -> its requirements in words, read once before the rows
	return exportRegister(ctx, s, store.Parties, f, format, w, sheet, func(p isms.Party) table.Row {
		return table.Row{p.Ref, p.Name, p.Kind, p.Description, strings.Join(reqs[p.ID], "\n"), p.Notes, p.Version}
	}, func(tx *store.Tx, orgID string) []pdf.Fact {
		reqs = map[string][]string{}
		// A failed read here leaves the cells empty; the rows' own read in the same transaction fails then too, and
		// that error ends the export.
		_ = store.Requirements.Each(ctx, tx, orgID, RequirementFilter{}, func(r isms.Requirement) error {
			line := fmt.Sprintf("%s (%s): %s", r.Ref, r.Type, r.Text)
			if len(r.Controls) > 0 {
				line += " [" + strings.Join(r.Controls, ", ") + "]"
			}
			reqs[r.PartyID] = append(reqs[r.PartyID], line)
			return nil
		})
		var parts []string
		if f.Search != "" {
			parts = append(parts, fmt.Sprintf("text contains %q", f.Search))
		}
		if f.Kind != "" {
			parts = append(parts, "kind is "+f.Kind)
		}
		return []pdf.Fact{{Label: "Filter", Value: filterWords(parts, "every interested party")}, {Label: "Sorted by", Value: describeSort(f.Sort, partySortWords)}}
	})
}
