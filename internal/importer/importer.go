// Package importer reads registers from CSV and XLSX files into rows with their line numbers, so that the
// service can validate every row and report each problem as "line N: field: problem".
//
// CSV files may start with a UTF-8 byte order mark (or be UTF-16 with one, as Excel's "Unicode text"), may be
// separated by commas, semicolons (Excel in most European locales) or tabs, and cells that are not valid UTF-8
// are read as Windows-1252 (Excel's "CSV" on Windows). XLSX files are read from their first worksheet. The
// first non-empty row names the columns; headers match case-insensitively, ignoring spaces, dashes and a
// trailing "(...)", and through each field's aliases. Line numbers are those of the file: the header is line 1
// when it is the first line.
package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/praxis-isms/praxis/internal/isms"
)

// DefaultMaxRows is the most data rows an import reads unless Options say otherwise.
const DefaultMaxRows = 100_000

// Field is a column an import knows.
type Field struct {
	Name     string   // the canonical header, as exports write it: "residual_likelihood"
	Aliases  []string // other headers that mean the same: "risk owner", "probability"
	Required bool     // the column must be present (whether each value may be empty is the caller's rule)
	Ignored  bool     // known but not read, e.g. values an export computes (score, ref)
}

// Options tune Read.
type Options struct {
	MaxRows int // data rows allowed; DefaultMaxRows when 0
	// IgnoreUnknown skips the columns no field knows (a spreadsheet's own extra columns, a legacy id) instead of
	// refusing the file; Row.Ignored names them.
	IgnoreUnknown bool
	// Match names the field of a header that no field's name or alias spells (a file kept by hand: "Applicable
	// in our scope?"); it gets the header as Normalise gives it and returns "" when it knows none.
	Match func(header string) string
}

// Row is one data row of a file.
type Row struct {
	Line     int // the line (CSV) or row number (XLSX) in the file
	vals     []string
	schema   *schema
	Problems []isms.FieldError // problems found while reading, e.g. a value in a column without a header
}

// Get returns the trimmed value of a field ("" when the column is absent or the field unknown).
func (r *Row) Get(name string) string {
	if i, ok := r.schema.index[name]; ok && r.vals != nil {
		return r.vals[i]
	}
	return ""
}

// Has reports whether the file has a column for the field.
func (r *Row) Has(name string) bool {
	i, ok := r.schema.index[name]
	return ok && r.schema.present[i]
}

// Ignored names the columns of the file that are not read: those no field knows (with Options.IgnoreUnknown)
// and those of Ignored fields, as the file spells them, in file order.
func (r *Row) Ignored() []string { return r.schema.ignored }

// Prefix is how problems of this row start: "line 4: ".
func (r *Row) Prefix() string { return fmt.Sprintf("line %d: ", r.Line) }

type schema struct {
	fields  []Field
	index   map[string]int // canonical name -> field index
	lookup  map[string]int // normalised header or alias -> field index
	present []bool         // by field index: the file has the column
	cols    []int          // by file column: field index, -1 for a column without header, -2 ignored
	ignored []string       // headers of the columns not read
	lenient bool           // unknown columns are ignored, not a problem
	match   func(string) string
}

func newSchema(fields []Field, opt Options) *schema {
	s := &schema{fields: fields, index: map[string]int{}, lookup: map[string]int{}, present: make([]bool, len(fields)), lenient: opt.IgnoreUnknown, match: opt.Match}
	for i, f := range fields {
		s.index[f.Name] = i
		s.lookup[Normalise(f.Name)] = i
		for _, a := range f.Aliases {
			s.lookup[Normalise(a)] = i
		}
	}
	return s
}

// Normalise is how headers compare: lower case, spaces, dashes and dots as underscores, no "(...)" suffix.
func Normalise(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	if i := strings.IndexByte(h, '('); i > 0 && strings.HasSuffix(h, ")") {
		h = strings.TrimSpace(h[:i])
	}
	h = strings.ToLower(h)
	h = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '/', '\t':
			return '_'
		}
		return r
	}, h)
	for strings.Contains(h, "__") {
		h = strings.ReplaceAll(h, "__", "_")
	}
	return strings.Trim(h, "_")
}

// header matches the header row against the fields and reports every problem of it.
func (s *schema) header(line int, cells []string) error {
	var p isms.Problems
	prefix := fmt.Sprintf("line %d: ", line)
	s.cols = make([]int, len(cells))
	seen := map[int]int{}
	var known []string
	for _, f := range s.fields {
		known = append(known, f.Name)
	}
	for c, h := range cells {
		h = strings.TrimSpace(h)
		if h == "" {
			s.cols[c] = -1
			continue
		}
		i, ok := s.lookup[Normalise(h)]
		if !ok && s.match != nil {
			i, ok = s.index[s.match(Normalise(h))]
		}
		if !ok && s.lenient {
			s.ignored = append(s.ignored, h)
			s.cols[c] = -2
			continue
		}
		if !ok {
			p.Add(prefix+h, "unknown column: the columns are %s", strings.Join(known, ", "))
			s.cols[c] = -1
			continue
		}
		if prev, dup := seen[i]; dup {
			p.Add(prefix+h, "column %s appears twice (columns %s and %s)", s.fields[i].Name, colName(prev), colName(c))
			s.cols[c] = -2
			continue
		}
		seen[i] = c
		s.present[i] = true
		s.cols[c] = i
		if s.fields[i].Ignored {
			s.cols[c] = -2
			s.ignored = append(s.ignored, h)
		}
	}
	for i, f := range s.fields {
		if f.Required && !s.present[i] {
			p.Add(prefix+f.Name, "required column is missing")
		}
	}
	return p.Err()
}

