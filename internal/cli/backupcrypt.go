package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
)

// passphraseEnv carries the passphrase of encrypted backups when --passphrase-file is not given.
const passphraseEnv = "PRAXIS_BACKUP_PASSPHRASE"

// ageMagic starts every (binary) age file.
var ageMagic = []byte("age-encryption.org/v1\n")

// backupCrypto is how a backup is encrypted or decrypted with age: a passphrase (scrypt), recipients' public
// keys (age1...) for backup, identity files for restore.
type backupCrypto struct {
	passphraseFile string
	recipients     []string
	identityFiles  []string
}

// passphrase returns the passphrase from --passphrase-file or the environment, "" when there is none.
func (c *backupCrypto) passphrase() (string, error) {
	if c.passphraseFile == "" {
		return os.Getenv(passphraseEnv), nil
	}
	b, err := os.ReadFile(c.passphraseFile)
	if err != nil {
		return "", err
	}
	p := strings.TrimRight(string(b), "\r\n")
	if p == "" {
		return "", fmt.Errorf("%s is empty", c.passphraseFile)
	}
	return p, nil
}

// encrypt wraps w so that what is written is encrypted to the recipients or the passphrase; with neither it
// returns w as it is (and nil for the closer).
func (c *backupCrypto) encrypt(w io.Writer) (io.Writer, io.Closer, error) {
	pass, err := c.passphrase()
	if err != nil {
		return nil, nil, err
	}
	var recs []age.Recipient
	switch {
	case pass != "" && len(c.recipients) > 0:
		return nil, nil, fmt.Errorf("encrypt with a passphrase (--passphrase-file, %s) or with --recipient, not both", passphraseEnv)
	case pass != "":
		r, err := age.NewScryptRecipient(pass)
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, r)
	default:
		for _, s := range c.recipients {
			r, err := age.ParseRecipients(strings.NewReader(s))
			if err != nil {
				return nil, nil, fmt.Errorf("--recipient %q: %w", s, err)
			}
			recs = append(recs, r...)
		}
	}
	if len(recs) == 0 {
		return w, nil, nil
	}
	aw, err := age.Encrypt(w, recs...)
	if err != nil {
		return nil, nil, err
	}
	return aw, aw, nil
}

// decrypt returns the plaintext of an age-encrypted archive, or the archive as it is when it is not encrypted.
func (c *backupCrypto) decrypt(f io.ReaderAt, size int64) (io.ReaderAt, int64, error) {
	head := make([]byte, len(ageMagic))
	if n, _ := f.ReadAt(head, 0); n < len(head) || !bytes.Equal(head, ageMagic) {
		return f, size, nil
	}
	pass, err := c.passphrase()
	if err != nil {
		return nil, 0, err
	}
	var ids []age.Identity
	if pass != "" {
		id, err := age.NewScryptIdentity(pass)
		if err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	for _, p := range c.identityFiles {
		file, err := os.Open(p)
		if err != nil {
			return nil, 0, err
		}
		more, err := age.ParseIdentities(file)
		file.Close()
		if err != nil {
			return nil, 0, fmt.Errorf("--identity %s: %w", p, err)
		}
		ids = append(ids, more...)
	}
	if len(ids) == 0 {
		return nil, 0, fmt.Errorf("the archive is encrypted: give --passphrase-file (or %s) or --identity FILE", passphraseEnv)
	}
	r, n, err := age.DecryptReaderAt(f, size, ids...)
	if err != nil {
		var none *age.NoIdentityMatchError
		if errors.As(err, &none) {
			return nil, 0, errors.New("cannot decrypt the archive: wrong passphrase or identity")
		}
		return nil, 0, fmt.Errorf("cannot decrypt the archive: %w", err)
	}
	return r, n, nil
}
