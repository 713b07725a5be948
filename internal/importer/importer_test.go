package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
)

var fields = []importer.Field{
	{Name: "ref", Ignored: true},
	{Name: "title", Aliases: []string{"risk"}, Required: true},
	{Name: "likelihood", Aliases: []string{"probability"}, Required: true},
	{Name: "residual_likelihood"},
	{Name: "controls"},
}

type got struct {
	line                          int
	title, likelihood, res, ctrls string
	problems                      []isms.FieldError
}

func read(t *testing.T, format string, data []byte) ([]got, error) {
	t.Helper()
	var out []got
	err := importer.Read(format, bytes.NewReader(data), fields, importer.Options{MaxRows: 5}, func(r *importer.Row) error {
		if r.Get("ref") != "" {
			t.Errorf("line %d: an ignored column was read: %q", r.Line, r.Get("ref"))
		}
		if r.Prefix() != fmt.Sprintf("line %d: ", r.Line) {
			t.Errorf("prefix %q", r.Prefix())
		}
		out = append(out, got{r.Line, r.Get("title"), r.Get("likelihood"), r.Get("residual_likelihood"), r.Get("controls"), r.Problems})
		return nil
	})
	return out, err
}

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	e, ok := isms.AsError(err)
	if !ok || e.Kind != isms.KindInvalid {
		t.Fatalf("err = %v, want an Invalid error", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+": "+f.Message)
	}
	return out
}

func TestCSVCommaAndLines(t *testing.T) {
	data := "ref,Title,LIKELIHOOD,Residual Likelihood,controls\n" +
		"R-001,Phishing,4,2,\"5.1; 8.28\"\n" +
		"\n" + // blank line: skipped, still counted
		",\"Multi\nline title\",3,,\n" +
		",,,,\n" + // empty cells only: skipped
		",Last,2,1,8.8\n"
	rows, err := read(t, "csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []got{{line: 2, title: "Phishing", likelihood: "4", res: "2", ctrls: "5.1; 8.28"}, {line: 4, title: "Multi\nline title", likelihood: "3"},
		{line: 7, title: "Last", likelihood: "2", res: "1", ctrls: "8.8"}}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("rows\n%v\nwant\n%v", rows, want)
	}
}

func TestCSVSemicolonBOMAndAliases(t *testing.T) {
	data := "\ufeffrisk;probability (1-5);residual-likelihood\r\n\"Theft; of laptops\";5;\r\n"
	rows, err := read(t, "csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].title != "Theft; of laptops" || rows[0].likelihood != "5" || rows[0].line != 2 {
		t.Fatalf("rows %v", rows)
	}
}

func TestCSVTabsAndUTF16(t *testing.T) {
	text := "title\tlikelihood\nÜberflutung\t2\n"
	enc, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := read(t, "csv", []byte(enc))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].title != "Überflutung" || rows[0].likelihood != "2" {
		t.Fatalf("rows %v", rows)
	}
}

func TestCSVWindows1252(t *testing.T) {
	enc, _ := charmap.Windows1252.NewEncoder().String("title;likelihood\nDégât des eaux;3\n")
	rows, err := read(t, "csv", []byte(enc))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].title != "Dégât des eaux" {
		t.Fatalf("rows %v", rows)
	}
}

