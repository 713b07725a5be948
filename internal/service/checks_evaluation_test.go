package service_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// plantedEvaluation are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedEvaluation = map[string]string{
	"corrective-overdue": "CA-002, the change approval fix, was found not effective and is past its due date",
	"metrics-late":       "M-004, leaver access, was last measured three months ago",
}

// stepSeven is roadmap step 7 as the lint and readiness see it: its findings by rule, its percentage and its
// measures by label.
type stepSeven struct {
	found    map[string]isms.LintFinding
	percent  int
	measures map[string]isms.Measure
}

func evaluationStep(t *testing.T, e *env, o testutil.Org) stepSeven {
	t.Helper()
	r, err := e.svc.Lint(o.Ctx("viewer"))
	ok(t, err)
	s := stepSeven{found: map[string]isms.LintFinding{}, measures: map[string]isms.Measure{}}
	for _, f := range r.Findings {
		if f.Step == 7 {
			s.found[f.Rule] = f
		}
	}
	rd, err := e.svc.Readiness(o.Ctx("viewer"))
	ok(t, err)
	s.percent = rd.Steps[6].Percent
	for _, m := range rd.Steps[6].Measures {
		s.measures[m.Label] = m
	}
	return s
}

// fires fails unless rule found a problem about ref (the rule's clause when about many) with count and a
// message saying want.
func (s stepSeven) fires(t *testing.T, rule, ref string, count int, want string) {
	t.Helper()
	f, found := s.found[rule]
	if !found {
		t.Fatalf("%s does not fire; step 7 finds %v", rule, slices.Sorted(maps.Keys(s.found)))
	}
	if f.Ref != ref || f.Count != count || !strings.Contains(f.Message, want) || f.Link == "" {
		t.Fatalf("%s: %+v, want ref %s, count %d and a message with %q", rule, f, ref, count, want)
	}
}

func (s stepSeven) quiet(t *testing.T, rules ...string) {
	t.Helper()
	for _, rule := range rules {
		if f, found := s.found[rule]; found {
			t.Fatalf("%s still fires: %s", rule, f.Message)
		}
	}
}

// measure fails unless the measure label counts done of total.
func (s stepSeven) measure(t *testing.T, label string, done, total int) {
	t.Helper()
	if m := s.measures[label]; m.Done != done || m.Total != total {
		t.Fatalf("measure %q: %d of %d, want %d of %d (measures %+v)", label, m.Done, m.Total, done, total, s.measures)
	}
}

// rises fails unless the step's percentage went up from before.
func (s stepSeven) rises(t *testing.T, before stepSeven) {
	t.Helper()
	if s.percent <= before.percent {
		t.Fatalf("step 7 at %d%%, was %d%%: it should rise as the problem is fixed", s.percent, before.percent)
	}
}

func day(e *env, days int) string { return e.clock.Now().AddDate(0, 0, days).Format(time.DateOnly) }

