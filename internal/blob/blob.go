// Package blob keeps evidence files by content: each file is named by the SHA-256 of its bytes, so the same file
// uploaded twice is stored once, and a file whose bytes no longer match its name is refused rather than served.
// On SQLite the files live in a folder (blobs/ab/cdef...); on PostgreSQL, which several servers share, in the
// blobs table.
package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

var (
	// ErrTooLarge is Put's error for content beyond its limit; nothing is stored.
	ErrTooLarge = errors.New("the file is larger than the upload limit")
	// ErrCorrupt is Open's error when the stored bytes no longer hash to their name: they were altered or damaged.
	ErrCorrupt = errors.New("the stored file no longer matches its SHA-256: it was altered or damaged")
	// ErrNotFound is Open's error for a hash that names no stored file.
	ErrNotFound = errors.New("no stored file has this SHA-256")
	errNoDir    = errors.New("no folder for evidence files is configured")
)

// Info describes stored content: its SHA-256 (hex), its size and the media type its first bytes suggest.
type Info struct {
	SHA256    string
	Size      int64
	MediaType string
}

// Store keeps files by content. InUse reports whether anything (an evidence row of any organisation) still names
// a hash; Delete removes nothing that is in use.
type Store struct {
	dir   string  // the folder of files (SQLite), when db is nil
	db    *sql.DB // the database holding the blobs table (PostgreSQL)
	InUse func(ctx context.Context, sha string) (bool, error)
}

// InDir keeps files in folder dir.
func InDir(dir string, inUse func(context.Context, string) (bool, error)) *Store {
	return &Store{dir: dir, InUse: inUse}
}

// InTable keeps files in the blobs table of db.
func InTable(db *sql.DB, inUse func(context.Context, string) (bool, error)) *Store {
	return &Store{db: db, InUse: inUse}
}

// ValidSHA256 reports whether s is a SHA-256 as this package names files: 64 lower-case hex digits (so that a
// name can never climb out of the folder).
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Path is where the file of hash sha lives under a blob folder: ab/cdef... (the first two digits shard the
// folder). Backups use the same names.
func Path(sha string) string { return filepath.Join(sha[:2], sha[2:]) }

// Put stores the bytes of r, at most limit of them, and says what it stored. Content beyond limit is
// ErrTooLarge; a read error (an interrupted upload) is returned as it is. Either way nothing is kept.
func (s *Store) Put(ctx context.Context, r io.Reader, limit int64) (Info, error) {
	switch {
	case s.db != nil:
		return s.putRow(ctx, r, limit)
	case s.dir == "":
		return Info{}, errNoDir
	}
	return s.putFile(r, limit)
}

// putFile writes to a temporary file in the folder, checks the size, syncs it to disk and only then renames it
// to its hash: a crash or an error leaves no file under a hash name.
func (s *Store) putFile(r io.Reader, limit int64) (info Info, err error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return info, err
	}
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return info, err
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h, head := sha256.New(), &sniffer{}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), io.LimitReader(r, limit+1))
	if err != nil {
		return info, err
	}
	if n > limit {
		return info, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return info, err
	}
	if err := tmp.Close(); err != nil {
		return info, err
	}
	info = Info{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, MediaType: http.DetectContentType(head.b)}
	dst := filepath.Join(s.dir, Path(info.SHA256))
	if _, err := os.Stat(dst); err == nil {
		return info, nil // stored already: the deferred clean-up removes the copy
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return info, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return info, err
	}
	tmp = nil
	return info, syncDir(filepath.Dir(dst))
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// putRow reads the content (at most limit bytes) and inserts it once: PostgreSQL takes a BYTEA value whole.
func (s *Store) putRow(ctx context.Context, r io.Reader, limit int64) (Info, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return Info{}, err
	}
	if n > limit {
		return Info{}, ErrTooLarge
	}
	sum := sha256.Sum256(buf.Bytes())
	info := Info{SHA256: hex.EncodeToString(sum[:]), Size: n, MediaType: http.DetectContentType(buf.Bytes())}
	_, err = s.db.ExecContext(ctx, "INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
		info.SHA256, n, buf.Bytes())
	return info, err
}

// sniffer keeps the first 512 bytes written, what http.DetectContentType reads.
type sniffer struct{ b []byte }

