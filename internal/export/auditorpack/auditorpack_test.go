package auditorpack_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/export/auditorpack"
)

var info = auditorpack.Info{Organisation: "Acme Ltd", By: "Olivia Owner", At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}

func build(t *testing.T, w io.Writer) (string, error) {
	t.Helper()
	p := auditorpack.New(w, info)
	if err := p.Readme([]auditorpack.Part{{Path: "01-a.txt", What: "the letter a"}}, []auditorpack.Gap{{What: "Scope", Why: "never approved"}}); err != nil {
		return "", err
	}
	for _, f := range []struct{ path, body string }{{"01-a.txt", "a"}, {"02-b.pdf", strings.Repeat("b", 100_000)}} {
		body := f.body
		if err := p.Add(f.path, "", func(w io.Writer) error { _, err := io.WriteString(w, body); return err }); err != nil {
			return "", err
		}
	}
	return p.Finish()
}

func open(t *testing.T, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

func TestPackListsEveryFileWithItsHash(t *testing.T) {
	var buf bytes.Buffer
	sum, err := build(t, &buf)
	if err != nil {
		t.Fatal(err)
	}
	zr := open(t, buf.Bytes())
	m, err := auditorpack.Check(zr)
	if err != nil {
		t.Fatal(err)
	}
	if m.Organisation != "Acme Ltd" || m.GeneratedBy != "Olivia Owner" || len(m.Files) != 3 || len(m.Missing) != 1 || m.Missing[0].What != "Scope" {
		t.Fatalf("manifest = %+v", m)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "README.txt 01-a.txt 02-b.pdf manifest.json MANIFEST.txt" {
		t.Fatalf("files = %v", names)
	}
	rc, _ := zr.File[len(zr.File)-1].Open()
	manifest, _ := io.ReadAll(rc)
	if h := sha256.Sum256(manifest); hex.EncodeToString(h[:]) != sum {
		t.Fatalf("Finish returned %s, not the SHA-256 of MANIFEST.txt", sum)
	}
	a := sha256.Sum256([]byte("a"))
	if !strings.Contains(string(manifest), hex.EncodeToString(a[:])+"  01-a.txt\n") {
		t.Fatalf("MANIFEST.txt is not in sha256sum's form:\n%s", manifest)
	}
	rc, _ = zr.File[0].Open()
	readme, _ := io.ReadAll(rc)
	for _, want := range []string{"Acme Ltd", "Olivia Owner", "2 March 2026", "sha256sum -c MANIFEST.txt", "01-a.txt", "the letter a", "Scope: never approved"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.txt lacks %q:\n%s", want, readme)
		}
	}
}

// A pack whose manifest disagrees with its files fails the check.
func TestCheckFindsATamperedPack(t *testing.T) {
	var buf bytes.Buffer
	if _, err := build(t, &buf); err != nil {
		t.Fatal(err)
	}
	orig := open(t, buf.Bytes())
	for name, change := range map[string]func(name string, body []byte) []byte{
		"a file changed": func(name string, body []byte) []byte {
			if name == "01-a.txt" {
				return []byte("A")
			}
			return body
		},
		"a line too many": func(name string, body []byte) []byte {
			if name == "MANIFEST.txt" {
				return append(body, []byte(strings.Repeat("0", 64)+"  03-c.txt\n")...)
			}
			return body
		},
	} {
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for _, f := range orig.File {
			rc, _ := f.Open()
			body, _ := io.ReadAll(rc)
			w, _ := zw.Create(f.Name)
			w.Write(change(f.Name, body))
		}
		zw.Close()
		if _, err := auditorpack.Check(open(t, out.Bytes())); err == nil {
			t.Errorf("%s: the check passed", name)
		}
	}
}

type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errFull
	}
	return len(p), nil
}

// A write that fails mid-way stops the pack with the error.
func TestPackStopsOnAFailingWrite(t *testing.T) {
	if _, err := build(t, &failAfter{n: 20_000}); !errors.Is(err, errFull) {
		t.Fatalf("err = %v, want the writer's", err)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{"Information Security Policy": "information-security-policy", "Scan (Q1) Report.PDF": "scan-q1-report.pdf",
		"../../etc/passwd": "etc-passwd", "  ": ""} {
		if got := auditorpack.FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}
