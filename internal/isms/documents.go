package isms

import (
	"time"
)

// Documented information (clause 7.5): a register of documents, each with numbered versions that move from
// draft through review to approval and retirement. An approved version is never changed again: its content,
// approver, date and SHA-256 stay as they were approved.

// DocumentTypes are the kinds of document in the register.
var DocumentTypes = []string{"policy", "procedure", "standard", "plan", "record", "template"}

// Document version statuses, in the order a version moves through them.
const (
	DocDraft    = "draft"
	DocInReview = "in-review"
	DocApproved = "approved"
	DocRetired  = "retired"
)

// DocumentStatuses are the statuses of a version (and of a document: that of its latest version).
var DocumentStatuses = []string{DocDraft, DocInReview, DocApproved, DocRetired}

// MaxDocumentContent caps a version's Markdown (1 MiB): a policy is pages, not books.
const MaxDocumentContent = 1 << 20

// Document is one entry of the document register. Its status is that of its latest version; Approved is the
// number of the version in force (0: none), whose approval set NextReview.
type Document struct {
	ID             string    `json:"id"`
	Ref            string    `json:"ref"`
	Title          string    `json:"title"`
	Type           string    `json:"type"`
	OwnerID        string    `json:"-"`
	Owner          string    `json:"owner"` // person reference
	OwnerName      string    `json:"owner_name"`
	Clauses        []string  `json:"clauses"`  // ISO/IEC 27001 clause ids (7.5, 5.2)
	Controls       []string  `json:"controls"` // Annex A 2022 control ids (5.1, 8.28)
	Classification string    `json:"classification"`
	ReviewMonths   int       `json:"review_months"`
	NextReview     string    `json:"next_review"` // YYYY-MM-DD, "" until a version is approved
	Status         string    `json:"status"`
	Latest         int       `json:"latest_version"`   // the number of the latest version
	Approved       int       `json:"approved_version"` // the number of the version in force, 0 when none
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int       `json:"version"`
}

// Overdue reports whether a document in force is past its review date on the day today (YYYY-MM-DD).
func (d Document) Overdue(today string) bool {
	return d.Approved > 0 && d.NextReview != "" && d.NextReview < today
}

// DocumentVersion is one numbered version of a document: its Markdown as typed and its passage through the
// workflow. Once approved, only its retirement and its publication change.
type DocumentVersion struct {
	Number       int        `json:"number"`
	Status       string     `json:"status"`
	Content      string     `json:"content"`
	Summary      string     `json:"summary"` // what this version changes
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	SubmittedBy  string     `json:"submitted_by,omitempty"`
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"`
	ApprovedByID string     `json:"approved_by_id,omitempty"`
	ApprovedBy   string     `json:"approved_by,omitempty"`
	ApprovedAt   *time.Time `json:"approved_at,omitempty"`
	Hash         string     `json:"hash,omitempty"` // SHA-256 of the content, set on approval
	RetiredAt    *time.Time `json:"retired_at,omitempty"`
	Audience     string     `json:"audience,omitempty"` // to whom it was published: "all staff", "team Sales", "named people"
	PublishedAt  *time.Time `json:"published_at,omitempty"`
}

// AddMonths is the date months after day (YYYY-MM-DD), clamped to the month's last day (31 January + 1 month
// is 28 or 29 February, not 3 March).
func AddMonths(day time.Time, months int) time.Time {
	y, m, d := day.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
}

// Acknowledgement is one person a version was published to, and whether (and when, and recorded by whom) they
// confirmed having read it.
type Acknowledgement struct {
	PersonID       string     `json:"-"`
	Person         string     `json:"person"` // reference
	Name           string     `json:"name"`
	Department     string     `json:"department"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	// RecordedBy names the member who recorded the acknowledgement for the person; "" when they confirmed it
	// themselves.
	RecordedBy string `json:"recorded_by,omitempty"`
}

// Acknowledgements of one version: who it was published to, who has and who has not confirmed reading it.
type Acknowledgements struct {
	Number      int               `json:"number"`
	Audience    string            `json:"audience"`
	PublishedAt *time.Time        `json:"published_at,omitempty"`
	Total       int               `json:"total"`
	Done        int               `json:"acknowledged"`
	Have        []Acknowledgement `json:"have"`
	HaveNot     []Acknowledgement `json:"have_not"`
}