// Clause 9.2: the programme is required and must cover clauses 4 to 10 in its cycle; a planned audit that did
// not start is late; an audit must be completed every twelve months. Each finding goes when the user fixes it,
// and the step's percentage follows.
func TestEvaluationAuditChecks(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		auditor := o.Ctx("auditor")
		s := evaluationStep(t, e, o)
		s.fires(t, "audit-programme-missing", "9.2.2", 0, "no internal audit programme")
		s.fires(t, "internal-audit-none-recent", "9.2", 0, "No internal audit has been completed yet")
		s.measure(t, "Clauses covered by the audit programme", 0, 7)

		start := day(e, -30)
		_, err := e.svc.SetAuditProgramme(ctx, service.ProgrammeInput{CycleStart: start})
		ok(t, err)
		next := evaluationStep(t, e, o)
		next.quiet(t, "audit-programme-missing")
		next.fires(t, "audit-programme-clauses", "9.2.2", 7, "no audit of Clause 4, Clause 5, Clause 6, Clause 7, Clause 8, Clause 9, Clause 10")
		next.rises(t, s)

		s = next
		au, err := e.svc.AddAudit(ctx, service.AuditInput{Title: "The whole ISMS", Clauses: []string{"4", "5", "6", "7"}, PlannedStart: day(e, -2)})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.fires(t, "audit-programme-clauses", "9.2.2", 3, "no audit of Clause 8, Clause 9, Clause 10")
		next.fires(t, "internal-audit-late", au.Ref, 0, "Internal audit AU-001 was planned to start before today")
		next.measure(t, "Clauses covered by the audit programme", 4, 7)
		next.rises(t, s)

		s = next
		au, err = e.svc.PatchAudit(ctx, au.Ref, service.AuditInput{Clauses: []string{"4", "5", "6", "7", "8", "9", "10"}, Version: au.Version, Sent: service.SentOf("clauses")})
		ok(t, err)
		for _, cl := range au.Clauses {
			_, err := e.svc.SetAuditItem(auditor, au.Ref, cl, service.AuditItemInput{Result: "conforms"})
			ok(t, err)
		}
		au, err = e.svc.Audit(auditor, au.Ref)
		ok(t, err)
		_, err = e.svc.PatchAudit(auditor, au.Ref, service.AuditInput{Status: "completed", Conclusion: "Conforming and effective", Version: au.Version,
			Sent: service.SentOf("status", "conclusion")})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.quiet(t, "audit-programme-clauses", "internal-audit-late", "internal-audit-none-recent", "audit-programme-missing")
		next.measure(t, "Clauses covered by the audit programme", 7, 7)
		next.measure(t, "Internal audit completed in the last 12 months", 1, 1)
		next.rises(t, s)

		// A year and a day later the audit no longer counts; three years on, the cycle has ended.
		e.clock.Advance(366 * 24 * time.Hour)
		s = evaluationStep(t, e, o)
		s.fires(t, "internal-audit-none-recent", "9.2", 0, "The last internal audit was completed on "+au.ActualEnd)
		s.quiet(t, "audit-programme-ended")
		e.clock.Advance(2 * 365 * 24 * time.Hour)
		s = evaluationStep(t, e, o)
		s.fires(t, "audit-programme-ended", "9.2.2", 0, "The audit programme's cycle from "+start+" ended on")
		s.quiet(t, "audit-programme-clauses")
		_, err = e.svc.SetAuditProgramme(ctx, service.ProgrammeInput{CycleStart: day(e, 0), Version: 1})
		ok(t, err)
		s = evaluationStep(t, e, o)
		s.quiet(t, "audit-programme-ended")
		s.fires(t, "audit-programme-clauses", "9.2.2", 7, "no audit of Clause 4")
	})
}

// Clause 9.3: a review held in the last twelve months, every input considered, the next one planned, its actions
// on time.
func TestEvaluationReviewChecks(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		s := evaluationStep(t, e, o)
		s.fires(t, "management-review-none-recent", "9.3", 0, "No management review has been held yet")
		s.fires(t, "management-review-not-planned", "9.3.1", 0, "No management review is planned for a day to come")
		s.quiet(t, "management-review-inputs", "review-actions-overdue")
		s.measure(t, "Management review held in the last 12 months", 0, 1)

		// The first review: nothing in the registers, notes against some inputs only.
		r, err := e.svc.AddReview(ctx, service.ReviewInput{Title: "Review 1", PlannedOn: day(e, 0)})
		ok(t, err)
		r, err = e.svc.HoldReview(ctx, r.Ref, "", r.Version)
		ok(t, err)
		r, err = e.svc.PatchReview(ctx, r.Ref, service.ReviewInput{Version: r.Version, Sent: service.SentOf("input_notes"),
			InputNotes: map[string]string{isms.InputFeedback: "Customers asked for our certificate", isms.InputContext: "Nothing changed"}})
		ok(t, err)
		next := evaluationStep(t, e, o)
		next.quiet(t, "management-review-none-recent")
		next.fires(t, "management-review-inputs", "MR-001", 0, "records nothing on c) what changed in the needs of interested parties; d) nonconformities")
		if f := next.found["management-review-inputs"]; strings.Contains(f.Message, "a) ") || strings.Contains(f.Message, "b) ") || strings.Contains(f.Message, "e) ") {
			t.Fatalf("the first review has no earlier actions, and context and feedback are noted: %s", f.Message)
		}
		next.measure(t, "Management review inputs covered", 2, 9)
		next.rises(t, s)

		s = next
		notes := map[string]string{}
		for _, key := range isms.ReviewSectionKeys {
			notes[key] = "Considered"
		}
		_, err = e.svc.PatchReview(ctx, r.Ref, service.ReviewInput{Version: r.Version, Sent: service.SentOf("input_notes"), InputNotes: notes})
		ok(t, err)
		ra, err := e.svc.AddReviewAction(ctx, service.ReviewActionInput{Review: r.Ref, Kind: "resource", Decision: "Hire", Due: day(e, -1)})
		ok(t, err)
		_, err = e.svc.AddReview(ctx, service.ReviewInput{Title: "Review 2", PlannedOn: day(e, 180)})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.quiet(t, "management-review-inputs", "management-review-not-planned")
		next.fires(t, "review-actions-overdue", ra.Ref, 0, "Review action RA-001 is overdue")
		next.measure(t, "Management review actions on time", 0, 1)

		_, err = e.svc.PatchReviewAction(ctx, ra.Ref, service.ReviewActionInput{Status: "done", Version: ra.Version, Sent: service.SentOf("status")})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.quiet(t, "review-actions-overdue")
		next.measure(t, "Management review inputs covered", 9, 9)
		next.rises(t, s)

		e.clock.Advance(366 * 24 * time.Hour)
		evaluationStep(t, e, o).fires(t, "management-review-none-recent", "9.3", 0, "The last management review, MR-001, was held on "+r.HeldOn)
	})
}

