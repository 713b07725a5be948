package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Readiness and lint are one set of checks read from the data in one transaction: each check measures how far
// its part of the roadmap has come (readiness) and reports what an auditor would raise (lint). Nothing is
// ticked by hand; a finding can be acknowledged, never hidden.

// check is a group of rules worked out together, usually from one or two queries. Its rules are declared
// with it, so that the list of rules (praxis lint --rules) is complete without running anything.
type check struct {
	rules []isms.Rule
	run   func(c *checkRun) error
}

// checks are every group, one per line, in roadmap order.
var checks = []check{
	leadershipChecks,
	scopeChecks,
	riskChecks,
	soaChecks,
	implementationChecks,
	supportChecks,
	internalAuditChecks,
	reviewChecks,
	metricChecks,
	improvementChecks,
	certificationChecks,
}

// checkRun is one run of every check: what the checks read with, and what they found.
type checkRun struct {
	ctx      context.Context
	s        *Service
	tx       *store.Tx
	a        Actor
	today    string // YYYY-MM-DD
	rules    map[string]isms.Rule
	measures map[int][]isms.Measure // by roadmap step
	findings []isms.LintFinding
	err      error
}

// measure records one thing a step counts: done of total (a yes/no measure is 0 or 1 of 1; total 0 when it
// does not apply yet).
func (c *checkRun) measure(step int, label string, done, total int, link string) {
	c.measures[step] = append(c.measures[step], isms.Measure{Label: label, Done: done, Total: total, Link: link})
}

// yes is a yes/no measure.
func (c *checkRun) yes(step int, label string, ok bool, link string) {
	done := 0
	if ok {
		done = 1
	}
	c.measure(step, label, done, 1, link)
}

// find records a finding of a rule its check declared. ref is the record or clause it is about ("" takes the
// rule's own), count how many records it is about (0 or 1 when one), link where to fix it.
func (c *checkRun) find(rule, ref string, count int, link, format string, args ...any) {
	r, ok := c.rules[rule]
	if !ok {
		if c.err == nil {
			c.err = fmt.Errorf("lint: rule %q is not declared by any check", rule)
		}
		return
	}
	if ref == "" {
		ref = r.Ref
	}
	if count == 1 {
		count = 0
	}
	c.findings = append(c.findings, isms.LintFinding{Rule: r.ID, Severity: r.Severity, Ref: ref, Step: r.Step,
		Count: count, Link: link, Message: fmt.Sprintf(format, args...)})
}

// Rules lists every lint rule, in roadmap order.
func Rules() []isms.Rule {
	var out []isms.Rule
	for _, ch := range checks {
		out = append(out, ch.rules...)
	}
	slices.SortStableFunc(out, func(a, b isms.Rule) int { return a.Step - b.Step })
	return out
}

// runChecks runs every check over one read transaction, the acknowledgements applied to its findings.
func (s *Service) runChecks(ctx context.Context) (*checkRun, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (*checkRun, error) {
		c := &checkRun{ctx: ctx, s: s, tx: tx, a: a, today: s.Today(), rules: map[string]isms.Rule{}, measures: map[int][]isms.Measure{}}
		for _, ch := range checks {
			for _, r := range ch.rules {
				c.rules[r.ID] = r
			}
		}
		for _, ch := range checks {
			if err := ch.run(c); err != nil {
				return nil, err
			}
			if c.err != nil {
				return nil, c.err
			}
		}
		acks, err := tx.LintAcks(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		for i, f := range c.findings {
			for _, k := range acks {
				if k.Rule == f.Rule && k.Ref == f.Ref && k.ExpiresOn >= c.today {
					k := k
					c.findings[i].Acknowledged = &k
				}
			}
		}
		slices.SortStableFunc(c.findings, func(x, y isms.LintFinding) int {
			if d := x.Severity.Rank() - y.Severity.Rank(); d != 0 {
				return d
			}
			if d := x.Step - y.Step; d != 0 {
				return d
			}
			return strings.Compare(x.Rule+" "+x.Ref, y.Rule+" "+y.Ref)
		})
		return c, nil
	})
}

