package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/keys"
)

func TestLogCheckpointAndKey(t *testing.T) {
	t.Setenv(keys.EnvVar, "")
	data := t.TempDir()
	d := "--data=" + data
	mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	mustRun(t, d, "person", "add", "--name", "Carol")
	keyFile := filepath.Join(data, keys.FileName)
	key, err := keys.LoadFile(keyFile)
	if err != nil {
		t.Fatalf("the first command did not leave a private key file: %v", err)
	}

	cp := filepath.Join(t.TempDir(), "checkpoint.json")
	mustRun(t, d, "log", "checkpoint", "-o", cp)
	out := mustRun(t, d, "log", "verify", "--checkpoint", cp)
	if !strings.Contains(out, "installation key "+key.ID()) || !strings.Contains(out, "acme-ltd: intact") {
		t.Fatalf("verify --checkpoint: %s", out)
	}

	// Someone with the database deletes the whole trail and resets the head: the chain alone looks intact,
	// the checkpoint shows what is gone.
	db, err := sql.Open("sqlite", filepath.Join(data, "praxis.db"))
	if err != nil {
		t.Fatal(err)
	}
	var seq int64
	if err := db.QueryRow("SELECT audit_seq FROM organisations").Scan(&seq); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DELETE FROM audit_events", "UPDATE organisations SET audit_seq = 0, audit_head = ''"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	mustRun(t, d, "log", "verify")
	out, _, code := run(t, d, "log", "verify", "--checkpoint", cp)
	if code != 1 || !strings.Contains(out, "BROKEN at sequence "+strconv.FormatInt(seq, 10)) {
		t.Fatalf("verify --checkpoint after deleting the trail: exit %d, %s", code, out)
	}

	// Another key is refused, naming where the key comes from; so is a key file others may read.
	t.Setenv(keys.EnvVar, keys.Generate().String())
	if _, errOut, code := run(t, d, "log", "verify"); code == 0 || !strings.Contains(errOut, keys.EnvVar) || !strings.Contains(errOut, keys.FileName) {
		t.Fatalf("another key: exit %d, %s", code, errOut)
	}
	t.Setenv(keys.EnvVar, key.String())
	mustRun(t, d, "log", "checkpoint")
	t.Setenv(keys.EnvVar, "")
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, d, "log", "verify"); code == 0 || !strings.Contains(errOut, "chmod 600") {
		t.Fatalf("key file readable by others: exit %d, %s", code, errOut)
	}
}

// A database whose record of the installation key was removed is not keyed silently at the next start: the
// operator must ask for it with migrate --key-audit-trail, which verifies each trail first.
func TestMissingKeyRecordNeedsTheOperator(t *testing.T) {
	t.Setenv(keys.EnvVar, keys.Generate().String())
	data := t.TempDir()
	d := "--data=" + data
	mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	// Under load the in-process command's connections can still hold the lock for a moment after it returns (seen
	// once in CI as SQLITE_BUSY): wait for it, as the product's own connections do.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "praxis.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM settings WHERE key = 'audit_key_id'"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, errOut, code := run(t, d, "log", "verify"); code == 0 || !strings.Contains(errOut, "praxis migrate --key-audit-trail") {
		t.Fatalf("open without the key record: exit %d, %s", code, errOut)
	}
	// The trail is already keyed, so it does not verify as an old unkeyed one: keying it is refused, naming where.
	if _, errOut, code := run(t, d, "migrate", "--key-audit-trail"); code == 0 || !strings.Contains(errOut, "cannot key the audit trail of acme-ltd") {
		t.Fatalf("migrate --key-audit-trail over a trail that is not an old one: exit %d, %s", code, errOut)
	}
}
