//go:build unix

package sqldb

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The data folder, the database and its -wal and -shm files are the owner's only, even under a permissive umask.
func TestDataFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "praxis-data")
	db, err := Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil { // writes, so the -wal and -shm files exist
		t.Fatal(err)
	}
	want := map[string]fs.FileMode{dir: 0o700}
	for _, f := range []string{"praxis.db", "praxis.db-wal", "praxis.db-shm"} {
		want[filepath.Join(dir, f)] = 0o600
	}
	for path, mode := range want {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != mode {
			t.Errorf("%s: mode %o, want %o", path, got, mode)
		}
	}

	// An explicit sqlite: path is created private too.
	other := filepath.Join(t.TempDir(), "other.db")
	db2, err := Open(context.Background(), "sqlite:"+other, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if st, err := os.Stat(other); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v %v", other, st.Mode(), err)
	}
}

// A database an earlier version left readable by everyone (0644) is made private when it is next opened.
func TestOpenTightensAnExistingDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "praxis.db")
	for _, p := range []string{path, path + "-wal"} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600 (%v)", p, st.Mode().Perm(), err)
		}
	}
}
