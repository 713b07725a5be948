package isms_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// testKey stands for the installation's audit subkey.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// chain builds a valid hash chain of n events the way the store appends them.
func chain(n int) []*isms.AuditEvent {
	var out []*isms.AuditEvent
	prev := ""
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)
	for i := 1; i <= n; i++ {
		e := &isms.AuditEvent{
			ID: "ev-" + string(rune('a'+i)), OrgID: "org-1", Seq: int64(i), At: at.Add(time.Duration(i) * time.Minute),
			ActorID: "user-1", Actor: "owner@example.org", Via: "web", Action: "update", Entity: "person",
			EntityID: "person-1", Ref: "P-001",
			Before: json.RawMessage(`{"name":"Ann"}`), After: json.RawMessage(`{"name":"Ann Lee"}`), PrevHash: prev,
		}
		e.Hash = e.ComputeHash(testKey)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

// verify runs a verifier over events and then Finish against the recorded head; it returns the first break.
func verify(events []*isms.AuditEvent, headSeq int64, headHash string) (*isms.ChainBreak, int64) {
	v := isms.NewChainVerifier(testKey)
	for _, e := range events {
		if b := v.Next(e); b != nil {
			return b, v.Checked
		}
	}
	return v.Finish(headSeq, headHash), v.Checked
}

func TestChainVerifierAcceptsIntactChain(t *testing.T) {
	events := chain(5)
	last := events[len(events)-1]
	if b, n := verify(events, last.Seq, last.Hash); b != nil || n != 5 {
		t.Fatalf("intact chain reported broken: %+v (checked %d)", b, n)
	}
	// An empty trail with an empty head is intact too.
	if b, _ := verify(nil, 0, ""); b != nil {
		t.Fatalf("empty chain reported broken: %+v", b)
	}
}

func TestChainVerifierDetectsTampering(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func([]*isms.AuditEvent) []*isms.AuditEvent
		wantSeq int64
		problem string
	}{
		{"altered after", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			es[2].After = json.RawMessage(`{"name":"Mallory"}`)
			return es
		}, 3, "altered"},
		{"altered before", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			es[1].Before = json.RawMessage(`{"name":"Eve"}`)
			return es
		}, 2, "altered"},
		{"altered actor", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			es[0].Actor = "someone-else@example.org"
			return es
		}, 1, "altered"},
		{"altered time", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			es[3].At = es[3].At.Add(time.Microsecond)
			return es
		}, 4, "altered"},
		{"altered action", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			es[4].Action = "delete"
			return es
		}, 5, "altered"},
		{"altered and rehashed", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			// A forger who recomputes the altered event's hash breaks the link to the next event.
			es[1].After = json.RawMessage(`{"name":"Mallory"}`)
			es[1].Hash = es[1].ComputeHash(testKey)
			return es
		}, 3, "previous-hash"},
		{"removed middle", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			return append(es[:2:2], es[3:]...)
		}, 3, "missing"},
		{"removed first", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			return es[1:]
		}, 1, "missing"},
		{"reordered", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			es[1], es[2] = es[2], es[1]
			return es
		}, 2, "missing"},
		{"reordered with renumbered sequences", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			es[1], es[2] = es[2], es[1]
			es[1].Seq, es[2].Seq = 2, 3
			return es
		}, 2, "previous-hash"},
		{"duplicated", func(es []*isms.AuditEvent) []*isms.AuditEvent {
			return append(es[:3:3], es[2:]...)
		}, 4, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := chain(5)
			head := events[4]
			headSeq, headHash := head.Seq, head.Hash
			b, _ := verify(tt.tamper(events), headSeq, headHash)
			if b == nil {
				t.Fatal("tampering not detected")
			}
			if b.Seq != tt.wantSeq || !strings.Contains(b.Problem, tt.problem) {
				t.Fatalf("break = %+v, want sequence %d with a problem mentioning %q", b, tt.wantSeq, tt.problem)
			}
		})
	}
}

func TestChainVerifierFinishDetectsRemovedTail(t *testing.T) {
	events := chain(5)
	head := events[4]
	// The last event is deleted: every remaining event checks out, only the recorded head betrays it.
	b, checked := verify(events[:4], head.Seq, head.Hash)
	if b == nil {
		t.Fatal("removal of the last event not detected")
	}
	if checked != 4 || b.Seq != 5 || !strings.Contains(b.Problem, "removed") {
		t.Fatalf("break = %+v after %d events, want sequence 5 reported as removed", b, checked)
	}
	// The same when the whole trail is gone.
	if b, _ := verify(nil, head.Seq, head.Hash); b == nil || b.Seq != 5 {
		t.Fatalf("removal of every event: break = %+v", b)
	}
	// A head that was rewound along with the deletion still disagrees on the hash unless it is rewritten too.
	if b, _ := verify(events[:4], 4, head.Hash); b == nil {
		t.Fatal("a head whose hash does not match the last event was accepted")
	}
}

