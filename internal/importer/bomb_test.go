package importer_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/importer"
)

// workbook is a small valid register workbook; extra adds parts to it. A part with a lie declares that
// size instead of its real one.
type part struct {
	name string
	size int64 // bytes of zeros (they compress a thousandfold)
	lie  uint64
}

func workbook(t *testing.T, extra ...part) []byte {
	t.Helper()
	sh := &table.Sheet{Name: "Risks", Columns: []table.Column{{Header: "title"}, {Header: "likelihood"}},
		Rows: func(emit func(table.Row) error) error { return emit(table.Row{"Phishing", 4}) }}
	var plain bytes.Buffer
	if err := table.WriteXLSX(&plain, sh); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(plain.Bytes()), int64(plain.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range extra {
		if p.lie == 0 {
			w, err := zw.Create(p.name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.CopyN(w, zeros{}, p.size); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var packed bytes.Buffer
		fw, _ := flate.NewWriter(&packed, flate.BestCompression)
		io.CopyN(fw, zeros{}, p.size)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CompressedSize64: uint64(packed.Len()), UncompressedSize64: p.lie})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// A workbook that unpacks to far more than any register (a zip bomb) is refused with a clear problem of the
// file, and reading it allocates little: the refusal comes from the zip directory, or, when the directory
// lies about a part's size, as soon as the part unpacks beyond what it declared.
func TestXLSXZipBombRefused(t *testing.T) {
	many := make([]part, importer.MaxParts)
	for i := range many {
		many[i] = part{name: "xl/media/p" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".bin", size: 1}
	}
	for _, c := range []struct {
		name  string
		file  []byte
		about string
	}{
		{"huge worksheet part", workbook(t, part{name: "xl/worksheets/sheet2.xml", size: 200 << 20}), "unpacks to more than 64 MB"},
		{"huge unused part", workbook(t, part{name: "xl/media/padding.bin", size: 100 << 20}), "unpacks to more than 64 MB"},
		{"parts together too big", workbook(t, part{name: "a.bin", size: 40 << 20}, part{name: "b.bin", size: 40 << 20}), "unpacks to more than 64 MB"},
		{"too many parts", workbook(t, many...), "parts"},
		{"part larger than declared", workbook(t, part{name: "xl/sharedStrings.xml", size: 200 << 20, lie: 1000}), "cannot be read"},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := read(t, "xlsx", c.file)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatalf("%s: read", c.name)
		}
		if p := fieldsOf(t, err); len(p) != 1 || !strings.HasPrefix(p[0], "file: ") || !strings.Contains(p[0], c.about) {
			t.Errorf("%s: problems %q, want one about the file saying %q", c.name, p, c.about)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
			t.Errorf("%s: reading the %d KB file allocated %d MB", c.name, len(c.file)>>10, alloc>>20)
		}
	}
}