// Lint lists every finding an auditor would raise today, most serious first, and counts those not
// acknowledged by severity.
func (s *Service) Lint(ctx context.Context) (isms.LintReport, error) {
	c, err := s.runChecks(ctx)
	if err != nil {
		return isms.LintReport{}, err
	}
	return c.report(), nil
}

// Readiness is the roadmap as the data stands: each step's percentage is the mean of its measures that apply,
// its next actions are its findings not acknowledged; the overall percentage is the mean of the steps.
func (s *Service) Readiness(ctx context.Context) (isms.Readiness, error) {
	c, err := s.runChecks(ctx)
	if err != nil {
		return isms.Readiness{}, err
	}
	return c.readiness(), nil
}

// ReadinessAndLint is Readiness and Lint from one run of the checks, for a page that shows both.
func (s *Service) ReadinessAndLint(ctx context.Context) (isms.Readiness, isms.LintReport, error) {
	c, err := s.runChecks(ctx)
	if err != nil {
		return isms.Readiness{}, isms.LintReport{}, err
	}
	return c.readiness(), c.report(), nil
}

// report is the run's findings with the counts of those not acknowledged.
func (c *checkRun) report() isms.LintReport {
	r := isms.LintReport{Findings: c.findings, At: c.s.now()}
	if r.Findings == nil {
		r.Findings = []isms.LintFinding{}
	}
	for _, f := range c.findings {
		if f.Acknowledged != nil {
			continue
		}
		switch f.Severity {
		case isms.Major:
			r.Major++
		case isms.Minor:
			r.Minor++
		default:
			r.Info++
		}
	}
	return r
}

// readiness is the run's roadmap: each step's measures, percentage and open findings.
func (c *checkRun) readiness() isms.Readiness {
	out := isms.Readiness{At: c.s.now()}
	sum := 0
	for _, step := range isms.Roadmap {
		sr := isms.StepReadiness{RoadmapStep: step, Measures: c.measures[step.Number], Next: []isms.LintFinding{}}
		if sr.Measures == nil {
			sr.Measures = []isms.Measure{}
		}
		sr.Percent = meanPercent(sr.Measures)
		for _, f := range c.findings {
			if f.Step == step.Number && f.Acknowledged == nil {
				sr.Next = append(sr.Next, f)
			}
		}
		sum += sr.Percent
		out.Steps = append(out.Steps, sr)
	}
	out.Percent = sum / len(isms.Roadmap)
	return out
}

// meanPercent is the mean of the measures that apply (total above 0), rounded down; 0 when none applies.
func meanPercent(ms []isms.Measure) int {
	var sum float64
	n := 0
	for _, m := range ms {
		if m.Total > 0 {
			sum += float64(m.Done) / float64(m.Total)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return int(sum * 100 / float64(n))
}

// yearBefore is the day a year before day (YYYY-MM-DD), for "in the last twelve months".
func yearBefore(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(-1, 0, 0).Format(time.DateOnly)
}

// The wording of findings: one record is named (its ref, a link to it), many are counted (a link to the list).

// findCounted records a finding of rule about the n records a condition holds for (none: no finding): about
// one, named in ref, linked at base+ref and told by one (%s its reference); about many, counted, linked to the
// filtered list and told by many (%d their number).
func (c *checkRun) findCounted(rule string, n store.Counted, base, list, one, many string) {
	switch {
	case n.N == 1:
		c.find(rule, n.First, 0, base+n.First, one, n.First)
	case n.N > 1:
		c.find(rule, "", n.N, list, many, n.N)
	}
}

// oneRef is the ref of a finding about count records whose first is ref: that record when there is one, else ""
// for the rule's own.
func oneRef(count int, ref string) string {
	if count == 1 {
		return ref
	}
	return ""
}

// which names the subject of a finding: one for one record ("Objective OBJ-003 is"), the count and many for
// more ("3 objectives are").
func which(count int, one, many string) string {
	if count == 1 {
		return one
	}
	return fmt.Sprintf("%d %s", count, many)
}

// counted starts a sentence about n things: counted(1, "control is", "controls are") is "1 control is".
func counted(n int, one, more string) string { return which(n, "1 "+one, more) }

// its and them are the pronouns for one record or many.
func its(count int) string {
	if count == 1 {
		return "its"
	}
	return "their"
}

func them(count int) string {
	if count == 1 {
		return "it"
	}
	return "them"
}
