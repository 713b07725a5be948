package service

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ScopeExportFormats name the downloads of the ISMS scope.
var ScopeExportFormats = []string{"md", "pdf"}

// scopeDocument is what an export of the scope shows: the scope, and the version it is (nil: the draft).
type scopeDocument struct {
	org         string
	scope       isms.Scope
	version     *isms.ApprovedVersion
	status      string // of the draft
	generatedBy string
	generatedAt time.Time
}

// ExportScope writes the scope's draft (version "" or "draft") or an approved version (a number) as Markdown or
// PDF. The format, the version and the caller's access are checked before a byte is written.
func (s *Service) ExportScope(ctx context.Context, version, format string, w io.Writer) error {
	format = strings.ToLower(strings.TrimSpace(format))
	if !isms.OneOf(format, ScopeExportFormats) {
		return isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(ScopeExportFormats, ", ")})
	}
	number := 0
	if v := strings.TrimSpace(version); v != "" && v != DraftVersion {
		n, err := versionNumber("version", v)
		if err != nil {
			return err
		}
		number = n
	}
	doc, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (scopeDocument, error) {
		d := scopeDocument{generatedBy: firstNonEmpty(a.Name, a.Email), generatedAt: s.now()}
		org, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return d, err
		}
		d.org = org.Name
		if number > 0 {
			v, err := loadScopeVersion(ctx, tx, a, number)
			d.scope, d.version = v.Scope, &v.ApprovedVersion
			return d, err
		}
		view, err := s.scopeView(ctx, tx, a)
		d.scope, d.status = view.Scope, view.Status
		return d, err
	})
	if err != nil {
		return err
	}
	if format == "md" {
		return doc.markdown(w)
	}
	return doc.pdf(w)
}

// facts are the title block's lines: the version, its approver, date and hash, or the draft's status.
func (d scopeDocument) facts() []pdf.Fact {
	if d.version == nil {
		status := map[string]string{ScopeDraft: "Draft, never approved", ScopeChanged: "Draft, changed since the last approval",
			ScopeApproved: "Draft, the same as the last approved version"}[d.status]
		return []pdf.Fact{{Label: "Version", Value: status}, {Label: "Content hash", Value: isms.ContentHash(isms.CanonicalScope(d.scope))}}
	}
	v := d.version
	facts := []pdf.Fact{{Label: "Version", Value: fmt.Sprintf("%d", v.Number)}, {Label: "Approved by", Value: v.ApprovedBy},
		{Label: "Approved", Value: v.ApprovedAt.UTC().Format("2 January 2006, 15:04 UTC")}}
	if v.Comment != "" {
		facts = append(facts, pdf.Fact{Label: "Comment", Value: v.Comment})
	}
	return append(facts, pdf.Fact{Label: "Content hash", Value: v.Hash})
}

// sections are the scope's parts in order, each a heading in words and its paragraphs or items.
func (d scopeDocument) sections() []scopeSection {
	sc := d.scope
	return []scopeSection{
		{"Scope statement", paragraphs(sc.Statement), nil},
		{"Organisational units", nil, sc.Units},
		{"Locations", nil, sc.Locations},
		{"Systems and services", nil, sc.Systems},
		{"Boundaries and interfaces", paragraphs(sc.Boundaries), nil},
	}
}

type scopeSection struct {
	heading    string
	paragraphs []string
	items      []string
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func exclusionSheet(ex []isms.Exclusion) *table.Sheet {
	return &table.Sheet{Name: "Exclusions", Title: "Exclusions",
		Columns: []table.Column{{Header: "excluded", Label: "Excluded", Width: 30}, {Header: "justification", Label: "Justification", Width: 60}},
		Rows: func(emit func(table.Row) error) error {
			for _, e := range ex {
				if err := emit(table.Row{e.Item, e.Justification}); err != nil {
					return err
				}
			}
			return nil
		}}
}

const scopeTitle = "ISMS scope"

func (d scopeDocument) markdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	md := table.MarkdownCell
	fmt.Fprintf(bw, "# %s\n\n", md(scopeTitle+": "+d.org))
	for _, f := range d.facts() {
		fmt.Fprintf(bw, "- **%s:** %s\n", f.Label, md(f.Value))
	}
	fmt.Fprintf(bw, "- **Generated:** %s\n\n", md(d.generatedAt.UTC().Format("2 January 2006, 15:04 UTC")+" by "+d.generatedBy))
	for _, sec := range d.sections() {
		fmt.Fprintf(bw, "## %s\n\n", sec.heading)
		for _, p := range sec.paragraphs {
			for _, line := range strings.Split(p, "\n") {
				fmt.Fprintf(bw, "%s\n", md(line))
			}
			bw.WriteString("\n")
		}
		for _, it := range sec.items {
			fmt.Fprintf(bw, "- %s\n", md(it))
		}
		if len(sec.paragraphs)+len(sec.items) == 0 {
			bw.WriteString("None recorded.\n")
		}
		if len(sec.items) > 0 || len(sec.paragraphs) == 0 {
			bw.WriteString("\n")
		}
	}
	bw.WriteString("## Exclusions\n\n")
	if len(d.scope.Exclusions) == 0 {
		bw.WriteString("Nothing is excluded.\n")
	} else if err := table.WriteMarkdown(bw, exclusionSheet(d.scope.Exclusions)); err != nil {
		return err
	}
	return bw.Flush()
}

func (d scopeDocument) pdf(w io.Writer) error {
	doc := pdf.New(pdf.Meta{Organisation: d.org, Title: scopeTitle, Date: d.generatedAt, GeneratedBy: d.generatedBy, Facts: d.facts()})
	for _, sec := range d.sections() {
		doc.Heading(sec.heading)
		for _, p := range sec.paragraphs {
			doc.Paragraph(p)
		}
		for _, it := range sec.items {
			doc.Paragraph("•  " + it)
		}
		if len(sec.paragraphs)+len(sec.items) == 0 {
			doc.Paragraph("None recorded.")
		}
	}
	doc.Heading("Exclusions")
	if len(d.scope.Exclusions) == 0 {
		doc.Paragraph("Nothing is excluded.")
	} else if err := doc.Table(exclusionSheet(d.scope.Exclusions)); err != nil {
		return err
	}
	return doc.Write(w)
}
