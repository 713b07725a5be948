package table

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxCellChars is the longest text a spreadsheet cell holds.
const maxCellChars = 32767

// listsSheet holds drop-down values that do not fit in a data validation formula (255 characters).
const listsSheet = "Lists"

// WriteXLSX writes s as an XLSX workbook with one worksheet named s.Name, then one worksheet for each of more
// (a summary beside the register). Every worksheet gets a bold header row that stays frozen, an autofilter over
// the data, the column widths, text wrapped in Wrap columns, and a drop-down data validation on every column with
// allowed values. Rows are streamed (the stream writer spills to a temporary file past 16 MB), so a register of
// 100,000 rows is written in bounded memory.
func WriteXLSX(w io.Writer, s *Sheet, more ...*Sheet) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetDocProps(&excelize.DocProperties{Title: s.Title, Creator: "praxis"}); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	listCol := 0
	for i, sh := range append([]*Sheet{s}, more...) {
		name := SheetName(sh.Name)
		if idx, _ := f.GetSheetIndex(name); i > 0 && idx >= 0 {
			return fmt.Errorf("xlsx: two worksheets named %q", name)
		}
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
		if err := writeSheet(f, name, sh, st, &listCol); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// styles are the cell styles every worksheet shares.
type styles struct {
	head, wrap int
	bands      map[string]int
}

func newStyles(f *excelize.File) (st styles, err error) {
	st.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7ECF3"}},
		Border: []excelize.Border{{Type: "bottom", Color: "8C99AB", Style: 1}}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return st, err
	}
	if st.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return st, err
	}
	st.bands, err = bandStyles(f)
	return st, err
}

// writeSheet streams one register into the worksheet name.
func writeSheet(f *excelize.File, name string, s *Sheet, st styles, listCol *int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	for i, c := range s.Columns {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return err
			}
		}
	}
	header := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		header[i] = excelize.Cell{StyleID: st.head, Value: c.Header}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: st.head}); err != nil {
		return err
	}
	n := 1
	cells := make([]any, len(s.Columns))
	err = s.Each(func(r Row) error {
		n++
		for i, v := range r {
			cells[i] = xlsxValue(v, st.bands)
			if s.Columns[i].Wrap {
				cells[i] = excelize.Cell{StyleID: st.wrap, Value: cells[i]}
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	if err := addValidations(f, name, s.Columns, listCol); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(max(len(s.Columns), 1), n)
	if err != nil {
		return err
	}
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return err
	}
	return sw.Flush()
}

// bandStyles makes one cell style per score band: the band's fill with its text colour.
func bandStyles(f *excelize.File) (map[string]int, error) {
	out := make(map[string]int, len(BandColours))
	for band, c := range BandColours {
		id, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.Fill}},
			Font: &excelize.Font{Color: c.Ink}})
		if err != nil {
			return nil, err
		}
		out[band] = id
	}
	return out, nil
}

// xlsxValue turns a cell into what the stream writer stores: numbers stay numbers, a banded score is a number
// in its band's colours, text is cut to what a cell holds.
func xlsxValue(v any, bands map[string]int) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int, int64, float64:
		return x
	case Banded:
		if id, ok := bands[x.Band]; ok {
			return excelize.Cell{StyleID: id, Value: x.Score}
		}
		return x.Score
	case string:
		if len(x) > maxCellChars && utf8.RuneCountInString(x) > maxCellChars {
			return string([]rune(x)[:maxCellChars-1]) + "…"
		}
		return x
	}
	return Text(v)
}

// addValidations puts a drop-down on every column with allowed values, from the header down to the last row a
// spreadsheet has, so rows added later are checked too. Lists too long (or with commas) for an inline formula go
// to a hidden "Lists" sheet.
func addValidations(f *excelize.File, sheet string, cols []Column, listCol *int) error {
	for i, c := range cols {
		if len(c.Allowed) == 0 {
			continue
		}
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, excelize.TotalRows)
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "Choose one of: "+truncate(strings.Join(c.Allowed, ", "), 200))
		inline := true
		for _, v := range c.Allowed {
			if strings.ContainsAny(v, `,"`) {
				inline = false
			}
		}
		if !inline || dv.SetDropList(c.Allowed) != nil {
			ref, err := writeList(f, listCol, c.Allowed)
			if err != nil {
				return err
			}
			dv.SetSqrefDropList(ref)
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// writeList writes values into the next column of the hidden lists sheet and returns their absolute reference.
func writeList(f *excelize.File, listCol *int, values []string) (string, error) {
	if *listCol == 0 {
		if _, err := f.NewSheet(listsSheet); err != nil {
			return "", err
		}
		if err := f.SetSheetVisible(listsSheet, false); err != nil {
			return "", err
		}
	}
	*listCol++
	col, err := excelize.ColumnNumberToName(*listCol)
	if err != nil {
		return "", err
	}
	for i, v := range values {
		if err := f.SetCellStr(listsSheet, fmt.Sprintf("%s%d", col, i+1), v); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%s!$%s$1:$%s$%d", listsSheet, col, col, len(values)), nil
}

// SheetName makes a valid worksheet name: at most 31 characters, none of : \ / ? * [ ].
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, strings.Trim(strings.TrimSpace(s), "'"))
	if s == "" {
		s = "Sheet1"
	}
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	if s == listsSheet {
		s += " 1"
	}
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
