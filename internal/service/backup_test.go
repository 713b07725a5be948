package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// dump reads every backup table row by row, in the store's order, with the Go type of each value kept.
func dump(t *testing.T, db *sqldb.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	err := store.New(db).Read(ctx, func(tx *store.Tx) error {
		for _, table := range store.BackupTables {
			out[table] = []string{}
			if err := tx.EachRow(ctx, table, func(cols []string, vals []any) error {
				var b strings.Builder
				for i, c := range cols {
					fmt.Fprintf(&b, "%s=%#v ", c, vals[i])
				}
				out[table] = append(out[table], b.String())
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func compareDumps(t *testing.T, want, got map[string][]string) {
	t.Helper()
	for _, table := range store.BackupTables {
		w, g := want[table], got[table]
		if len(w) != len(g) {
			t.Errorf("%s: %d rows, want %d", table, len(g), len(w))
			continue
		}
		for i := range w {
			if w[i] != g[i] {
				t.Errorf("%s row %d:\n got  %s\n want %s", table, i+1, g[i], w[i])
			}
		}
	}
}

func countRows(d map[string][]string) (n int) {
	for _, rows := range d {
		n += len(rows)
	}
	return n
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	})
	ok(t, err)
	return out
}

// sourceData is what a backup test builds and later expects to find on the target.
type sourceData struct {
	ownerEmail, ownerPW   string
	memberEmail, memberPW string // a member who joined by invitation with their own password
	invitation            string // the secret of an open invitation
	session               string // a session on the source, which must not survive the move
	secret, revoked       string // API tokens: one live, one revoked
	blob                  string // relative path of a stored file
	blobContent           []byte
	org                   testutil.Org
}

// fill gives the source a realistic mix of rows in every backup table and a stored file.
func fill(t *testing.T, e *env) sourceData {
	t.Helper()
	ctx := context.Background()
	d := sourceData{ownerEmail: "olivia@backup.example", ownerPW: "olivia's long password"}
	d.session, _ = setupOwner(t, e, "Backup Ltd", d.ownerEmail, d.ownerPW)
	d.org = testutil.NewOrg(t, e.svc, "Second Org")
	for _, o := range []string{"backup-ltd", d.org.Slug} {
		a, err := e.svc.OperatorActor(ctx, o, "")
		ok(t, err)
		actx := service.WithActor(ctx, a)
		for i := range 3 {
			p, err := e.svc.AddPerson(actx, service.PersonInput{Name: fmt.Sprintf("Staff %d «ü» ✓", i), Email: fmt.Sprintf("staff%d@%s.example", i, o),
				JobTitle: "Engineer", Department: "R&D", StartDate: "2024-02-29"})
			ok(t, err)
			if i == 0 {
				_, err = e.svc.UpdatePerson(actx, p.Ref, service.PersonInput{Name: "Renamed 'quoted' \"name\"", Version: p.Version})
				ok(t, err)
			}
		}
	}
	var err error
	d.memberEmail = "newbie@backup.example"
	owner, err := e.svc.OperatorActor(ctx, "backup-ltd", d.ownerEmail)
	ok(t, err)
	d.memberPW = testutil.Password
	testutil.Join(t, e.svc, service.WithActor(ctx, owner), d.memberEmail, "Newbie", isms.RoleEditor, true)
	// An invitation still open moves too (its link works on the target).
	d.invitation, _, err = e.svc.CreateInvitation(service.WithActor(ctx, owner), service.InviteInput{Email: "later@backup.example", Role: isms.RoleViewer})
	ok(t, err)
	d.secret, _, err = e.svc.CreateToken(d.org.Ctx("viewer"), "live token")
	ok(t, err)
	_, err = e.svc.TokenActor(ctx, d.secret) // sets last_used_at
	ok(t, err)
	var tok isms.APIToken
	d.revoked, tok, err = e.svc.CreateToken(d.org.Ctx("editor"), "revoked token")
	ok(t, err)
	ok(t, e.svc.RevokeToken(d.org.Ctx("admin"), tok.ID))
	// A stored file, named by evidence, moves with the rows.
	d.blobContent = []byte("signed access review, Q1\n\x00\x01binary tail")
	ev, err := e.svc.AddEvidenceFile(service.WithActor(ctx, owner), service.EvidenceInput{Controls: []string{"5.18"}},
		service.EvidenceFile{Name: "access-review.bin", Body: bytes.NewReader(d.blobContent)})
	ok(t, err)
	d.blob = blob.Path(ev.SHA256)
	return d
}

// filledTables are the tables fill puts rows in.
var filledTables = []string{"organisations", "users", "memberships", "api_tokens", "audit_events", "people", "counters", "invitations",
	"evidence", "evidence_controls"}

func backup(t *testing.T, e *env) ([]byte, service.BackupManifest) {
	t.Helper()
	var buf bytes.Buffer
	m, err := e.svc.Backup(context.Background(), &buf, "test-version")
	ok(t, err)
	return buf.Bytes(), m
}

func restore(e *env, data []byte) (service.BackupManifest, error) {
	rep, err := restoreWith(e, data, service.RestoreOptions{})
	return rep.Manifest, err
}

func restoreWith(e *env, data []byte, opts service.RestoreOptions) (service.RestoreReport, error) {
	return e.svc.Restore(context.Background(), bytes.NewReader(data), int64(len(data)), opts)
}

// TestBackupRestoreAcrossEngines backs up a database of one engine and restores it into the other: every row,
// every stored file and the audit trail arrive unchanged, and people log in as before.
func TestBackupRestoreAcrossEngines(t *testing.T) {
	t.Parallel()
	for _, dir := range []struct{ from, to sqldb.Engine }{{sqldb.SQLite, sqldb.Postgres}, {sqldb.Postgres, sqldb.SQLite}} {
		t.Run(string(dir.from)+"_to_"+string(dir.to), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			src := newEnv(t, dir.from)
			d := fill(t, src)
			want := dump(t, src.db)
			data, m := backup(t, src)
			if m.Format != "praxis-backup" || m.Engine != string(dir.from) || m.AppVersion != "test-version" || m.Blobs != 1 || m.SchemaVersion < 1 {
				t.Fatalf("manifest = %+v", m)
			}
			for _, table := range store.BackupTables {
				if m.Rows[table] != int64(len(want[table])) {
					t.Errorf("manifest promises %d rows of %s, the database has %d", m.Rows[table], table, len(want[table]))
				}
				if len(want[table]) == 0 && slices.Contains(filledTables, table) {
					t.Errorf("test data has no row in %s", table)
				}
			}
			checkArchive(t, d, data, m)
			// The source keeps working after a backup and is not changed by it.
			compareDumps(t, want, dump(t, src.db))

			dst := newEnv(t, dir.to)
			got, err := restore(dst, data)
			ok(t, err)
			if got.Rows["audit_events"] != m.Rows["audit_events"] {
				t.Errorf("restore reports %+v", got)
			}
			compareDumps(t, want, dump(t, dst.db))
			owner, err := dst.svc.OperatorActor(ctx, "backup-ltd", d.ownerEmail)
			ok(t, err)
			content, err := readEvidenceFile(t, dst.svc, service.WithActor(ctx, owner), "E-001")
			ok(t, err)
			if content != string(d.blobContent) {
				t.Fatalf("restored file differs: %q", content)
			}
			if n := blobCount(t, dst); n != 1 {
				t.Fatalf("%d files restored, want 1", n)
			}

			res, err := dst.svc.VerifyAuditTrail(ctx, "")
			ok(t, err)
			if len(res) != 2 {
				t.Fatalf("restored organisations = %+v", res)
			}
			for _, r := range res {
				if !r.Intact || r.Events < 5 {
					t.Errorf("restored trail of %s: %+v", r.Org, r)
				}
			}

			// People log in with the passwords they had; an open invitation still works.
			_, a := login(t, dst, d.ownerEmail, d.ownerPW)
			if a.OrgSlug != "backup-ltd" || a.Role != isms.RoleOwner {
				t.Fatalf("owner on the target = %+v", a)
			}
			_, a = login(t, dst, d.memberEmail, d.memberPW)
			if a.MustChangePassword || a.Role != isms.RoleEditor || !a.Approver {
				t.Fatalf("member on the target = %+v", a)
			}
			if info, err := dst.svc.InvitationByToken(ctx, d.invitation); err != nil || info.OrgName != "Backup Ltd" {
				t.Fatalf("open invitation on the target: %+v, %v", info, err)
			}
			login(t, dst, d.org.Actors["auditor"].Email, testutil.Password)
			// API tokens move; revoked ones stay revoked; sessions do not move.
			ta, err := dst.svc.TokenActor(ctx, d.secret)
			ok(t, err)
			if ta.Role != isms.RoleViewer || ta.OrgSlug != d.org.Slug {
				t.Fatalf("token on the target acts as %+v", ta)
			}
			_, err = dst.svc.TokenActor(ctx, d.revoked)
			wantKind(t, err, isms.KindUnauthenticated, "revoked token on the target")
			_, err = dst.svc.SessionActor(ctx, d.session)
			wantKind(t, err, isms.KindUnauthenticated, "source session on the target")

			// The target goes on where the source stopped: references and the chain continue.
			p, err := dst.svc.AddPerson(d.org.Ctx("editor"), service.PersonInput{Name: "After restore"})
			ok(t, err)
			if p.Ref != "P-004" {
				t.Errorf("first person after restore is %s, want P-004", p.Ref)
			}
			if r := verifyOrg(t, dst, d.org.Slug); !r.Intact {
				t.Errorf("chain after a write on the target: %+v", r)
			}
		})
	}
}

// TestBackupWhileWriting: backups taken while people keep writing are each one consistent snapshot, so every one
// restores with intact audit trails into a database that goes on working; the audit-trail check run meanwhile
// never reports a break that is not there.
func TestBackupWhileWriting(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, src *env) {
		o := testutil.NewOrg(t, src.svc, "Busy Org")
		stop := make(chan struct{})
		errs := make(chan error, 2)
		for w := range 2 {
			go func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						errs <- nil
						return
					default:
					}
					if _, err := src.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: fmt.Sprintf("Writer %d person %d", w, i)}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		var archives [][]byte
		for range 4 {
			if r := verifyOrg(t, src, o.Slug); !r.Intact {
				t.Errorf("verify during writes reports a break: %+v", r.Break)
			}
			data, _ := backup(t, src)
			archives = append(archives, data)
		}
		close(stop)
		for range 2 {
			ok(t, <-errs)
		}
		for i, data := range archives {
			dst := newEnv(t, src.db.Engine)
			if _, err := restore(dst, data); err != nil {
				t.Fatalf("backup %d taken during writes does not restore: %v", i+1, err)
			}
			if _, err := dst.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: "After restore"}); err != nil {
				t.Fatalf("backup %d: the restored organisation cannot be written to: %v", i+1, err)
			}
			if r := verifyOrg(t, dst, o.Slug); !r.Intact || r.Events < 2 {
				t.Fatalf("backup %d restored with trail %+v", i+1, r)
			}
		}
	})
}

