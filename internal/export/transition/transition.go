// Package transition writes the report of the transition from ISO/IEC 27001:2013 to 2022 as Markdown, PDF
// and XLSX: for each 2022 control its 2013 sources, their imported answers and the decision taken; for each
// 2013 control where it went; the controls new in 2022 and how each was addressed. The three tables are
// table.Sheets, so every format shows the same rows.
package transition

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
)

// Report is what the report shows.
type Report struct {
	Organisation string
	ImportedAt   time.Time
	Marked       int // controls the import left for a decision
	Decided      int // of those, decided since
	Controls     []isms.TransitionItem
	Rows         []isms.Transition2013Row // all 114, with their title and the controls they became
}

// Title is the report's title.
const Title = "Transition from ISO/IEC 27001:2013 to 2022"

// oneLine keeps a cell on one line in every format (merged justifications hold one line per source).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// decision is an entry's decision in words: "Applicable, implemented: <justification>".
func decision(e isms.SoAEntry) string {
	var s string
	switch e.Applicability() {
	case "undecided":
		return "Undecided"
	case "yes":
		s = "Applicable"
		if e.Status != "" {
			s += ", " + strings.ToLower(isms.SoAStatusNames[e.Status])
		}
	default:
		s = "Not applicable"
	}
	if j := oneLine(e.Justification); j != "" {
		s += ": " + j
	}
	return s
}

// answers lists the imported answers of a control's sources: "A.5.1.1: applicable (implemented)".
func answers(it isms.TransitionItem) string {
	var parts []string
	for _, r := range it.Answers {
		parts = append(parts, r.Control+": "+r.Answer())
	}
	return strings.Join(parts, "; ")
}

func outcome(it isms.TransitionItem) string {
	if it.Kept {
		return "Kept: already decided in 2022"
	}
	return isms.TransitionOutcomeNames[it.Outcome]
}

func sheet(name, title string, cols []table.Column, n int, row func(i int) table.Row) *table.Sheet {
	return &table.Sheet{Name: name, Title: title, Columns: cols, Rows: func(emit func(table.Row) error) error {
		for i := range n {
			if err := emit(row(i)); err != nil {
				return err
			}
		}
		return nil
	}}
}

// Sheets are the report's three tables: the 2022 controls, the 2013 controls and the controls new in 2022.
func Sheets(r Report) []*table.Sheet {
	var added []isms.TransitionItem
	for _, it := range r.Controls {
		if len(it.Sources) == 0 {
			added = append(added, it)
		}
	}
	controls := sheet("2022 controls", "Each 2022 control", []table.Column{
		{Header: "control", Label: "Control", Width: 9, NoWrap: true}, {Header: "title", Label: "Title", Width: 34, Wrap: true},
		{Header: "sources", Label: "2013 sources", Width: 16, Wrap: true}, {Header: "imported_answers", Label: "Imported answers", Width: 40, Wrap: true},
		{Header: "outcome", Label: "Import", Width: 24, Wrap: true}, {Header: "decision", Label: "Decision taken", Width: 60, Wrap: true},
	}, len(r.Controls), func(i int) table.Row {
		it := r.Controls[i]
		return table.Row{it.Control, it.Title, strings.Join(it.Sources, ", "), answers(it), outcome(it), decision(it.Entry)}
	})
	old := sheet("2013 controls", "Each 2013 control", []table.Column{
		{Header: "control_2013", Label: "2013 control", Width: 12, NoWrap: true}, {Header: "title", Label: "Title", Width: 40, Wrap: true},
		{Header: "imported_answer", Label: "Imported answer", Width: 26, Wrap: true}, {Header: "became", Label: "Became (2022)", Width: 14, NoWrap: true},
	}, len(r.Rows), func(i int) table.Row {
		row := r.Rows[i]
		answer := row.Answer()
		if row.Line == 0 {
			answer = "not in the imported file"
		}
		return table.Row{row.Control, row.Title, answer, strings.Join(row.Became, ", ")}
	})
	fresh := sheet("New controls", "The controls new in 2022", []table.Column{
		{Header: "control", Label: "Control", Width: 9, NoWrap: true}, {Header: "title", Label: "Title", Width: 34, Wrap: true},
		{Header: "decision", Label: "How it was addressed", Width: 80, Wrap: true},
	}, len(added), func(i int) table.Row {
		return table.Row{added[i].Control, added[i].Title, decision(added[i].Entry)}
	})
	return []*table.Sheet{controls, old, fresh}
}

// Markdown is the report as Markdown, its title the first line (the PDF's title block says it instead).
func Markdown(r Report) (string, error) {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s\n\n", Title)
	p("- **Organisation:** %s\n", table.MarkdownCell(r.Organisation))
	if !r.ImportedAt.IsZero() {
		p("- **2013 SoA imported:** %s\n", r.ImportedAt.UTC().Format("2 January 2006, 15:04 UTC"))
	}
	p("- **Decisions the import left open:** %d of %d decided\n\n", r.Decided, r.Marked)
	sheets := Sheets(r)
	intro := []string{
		"For each 2022 control: the 2013 controls it comes from, their answers in the imported file, what the import did and the decision in the Statement of Applicability now.",
		"For each 2013 control: its answer in the imported file and the 2022 controls it became.",
		"The eleven controls that have no 2013 source, and how each was addressed.",
	}
	for i, s := range sheets {
		p("## %s\n\n%s\n\n", s.Title, intro[i])
		if err := table.WriteMarkdown(&b, s); err != nil {
			return "", err
		}
		p("\n")
	}
	return b.String(), nil
}

// WriteXLSX writes the three tables as worksheets.
func WriteXLSX(w io.Writer, r Report) error {
	s := Sheets(r)
	return table.WriteXLSX(w, s[0], s[1:]...)
}

// WritePDF writes the report as a PDF in the house style: the title block, headings in words, tables that wrap.
func WritePDF(w io.Writer, r Report, generatedBy string, at time.Time) error {
	md, err := Markdown(r)
	if err != nil {
		return err
	}
	_, body, _ := strings.Cut(md, "\n\n")
	return pdf.Markdown(w, pdf.DocMeta{Organisation: r.Organisation, Title: Title, Status: "report", Date: at, GeneratedBy: generatedBy}, body)
}