// row turns the cells of one data row into a Row; nil when every cell is empty.
func (s *schema) row(line int, cells []string) *Row {
	r := &Row{Line: line, schema: s, vals: make([]string, len(s.fields))}
	empty := true
	for c, v := range cells {
		v = cleanCell(v)
		if v == "" {
			continue
		}
		empty = false
		switch {
		case c >= len(s.cols) || s.cols[c] == -1:
			r.Problems = append(r.Problems, isms.FieldError{Field: fmt.Sprintf("line %d: column %s", line, colName(c)),
				Message: fmt.Sprintf("has a value (%q) but no known column header", shorten(v, 40))})
		case s.cols[c] >= 0:
			r.vals[s.cols[c]] = v
		}
	}
	if empty {
		return nil
	}
	return r
}

// cleanCell trims a cell, reads invalid UTF-8 as Windows-1252, drops NUL bytes and undoes the apostrophe that
// exports put before text a spreadsheet would take for a formula.
func cleanCell(v string) string {
	if !utf8.ValidString(v) {
		if d, err := charmap.Windows1252.NewDecoder().String(v); err == nil {
			v = d
		} else {
			v = strings.ToValidUTF8(v, "\uFFFD")
		}
	}
	if strings.IndexByte(v, 0) >= 0 {
		v = strings.ReplaceAll(v, "\x00", "")
	}
	v = strings.TrimSpace(v)
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte("=+-@", v[1]) >= 0 {
		v = v[1:]
	}
	return v
}

func colName(c int) string {
	name := ""
	for n := c + 1; n > 0; n = (n - 1) / 26 {
		name = string(rune('A'+(n-1)%26)) + name
	}
	return name
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Read reads a file of the given format ("csv" or "xlsx"; an XLSX file is recognised whatever the format says)
// and calls fn for every non-empty data row, in order. It returns an isms Invalid error for a file it cannot
// use: empty, unreadable, a header with unknown, repeated or missing required columns, or more rows than
// allowed (problems of single rows travel in Row.Problems instead). An error from fn stops the reading and is
// returned as it is.
func Read(format string, r io.Reader, fields []Field, opt Options, fn func(*Row) error) error {
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultMaxRows
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	format = strings.ToLower(strings.TrimSpace(format))
	isZip := bytes.Equal(magic, []byte("PK\x03\x04"))
	switch {
	case isZip:
		return readXLSX(br, newSchema(fields, opt), opt, fn)
	case format == "xlsx":
		return fileError("is not an XLSX workbook (save it from your spreadsheet as .xlsx, or import it as CSV)")
	case format == "csv" || format == "":
		return readCSV(br, newSchema(fields, opt), opt, fn)
	}
	return isms.Invalid(isms.FieldError{Field: "format", Message: "must be csv or xlsx"})
}

func fileError(format string, args ...any) error {
	return isms.Invalid(isms.FieldError{Field: "file", Message: fmt.Sprintf(format, args...)})
}

func errEmpty() error {
	return fileError("is empty: the first row must name the columns, and the rows below it hold the data")
}

func errTooMany(n int) error {
	return fileError("has more than %d rows: split it into several files", n)
}

// rowSource hands out the rows of a file with their line numbers; nil cells at the end.
type rowSource func() (line int, cells []string, err error)

// run reads the header and the rows of src.
func run(src rowSource, s *schema, opt Options, fn func(*Row) error) error {
	var line int
	var cells []string
	var err error
	for {
		if line, cells, err = src(); err != nil {
			return err
		}
		if cells == nil {
			return errEmpty()
		}
		if !allEmpty(cells) {
			break
		}
	}
	if err := s.header(line, cells); err != nil {
		return err
	}
	n := 0
	for {
		line, cells, err := src()
		if err != nil {
			return err
		}
		if cells == nil {
			break
		}
		row := s.row(line, cells)
		if row == nil {
			continue
		}
		if n++; n > opt.MaxRows {
			return errTooMany(opt.MaxRows)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	if n == 0 {
		return fileError("has a header row but no data rows below it")
	}
	return nil
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")) != "" {
			return false
		}
	}
	return true
}

// --- CSV

func readCSV(br *bufio.Reader, s *schema, opt Options, fn func(*Row) error) error {
	var in io.Reader = br
	bom, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(bom, []byte("\xef\xbb\xbf")):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(bom, []byte("\xff\xfe")), bytes.HasPrefix(bom, []byte("\xfe\xff")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		in = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
	}
	bin := in.(*bufio.Reader)
	head, _ := bin.Peek(64 << 10)
	if len(bytes.TrimSpace(head)) == 0 {
		return errEmpty()
	}
	cr := csv.NewReader(bin)
	cr.Comma = detectSeparator(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return run(func() (int, []string, error) {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return 0, nil, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if _, ok := isms.AsError(err); ok { // the caller's reader refused, e.g. a file too large
				return 0, nil, err
			}
			if errors.As(err, &pe) {
				return 0, nil, isms.Invalid(isms.FieldError{Field: fmt.Sprintf("line %d: file", pe.Line),
					Message: fmt.Sprintf("is not well-formed CSV (column %d): %v", pe.Column, pe.Err)})
			}
			return 0, nil, fileError("cannot be read: %v", err)
		}
		line, _ := cr.FieldPos(0)
		return line, rec, nil
	}, s, opt, fn)
}

// detectSeparator picks the separator of the first line: the most frequent of , ; and tab outside quotes.
func detectSeparator(head []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range head {
		if b == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if b == '\n' {
			break
		}
		if b == ',' || b == ';' || b == '\t' {
			counts[b]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}
