package cli

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

// sourceWithBackup makes a data folder with an organisation and returns it with its backup archive.
func sourceWithBackup(t *testing.T, extra ...string) (data, archive string) {
	t.Helper()
	data = t.TempDir()
	mustRun(t, "--data="+data, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	mustRun(t, "--data="+data, "person", "add", "--name", "Carol")
	archive = filepath.Join(t.TempDir(), "backup.zip")
	mustRun(t, append([]string{"--data=" + data, "backup", archive}, extra...)...)
	return data, archive
}

// target is an empty data folder sharing the source's installation key.
func target(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	key, err := os.ReadFile(filepath.Join(src, "praxis.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "praxis.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestRestoreUntrustedFromTheCommandLine(t *testing.T) {
	t.Setenv("PRAXIS_AUDIT_KEY", "")
	src, archive := sourceWithBackup(t)
	// Alter a byte of users.jsonl, as a forger would.
	b, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		content, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "tables/users.jsonl" {
			content = bytes.Replace(content, []byte("alice@example.com"), []byte("alicf@example.com"), 1)
		}
		w, _ := zw.Create(f.Name)
		w.Write(content)
	}
	zw.Close()
	tampered := filepath.Join(t.TempDir(), "tampered.zip")
	os.WriteFile(tampered, out.Bytes(), 0o600)

	dst := "--data=" + target(t, src)
	if _, errOut, code := run(t, dst, "restore", tampered); code == 0 || !strings.Contains(errOut, "users.jsonl") {
		t.Fatalf("tampered archive: exit %d %s", code, errOut)
	}
	if out := mustRun(t, dst, "org", "list"); strings.Contains(out, "acme") {
		t.Fatalf("a refused restore loaded organisations: %s", out)
	}
	_, errOut, code := run(t, dst, "restore", "--untrusted", tampered)
	if code != 0 || !strings.Contains(errOut, "WARNING") {
		t.Fatalf("--untrusted: exit %d %s", code, errOut)
	}
	if out := mustRun(t, dst, "--as", "alicf@example.com", "log", "list", "--action", "restore untrusted"); !strings.Contains(out, "restore untrusted") {
		t.Fatalf("the trail does not record the untrusted restore: %s", out)
	}
	mustRun(t, dst, "log", "verify")
}

func TestEncryptedBackupRoundTrips(t *testing.T) {
	t.Setenv("PRAXIS_AUDIT_KEY", "")
	t.Setenv(passphraseEnv, "")
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	wrong := filepath.Join(dir, "wrong")
	os.WriteFile(pass, []byte("a long backup passphrase\n"), 0o600)
	os.WriteFile(wrong, []byte("not the passphrase\n"), 0o600)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	idFile := filepath.Join(dir, "identity")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)

	t.Run("passphrase", func(t *testing.T) {
		src, archive := sourceWithBackup(t, "--passphrase-file", pass)
		b, _ := os.ReadFile(archive)
		if !bytes.HasPrefix(b, ageMagic) || bytes.Contains(b, []byte("alice@example.com")) {
			t.Fatal("the archive is not age-encrypted")
		}
		dst := "--data=" + target(t, src)
		if _, errOut, code := run(t, dst, "restore", archive); code == 0 || !strings.Contains(errOut, "encrypted") {
			t.Fatalf("restore without a passphrase: exit %d %s", code, errOut)
		}
		if _, errOut, code := run(t, dst, "restore", "--passphrase-file", wrong, archive); code == 0 || !strings.Contains(errOut, "decrypt") {
			t.Fatalf("wrong passphrase: exit %d %s", code, errOut)
		}
		t.Setenv(passphraseEnv, "a long backup passphrase")
		if out := mustRun(t, dst, "restore", archive); !strings.Contains(out, "Restored") {
			t.Fatalf("restore with the passphrase from the environment: %s", out)
		}
		t.Setenv(passphraseEnv, "")
		if out := mustRun(t, dst, "person", "list"); !strings.Contains(out, "Carol") {
			t.Fatalf("after restore: %s", out)
		}
	})
	t.Run("recipient", func(t *testing.T) {
		src, archive := sourceWithBackup(t, "--recipient", id.Recipient().String())
		dst := "--data=" + target(t, src)
		if _, errOut, code := run(t, dst, "restore", "--passphrase-file", pass, archive); code == 0 || !strings.Contains(errOut, "decrypt") {
			t.Fatalf("a passphrase for a recipient's archive: exit %d %s", code, errOut)
		}
		if out := mustRun(t, dst, "restore", "--identity", idFile, archive); !strings.Contains(out, "Restored") {
			t.Fatalf("restore with the identity: %s", out)
		}
		mustRun(t, dst, "log", "verify")
	})
}
