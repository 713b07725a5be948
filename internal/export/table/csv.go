package table

import (
	"encoding/csv"
	"io"
)

// BOM is the UTF-8 byte order mark; Excel needs it to read a CSV file as UTF-8.
const BOM = "\ufeff"

// CSVOptions tune the CSV writer. The zero value writes comma-separated UTF-8 without a BOM.
type CSVOptions struct {
	BOM   bool // start with a UTF-8 byte order mark so that Excel reads accents correctly
	Comma rune // the separator; ',' when zero
}

// WriteCSV writes the header row and every row of s as CSV (RFC 4180, CRLF line ends off). Text cells that a
// spreadsheet would run as a formula are defused with a leading apostrophe.
func WriteCSV(w io.Writer, s *Sheet, opt CSVOptions) error {
	if opt.BOM {
		if _, err := io.WriteString(w, BOM); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if opt.Comma != 0 {
		cw.Comma = opt.Comma
	}
	if err := cw.Write(s.Headers()); err != nil {
		return err
	}
	if err := Records(s, cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// Records passes every row of s to fn as the text cells CSV holds: numbers as they are, text defused against
// formula injection. fn may keep the slice only until it returns.
func Records(s *Sheet, fn func(rec []string) error) error {
	rec := make([]string, len(s.Columns))
	return s.Each(func(r Row) error {
		for i, v := range r {
			switch v.(type) {
			case int, int64, float64, Banded:
				rec[i] = Text(v)
			default:
				rec[i] = Defuse(Text(v))
			}
		}
		return fn(rec)
	})
}
