package isms

import "time"

// CorrectiveStatuses are the states of a corrective action, in order; closed needs an effective check.
var CorrectiveStatuses = []string{"open", "in-progress", "done", "closed"}

// CheckResults are the outcomes of an effectiveness check.
var CheckResults = []string{"effective", "not-effective"}

// CorrectiveAction is what is done about a nonconformity (clause 10.2): the immediate correction, the root cause,
// the action that removes it, who owns it and by when, and the check that it worked.
type CorrectiveAction struct {
	ID           string     `json:"id"`
	Ref          string     `json:"ref"`
	FindingID    string     `json:"-"`
	Finding      string     `json:"finding"`       // F-001
	FindingTitle string     `json:"finding_title"` // its title
	Title        string     `json:"title"`
	Correction   string     `json:"correction"`
	RootCause    string     `json:"root_cause"`
	Action       string     `json:"action"`
	OwnerID      string     `json:"-"`
	Owner        string     `json:"owner"`
	OwnerName    string     `json:"owner_name"`
	Due          string     `json:"due"` // YYYY-MM-DD
	Status       string     `json:"status"`
	CheckedByID  string     `json:"-"`
	CheckedBy    string     `json:"checked_by"` // the name of the user who checked
	CheckedAt    *time.Time `json:"checked_at,omitempty"`
	CheckResult  string     `json:"check_result"` // effective, not-effective or "" before a check
	CheckNotes   string     `json:"check_notes"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Version      int        `json:"version"`
}

// CorrectiveOverdue is the one rule for overdue corrective actions: due before day today and not closed. The
// store's overdue filter says the same in SQL (store.CorrectiveOverdueSQL), and a test holds the two together.
func CorrectiveOverdue(due, status, today string) bool {
	return due != "" && due < today && status != "closed"
}

// Overdue says whether the action is overdue on day today.
func (c CorrectiveAction) Overdue(today string) bool {
	return CorrectiveOverdue(c.Due, c.Status, today)
}
