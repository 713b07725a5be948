package service

import (
	"context"
	"fmt"

	"github.com/praxis-isms/praxis/internal/isms"
)

// demoCorrective are Northwind's corrective actions on the nonconformities of the secure development audit
// (finding: which of its nonconformities, by grade): one closed after an effective check, one found not
// effective and now overdue, one in progress. Due is in days from today.
var demoCorrective = []struct {
	grade string
	in    CorrectiveInput
	// done: the owner marked it done; check: the auditor's check then ("" none); close: closed after it.
	done  bool
	check string
	notes string
	close bool
}{
	{"major-nc", CorrectiveInput{Title: "Protect hotfix branches like the main branch", Owner: "sofia@northwind.example", Due: "-20",
		Correction: "The four hotfixes merged without review were reviewed after the fact; no defect was found.",
		RootCause:  "Branch protection was set per branch name, and hotfix branches did not match the pattern.",
		Action:     "Protect every branch that deploys to production by default and require one approving review, hotfixes included."},
		true, "effective", "Sampled the last twelve hotfix merges: each has an approving review, and an unreviewed push is refused.", true},
	{"minor-nc", CorrectiveInput{Title: "Record change approvals in the deployment tool", Owner: "jonas@northwind.example", Due: "-5",
		Correction: "The two changes without approval were approved retrospectively by the engineering lead.",
		RootCause:  "Approval lived in chat threads; the change log had no field for it.",
		Action:     "Make the deployment pipeline ask for a named approver before a production deployment."},
		true, "not-effective", "Two deployments last week went out through the manual fallback without an approver.", false},
	{"minor-nc", CorrectiveInput{Title: "Monthly sample of production changes", Owner: "daniel@northwind.example", Due: "+30", Status: "in-progress",
		Action: "Each month the CISO samples ten production changes and checks their approval, until three clean months in a row."},
		false, "", "", false},
}

// demoReviewActions are the decisions of the first management review; due is in days from today.
var demoReviewActions = []ReviewActionInput{
	{Kind: "resource", Decision: "Hire a second security engineer to cover incident response and the audit programme", Owner: "maya@northwind.example", Due: "+60"},
	{Kind: "change", Decision: "Apply branch protection to every repository, not only the product", Owner: "sofia@northwind.example", Due: "+30", Status: "in-progress"},
	{Kind: "improvement", Decision: "Add security test results to the release checklist (opportunity from the secure development audit)", Owner: "daniel@northwind.example", Due: "+21"},
}

// demoReviews writes the corrective actions and the management reviews, after the audits (so the trail moves
// on): a review held yesterday with its minutes and decisions, and the next one planned.
func (s *Service) demoReviews(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	tom := WithActor(ctx, members["tom@northwind.example"])
	maya := WithActor(ctx, members["maya@northwind.example"])
	clock.hoursAgo(demoReviewsHours)
	for _, d := range demoCorrective {
		fail := func(err error) error { return fmt.Errorf("demo corrective action %s: %w", d.in.Title, err) }
		found, err := s.ListFindings(ciso, FindingFilter{Grade: d.grade, Sort: "ref"}, Page{Limit: 1})
		if err != nil || len(found.Items) == 0 {
			return fail(fmt.Errorf("no %s finding in the demo: %v", d.grade, err))
		}
		clock.minutes(4)
		in := d.in
		in.Finding, in.Due = found.Items[0].Ref, relativeDay(clock.today, in.Due)
		c, err := s.AddCorrective(ciso, in)
		if err != nil {
			return fail(err)
		}
		if d.done {
			clock.minutes(30)
			if c, err = s.PatchCorrective(ciso, c.Ref, CorrectiveInput{Status: "done", Version: c.Version, Sent: SentOf("status")}); err != nil {
				return fail(err)
			}
		}
		if d.check != "" {
			clock.minutes(30)
			if c, err = s.VerifyCorrective(tom, c.Ref, CheckInput{Result: d.check, Notes: d.notes, Version: c.Version}); err != nil {
				return fail(err)
			}
		}
		if d.close {
			clock.minutes(5)
			if _, err = s.CloseCorrective(ciso, c.Ref, c.Version); err != nil {
				return fail(err)
			}
		}
	}

	clock.minutes(20)
	r, err := s.AddReview(ciso, ReviewInput{Title: "Management review " + clock.today.Format("2006"), PlannedOn: relativeDay(clock.today, "-1"),
		Chair: "maya@northwind.example", Attendees: "Maya Patel, CEO (chair)\nDaniel Kim, CISO\nSofia Rossi, Head of Engineering\nTom Becker, internal auditor\nHannah Schmidt, DPO"})
	if err != nil {
		return fmt.Errorf("demo review: %w", err)
	}
	clock.minutes(60)
	if r, err = s.HoldReview(maya, r.Ref, relativeDay(clock.today, "-1"), r.Version); err != nil {
		return fmt.Errorf("demo review held: %w", err)
	}
	clock.minutes(30)
	_, err = s.PatchReview(ciso, r.Ref, ReviewInput{Version: r.Version, Sent: SentOf("discussion", "input_notes"),
		Discussion: "The ISMS is on course for certification. Secure development is the weak spot: the audit found hotfixes bypassing review " +
			"and unapproved production changes. The sponsor asked for the approval step to be enforced by the pipeline rather than by habit.",
		InputNotes: map[string]string{
			isms.InputNonconformities: "The hotfix fix worked; the approval fix did not yet and is overdue. Jonas to report progress weekly.",
			isms.InputRisks:           "Ransomware and insecure code stay above appetite until the remaining treatment actions land.",
			isms.InputFeedback:        "Two enterprise customers asked for evidence of change management in their supplier questionnaires.",
			isms.InputObjectives:      "Restore testing is behind: one of the quarterly tests was missed.",
			isms.InputMonitoring:      "The CISO presented the year's figures from the security spreadsheet: patching and laptop encryption on target, phishing clicks close to it, leaver access revoked faster.",
		}})
	if err != nil {
		return fmt.Errorf("demo review notes: %w", err)
	}
	for _, a := range demoReviewActions {
		clock.minutes(3)
		a.Review, a.Due = r.Ref, relativeDay(clock.today, a.Due)
		if _, err := s.AddReviewAction(ciso, a); err != nil {
			return fmt.Errorf("demo review action %s: %w", a.Decision, err)
		}
	}
	clock.minutes(10)
	if _, err := s.AddReview(ciso, ReviewInput{Title: "Management review " + clock.today.AddDate(0, 6, 0).Format("January 2006"),
		PlannedOn: relativeDay(clock.today, "+180"), Chair: "maya@northwind.example", Attendees: "Maya Patel, CEO (chair)\nDaniel Kim, CISO"}); err != nil {
		return fmt.Errorf("demo next review: %w", err)
	}
	return nil
}