// rewriteZip copies a ZIP archive, letting edit change or drop (nil) each entry's content.
func rewriteZip(t *testing.T, data []byte, edit func(name string, content []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	ok(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		ok(t, err)
		content, err := io.ReadAll(rc)
		ok(t, err)
		rc.Close()
		content = edit(f.Name, content)
		if content == nil {
			continue
		}
		w, err := zw.Create(f.Name)
		ok(t, err)
		_, err = w.Write(content)
		ok(t, err)
	}
	ok(t, zw.Close())
	return buf.Bytes()
}

func editManifest(t *testing.T, fn func(m map[string]any)) func(string, []byte) []byte {
	return func(name string, content []byte) []byte {
		if name != "manifest.json" {
			return content
		}
		var m map[string]any
		ok(t, json.Unmarshal(content, &m))
		fn(m)
		out, err := json.Marshal(m)
		ok(t, err)
		return out
	}
}

func editTable(table string, fn func([]byte) []byte) func(string, []byte) []byte {
	return func(name string, content []byte) []byte {
		if name == "tables/"+table+".jsonl" {
			return fn(content)
		}
		return content
	}
}

// TestRestoreRefusesBadArchives: a damaged archive is refused with an error and the target stays empty; no table is
// half loaded and no file is written. A database that holds data refuses any restore and stays as it was.
func TestRestoreRefusesBadArchives(t *testing.T) {
	t.Parallel()
	src := newEnv(t, sqldb.SQLite)
	fill(t, src)
	data, _ := backup(t, src)
	cases := []struct {
		name string
		edit func(t *testing.T) []byte
	}{
		{"table cut mid-row", func(t *testing.T) []byte {
			return rewriteZip(t, data, editTable("people", func(b []byte) []byte { return b[:len(b)*2/3] }))
		}},
		{"last row of a table missing", func(t *testing.T) []byte {
			return rewriteZip(t, data, editTable("people", func(b []byte) []byte {
				lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
				return []byte(strings.Join(lines[:len(lines)-1], ""))
			}))
		}},
		{"table file emptied", func(t *testing.T) []byte {
			return rewriteZip(t, data, editTable("audit_events", func([]byte) []byte { return []byte{} }))
		}},
		{"table file missing", func(t *testing.T) []byte {
			return rewriteZip(t, data, editTable("people", func([]byte) []byte { return nil }))
		}},
		{"manifest promises more rows", func(t *testing.T) []byte {
			return rewriteZip(t, data, editManifest(t, func(m map[string]any) {
				rows := m["rows"].(map[string]any)
				rows["counters"] = rows["counters"].(float64) + 1
			}))
		}},
		{"manifest promises fewer rows", func(t *testing.T) []byte {
			return rewriteZip(t, data, editManifest(t, func(m map[string]any) {
				rows := m["rows"].(map[string]any)
				rows["audit_events"] = rows["audit_events"].(float64) - 1
			}))
		}},
		{"row with a column too few", func(t *testing.T) []byte {
			return rewriteZip(t, data, editTable("people", func(b []byte) []byte {
				lines := strings.Split(string(b), "\n")
				var row []any
				ok(t, json.Unmarshal([]byte(lines[1]), &row))
				short, _ := json.Marshal(row[:len(row)-1])
				lines[1] = string(short)
				return []byte(strings.Join(lines, "\n"))
			}))
		}},
		{"an audit event altered", func(t *testing.T) []byte {
			return rewriteZip(t, data, editTable("audit_events", func(b []byte) []byte {
				if !bytes.Contains(b, []byte("Engineer")) {
					t.Fatal("no audit event mentions the job title")
				}
				return bytes.Replace(b, []byte("Engineer"), []byte("Engineeer"), 1)
			}))
		}},
		{"the last audit events dropped, manifest in step", func(t *testing.T) []byte {
			return rewriteZip(t, data, func(name string, b []byte) []byte {
				switch name {
				case "tables/audit_events.jsonl":
					lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
					return []byte(strings.Join(lines[:len(lines)-1], ""))
				case "manifest.json":
					return editManifest(t, func(m map[string]any) {
						rows := m["rows"].(map[string]any)
						rows["audit_events"] = rows["audit_events"].(float64) - 1
					})(name, b)
				}
				return b
			})
		}},
		{"newer schema", func(t *testing.T) []byte {
			return rewriteZip(t, data, editManifest(t, func(m map[string]any) { m["schema_version"] = 99999 }))
		}},
		{"other format", func(t *testing.T) []byte {
			return rewriteZip(t, data, editManifest(t, func(m map[string]any) { m["format"] = "something-else" }))
		}},
		{"no manifest", func(t *testing.T) []byte {
			return rewriteZip(t, data, func(name string, b []byte) []byte {
				if name == "manifest.json" {
					return nil
				}
				return b
			})
		}},
		{"file escaping the blob folder", func(t *testing.T) []byte {
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			ok(t, err)
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for _, f := range zr.File {
				ok(t, zw.Copy(f))
			}
			w, err := zw.Create("blobs/../../escaped.txt")
			ok(t, err)
			_, _ = w.Write([]byte("x"))
			ok(t, zw.Close())
			return buf.Bytes()
		}},
		{"stored file altered", func(t *testing.T) []byte {
			return rewriteZip(t, data, func(name string, b []byte) []byte {
				if strings.HasPrefix(name, "blobs/") {
					return []byte("a different access review")
				}
				return b
			})
		}},
		{"stored file missing", func(t *testing.T) []byte {
			return rewriteZip(t, data, func(name string, b []byte) []byte {
				if strings.HasPrefix(name, "blobs/") {
					return nil
				}
				return b
			})
		}},
		{"archive cut short", func(t *testing.T) []byte { return data[:len(data)/2] }},
		{"not a zip", func(t *testing.T) []byte { return []byte("praxis backup?") }},
	}
	// One target per engine takes every bad archive in turn: each must leave it as empty as it was. Each is
	// refused even --untrusted: that skips the archive's authentication, not the checks of what it holds.
	eachEngineParallel(t, func(t *testing.T, dst *env) {
		for _, c := range cases {
			for _, untrusted := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s untrusted=%v", c.name, untrusted), func(t *testing.T) {
					_, err := restoreWith(dst, c.edit(t), service.RestoreOptions{Untrusted: untrusted})
					if err == nil {
						t.Error("a corrupt archive was restored without an error")
					}
					if n := countRows(dump(t, dst.db)); n != 0 {
						t.Fatalf("after a refused restore the database holds %d rows (%v)", n, err)
					}
					if needs, _ := dst.svc.NeedsSetup(context.Background()); !needs {
						t.Fatal("the target no longer needs setup")
					}
					if n := blobCount(t, dst); n != 0 {
						t.Fatalf("a refused restore stored %d files", n)
					}
					if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(dst.blobDir)), "escaped.txt")); err == nil {
						t.Fatal("a file escaped the blob folder")
					}
				})
			}
		}
		// The same target then accepts the intact archive.
		_, err := restore(dst, data)
		ok(t, err)
		if r := verifyOrg(t, dst, "backup-ltd"); !r.Intact {
			t.Fatalf("after the good restore: %+v", r)
		}

		// Now that it holds data, it refuses another restore, even of the same archive, and nothing changes.
		t.Run("into a database with data", func(t *testing.T) {
			before, files := dump(t, dst.db), listFiles(t, dst.blobDir)
			_, err := restore(dst, data)
			wantKind(t, err, isms.KindConflict, "restore into a database with data")
			compareDumps(t, before, dump(t, dst.db))
			if after := listFiles(t, dst.blobDir); !slices.Equal(files, after) {
				t.Fatalf("files %v -> %v", files, after)
			}
			login(t, dst, "olivia@backup.example", "olivia's long password")
		})
	})
}

