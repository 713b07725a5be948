// Package table is the one row model every register export shares: a Sheet names its columns (header, width,
// the values a column allows) and streams its rows; the CSV and XLSX writers here and the PDF writer in
// internal/export/pdf all read the same Sheet, so a register is described once and written in any format.
package table

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Column describes one column of a register.
type Column struct {
	// Header is the column name in the first row: the machine name imports match (e.g. "residual_likelihood").
	Header string
	// Label is the header in words for people, in the PDF (e.g. "Residual likelihood"); empty derives it from
	// Header.
	Label string
	// Width is the column width in characters (XLSX); the PDF writer shares the page width in proportion.
	Width float64
	// Allowed lists the values a cell may take; the XLSX writer turns it into a drop-down data validation.
	Allowed []string
	// NoWrap marks short values of a fixed format (references, dates, scores) that must not break across lines:
	// the PDF writer makes the column at least as wide as its widest value among the first rows.
	NoWrap bool
	// DataOnly marks a column for machines, written to CSV and XLSX but left out of the PDF: a person's
	// reference beside the column with the name.
	DataOnly bool
	// Wrap marks a column of long text (a justification): XLSX wraps its cells within the column width.
	Wrap bool
}

// Title is the column's header in words: its Label, or its Header with the first letter upper case and
// underscores as spaces ("residual_score" -> "Residual score").
func (c Column) Title() string {
	if c.Label != "" {
		return c.Label
	}
	h := strings.ReplaceAll(c.Header, "_", " ")
	if h == "" {
		return h
	}
	return strings.ToUpper(h[:1]) + h[1:]
}

// Row is one row of cells, one per column. A cell is a string, an int (written as a number in XLSX), a
// time.Time (written as YYYY-MM-DD HH:MM UTC), a Labelled reference, nil (empty) or anything else (formatted
// with fmt).
type Row []any

// Labelled is a reference with a label for people: CSV and XLSX write the value (it imports back), PDF shows
// the label when there is one. Example: a risk owner, value "P-003", label "Dana Scully".
type Labelled struct {
	Value, Label string
}

func (l Labelled) String() string { return l.Value }

// Banded is a score with the band of the risk method it falls in ("low", "medium", "high"): CSV writes the
// number, XLSX and PDF also colour the cell with the band's colour.
type Banded struct {
	Score int
	Band  string
}

// BandColours are the cell backgrounds (fill) and the text colours on them (ink) of the score bands, as RGB hex;
// the same as the web pages' colours, and dark text on each with a contrast above 7:1.
var BandColours = map[string]struct{ Fill, Ink string }{
	"low":    {"BFE5CC", "0B3D20"},
	"medium": {"FBE3A1", "4A3300"},
	"high":   {"F3B0AA", "5C0F09"},
}

// Sheet is a register ready to write: its name, its title, its columns and its rows.
type Sheet struct {
	Name    string // the worksheet name in XLSX (at most 31 characters), e.g. "Risks"
	Title   string // the document title, e.g. "Risk register"
	Columns []Column
	// Rows calls emit once per row, in order, and returns the first error of emit or of its own. It may stream
	// from a database: the writers never hold more than one row.
	Rows func(emit func(Row) error) error
}

// Headers returns the column headers in order.
func (s *Sheet) Headers() []string {
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Header
	}
	return out
}

// Each runs the sheet's rows through fn (nothing when Rows is nil), checking every row's width.
func (s *Sheet) Each(fn func(Row) error) error {
	if s.Rows == nil {
		return nil
	}
	n := 0
	return s.Rows(func(r Row) error {
		n++
		if len(r) != len(s.Columns) {
			return fmt.Errorf("%s: row %d has %d cells for %d columns", s.Name, n, len(r), len(s.Columns))
		}
		return fn(r)
	})
}

// TimeLayout is how times are written in every format.
const TimeLayout = "2006-01-02 15:04"

// Text formats one cell as text; this is what CSV and PDF show.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case Banded:
		return strconv.Itoa(x.Score)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(TimeLayout)
	case *time.Time:
		if x == nil {
			return ""
		}
		return Text(*x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// Join joins the values of a multi-valued cell (assets, controls) the way every export writes them.
func Join(vals []string) string { return strings.Join(vals, "; ") }

// Split splits a multi-valued cell on ";" or ",", trimming spaces and dropping empty parts.
func Split(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '\n' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Levels lists "1" to "n", the allowed values of a likelihood or impact column.
func Levels(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i + 1)
	}
	return out
}

// Defuse protects a text cell against spreadsheet formula injection: a value that starts with = + - @, a tab
// or a carriage return gets a leading apostrophe, which spreadsheets show as text. importer.Read undoes it.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
