package table_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/praxis-isms/praxis/internal/export/table"
)

func sample(n int) *table.Sheet {
	return &table.Sheet{
		Name:  "Risks",
		Title: "Risk register",
		Columns: []table.Column{
			{Header: "ref", Width: 8},
			{Header: "title", Width: 30},
			{Header: "likelihood", Width: 10, Allowed: table.Levels(5)},
			{Header: "treatment", Width: 11, Allowed: []string{"modify", "retain", "avoid", "share"}},
			{Header: "owner", Width: 14},
			{Header: "accepted_at", Width: 16},
		},
		Rows: func(emit func(table.Row) error) error {
			at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
			for i := 1; i <= n; i++ {
				var acc any
				if i%2 == 0 {
					acc = at
				}
				if err := emit(table.Row{fmt.Sprintf("R-%03d", i), fmt.Sprintf("Risk number %d, with ümlauts", i), i%5 + 1, "modify",
					table.Labelled{Value: "P-001", Label: "Dana Scully"}, acc}); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := table.WriteCSV(&buf, sample(3), table.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(buf.Bytes(), []byte(table.BOM)) {
		t.Fatal("BOM written without the option")
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want header and 3 rows", len(recs))
	}
	if got := strings.Join(recs[0], ","); got != "ref,title,likelihood,treatment,owner,accepted_at" {
		t.Errorf("header %q", got)
	}
	want := []string{"R-002", "Risk number 2, with ümlauts", "3", "modify", "P-001", "2026-03-02 09:30"}
	if strings.Join(recs[2], "|") != strings.Join(want, "|") {
		t.Errorf("row 2 = %q, want %q", recs[2], want)
	}
	if recs[1][5] != "" {
		t.Errorf("nil cell written as %q", recs[1][5])
	}
}

func TestCSVBOMAndSeparator(t *testing.T) {
	var buf bytes.Buffer
	if err := table.WriteCSV(&buf, sample(1), table.CSVOptions{BOM: true, Comma: ';'}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbfref;title;")) {
		t.Fatalf("want a UTF-8 BOM then ;-separated header, got %q", buf.String()[:20])
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	sh := &table.Sheet{Name: "x", Columns: []table.Column{{Header: "a"}, {Header: "b"}, {Header: "c"}},
		Rows: func(emit func(table.Row) error) error {
			return emit(table.Row{"=HYPERLINK(\"http://evil\")", -3, table.Labelled{Value: "@SUM(A1)"}})
		}}
	var buf bytes.Buffer
	if err := table.WriteCSV(&buf, sh, table.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	recs, _ := csv.NewReader(&buf).ReadAll()
	if got := recs[1]; got[0] != "'=HYPERLINK(\"http://evil\")" || got[1] != "-3" || got[2] != "'@SUM(A1)" {
		t.Errorf("row = %q: text starting with = or @ must get an apostrophe, numbers stay", got)
	}
}

func TestRowWidthChecked(t *testing.T) {
	sh := &table.Sheet{Name: "x", Columns: []table.Column{{Header: "a"}, {Header: "b"}},
		Rows: func(emit func(table.Row) error) error { return emit(table.Row{"only one"}) }}
	if err := table.WriteCSV(io.Discard, sh, table.CSVOptions{}); err == nil || !strings.Contains(err.Error(), "1 cells for 2 columns") {
		t.Fatalf("err = %v, want a row width error", err)
	}
}

func TestRowErrorStops(t *testing.T) {
	boom := errors.New("database gone")
	sh := sample(0)
	sh.Rows = func(emit func(table.Row) error) error { return boom }
	if err := table.WriteXLSX(io.Discard, sh); !errors.Is(err, boom) {
		t.Fatalf("xlsx err = %v, want the rows' error", err)
	}
	if err := table.WriteCSV(io.Discard, sh, table.CSVOptions{}); !errors.Is(err, boom) {
		t.Fatalf("csv err = %v, want the rows' error", err)
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := table.WriteXLSX(&buf, sample(20)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Risks" {
		t.Fatalf("sheets %v, want [Risks]", got)
	}
	panes, err := f.GetPanes("Risks")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, want the header row frozen", panes)
	}
	rows, err := f.GetRows("Risks")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 21 || rows[0][1] != "title" || rows[5][0] != "R-005" || rows[2][5] != "2026-03-02 09:30" {
		t.Fatalf("rows: %d, first %v, sixth %v", len(rows), rows[0], rows[5])
	}
	if typ, _ := f.GetCellType("Risks", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("likelihood stored as %v, want a number", typ)
	}
	if w, _ := f.GetColWidth("Risks", "B"); w != 30 {
		t.Errorf("width of B = %v, want 30", w)
	}
	dvs, err := f.GetDataValidations("Risks")
	if err != nil {
		t.Fatal(err)
	}
	byRange := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		byRange[dv.Sqref] = dv
	}
	dv := byRange["D2:D1048576"]
	if dv == nil || dv.Type != "list" || !strings.Contains(dv.Formula1, "modify,retain,avoid,share") {
		t.Errorf("no drop-down on treatment: %+v", dvs)
	}
	if byRange["C2:C1048576"] == nil {
		t.Errorf("no drop-down on likelihood: %+v", dvs)
	}
	// The autofilter covers the header and every row.
	sheetXML := zipPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	if !strings.Contains(sheetXML, `<autoFilter ref="$A$1:$F$21"`) {
		t.Errorf("no autofilter A1:F21 in the worksheet: %.400s", sheetXML[strings.Index(sheetXML, "</sheetData>"):])
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && strings.Contains(dn.RefersTo, "$A$1:$F$21") {
			found = true
		}
	}
	if !found {
		t.Errorf("no filter database name: %+v", f.GetDefinedName())
	}
}

func TestXLSXLongLists(t *testing.T) {
	long := make([]string, 80)
	for i := range long {
		long[i] = fmt.Sprintf("value number %d", i)
	}
	sh := &table.Sheet{Name: "Things: [a/b]", Columns: []table.Column{{Header: "kind", Allowed: long}, {Header: "odd", Allowed: []string{"a,b", "c"}}},
		Rows: func(emit func(table.Row) error) error { return emit(table.Row{"value number 3", "c"}) }}
	var buf bytes.Buffer
	if err := table.WriteXLSX(&buf, sh); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Things- -a-b-" || sheets[1] != "Lists" {
		t.Fatalf("sheets %q", sheets)
	}
	if v, _ := f.GetSheetVisible("Lists"); v {
		t.Error("the lists sheet is visible")
	}
	dvs, _ := f.GetDataValidations(sheets[0])
	if len(dvs) != 2 || dvs[0].Formula1 != "Lists!$A$1:$A$80" || dvs[1].Formula1 != "Lists!$B$1:$B$2" {
		t.Fatalf("validations %+v", dvs)
	}
	if v, _ := f.GetCellValue("Lists", "A80"); v != "value number 79" {
		t.Errorf("Lists!A80 = %q", v)
	}
}

func TestXLSXEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := table.WriteXLSX(&buf, sample(0)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(zipPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml"), `<autoFilter ref="$A$1:$F$1"`) {
		t.Error("an empty register still gets a filter on its header")
	}
}

func TestSplitJoin(t *testing.T) {
	if got := table.Split(" 5.1; 8.28 ,, A.8.8\n"); strings.Join(got, "|") != "5.1|8.28|A.8.8" {
		t.Errorf("Split = %q", got)
	}
	if got := table.Join([]string{"5.1", "8.28"}); got != "5.1; 8.28" {
		t.Errorf("Join = %q", got)
	}
	if got := table.Split(""); len(got) != 0 {
		t.Errorf("Split(\"\") = %q", got)
	}
}

func zipPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, _ := io.ReadAll(rc)
			return string(data)
		}
	}
	t.Fatalf("no %s in the workbook", name)
	return ""
}

// BenchmarkXLSX100k writes a 100,000-row register; run with -benchmem to see the memory it takes.
func BenchmarkXLSX100k(b *testing.B) {
	for b.Loop() {
		if err := table.WriteXLSX(io.Discard, sample(100_000)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBandedScores: a banded score is a plain number in CSV and a number on its band's colour in XLSX.
func TestBandedScores(t *testing.T) {
	s := &table.Sheet{Name: "Risks", Columns: []table.Column{{Header: "ref"}, {Header: "score"}}, Rows: func(emit func(table.Row) error) error {
		if err := emit(table.Row{"R-001", table.Banded{Score: 20, Band: "high"}}); err != nil {
			return err
		}
		return emit(table.Row{"R-002", table.Banded{Score: 3, Band: "low"}})
	}}
	var buf bytes.Buffer
	if err := table.WriteCSV(&buf, s, table.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "ref,score\nR-001,20\nR-002,3\n" {
		t.Errorf("CSV %q", buf.String())
	}
	buf.Reset()
	if err := table.WriteXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, band := range map[string]string{"B2": "high", "B3": "low"} {
		if typ, _ := f.GetCellType("Risks", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s stored as %v, want a number", cell, typ)
		}
		id, _ := f.GetCellStyle("Risks", cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if want := table.BandColours[band]; len(st.Fill.Color) != 1 || !strings.EqualFold(st.Fill.Color[0], want.Fill) || !strings.EqualFold(st.Font.Color, want.Ink) {
			t.Errorf("%s: fill %v font %+v, want the %s band's colours", cell, st.Fill.Color, st.Font, band)
		}
	}
}

func TestColumnTitle(t *testing.T) {
	for _, c := range []struct {
		col  table.Column
		want string
	}{{table.Column{Header: "residual_score"}, "Residual score"}, {table.Column{Header: "ref", Label: "Reference"}, "Reference"}, {table.Column{}, ""}} {
		if got := c.col.Title(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.col, got, c.want)
		}
	}
}

// TestXLSXMoreSheets: further sheets are written after the first, each with its own frozen header and filter, and a
// Wrap column's cells wrap.
func TestXLSXMoreSheets(t *testing.T) {
	summary := &table.Sheet{Name: "Summary", Columns: []table.Column{{Header: "item"}, {Header: "value", Wrap: true}},
		Rows: func(emit func(table.Row) error) error { return emit(table.Row{"Controls", 93}) }}
	var buf bytes.Buffer
	if err := table.WriteXLSX(&buf, sample(2), summary); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Risks,Summary" {
		t.Fatalf("sheets %s", got)
	}
	if v, _ := f.GetCellValue("Summary", "B2"); v != "93" {
		t.Errorf("Summary!B2 = %q", v)
	}
	if panes, _ := f.GetPanes("Summary"); !panes.Freeze {
		t.Error("the summary's header is not frozen")
	}
	if !strings.Contains(zipPart(t, buf.Bytes(), "xl/worksheets/sheet2.xml"), `<autoFilter ref="$A$1:$B$2"`) {
		t.Error("no filter on the summary")
	}
	id, _ := f.GetCellStyle("Summary", "B2")
	if st, _ := f.GetStyle(id); st == nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Error("the value column does not wrap")
	}
	if id, _ := f.GetCellStyle("Summary", "A2"); id != 0 {
		t.Error("the item column has a style it did not ask for")
	}
	if err := table.WriteXLSX(io.Discard, sample(1), summary, summary); err == nil {
		t.Error("two sheets of one name were accepted")
	}
}

func TestMarkdown(t *testing.T) {
	sh := &table.Sheet{Columns: []table.Column{{Header: "ref"}, {Header: "owner_ref", DataOnly: true}, {Header: "owner"}, {Header: "note"}},
		Rows: func(emit func(table.Row) error) error {
			return emit(table.Row{"R-1", "P-1", table.Labelled{Value: "P-1", Label: "Dana"}, "a | b\r\nc <b>d</b>"})
		}}
	var buf bytes.Buffer
	if err := table.WriteMarkdown(&buf, sh); err != nil {
		t.Fatal(err)
	}
	want := "| Ref | Owner | Note |\n| --- | --- | --- |\n| R-1 | Dana | a \\| b<br>c &lt;b>d&lt;/b> |\n"
	if buf.String() != want {
		t.Errorf("markdown\n%s\nwant\n%s", buf.String(), want)
	}
}
