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
	Name       string `json:"name"`
	Email      string `json:"email"`
	JobTitle   string `json:"job_title"`
	Department string `json:"department"`
	StartDate  string `json:"start_date"` // YYYY-MM-DD or empty
	Version    int    `json:"version"`
}

func (in *PersonInput) validate() error {
	var p isms.Problems
	isms.CheckText(&p, "name", in.Name, 120)
	in.Email = isms.NormaliseEmail(in.Email)
	if in.Email != "" && !isms.ValidEmail(in.Email) {
		p.Add("email", "must be an email address")
	}
	for field, v := range map[string]string{"job_title": in.JobTitle, "department": in.Department} {
		if len(v) > 120 {
			p.Add(field, "must be at most 120 characters")
		}
	}
	if in.StartDate != "" {
		if _, err := time.Parse(time.DateOnly, in.StartDate); err != nil {
			p.Add("start_date", "must be a date as YYYY-MM-DD")
		}
	}
	return p.Err()
}

// ListPeople lists the organisation's staff.
func (s *Service) ListPeople(ctx context.Context, f PersonFilter, p Page) (List[isms.Person], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Person], error) {
		return tx.ListPeople(ctx, a.OrgID, f, p)
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
	var out isms.Person
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return out, err
	}
	if err := in.validate(); err != nil {
		return out, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		ref, err := tx.NextRef(ctx, a.OrgID, "P")
		if err != nil {
			return err
		}
		out = isms.Person{ID: store.NewID(), OrgID: a.OrgID, Ref: ref, Name: strings.TrimSpace(in.Name), Email: in.Email,
			JobTitle: strings.TrimSpace(in.JobTitle), Department: strings.TrimSpace(in.Department), StartDate: in.StartDate,
			CreatedAt: s.now(), Version: 1}
		if err := tx.CreatePerson(ctx, out); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "create", "person", out.ID, out.Ref, nil, out)
	})
	return out, err
}

// UpdatePerson changes a person; a stale version is a Conflict and changes nothing.
func (s *Service) UpdatePerson(ctx context.Context, ref string, in PersonInput) (isms.Person, error) {
	var out isms.Person
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return out, err
	}
	if err := in.validate(); err != nil {
		return out, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.PersonByRef(ctx, a.OrgID, ref)
		if err != nil {
			return err
		}
		out = before
		out.Name, out.Email, out.JobTitle, out.Department, out.StartDate = strings.TrimSpace(in.Name), in.Email,
			strings.TrimSpace(in.JobTitle), strings.TrimSpace(in.Department), in.StartDate
		out.Version = in.Version
		if err := tx.UpdatePerson(ctx, out); err != nil {
			return err
		}
		out.Version++
		return s.audit(ctx, tx, a, "update", "person", out.ID, out.Ref, before, out)
	})
	return out, err
}
