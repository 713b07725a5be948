package service

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Roadmap step 7, clauses 9 and 10: the internal audit programme and its audits, the management review with its
// inputs and decisions, the metrics, and nonconformities with their corrective actions. Each group reads one or
// two aggregate queries (store/checks_evaluation.go), whatever the size of the registers.

const evaluationStep = 7

// Clause 9.2: a programme over the certification cycle that covers every clause, and audits done on time.
var internalAuditChecks = check{
	rules: []isms.Rule{
		{ID: "audit-programme-missing", Step: evaluationStep, Severity: isms.Major, Ref: "9.2.2", Title: "No internal audit programme"},
		{ID: "audit-programme-ended", Step: evaluationStep, Severity: isms.Minor, Ref: "9.2.2", Title: "Audit programme's cycle has ended"},
		{ID: "audit-programme-clauses", Step: evaluationStep, Severity: isms.Minor, Ref: "9.2.2", Title: "Audit programme misses clauses of the cycle"},
		{ID: "internal-audit-none-recent", Step: evaluationStep, Severity: isms.Major, Ref: "9.2", Title: "No internal audit completed in the last twelve months"},
		{ID: "internal-audit-late", Step: evaluationStep, Severity: isms.Minor, Ref: "9.2", Title: "Planned internal audits not started on time"},
	},
	run: func(c *checkRun) error {
		p, err := c.s.programme(c.ctx, c.tx, c.a)
		if err != nil {
			return err
		}
		f, err := c.tx.EvaluationAudits(c.ctx, c.a.OrgID, c.today, yearBefore(c.today))
		if err != nil {
			return err
		}
		planned := p.Programme.CycleStart != ""
		c.yes(evaluationStep, "Internal audit programme in place", planned, "/audits/programme")
		clauses := 0
		for _, cl := range c.s.cat.Clauses() {
			if cl.Level == 1 {
				clauses++
			}
		}
		var missing []string
		controls, controlsCovered := 0, 0
		for _, r := range p.Coverage.Rows {
			switch {
			case r.Kind == "clause" && r.Missed:
				missing = append(missing, r.Label())
			case r.Kind == "control":
				controls++
				if !r.Missed {
					controlsCovered++
				}
			}
		}
		covered := 0
		if planned {
			covered = clauses - len(missing)
		}
		c.measure(evaluationStep, "Clauses covered by the audit programme", covered, clauses, "/audits/programme")
		c.measure(evaluationStep, "Applicable controls covered by the audit programme", controlsCovered, controls, "/audits/programme")
		c.yes(evaluationStep, "Internal audit completed in the last 12 months", f.CompletedSince.N > 0, "/audits?status=completed")

		years := p.Coverage.Years
		switch {
		case !planned:
			c.find("audit-programme-missing", "", 0, "/audits/programme",
				"There is no internal audit programme: set the start of the certification cycle and plan audits that cover every clause over it.")
		case len(years) > 0 && years[len(years)-1].To < c.today:
			c.find("audit-programme-ended", "", 0, "/audits/programme",
				"The audit programme's cycle from %s ended on %s: set the start of the next cycle and plan its audits.",
				p.Programme.CycleStart, years[len(years)-1].To)
		case len(missing) > 0:
			c.find("audit-programme-clauses", "", len(missing), "/audits/programme",
				"The audit programme's cycle from %s has no audit of %s: plan audits that cover them within the cycle.",
				p.Programme.CycleStart, strings.Join(missing, ", "))
		}
		if f.CompletedSince.N == 0 {
			last := "No internal audit has been completed yet"
			if f.LastCompleted != "" {
				last = "The last internal audit was completed on " + f.LastCompleted
			}
			c.find("internal-audit-none-recent", "", 0, "/audits",
				"%s: complete an internal audit at least once a year, with its checklist and conclusion.", last)
		}
		c.findCounted("internal-audit-late", f.Late, "/audits/", "/audits?status=planned",
			"Internal audit %s was planned to start before today and has not started: start it or plan it again.",
			"%d internal audits were planned to start before today and have not started: start them or plan them again.")
		return nil
	},
}

