package soa

import (
	"fmt"
	"io"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
)

// PDF writes the SoA for reading: a title block with the organisation, the version (or "Draft, not approved"),
// the approver, the date, the content hash and the summary, then a table per theme under a heading, then the
// open issues. Landscape, so that justifications get a wide column.
func PDF(w io.Writer, d Document) error {
	return writePDF(w, d, false)
}

func writePDF(w io.Writer, d Document, uncompressed bool) error {
	sum, issues := isms.Summarise(d.Entries)
	var facts []pdf.Fact
	for _, f := range d.facts() {
		facts = append(facts, pdf.Fact{Label: f[0], Value: f[1]})
	}
	facts = append(facts, pdf.Fact{Label: "Summary", Value: summaryLine(sum)})
	doc := pdf.New(pdf.Meta{Organisation: d.Org.Name, Title: Title, Date: d.GeneratedAt, GeneratedBy: d.GeneratedBy,
		Facts: facts, Landscape: true, Uncompressed: uncompressed})
	themes, entries := d.byTheme()
	for _, t := range themes {
		doc.Heading(themeHeading(t, entries[t]))
		if err := doc.Table(themeSheet(t, entries[t])); err != nil {
			return err
		}
	}
	if len(issues) > 0 {
		doc.Heading(fmt.Sprintf("Open issues (%d)", len(issues)))
		if err := doc.Table(issueSheet(issues)); err != nil {
			return err
		}
	}
	return doc.Write(w)
}

// issueSheet lists what stops the SoA from being approved.
func issueSheet(issues []isms.SoAIssue) *table.Sheet {
	return &table.Sheet{Name: "Issues", Columns: []table.Column{
		{Header: "control", Label: "Control", Width: 5, NoWrap: true},
		{Header: "kind", Label: "Kind", Width: 10, NoWrap: true},
		{Header: "message", Label: "Issue", Width: 100},
	}, Rows: func(emit func(table.Row) error) error {
		for _, is := range issues {
			if err := emit(table.Row{is.Control, is.Kind, is.Message}); err != nil {
				return err
			}
		}
		return nil
	}}
}
