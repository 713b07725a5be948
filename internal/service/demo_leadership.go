package service

import (
	"context"
	"fmt"
)

// Northwind's roles (clause 5.3): the CEO sponsors the ISMS, the CISO owns it, and a few people carry the rest.
var demoRoles = []RoleInput{
	{Name: "Top-management sponsor", Kind: "sponsor", Person: "maya@northwind.example",
		Responsibilities: "Sets the direction of the ISMS and makes sure it fits the business plan.\nProvides the people and budget it needs.\nChairs the yearly management review.",
		Authorities:      "Approves the information security policy, the budget and the risk acceptance criteria. Accepts risks above the threshold."},
	{Name: "ISMS owner (CISO)", Kind: "isms-owner", Person: "daniel@northwind.example",
		Responsibilities: "Runs the ISMS day to day: risk assessment, Statement of Applicability, objectives, internal audits and reporting to the sponsor.",
		Authorities:      "May stop a release or a supplier onboarding on security grounds until the sponsor decides. Approves security exceptions up to 90 days."},
	{Name: "Engineering lead", Person: "sofia@northwind.example",
		Responsibilities: "Keeps the secure development rules in force: code review, static analysis in CI, dependency updates and separate environments.",
		Authorities:      "Approves changes to the build pipeline and the production access list for engineers."},
	{Name: "Data protection officer", Person: "hannah@northwind.example",
		Responsibilities: "Keeps the record of processing, answers data subject requests and advises on personal data breaches.",
		Authorities:      "Decides whether a personal data breach is reported to the supervisory authority."},
	{Name: "IT lead", Person: "carlos@northwind.example",
		Responsibilities: "Manages laptops, accounts and SaaS tools: joiners and leavers, MFA, disk encryption and endpoint protection.",
		Authorities:      "Disables any account at once when it may be compromised."},
	{Name: "HR lead", Person: "lena@northwind.example",
		Responsibilities: "Screening, contracts and the joiner and leaver process; awareness training records.",
		Authorities:      "Starts the disciplinary process after a breach of the acceptable use policy."},
	{Name: "Incident lead", Person: "jonas@northwind.example",
		Responsibilities: "Leads the response to security incidents: timeline, containment and the post-incident review.",
		Authorities:      "May take a system offline during an incident and call in anyone needed."},
	{Name: "Internal auditor", Person: "tom@northwind.example",
		Responsibilities: "Plans and runs the internal audit programme and reports the findings to the sponsor.",
		Authorities:      "May ask any team for records and interviews; does not audit his own work."},
}

// demoCommitments are the evidence of Maya's commitment (clause 5.1); days are before today.
var demoCommitments = []struct {
	in   CommitmentInput
	days int
}{
	{CommitmentInput{Title: "Approval of the information security policy", Person: "maya@northwind.example",
		Evidence: "Leadership meeting minutes, item 3; signed policy stored in the shared drive."}, 190},
	{CommitmentInput{Title: "Budget and people for the ISMS in the coming year", Person: "maya@northwind.example",
		Evidence: "Budget approval email to the CISO; one extra security engineer position opened.",
		Notes:    "Covers the certification audit, endpoint protection licences and training."}, 175},
	{CommitmentInput{Title: "Approval of the risk acceptance criteria", Person: "maya@northwind.example",
		Evidence: "Sign-off recorded in the risk method review meeting."}, 160},
}

// demoObjectives follow from the policy and the highest risks (R-001 insecure code, R-002 phishing, R-003
// ransomware, R-006 lost laptops, R-008 backups): one achieved, one overdue. Due is in days from today.
var demoObjectives = []ObjectiveInput{
	{Title: "Every laptop encrypted and protected", Measure: "Share of company laptops with full-disk encryption and endpoint protection reporting in",
		Target: "100%", Owner: "carlos@northwind.example", Due: "-30", Status: "achieved", Risks: []string{"R-003", "R-006"},
		Policy: "Devices that hold company data are encrypted and monitored."},
	{Title: "Fewer staff fall for phishing", Measure: "Click rate in the quarterly phishing simulation",
		Target: "below 4% by the end of the year", Owner: "daniel@northwind.example", Due: "+120", Status: "on-track", Risks: []string{"R-002"},
		Policy: "Every member of staff completes awareness training when they join and every year."},
	{Title: "Restores proven every quarter", Measure: "Quarterly restore tests completed with a written result",
		Target: "4 of 4 in the year", Owner: "jonas@northwind.example", Due: "-10", Status: "at-risk", Risks: []string{"R-008"},
		Notes: "The second test slipped: the staging database was too small for a full restore."},
	{Title: "No high static analysis findings in production code", Measure: "Open high findings on the main branch",
		Target: "0 older than 14 days", Owner: "sofia@northwind.example", Due: "+60", Status: "on-track", Risks: []string{"R-001"},
		Policy: "Code is reviewed and scanned before it reaches production."},
	{Title: "Certification to ISO/IEC 27001", Measure: "Stage 2 audit result",
		Target: "certificate issued", Owner: "maya@northwind.example", Due: "+200", Status: "planned",
		Policy: "Northwind runs an ISMS and improves it continually."},
}

// demoLeadership records Northwind's roles, its leadership commitments and its objectives, as the CISO.
func (s *Service) demoLeadership(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	clock.minutes(60) // after the second document versions (7 days ago), before the scope change (6 days ago)
	for _, in := range demoRoles {
		if _, err := s.AddRole(ciso, in); err != nil {
			return fmt.Errorf("demo role %s: %w", in.Name, err)
		}
	}
	for _, c := range demoCommitments {
		c.in.Date = relativeDay(clock.today, fmt.Sprint(-c.days))
		if _, err := s.AddCommitment(ciso, c.in); err != nil {
			return fmt.Errorf("demo commitment %s: %w", c.in.Title, err)
		}
	}
	for _, in := range demoObjectives {
		in.Due = relativeDay(clock.today, in.Due)
		if _, err := s.AddObjective(ciso, in); err != nil {
			return fmt.Errorf("demo objective %s: %w", in.Title, err)
		}
	}
	return nil
}