// Clause 9.1: metrics exist, have owners and are measured on time.
func TestEvaluationMetricChecks(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		s := evaluationStep(t, e, o)
		s.fires(t, "metrics-missing", "9.1", 0, "No metric measures")
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Mia Owner", Email: "mia@acme.example"})
		ok(t, err)
		m1, err := e.svc.AddMetric(ctx, service.MetricInput{Title: "Patch compliance", Target: "95", Frequency: "monthly"})
		ok(t, err)
		m2, err := e.svc.AddMetric(ctx, service.MetricInput{Title: "Phishing clicks", Target: "4", Direction: "at-most", Frequency: "monthly"})
		ok(t, err)
		next := evaluationStep(t, e, o)
		next.quiet(t, "metrics-missing", "metrics-late")
		next.fires(t, "metrics-no-owner", "9.1", 2, "2 metrics have no owner")
		next.measure(t, "Metrics with an owner", 0, 2)
		next.rises(t, s)

		s = next
		_, err = e.svc.PatchMetric(ctx, m1.Ref, service.MetricInput{Owner: "mia@acme.example", Version: m1.Version, Sent: service.SentOf("owner")})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.fires(t, "metrics-no-owner", m2.Ref, 0, "Metric M-002 has no owner")
		next.rises(t, s)

		// Two months on, neither was measured: both are late; measuring one leaves the other.
		e.clock.Advance(60 * 24 * time.Hour)
		s = evaluationStep(t, e, o)
		s.fires(t, "metrics-late", "9.1", 2, "2 metrics are late")
		s.measure(t, "Metrics measured on time", 0, 2)
		_, err = e.svc.RecordMeasurement(ctx, m1.Ref, service.MeasurementInput{Value: "96"})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.fires(t, "metrics-late", m2.Ref, 0, "Metric M-002 is late")
		next.measure(t, "Metrics measured on time", 1, 2)
		next.rises(t, s)
	})
}

// Clause 10.2: nonconformities from any source (a certification audit's too) get corrective actions, done on
// time and checked effective; a major one open, or one closed without an effective check, is major.
func TestEvaluationImprovementChecks(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		auditor := o.Ctx("auditor")
		s := evaluationStep(t, e, o)
		s.quiet(t, "nonconformity-major-open", "nonconformity-closed-unchecked", "nonconformity-no-corrective", "corrective-overdue")
		s.measure(t, "Corrective actions on time", 0, 0)

		major, err := e.svc.AddFinding(auditor, service.FindingInput{Title: "No access reviews", Grade: "major-nc", Source: "certification-audit", Control: "5.18"})
		ok(t, err)
		minor, err := e.svc.AddFinding(auditor, service.FindingInput{Title: "Visitor log gaps", Grade: "minor-nc", Control: "7.2"})
		ok(t, err)
		_, err = e.svc.AddFinding(auditor, service.FindingInput{Title: "Tidy desks", Grade: "observation", Clause: "7.3"})
		ok(t, err)
		next := evaluationStep(t, e, o)
		next.fires(t, "nonconformity-major-open", major.Ref, 0, "Major nonconformity F-001 is open")
		next.fires(t, "nonconformity-no-corrective", "10.2", 2, "2 open nonconformities have no corrective action")
		next.measure(t, "Open nonconformities with a corrective action", 0, 2)

		s = next
		ca, err := e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: major.Ref, Title: "Quarterly access reviews", Due: day(e, 10)})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.fires(t, "nonconformity-no-corrective", minor.Ref, 0, "Nonconformity F-002 has no corrective action")
		next.quiet(t, "corrective-overdue")
		next.rises(t, s)

		// Closed by hand without a corrective action: no check was ever made.
		minor, err = e.svc.PatchFinding(ctx, minor.Ref, service.FindingInput{Status: "closed", Version: minor.Version, Sent: service.SentOf("status")})
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.quiet(t, "nonconformity-no-corrective")
		next.fires(t, "nonconformity-closed-unchecked", minor.Ref, 0, "Nonconformity F-002 was closed without a corrective action found effective")
		next.measure(t, "Closed nonconformities checked effective", 0, 1)

		e.clock.Advance(11 * 24 * time.Hour)
		s = evaluationStep(t, e, o)
		s.fires(t, "corrective-overdue", ca.Ref, 0, "Corrective action CA-001 is overdue")
		s.measure(t, "Corrective actions on time", 0, 1)

		// Done, checked effective and closed: the major nonconformity closes with it.
		ca, err = e.svc.PatchCorrective(ctx, ca.Ref, service.CorrectiveInput{Status: "done", Version: ca.Version, Sent: service.SentOf("status")})
		ok(t, err)
		ca, err = e.svc.VerifyCorrective(auditor, ca.Ref, service.CheckInput{Result: "effective", Notes: "Reviews held", Version: ca.Version})
		ok(t, err)
		_, err = e.svc.CloseCorrective(ctx, ca.Ref, ca.Version)
		ok(t, err)
		ca2, err := e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: minor.Ref, Title: "Staffed reception"})
		ok(t, err)
		ca2, err = e.svc.PatchCorrective(ctx, ca2.Ref, service.CorrectiveInput{Status: "done", Version: ca2.Version, Sent: service.SentOf("status")})
		ok(t, err)
		ca2, err = e.svc.VerifyCorrective(auditor, ca2.Ref, service.CheckInput{Result: "effective", Notes: "Log complete", Version: ca2.Version})
		ok(t, err)
		_, err = e.svc.CloseCorrective(ctx, ca2.Ref, ca2.Version)
		ok(t, err)
		next = evaluationStep(t, e, o)
		next.quiet(t, "nonconformity-major-open", "nonconformity-closed-unchecked", "corrective-overdue", "nonconformity-no-corrective")
		next.measure(t, "Closed nonconformities checked effective", 2, 2)
		next.rises(t, s)
	})
}

