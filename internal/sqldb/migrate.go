package sqldb

import (
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/pressly/goose/v3"
)

// engineFS shows goose one engine's migrations as one flat folder: file name -> path in the source FS.
type engineFS struct {
	src   fs.FS
	files map[string]string
}

// engineMigrations assembles the migrations of engine from src: every shared *.sql file at the top, except
// that a file in the engine's folder replaces the shared file with the same number. An override without a
// shared file of its number is an error: the engines must count the same steps.
func engineMigrations(src fs.FS, engine Engine) (fs.FS, error) {
	shared, err := migrationFiles(src, ".")
	if err != nil {
		return nil, err
	}
	own, err := migrationFiles(src, string(engine))
	if err != nil {
		return nil, err
	}
	files := map[string]string{}
	for v, name := range shared {
		files[name] = name
		if o, ok := own[v]; ok {
			delete(files, name)
			files[path.Base(o)] = o
		}
	}
	for v, o := range own {
		if _, ok := shared[v]; !ok {
			return nil, fmt.Errorf("migration %s has no shared file numbered %d to replace", o, v)
		}
	}
	return engineFS{src: src, files: files}, nil
}

// migrationFiles lists the numbered *.sql files of dir in src by version (a missing dir has none).
func migrationFiles(src fs.FS, dir string) (map[int64]string, error) {
	names, err := fs.Glob(src, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, name := range names {
		v, err := goose.NumericComponent(path.Base(name))
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		if other, ok := out[v]; ok {
			return nil, fmt.Errorf("migrations %s and %s share the number %d", other, name, v)
		}
		out[v] = name
	}
	return out, nil
}

func (e engineFS) Open(name string) (fs.File, error) {
	p, ok := e.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return e.src.Open(p)
}

// Glob matches the flat names (goose asks for "*.sql").
func (e engineFS) Glob(pattern string) ([]string, error) {
	var out []string
	for name := range e.files {
		ok, err := path.Match(pattern, name)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}
