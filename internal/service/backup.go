package service

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/store"
)

// BackupManifest opens every backup archive and says what it holds.
type BackupManifest struct {
	Format        string            `json:"format"`
	FormatVersion int               `json:"format_version"`
	SchemaVersion int64             `json:"schema_version"`
	CreatedAt     string            `json:"created_at"`
	Engine        string            `json:"engine"`
	AppVersion    string            `json:"app_version"`
	Rows          map[string]int64  `json:"rows"`
	Blobs         int               `json:"blobs"`
	Files         map[string]string `json:"files"`  // every other file of the archive: its SHA-256, hex
	KeyID         string            `json:"key_id"` // the installation key whose backup subkey made manifest.mac
}

const (
	backupFormat        = "praxis-backup"
	backupFormatVersion = 2 // 2: file hashes and manifest.mac; 1 had neither and restores only --untrusted
	manifestName        = "manifest.json"
	manifestMACName     = "manifest.mac" // HMAC-SHA256 of manifest.json's bytes with the backup subkey, hex
)

// Backup writes a portable ZIP archive of everything: every table as JSON lines (one file per table, the first
// line naming the columns) and every stored file. It reads in one transaction, so the archive is consistent.
// The archive restores into an empty database of either engine.
func (s *Service) Backup(ctx context.Context, w io.Writer, appVersion string) (BackupManifest, error) {
	zw := &hashingZip{zip.NewWriter(w), map[string]string{}}
	m := BackupManifest{Format: backupFormat, FormatVersion: backupFormatVersion, CreatedAt: s.now().Format(isms.TimeFormat),
		Engine: string(s.store.DB.Engine), AppVersion: appVersion, Rows: map[string]int64{}, KeyID: s.cfg.Key.ID()}
	var err error
	if m.SchemaVersion, err = s.store.DB.SchemaVersion(ctx); err != nil {
		return m, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		for _, table := range store.BackupTables {
			f, err := zw.create("tables/" + table + ".jsonl")
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
			f.done()
		}
		// The files evidence names, as of the same snapshot as the rows.
		shas, err := tx.EvidenceBlobs(ctx)
		if err != nil {
			return err
		}
		if m.Blobs, err = s.addBlobs(ctx, zw, shas); err != nil {
			return fmt.Errorf("back up files: %w", err)
		}
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("back up: %w", err)
	}
	m.Files = zw.sums
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	for name, content := range map[string][]byte{manifestName: raw, manifestMACName: []byte(s.manifestMAC(raw))} {
		f, err := zw.Create(name)
		if err != nil {
			return m, err
		}
		if _, err := f.Write(content); err != nil {
			return m, err
		}
	}
	return m, zw.Close()
}

// manifestMAC authenticates a manifest, and through its file hashes the whole archive, with the backup subkey.
func (s *Service) manifestMAC(raw []byte) string {
	mac := hmac.New(sha256.New, s.cfg.Key.Backup())
	mac.Write(raw)
	return hex.EncodeToString(mac.Sum(nil))
}

// hashingZip writes archive entries and notes each one's SHA-256 for the manifest.
type hashingZip struct {
	*zip.Writer
	sums map[string]string
}

// hashedEntry is one entry being written; done records its hash.
type hashedEntry struct {
	io.Writer
	name string
	h    hash.Hash
	sums map[string]string
}

func (z *hashingZip) create(name string) (*hashedEntry, error) {
	w, err := z.Create(name)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	return &hashedEntry{Writer: io.MultiWriter(w, h), name: name, h: h, sums: z.sums}, nil
}

func (e *hashedEntry) done() { e.sums[e.name] = hex.EncodeToString(e.h.Sum(nil)) }

// addBlobs writes the stored file of each hash into the archive as blobs/ab/cdef..., each checked against its
// hash as it is read: a file altered or missing in the store fails the backup rather than carry wrong bytes.
func (s *Service) addBlobs(ctx context.Context, zw *hashingZip, shas []string) (int, error) {
	store := s.blobs()
	for _, sha := range shas {
		rc, _, err := store.Open(ctx, sha)
		if err != nil {
			return 0, fmt.Errorf("the file %s that evidence names: %w", sha, err)
		}
		zf, err := zw.create(blobEntry(sha))
		if err == nil {
			_, err = io.Copy(zf, rc)
		}
		rc.Close()
		if err != nil {
			return 0, fmt.Errorf("the file %s that evidence names: %w", sha, err)
		}
		zf.done()
	}
	return len(shas), nil
}