func TestComputeHashCoversEveryField(t *testing.T) {
	base := chain(1)[0]
	mutations := map[string]func(e *isms.AuditEvent){
		"ID":       func(e *isms.AuditEvent) { e.ID += "x" },
		"OrgID":    func(e *isms.AuditEvent) { e.OrgID += "x" },
		"Seq":      func(e *isms.AuditEvent) { e.Seq++ },
		"At":       func(e *isms.AuditEvent) { e.At = e.At.Add(time.Microsecond) },
		"ActorID":  func(e *isms.AuditEvent) { e.ActorID += "x" },
		"Actor":    func(e *isms.AuditEvent) { e.Actor += "x" },
		"Via":      func(e *isms.AuditEvent) { e.Via = "api" },
		"Action":   func(e *isms.AuditEvent) { e.Action += "x" },
		"Entity":   func(e *isms.AuditEvent) { e.Entity += "x" },
		"EntityID": func(e *isms.AuditEvent) { e.EntityID += "x" },
		"Ref":      func(e *isms.AuditEvent) { e.Ref += "x" },
		"Before":   func(e *isms.AuditEvent) { e.Before = json.RawMessage(`{"name":"Bob"}`) },
		"After":    func(e *isms.AuditEvent) { e.After = nil },
		"PrevHash": func(e *isms.AuditEvent) { e.PrevHash = "00" },
	}
	for field, mutate := range mutations {
		e := *base
		mutate(&e)
		if e.ComputeHash(testKey) == base.Hash {
			t.Errorf("changing %s leaves the hash unchanged", field)
		}
	}
	// Moving a character from one field to the next must change the hash (length prefixes).
	a := *base
	a.Entity, a.EntityID = "person", "x1"
	b := *base
	b.Entity, b.EntityID = "personx", "1"
	if a.ComputeHash(testKey) == b.ComputeHash(testKey) {
		t.Error("fields are not delimited: shifting a character between fields keeps the hash")
	}
	// The time zone of At does not matter, only the instant.
	c := *base
	c.At = base.At.In(time.FixedZone("CET", 3600))
	if c.ComputeHash(testKey) != base.Hash {
		t.Error("the same instant in another time zone hashes differently")
	}
}

// An attacker who can write the database but does not hold the key rewrites an event and recomputes the whole
// chain from there, with the old plain SHA-256 or with a key of their own: the keyed verifier reports the rewrite.
func TestChainVerifierRejectsAChainRecomputedWithoutTheKey(t *testing.T) {
	for name, rehash := range map[string]func(*isms.AuditEvent) string{
		"plain SHA-256": (*isms.AuditEvent).UnkeyedHash,
		"guessed key":   func(e *isms.AuditEvent) string { return e.ComputeHash([]byte("guessed")) },
	} {
		t.Run(name, func(t *testing.T) {
			events := chain(5)
			events[2].After = json.RawMessage(`{"name":"Mallory"}`)
			for i := 2; i < len(events); i++ {
				events[i].PrevHash = events[i-1].Hash
				events[i].Hash = rehash(events[i])
			}
			last := events[4]
			b, _ := verify(events, last.Seq, last.Hash)
			if b == nil || b.Seq != 3 || !strings.Contains(b.Problem, "altered") {
				t.Fatalf("break = %+v, want sequence 3 altered", b)
			}
		})
	}
}

func TestUnkeyedVerifierChecksAnOldChain(t *testing.T) {
	events := chain(3)
	prev := ""
	for _, e := range events {
		e.PrevHash = prev
		e.Hash = e.UnkeyedHash()
		prev = e.Hash
	}
	v := isms.NewUnkeyedChainVerifier()
	for _, e := range events {
		if b := v.Next(e); b != nil {
			t.Fatalf("old chain reported broken: %v", b)
		}
	}
	if b := isms.NewChainVerifier(testKey).Next(events[0]); b == nil {
		t.Fatal("an unkeyed event passed the keyed verifier")
	}
}
