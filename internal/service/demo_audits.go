package service

import (
	"context"
	"fmt"
	"time"
)

// Northwind's internal audit programme (9.2): the certification cycle began about fourteen months ago; a year-one
// audit of the core clauses and a recent audit of secure development are completed (the latter with a finding of
// each grade), an access audit is under way, and audits of the remaining clauses and controls are planned into
// years two and three. Tom Becker (Finance) audits; the CISO plans.

// demoAudit is one audit of the sample: its plan, when it ran (days before today; 0: not yet), the results of
// its items and the findings raised from them.
type demoAudit struct {
	in       AuditInput
	planned  int // days from today (negative: in the past)
	started  int // days ago; 0: not started
	ended    int // days ago; 0: not completed
	results  []demoResult
	findings []demoRaise
}

type demoResult struct{ item, result, evidence, notes string }

type demoRaise struct {
	item string
	in   FindingInput
}

var demoAudits = []demoAudit{
	{in: AuditInput{Title: "Context, leadership and planning", Area: "Leadership", Lead: "tom@northwind.example",
		Scope: "The ISMS as a whole: context, interested parties, scope, policy, roles, risk assessment and treatment.", Criteria: "ISO/IEC 27001:2022 clauses 4 to 6; the information security policy",
		Clauses: []string{"4", "5", "6"}, Conclusion: "The ISMS framework is in place and understood by the leadership team. Risk criteria are approved and applied consistently."},
		planned: -400, started: 398, ended: 397, results: []demoResult{
			{"4", "conforms", "Context analysis and interested parties register, reviewed at the kick-off", ""},
			{"5", "conforms", "Signed policy; roles register with named holders", ""},
			{"6", "conforms", "Risk method, register and SoA approved by the CEO", ""}}},
	{in: AuditInput{Title: "Secure development and change management", Area: "Engineering", Lead: "tom@northwind.example", Team: []string{"hannah@northwind.example"},
		Scope:    "The product engineering process from ticket to production: code review, CI checks, change approval and configuration of production.",
		Criteria: "ISO/IEC 27001:2022 clause 8.1 and controls 8.9, 8.25, 8.28 and 8.32; the secure development policy",
		Clauses:  []string{"8.1"}, Controls: []string{"8.9", "8.25", "8.28", "8.32"},
		Conclusion: "Secure development is largely effective: CI checks run on every change and the policy is known. Two nonconformities need corrective action: hotfixes bypass review and production changes lack recorded approval."},
		planned: -62, started: 60, ended: 58, results: []demoResult{
			{"clause 8.1", "conforms", "Release checklist and deployment runbook followed for the last five releases", "Planning of changes could say more about security testing"},
			{"8.25", "conforms", "Secure development policy v2 and the engineering onboarding checklist", ""},
			{"8.28", "nonconformity", "Four hotfix merges in March without a second reviewer; branch protection is off on hotfix branches", ""},
			{"8.32", "nonconformity", "Two of ten sampled production changes have no approval recorded in the change log", ""},
			{"8.9", "observation", "The configuration baseline document was last updated 14 months ago", "Actual configuration matches it for the sampled servers"}},
		findings: []demoRaise{
			{"8.28", FindingInput{Title: "Hotfixes are merged without code review", Grade: "major-nc",
				Description: "The secure coding rules require a second reviewer on every change; hotfix branches have no branch protection, so urgent fixes reach production unreviewed."}},
			{"8.32", FindingInput{Title: "Production changes without recorded approval", Grade: "minor-nc",
				Description: "The change procedure requires approval before deployment; two sampled changes were deployed without it."}},
			{"8.9", FindingInput{Title: "Configuration baseline out of date", Grade: "observation"}},
			{"clause 8.1", FindingInput{Title: "Add security test results to the release checklist", Grade: "ofi",
				Description: "Recording the results of security tests with each release would make the planning of changes easier to evidence."}}}},
	{in: AuditInput{Title: "Access control and identity", Area: "IT", Lead: "tom@northwind.example", Team: []string{"carlos@northwind.example"},
		Scope: "Joiners, movers and leavers; access to the SaaS tools and production; privileged accounts.", Criteria: "ISO/IEC 27001:2022 controls 5.15 to 5.18, 8.2 and 8.5; the access control policy",
		Clauses: []string{"7.2"}, Controls: []string{"5.15", "5.16", "5.18", "8.2", "8.5"}},
		planned: -4, started: 3, results: []demoResult{
			{"5.15", "conforms", "Access control policy v1, approved; roles mapped to groups in the identity provider", ""},
			{"5.16", "conforms", "Leaver tickets for the last three leavers closed within a day", ""}}},
	{in: AuditInput{Title: "Performance evaluation and improvement", Area: "Security", Lead: "tom@northwind.example",
		Scope: "Monitoring and measurement, internal audit, management review and corrective action.", Criteria: "ISO/IEC 27001:2022 clauses 7, 9 and 10",
		Clauses: []string{"7", "9", "10"}}, planned: 45},
	{in: AuditInput{Title: "Physical security and people controls", Area: "Operations", Lead: "tom@northwind.example",
		Scope: "The office, visitors and equipment; screening, awareness and disciplinary process.", Criteria: "ISO/IEC 27001:2022 Annex A themes 6 and 7",
		Clauses: []string{"4", "5", "6", "8"}, Controls: []string{"6.1", "6.3", "7.1", "7.2", "7.4"}}, planned: 420},
}

