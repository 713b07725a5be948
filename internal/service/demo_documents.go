package service

import (
	"context"
	"fmt"

	"time"
)

// The sample document register: three documents of Northwind's own, each in two versions. The information
// security policy is in force in its second version, published to all staff and partly acknowledged; the
// incident procedure is past its six-monthly review with a new draft started; the access control standard has
// its second version in review. (The policy templates add the rest of the set.)

type demoDocument struct {
	in       DocumentInput
	versions [2]string // content of version 1 and 2
	summary  string    // what version 2 changes
	approve2 bool      // version 2 is approved
	submit2  bool      // version 2 is submitted for review (and left there)
}

var demoDocuments = []demoDocument{
	{in: DocumentInput{Title: "Information security policy", Type: "policy", Owner: "maya@northwind.example", Controls: []string{"5.1", "5.2", "5.4"},
		Clauses: []string{"5.2", "7.5"}, Classification: "internal", ReviewMonths: 12},
		versions: [2]string{demoPolicyV1, demoPolicyV2}, summary: "Adds remote working and names the CISO as the owner of this policy set",
		approve2: true},
	{in: DocumentInput{Title: "Security incident procedure", Type: "procedure", Owner: "daniel@northwind.example", Controls: []string{"5.24", "5.25", "5.26", "6.8"},
		Clauses: []string{"7.5"}, Classification: "internal", ReviewMonths: 6},
		versions: [2]string{demoIncidentV1, demoIncidentV1 + "\n## After an incident\n\nWithin ten working days the incident lead writes up what happened and what we change.\n"},
		summary:  "Adds the post-incident review"},
	{in: DocumentInput{Title: "Access control standard", Type: "standard", Owner: "sofia@northwind.example", Controls: []string{"5.15", "5.18", "8.2", "8.5"},
		Clauses: []string{"7.5"}, Classification: "confidential", ReviewMonths: 12},
		versions: [2]string{demoAccessV1, demoAccessV1 + "- Access of leavers ends on their last working day, checked by IT the day after.\n"},
		summary:  "Leavers' access ends on their last day", submit2: true},
}

const demoPolicyV1 = `# Information security policy

Northwind protects the information our customers trust us with, and the systems that hold it.

## Our commitments

- We decide what to protect from an assessment of risks, reviewed at least once a year.
- Everyone who works for us learns the rules that apply to them and confirms they have read this policy.
- We meet the legal and contractual requirements our customers and regulators set.
- We keep improving: incidents, audits and reviews lead to changes we track to the end.
`

const demoPolicyV2 = demoPolicyV1 + `
## Working remotely

Most of us work from home. Laptops are encrypted, screens lock after five minutes and company data stays in
company systems.

## Responsibilities

The Chief Information Security Officer owns this policy set and reports on it to the leadership team each quarter.
`

const demoIncidentV1 = `# Security incident procedure

1. Anyone who notices something suspicious reports it in the #security channel or to security@northwind.example.
2. The on-call engineer assesses it within one hour and opens an incident when data or service may be affected.
3. The incident lead keeps a timeline, decides on containment and informs the CISO.
4. The Data Protection Officer decides within 48 hours whether the regulator or customers must be told.
`

const demoAccessV1 = `# Access control standard

- Access is granted per role, by the system owner, on a ticket that names the role.
- Production access needs two-factor authentication and is reviewed every quarter.
- Shared accounts are not allowed; service accounts have an owner.
`

// The demo's audit trail runs forward in time, so the documents are written in two phases that fit between the
// other registers' phases: the first versions on the day Northwind was set up (before the risk register), the
// second versions a week ago (after the SoA, before the logins of the last days). The incident procedure's
// six-monthly review is overdue since.

// minutes moves the demo clock on by n minutes.
func (c *demoClock) minutes(n int) { c.t = c.t.Add(time.Duration(n) * time.Minute) }

// demoDocsFirst adds each document and approves, publishes and partly acknowledges its first version.
func (s *Service) demoDocsFirst(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	ceo := WithActor(ctx, members["maya@northwind.example"]) // the approver
	for _, dd := range demoDocuments {
		fail := func(err error) error { return fmt.Errorf("demo document %s: %w", dd.in.Title, err) }
		in := dd.in
		in.Content, in.Summary = dd.versions[0], "First version"
		d, err := s.AddDocument(ciso, in)
		if err != nil {
			return fail(err)
		}
		clock.minutes(5)
		if d, err = s.SubmitDocument(ciso, d.Ref, d.Version); err != nil {
			return fail(err)
		}
		clock.minutes(5)
		if d, err = s.ApproveDocument(ceo, d.Ref, d.Version); err != nil {
			return fail(err)
		}
		if _, err := s.PublishDocument(ciso, d.Ref, PublishInput{All: true}); err != nil {
			return fail(err)
		}
		for _, who := range []string{"maya@northwind.example", "daniel@northwind.example", "sofia@northwind.example", "tom@northwind.example"} {
			clock.minutes(1)
			if _, err := s.AcknowledgeDocument(WithActor(ctx, members[who]), d.Ref, AckInput{}); err != nil {
				return fail(err)
			}
		}
	}
	return nil
}

// demoDocsSecond writes each document's second version: approved for the policy (its readers must read it
// again; a few have, one recorded by the CISO for a person without an account), in review for the standard,
// a draft for the procedure.
func (s *Service) demoDocsSecond(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	ceo := WithActor(ctx, members["maya@northwind.example"])
	clock.daysAgo(7)
	for _, dd := range demoDocuments {
		fail := func(err error) error { return fmt.Errorf("demo document %s: %w", dd.in.Title, err) }
		l, err := s.ListDocuments(ciso, DocumentFilter{Search: dd.in.Title}, Page{Limit: 1})
		if err != nil || len(l.Items) != 1 {
			return fail(fmt.Errorf("not found: %v", err))
		}
		d := l.Items[0]
		clock.minutes(10)
		d, err = s.PatchDocument(ciso, d.Ref, DocumentInput{Content: dd.versions[1], Summary: dd.summary, Version: d.Version, Sent: SentOf("content", "summary")})
		if err != nil {
			return fail(err)
		}
		if !dd.approve2 && !dd.submit2 {
			continue
		}
		clock.minutes(10)
		if d, err = s.SubmitDocument(ciso, d.Ref, d.Version); err != nil {
			return fail(err)
		}
		if !dd.approve2 {
			continue
		}
		clock.minutes(30)
		if d, err = s.ApproveDocument(ceo, d.Ref, d.Version); err != nil {
			return fail(err)
		}
		for _, who := range []string{"maya@northwind.example", "daniel@northwind.example"} {
			clock.minutes(15)
			if _, err := s.AcknowledgeDocument(WithActor(ctx, members[who]), d.Ref, AckInput{}); err != nil {
				return fail(err)
			}
		}
		clock.minutes(5)
		if _, err := s.AcknowledgeDocument(ciso, d.Ref, AckInput{Person: "Aisha Bello"}); err != nil {
			return fail(err)
		}
	}
	return nil
}
