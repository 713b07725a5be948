package service

import (
	"context"
	"fmt"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The sample inventory and register: what a 120-person SaaS company typically has in its first year.
var demoAssets = []AssetInput{
	{Name: "Customer analytics platform (production)", Type: "service", Owner: "sofia@northwind.example", Classification: "confidential", Confidentiality: 5, Integrity: 5, Availability: 5, Location: "Cloud, eu-west-1", Notes: "The product customers pay for."},
	{Name: "Customer data warehouse", Type: "information", Owner: "hannah@northwind.example", Classification: "restricted", Confidentiality: 5, Integrity: 4, Availability: 3, Location: "Cloud, eu-west-1", Notes: "Contains personal data of customers' end users."},
	{Name: "Source code repositories", Type: "software", Owner: "sofia@northwind.example", Classification: "confidential", Confidentiality: 4, Integrity: 5, Availability: 3, Location: "Hosted git service"},
	{Name: "CI/CD pipeline", Type: "service", Owner: "jonas@northwind.example", Classification: "internal", Confidentiality: 3, Integrity: 5, Availability: 3, Location: "Hosted CI service"},
	{Name: "Cloud infrastructure accounts", Type: "service", Owner: "jonas@northwind.example", Classification: "confidential", Confidentiality: 5, Integrity: 5, Availability: 5},
	{Name: "Employee laptops", Type: "hardware", Owner: "carlos@northwind.example", Classification: "internal", Confidentiality: 4, Integrity: 3, Availability: 2, Location: "Staff homes and London office", Notes: "About 120 managed laptops."},
	{Name: "Identity provider and SSO", Type: "service", Owner: "carlos@northwind.example", Classification: "confidential", Confidentiality: 5, Integrity: 5, Availability: 4},
	{Name: "HR records", Type: "information", Owner: "lena@northwind.example", Classification: "restricted", Confidentiality: 5, Integrity: 4, Availability: 2},
	{Name: "Finance and payroll system", Type: "service", Owner: "elena@northwind.example", Classification: "confidential", Confidentiality: 4, Integrity: 5, Availability: 3},
	{Name: "Customer support desk", Type: "service", Owner: "oliver@northwind.example", Classification: "confidential", Confidentiality: 4, Integrity: 3, Availability: 3},
	{Name: "London office", Type: "site", Owner: "samuel@northwind.example", Classification: "internal", Confidentiality: 2, Integrity: 2, Availability: 3, Location: "London"},
	{Name: "Cloud hosting provider", Type: "supplier", Owner: "daniel@northwind.example", Classification: "confidential", Confidentiality: 5, Integrity: 5, Availability: 5},
	{Name: "Engineering team", Type: "people", Owner: "sofia@northwind.example", Classification: "internal", Availability: 4, Notes: "28 engineers; on-call rota of six."},
	{Name: "Backups", Type: "information", Owner: "jonas@northwind.example", Classification: "restricted", Confidentiality: 5, Integrity: 5, Availability: 4, Location: "Second cloud region"},
}

type demoRisk struct {
	in       RiskInput
	first    *demoAssessment // the first assessment, before treatment; nil when in is the first
	accept   string          // comment; "-" accepts without comment; "" leaves it unaccepted
	acceptBy string          // email of who accepts
	actions  []ActionInput
}

// demoAssessment is how a risk was first assessed; the demo reassesses it to its current values later, with note.
type demoAssessment struct {
	likelihood, impact, residualLikelihood, residualImpact int
	note                                                   string // the reassessment's note
}

// demoRisks refer to assets by position in demoAssets (A-001 is the first) and to people by email.
var demoRisks = []demoRisk{
	{in: RiskInput{Title: "Insecure code reaches production", Description: "A developer merges code with an injection or access-control flaw and it is deployed to the platform, exposing customer data.",
		Assets: []string{"A-001", "A-003", "A-004"}, Threat: "Exploitation of application vulnerabilities", Vulnerability: "No security review or automated testing before merge",
		Owner: "sofia@northwind.example", Likelihood: 4, Impact: 5, Treatment: isms.TreatModify, Controls: []string{"8.28", "8.25", "8.29", "8.8"},
		ResidualLikelihood: 2, ResidualImpact: 5},
		first:  &demoAssessment{5, 5, 3, 5, "Reassessed after treatment: static analysis now blocks merges with high findings (TA-001 done), so a flaw is less likely to ship."},
		accept: "Static analysis blocks merges since March; residual impact stays severe by nature, reviewed quarterly.", acceptBy: "sofia@northwind.example",
		actions: []ActionInput{{Title: "Run static analysis in CI and block merges on high findings", Owner: "jonas@northwind.example", Due: "-40", Status: "done"},
			{Title: "Adopt secure coding standard based on OWASP guidance", Owner: "sofia@northwind.example", Due: "+30", Status: "in-progress"},
			{Title: "Annual secure coding training for all engineers", Owner: "aisha@northwind.example", Due: "-5", Status: "planned"}}},
	{in: RiskInput{Title: "Phishing leads to account takeover", Description: "An employee enters credentials on a fake login page; the attacker reaches email and internal tools.",
		Assets: []string{"A-007", "A-006"}, Threat: "Phishing", Vulnerability: "Staff not trained to recognise phishing", Owner: "daniel@northwind.example",
		Likelihood: 4, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"6.3", "8.5", "5.17"}, ResidualLikelihood: 2, ResidualImpact: 3},
		first:  &demoAssessment{4, 4, 3, 4, "Quarterly review: MFA now covers engineering and finance and the phishing simulation click rate fell from 18% to 6%."},
		accept: "-", acceptBy: "maya@northwind.example",
		actions: []ActionInput{{Title: "Enforce phishing-resistant MFA for all staff", Owner: "carlos@northwind.example", Due: "+14", Status: "in-progress"}}},
	{in: RiskInput{Title: "Ransomware encrypts laptops and file shares", Assets: []string{"A-006"}, Threat: "Ransomware infection", Vulnerability: "Unpatched operating systems and applications",
		Owner: "carlos@northwind.example", Likelihood: 3, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"8.7", "8.8", "8.13"}, ResidualLikelihood: 2, ResidualImpact: 2},
		first:   &demoAssessment{4, 4, 3, 3, "Reassessed: automatic patching reaches 95% of laptops within a week; offline backups tested in the restore drill."},
		actions: []ActionInput{{Title: "Roll out endpoint detection to every laptop", Owner: "carlos@northwind.example", Due: "-12", Status: "in-progress"}}},
	{in: RiskInput{Title: "Misconfigured cloud storage exposes customer data", Assets: []string{"A-002", "A-005"}, Threat: "Cloud misconfiguration",
		Vulnerability: "No configuration baseline or drift detection", Owner: "jonas@northwind.example", Likelihood: 3, Impact: 5, Treatment: isms.TreatModify,
		Controls: []string{"8.9", "5.23", "8.12"}, ResidualLikelihood: 1, ResidualImpact: 5},
		actions: []ActionInput{{Title: "Enable cloud security posture checks on all accounts", Owner: "jonas@northwind.example", Due: "+45", Status: "planned"}}},
	{in: RiskInput{Title: "Cloud provider region outage", Assets: []string{"A-001", "A-012"}, Threat: "Supplier service outage", Vulnerability: "Single-region deployment",
		Owner: "jonas@northwind.example", Likelihood: 2, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"5.30", "8.14", "5.29"}, ResidualLikelihood: 2, ResidualImpact: 4}},
	{in: RiskInput{Title: "Lost or stolen laptop with customer data", Assets: []string{"A-006"}, Threat: "Theft or loss of equipment", Vulnerability: "Unencrypted local storage",
		Owner: "carlos@northwind.example", Likelihood: 3, Impact: 3, Treatment: isms.TreatModify, Controls: []string{"8.1", "8.24", "7.9"}, ResidualLikelihood: 3, ResidualImpact: 1},
		first:  &demoAssessment{3, 3, 3, 3, "Reassessed: full-disk encryption is enforced by device management on every laptop, so a lost laptop no longer exposes data."},
		accept: "-", acceptBy: "maya@northwind.example"},
	{in: RiskInput{Title: "Leaver keeps access to SaaS tools", Assets: []string{"A-007"}, Threat: "Unauthorised access by former staff", Vulnerability: "Manual, incomplete offboarding",
		Owner: "lena@northwind.example", Likelihood: 3, Impact: 3, Treatment: isms.TreatModify, Controls: []string{"5.18", "6.5", "5.11"}, ResidualLikelihood: 1, ResidualImpact: 3}},
	{in: RiskInput{Title: "Backups cannot be restored when needed", Assets: []string{"A-014", "A-002"}, Threat: "Accidental deletion of data", Vulnerability: "Restores never tested",
		Owner: "jonas@northwind.example", Likelihood: 2, Impact: 5, Treatment: isms.TreatModify, Controls: []string{"8.13", "5.30"}},
		actions: []ActionInput{{Title: "Quarterly restore test with written result", Owner: "jonas@northwind.example", Due: "-20", Status: "planned"}}},
	{in: RiskInput{Title: "Personal data processed without a lawful basis", Assets: []string{"A-002"}, Threat: "Regulatory non-compliance", Vulnerability: "No record of processing activities",
		Owner: "hannah@northwind.example", Likelihood: 2, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"5.34", "5.31"}, ResidualLikelihood: 1, ResidualImpact: 4}},
	{in: RiskInput{Title: "Key engineer leaves with undocumented knowledge", Assets: []string{"A-013"}, Threat: "Loss of key staff", Vulnerability: "Key person dependency",
		Owner: "sofia@northwind.example", Likelihood: 3, Impact: 2, Treatment: isms.TreatRetain, ResidualLikelihood: 3, ResidualImpact: 2},
		accept: "-", acceptBy: "maya@northwind.example"},
	{in: RiskInput{Title: "Office fire or flood", Assets: []string{"A-011"}, Threat: "Fire or flood at the office", Vulnerability: "Single office site",
		Owner: "samuel@northwind.example", Likelihood: 1, Impact: 3, Treatment: isms.TreatShare, Controls: []string{"7.5"}, ResidualLikelihood: 1, ResidualImpact: 2},
		accept: "-", acceptBy: "maya@northwind.example"},
	{in: RiskInput{Title: "Payment fraud through fake supplier invoices", Assets: []string{"A-009"}, Threat: "Social engineering", Vulnerability: "No call-back check on changed bank details",
		Owner: "elena@northwind.example", Likelihood: 3, Impact: 3, Treatment: isms.TreatModify, Controls: []string{"5.3", "6.3"}}},
}

