package isms

import "time"

// ObjectiveStatuses are the states of an information security objective, in the order they are usually met.
var ObjectiveStatuses = []string{"planned", "on-track", "at-risk", "achieved", "missed"}

// Objective is an information security objective (clause 6.2): what is to be reached, how it is measured, the
// target, who owns it, by when, and the policy statement or risks it serves.
type Objective struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"-"`
	Ref       string    `json:"ref"`
	Title     string    `json:"title"`
	Measure   string    `json:"measure"`
	Target    string    `json:"target"`
	OwnerID   string    `json:"-"`
	Owner     string    `json:"owner"`      // reference (P-001)
	OwnerName string    `json:"owner_name"` // name
	Due       string    `json:"due"`        // YYYY-MM-DD
	Status    string    `json:"status"`
	Policy    string    `json:"policy"` // the policy statement it serves
	Risks     []string  `json:"risks"`  // the references of the risks it serves
	Notes     string    `json:"notes"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// Overdue is the one rule for overdue objectives: due before day today (YYYY-MM-DD) and not achieved. The
// store's overdue filter says the same in SQL, and a test holds the two together.
func (o Objective) Overdue(today string) bool {
	return o.Due != "" && o.Due < today && o.Status != "achieved"
}
