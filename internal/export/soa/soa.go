// Package soa writes a Statement of Applicability, the current draft or an approved version, in every format an
// auditor asks for: XLSX (every column, with a summary sheet), CSV, PDF (grouped by theme), Markdown and OSCAL.
// It reads plain inputs (a Document) and reuses the register writers of internal/export.
package soa

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
)

// Title is the document title of every export.
const Title = "Statement of Applicability"

// Document is an SoA ready to export.
type Document struct {
	Org         isms.Organisation
	Entries     []isms.SoAEntry  // all 93 in catalog order, Risks filled; a version's own entries when Version is set
	Version     *isms.SoAVersion // nil: the current draft (its Entries are not read)
	GeneratedBy string           // the user's name
	GeneratedAt time.Time
	Catalog     *catalog.Catalog // themes and the five attribute dimensions of each control
}

// VersionLabel names the SoA exported: "Version 2" or "Draft, not approved".
func (d Document) VersionLabel() string {
	if d.Version == nil {
		return "Draft, not approved"
	}
	return "Version " + strconv.Itoa(d.Version.Number)
}

// Hash is the content hash the approval vouches for, or the draft's own when not approved.
func (d Document) Hash() string {
	if d.Version != nil {
		return d.Version.Hash
	}
	return isms.SoAHash(d.Entries)
}

// facts are the approval facts every format states, in order; empty values are left out.
func (d Document) facts() [][2]string {
	out := [][2]string{{"Version", d.VersionLabel()}}
	if v := d.Version; v != nil {
		out = append(out, [2]string{"Approved by", v.ApprovedBy}, [2]string{"Approved", dateTime(v.ApprovedAt)},
			[2]string{"Approval comment", v.Comment})
	}
	return append(out, [2]string{"Content hash (SHA-256)", d.Hash()})
}

func dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006, 15:04 UTC")
}

// summaryLine says the counts of isms.Summarise in one sentence.
func summaryLine(s isms.SoASummary) string {
	return fmt.Sprintf("%d controls: %d decided, %d applicable, %d excluded, %d implemented, %d incomplete, %d contradictory",
		s.Controls, s.Decided, s.Applicable, s.Excluded, s.Implemented, s.Incomplete, s.Contradictory)
}

// ThemeName is a theme in words: "organizational" -> "Organizational controls".
func ThemeName(theme string) string {
	if theme == "" {
		return "Other controls"
	}
	return strings.ToUpper(theme[:1]) + theme[1:] + " controls"
}

// themeOf is the entry's theme, from the catalog when the entry does not carry it.
func (d Document) themeOf(e isms.SoAEntry) string {
	if e.Theme != "" || d.Catalog == nil {
		return e.Theme
	}
	ctl, _ := d.Catalog.Control(e.Control)
	return ctl.Theme
}

// byTheme groups the entries by theme, themes in the catalog's order (an unknown theme last), entries in
// their given order.
func (d Document) byTheme() (themes []string, entries map[string][]isms.SoAEntry) {
	entries = map[string][]isms.SoAEntry{}
	var order []string
	if d.Catalog != nil {
		order = d.Catalog.Themes()
	}
	for _, e := range d.Entries {
		t := d.themeOf(e)
		if _, seen := entries[t]; !seen && !contains(order, t) {
			order = append(order, t)
		}
		entries[t] = append(entries[t], e)
	}
	for _, t := range order {
		if len(entries[t]) > 0 {
			themes = append(themes, t)
		}
	}
	return themes, entries
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// reasonWords is the entry's reasons in words, "risk" included whenever a risk links the control.
func reasonWords(e isms.SoAEntry) string {
	rs := e.AllReasons()
	for i, r := range rs {
		rs[i] = isms.SoAReasonNames[r]
	}
	return table.Join(rs)
}

// attributeWords is one attribute dimension of a control as the catalog lists it, underscores as spaces.
func attributeWords(a catalog.Attributes, key string) string {
	vals := a.Values(key)
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.ReplaceAll(v, "_", " ")
	}
	return table.Join(out)
}

// attributeColumns are the five ISO/IEC 27002 attribute dimensions, in the catalog's order of AttributeKeys.
var attributeColumns = []table.Column{
	{Header: "control_type", Label: "Control type", Width: 14},
	{Header: "security_properties", Label: "Security properties", Width: 20},
	{Header: "cybersecurity_concepts", Label: "Cybersecurity concepts", Width: 16},
	{Header: "operational_capabilities", Label: "Operational capabilities", Width: 26},
	{Header: "security_domains", Label: "Security domains", Width: 20},
}

