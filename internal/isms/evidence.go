package isms

import "time"

// EvidenceKinds are the forms a piece of evidence takes: an uploaded file, a link to where it lives, or a note.
var EvidenceKinds = []string{"file", "link", "note"}

// EvidenceStatuses are the states Status computes, in the order of concern.
var EvidenceStatuses = []string{"current", "expiring", "expired"}

// ExpiringDays is how long before its valid-until day a piece of evidence counts as expiring.
const ExpiringDays = 30

// Evidence is one piece of evidence that a control or clause is in operation: a file (kept in the blob store by
// its SHA-256), a link or a note, with what it proves and how long it stays valid.
type Evidence struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	Ref         string    `json:"ref"`
	Title       string    `json:"title"`
	Kind        string    `json:"kind"` // file, link or note
	Description string    `json:"description"`
	URL         string    `json:"url"`
	SHA256      string    `json:"sha256"` // a file's content hash, hex
	Size        int       `json:"size"`   // a file's size in bytes
	MediaType   string    `json:"media_type"`
	Filename    string    `json:"filename"` // the name the file was uploaded under
	OwnerID     string    `json:"-"`
	Owner       string    `json:"owner"`        // reference (P-001)
	OwnerName   string    `json:"owner_name"`   // name
	CollectedAt string    `json:"collected_at"` // YYYY-MM-DD
	ValidUntil  string    `json:"valid_until"`  // YYYY-MM-DD; "" never expires
	Controls    []string  `json:"controls"`     // Annex A control ids (8.28)
	Clauses     []string  `json:"clauses"`      // clause ids (9.2)
	Tasks       []string  `json:"tasks"`        // task references (T-001)
	TaskIDs     []string  `json:"-"`            // the ids of those tasks, as stored
	Status      string    `json:"status"`       // current, expiring or expired on the day it was read
	CreatedBy   string    `json:"created_by"`   // the user id of who added it
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`
}

// EvidenceStatus is the one rule for the state of evidence valid until validUntil (YYYY-MM-DD, "" for ever) on
// day today: expired after that day, expiring within ExpiringDays of it, current otherwise. The store's status
// filter computes its bounds with ExpiringFrom, and a test holds the two together.
func EvidenceStatus(validUntil, today string) string {
	switch {
	case validUntil == "":
		return "current"
	case validUntil < today:
		return "expired"
	case validUntil <= ExpiringFrom(today):
		return "expiring"
	}
	return "current"
}

// ExpiringFrom is the last valid-until day that counts as expiring on day today.
func ExpiringFrom(today string) string {
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return today
	}
	return t.AddDate(0, 0, ExpiringDays).Format(time.DateOnly)
}