// blobEntry is the archive name of the file of hash sha.
func blobEntry(sha string) string { return "blobs/" + path.Join(sha[:2], sha[2:]) }

// restoreBatch is how many rows go into one INSERT statement.
const restoreBatch = 200

// RestoreOptions change how Restore treats an archive it cannot authenticate.
type RestoreOptions struct {
	// Untrusted restores an archive whose manifest MAC or file hashes do not verify, or that another installation
	// made; each restored organisation's trail records it.
	Untrusted bool
}

// RestoreReport says what a restore loaded and what about the archive could not be vouched for.
type RestoreReport struct {
	Manifest BackupManifest
	Problems []string // why the archive is not authentic; empty for a trusted restore
}

// Restore loads a backup archive into this database, which must be empty (freshly migrated). The archive must be
// authentic: its manifest's MAC verifies with this installation's key and every file matches its hash, unless
// opts.Untrusted. Everything is loaded in one transaction, and every audit chain is verified before it commits:
// a bad archive leaves the database as it was.
func (s *Service) Restore(ctx context.Context, r io.ReaderAt, size int64, opts RestoreOptions) (RestoreReport, error) {
	var rep RestoreReport
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return rep, fmt.Errorf("not a praxis backup (zip): %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	raw, err := readZipFile(files[manifestName])
	if err != nil {
		return rep, fmt.Errorf("read manifest: %w", err)
	}
	m := &rep.Manifest
	if err := json.Unmarshal(raw, m); err != nil {
		return rep, fmt.Errorf("read manifest: %w", err)
	}
	if m.Format != backupFormat || m.FormatVersion < 1 || m.FormatVersion > backupFormatVersion {
		return rep, fmt.Errorf("not a praxis backup (format %q version %d)", m.Format, m.FormatVersion)
	}
	current, err := s.store.DB.SchemaVersion(ctx)
	if err != nil {
		return rep, err
	}
	if m.SchemaVersion > current {
		return rep, fmt.Errorf("the backup has schema version %d, newer than this praxis (%d): upgrade praxis first", m.SchemaVersion, current)
	}
	foreignKey := m.KeyID != s.cfg.Key.ID()
	if rep.Problems, err = s.authenticateBackup(zr, files, raw, *m, foreignKey); err != nil {
		return rep, err
	}
	if len(rep.Problems) > 0 && !opts.Untrusted {
		msg := "refusing to restore an archive that cannot be authenticated: " + strings.Join(rep.Problems, "; ")
		if foreignKey {
			msg += fmt.Sprintf("; restore it with the installation key of the praxis that made it (%s, or the key file %s in the data folder)", keys.EnvVar, keys.FileName)
		}
		return rep, errors.New(msg + "; --untrusted restores it anyway and records that in every organisation's audit trail")
	}
	// Check the stored files before loading anything, so that a bad one leaves the database as it was.
	blobs, err := checkArchiveBlobs(zr)
	if err != nil {
		return rep, err
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
		if err := s.checkRestoredChains(ctx, tx, foreignKey); err != nil {
			return err
		}
		named, err := tx.EvidenceBlobs(ctx)
		if err != nil {
			return err
		}
		for _, sha := range named {
			if blobs[sha] == nil {
				return fmt.Errorf("evidence names the file %s, which the archive lacks: refusing to restore", sha)
			}
		}
		if len(rep.Problems) > 0 {
			return s.recordUntrustedRestore(ctx, tx, *m, rep.Problems, foreignKey)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	return rep, s.restoreBlobs(ctx, blobs)
}

// authenticateBackup lists what keeps an archive from being authentic: a manifest MAC that does not verify with
// this installation's key (or another installation's key), and files that are unlisted, missing or altered.
func (s *Service) authenticateBackup(zr *zip.Reader, files map[string]*zip.File, raw []byte, m BackupManifest, foreignKey bool) ([]string, error) {
	var problems []string
	switch {
	case m.FormatVersion < 2:
		return []string{"the archive was made by an older praxis and carries no MAC or file hashes"}, nil
	case foreignKey:
		problems = append(problems, fmt.Sprintf("the archive was made by an installation with key %s, not this one's (%s), so its MAC cannot be checked", m.KeyID, s.cfg.Key.ID()))
	default:
		mac, err := readZipFile(files[manifestMACName])
		if err != nil || !hmac.Equal(mac, []byte(s.manifestMAC(raw))) {
			problems = append(problems, "the manifest's MAC does not verify (the archive was altered)")
		}
	}
	for _, f := range zr.File {
		if f.Name == manifestName || f.Name == manifestMACName || strings.HasSuffix(f.Name, "/") {
			continue
		}
		want, listed := m.Files[f.Name]
		if !listed {
			problems = append(problems, f.Name+" is not listed in the manifest")
			continue
		}
		got, err := zipFileSHA256(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name, err)
		}
		if got != want {
			problems = append(problems, f.Name+" does not match its hash in the manifest (altered)")
		}
	}
	for name := range m.Files {
		if files[name] == nil {
			problems = append(problems, name+" is listed in the manifest but missing")
		}
	}
	return problems, nil
}

// checkRestoredChains verifies every restored audit chain before the restore commits. A trail keyed with this
// installation's key must verify. One keyed with another installation's key cannot be verified here: its order
// and links are checked, and it is re-hashed with this key so that it stays verifiable from now on (the restore
// is untrusted then, and recordUntrustedRestore says so in the trail).
func (s *Service) checkRestoredChains(ctx context.Context, tx *store.Tx, foreignKey bool) error {
	if foreignKey {
		orgs, err := tx.AllOrgs(ctx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if _, err := rehashTrail(ctx, tx, o, isms.NewLinkVerifier()); err != nil {
				return fmt.Errorf("the audit trail of %s in the backup is broken (%w): refusing to restore", o.Slug, err)
			}
		}
		return nil
	}
	// A broken chain would make the organisation unwritable (its head no longer matches its events) and the
	// trail untrustworthy: refuse the archive rather than load it.
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
}

// recordUntrustedRestore appends a "restore untrusted" event to every restored organisation's trail.
func (s *Service) recordUntrustedRestore(ctx context.Context, tx *store.Tx, m BackupManifest, problems []string, foreignKey bool) error {
	orgs, err := tx.AllOrgs(ctx)
	if err != nil {
		return err
	}
	chain := "verified with this installation's key"
	if foreignKey {
		chain = "keyed with another installation's key: only its order and links were checked, then it was re-hashed with this key"
	}
	after, err := json.Marshal(map[string]any{"problems": problems, "audit_trail": chain, "backup_created_at": m.CreatedAt,
		"backup_key_id": m.KeyID, "key_id": s.cfg.Key.ID()})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		e := &isms.AuditEvent{OrgID: o.ID, At: s.now(), Actor: "system", Via: "cli", Action: "restore untrusted",
			Entity: "organisation", EntityID: o.ID, After: after}
		if err := tx.AppendAudit(ctx, e); err != nil {
			return err
		}
	}
	return nil
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

// checkArchiveBlobs finds the stored files of an archive, keyed by SHA-256, and checks each against its name
// (whatever the manifest says, even for an untrusted restore): a file that does not hash to its name, or a name
// that is no SHA-256, refuses the archive.
func checkArchiveBlobs(zr *zip.Reader) (map[string]*zip.File, error) {
	out := map[string]*zip.File{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "blobs/") || strings.HasSuffix(f.Name, "/") {
			continue
		}
		dir, name, _ := strings.Cut(strings.TrimPrefix(f.Name, "blobs/"), "/")
		sha := dir + name
		if len(dir) != 2 || !blob.ValidSHA256(sha) {
			return nil, fmt.Errorf("refusing file %q from the archive: stored files are named blobs/ab/cdef... by their SHA-256", f.Name)
		}
		got, err := zipFileSHA256(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name, err)
		}
		if got != sha {
			return nil, fmt.Errorf("%s does not match its SHA-256 (the file was altered): refusing to restore", f.Name)
		}
		out[sha] = f
	}
	return out, nil
}

// restoreBlobs puts the archive's files into the blob store, checking each again as it is stored.
func (s *Service) restoreBlobs(ctx context.Context, files map[string]*zip.File) error {
	store := s.blobs()
	for sha, f := range files {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		info, err := store.Put(ctx, rc, int64(f.UncompressedSize64))
		rc.Close()
		if err != nil {
			return fmt.Errorf("restore %s: %w", f.Name, err)
		}
		if info.SHA256 != sha {
			return fmt.Errorf("%s changed while it was restored", f.Name)
		}
	}
	return nil
}

// readZipFile reads one (small) archive entry whole.
func readZipFile(f *zip.File) ([]byte, error) {
	if f == nil {
		return nil, fmt.Errorf("missing")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 64<<20))
}

func zipFileSHA256(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
