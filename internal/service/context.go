package service

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Clause 4: internal and external issues (4.1), interested parties and their requirements (4.2).

// The declarations of the clause 4 registers: the doors read their filters, sorts and list columns.
var (
	IssueRegister       = store.Issues
	PartyRegister       = store.Parties
	RequirementRegister = store.Requirements
)

type (
	IssueFilter       = store.IssueFilter
	PartyFilter       = store.PartyFilter
	RequirementFilter = store.RequirementFilter
)

// IssueInput is the editable part of an issue. Owner is a person's reference, name or email.
type IssueInput struct {
	Title       string `json:"title" doc:"What the issue is, in a line"`
	Kind        string `json:"kind" doc:"internal or external"`
	Description string `json:"description" doc:"The issue in more words"`
	Effect      string `json:"effect" doc:"How it affects the ISMS and what it must achieve"`
	Owner       string `json:"owner" doc:"Who follows it: a person's reference, name or email"`
	ReviewDate  string `json:"review_date" doc:"When to look at it again, YYYY-MM-DD"`
	Notes       string `json:"notes" doc:"Notes"`
	Version     int    `json:"version" doc:"The version read; required for a change"`
	Sent        Sent   `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *IssueInput) UnmarshalJSON(b []byte) error {
	type plain IssueInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

func (in *IssueInput) check(p *isms.Problems) {
	isms.CheckText(p, "title", in.Title, 200)
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if !isms.OneOf(in.Kind, isms.IssueKinds) {
		p.Add("kind", "must be one of %s", strings.Join(isms.IssueKinds, ", "))
	}
	checkLong(p, map[string]string{"description": in.Description, "effect": in.Effect, "notes": in.Notes})
	in.ReviewDate = strings.TrimSpace(in.ReviewDate)
	checkDate(p, "review_date", in.ReviewDate)
}

// checkLong bounds free text fields to 4000 characters each.
func checkLong(p *isms.Problems, fields map[string]string) {
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if len(fields[name]) > 4000 {
			p.Add(name, "must be at most 4000 characters")
		}
	}
}

// checkDate accepts an empty value or a date as YYYY-MM-DD.
func checkDate(p *isms.Problems, field, v string) {
	if v == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		p.Add(field, "must be a date as YYYY-MM-DD")
	}
}

// ListIssues lists the internal and external issues.
func (s *Service) ListIssues(ctx context.Context, f IssueFilter, p Page) (List[isms.Issue], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Issue], error) {
		return store.Issues.List(ctx, tx, a.OrgID, f, p)
	})
}

// Issue returns one issue by reference (I-001) or id.
func (s *Service) Issue(ctx context.Context, ref string) (isms.Issue, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Issue, error) {
		return store.Issues.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddIssue records an issue.
func (s *Service) AddIssue(ctx context.Context, in IssueInput) (isms.Issue, error) {
	return s.writeIssue(ctx, "", in, false)
}

// UpdateIssue changes an issue as a whole; a stale version is a Conflict.
func (s *Service) UpdateIssue(ctx context.Context, ref string, in IssueInput) (isms.Issue, error) {
	return s.writeIssue(ctx, ref, in, false)
}

// PatchIssue changes only the fields in.Sent names, like PatchAsset.
func (s *Service) PatchIssue(ctx context.Context, ref string, in IssueInput) (isms.Issue, error) {
	return s.writeIssue(ctx, ref, in, true)
}

// DeleteIssue removes an issue.
func (s *Service) DeleteIssue(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Issues, ref, nil)
}

func (s *Service) writeIssue(ctx context.Context, ref string, in IssueInput, patch bool) (isms.Issue, error) {
	return writeRow(ctx, s, store.Issues, "I", ref, in, in.Version, in.Sent, []string{"title", "kind"}, patch,
		func(tx *store.Tx, a Actor, in IssueInput, row *isms.Issue) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			var p isms.Problems
			in.check(&p)
			owner := resolveTarget(&p, "owner", in.Owner, people, "person")
			if err := p.Err(); err != nil {
				return err
			}
			row.Title, row.Kind, row.Description = strings.TrimSpace(in.Title), in.Kind, strings.TrimSpace(in.Description)
			row.Effect, row.ReviewDate, row.Notes = strings.TrimSpace(in.Effect), in.ReviewDate, strings.TrimSpace(in.Notes)
			row.OwnerID, row.Owner, row.OwnerName = owner.ID, owner.Ref, owner.Name
			s.stampTimes(&row.CreatedAt, &row.UpdatedAt, ref == "")
			return nil
		})
}

// PartyInput is the editable part of an interested party.
type PartyInput struct {
	Name        string `json:"name" doc:"Who the party is"`
	Kind        string `json:"kind" doc:"customer, regulator, supplier, employee, shareholder, partner, insurer, community or other"`
	Description string `json:"description" doc:"Why they matter to the ISMS"`
	Notes       string `json:"notes" doc:"Notes"`
	Version     int    `json:"version" doc:"The version read; required for a change"`
	Sent        Sent   `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *PartyInput) UnmarshalJSON(b []byte) error {
	type plain PartyInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

func (in *PartyInput) validate() error {
	var p isms.Problems
	isms.CheckText(&p, "name", in.Name, 200)
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if !isms.OneOf(in.Kind, isms.PartyKinds) {
		p.Add("kind", "must be one of %s", strings.Join(isms.PartyKinds, ", "))
	}
	checkLong(&p, map[string]string{"description": in.Description, "notes": in.Notes})
	return p.Err()
}

// ListParties lists the interested parties.
func (s *Service) ListParties(ctx context.Context, f PartyFilter, p Page) (List[isms.Party], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Party], error) {
		return store.Parties.List(ctx, tx, a.OrgID, f, p)
	})
}

