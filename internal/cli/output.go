package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/praxis-isms/praxis/internal/store"
)

// table is the one row model every read command prints: headers and rows for table and CSV output, and the
// value itself for JSON, so the JSON keeps the field names of the API.
type table struct {
	headers []string
	widths  []int // the width a column's cells are cut to in a terminal; 0 or missing: defaultWidth
	rows    [][]string
	value   any
}

// defaultWidth bounds a table cell whose column says no width.
const defaultWidth = 70

// listTable is a list as a table, in the columns a register declares (store.ListColumn), and value for JSON.
// Every register list prints through it: a column added to the declaration shows without a CLI change.
func listTable[T any](cols []store.ListColumn[T], items []T, value any) table {
	t := table{value: value}
	for _, c := range cols {
		t.headers, t.widths = append(t.headers, c.Header), append(t.widths, c.Width)
	}
	for i := range items {
		row := make([]string, len(cols))
		for j, c := range cols {
			row[j] = c.Value(&items[i])
		}
		t.rows = append(t.rows, row)
	}
	return t
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// print writes t in the chosen format.
func (e *env) print(t table) error {
	switch e.format {
	case "json":
		return writeJSON(e.stdout, t.value)
	case "csv":
		cw := csv.NewWriter(e.stdout)
		if err := cw.Write(t.headers); err != nil {
			return err
		}
		if err := cw.WriteAll(t.rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case "table", "":
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(t.headers, "\t")))
		for _, r := range t.rows {
			cells := make([]string, len(r))
			for i, c := range r {
				width := defaultWidth
				if i < len(t.widths) && t.widths[i] > 0 {
					width = t.widths[i]
				}
				cells[i] = oneLine(c, width)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		return tw.Flush()
	}
	return fmt.Errorf("unknown --format %q: use table, json or csv", e.format)
}

// oneLine keeps table cells on one line, bounded and free of control characters, so columns stay aligned.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(visible(s)), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func jsonIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// printf is fmt.Fprintf for plain-text output: every string argument goes through visible first, so that text
// someone else typed (a risk title, a name) is shown and not obeyed by the reader's terminal.
func printf(w io.Writer, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = visible(s)
		}
	}
	fmt.Fprintf(w, format, args...)
}

// visible replaces the characters a terminal would act on (C0 and C1 controls, ESC and DEL, bidirectional
// overrides, bytes that are not UTF-8) with escapes such as \x1b that show what was there. Newlines and tabs
// stay: plain-text output lays out with them. JSON and CSV output do not use it: they carry data faithfully.
func visible(s string) string {
	if !strings.ContainsFunc(s, needsEscape) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && needsEscape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

func needsEscape(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidirectional embeddings and overrides
		return true
	}
	return false
}
