package service

import (
	"context"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// PersonInput is the editable part of a person. Version matters only for updates.
type PersonInput struct {
	Name          string `json:"name" doc:"Full name"`
	Email         string `json:"email" doc:"Email address"`
	JobTitle      string `json:"job_title" doc:"Job title"`
	Department    string `json:"department" doc:"Department"`
	Team          string `json:"team" doc:"Team"`
	Manager       string `json:"manager" doc:"Manager: a person's reference (P-003), email or name; empty for none"`
	Employment    string `json:"employment" doc:"employee or contractor; empty when unknown"`
	StartDate     string `json:"start_date" doc:"Start date, YYYY-MM-DD"`
	EndDate       string `json:"end_date" doc:"Last day, YYYY-MM-DD; a leaver once it has passed"`
	ScreenedOn    string `json:"screened_on" doc:"Day the background check was done, YYYY-MM-DD"`
	TermsSignedOn string `json:"terms_signed_on" doc:"Day the terms and conditions (security duties) were signed, YYYY-MM-DD"`
	Notes         string `json:"notes" doc:"Notes, such as training taken"`
	Version       int    `json:"version" doc:"The version read; required for a change"`
	Sent          Sent   `json:"-"` // the fields a request carried (patch.go)
}

// check adds the problems of in to p, each field named after prefix ("line 4: " in imports), and finds its
// manager among people (resolved by value, lower-cased: tx.Resolve).
func (in *PersonInput) check(p *isms.Problems, prefix string, people map[string]store.Target) (manager store.Target) {
	isms.CheckText(p, prefix+"name", in.Name, 120)
	in.Email = isms.NormaliseEmail(in.Email)
	if in.Email != "" && !isms.ValidEmail(in.Email) {
		p.Add(prefix+"email", "must be an email address")
	}
	for _, f := range []struct{ field, v string }{{"job_title", in.JobTitle}, {"department", in.Department}, {"team", in.Team}} {
		if len(f.v) > 120 {
			p.Add(prefix+f.field, "must be at most 120 characters")
		}
	}
	in.Employment = strings.ToLower(strings.TrimSpace(in.Employment))
	if in.Employment != "" && !isms.OneOf(in.Employment, isms.Employments) {
		p.Add(prefix+"employment", "must be one of %s, or empty", strings.Join(isms.Employments, ", "))
	}
	if len(in.Notes) > 4000 {
		p.Add(prefix+"notes", "must be at most 4000 characters")
	}
	in.StartDate, in.EndDate = strings.TrimSpace(in.StartDate), strings.TrimSpace(in.EndDate)
	in.ScreenedOn, in.TermsSignedOn = strings.TrimSpace(in.ScreenedOn), strings.TrimSpace(in.TermsSignedOn)
	isms.CheckPersonDays(p, prefix, isms.Person{StartDate: in.StartDate, EndDate: in.EndDate, ScreenedOn: in.ScreenedOn, TermsSignedOn: in.TermsSignedOn})
	return resolveTarget(p, prefix+"manager", in.Manager, people, "person")
}

// apply copies a valid input onto a person.
func (in PersonInput) apply(p *isms.Person, manager store.Target) {
	p.Name, p.Email, p.JobTitle = strings.TrimSpace(in.Name), in.Email, strings.TrimSpace(in.JobTitle)
	p.Department, p.Team, p.Employment = strings.TrimSpace(in.Department), strings.TrimSpace(in.Team), in.Employment
	p.StartDate, p.EndDate, p.ScreenedOn, p.TermsSignedOn = in.StartDate, in.EndDate, in.ScreenedOn, in.TermsSignedOn
	p.Notes = strings.TrimSpace(in.Notes)
	p.ManagerID, p.Manager, p.ManagerName = manager.ID, manager.Ref, manager.Name
}

// checkManagers adds a problem for each person of changes (person id -> new manager id) whose manager would be
// themself or someone they manage, reading the chains above the new managers with one query. field names the
// problem of a person's change.
func checkManagers(ctx context.Context, tx *store.Tx, orgID string, p *isms.Problems, changes map[string]string, field func(person string) string) error {
	var above []string
	for _, m := range changes {
		if m != "" {
			above = append(above, m)
		}
	}
	if len(above) == 0 {
		return nil
	}
	managers, err := tx.ManagersAbove(ctx, orgID, above)
	if err != nil {
		return err
	}
	for person, m := range changes {
		managers[person] = m
	}
	for person, m := range changes {
		if err := isms.ManagerCycle(person, m, managers); err != nil {
			p.Add(field(person), "%s", err.Error())
		}
	}
	return nil
}

// PeopleRegister is the declaration of the staff register.
var PeopleRegister = store.People

// ListPeople lists the organisation's staff.
func (s *Service) ListPeople(ctx context.Context, f PersonFilter, p Page) (List[isms.Person], error) {
	f.AsOf = s.now()
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Person], error) {
		return store.People.List(ctx, tx, a.OrgID, f, p)
	})
}