// Party returns one interested party by reference (IP-001) or id, with all its requirements.
func (s *Service) Party(ctx context.Context, ref string) (isms.Party, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Party, error) {
		p, err := store.Parties.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return p, err
		}
		p.Requirements = []isms.Requirement{}
		err = store.Requirements.Each(ctx, tx, a.OrgID, RequirementFilter{Party: p.Ref}, func(r isms.Requirement) error {
			p.Requirements = append(p.Requirements, r)
			return nil
		})
		return p, err
	})
}

// AddParty records an interested party.
func (s *Service) AddParty(ctx context.Context, in PartyInput) (isms.Party, error) {
	return s.writeParty(ctx, "", in, false)
}

// UpdateParty changes an interested party as a whole; a stale version is a Conflict.
func (s *Service) UpdateParty(ctx context.Context, ref string, in PartyInput) (isms.Party, error) {
	return s.writeParty(ctx, ref, in, false)
}

// PatchParty changes only the fields in.Sent names, like PatchAsset.
func (s *Service) PatchParty(ctx context.Context, ref string, in PartyInput) (isms.Party, error) {
	return s.writeParty(ctx, ref, in, true)
}

// DeleteParty removes an interested party with its requirements; the trail keeps them in the party's event.
func (s *Service) DeleteParty(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Parties, ref, func(tx *store.Tx, a Actor, p *isms.Party) error {
		p.Requirements = []isms.Requirement{}
		return store.Requirements.Each(ctx, tx, a.OrgID, RequirementFilter{Party: p.Ref}, func(r isms.Requirement) error {
			p.Requirements = append(p.Requirements, r)
			return nil
		})
	})
}

func (s *Service) writeParty(ctx context.Context, ref string, in PartyInput, patch bool) (isms.Party, error) {
	return writeRow(ctx, s, store.Parties, "IP", ref, in, in.Version, in.Sent, []string{"name", "kind"}, patch,
		func(_ *store.Tx, _ Actor, in PartyInput, row *isms.Party) error {
			if err := in.validate(); err != nil {
				return err
			}
			row.Name, row.Kind = strings.TrimSpace(in.Name), in.Kind
			row.Description, row.Notes = strings.TrimSpace(in.Description), strings.TrimSpace(in.Notes)
			s.stampTimes(&row.CreatedAt, &row.UpdatedAt, ref == "")
			return nil
		})
}

