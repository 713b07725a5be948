package testutil

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// Seeded databases: tests that start from the same data (the sample organisation, written on the fixed test
// clock) would each write it again, which under the race detector costs seconds per test. SeededDB writes it
// once per engine and process and hands every test its own copy: a SQLite file written from the seed's bytes,
// or a PostgreSQL database created from the seed as its template. A test changes only its copy.

// DemoDB returns a database and blob folder of engine holding the sample organisation as Demo writes it on the
// fixed test clock: the test's own copy of one written once per engine.
func DemoDB(t testing.TB, engine sqldb.Engine) (*sqldb.DB, string) {
	t.Helper()
	return SeededDB(t, engine, "demo", func(t testing.TB, db *sqldb.DB, blobDir string) error {
		_, _, err := NewServiceWith(t, db, service.Config{Now: NewClock().Now, BlobDir: blobDir}).Demo(context.Background())
		return err
	})
}

// Seed writes the data of a seeded database into db, with blobDir as the folder of stored files.
type Seed func(t testing.TB, db *sqldb.DB, blobDir string) error

// seeded is what one seed left: the SQLite file's bytes or the PostgreSQL template's name, and the stored files.
type seeded struct {
	once     sync.Once
	err      error
	file     []byte            // SQLite
	template string            // PostgreSQL
	blobs    map[string][]byte // path under the blob folder: content
}

var seeds struct {
	sync.Mutex
	by map[string]*seeded
}

// SeededDB returns a fresh, migrated database of engine holding what seed (named name) writes, and a blob folder
// with the files it stored; both are the test's own. The seed runs once per engine and name in the process.
func SeededDB(t testing.TB, engine sqldb.Engine, name string, seed Seed) (*sqldb.DB, string) {
	t.Helper()
	if engine == sqldb.Postgres {
		PostgresURL(t) // skips or fails before seeding when there is no server
	}
	seeds.Lock()
	if seeds.by == nil {
		seeds.by = map[string]*seeded{}
	}
	key := string(engine) + "/" + name
	s := seeds.by[key]
	if s == nil {
		s = &seeded{}
		seeds.by[key] = s
	}
	seeds.Unlock()
	s.once.Do(func() {
		s.err = errors.New("the seed stopped the test that ran it") // kept if seed ends its test (t.Fatal)
		s.err = s.write(t, engine, seed)
	})
	if s.err != nil {
		t.Fatalf("seed %s: %v", key, s.err)
	}
	blobDir := t.TempDir()
	for p, b := range s.blobs {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(blobDir, p)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(blobDir, p), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if engine == sqldb.Postgres {
		return open(t, newPostgresFrom(t, s.template), ""), blobDir
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "praxis.db"), s.file, 0o600); err != nil {
		t.Fatal(err)
	}
	return open(t, "", dir), blobDir
}

// write runs the seed on a database of its own and keeps the result.
func (s *seeded) write(t testing.TB, engine sqldb.Engine, seed Seed) error {
	ctx := context.Background()
	work, err := os.MkdirTemp("", "praxis-seed-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	blobDir := filepath.Join(work, "blobs")
	dbURL, dataDir := "", filepath.Join(work, "data")
	if err := os.Mkdir(dataDir, 0o700); err != nil {
		return err
	}
	if engine == sqldb.Postgres {
		if s.template, dbURL, err = newSeedDatabase(PostgresURL(t)); err != nil {
			return err
		}
	}
	db, err := sqldb.Open(ctx, dbURL, dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := seed(t, db, blobDir); err != nil {
		return err
	}
	if engine == sqldb.SQLite {
		// Statistics gathered now, as opening does (sqldb): a copy whose statistics are stale has every open
		// analyse it again, which under the race detector costs what the copy saves.
		if _, err := db.W.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
			return err
		}
		copyPath := filepath.Join(work, "copy.db")
		if _, err := db.W.ExecContext(ctx, "VACUUM INTO '"+copyPath+"'"); err != nil {
			return err
		}
		if s.file, err = os.ReadFile(copyPath); err != nil {
			return err
		}
	}
	s.blobs = map[string][]byte{}
	err = filepath.WalkDir(blobDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(blobDir, p)
		s.blobs[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return db.Close() // a template takes no connections
}

// newSeedDatabase creates the database a PostgreSQL seed is written into, named after this process so that a
// later run drops it once the process is gone (the server outlives test processes when run by hand).
func newSeedDatabase(admin string) (name, dbURL string, err error) {
	a, err := sql.Open("pgx", admin)
	if err != nil {
		return "", "", err
	}
	defer a.Close()
	rows, err := a.Query("SELECT datname FROM pg_database WHERE datname LIKE 'praxis_seed_%'")
	if err != nil {
		return "", "", err
	}
	var stale []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return "", "", err
		}
		pid, _ := strconv.Atoi(strings.Split(strings.TrimPrefix(n, "praxis_seed_"), "_")[0])
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); pid > 0 && os.IsNotExist(err) {
			stale = append(stale, n)
		}
	}
	rows.Close()
	for _, n := range stale {
		a.Exec("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)")
	}
	dbSeq.Lock()
	dbSeq.n++
	name = fmt.Sprintf("praxis_seed_%d_%d", os.Getpid(), dbSeq.n)
	dbSeq.Unlock()
	if _, err := a.Exec("CREATE DATABASE " + name); err != nil {
		return "", "", err
	}
	u, err := urlWithPath(admin, name)
	return name, u, err
}