// checkArchive: the archive holds one file per backup table, the stored files and a manifest; it holds no
// session table and no secret in clear, so restoring it cannot log anyone in.
func checkArchive(t *testing.T, d sourceData, data []byte, m service.BackupManifest) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	ok(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	for _, table := range store.BackupTables {
		if !slices.Contains(names, "tables/"+table+".jsonl") {
			t.Errorf("archive lacks %s", table)
		}
	}
	for _, skipped := range store.SkippedTables {
		if slices.Contains(names, "tables/"+skipped+".jsonl") {
			t.Errorf("archive holds skipped table %s", skipped)
		}
	}
	if !slices.Contains(names, "manifest.json") || !slices.Contains(names, "blobs/"+filepath.ToSlash(d.blob)) {
		t.Errorf("archive entries = %v", names)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		ok(t, err)
		content, err := io.ReadAll(rc)
		rc.Close()
		ok(t, err)
		for _, secret := range []string{d.secret, d.revoked, d.ownerPW, d.memberPW, d.session, d.invitation} {
			if strings.Contains(string(content), secret) {
				t.Errorf("%s holds a secret in clear", f.Name)
			}
		}
	}
	if m.Rows["organisations"] != 2 {
		t.Errorf("manifest rows = %v", m.Rows)
	}
}
