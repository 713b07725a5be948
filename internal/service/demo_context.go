package service

import (
	"context"
	"fmt"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The sample organisation's context (clause 4): its issues, its interested parties with their requirements, and
// its ISMS scope, approved once and changed since. Northwind is a remote-first analytics software company.

// demoIssues are the issues, each with its next review in days from today (0: none).
var demoIssues = []struct {
	IssueInput
	reviewIn int
}{
	{IssueInput{Title: "Most staff work remotely", Kind: "internal", Owner: "Daniel Kim",
		Description: "Four in five employees work from home on most days, some from other countries for weeks at a time.",
		Effect:      "Company laptops and home networks are the workplace: device management, disk encryption and secure access matter more than office security."}, 180},
	{IssueInput{Title: "Fast growth of the engineering team", Kind: "internal", Owner: "Sofia Rossi",
		Description: "Engineering doubled in two years and hires another fifteen people this year.",
		Effect:      "Onboarding, access reviews and secure coding training must keep pace; knowledge of the platform sits with a few senior engineers."}, 120},
	{IssueInput{Title: "The platform runs on one public cloud", Kind: "internal", Owner: "Jonas Weber",
		Description: "Every production system runs in one cloud provider's EU regions.",
		Effect:      "Much of the security of the platform rests on the provider's controls and on how we configure them; the provider is a key supplier."}, 0},
	{IssueInput{Title: "Enterprise customers ask for certification", Kind: "external", Owner: "Lucas Martin",
		Description: "Large customers send long security questionnaires and increasingly require an ISO/IEC 27001 certificate in tenders.",
		Effect:      "Certification is a commercial goal of the ISMS; the scope must cover what those customers buy."}, 90},
	{IssueInput{Title: "Stricter data protection enforcement in the EU", Kind: "external", Owner: "Hannah Schmidt",
		Description: "Supervisory authorities issue larger fines and expect records of processing and breach notification on time.",
		Effect:      "Personal data of customers' end users in the platform must be protected, minimised and deleted on request."}, 0},
	{IssueInput{Title: "Ransomware aimed at software suppliers", Kind: "external", Owner: "Daniel Kim",
		Description: "Attacks on software companies to reach their customers have become common.",
		Effect:      "Backups that attackers cannot delete, a tested recovery and protected build pipelines are needed."}, 60},
	{IssueInput{Title: "Shortage of security specialists", Kind: "external", Owner: "Lena Novak",
		Description: "Experienced security engineers are hard to hire and expensive.",
		Effect:      "The ISMS has to be run by a small team with help from engineers; automation and clear ownership matter."}, 0},
	{IssueInput{Title: "Dependence on open-source libraries", Kind: "internal", Owner: "Aisha Bello",
		Description: "The product is built on several hundred open-source packages.",
		Effect:      "Vulnerabilities in dependencies must be found and fixed quickly; licences must be checked."}, 0},
}

var demoParties = []struct {
	party PartyInput
	reqs  []RequirementInput
}{
	{PartyInput{Name: "Enterprise customers", Kind: "customer", Description: "Companies that license the analytics platform under a master agreement."},
		[]RequirementInput{
			{Type: "contractual", Text: "Master agreements require reasonable security measures, notice of security incidents within 48 hours and an annual penetration test.",
				Addressed: "Incident procedure with customer notification; yearly external penetration test; contract review by the CISO before signature.", Controls: []string{"5.20", "5.24", "5.26", "8.8"}},
			{Type: "contractual", Text: "Customers expect evidence of an independent certification or audit report.",
				Addressed: "ISO/IEC 27001 certification of the platform and its operation is the goal of this ISMS.", Controls: []string{"5.35"}},
			{Type: "other", Text: "The service should be available during European business hours with little downtime.",
				Addressed: "Redundant deployment across zones, monitoring and an on-call rota.", Controls: []string{"8.14", "8.16", "5.30"}},
		}},
	{PartyInput{Name: "Data protection supervisory authority", Kind: "regulator", Description: "The authority that oversees our processing of personal data."},
		[]RequirementInput{
			{Type: "legal", Text: "Personal data breaches must be reported within 72 hours of our becoming aware of them.",
				Addressed: "The incident procedure has a data protection step led by the DPO.", Controls: []string{"5.24", "5.26", "5.34"}},
			{Type: "legal", Text: "Keep a record of processing activities and protect personal data by design.",
				Addressed: "The DPO maintains the record; new features go through a privacy review.", Controls: []string{"5.34", "8.11"}},
		}},
	{PartyInput{Name: "Cloud hosting provider", Kind: "supplier", Description: "Runs all production infrastructure."},
		[]RequirementInput{
			{Type: "contractual", Text: "Customers of the provider are responsible for securing their own accounts, data and configuration.",
				Addressed: "Cloud security baseline, multi-factor authentication on every console account and configuration checks in CI.", Controls: []string{"5.23", "8.9"}},
			{Type: "other", Text: "Abuse and security contacts must be kept current.",
				Addressed: "The security mailbox is the registered contact and is reviewed in the yearly supplier review.", Controls: []string{"5.22"}},
		}},
	{PartyInput{Name: "Employees and contractors", Kind: "employee", Description: "Everyone who works for Northwind, most of them remotely."},
		[]RequirementInput{
			{Type: "legal", Text: "Employee personal data must be handled lawfully and kept confidential.",
				Addressed: "HR records are kept in the HR system with access for HR only.", Controls: []string{"5.34", "5.15"}},
			{Type: "other", Text: "Clear, practical rules for working securely from home.",
				Addressed: "Remote working rules in the acceptable use policy and yearly awareness training.", Controls: []string{"6.3", "6.7"}},
		}},
	{PartyInput{Name: "Investors and the board", Kind: "shareholder", Description: "Venture investors represented on the board."},
		[]RequirementInput{
			{Type: "other", Text: "Information security risks that could hurt the company's value are reported to the board.",
				Addressed: "The CISO presents the risk register and the ISMS performance to the board twice a year.", Controls: []string{"5.4"}},
			{Type: "contractual", Text: "The investment agreement requires adequate insurance and business continuity arrangements.",
				Addressed: "Cyber insurance is in place; the continuity plan is tested yearly.", Controls: []string{"5.29", "5.30"}},
		}},
	{PartyInput{Name: "Cyber insurer", Kind: "insurer", Description: "Provides the company's cyber insurance policy."},
		[]RequirementInput{
			{Type: "contractual", Text: "Cover requires multi-factor authentication for remote access, offline backups and timely patching.",
				Addressed: "MFA everywhere through the identity provider, immutable backups and a patching target of 14 days for critical issues.", Controls: []string{"8.5", "8.13", "8.8"}},
			{Type: "contractual", Text: "Incidents must be reported to the insurer's hotline promptly.",
				Addressed: "The incident procedure names the insurer's hotline.", Controls: []string{"5.24"}},
		}},
	{PartyInput{Name: "Payment processor", Kind: "partner", Description: "Handles card payments for the self-service plans."},
		[]RequirementInput{
			{Type: "contractual", Text: "Merchants must not store card data and must confirm their compliance each year.",
				Addressed: "Card data never reaches our systems (hosted payment page); the yearly self-assessment is filed by finance.", Controls: []string{"5.31", "5.19"}},
			{Type: "regulatory", Text: "Strong customer authentication must be supported for European card payments.",
				Addressed: "Provided by the processor's hosted payment page.", Controls: []string{"5.20"}},
		}},
}

// demoScope is the scope approved about three weeks ago.
var demoScope = ScopeInput{
	Statement: "The information security management system of Northwind Analytics Ltd covers the design, development, operation and support of " +
		"the Northwind analytics platform, delivered as a cloud service to business customers, and the people, processes and systems that support it.\n\n" +
		"It applies to all employees and contractors, wherever they work.",
	Units:     []string{"Engineering", "Security", "IT", "Customer Success", "Data", "Leadership", "People (HR)", "Legal and privacy"},
	Locations: []string{"Staff homes and other remote places of work", "Registered office in Manchester (shared workspace)", "Cloud provider's EU regions (Frankfurt and Dublin)"},
	Systems: []string{"Northwind analytics platform (production and staging)", "Source code hosting and CI/CD pipelines", "Identity provider and single sign-on",
		"Company laptops and their device management", "Customer support desk", "Collaboration and email suite"},
	Boundaries: "The ISMS ends at the interfaces to the cloud provider's infrastructure, the payment processor's hosted payment page and customers' own " +
		"systems that connect through the public API. The provider's physical data centres are covered by its own certifications and our supplier review.",
	Exclusions: []isms.Exclusion{
		{Item: "Sales and marketing website", Justification: "Hosted by an agency on a separate service; holds no customer data and does not connect to the platform."},
		{Item: "Physical security of the data centres", Justification: "Run by the cloud provider under its own certification; reviewed as a supplier."},
	},
}

func (s *Service) demoContext(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	clock.daysAgo(demoStartDays - 5)
	for _, is := range demoIssues {
		in := is.IssueInput
		if is.reviewIn > 0 {
			in.ReviewDate = clock.today.AddDate(0, 0, is.reviewIn).Format(time.DateOnly)
		}
		if _, err := s.AddIssue(ciso, in); err != nil {
			return fmt.Errorf("demo issue %q: %w", in.Title, err)
		}
	}
	for _, p := range demoParties {
		party, err := s.AddParty(ciso, p.party)
		if err != nil {
			return fmt.Errorf("demo party %q: %w", p.party.Name, err)
		}
		for _, r := range p.reqs {
			r.Party = party.Ref
			if _, err := s.AddRequirement(ciso, r); err != nil {
				return fmt.Errorf("demo requirement of %s: %w", party.Ref, err)
			}
		}
	}
	clock.daysAgo(demoStartDays - 8)
	if _, err := s.SetScope(ciso, demoScope); err != nil {
		return fmt.Errorf("demo scope: %w", err)
	}
	clock.daysAgo(demoStartDays - 10)
	if _, err := s.ApproveScope(ctx, "Scope agreed at the ISMS kick-off with the leadership team."); err != nil {
		return fmt.Errorf("demo scope version 1: %w", err)
	}
	return nil
}

// demoScopeChange is a draft change of the approved scope, made after the SoA: the data team's analytics sandbox
// comes into scope, waiting for approval.
func (s *Service) demoScopeChange(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	clock.daysAgo(6)
	v, err := s.Scope(ciso)
	if err != nil {
		return err
	}
	_, err = s.PatchScope(ciso, ScopeInput{Systems: append(append([]string{}, demoScope.Systems...), "Data team's analytics sandbox"),
		Version: v.Version, Sent: SentOf("systems")})
	if err != nil {
		return fmt.Errorf("demo scope change: %w", err)
	}
	return nil
}