// demoAuditProgramme writes the programme and the audits, after everything else (a day ago, so the trail moves on).
func (s *Service) demoAuditProgramme(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	tom := WithActor(ctx, members["tom@northwind.example"])
	clock.hoursAgo(demoAuditsHours)
	start := clock.today.AddDate(0, -14, 0)
	if _, err := s.SetAuditProgramme(ciso, ProgrammeInput{CycleStart: time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		Notes: "Every clause and applicable control is audited at least once per cycle; secure development and access control every year."}); err != nil {
		return fmt.Errorf("demo audit programme: %w", err)
	}
	for _, d := range demoAudits {
		fail := func(err error) error { return fmt.Errorf("demo audit %s: %w", d.in.Title, err) }
		clock.minutes(5)
		in := d.in
		in.PlannedStart = relativeDay(clock.today, fmt.Sprint(d.planned))
		in.PlannedEnd = in.PlannedStart
		conclusion := in.Conclusion
		in.Conclusion = ""
		au, err := s.AddAudit(ciso, in)
		if err != nil {
			return fail(err)
		}
		for _, r := range d.results {
			clock.minutes(3)
			if _, err := s.SetAuditItem(tom, au.Ref, r.item, AuditItemInput{Result: r.result, EvidenceSeen: r.evidence, Notes: r.notes}); err != nil {
				return fail(err)
			}
		}
		for _, f := range d.findings {
			clock.minutes(2)
			in := f.in
			in.RaisedOn = relativeDay(clock.today, fmt.Sprint(-d.ended))
			if _, err := s.RaiseFinding(tom, au.Ref, f.item, in); err != nil {
				return fail(err)
			}
		}
		if d.started == 0 {
			continue
		}
		au, err = s.Audit(tom, au.Ref)
		if err != nil {
			return fail(err)
		}
		patch := AuditInput{ActualStart: relativeDay(clock.today, fmt.Sprint(-d.started)), Version: au.Version, Sent: SentOf("actual_start")}
		if d.ended > 0 {
			patch.Status, patch.ActualEnd, patch.Conclusion = "completed", relativeDay(clock.today, fmt.Sprint(-d.ended)), conclusion
			patch.Sent = SentOf("actual_start", "status", "actual_end", "conclusion")
		}
		clock.minutes(10)
		if _, err := s.PatchAudit(tom, au.Ref, patch); err != nil {
			return fail(err)
		}
	}
	return nil
}
