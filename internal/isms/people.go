package isms

import (
	"fmt"
	"time"
)

// Person is a member of staff, whether or not they log in (clause 7: competence and awareness; 6.1 screening,
// 6.2 terms of employment, 6.5 leavers). Days are YYYY-MM-DD, "" when unknown.
type Person struct {
	ID            string    `json:"id"`
	OrgID         string    `json:"-"`
	Ref           string    `json:"ref"`
	Name          string    `json:"name"`
	Email         string    `json:"email"`
	JobTitle      string    `json:"job_title"`
	Department    string    `json:"department"`
	Team          string    `json:"team"`
	ManagerID     string    `json:"-"`
	Manager       string    `json:"manager"`      // the manager's reference (P-003)
	ManagerName   string    `json:"manager_name"` // the manager's name
	Employment    string    `json:"employment"`   // one of Employments, "" when unknown
	StartDate     string    `json:"start_date"`
	EndDate       string    `json:"end_date"`
	ScreenedOn    string    `json:"screened_on"`
	TermsSignedOn string    `json:"terms_signed_on"`
	Notes         string    `json:"notes"`
	UserID        string    `json:"user_id,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	Version       int       `json:"version"`
}

// Employments are the kinds of engagement a person may have; "" means not recorded.
var Employments = []string{"employee", "contractor"}

// Left reports whether the person's end date has passed on today (YYYY-MM-DD): their last day is still theirs.
func (p Person) Left(today string) bool { return p.EndDate != "" && p.EndDate < today }

// CheckDay adds a problem under field unless v is empty or a day as YYYY-MM-DD, and reports whether v is a day.
func CheckDay(p *Problems, field, v string) bool {
	if v == "" {
		return false
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		p.Add(field, "must be a date as YYYY-MM-DD")
		return false
	}
	return true
}

// CheckPersonDays checks the days of a person: each a day, and the end not before the start.
func CheckPersonDays(p *Problems, prefix string, person Person) {
	start := CheckDay(p, prefix+"start_date", person.StartDate)
	end := CheckDay(p, prefix+"end_date", person.EndDate)
	CheckDay(p, prefix+"screened_on", person.ScreenedOn)
	CheckDay(p, prefix+"terms_signed_on", person.TermsSignedOn)
	if start && end && person.EndDate < person.StartDate {
		p.Add(prefix+"end_date", "must not be before the start date (%s)", person.StartDate)
	}
}

// ManagerCycle is the chain of managers that setting manager for person would close into a loop, or nil:
// managers maps a person's id to their manager's id (the saved chain above manager, with the change applied).
func ManagerCycle(person, manager string, managers map[string]string) error {
	if manager == "" {
		return nil
	}
	if manager == person {
		return fmt.Errorf("cannot be the person themself")
	}
	seen := map[string]bool{}
	for m := manager; m != "" && !seen[m]; m = managers[m] {
		if m == person {
			return fmt.Errorf("is managed by this person (directly or through others): that would be a loop")
		}
		seen[m] = true
	}
	return nil
}