// Person returns one person by reference (P-001) or id.
func (s *Service) Person(ctx context.Context, ref string) (isms.Person, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Person, error) {
		return tx.PersonByRef(ctx, a.OrgID, ref)
	})
}

// AddPerson records a member of staff.
func (s *Service) AddPerson(ctx context.Context, in PersonInput) (isms.Person, error) {
	return s.writePerson(ctx, "", in, nil)
}

// UpdatePerson changes a person as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdatePerson(ctx context.Context, ref string, in PersonInput) (isms.Person, error) {
	return s.writePerson(ctx, ref, in, nil)
}

// writePerson adds (ref "") or changes a person, resolving the manager with one scoped query and checking the
// chain of managers above for a loop. merge, when not nil, makes the whole input of a partial update from the
// saved person (validated then, in the transaction).
func (s *Service) writePerson(ctx context.Context, ref string, in PersonInput, merge func(isms.Person) PersonInput) (isms.Person, error) {
	var check func() error
	if merge == nil && ref != "" {
		check = func() error { return in.Sent.require(personRequired...) }
	}
	return writeAs(ctx, s, isms.PermWriteContent, store.People, change[isms.Person]{Ref: ref, Version: in.Version, Kind: "P", Check: check,
		Apply: func(tx *store.Tx, a Actor, p *isms.Person) error {
			if merge != nil {
				in = merge(*p)
			}
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Manager})
			if err != nil {
				return err
			}
			var problems isms.Problems
			manager := in.check(&problems, "", people)
			if p.ID != "" && manager.ID != "" {
				err := checkManagers(ctx, tx, a.OrgID, &problems, map[string]string{p.ID: manager.ID}, func(string) string { return "manager" })
				if err != nil {
					return err
				}
			}
			if err := problems.Err(); err != nil {
				return err
			}
			p.OrgID = a.OrgID
			in.apply(p, manager)
			if ref == "" {
				p.CreatedAt = s.now()
			}
			return nil
		}})
}

// LeaversWithOpenAccess are the people whose end date has passed while their account still has a membership or
// a working API token here, longest gone first.
func (s *Service) LeaversWithOpenAccess(ctx context.Context) ([]store.OpenAccess, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]store.OpenAccess, error) {
		return tx.LeaversWithOpenAccess(ctx, a.OrgID, s.now(), "")
	})
}

// PersonOpenAccess says whether the person (reference) has left with access still open, and what is open.
func (s *Service) PersonOpenAccess(ctx context.Context, ref string) (store.OpenAccess, bool, error) {
	open, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]store.OpenAccess, error) {
		return tx.LeaversWithOpenAccess(ctx, a.OrgID, s.now(), ref)
	})
	if err != nil || len(open) == 0 {
		return store.OpenAccess{}, false, err
	}
	return open[0], true, nil
}

// StaffOverview is what stands out in the staff register: the first leavers with open access (at most shown)
// and the current staff without screening (6.1) or without signed terms (6.2).
func (s *Service) StaffOverview(ctx context.Context, shown int) (store.StaffOverview, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (store.StaffOverview, error) {
		return tx.StaffOverview(ctx, a.OrgID, s.now(), shown)
	})
}
