package store

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// PeopleLookup resolves a person named by reference, name or email (one scoped query, Tx.Resolve).
var PeopleLookup = Lookup{Table: "people", Name: "name", Match: []string{"lower(name)", "lower(email)"}}

// People is the staff register (clause 7) declared once.
var People = &Register[isms.Person, PersonFilter]{
	Entity: "person", Table: "people", Alias: "pp",
	ID:      func(p *isms.Person) *string { return &p.ID },
	Ref:     func(p *isms.Person) *string { return &p.Ref },
	Version: func(p *isms.Person) *int { return &p.Version },
	Columns: []Column[isms.Person]{
		Text("name", func(p *isms.Person) *string { return &p.Name }),
		Text("email", func(p *isms.Person) *string { return &p.Email }),
		Text("job_title", func(p *isms.Person) *string { return &p.JobTitle }),
		Text("department", func(p *isms.Person) *string { return &p.Department }),
		Text("start_date", func(p *isms.Person) *string { return &p.StartDate }),
		Text("notes", func(p *isms.Person) *string { return &p.Notes }),
		OptText("user_id", func(p *isms.Person) *string { return &p.UserID }),
		Time("created_at", func(p *isms.Person) *time.Time { return &p.CreatedAt }).InsertOnly(),
	},
	ListColumns: []ListColumn[isms.Person]{
		{Header: "ref", Value: func(p *isms.Person) string { return p.Ref }},
		{Header: "name", Value: func(p *isms.Person) string { return p.Name }},
		{Header: "email", Value: func(p *isms.Person) string { return p.Email }},
		{Header: "job_title", Value: func(p *isms.Person) string { return p.JobTitle }},
		{Header: "department", Value: func(p *isms.Person) string { return p.Department }},
		{Header: "start_date", Value: func(p *isms.Person) string { return p.StartDate }},
	},
	Filters: []Filter[PersonFilter]{
		{Name: "department", Kind: FilterText, Cond: "pp.department = ?", Doc: "only this department",
			Field: func(f *PersonFilter) *string { return &f.Department }},
	},
	Sorts:     []Sort{{"name", "lower(pp.name)"}, {"ref", "pp.ref"}, {"department", "lower(pp.department)"}},
	Search:    []string{"lower(pp.name)", "lower(pp.email)", "lower(pp.job_title)"},
	SearchDoc: "name, email or job title contains",
	SearchOf:  func(f *PersonFilter) *string { return &f.Search },
	SortOf:    func(f *PersonFilter) *string { return &f.Sort },
}

// PersonFilter narrows the people list; People.Filters declares each field.
type PersonFilter struct {
	Search     string // name, email or job title contains
	Department string
	Sort       string // name (default), ref or department; "-" prefix for descending
}

// CreatePerson inserts p (Ref already assigned) into p.OrgID.
func (tx *Tx) CreatePerson(ctx context.Context, p isms.Person) error {
	return People.Insert(ctx, tx, p.OrgID, &p)
}

// PersonByRef loads a person by reference (P-003) or id.
func (tx *Tx) PersonByRef(ctx context.Context, orgID, ref string) (isms.Person, error) {
	p, err := People.Get(ctx, tx, orgID, ref)
	p.OrgID = orgID
	return p, err
}

// ListPeople lists people by name.
func (tx *Tx) ListPeople(ctx context.Context, orgID string, f PersonFilter, p Page) (List[isms.Person], error) {
	return People.List(ctx, tx, orgID, f, p)
}

// UpdatePerson saves p with optimistic locking on p.Version.
func (tx *Tx) UpdatePerson(ctx context.Context, p isms.Person) error {
	return People.Update(ctx, tx, p.OrgID, &p)
}

// DeletePerson removes a person.
func (tx *Tx) DeletePerson(ctx context.Context, orgID, id string) error {
	return People.Delete(ctx, tx, orgID, id)
}