// Sheet is the whole SoA as one register, a row per control with every column: what XLSX and CSV write.
func (d Document) Sheet() *table.Sheet {
	cols := []table.Column{
		{Header: "control", Label: "Control", Width: 8, NoWrap: true},
		{Header: "title", Label: "Title", Width: 36, Wrap: true},
		{Header: "theme", Label: "Theme", Width: 14},
	}
	cols = append(cols, attributeColumns...)
	cols = append(cols,
		table.Column{Header: "applicable", Label: "Applicable", Width: 11},
		table.Column{Header: "reasons", Label: "Reasons", Width: 24, Wrap: true},
		table.Column{Header: "justification", Label: "Justification", Width: 60, Wrap: true},
		table.Column{Header: "status", Label: "Status", Width: 20},
		table.Column{Header: "owner", Label: "Owner", Width: 9, NoWrap: true},
		table.Column{Header: "owner_name", Label: "Owner name", Width: 20},
		table.Column{Header: "risks", Label: "Risks", Width: 16, Wrap: true},
		table.Column{Header: "notes", Label: "Notes", Width: 40, Wrap: true},
	)
	return &table.Sheet{Name: "SoA", Title: Title, Columns: cols, Rows: func(emit func(table.Row) error) error {
		for _, e := range d.Entries {
			var attrs catalog.Attributes
			if d.Catalog != nil {
				ctl, _ := d.Catalog.Control(e.Control)
				attrs = ctl.Attributes
			}
			row := table.Row{e.Control, e.Title, d.themeOf(e)}
			for _, k := range catalog.AttributeKeys() {
				row = append(row, attributeWords(attrs, k))
			}
			row = append(row, e.Applicability(), reasonWords(e), e.Justification, isms.SoAStatusNames[e.Status],
				e.Owner, e.OwnerName, table.Join(e.Risks), e.Notes)
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}}
}

// themeSheet is the entries of one theme with the columns a reader of the PDF and Markdown needs.
func themeSheet(theme string, entries []isms.SoAEntry) *table.Sheet {
	return &table.Sheet{Name: theme, Title: ThemeName(theme), Columns: []table.Column{
		{Header: "control", Label: "Control", Width: 5, NoWrap: true},
		{Header: "title", Label: "Title", Width: 24},
		{Header: "applicable", Label: "Applicable", Width: 7, NoWrap: true},
		{Header: "reasons", Label: "Reasons", Width: 15},
		{Header: "justification", Label: "Justification", Width: 62},
		{Header: "status", Label: "Status", Width: 11},
		{Header: "owner", Label: "Owner", Width: 13},
	}, Rows: func(emit func(table.Row) error) error {
		for _, e := range entries {
			owner := table.Labelled{Value: e.Owner, Label: e.OwnerName}
			if err := emit(table.Row{e.Control, e.Title, e.Applicability(), reasonWords(e), e.Justification,
				isms.SoAStatusNames[e.Status], owner}); err != nil {
				return err
			}
		}
		return nil
	}}
}

// summarySheet is the second XLSX worksheet: the organisation, the approval facts, the counts and every open
// issue.
func (d Document) summarySheet() *table.Sheet {
	sum, issues := isms.Summarise(d.Entries)
	return &table.Sheet{Name: "Summary", Title: "Summary", Columns: []table.Column{
		{Header: "item", Width: 26}, {Header: "value", Width: 90, Wrap: true},
	}, Rows: func(emit func(table.Row) error) error {
		rows := []table.Row{{"Organisation", d.Org.Name}, {"Document", Title}}
		for _, f := range d.facts() {
			rows = append(rows, table.Row{f[0], f[1]})
		}
		rows = append(rows, table.Row{"Generated by", d.GeneratedBy}, table.Row{"Generated", dateTime(d.GeneratedAt)},
			table.Row{"Controls", sum.Controls}, table.Row{"Decided", sum.Decided}, table.Row{"Applicable", sum.Applicable},
			table.Row{"Excluded", sum.Excluded}, table.Row{"Implemented", sum.Implemented},
			table.Row{"Incomplete", sum.Incomplete}, table.Row{"Contradictory", sum.Contradictory},
			table.Row{"Open issues", len(issues)})
		for _, is := range issues {
			rows = append(rows, table.Row{"Issue (" + is.Kind + ")", is.Message})
		}
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}}
}

// XLSX writes the SoA as a workbook: the SoA sheet (a row per control, every column, frozen header, filter,
// wrapped text) and the Summary sheet.
func XLSX(w io.Writer, d Document) error {
	return table.WriteXLSX(w, d.Sheet(), d.summarySheet())
}

// CSV writes a row per control with the columns of the XLSX; excel starts it with a UTF-8 BOM.
func CSV(w io.Writer, d Document, excel bool) error {
	return table.WriteCSV(w, d.Sheet(), table.CSVOptions{BOM: excel})
}

// OSCAL writes the SoA as an OSCAL 1.1.3 system security plan, validated before a byte is written.
func OSCAL(w io.Writer, d Document) error {
	b, err := oscal.SSP(d.Org, d.Entries, d.Version, d.GeneratedAt)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
