package isms

import "time"

// TaskStatuses are the states of a task, in the order they are usually met.
var TaskStatuses = []string{"open", "in-progress", "done", "cancelled"}

// TaskRecurrences are how often a task comes back once done ("" is once), and the months each moves the due date.
var TaskRecurrences = []string{"monthly", "quarterly", "half-yearly", "yearly"}

var recurrenceMonths = map[string]int{"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}

// Who is a person a row names: reference and name.
type Who struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
}

// Task is a piece of work that implements a control, a clause, a risk treatment action or a document: who does
// it, by when, how often it comes back, and a checklist of steps.
type Task struct {
	ID            string     `json:"id"`
	Ref           string     `json:"ref"`
	Title         string     `json:"title"`
	Description   string     `json:"description"`
	Control       string     `json:"control"` // Annex A control (2022 id), or ""
	Clause        string     `json:"clause"`  // clause of the standard (6.1.2), or ""
	ActionID      string     `json:"-"`
	Action        string     `json:"action"` // treatment action reference (TA-001)
	ActionTitle   string     `json:"action_title"`
	DocumentID    string     `json:"-"`
	Document      string     `json:"document"` // document reference (DOC-001)
	DocumentTitle string     `json:"document_title"`
	AssigneeID    string     `json:"-"`
	Assignee      Who        `json:"assignee"`
	Due           string     `json:"due"` // YYYY-MM-DD or ""
	Status        string     `json:"status"`
	Recurrence    string     `json:"recurrence"`
	PreviousID    string     `json:"-"`
	Previous      string     `json:"previous"` // the occurrence this one follows (T-001)
	PreviousTitle string     `json:"-"`
	DoneAt        *time.Time `json:"done_at"`
	DoneBy        string     `json:"done_by"`
	Notes         string     `json:"notes"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int        `json:"version"`
	// Overdue and Checks are derived on every read; Checklist is read with one task, not with a list.
	Overdue   bool        `json:"overdue"`
	Checks    CheckCount  `json:"checks"`
	Checklist []TaskCheck `json:"checklist,omitempty"`
}

// CheckCount is how many checklist items a task has and how many are ticked.
type CheckCount struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Open is how many items are still to tick.
func (c CheckCount) Open() int { return c.Total - c.Done }

// TaskCheck is one item of a task's checklist; DoneAt and DoneBy say who ticked it and when.
type TaskCheck struct {
	Position int        `json:"position"`
	Text     string     `json:"text"`
	DoneAt   *time.Time `json:"done_at"`
	DoneBy   string     `json:"done_by"`
}

// Closed reports whether the task is finished one way or the other.
func (t Task) Closed() bool { return t.Status == "done" || t.Status == "cancelled" }

// IsOverdue is the one rule for overdue tasks: due before day today (YYYY-MM-DD) and neither done nor
// cancelled. The store's overdue filter says the same in SQL, and a test holds the two together.
func (t Task) IsOverdue(today string) bool { return t.Due != "" && t.Due < today && !t.Closed() }

// NextDue is the due date of the occurrence after one due on due (or, without a due date, completed on today):
// moved by the recurrence's period; "" for a task that does not recur. The day of the month is kept where the
// month has it, else the month's last day (31 January monthly is 28 or 29 February).
func NextDue(recurrence, due, today string) string {
	months := recurrenceMonths[recurrence]
	if months == 0 {
		return ""
	}
	from, err := time.Parse(time.DateOnly, due)
	if err != nil {
		if from, err = time.Parse(time.DateOnly, today); err != nil {
			return ""
		}
	}
	first := time.Date(from.Year(), from.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(from.Day(), last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}
