package isms

import (
	"fmt"
	"time"
)

// Training and awareness (clauses 6.3, 7.2 and 7.3): courses, who must take them, and the records of who did.

// CourseAudiences say who must take a course: all staff, the people of one team, or the people whose job
// title contains a word ("engineer"). People who have left are in no audience.
var CourseAudiences = []string{"all", "team", "role"}

// TrainingResults are the outcomes of a training record; completed and passed count as trained.
var TrainingResults = []string{"completed", "passed", "failed"}

// TrainingStatuses are where a person stands on a course: trained and valid, valid but expiring within
// DueSoonDays, expired, or never trained.
var TrainingStatuses = []string{"current", "due-soon", "overdue", "never"}

// RecordStatuses are where one training record stands: as TrainingStatuses, but a record that has run out is
// expired (a newer one may replace it), and a failed attempt counts for nothing.
var RecordStatuses = []string{"current", "due-soon", "expired", "failed"}

// MaxRecurrenceMonths bounds a course's recurrence (five years).
const MaxRecurrenceMonths = 60

// DueSoonDays is how far ahead a training that runs out counts as due soon.
const DueSoonDays = 30

// Course is a training or awareness course: what it is, who must take it, how often, and the controls it serves.
type Course struct {
	ID               string    `json:"id"`
	Ref              string    `json:"ref"` // C-001
	Title            string    `json:"title"`
	Description      string    `json:"description"`
	Audience         string    `json:"audience"`          // all, team or role
	AudienceValue    string    `json:"audience_value"`    // the team, or the job-title word
	RecurrenceMonths int       `json:"recurrence_months"` // 0: once
	OwnerID          string    `json:"-"`
	Owner            string    `json:"owner"`      // reference (P-001)
	OwnerName        string    `json:"owner_name"` // name
	Controls         []string  `json:"controls"`   // Annex A control ids (6.3, 8.28)
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int       `json:"version"`
}

// TrainingRecord is one person's attendance of a course, with its certificate as a piece of evidence.
type TrainingRecord struct {
	ID            string    `json:"id"`
	Ref           string    `json:"ref"` // TR-0001
	CourseID      string    `json:"-"`
	Course        string    `json:"course"` // reference (C-001)
	CourseTitle   string    `json:"course_title"`
	PersonID      string    `json:"-"`
	Person        string    `json:"person"` // reference (P-001)
	PersonName    string    `json:"person_name"`
	CompletedOn   string    `json:"completed_on"` // YYYY-MM-DD
	Result        string    `json:"result"`
	EvidenceID    string    `json:"-"`
	Evidence      string    `json:"evidence"` // reference (E-001)
	EvidenceTitle string    `json:"evidence_title"`
	Notes         string    `json:"notes"`
	Months        int       `json:"-"` // the course's recurrence, read with the record
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int       `json:"version"`
}

// TrainingWindow is where the status of a training taken every Months months changes, judged on one day: a
// completion on or before Expired has run out, one on or before Soon runs out within DueSoonDays. Queries take
// these days as their inputs, so that SQL and Go judge by the one rule, TrainingStatus.
type TrainingWindow struct {
	Months        int
	Expired, Soon string // YYYY-MM-DD
}

// TrainingWindows are the windows of every recurrence (1 to MaxRecurrenceMonths) on the day today.
func TrainingWindows(today string) []TrainingWindow {
	out := make([]TrainingWindow, 0, MaxRecurrenceMonths)
	for m := 1; m <= MaxRecurrenceMonths; m++ {
		out = append(out, trainingWindow(m, today))
	}
	return out
}

func trainingWindow(months int, today string) TrainingWindow {
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return TrainingWindow{Months: months}
	}
	return TrainingWindow{Months: months, Expired: t.AddDate(0, -months, 0).Format(time.DateOnly),
		Soon: t.AddDate(0, 0, DueSoonDays).AddDate(0, -months, 0).Format(time.DateOnly)}
}

// TrainingStatus is the one rule of where a person stands on a course taken every months months (0: once),
// last completed (completed or passed) on last ("" never), judged on today: a training runs out when as many
// months have passed as the course's recurrence, on the same day of the month.
func TrainingStatus(last string, months int, today string) string {
	switch {
	case last == "":
		return "never"
	case months == 0:
		return "current"
	}
	w := trainingWindow(months, today)
	switch {
	case last <= w.Expired:
		return "overdue"
	case last <= w.Soon:
		return "due-soon"
	}
	return "current"
}

// TrainingExpiry is the day a training completed on completed runs out ("" for a once course).
func TrainingExpiry(completed string, months int) string {
	t, err := time.Parse(time.DateOnly, completed)
	if months == 0 || err != nil {
		return ""
	}
	return t.AddDate(0, months, 0).Format(time.DateOnly)
}

// Status is where the record stands on today (RecordStatuses).
func (r TrainingRecord) Status(today string) string {
	if r.Result == "failed" {
		return "failed"
	}
	if s := TrainingStatus(r.CompletedOn, r.Months, today); s != "overdue" {
		return s
	}
	return "expired"
}

// ExpiresOn is the day the record runs out ("" for a once course or a failed attempt).
func (r TrainingRecord) ExpiresOn() string {
	if r.Result == "failed" {
		return ""
	}
	return TrainingExpiry(r.CompletedOn, r.Months)
}

// AudienceText says who must take the course, in words.
func (c Course) AudienceText() string {
	switch c.Audience {
	case "team":
		return "team " + c.AudienceValue
	case "role":
		return "job title with " + c.AudienceValue
	}
	return "all staff"
}

// Every says how often the course is taken ("year", "6 months", "once").
func (c Course) Every() string {
	switch m := c.RecurrenceMonths; {
	case m == 0:
		return "once"
	case m == 1:
		return "month"
	case m == 12:
		return "year"
	case m%12 == 0:
		return fmt.Sprintf("%d years", m/12)
	default:
		return fmt.Sprintf("%d months", m)
	}
}