// reviewInputLetters are the items of 9.3.2 each input section answers (d is four of them).
var reviewInputLetters = map[string]string{
	isms.InputPreviousActions: "a", isms.InputContext: "b", isms.InputParties: "c", isms.InputNonconformities: "d",
	isms.InputMonitoring: "d", isms.InputAudits: "d", isms.InputObjectives: "d", isms.InputFeedback: "e",
	isms.InputRisks: "f", isms.InputImprovement: "g",
}

// reviewInputsCovered counts the inputs a held review considered: an input is covered when its frozen section
// has items or the minutes have a note against it. Where earlier reviews' actions stand does not apply to the
// first review. missing names the inputs not covered, with their letter of 9.3.2.
func reviewInputsCovered(r isms.Review) (covered, total int, missing []string) {
	in := derefInputs(r.Inputs)
	for _, key := range isms.ReviewSectionKeys {
		if key == isms.InputPreviousActions && r.Inputs != nil && in.Since == "" {
			continue
		}
		total++
		if len(in.Section(key).Items) > 0 || strings.TrimSpace(r.InputNotes[key]) != "" {
			covered++
			continue
		}
		title := isms.ReviewSectionTitles[key]
		first, size := utf8.DecodeRuneInString(title)
		missing = append(missing, reviewInputLetters[key]+") "+string(unicode.ToLower(first))+title[size:])
	}
	return covered, total, missing
}

// Clause 9.3: a management review at least once a year that considers every input, the next one planned, and
// its decisions carried out on time.
var reviewChecks = check{
	rules: []isms.Rule{
		{ID: "management-review-none-recent", Step: evaluationStep, Severity: isms.Major, Ref: "9.3", Title: "No management review in the last twelve months"},
		{ID: "management-review-inputs", Step: evaluationStep, Severity: isms.Minor, Ref: "9.3.2", Title: "Latest management review misses inputs"},
		{ID: "management-review-not-planned", Step: evaluationStep, Severity: isms.Info, Ref: "9.3.1", Title: "No management review planned"},
		{ID: "review-actions-overdue", Step: evaluationStep, Severity: isms.Minor, Ref: "9.3.3", Title: "Management review actions overdue"},
	},
	run: func(c *checkRun) error {
		f, err := c.tx.EvaluationReviews(c.ctx, c.a.OrgID, c.today)
		if err != nil {
			return err
		}
		recent := f.Latest != nil && f.Latest.HeldOn > yearBefore(c.today)
		c.yes(evaluationStep, "Management review held in the last 12 months", recent, "/reviews")
		covered, total := 0, 0
		if f.Latest != nil {
			var missing []string
			covered, total, missing = reviewInputsCovered(*f.Latest)
			if len(missing) > 0 {
				c.find("management-review-inputs", f.Latest.Ref, 0, "/reviews/"+f.Latest.Ref,
					"%s, the latest management review (held %s), records nothing on %s: note against each what the review considered.",
					f.Latest.Ref, f.Latest.HeldOn, strings.Join(missing, "; "))
			}
		}
		c.measure(evaluationStep, "Management review inputs covered", covered, total, "/reviews")
		c.measure(evaluationStep, "Management review actions on time", f.Open-f.Overdue.N, f.Open, "/reviews")
		if !recent {
			last := "No management review has been held yet"
			if f.Latest != nil {
				last = "The last management review, " + f.Latest.Ref + ", was held on " + f.Latest.HeldOn
			}
			c.find("management-review-none-recent", "", 0, "/reviews",
				"%s: top management must review the ISMS at planned intervals, at least once a year; plan one and hold it.", last)
		}
		if f.Upcoming == 0 {
			c.find("management-review-not-planned", "", 0, "/reviews",
				"No management review is planned for a day to come: plan the next one with its date, so that top management reviews the ISMS at planned intervals.")
		}
		// Review actions are listed on the page of the review that decided them.
		list := "/reviews"
		if f.OverdueReview != "" {
			list = "/reviews/" + f.OverdueReview
		}
		c.findCounted("review-actions-overdue", f.Overdue, list+"#", list,
			"Review action %s is overdue: carry it out or agree a new date.",
			"%d actions decided by management reviews are overdue: carry them out or agree new dates.")
		return nil
	},
}

