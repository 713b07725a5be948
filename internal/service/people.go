package service

import (
	"context"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// PersonInput is the editable part of a person. Version matters only for updates.
type PersonInput struct {
	Name       string `json:"name" doc:"Full name"`
	Email      string `json:"email" doc:"Email address"`
	JobTitle   string `json:"job_title" doc:"Job title"`
	Department string `json:"department" doc:"Department"`
	StartDate  string `json:"start_date" doc:"Start date, YYYY-MM-DD"`
	Notes      string `json:"notes" doc:"Notes, such as training taken"`
	Version    int    `json:"version" doc:"The version read; required for a change"`
	Sent       Sent   `json:"-"` // the fields a request carried (patch.go)
}

func (in *PersonInput) validate() error {
	var p isms.Problems
	in.check(&p, "")
	return p.Err()
}

// check adds the problems of in to p, each field named after prefix ("line 4: " in imports).
func (in *PersonInput) check(p *isms.Problems, prefix string) {
	isms.CheckText(p, prefix+"name", in.Name, 120)
	in.Email = isms.NormaliseEmail(in.Email)
	if in.Email != "" && !isms.ValidEmail(in.Email) {
		p.Add(prefix+"email", "must be an email address")
	}
	for _, f := range []struct{ field, v string }{{"job_title", in.JobTitle}, {"department", in.Department}} {
		if len(f.v) > 120 {
			p.Add(prefix+f.field, "must be at most 120 characters")
		}
	}
	if len(in.Notes) > 4000 {
		p.Add(prefix+"notes", "must be at most 4000 characters")
	}
	if in.StartDate != "" {
		if _, err := time.Parse(time.DateOnly, in.StartDate); err != nil {
			p.Add(prefix+"start_date", "must be a date as YYYY-MM-DD")
		}
	}
}

// apply copies a valid input onto a person.
func (in PersonInput) apply(p *isms.Person) {
	p.Name, p.Email, p.JobTitle = strings.TrimSpace(in.Name), in.Email, strings.TrimSpace(in.JobTitle)
	p.Department, p.StartDate, p.Notes = strings.TrimSpace(in.Department), in.StartDate, strings.TrimSpace(in.Notes)
}

// PeopleRegister is the declaration of the staff register.
var PeopleRegister = store.People

// ListPeople lists the organisation's staff.
func (s *Service) ListPeople(ctx context.Context, f PersonFilter, p Page) (List[isms.Person], error) {
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

// writePerson adds (ref "") or changes a person. merge, when not nil, makes the whole input of a partial update
// from the saved person (validated then, in the transaction).
func (s *Service) writePerson(ctx context.Context, ref string, in PersonInput, merge func(isms.Person) PersonInput) (isms.Person, error) {
	check := in.validate
	switch {
	case merge != nil:
		check = nil
	case ref != "":
		check = func() error {
			if err := in.Sent.require(personRequired...); err != nil {
				return err
			}
			return in.validate()
		}
	}
	return writeAs(ctx, s, isms.PermWriteContent, store.People, change[isms.Person]{Ref: ref, Version: in.Version, Kind: "P", Check: check,
		Apply: func(tx *store.Tx, a Actor, p *isms.Person) error {
			if merge != nil {
				in = merge(*p)
				if err := in.validate(); err != nil {
					return err
				}
			}
			p.OrgID = a.OrgID
			in.apply(p)
			if ref == "" {
				p.CreatedAt = s.now()
			}
			return nil
		}})
}
