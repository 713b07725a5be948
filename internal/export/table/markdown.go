package table

import (
	"io"
	"strings"
)

// WriteMarkdown writes s (but its DataOnly columns) as a GitHub-flavoured Markdown table: headers in words,
// a Labelled reference as its label, every cell on one line (see MarkdownCell).
func WriteMarkdown(w io.Writer, s *Sheet) error {
	var shown []int
	var b strings.Builder
	b.WriteString("|")
	for i, c := range s.Columns {
		if !c.DataOnly {
			shown = append(shown, i)
			b.WriteString(" " + MarkdownCell(c.Title()) + " |")
		}
	}
	b.WriteString("\n|" + strings.Repeat(" --- |", len(shown)) + "\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return s.Each(func(r Row) error {
		b.Reset()
		b.WriteString("|")
		for _, i := range shown {
			text := Text(r[i])
			if l, ok := r[i].(Labelled); ok && l.Label != "" {
				text = l.Label
			}
			b.WriteString(" " + MarkdownCell(text) + " |")
		}
		b.WriteString("\n")
		_, err := io.WriteString(w, b.String())
		return err
	})
}

// markdownEscapes keep a cell one table cell: a pipe would end it and a newline the row; "<" is escaped so
// that text never becomes HTML in a renderer, which is also why line breaks become <br>.
var markdownEscapes = strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>", "<", "&lt;")

// MarkdownCell makes text safe inside a Markdown table cell (or any one line of Markdown).
func MarkdownCell(s string) string { return markdownEscapes.Replace(strings.TrimSpace(s)) }
