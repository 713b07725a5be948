package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// stores gives a folder store (SQLite's) and a table store (PostgreSQL's), each with the set of hashes in use.
func eachStore(t *testing.T, fn func(t *testing.T, s *blob.Store, used map[string]bool, count func() int)) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			used := map[string]bool{}
			inUse := func(_ context.Context, sha string) (bool, error) { return used[sha], nil }
			if engine == sqldb.SQLite {
				dir := t.TempDir()
				fn(t, blob.InDir(dir, inUse), used, func() int { return countFiles(t, dir) })
				return
			}
			db := testutil.NewPostgres(t)
			fn(t, blob.InTable(db.W, inUse), used, func() int {
				var n int
				if err := db.R.QueryRow("SELECT COUNT(*) FROM blobs").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			})
		})
	}
}

// countFiles counts every file under dir, temporary ones included.
func countFiles(t *testing.T, dir string) int {
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestPutStoresContentOnceAndOpenReturnsIt(t *testing.T) {
	eachStore(t, func(t *testing.T, s *blob.Store, _ map[string]bool, count func() int) {
		ctx := context.Background()
		content := []byte("%PDF-1.4\nSAST report: no findings\n")
		a, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if a.SHA256 != hexSum(content) || a.Size != int64(len(content)) || a.MediaType != "application/pdf" {
			t.Fatalf("put = %+v", a)
		}
		b, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
		if err != nil || b != a {
			t.Fatalf("second put = %+v, %v", b, err)
		}
		if n := count(); n != 1 {
			t.Fatalf("the same content uploaded twice is stored %d times", n)
		}
		rc, size, err := s.Open(ctx, a.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, content) || size != int64(len(content)) {
			t.Fatalf("open = %q (%d), %v", got, size, err)
		}
		if has, _ := s.Has(ctx, a.SHA256); !has {
			t.Fatal("Has says no")
		}
		if _, _, err := s.Open(ctx, hexSum([]byte("other"))); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("open of an unknown hash = %v", err)
		}
		if _, _, err := s.Open(ctx, "../../etc/passwd"); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("open of a path = %v", err)
		}
	})
}

// failing yields some bytes and then fails, as an upload cut off half-way.
type failing struct{ n int }

func (f *failing) Read(p []byte) (int, error) {
	if f.n >= 3 {
		return 0, errors.New("connection reset")
	}
	f.n++
	return copy(p, strings.Repeat("x", 1000)), nil
}

func TestFailedPutKeepsNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *blob.Store, _ map[string]bool, count func() int) {
		ctx := context.Background()
		if _, err := s.Put(ctx, &failing{}, 1<<20); err == nil || !strings.Contains(err.Error(), "connection reset") {
			t.Fatalf("interrupted put = %v", err)
		}
		if _, err := s.Put(ctx, strings.NewReader(strings.Repeat("y", 101)), 100); !errors.Is(err, blob.ErrTooLarge) {
			t.Fatalf("put beyond the limit = %v", err)
		}
		if _, err := s.Put(ctx, strings.NewReader(strings.Repeat("y", 100)), 100); err != nil {
			t.Fatalf("put at the limit = %v", err)
		}
		if n := count(); n != 1 {
			t.Fatalf("%d files stored, want only the one within the limit", n)
		}
	})
}

func TestDeleteKeepsFilesInUse(t *testing.T) {
	eachStore(t, func(t *testing.T, s *blob.Store, used map[string]bool, count func() int) {
		ctx := context.Background()
		a, err := s.Put(ctx, strings.NewReader("access review"), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		used[a.SHA256] = true
		if gone, err := s.Delete(ctx, a.SHA256); gone || err != nil || count() != 1 {
			t.Fatalf("delete of a file in use = %v, %v (%d files)", gone, err, count())
		}
		used[a.SHA256] = false
		if gone, err := s.Delete(ctx, a.SHA256); !gone || err != nil || count() != 0 {
			t.Fatalf("delete of an unused file = %v, %v (%d files)", gone, err, count())
		}
	})
}

// A file altered on disk is refused before its first byte is served.
func TestOpenRefusesAlteredFile(t *testing.T) {
	dir := t.TempDir()
	s := blob.InDir(dir, nil)
	ctx := context.Background()
	a, err := s.Put(ctx, strings.NewReader("restore test passed on 2026-02-01"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, blob.Path(a.SHA256)), []byte("restore test passed on 2026-02-02"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc, _, err := s.Open(ctx, a.SHA256); !errors.Is(err, blob.ErrCorrupt) {
		if rc != nil {
			rc.Close()
		}
		t.Fatalf("open of an altered file = %v", err)
	}
}

func TestOpenRefusesAlteredRow(t *testing.T) {
	db := testutil.NewPostgres(t)
	s := blob.InTable(db.W, nil)
	ctx := context.Background()
	a, err := s.Put(ctx, strings.NewReader("restore test passed"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec("UPDATE blobs SET content = $1", []byte("restore test failed")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Open(ctx, a.SHA256); !errors.Is(err, blob.ErrCorrupt) {
		t.Fatalf("open of an altered row = %v", err)
	}
}

func TestTypes(t *testing.T) {
	for _, c := range []struct{ sniffed, name, want string }{
		{"text/plain; charset=utf-8", "review.csv", "text/csv; charset=utf-8"},
		{"application/pdf", "x.txt", "application/pdf"},
		{"text/plain; charset=utf-8", "page.html", "text/plain; charset=utf-8"},
	} {
		if got := blob.MediaType(c.sniffed, c.name); got != c.want {
			t.Errorf("MediaType(%q, %q) = %q, want %q", c.sniffed, c.name, got, c.want)
		}
	}
	for typ, want := range map[string]string{"text/html; charset=utf-8": "application/octet-stream",
		"image/svg+xml": "application/octet-stream", "text/xml; charset=utf-8": "application/octet-stream",
		"application/pdf": "application/pdf", "text/csv": "text/csv", "": "application/octet-stream"} {
		if got := blob.ServeType(typ); got != want {
			t.Errorf("ServeType(%q) = %q, want %q", typ, got, want)
		}
	}
}