// demoRiskRegister adds the sample inventory, register and treatment plan, acting as the organisation's owner,
// over time: the assets and the first assessments about half a year ago, the treatment actions soon after, the
// reassessments after treatment some weeks ago and the acceptances after them.
func (s *Service) demoRiskRegister(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	owner := ctx
	for _, in := range demoAssets {
		if _, err := s.AddAsset(owner, in); err != nil {
			return fmt.Errorf("demo asset %s: %w", in.Name, err)
		}
	}
	clock.daysAgo(demoStartDays - 14)
	refs := make([]string, len(demoRisks))
	for i, d := range demoRisks {
		in := d.in
		if f := d.first; f != nil {
			in.Likelihood, in.Impact, in.ResidualLikelihood, in.ResidualImpact = f.likelihood, f.impact, f.residualLikelihood, f.residualImpact
		}
		r, err := s.AddRisk(owner, in)
		if err != nil {
			return fmt.Errorf("demo risk %s: %w", d.in.Title, err)
		}
		refs[i] = r.Ref
	}
	clock.daysAgo(demoStartDays - 21)
	for i, d := range demoRisks {
		for _, a := range d.actions {
			a.Due = relativeDay(clock.today, a.Due)
			if _, err := s.AddAction(owner, refs[i], a); err != nil {
				return fmt.Errorf("demo action %s: %w", a.Title, err)
			}
		}
	}
	clock.daysAgo(35)
	for i, d := range demoRisks {
		if d.first == nil {
			continue
		}
		r, err := s.Risk(owner, refs[i])
		if err != nil {
			return err
		}
		in := d.in
		in.Note, in.Version = d.first.note, r.Version
		if _, err := s.UpdateRisk(owner, refs[i], in); err != nil {
			return fmt.Errorf("demo reassessment of %s: %w", refs[i], err)
		}
	}
	clock.daysAgo(28)
	for i, d := range demoRisks {
		if d.accept == "" {
			continue
		}
		comment := d.accept
		if comment == "-" {
			comment = ""
		}
		r, err := s.Risk(owner, refs[i])
		if err != nil {
			return err
		}
		if _, err := s.AcceptRisk(WithActor(ctx, members[d.acceptBy]), refs[i], AcceptRiskInput{Comment: comment, Version: r.Version}); err != nil {
			return fmt.Errorf("demo acceptance of %s: %w", refs[i], err)
		}
	}
	return nil
}

// relativeDay turns "+30" or "-5" into a date that many days from today, so the sample never goes stale.
func relativeDay(today time.Time, rel string) string {
	var days int
	if _, err := fmt.Sscanf(rel, "%d", &days); err != nil {
		return rel
	}
	return today.AddDate(0, 0, days).Format(time.DateOnly)
}
