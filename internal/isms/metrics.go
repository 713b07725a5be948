package isms

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MetricFrequencies are how often a metric is measured, from the most to the least often.
var MetricFrequencies = []string{"weekly", "monthly", "quarterly", "half-yearly", "yearly"}

// MetricDirections say which side of the target is good: at-least (higher is better) or at-most.
var MetricDirections = []string{"at-least", "at-most"}

// The states of a metric against its target.
const (
	MetricOnTarget  = "on-target"
	MetricOffTarget = "off-target"
	MetricNoData    = "no-data"
)

// MetricStatuses are the states a metric's status filter takes.
var MetricStatuses = []string{MetricOnTarget, MetricOffTarget, MetricNoData}

// The trends of a metric's last values.
const (
	TrendUp   = "up"
	TrendDown = "down"
	TrendFlat = "flat"
)

// MetricGraceDays is how many days after its period a metric's next measurement may come before it is late.
const MetricGraceDays = 7

// trendWindow is how many values before the latest the trend compares it with.
const trendWindow = 3

// Metric is a measure of the ISMS's performance or effectiveness (clause 9.1): what is measured, how, how
// often, the target and which side of it is good, who owns it, the objective it tracks and the controls it
// watches. Latest, Status, Late, Trend and Recent are derived from its measurements (Assess).
type Metric struct {
	ID             string    `json:"id"`
	OrgID          string    `json:"-"`
	Ref            string    `json:"ref"`
	Title          string    `json:"title"`
	Description    string    `json:"description"`
	Method         string    `json:"method"`
	Unit           string    `json:"unit"`
	Frequency      string    `json:"frequency"`
	Direction      string    `json:"direction"`
	Target         string    `json:"target"` // a decimal (Decimal)
	OwnerID        string    `json:"-"`
	Owner          string    `json:"owner"`      // reference (P-001)
	OwnerName      string    `json:"owner_name"` // name
	ObjectiveID    string    `json:"-"`
	Objective      string    `json:"objective"`       // reference (OBJ-001)
	ObjectiveTitle string    `json:"objective_title"` // title
	Controls       []string  `json:"controls"`        // Annex A 2022 ids
	LastTaken      string    `json:"last_taken"`      // the day of the latest measurement, YYYY-MM-DD; "" never
	LastValue      string    `json:"last_value"`      // the value of the latest measurement
	NextDue        string    `json:"next_due"`        // the last day the next measurement is not yet late (NextDueDay)
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int       `json:"version"`

	Latest *Reading      `json:"latest"` // the latest measurement; nil when never measured
	Status string        `json:"status"` // on-target, off-target or no-data
	Late   bool          `json:"late"`   // the next measurement is overdue: today is after NextDue
	Trend  string        `json:"trend"`  // up, down or flat over the last values; "" with fewer than two
	Recent []Measurement `json:"-"`      // the last measurements, oldest first (sparklines)
}

// Reading is one measured value on a day.
type Reading struct {
	Value   string `json:"value"`
	TakenOn string `json:"taken_on"`
}

// Measurement is one value of a metric, taken on a day.
type Measurement struct {
	ID         string    `json:"id"`
	MetricID   string    `json:"-"`
	TakenOn    string    `json:"taken_on"` // YYYY-MM-DD
	Value      string    `json:"value"`    // a decimal (Decimal)
	Note       string    `json:"note"`
	RecordedBy string    `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

var decimalShape = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,6})?$`)

// Decimal reads a measured value or a target: digits with an optional sign and a decimal point ("97.5",
// "-3", "0.25"), never a comma, an exponent or a unit. ok is false for anything else.
func Decimal(s string) (v float64, ok bool) {
	if !decimalShape.MatchString(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// CheckDecimal adds a problem under field unless s is a decimal; empty is a problem too.
func CheckDecimal(p *Problems, field, s string) {
	if s == "" {
		p.Add(field, "is required")
		return
	}
	if _, ok := Decimal(s); !ok {
		p.Add(field, "must be a number such as 97.5 (digits with a point, no unit or comma)")
	}
}

// periodDays is how many days a metric's period lasts.
func periodDays(frequency string) int {
	switch frequency {
	case "weekly":
		return 7
	case "quarterly":
		return 92
	case "half-yearly":
		return 183
	case "yearly":
		return 366
	}
	return 31
}

// Met says whether value meets target in direction: at least the target, or at most it.
func Met(direction string, value, target float64) bool {
	if direction == "at-most" {
		return value <= target
	}
	return value >= target
}

// Assess fills a metric's derived fields on day today (YYYY-MM-DD) from its latest value and its recent
// measurements (oldest first; nil leaves the trend unknown); it is the one place that says whether a metric is
// on target, late and which way it goes.
// Late: no measurement within the period plus MetricGraceDays since the last one, or since the metric was
// created when it never was measured.
func (m *Metric) Assess(recent []Measurement, today string) {
	m.Recent, m.Latest, m.Status, m.Trend = recent, nil, MetricNoData, ""
	m.NextDue = m.NextDueDay()
	m.Late = today > m.NextDue
	if m.LastTaken == "" {
		return
	}
	m.Latest = &Reading{Value: m.LastValue, TakenOn: m.LastTaken}
	value, okV := Decimal(m.LastValue)
	target, okT := Decimal(m.Target)
	if okV && okT {
		m.Status = MetricOffTarget
		if Met(m.Direction, value, target) {
			m.Status = MetricOnTarget
		}
	}
	m.Trend = trend(recent)
}

// NextDueDay is the last day on which a metric's next measurement is not late: its period plus the grace days
// after the latest measurement, or after its creation when it never was measured. The store keeps it as
// next_due, so that the late filter is one condition.
func (m Metric) NextDueDay() string {
	from := m.CreatedAt.UTC().Format(time.DateOnly)
	if m.LastTaken != "" {
		from = m.LastTaken
	}
	start, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return ""
	}
	return start.AddDate(0, 0, periodDays(m.Frequency)+MetricGraceDays).Format(time.DateOnly)
}

// trend compares the latest value with the mean of the few before it: flat when they differ by at most one
// per cent of the larger magnitude.
func trend(recent []Measurement) string {
	if len(recent) < 2 {
		return ""
	}
	latest, _ := Decimal(recent[len(recent)-1].Value)
	before := recent[max(0, len(recent)-1-trendWindow) : len(recent)-1]
	sum := 0.0
	for _, x := range before {
		v, _ := Decimal(x.Value)
		sum += v
	}
	mean := sum / float64(len(before))
	if math.Abs(latest-mean) <= 0.01*math.Max(math.Abs(latest), math.Abs(mean)) {
		return TrendFlat
	}
	if latest > mean {
		return TrendUp
	}
	return TrendDown
}

// TargetText is a metric's target in words: "at least 95 %".
func (m Metric) TargetText() string {
	return strings.TrimSpace(strings.ReplaceAll(m.Direction, "-", " ") + " " + m.Target + " " + m.Unit)
}