func (s *sniffer) Write(p []byte) (int, error) {
	if room := 512 - len(s.b); room > 0 {
		s.b = append(s.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Open returns the stored file of hash sha and its size, checked against its hash BEFORE the first byte is read:
// a file whose bytes no longer match is ErrCorrupt, so a download is refused rather than served wrong. A file in
// the folder is hashed once in full first (reading it twice costs far less than sending it); the reader hashes
// again as it streams and fails at the end with ErrCorrupt should the file change in between.
func (s *Store) Open(ctx context.Context, sha string) (io.ReadCloser, int64, error) {
	if !ValidSHA256(sha) {
		return nil, 0, ErrNotFound
	}
	if s.db == nil && s.dir == "" {
		return nil, 0, errNoDir
	}
	if s.db != nil {
		var content []byte
		err := s.db.QueryRowContext(ctx, "SELECT content FROM blobs WHERE sha256 = $1", sha).Scan(&content)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, ErrNotFound
		}
		if err != nil {
			return nil, 0, err
		}
		if sum := sha256.Sum256(content); hex.EncodeToString(sum[:]) != sha {
			return nil, 0, ErrCorrupt
		}
		return io.NopCloser(bytes.NewReader(content)), int64(len(content)), nil
	}
	f, err := os.Open(filepath.Join(s.dir, Path(sha)))
	if os.IsNotExist(err) {
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err == nil && hex.EncodeToString(h.Sum(nil)) != sha {
		err = ErrCorrupt
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return &verifying{f: f, h: sha256.New(), want: sha}, size, nil
}

// verifying hashes what it reads and fails at the end when the bytes did not hash to want.
type verifying struct {
	f    *os.File
	h    hash.Hash
	want string
}

func (v *verifying) Read(p []byte) (int, error) {
	n, err := v.f.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(v.h.Sum(nil)) != v.want {
		return n, ErrCorrupt
	}
	return n, err
}

func (v *verifying) Close() error { return v.f.Close() }

// Has reports whether the file of hash sha is stored.
func (s *Store) Has(ctx context.Context, sha string) (bool, error) {
	if !ValidSHA256(sha) || s.db == nil && s.dir == "" {
		return false, nil
	}
	if s.db != nil {
		var n int
		err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM blobs WHERE sha256 = $1", sha).Scan(&n)
		return n > 0, err
	}
	_, err := os.Stat(filepath.Join(s.dir, Path(sha)))
	if os.IsNotExist(err) {
		return false, nil
	}
	return err == nil, err
}

// Delete removes the file of hash sha unless something still names it (InUse), and reports whether it did.
func (s *Store) Delete(ctx context.Context, sha string) (bool, error) {
	if !ValidSHA256(sha) {
		return false, nil
	}
	used, err := s.InUse(ctx, sha)
	if err != nil || used || s.db == nil && s.dir == "" {
		return false, err
	}
	if s.db != nil {
		res, err := s.db.ExecContext(ctx, "DELETE FROM blobs WHERE sha256 = $1", sha)
		if err != nil {
			return false, err
		}
		n, err := res.RowsAffected()
		return n > 0, err
	}
	err = os.Remove(filepath.Join(s.dir, Path(sha)))
	if os.IsNotExist(err) {
		return false, nil
	}
	return err == nil, err
}

// MediaType is the type of a file from what its content suggests (sniffed, from http.DetectContentType) and the
// name it came with: the content wins, except where it says only "some bytes" or "some text" and the name's
// extension knows better (a CSV, a Word document).
func MediaType(sniffed, name string) string {
	generic := sniffed == "application/octet-stream" || strings.HasPrefix(sniffed, "text/plain") || sniffed == "application/zip"
	if !generic {
		return sniffed
	}
	if byName := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); byName != "" && !active(byName) {
		return byName
	}
	return sniffed
}

// ServeType is the Content-Type a download is sent with: the stored type, except that types a browser would run
// or render as a page (HTML, SVG, XML, scripts) go out as application/octet-stream.
func ServeType(mediaType string) string {
	if mediaType == "" || active(mediaType) {
		return "application/octet-stream"
	}
	return mediaType
}

func active(mediaType string) bool {
	t, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return true
	}
	switch {
	case strings.Contains(t, "html"), t == "text/xml", t == "application/xml", strings.HasSuffix(t, "+xml"),
		strings.Contains(t, "javascript"), strings.Contains(t, "ecmascript"), t == "text/css":
		return true
	}
	return false
}

// SizeText is n bytes for people (2.4 MB).
func SizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