// RequirementInput is the editable part of a party's requirement. Party is the party's reference or name;
// Controls are Annex A 2022 ids ("8.24" or "A.8.24").
type RequirementInput struct {
	Party     string   `json:"party" doc:"The interested party: reference (IP-001) or name"`
	Text      string   `json:"text" doc:"What the party needs or expects"`
	Type      string   `json:"type" doc:"legal, regulatory, contractual or other"`
	Addressed string   `json:"addressed" doc:"How the ISMS addresses it"`
	Controls  []string `json:"controls" doc:"Annex A 2022 controls that meet it (8.24)"`
	Version   int      `json:"version" doc:"The version read; required for a change"`
	Sent      Sent     `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *RequirementInput) UnmarshalJSON(b []byte) error {
	type plain RequirementInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// ListRequirements lists the parties' requirements (of one party with f.Party).
func (s *Service) ListRequirements(ctx context.Context, f RequirementFilter, p Page) (List[isms.Requirement], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Requirement], error) {
		return store.Requirements.List(ctx, tx, a.OrgID, f, p)
	})
}

// Requirement returns one requirement by reference (REQ-001) or id.
func (s *Service) Requirement(ctx context.Context, ref string) (isms.Requirement, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Requirement, error) {
		return store.Requirements.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddRequirement records a requirement of the party in.Party.
func (s *Service) AddRequirement(ctx context.Context, in RequirementInput) (isms.Requirement, error) {
	return s.writeRequirement(ctx, "", in, false, false)
}

// AddPartyRequirement records a requirement of the party named by party (a reference or id, as in a URL): an
// unknown party is NotFound rather than a field problem.
func (s *Service) AddPartyRequirement(ctx context.Context, party string, in RequirementInput) (isms.Requirement, error) {
	in.Party = party
	return s.writeRequirement(ctx, "", in, false, true)
}

// UpdateRequirement changes a requirement as a whole; a stale version is a Conflict.
func (s *Service) UpdateRequirement(ctx context.Context, ref string, in RequirementInput) (isms.Requirement, error) {
	return s.writeRequirement(ctx, ref, in, false, false)
}

// PatchRequirement changes only the fields in.Sent names, like PatchAsset.
func (s *Service) PatchRequirement(ctx context.Context, ref string, in RequirementInput) (isms.Requirement, error) {
	return s.writeRequirement(ctx, ref, in, true, false)
}

// DeleteRequirement removes a requirement.
func (s *Service) DeleteRequirement(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Requirements, ref, nil)
}

// writeRequirement adds (ref "") or changes a requirement; byPath says the party was named by the URL.
func (s *Service) writeRequirement(ctx context.Context, ref string, in RequirementInput, patch, byPath bool) (isms.Requirement, error) {
	return writeRow(ctx, s, store.Requirements, "REQ", ref, in, in.Version, in.Sent, []string{"party", "text", "type"}, patch,
		func(tx *store.Tx, a Actor, in RequirementInput, row *isms.Requirement) error {
			if byPath {
				party, err := store.Parties.Get(ctx, tx, a.OrgID, in.Party) // NotFound, also for another organisation's
				if err != nil {
					return err
				}
				in.Party = party.Ref
			}
			parties, err := tx.Resolve(ctx, a.OrgID, store.PartyLookup, []string{in.Party})
			if err != nil {
				return err
			}
			var p isms.Problems
			isms.CheckText(&p, "text", in.Text, 1000)
			in.Type = strings.ToLower(strings.TrimSpace(in.Type))
			if !isms.OneOf(in.Type, isms.RequirementTypes) {
				p.Add("type", "must be one of %s", strings.Join(isms.RequirementTypes, ", "))
			}
			checkLong(&p, map[string]string{"addressed": in.Addressed})
			controls := s.annexControls(&p, "controls", in.Controls)
			if strings.TrimSpace(in.Party) == "" {
				p.Add("party", "is required")
			}
			party := resolveTarget(&p, "party", in.Party, parties, "interested party")
			if err := p.Err(); err != nil {
				return err
			}
			row.PartyID, row.Party, row.PartyName = party.ID, party.Ref, party.Name
			row.Text, row.Type, row.Addressed, row.Controls = strings.TrimSpace(in.Text), in.Type, strings.TrimSpace(in.Addressed), controls
			s.stampTimes(&row.CreatedAt, &row.UpdatedAt, ref == "")
			return nil
		})
}

// annexControls checks control ids against the catalog ("A.8.24" and " 8.24" are 8.24), dropping blanks and
// repeats; an unknown id is a problem under field.
func (s *Service) annexControls(p *isms.Problems, field string, in []string) []string {
	out := []string{}
	for _, c := range in {
		for _, id := range strings.Split(c, ",") { // a door may pass "5.1, 8.24" as one value
			if id = controlID(id); id == "" {
				continue
			}
			ctl, ok, why := s.mapControl(id)
			if !ok {
				p.Add(field, "%s", cmp.Or(why, fmt.Sprintf("%q is not an ISO/IEC 27001:2022 Annex A control", id)))
				continue
			}
			if !slices.Contains(out, ctl) {
				out = append(out, ctl)
			}
		}
	}
	return out
}
