package sqldb

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// An engine's own file replaces the shared file with the same number, and only for that engine.
func TestEngineMigrationsOverrideBySameNumber(t *testing.T) {
	src := fstest.MapFS{
		"00001_base.sql":            {Data: []byte("shared 1")},
		"00002_index.sql":           {Data: []byte("shared 2")},
		"postgres/00002_index.sql":  {Data: []byte("postgres 2")},
		"sqlite/00002_index_lt.sql": {Data: []byte("sqlite 2")},
	}
	want := map[Engine]map[string]string{
		Postgres: {"00001_base.sql": "shared 1", "00002_index.sql": "postgres 2"},
		SQLite:   {"00001_base.sql": "shared 1", "00002_index_lt.sql": "sqlite 2"},
	}
	for engine, files := range want {
		fsys, err := engineMigrations(src, engine)
		if err != nil {
			t.Fatal(err)
		}
		names, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		if len(names) != len(files) {
			t.Fatalf("%s sees %v, want %v", engine, names, files)
		}
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil || string(data) != files[name] {
				t.Errorf("%s: %s = %q (%v), want %q", engine, name, data, err, files[name])
			}
		}
	}
}

// An override that replaces nothing, or two files with one number, would make the engines count different
// steps: both are refused with the file named.
func TestEngineMigrationsRefuseStrayOverrides(t *testing.T) {
	cases := map[string]fstest.MapFS{
		"postgres/00003_only_here.sql": {"00001_base.sql": {}, "postgres/00003_only_here.sql": {}},
		"00001_again.sql":              {"00001_base.sql": {}, "00001_again.sql": {}},
	}
	for name, src := range cases {
		_, err := engineMigrations(src, Postgres)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming it", name, err)
		}
	}
}
