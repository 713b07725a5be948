package isms

import (
	"strconv"
	"strings"
	"time"
)

// ReviewStatuses are the states of a management review: planned, then held (its inputs frozen).
var ReviewStatuses = []string{"planned", "held"}

// ReviewActionKinds are the kinds of decision a management review takes (9.3.3).
var ReviewActionKinds = []string{"improvement", "change", "resource"}

// ReviewActionStatuses are the states of a review action.
var ReviewActionStatuses = []string{"open", "in-progress", "done", "cancelled"}

// Review is a management review (clause 9.3): when it was planned and held, who chaired and attended, what was
// discussed, the inputs it considered (frozen when it was held) and the notes taken against each input.
type Review struct {
	ID         string `json:"id"`
	Ref        string `json:"ref"`
	Title      string `json:"title"`
	PlannedOn  string `json:"planned_on"` // YYYY-MM-DD
	HeldOn     string `json:"held_on"`    // YYYY-MM-DD, once held
	Status     string `json:"status"`
	ChairID    string `json:"-"`
	Chair      string `json:"chair"`      // person reference
	ChairName  string `json:"chair_name"` // name
	Attendees  string `json:"attendees"`  // one name or role a line
	Discussion string `json:"discussion"`
	// Inputs are the inputs as they stood when the review was held; nil while it is planned.
	Inputs *ReviewInputs `json:"inputs,omitempty"`
	// InputNotes are the notes taken against each input, keyed by the section key (ReviewSectionKeys).
	InputNotes map[string]string `json:"input_notes"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	Version    int               `json:"version"`
}

// AttendeeList is the attendees one a line, without blank lines.
func (r Review) AttendeeList() []string {
	var out []string
	for _, l := range strings.Split(r.Attendees, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// ReviewAction is one output of a management review (9.3.3): a decision on improvement, a change to the ISMS or
// a resource, with its owner, due date and status.
type ReviewAction struct {
	ID        string    `json:"id"`
	Ref       string    `json:"ref"`
	ReviewID  string    `json:"-"`
	Review    string    `json:"review"` // MR-001
	Kind      string    `json:"kind"`
	Decision  string    `json:"decision"`
	OwnerID   string    `json:"-"`
	Owner     string    `json:"owner"`
	OwnerName string    `json:"owner_name"`
	Due       string    `json:"due"`
	Status    string    `json:"status"`
	Notes     string    `json:"notes"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// Overdue is the one rule for overdue review actions: due before day today and still open or in progress.
func (a ReviewAction) Overdue(today string) bool {
	return a.Due != "" && a.Due < today && (a.Status == "open" || a.Status == "in-progress")
}

// The sections of a review's inputs, one per input the standard asks for (9.3.2), in the order of the minutes.
const (
	InputPreviousActions = "previous-actions"
	InputContext         = "context"
	InputParties         = "parties"
	InputNonconformities = "nonconformities"
	InputMonitoring      = "monitoring"
	InputAudits          = "audits"
	InputObjectives      = "objectives"
	InputFeedback        = "feedback"
	InputRisks           = "risks"
	InputImprovement     = "improvement"
)

// ReviewSectionKeys are the section keys in order, and ReviewSectionTitles their headings.
var ReviewSectionKeys = []string{InputPreviousActions, InputContext, InputParties, InputNonconformities,
	InputMonitoring, InputAudits, InputObjectives, InputFeedback, InputRisks, InputImprovement}

var ReviewSectionTitles = map[string]string{
	InputPreviousActions: "Where the actions of earlier reviews stand",
	InputContext:         "What changed in the internal and external issues",
	InputParties:         "What changed in the needs of interested parties",
	InputNonconformities: "Nonconformities and corrective actions",
	InputMonitoring:      "Monitoring and measurement results",
	InputAudits:          "Audit results",
	InputObjectives:      "How the objectives are met",
	InputFeedback:        "Feedback from interested parties",
	InputRisks:           "Risk assessment and the treatment plan",
	InputImprovement:     "Opportunities to improve",
}

// ReviewInputs are the inputs of a management review assembled from the registers: Since is the day the
// previous review was held ("" for the first review), which bounds what counts as changed.
type ReviewInputs struct {
	Since       string          `json:"since"`
	AssembledOn string          `json:"assembled_on"`
	Sections    []ReviewSection `json:"sections"`
}

// Section returns the section with key, or an empty one.
func (in ReviewInputs) Section(key string) ReviewSection {
	for _, s := range in.Sections {
		if s.Key == key {
			return s
		}
	}
	return ReviewSection{Key: key, Title: ReviewSectionTitles[key]}
}

// ReviewSection is one input: a few figures and the items behind them.
type ReviewSection struct {
	Key     string         `json:"key"`
	Title   string         `json:"title"`
	Figures []ReviewFigure `json:"figures"`
	Items   []ReviewItem   `json:"items"`
}

// ReviewFigure is one count of a section ("open: 3").
type ReviewFigure struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// ReviewItem is one row behind an input: what it is (finding, risk ...), its reference and title, its state
// (the figure it counts in), a detail line and whether it is late.
type ReviewItem struct {
	Kind   string `json:"kind"`
	Ref    string `json:"ref"`
	Title  string `json:"title"`
	State  string `json:"state"`
	Detail string `json:"detail,omitempty"`
	Late   bool   `json:"late,omitempty"`
}

// NewReviewSection builds the section key from its items: one figure per kind and state, in the order they
// first appear, and one of the late items when there are any.
func NewReviewSection(key string, items []ReviewItem) ReviewSection {
	s := ReviewSection{Key: key, Title: ReviewSectionTitles[key], Figures: []ReviewFigure{}, Items: items}
	if s.Items == nil {
		s.Items = []ReviewItem{}
	}
	at := map[string]int{}
	late := 0
	for _, it := range items {
		label := it.Kind + " " + it.State
		if i, ok := at[label]; ok {
			s.Figures[i].Count++
		} else {
			at[label] = len(s.Figures)
			s.Figures = append(s.Figures, ReviewFigure{Label: label, Count: 1})
		}
		if it.Late {
			late++
		}
	}
	if late > 0 {
		s.Figures = append(s.Figures, ReviewFigure{Label: "late or overdue", Count: late})
	}
	return s
}

// MetricState is how a metric's latest value stands against its target: "on target", "off target", "no
// target" or "not measured". direction is at-least or at-most; values are decimals.
func MetricState(direction, target, value string) string {
	if strings.TrimSpace(value) == "" {
		return "not measured"
	}
	t, err1 := strconv.ParseFloat(strings.TrimSpace(target), 64)
	v, err2 := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err1 != nil || err2 != nil {
		return "no target"
	}
	if (direction == "at-most" && v <= t) || (direction != "at-most" && v >= t) {
		return "on target"
	}
	return "off target"
}

// MetricLate reports whether a metric last measured on day last (YYYY-MM-DD, "" never) is late on day today for
// its frequency: a measurement is expected once a period (weekly, monthly, quarterly, half-yearly, yearly).
func MetricLate(frequency, last, today string) bool {
	days := map[string]int{"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92, "half-yearly": 183, "yearly": 366, "annually": 366}[frequency]
	if days == 0 {
		days = 31
	}
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return false
	}
	return last == "" || last < t.AddDate(0, 0, -days).Format(time.DateOnly)
}
