package service

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// BackupManifest opens every backup archive and says what it holds.
type BackupManifest struct {
	Format        string           `json:"format"`
	FormatVersion int              `json:"format_version"`
	SchemaVersion int64            `json:"schema_version"`
	CreatedAt     string           `json:"created_at"`
	Engine        string           `json:"engine"`
	AppVersion    string           `json:"app_version"`
	Rows          map[string]int64 `json:"rows"`
	Blobs         int              `json:"blobs"`
}

const backupFormat = "praxis-backup"

// Backup writes a portable ZIP archive of everything: every table as JSON lines (one file per table, the first
// line naming the columns) and every stored file. It reads in one transaction, so the archive is consistent.
// The archive restores into an empty database of either engine.
func (s *Service) Backup(ctx context.Context, w io.Writer, appVersion string) (BackupManifest, error) {
	zw := zip.NewWriter(w)
	m := BackupManifest{Format: backupFormat, FormatVersion: 1, CreatedAt: s.now().Format(isms.TimeFormat),
		Engine: string(s.store.DB.Engine), AppVersion: appVersion, Rows: map[string]int64{}}
	var err error
	if m.SchemaVersion, err = s.store.DB.SchemaVersion(ctx); err != nil {
		return m, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		for _, table := range store.BackupTables {
			f, err := zw.Create("tables/" + table + ".jsonl")
			if err != nil {
				return err
			}
			bw := bufio.NewWriter(f)
			enc := json.NewEncoder(bw)
			first := true
			err = tx.EachRow(ctx, table, func(cols []string, vals []any) error {
				if first {
					first = false
					if err := enc.Encode(cols); err != nil {
						return err
					}
				}
				m.Rows[table]++
				return enc.Encode(vals)
			})
			if err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("back up tables: %w", err)
	}
	if m.Blobs, err = addBlobs(zw, s.cfg.BlobDir); err != nil {
		return m, fmt.Errorf("back up files: %w", err)
	}
	mf, err := zw.Create("manifest.json")
	if err != nil {
		return m, err
	}
	enc := json.NewEncoder(mf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return m, err
	}
	return m, zw.Close()
}

func addBlobs(zw *zip.Writer, dir string) (int, error) {
	if dir == "" {
		return 0, nil
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && p == dir {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		zf, err := zw.Create("blobs/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		n++
		_, err = io.Copy(zf, f)
		return err
	})
	return n, err
}

// restoreBatch is how many rows go into one INSERT statement.
const restoreBatch = 200

// Restore loads a backup archive into this database, which must be empty (freshly migrated). Everything is
// loaded in one transaction: a bad archive leaves the database as it was.
func (s *Service) Restore(ctx context.Context, r io.ReaderAt, size int64) (BackupManifest, error) {
	var m BackupManifest
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return m, fmt.Errorf("not a praxis backup (zip): %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	if err := readJSON(files["manifest.json"], &m); err != nil {
		return m, fmt.Errorf("read manifest: %w", err)
	}
	if m.Format != backupFormat || m.FormatVersion != 1 {
		return m, fmt.Errorf("not a praxis backup (format %q version %d)", m.Format, m.FormatVersion)
	}
	current, err := s.store.DB.SchemaVersion(ctx)
	if err != nil {
		return m, err
	}
	if m.SchemaVersion > current {
		return m, fmt.Errorf("the backup has schema version %d, newer than this praxis (%d): upgrade praxis first", m.SchemaVersion, current)
	}
	// Check the stored files' names before loading anything, so that a bad one leaves the database as it was.
	if err := s.restoreBlobs(zr, false); err != nil {
		return m, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		empty, err := tx.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if !empty {
			return isms.Conflict("the database is not empty: restore into a new, empty database")
		}
		for _, table := range store.BackupTables {
			if err := restoreTable(ctx, tx, table, files["tables/"+table+".jsonl"], m.Rows[table]); err != nil {
				return err
			}
		}
		// A broken chain would make the organisation unwritable (its head no longer matches its events) and
		// the trail untrustworthy: refuse the archive rather than load it.
		chains, err := s.verifyChains(ctx, tx, "")
		if err != nil {
			return err
		}
		for _, c := range chains {
			if !c.Intact {
				return fmt.Errorf("the audit trail of %s in the backup is broken (%s): refusing to restore", c.Org, c.Break)
			}
		}
		return nil
	})
	if err != nil {
		return m, err
	}
	return m, s.restoreBlobs(zr, true)
}

func restoreTable(ctx context.Context, tx *store.Tx, table string, f *zip.File, want int64) error {
	if f == nil {
		if want > 0 {
			return fmt.Errorf("backup lacks table %s", table)
		}
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := json.NewDecoder(bufio.NewReader(rc))
	dec.UseNumber()
	var cols []string
	if err := dec.Decode(&cols); err == io.EOF {
		if want > 0 {
			return fmt.Errorf("%s: the manifest promises %d rows, the archive holds none", table, want)
		}
		return nil
	} else if err != nil {
		return fmt.Errorf("%s: column line: %w", table, err)
	}
	var batch [][]any
	var n int64
	for {
		var row []any
		if err := dec.Decode(&row); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("%s: row %d: %w", table, n+1, err)
		}
		for i, v := range row {
			if num, ok := v.(json.Number); ok {
				if row[i], err = num.Int64(); err != nil {
					return fmt.Errorf("%s: row %d: %w", table, n+1, err)
				}
			}
		}
		batch = append(batch, row)
		n++
		if len(batch) == restoreBatch {
			if err := tx.InsertRows(ctx, table, cols, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := tx.InsertRows(ctx, table, cols, batch); err != nil {
		return err
	}
	if n != want {
		return fmt.Errorf("%s: the manifest promises %d rows, the archive holds %d", table, want, n)
	}
	return nil
}

// restoreBlobs writes the archive's stored files into BlobDir; with write false it only checks their names.
func (s *Service) restoreBlobs(zr *zip.Reader, write bool) error {
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "blobs/") || strings.HasSuffix(f.Name, "/") {
			continue
		}
		rel := path.Clean(strings.TrimPrefix(f.Name, "blobs/"))
		if s.cfg.BlobDir == "" || strings.HasPrefix(rel, "..") || path.IsAbs(rel) {
			return fmt.Errorf("refusing file %q from the archive", f.Name)
		}
		if !write {
			continue
		}
		dst := filepath.Join(s.cfg.BlobDir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		if err := copyZipFile(f, dst); err != nil {
			return err
		}
	}
	return nil
}

func copyZipFile(f *zip.File, dst string) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func readJSON(f *zip.File, v any) error {
	if f == nil {
		return fmt.Errorf("missing")
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return json.NewDecoder(rc).Decode(v)
}
