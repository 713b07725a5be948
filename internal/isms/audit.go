package isms

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// AuditEvent is one entry of an organisation's tamper-evident audit trail.
type AuditEvent struct {
	ID       string          `json:"id"`
	OrgID    string          `json:"org_id"`
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	ActorID  string          `json:"actor_id"`
	Actor    string          `json:"actor"` // email or "system", kept so the trail reads well after a user is gone
	Via      string          `json:"via"`   // web, api, cli
	Action   string          `json:"action"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Ref      string          `json:"ref"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// TimeFormat is how every time is stored: fixed width UTC, so text order is time order on both engines.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// ComputeHash returns the keyed hash of e: HMAC-SHA256 with the installation's audit key over a canonical
// encoding of every field but Hash. Without the key nobody can recompute the chain after changing an event.
func (e *AuditEvent) ComputeHash(key []byte) string {
	if len(key) == 0 {
		panic("isms: audit hash without a key") // the store refuses to append without one; this is a bug
	}
	h := hmac.New(sha256.New, key)
	e.encode(h)
	return hex.EncodeToString(h.Sum(nil))
}

// UnkeyedHash is the plain SHA-256 the chain used before it was keyed. It serves only to verify an old trail
// once, before it is re-hashed with the key.
func (e *AuditEvent) UnkeyedHash() string {
	h := sha256.New()
	e.encode(h)
	return hex.EncodeToString(h.Sum(nil))
}

// encode writes every field but Hash, each length-prefixed so that no two different events encode alike.
func (e *AuditEvent) encode(w io.Writer) {
	for _, f := range []string{
		e.ID, e.OrgID, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(TimeFormat), e.ActorID, e.Actor, e.Via,
		e.Action, e.Entity, e.EntityID, e.Ref, string(e.Before), string(e.After), e.PrevHash,
	} {
		io.WriteString(w, strconv.Itoa(len(f)))
		io.WriteString(w, ":")
		io.WriteString(w, f)
	}
}

// ChainBreak describes the first event where a recomputed chain disagrees with the stored one.
type ChainBreak struct {
	Seq     int64  `json:"seq"`
	EventID string `json:"event_id"`
	Problem string `json:"problem"`
}

// String says where the chain breaks, for people: "sequence 7 (event ID): problem".
func (b *ChainBreak) String() string {
	if b.EventID == "" {
		return fmt.Sprintf("sequence %d: %s", b.Seq, b.Problem)
	}
	return fmt.Sprintf("sequence %d (event %s): %s", b.Seq, b.EventID, b.Problem)
}

// ChainVerifier checks events one by one in sequence order, so that a long trail streams.
type ChainVerifier struct {
	hash     func(*AuditEvent) string
	prevHash string
	nextSeq  int64
	Checked  int64
}

// NewChainVerifier starts at the genesis of a chain keyed with key (see ComputeHash).
func NewChainVerifier(key []byte) *ChainVerifier {
	return &ChainVerifier{nextSeq: 1, hash: func(e *AuditEvent) string { return e.ComputeHash(key) }}
}

// NewUnkeyedChainVerifier checks a chain written before the audit key existed (see UnkeyedHash).
func NewUnkeyedChainVerifier() *ChainVerifier {
	return &ChainVerifier{nextSeq: 1, hash: (*AuditEvent).UnkeyedHash}
}

// NewLinkVerifier checks only a chain's order and links, trusting each event's stored hash: all that can be
// checked of a trail keyed with another installation's key.
func NewLinkVerifier() *ChainVerifier {
	return &ChainVerifier{nextSeq: 1, hash: func(e *AuditEvent) string { return e.Hash }}
}

// Next checks one event and returns a break if it does not follow from the previous ones.
func (v *ChainVerifier) Next(e *AuditEvent) *ChainBreak {
	switch {
	case e.Seq != v.nextSeq:
		return &ChainBreak{Seq: v.nextSeq, EventID: e.ID, Problem: "event missing: expected sequence " + strconv.FormatInt(v.nextSeq, 10) + ", found " + strconv.FormatInt(e.Seq, 10)}
	case e.PrevHash != v.prevHash:
		return &ChainBreak{Seq: e.Seq, EventID: e.ID, Problem: "previous-hash link does not match the preceding event"}
	case v.hash(e) != e.Hash:
		return &ChainBreak{Seq: e.Seq, EventID: e.ID, Problem: "content does not match its hash (altered)"}
	}
	v.prevHash = e.Hash
	v.nextSeq++
	v.Checked++
	return nil
}

// Finish compares the end of the chain with the head the application recorded, which catches removal of the last events.
func (v *ChainVerifier) Finish(headSeq int64, headHash string) *ChainBreak {
	if headSeq != v.nextSeq-1 || headHash != v.prevHash {
		return &ChainBreak{Seq: headSeq, Problem: "chain ends at sequence " + strconv.FormatInt(v.nextSeq-1, 10) + " but the recorded head is sequence " + strconv.FormatInt(headSeq, 10) + " (events removed or head altered)"}
	}
	return nil
}

// CheckpointFormat names a signed audit checkpoint file.
const CheckpointFormat = "praxis-audit-checkpoint"

// Checkpoint is a signed statement that an organisation's audit trail reached sequence Seq with hash Hash.
// An auditor keeps it; later, the trail must still hold that event with that hash, which no one who rewrote or
// truncated the trail can arrange without the installation key.
type Checkpoint struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	OrgID     string `json:"org_id"`
	OrgSlug   string `json:"org_slug"`
	Seq       int64  `json:"seq"`
	Hash      string `json:"hash"`
	At        string `json:"at"`         // when it was issued (TimeFormat)
	KeyID     string `json:"key_id"`     // the installation key's fingerprint
	PublicKey string `json:"public_key"` // Ed25519, base64
	Signature string `json:"signature"`  // Ed25519 over signedBytes, base64
}

// signedBytes is the canonical encoding the signature covers: every field but Signature, length-prefixed.
func (c *Checkpoint) signedBytes() []byte {
	var b strings.Builder
	for _, f := range []string{c.Format, strconv.Itoa(c.Version), c.OrgID, c.OrgSlug, strconv.FormatInt(c.Seq, 10), c.Hash, c.At, c.KeyID, c.PublicKey} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	return []byte(b.String())
}

// Sign fills in the public key and the signature.
func (c *Checkpoint) Sign(priv ed25519.PrivateKey) {
	c.PublicKey = base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, c.signedBytes()))
}

// VerifySignature checks that the checkpoint is well formed and signed by the private key of want.
func (c *Checkpoint) VerifySignature(want ed25519.PublicKey) error {
	if c.Format != CheckpointFormat || c.Version != 1 {
		return fmt.Errorf("not a praxis audit checkpoint (format %q version %d)", c.Format, c.Version)
	}
	pub, err := base64.StdEncoding.DecodeString(c.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return errors.New("the checkpoint's public key is malformed")
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.signedBytes(), sig) {
		return errors.New("the checkpoint's signature does not verify: the file was altered")
	}
	if !want.Equal(ed25519.PublicKey(pub)) {
		return fmt.Errorf("the checkpoint was signed by installation key %s, not by this installation's key", c.KeyID)
	}
	return nil
}
