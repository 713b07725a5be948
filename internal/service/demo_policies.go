package service

import (
	"context"
	"fmt"
)

// Northwind's policy set: one document per policy template beyond the information security policy it wrote
// itself, each drafted from Northwind's own facts (scope, role holders, risk method, SoA decisions), so it is
// written after the roles register and the SoA. All are approved by the CEO; the acceptable use, remote
// working and secure development policies are published, with acknowledgements partly in.

// demoPolicy is one template of the set: who owns it, how often it is reviewed and who it is published to.
type demoPolicy struct {
	template     string
	owner        string // email of the owner
	reviewMonths int
	publish      PublishInput
	readers      []string // who has acknowledged it (members themselves; others recorded by the CISO)
}

var demoPolicies = []demoPolicy{
	{template: "risk-methodology", owner: "daniel@northwind.example", reviewMonths: 12},
	{template: "access-control", owner: "carlos@northwind.example", reviewMonths: 12},
	{template: "acceptable-use", owner: "lena@northwind.example", reviewMonths: 12, publish: PublishInput{All: true},
		readers: []string{"maya@northwind.example", "daniel@northwind.example", "sofia@northwind.example", "Jonas Weber", "Carlos Mendes"}},
	{template: "classification", owner: "daniel@northwind.example", reviewMonths: 24},
	{template: "secure-development", owner: "sofia@northwind.example", reviewMonths: 12, publish: PublishInput{Team: "Engineering"},
		readers: []string{"sofia@northwind.example", "Aisha Bello"}},
	{template: "change-management", owner: "sofia@northwind.example", reviewMonths: 12},
	{template: "supplier-security", owner: "daniel@northwind.example", reviewMonths: 12},
	{template: "cloud-services", owner: "daniel@northwind.example", reviewMonths: 12},
	{template: "incident-management", owner: "jonas@northwind.example", reviewMonths: 12},
	{template: "business-continuity", owner: "maya@northwind.example", reviewMonths: 12},
	{template: "backup", owner: "jonas@northwind.example", reviewMonths: 12},
	{template: "cryptography", owner: "sofia@northwind.example", reviewMonths: 24},
	{template: "logging-monitoring", owner: "jonas@northwind.example", reviewMonths: 12},
	{template: "remote-working", owner: "carlos@northwind.example", reviewMonths: 12, publish: PublishInput{All: true},
		readers: []string{"maya@northwind.example", "tom@northwind.example"}},
	{template: "data-protection", owner: "hannah@northwind.example", reviewMonths: 12},
}

// demoPolicySet drafts, approves and publishes the policy set, as the CISO with the CEO approving.
func (s *Service) demoPolicySet(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	ceo := WithActor(ctx, members["maya@northwind.example"])
	clock.minutes(30) // after the roles, before the scope change (6 days ago)
	for _, p := range demoPolicies {
		fail := func(err error) error { return fmt.Errorf("demo policy %s: %w", p.template, err) }
		d, err := s.AddDocument(ciso, DocumentInput{Template: p.template, Owner: p.owner, Classification: "internal", ReviewMonths: p.reviewMonths})
		if err != nil {
			return fail(err)
		}
		clock.minutes(2)
		if d, err = s.SubmitDocument(ciso, d.Ref, d.Version); err != nil {
			return fail(err)
		}
		clock.minutes(3)
		if d, err = s.ApproveDocument(ceo, d.Ref, d.Version); err != nil {
			return fail(err)
		}
		if len(p.readers) == 0 {
			continue
		}
		if _, err := s.PublishDocument(ciso, d.Ref, p.publish); err != nil {
			return fail(err)
		}
		for _, who := range p.readers {
			clock.minutes(4)
			as, ack := ciso, AckInput{Person: who}
			if m, ok := members[who]; ok {
				as, ack = WithActor(ctx, m), AckInput{}
			}
			if _, err := s.AcknowledgeDocument(as, d.Ref, ack); err != nil {
				return fail(err)
			}
		}
	}
	return nil
}

// demoLinkMembers links every member's account to their person of the register by user id.
func (s *Service) demoLinkMembers(ctx context.Context, members map[string]Actor) error {
	list := make([]Actor, 0, len(demoMembers))
	for _, m := range demoMembers { // in the members' order, so the audit trail is the same each time
		list = append(list, members[m.Email])
	}
	if err := s.linkMembers(ctx, list); err != nil {
		return fmt.Errorf("demo: link members to people: %w", err)
	}
	return nil
}