// Clause 9.1: the ISMS's performance is measured, by someone, as often as planned.
var metricChecks = check{
	rules: []isms.Rule{
		{ID: "metrics-missing", Step: evaluationStep, Severity: isms.Major, Ref: "9.1", Title: "No metrics"},
		{ID: "metrics-late", Step: evaluationStep, Severity: isms.Minor, Ref: "9.1", Title: "Metrics not measured on time"},
		{ID: "metrics-no-owner", Step: evaluationStep, Severity: isms.Minor, Ref: "9.1", Title: "Metrics without an owner"},
	},
	run: func(c *checkRun) error {
		f, err := c.tx.EvaluationMetrics(c.ctx, c.a.OrgID, c.today)
		if err != nil {
			return err
		}
		c.yes(evaluationStep, "Metrics of the ISMS's performance defined", f.All > 0, "/metrics")
		c.measure(evaluationStep, "Metrics measured on time", f.All-f.Late.N, f.All, "/metrics?late=yes")
		c.measure(evaluationStep, "Metrics with an owner", f.All-f.NoOwner.N, f.All, "/metrics")
		if f.All == 0 {
			c.find("metrics-missing", "", 0, "/metrics",
				"No metric measures the ISMS's performance: define what is measured, how, how often and by whom, with a target.")
		}
		c.findCounted("metrics-late", f.Late, "/metrics/", "/metrics?late=yes",
			"Metric %s is late for its next measurement: record it, or change its frequency.",
			"%d metrics are late for their next measurement: record them, or change their frequency.")
		c.findCounted("metrics-no-owner", f.NoOwner, "/metrics/", "/metrics",
			"Metric %s has no owner: name who measures it.", "%d metrics have no owner: name who measures each.")
		return nil
	},
}

// Clause 10.2: every nonconformity, whatever raised it (certification audits too), gets a corrective action that
// is done on time and checked effective before the nonconformity closes.
var improvementChecks = check{
	rules: []isms.Rule{
		{ID: "nonconformity-major-open", Step: evaluationStep, Severity: isms.Major, Ref: "10.2", Title: "Major nonconformity open"},
		{ID: "nonconformity-closed-unchecked", Step: evaluationStep, Severity: isms.Major, Ref: "10.2", Title: "Nonconformity closed without an effectiveness check"},
		{ID: "nonconformity-no-corrective", Step: evaluationStep, Severity: isms.Minor, Ref: "10.2", Title: "Open nonconformity without a corrective action"},
		{ID: "corrective-overdue", Step: evaluationStep, Severity: isms.Minor, Ref: "10.2", Title: "Corrective actions overdue"},
	},
	run: func(c *checkRun) error {
		f, err := c.tx.EvaluationImprovement(c.ctx, c.a.OrgID, c.today)
		if err != nil {
			return err
		}
		c.measure(evaluationStep, "Open nonconformities with a corrective action", f.OpenNC-f.NoCorrective.N, f.OpenNC, "/findings?status=open")
		c.measure(evaluationStep, "Corrective actions on time", f.Corrective-f.Overdue.N, f.Corrective, "/corrective?open=yes")
		c.measure(evaluationStep, "Closed nonconformities checked effective", f.ClosedNC-f.Unchecked.N, f.ClosedNC, "/findings?status=closed")
		c.findCounted("nonconformity-major-open", f.MajorOpen, "/findings/", "/findings?grade=major-nc&status=open",
			"Major nonconformity %s is open: correct it and carry out its corrective action before the certification audit.",
			"%d major nonconformities are open: correct them and carry out their corrective actions before the certification audit.")
		c.findCounted("nonconformity-closed-unchecked", f.Unchecked, "/findings/", "/findings?status=closed",
			"Nonconformity %s was closed without a corrective action found effective: reopen it, or record its corrective action and the check.",
			"%d nonconformities were closed without a corrective action found effective: reopen them, or record their corrective actions and checks.")
		c.findCounted("nonconformity-no-corrective", f.NoCorrective, "/findings/", "/findings?status=open",
			"Nonconformity %s has no corrective action: find its cause and record what removes it.",
			"%d open nonconformities have no corrective action: find their causes and record what removes them.")
		c.findCounted("corrective-overdue", f.Overdue, "/corrective/", "/corrective?overdue=yes",
			"Corrective action %s is overdue: finish it, or agree a new due date.",
			"%d corrective actions are overdue: finish them, or agree new due dates.")
		return nil
	},
}
