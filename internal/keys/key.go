// Package keys holds the installation key: 32 secret bytes that key the audit trail's hash chain, authenticate
// backups and sign audit checkpoints. The key never enters the database; only its fingerprint (ID) does, so that
// someone who can write the database can neither recompute the chain nor forge a backup or a checkpoint.
package keys

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EnvVar names the environment variable that carries the key (hex or base64). Every server of one PostgreSQL
// database must be given the same key.
const EnvVar = "PRAXIS_AUDIT_KEY"

// FileName is the key file kept in the data folder when EnvVar is not set.
const FileName = "praxis.key"

// Key is an installation key. The zero Key means "none loaded".
type Key [32]byte

// IsZero reports whether no key was loaded.
func (k Key) IsZero() bool { return k == Key{} }

// Generate returns a new random key.
func Generate() Key {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return k
}

// Parse reads a key written as 64 hex digits or as base64 (standard or URL alphabet, padded or not).
func Parse(s string) (Key, error) {
	s = strings.TrimSpace(s)
	var k Key
	if b, err := hex.DecodeString(s); err == nil && len(b) == len(k) {
		copy(k[:], b)
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == len(k) {
			copy(k[:], b)
			return k, nil
		}
	}
	return k, errors.New("an installation key is 32 bytes written as 64 hex digits or as base64")
}

// String writes the key as hex, the form the key file holds.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// Load returns the installation key from EnvVar or, when that is unset, from FileName in dataDir, creating the
// file (mode 0600) on first use. where says which, for messages; created says the key is new in this run, so
// nothing can have been keyed with it yet.
func Load(dataDir string) (k Key, where string, created bool, err error) {
	if v := os.Getenv(EnvVar); v != "" {
		k, err := Parse(v)
		if err != nil {
			return k, EnvVar, false, fmt.Errorf("%s: %w", EnvVar, err)
		}
		return k, EnvVar, false, nil
	}
	path := filepath.Join(dataDir, FileName)
	k, created, err = loadFile(path)
	return k, path, created, err
}

// LoadFile reads the key file at path, creating it with a new key when it does not exist. A key file that
// group or others may read is refused: the key is what makes the audit trail and backups trustworthy.
func LoadFile(path string) (Key, error) {
	k, _, err := loadFile(path)
	return k, err
}

func loadFile(path string) (Key, bool, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return create(path)
	}
	if err != nil {
		return Key{}, false, err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return Key{}, false, fmt.Errorf("key file %s may be read by others (mode %04o): run chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Key{}, false, err
	}
	k, err := Parse(string(b))
	if err != nil {
		return k, false, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, false, nil
}

func create(path string) (Key, bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Key{}, false, err
	}
	k := Generate()
	// O_EXCL: when two processes start at once, one creates the file and the other reads it.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadFile(path)
	}
	if err != nil {
		return Key{}, false, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(k.String() + "\n"); err != nil {
		f.Close()
		return Key{}, false, err
	}
	return k, true, f.Close()
}

// derive returns a subkey for one purpose, so that no two uses share key material.
func (k Key) derive(purpose string) []byte {
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Audit is the subkey of the audit trail's hash chain.
func (k Key) Audit() []byte { return k.derive("praxis audit v1") }

// Backup is the subkey that authenticates backup manifests.
func (k Key) Backup() []byte { return k.derive("praxis backup v1") }

// Signer is the Ed25519 key that signs audit checkpoints; every server with the same key signs alike.
func (k Key) Signer() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(k.derive("praxis checkpoint v1"))
}

// ID is the key's fingerprint: safe to store and show, and useless for recovering the key.
func (k Key) ID() string { return hex.EncodeToString(k.derive("praxis key id v1")[:8]) }
