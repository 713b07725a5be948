package isms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// ApprovedVersion is one immutable, numbered approval of a document that is approved as a whole: the Statement
// of Applicability, the ISMS scope. Numbers run 1, 2, 3 ... per organisation and subject. The content is kept as
// JSON exactly as it was approved, with the SHA-256 of its canonical form, so a version can be shown, exported
// and compared long after the document moved on.
type ApprovedVersion struct {
	Subject      string          `json:"subject"` // "soa", "scope"
	Number       int             `json:"number"`
	ApprovedBy   string          `json:"approved_by"` // the approver's name, as it was
	ApprovedByID string          `json:"-"`
	ApprovedAt   time.Time       `json:"approved_at"`
	Comment      string          `json:"comment"`
	Hash         string          `json:"hash"`              // ContentHash of the canonical content
	Summary      json.RawMessage `json:"summary,omitempty"` // a few counts for lists; may be empty
	Content      json.RawMessage `json:"content,omitempty"` // the snapshot; empty in lists
}

// ContentHash is the hex SHA-256 of a document's canonical bytes: what an approval vouches for.
func ContentHash(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}