// Step 7's checks read aggregates: more audits, reviews, metrics, nonconformities and corrective actions do not
// make the lint run more statements.
func TestEvaluationChecksDoNotQueryPerRow(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		add := func(n int) {
			for range n {
				_, err := e.svc.AddAudit(ctx, service.AuditInput{Title: "Audit", Clauses: []string{"9"}, PlannedStart: day(e, -1)})
				ok(t, err)
				r, err := e.svc.AddReview(ctx, service.ReviewInput{Title: "Review"})
				ok(t, err)
				r, err = e.svc.HoldReview(ctx, r.Ref, "", r.Version)
				ok(t, err)
				_, err = e.svc.AddReviewAction(ctx, service.ReviewActionInput{Review: r.Ref, Kind: "change", Decision: "Change", Due: day(e, -1)})
				ok(t, err)
				_, err = e.svc.AddMetric(ctx, service.MetricInput{Title: "Metric", Target: "1"})
				ok(t, err)
				nc, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "Gap", Grade: "major-nc", Clause: "8.1"})
				ok(t, err)
				_, err = e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: nc.Ref, Title: "Fix", Due: day(e, -1)})
				ok(t, err)
				_, err = e.svc.AddFinding(ctx, service.FindingInput{Title: "Other gap", Grade: "minor-nc", Clause: "8.1"})
				ok(t, err)
			}
		}
		count := func() int64 {
			before := e.svc.Store().Statements()
			_, err := e.svc.Lint(o.Ctx("viewer"))
			ok(t, err)
			return e.svc.Store().Statements() - before
		}
		add(1)
		n := count()
		add(4)
		if m := count(); m != n {
			t.Fatalf("the lint ran %d statements with one of each record and %d with five", n, m)
		}
		s := evaluationStep(t, e, o)
		s.fires(t, "internal-audit-late", "9.2", 5, "5 internal audits")
		s.fires(t, "corrective-overdue", "10.2", 5, "5 corrective actions are overdue")
		s.fires(t, "review-actions-overdue", "9.3.3", 5, "5 actions decided by management reviews are overdue")
	})
}

// The lint counts overdue review actions by isms.ReviewAction.Overdue, the rule the review's page marks them by.
func TestReviewActionsOverdueFollowsTheRule(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		r, err := e.svc.AddReview(ctx, service.ReviewInput{Title: "Review"})
		ok(t, err)
		want := 0
		for _, status := range isms.ReviewActionStatuses {
			for _, due := range []string{"", day(e, -1), day(e, 0), day(e, 1)} {
				_, err := e.svc.AddReviewAction(ctx, service.ReviewActionInput{Review: r.Ref, Kind: "change", Decision: status + " " + due, Due: due, Status: status})
				ok(t, err)
				if (isms.ReviewAction{Due: due, Status: status}).Overdue(e.svc.Today()) {
					want++
				}
			}
		}
		s := evaluationStep(t, e, o)
		s.fires(t, "review-actions-overdue", "9.3.3", want, "are overdue")
		s.measure(t, "Management review actions on time", 8-want, 8)
	})
}