func TestDefusedCellsRestored(t *testing.T) {
	rows, err := read(t, "csv", []byte("title,likelihood\n'-1 day backups,1\n'plain quote,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].title != "-1 day backups" || rows[1].title != "'plain quote" {
		t.Fatalf("rows %v", rows)
	}
}

func TestHeaderProblems(t *testing.T) {
	_, err := read(t, "csv", []byte("title,colour,Title,threat level\nx,y,z,w\n"))
	got := fieldsOf(t, err)
	want := []string{
		`line 1: colour: unknown column: the columns are ref, title, likelihood, residual_likelihood, controls`,
		`line 1: Title: column title appears twice (columns A and C)`,
		`line 1: threat level: unknown column: the columns are ref, title, likelihood, residual_likelihood, controls`,
		`line 1: likelihood: required column is missing`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// With IgnoreUnknown a column no field knows is skipped and named, with the known columns that are not read;
// its values never reach a row and a repeated column is still refused.
func TestUnknownColumnsIgnored(t *testing.T) {
	var ignored []string
	var titles []string
	err := importer.Read("csv", strings.NewReader("Ref,title,legacy_id,likelihood,Colour\nA-1,x,17,2,red\n"), fields, importer.Options{IgnoreUnknown: true},
		func(r *importer.Row) error {
			ignored = r.Ignored()
			titles = append(titles, r.Get("title")+"/"+r.Get("likelihood"))
			if len(r.Problems) > 0 {
				t.Errorf("problems %v", r.Problems)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ignored, ",") != "Ref,legacy_id,Colour" || strings.Join(titles, ",") != "x/2" {
		t.Fatalf("ignored %q, rows %q", ignored, titles)
	}
	err = importer.Read("csv", strings.NewReader("title,likelihood,title,colour\nx,1,y,red\n"), fields, importer.Options{IgnoreUnknown: true},
		func(*importer.Row) error { return nil })
	if got := fieldsOf(t, err); len(got) != 1 || !strings.Contains(got[0], "appears twice") {
		t.Fatalf("problems %q", got)
	}
}

// Match names the field of a header no alias spells; the headers it does not know stay unknown.
func TestMatchNamesLooseHeaders(t *testing.T) {
	match := func(h string) string {
		if strings.Contains(h, "chance") {
			return "likelihood"
		}
		return ""
	}
	var got []string
	err := importer.Read("csv", strings.NewReader("Title,Chance of it (1-5)?,Colour\nx,3,red\n"), fields,
		importer.Options{IgnoreUnknown: true, Match: match}, func(r *importer.Row) error {
			got = append(got, r.Get("title")+"/"+r.Get("likelihood"), strings.Join(r.Ignored(), ","))
			return nil
		})
	if err != nil || strings.Join(got, " ") != "x/3 Colour" {
		t.Fatalf("rows %q, err %v", got, err)
	}
}

func TestHeaderAfterBlankLines(t *testing.T) {
	rows, err := read(t, "csv", []byte("\n\n,,\ntitle,likelihood\nA,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].line != 5 {
		t.Fatalf("rows %v: the header is the first non-empty line and lines keep their file numbers", rows)
	}
}

func TestValueWithoutHeader(t *testing.T) {
	rows, err := read(t, "csv", []byte("title,,likelihood\nA,stray,1,extra\nB,,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || len(rows[0].problems) != 2 || len(rows[1].problems) != 0 {
		t.Fatalf("rows %+v", rows)
	}
	if p := rows[0].problems[0]; p.Field != "line 2: column B" || !strings.Contains(p.Message, `"stray"`) {
		t.Errorf("problem %+v", p)
	}
	if p := rows[0].problems[1]; p.Field != "line 2: column D" {
		t.Errorf("problem %+v", p)
	}
}

func TestEmptyFiles(t *testing.T) {
	for name, data := range map[string]string{"nothing": "", "spaces": "  \n\n", "bom only": "\ufeff", "empty cells": ",,\n , ,\n"} {
		_, err := read(t, "csv", []byte(data))
		if got := fieldsOf(t, err); len(got) != 1 || !strings.HasPrefix(got[0], "file: is empty") {
			t.Errorf("%s: %v", name, got)
		}
	}
	_, err := read(t, "csv", []byte("title,likelihood\n"))
	if got := fieldsOf(t, err); len(got) != 1 || !strings.Contains(got[0], "no data rows") {
		t.Errorf("header only: %v", got)
	}
}

func TestTooManyRows(t *testing.T) {
	data := "title,likelihood\n" + strings.Repeat("a,1\n", 6)
	_, err := read(t, "csv", []byte(data))
	if got := fieldsOf(t, err); len(got) != 1 || got[0] != "file: has more than 5 rows: split it into several files" {
		t.Fatalf("%v", got)
	}
}

func TestMalformedCSV(t *testing.T) {
	_, err := read(t, "csv", []byte("title,likelihood\nok,1\n\"broken\"x,2\n"))
	got := fieldsOf(t, err)
	if len(got) != 1 || !strings.HasPrefix(got[0], "line 3: file: is not well-formed CSV") {
		t.Fatalf("%v", got)
	}
}

func TestCallbackErrorStops(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	err := importer.Read("csv", strings.NewReader("title,likelihood\na,1\nb,2\n"), fields, importer.Options{}, func(*importer.Row) error {
		n++
		return boom
	})
	if !errors.Is(err, boom) || n != 1 {
		t.Fatalf("err %v after %d rows", err, n)
	}
}

func TestFormats(t *testing.T) {
	if got := fieldsOf(t, importer.Read("ods", strings.NewReader("x"), fields, importer.Options{}, nil)); got[0] != "format: must be csv or xlsx" {
		t.Errorf("%v", got)
	}
	if got := fieldsOf(t, importer.Read("xlsx", strings.NewReader("title,likelihood\n"), fields, importer.Options{}, nil)); !strings.Contains(got[0], "not an XLSX workbook") {
		t.Errorf("%v", got)
	}
	if got := fieldsOf(t, importer.Read("xlsx", strings.NewReader("PK\x03\x04garbage"), fields, importer.Options{}, nil)); !strings.Contains(got[0], "not a readable XLSX") {
		t.Errorf("%v", got)
	}
}

func TestXLSX(t *testing.T) {
	sh := &table.Sheet{Name: "Risks", Columns: []table.Column{{Header: "ref"}, {Header: "Title"}, {Header: "likelihood"}, {Header: "controls"}},
		Rows: func(emit func(table.Row) error) error {
			if err := emit(table.Row{"R-001", "Phishing", 4, "5.1; 8.28"}); err != nil {
				return err
			}
			if err := emit(table.Row{nil, nil, nil, nil}); err != nil { // an empty row in the middle
				return err
			}
			return emit(table.Row{"R-002", "=not a formula", 2, nil})
		}}
	var buf bytes.Buffer
	if err := table.WriteXLSX(&buf, sh); err != nil {
		t.Fatal(err)
	}
	// The format argument does not matter: a workbook is recognised by its content.
	for _, format := range []string{"xlsx", "csv"} {
		rows, err := read(t, format, buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		want := []got{{line: 2, title: "Phishing", likelihood: "4", ctrls: "5.1; 8.28"}, {line: 4, title: "=not a formula", likelihood: "2"}}
		if fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Fatalf("%s: rows\n%v\nwant\n%v", format, rows, want)
		}
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{"Residual Likelihood": "residual_likelihood", " residual-likelihood ": "residual_likelihood",
		"Impact (1-5)": "impact", "\ufeffref": "ref", "Annex A  controls": "annex_a_controls", "(x)": "(x)"} {
		if got := importer.Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzReadCSV: no input makes the reader panic, every row has a line number that grows, and every error is a
// clear Invalid error.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"title,likelihood\nA,1\n",
		"\ufefftitle;likelihood\r\n\"a;b\";2\r\n",
		"title,likelihood\n\"unterminated,1\n",
		"title,,likelihood\nA,x,1,y\n",
		"\xff\xfet\x00i\x00t\x00l\x00e\x00\n\x00",
		"ref,title,likelihood,controls\n,'=cmd,3,\"5.1, 8.28\"\n",
		"",
		"PK\x03\x04",
		"title\n\x00\xff\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		err := importer.Read("csv", bytes.NewReader(data), fields, importer.Options{MaxRows: 1000}, func(r *importer.Row) error {
			if r.Line <= last {
				t.Fatalf("line %d after line %d", r.Line, last)
			}
			last = r.Line
			for _, name := range []string{"title", "likelihood", "controls"} {
				v := r.Get(name)
				if strings.IndexByte(v, 0) >= 0 || v != strings.TrimSpace(v) {
					t.Fatalf("value %q not cleaned", v)
				}
			}
			return nil
		})
		if err != nil && isms.ErrorKind(err) != isms.KindInvalid {
			t.Fatalf("error of kind %v: %v", isms.ErrorKind(err), err)
		}
	})
}

// FuzzReadXLSX: damaged workbooks are refused with an Invalid error, never a panic.
func FuzzReadXLSX(f *testing.F) {
	var buf bytes.Buffer
	sh := &table.Sheet{Name: "Risks", Columns: []table.Column{{Header: "title"}, {Header: "likelihood"}},
		Rows: func(emit func(table.Row) error) error { return emit(table.Row{"A", 1}) }}
	if err := table.WriteXLSX(&buf, sh); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04\x14\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := importer.Read("xlsx", bytes.NewReader(data), fields, importer.Options{}, func(*importer.Row) error { return nil })
		if err != nil && isms.ErrorKind(err) != isms.KindInvalid {
			t.Fatalf("error of kind %v: %v", isms.ErrorKind(err), err)
		}
	})
}
