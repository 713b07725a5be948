package isms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
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

// ComputeHash returns the hash of e over a canonical encoding of every field but Hash.
// Each field is length-prefixed so that no two different events encode alike.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		e.ID, e.OrgID, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(TimeFormat), e.ActorID, e.Actor, e.Via,
		e.Action, e.Entity, e.EntityID, e.Ref, string(e.Before), string(e.After), e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
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
	prevHash string
	nextSeq  int64
	Checked  int64
}

// NewChainVerifier starts at the genesis of a chain.
func NewChainVerifier() *ChainVerifier { return &ChainVerifier{nextSeq: 1} }

// Next checks one event and returns a break if it does not follow from the previous ones.
func (v *ChainVerifier) Next(e *AuditEvent) *ChainBreak {
	switch {
	case e.Seq != v.nextSeq:
		return &ChainBreak{Seq: v.nextSeq, EventID: e.ID, Problem: "event missing: expected sequence " + strconv.FormatInt(v.nextSeq, 10) + ", found " + strconv.FormatInt(e.Seq, 10)}
	case e.PrevHash != v.prevHash:
		return &ChainBreak{Seq: e.Seq, EventID: e.ID, Problem: "previous-hash link does not match the preceding event"}
	case e.ComputeHash() != e.Hash:
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
