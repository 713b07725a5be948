// Package sqldb opens the database (embedded SQLite or PostgreSQL), runs migrations and runs transactions.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// migrations holds the schema of both engines: migrations/000NN_name.sql runs on either, and an engine's
// folder (migrations/postgres, migrations/sqlite) holds a file only where that engine needs different SQL for
// the same step; it replaces the shared file with the same number. Both engines therefore end with the same
// tables and columns (TestEnginesHaveTheSameSchema), so a backup moves between them.
//
//go:embed migrations
var migrations embed.FS

// DB is an open database. Reads go to R; writes go to W. On SQLite W is a one-connection pool so that
// writers queue in Go instead of failing with SQLITE_BUSY; on PostgreSQL R and W are the same pool.
type DB struct {
	Engine Engine
	R      *sql.DB
	W      *sql.DB
	// Where describes the database for people (a file path or a URL without password).
	Where string
}

// Open opens the database named by dbURL, or the SQLite file praxis.db in dataDir when dbURL is empty. Its
// errors never show a password of dbURL, whatever the driver echoes.
func Open(ctx context.Context, dbURL, dataDir string) (*DB, error) {
	return openDB(ctx, dbURL, dataDir, true)
}

// ErrNoDatabase is the error of OpenExisting when there is no SQLite database file.
var ErrNoDatabase = errors.New("no database")

// OpenExisting is Open for commands that only use a database: it creates neither the data folder nor an empty
// SQLite file, and fails with ErrNoDatabase when there is none.
func OpenExisting(ctx context.Context, dbURL, dataDir string) (*DB, error) {
	return openDB(ctx, dbURL, dataDir, false)
}

func openDB(ctx context.Context, dbURL, dataDir string, create bool) (*DB, error) {
	db, err := open(ctx, dbURL, dataDir, create)
	if err != nil {
		return nil, redactedError{msg: Redact(err.Error(), dbURL), err: err}
	}
	return db, nil
}

// redactedError is an error whose message has had the database passwords taken out.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

func open(ctx context.Context, dbURL, dataDir string, create bool) (*DB, error) {
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		return openPostgres(ctx, dbURL)
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite://"), "sqlite:")
	if dbURL != "" && path == dbURL {
		return nil, fmt.Errorf("unsupported database URL %q: use postgres://... or leave it empty for SQLite", Redact(dbURL, dbURL))
	}
	if path == "" {
		path = filepath.Join(dataDir, "praxis.db")
		if create {
			if err := makePrivateDir(dataDir); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
		}
	}
	if !create && !isMemory(path) {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s", ErrNoDatabase, path)
		}
	}
	if err := createPrivateFile(path); err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return openSQLite(ctx, path)
}

// The database holds password hashes and every organisation's ISMS: only the account running praxis may read
// it. Modes are set with chmod, so the process umask cannot loosen them.

// makePrivateDir creates dir with mode 0700 when it does not exist; an existing folder is the operator's.
func makePrivateDir(dir string) error {
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// createPrivateFile creates an empty database file with mode 0600 before SQLite opens it (SQLite would create it
// with the umask's mode, often 0644). SQLite gives the -wal and -shm files the mode of the database file.
func createPrivateFile(path string) error {
	if isMemory(path) {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return tightenModes(path)
	}
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}

// isMemory reports whether path names no file of ours (an in-memory database or a file: URI).
func isMemory(path string) bool { return path == ":memory:" || strings.HasPrefix(path, "file:") }

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// synchronous(FULL): a committed transaction survives a power cut, not only a process crash. cache_size: 16 MB
	// of pages per connection (five of them: up to 80 MB once each has read a large register); 32 MB made no page
	// faster on the large sample and kept 80 MB more after an export.
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(memory)&_pragma=cache_size(-16000)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	// Keep every reader open: a new connection costs its pragmas and the compiled statements it loses (store).
	r.SetMaxIdleConns(4)
	db := &DB{Engine: SQLite, R: r, W: w, Where: path}
	if err := w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Without statistics SQLite takes org_id = ? for selective and reads a whole register to filter it; optimize
	// gathers them where they are missing or stale, with a bounded sample so that it takes milliseconds.
	if _, err := w.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		db.Close()
		return nil, fmt.Errorf("optimize %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, u string) (*DB, error) {
	p, err := sql.Open("pgx", u)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(16)
	p.SetMaxIdleConns(8)
	db := &DB{Engine: Postgres, R: p, W: p, Where: Redact(u, u)}
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.Where, err)
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

func (db *DB) provider() (*goose.Provider, error) {
	root, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	fsys, err := engineMigrations(root, db.Engine)
	if err != nil {
		return nil, err
	}
	if db.Engine == SQLite {
		return goose.NewProvider(goose.DialectSQLite3, db.W, fsys)
	}
	// Several servers may start at once on one PostgreSQL database: an advisory lock lets one migrate while
	// the others wait, instead of all creating the same tables.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db.W, fsys, goose.WithSessionLocker(locker))
}

// Migrate brings the schema to the newest version and returns how many migrations ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// SchemaVersion returns the current migration version.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// InTx runs fn in one transaction on the write pool (write) or the read pool, committing when fn returns nil.
// A read transaction sees one snapshot of the database for all its statements: a list and its count, a backup
// of many tables, or an audit trail and its head always agree even while others write. (SQLite gives that to
// every transaction in WAL mode; PostgreSQL needs REPEATABLE READ, which for a read-only transaction costs
// nothing more and never fails with a serialisation error.)
func (db *DB) InTx(ctx context.Context, write bool, fn func(*sql.Tx) error) error {
	pool := db.R
	var opts *sql.TxOptions
	if write {
		pool = db.W
	} else if db.Engine == Postgres {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// A panic in fn (the server recovers it as a 500) must not leave the transaction open, holding its locks and
	// its connection.
	defer func() {
		if v := recover(); v != nil {
			tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// tightenModes takes group and other access away from a database an earlier version created with the umask's
// mode (often 0644), and from its journal files.
func tightenModes(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return err
			}
		}
	}
	return nil
}
