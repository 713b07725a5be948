package keys_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/keys"
)

func TestLoadCreatesAPrivateKeyFileAndReadsItBack(t *testing.T) {
	t.Setenv(keys.EnvVar, "")
	dir := t.TempDir()
	k1, where, created, err := keys.Load(dir)
	if err != nil || !created {
		t.Fatalf("first load: %v, created %v", err, created)
	}
	if where != filepath.Join(dir, keys.FileName) || k1.IsZero() {
		t.Fatalf("key from %q, zero %v", where, k1.IsZero())
	}
	info, err := os.Stat(where)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %o, want 600", info.Mode().Perm())
	}
	k2, _, created, err := keys.Load(dir)
	if err != nil || k2 != k1 || created {
		t.Fatalf("second load: %v, same key %v, created again %v", err, k2 == k1, created)
	}
}

func TestLoadRefusesAKeyFileOthersMayRead(t *testing.T) {
	t.Setenv(keys.EnvVar, "")
	dir := t.TempDir()
	path := filepath.Join(dir, keys.FileName)
	if err := os.WriteFile(path, []byte(keys.Generate().String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, _, err := keys.Load(dir)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("want a refusal naming chmod 600, got %v", err)
	}
}

func TestLoadPrefersTheEnvironmentInHexOrBase64(t *testing.T) {
	k := keys.Generate()
	for _, v := range []string{k.String(), base64.StdEncoding.EncodeToString(k[:]), base64.RawURLEncoding.EncodeToString(k[:])} {
		t.Setenv(keys.EnvVar, v)
		dir := t.TempDir()
		got, where, created, err := keys.Load(dir)
		if err != nil || got != k || where != keys.EnvVar || created {
			t.Fatalf("%q: %v from %s, same %v", v, err, where, got == k)
		}
		if _, err := os.Stat(filepath.Join(dir, keys.FileName)); err == nil {
			t.Fatal("a key file was created although the environment gave the key")
		}
	}
	t.Setenv(keys.EnvVar, "too short")
	if _, _, _, err := keys.Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), keys.EnvVar) {
		t.Fatalf("bad env key: %v", err)
	}
}

func TestSubkeysDifferAndTheIDRevealsNone(t *testing.T) {
	k := keys.Generate()
	audit, backup, seed := k.Audit(), k.Backup(), k.Signer().Seed()
	if bytes.Equal(audit, backup) || bytes.Equal(audit, seed) || bytes.Equal(backup, seed) || bytes.Equal(audit, k[:]) {
		t.Fatal("subkeys must differ from each other and from the key")
	}
	if strings.Contains(k.String(), k.ID()) || len(k.ID()) != 16 {
		t.Fatalf("id %q", k.ID())
	}
	if keys.Generate().ID() == k.ID() {
		t.Fatal("two keys share an id")
	}
}
