package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// stealOwnerPassword copies the editor's password hash over the owner's in users.jsonl: whoever knows the
// editor's password could then log in as the owner.
func stealOwnerPassword(t *testing.T, content []byte, owner, editor string) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(content), "\n"), "\n")
	var cols []string
	ok(t, json.Unmarshal([]byte(lines[0]), &cols))
	emailCol, hashCol := -1, -1
	for i, c := range cols {
		switch c {
		case "email":
			emailCol = i
		case "password_hash":
			hashCol = i
		}
	}
	if emailCol < 0 || hashCol < 0 {
		t.Fatalf("users columns %v", cols)
	}
	rows := make([][]any, len(lines)-1)
	var ownerRow, editorRow int
	for i := range rows {
		ok(t, json.Unmarshal([]byte(lines[i+1]), &rows[i]))
		switch rows[i][emailCol] {
		case owner:
			ownerRow = i
		case editor:
			editorRow = i
		}
	}
	rows[ownerRow][hashCol] = rows[editorRow][hashCol]
	out := lines[:1]
	for _, r := range rows {
		b, err := json.Marshal(r)
		ok(t, err)
		out = append(out, string(b))
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

// TestRestoreRefusesATamperedArchive: the users.jsonl tamper is refused, whether or not the forger also puts the
// new file's hash into the manifest; nothing is restored. --untrusted restores it and every trail records that.
func TestRestoreRefusesATamperedArchive(t *testing.T) {
	t.Parallel()
	src := newEnv(t, sqldb.SQLite)
	o := testutil.NewOrg(t, src.svc, "Tamper Ltd")
	owner, editor := o.Actors["owner"].Email, o.Actors["editor"].Email
	data, _ := backup(t, src)
	tamper := func(name string, b []byte) []byte {
		if name == "tables/users.jsonl" {
			return stealOwnerPassword(t, b, owner, editor)
		}
		return b
	}
	tampered := rewriteZip(t, data, tamper)
	var newHash string
	rewriteZip(t, tampered, func(name string, b []byte) []byte {
		if name == "tables/users.jsonl" {
			sum := sha256.Sum256(b)
			newHash = hex.EncodeToString(sum[:])
		}
		return b
	})
	withHash := rewriteZip(t, tampered, editManifest(t, func(m map[string]any) {
		m["files"].(map[string]any)["tables/users.jsonl"] = newHash
	}))
	eachEngineParallel(t, func(t *testing.T, dst *env) {
		for name, archive := range map[string][]byte{"file altered": tampered, "file and its hash altered": withHash} {
			_, err := restore(dst, archive)
			if err == nil || !strings.Contains(err.Error(), "--untrusted") {
				t.Fatalf("%s: restore = %v, want a refusal", name, err)
			}
			if name == "file altered" && !strings.Contains(err.Error(), "tables/users.jsonl") {
				t.Fatalf("the refusal does not name the altered file: %v", err)
			}
			if n := countRows(dump(t, dst.db)); n != 0 {
				t.Fatalf("%s: a refused restore left %d rows", name, n)
			}
		}

		rep, err := restoreWith(dst, tampered, service.RestoreOptions{Untrusted: true})
		ok(t, err)
		if len(rep.Problems) == 0 || !strings.Contains(strings.Join(rep.Problems, " "), "users.jsonl") {
			t.Fatalf("problems = %v", rep.Problems)
		}
		r := verifyOrg(t, dst, o.Slug)
		events := trail(t, dst, orgID(o))
		last := events[len(events)-1]
		if !r.Intact || last.Action != "restore untrusted" || !strings.Contains(string(last.After), "users.jsonl") {
			t.Fatalf("after an untrusted restore: %+v, last event %+v", r, last)
		}
	})
}

// TestRestoreFromAnotherInstallation: an archive made with another key is refused, naming where the key comes
// from. --untrusted restores it: the trail's links are checked, it is re-hashed with this key, and it says so.
func TestRestoreFromAnotherInstallation(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, dst *env) {
		other := testutil.NewServiceWith(t, testutil.NewDB(t, sqldb.SQLite), service.Config{Now: dst.clock.Now, BlobDir: t.TempDir(), Key: keys.Generate()})
		o := testutil.NewOrg(t, other, "Elsewhere")
		var buf bytes.Buffer
		_, err := other.Backup(context.Background(), &buf, "test")
		ok(t, err)
		data := buf.Bytes()

		_, err = restore(dst, data)
		if err == nil || !strings.Contains(err.Error(), keys.EnvVar) || !strings.Contains(err.Error(), keys.FileName) {
			t.Fatalf("restore with another key: %v", err)
		}
		if n := countRows(dump(t, dst.db)); n != 0 {
			t.Fatalf("a refused restore left %d rows", n)
		}

		// A trail cut short in the archive is still refused: its links and head are checked.
		cut := rewriteZip(t, data, editTable("audit_events", func(b []byte) []byte {
			lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
			return []byte(strings.Join(lines[:len(lines)-1], ""))
		}))
		cut = rewriteZip(t, cut, editManifest(t, func(m map[string]any) {
			rows := m["rows"].(map[string]any)
			rows["audit_events"] = rows["audit_events"].(float64) - 1
		}))
		if _, err := restoreWith(dst, cut, service.RestoreOptions{Untrusted: true}); err == nil || !strings.Contains(err.Error(), "broken") {
			t.Fatalf("a cut trail from another installation: %v", err)
		}

		_, err = restoreWith(dst, data, service.RestoreOptions{Untrusted: true})
		ok(t, err)
		r := verifyOrg(t, dst, o.Slug)
		events := trail(t, dst, orgID(o))
		last := events[len(events)-1]
		if !r.Intact || last.Action != "restore untrusted" || !strings.Contains(string(last.After), "re-hashed") {
			t.Fatalf("after restoring another installation's archive: %+v, last event %s %s", r, last.Action, last.After)
		}
		cp, err := dst.svc.Checkpoint(o.Ctx("owner"))
		ok(t, err)
		if cp.KeyID != testutil.TestKey.ID() {
			t.Fatalf("checkpoint key %s", cp.KeyID)
		}
	})
}
