package isms

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CertificationKinds are the audits a certification body makes, in the order of a cycle.
var CertificationKinds = []string{"stage-1", "stage-2", "surveillance", "recertification"}

// CertificationStatuses are the states of a certification audit.
var CertificationStatuses = []string{"planned", "done", "cancelled"}

// CertificationResults are the recommendations a done certification audit ends with.
var CertificationResults = []string{"recommended", "recommended-with-conditions", "not-recommended"}

// CertificationAudit is one audit of the ISMS by a certification body: Stage 1 (documents and readiness),
// Stage 2 (the ISMS at work), the surveillance audits of years one and two, and the recertification of year
// three. A Stage 2 or a recertification that recommends certification records the certificate it led to.
type CertificationAudit struct {
	ID                string    `json:"id"`
	Ref               string    `json:"ref"`
	Kind              string    `json:"kind"`
	Body              string    `json:"body"`         // the certification body
	LeadAuditor       string    `json:"lead_auditor"` // the body's lead auditor, not one of our people
	PlannedStart      string    `json:"planned_start"`
	PlannedEnd        string    `json:"planned_end"`
	Status            string    `json:"status"`
	Result            string    `json:"result"`
	CertificateNumber string    `json:"certificate_number"`
	CertificateIssued string    `json:"certificate_issued"`
	CertificateExpiry string    `json:"certificate_expiry"`
	Notes             string    `json:"notes"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	Version           int       `json:"version"`
}

// KindWords is a certification audit's kind as people say it ("Stage 1 audit").
func KindWords(kind string) string {
	switch kind {
	case "stage-1":
		return "Stage 1 audit"
	case "stage-2":
		return "Stage 2 audit"
	case "surveillance":
		return "Surveillance audit"
	case "recertification":
		return "Recertification audit"
	}
	return kind
}

// KindWords is the audit's kind in words.
func (c CertificationAudit) KindWords() string { return KindWords(c.Kind) }

// Certifies reports whether the audit's kind and result lead to a certificate: a Stage 2 or a recertification
// that recommends certification, with or without conditions.
func (c CertificationAudit) Certifies() bool {
	return (c.Kind == "stage-2" || c.Kind == "recertification") && c.Status == "done" &&
		(c.Result == "recommended" || c.Result == "recommended-with-conditions")
}

// HasCertificate reports whether the audit records a certificate.
func (c CertificationAudit) HasCertificate() bool {
	return c.CertificateNumber != "" || c.CertificateIssued != "" || c.CertificateExpiry != ""
}

// Check says what is wrong with a certification audit, field by field: the kind, status and result from
// their lists, dates as YYYY-MM-DD and in order, a result for a done audit and none before, and a certificate
// (number, issue and expiry together, expiry after issue) only on an audit that certifies.
func (c CertificationAudit) Check(p *Problems) {
	if !OneOf(c.Kind, CertificationKinds) {
		p.Add("kind", "must be one of %s", strings.Join(CertificationKinds, ", "))
	}
	if !OneOf(c.Status, CertificationStatuses) {
		p.Add("status", "must be one of %s", strings.Join(CertificationStatuses, ", "))
	}
	for _, t := range []struct {
		field, value string
		max          int
	}{{"body", c.Body, 200}, {"lead_auditor", c.LeadAuditor, 200}, {"certificate_number", c.CertificateNumber, 100}, {"notes", c.Notes, 4000}} {
		if utf8.RuneCountInString(t.value) > t.max {
			p.Add(t.field, "must be at most %d characters", t.max)
		}
	}
	dates := map[string]string{"planned_start": c.PlannedStart, "planned_end": c.PlannedEnd,
		"certificate_issued": c.CertificateIssued, "certificate_expiry": c.CertificateExpiry}
	ok := map[string]bool{}
	for _, field := range []string{"planned_start", "planned_end", "certificate_issued", "certificate_expiry"} {
		ok[field] = checkDay(p, field, dates[field])
	}
	if c.PlannedStart == "" {
		p.Add("planned_start", "is required: when the audit starts (YYYY-MM-DD)")
	}
	if ok["planned_start"] && ok["planned_end"] && c.PlannedEnd != "" && c.PlannedEnd < c.PlannedStart {
		p.Add("planned_end", "must not be before the planned start %s", c.PlannedStart)
	}
	switch {
	case c.Status == "done" && c.Result == "":
		p.Add("result", "is required for a done audit: %s", strings.Join(CertificationResults, ", "))
	case c.Result != "" && !OneOf(c.Result, CertificationResults):
		p.Add("result", "must be one of %s", strings.Join(CertificationResults, ", "))
	case c.Result != "" && c.Status != "done":
		p.Add("result", "is recorded when the audit is done: set the status to done, or leave the result empty")
	}
	if !c.HasCertificate() {
		return
	}
	if !c.Certifies() {
		p.Add("certificate_number", "only a done Stage 2 or recertification audit that recommends certification records a certificate")
		return
	}
	certificate := map[string]string{"certificate_number": c.CertificateNumber, "certificate_issued": c.CertificateIssued,
		"certificate_expiry": c.CertificateExpiry}
	for _, field := range []string{"certificate_number", "certificate_issued", "certificate_expiry"} {
		if certificate[field] == "" {
			p.Add(field, "is required with the rest of the certificate (number, issued and expiry)")
		}
	}
	if ok["certificate_issued"] && ok["certificate_expiry"] && c.CertificateIssued != "" && c.CertificateExpiry != "" &&
		c.CertificateExpiry <= c.CertificateIssued {
		p.Add("certificate_expiry", "must be after the issue date %s", c.CertificateIssued)
	}
}

// checkDay accepts an empty value or a date as YYYY-MM-DD, and says whether the value is usable.
func checkDay(p *Problems, field, v string) bool {
	if v == "" {
		return true
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		p.Add(field, "must be a date as YYYY-MM-DD")
		return false
	}
	return true
}

// The states of a step of the certification cycle.
const (
	StepDone       = "done"        // its audit is done
	StepPlanned    = "planned"     // its audit is planned
	StepNotPlanned = "not-planned" // due and no audit planned yet
	StepOverdue    = "overdue"     // its due date is past and no audit is done
)

// CycleStep is one audit of the certification cycle: what it is, by when it is due (after a certificate),
// the audit planned or done for it, and its state.
type CycleStep struct {
	Kind  string `json:"kind"`
	Label string `json:"label"` // "Surveillance audit (year 1)"
	Due   string `json:"due"`   // YYYY-MM-DD, "" before a certificate
	Audit string `json:"audit"` // CERT-001, "" when none is planned
	Date  string `json:"date"`  // the audit's planned start
	State string `json:"state"`
}

// CertificationCycle is where the organisation stands with certification: the certificate in force (or the
// last one, expired), and the audits of the cycle with what is done, planned, and due but not planned.
type CertificationCycle struct {
	Body        string              `json:"body"`        // the certification body of the latest audit not cancelled
	Certificate *CertificationAudit `json:"certificate"` // the audit that led to the certificate in force; nil without one
	Expired     *CertificationAudit `json:"expired"`     // the latest certificate, expired, when none is in force
	Steps       []CycleStep         `json:"steps"`
}

// Cycle works out the certification cycle from the audits on day today. The certificate in force is the one
// with the latest issue date among done audits whose certificate has not expired. From it: the surveillance
// audits are due 12 and 24 months after issue, the recertification by expiry; each is met by the audits of its
// kind that start after the issue date, in date order. Without a certificate the cycle is Stage 1 and Stage 2.
func Cycle(audits []CertificationAudit, today string) CertificationCycle {
	live := make([]CertificationAudit, 0, len(audits))
	for _, a := range audits {
		if a.Status != "cancelled" {
			live = append(live, a)
		}
	}
	slices.SortStableFunc(live, func(x, y CertificationAudit) int { return strings.Compare(x.PlannedStart, y.PlannedStart) })
	var out CertificationCycle
	var latest *CertificationAudit
	for i, a := range live {
		if a.Body != "" {
			out.Body = a.Body
		}
		if a.CertificateExpiry != "" && (latest == nil || a.CertificateIssued > latest.CertificateIssued) {
			latest = &live[i]
		}
	}
	if latest != nil && latest.CertificateExpiry >= today {
		out.Certificate = latest
	} else if latest != nil {
		out.Expired = latest
	}
	if out.Certificate == nil {
		// Stage 1 and Stage 2 of the first certification (or of certifying again after an expiry).
		after := ""
		if out.Expired != nil {
			after = out.Expired.CertificateExpiry
		}
		for _, kind := range []string{"stage-1", "stage-2"} {
			out.Steps = append(out.Steps, cycleStep(kind, KindWords(kind), "", pick(live, kind, after, 0), today))
		}
		return out
	}
	c := out.Certificate
	issued := c.CertificateIssued
	for year := 1; year <= 2; year++ {
		due := addMonths(issued, 12*year)
		out.Steps = append(out.Steps, cycleStep("surveillance", fmt.Sprintf("Surveillance audit (year %d)", year), due,
			pick(live, "surveillance", issued, year-1), today))
	}
	out.Steps = append(out.Steps, cycleStep("recertification", "Recertification audit", c.CertificateExpiry,
		pick(live, "recertification", issued, 0), today))
	return out
}

// pick is the n-th audit of kind starting after day after (nil when there is none); a done audit counts first.
func pick(live []CertificationAudit, kind, after string, n int) *CertificationAudit {
	var found []*CertificationAudit
	for i, a := range live {
		if a.Kind == kind && a.PlannedStart > after {
			found = append(found, &live[i])
		}
	}
	if kind == "stage-1" || kind == "stage-2" {
		// Before certification a repeated stage (a Stage 1 done again) is the same step: the latest done, else
		// the latest planned.
		var best *CertificationAudit
		for _, a := range found {
			if best == nil || a.Status == "done" || best.Status != "done" {
				best = a
			}
		}
		return best
	}
	if n < len(found) {
		return found[n]
	}
	return nil
}

// cycleStep is the step of a cycle for the audit met for it (nil: none), due by day due ("" when it has no
// due date).
func cycleStep(kind, label, due string, a *CertificationAudit, today string) CycleStep {
	st := CycleStep{Kind: kind, Label: label, Due: due, State: StepNotPlanned}
	if a != nil {
		st.Audit, st.Date, st.State = a.Ref, a.PlannedStart, a.Status
	}
	if st.State != StepDone && due != "" && due < today {
		st.State = StepOverdue
	}
	return st
}

// addMonths is day plus n months, YYYY-MM-DD ("" when day is not a date).
func addMonths(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, n, 0).Format(time.DateOnly)
}

// DaysBetween is the number of days from day a to day b (negative when b is before a; 0 when either is not a date).
func DaysBetween(a, b string) int {
	x, err1 := time.Parse(time.DateOnly, a)
	y, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(y.Sub(x).Hours() / 24)
}
