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
