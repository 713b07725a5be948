package store

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Roles is the register of ISMS roles (clause 5.3) declared once.
var Roles = &Register[isms.ISMSRole, RoleFilter]{
	Entity: "role", Table: "isms_roles", Alias: "rl",
	ID:      func(r *isms.ISMSRole) *string { return &r.ID },
	Ref:     func(r *isms.ISMSRole) *string { return &r.Ref },
	Version: func(r *isms.ISMSRole) *int { return &r.Version },
	Columns: []Column[isms.ISMSRole]{
		Text("name", func(r *isms.ISMSRole) *string { return &r.Name }),
		Text("kind", func(r *isms.ISMSRole) *string { return &r.Kind }),
		Text("responsibilities", func(r *isms.ISMSRole) *string { return &r.Responsibilities }),
		Text("authorities", func(r *isms.ISMSRole) *string { return &r.Authorities }),
		Text("notes", func(r *isms.ISMSRole) *string { return &r.Notes }),
		Time("created_at", func(r *isms.ISMSRole) *time.Time { return &r.CreatedAt }).InsertOnly(),
		Time("updated_at", func(r *isms.ISMSRole) *time.Time { return &r.UpdatedAt }),
	},
	Refs: []Reference[isms.ISMSRole]{{Column: "person_id", Target: PeopleLookup, Alias: "p",
		ID:   func(r *isms.ISMSRole) *string { return &r.PersonID },
		Ref:  func(r *isms.ISMSRole) *string { return &r.Person },
		Name: func(r *isms.ISMSRole) *string { return &r.PersonName }}},
	ListColumns: []ListColumn[isms.ISMSRole]{
		{Header: "ref", Value: func(r *isms.ISMSRole) string { return r.Ref }},
		{Header: "name", Value: func(r *isms.ISMSRole) string { return r.Name }},
		{Header: "kind", Value: func(r *isms.ISMSRole) string { return r.Kind }},
		{Header: "person", Value: func(r *isms.ISMSRole) string { return r.PersonName }},
		{Header: "responsibilities", Width: 60, Value: func(r *isms.ISMSRole) string { return r.Responsibilities }},
	},
	Filters: []Filter[RoleFilter]{
		{Name: "kind", Kind: FilterEnum, Values: isms.RoleKinds, Cond: "rl.kind = ?", Doc: "only this kind of role",
			Field: func(f *RoleFilter) *string { return &f.Kind }},
		{Name: "person", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only roles this person holds (person reference, P-001)",
			Field: func(f *RoleFilter) *string { return &f.Person }},
	},
	Sorts:     []Sort{{"ref", "rl.ref"}, {"name", "lower(rl.name)"}, {"person", "COALESCE(lower(p.name), '')"}},
	Search:    []string{"lower(rl.name)", "lower(rl.ref)", "lower(rl.responsibilities)"},
	SearchDoc: "reference, name or responsibilities contain",
	SearchOf:  func(f *RoleFilter) *string { return &f.Search },
	SortOf:    func(f *RoleFilter) *string { return &f.Sort },
}

// RoleFilter narrows the role list; Roles.Filters declares each field.
type RoleFilter struct {
	Search string
	Kind   string
	Person string // person ref
	Sort   string // ref (default), name or person; "-" prefix for descending
}

// RoleKindCounts counts the organisation's roles of each kind, for the one-owner, one-sponsor warning.
func (tx *Tx) RoleKindCounts(ctx context.Context, orgID string) (map[string]int, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT kind, count(*) FROM isms_roles WHERE org_id = $1 GROUP BY kind", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, err
		}
		out[kind] = n
	}
	return out, rows.Err()
}

// Commitments is the register of leadership commitments (clause 5.1) declared once.
var Commitments = &Register[isms.Commitment, CommitmentFilter]{
	Entity: "commitment", Table: "leadership_commitments", Alias: "lc",
	ID:      func(c *isms.Commitment) *string { return &c.ID },
	Ref:     func(c *isms.Commitment) *string { return &c.Ref },
	Version: func(c *isms.Commitment) *int { return &c.Version },
	Columns: []Column[isms.Commitment]{
		Text("title", func(c *isms.Commitment) *string { return &c.Title }),
		Text("committed_on", func(c *isms.Commitment) *string { return &c.Date }),
		Text("evidence", func(c *isms.Commitment) *string { return &c.Evidence }),
		Text("document", func(c *isms.Commitment) *string { return &c.Document }),
		Text("notes", func(c *isms.Commitment) *string { return &c.Notes }),
		Time("created_at", func(c *isms.Commitment) *time.Time { return &c.CreatedAt }).InsertOnly(),
		Time("updated_at", func(c *isms.Commitment) *time.Time { return &c.UpdatedAt }),
	},
	Refs: []Reference[isms.Commitment]{{Column: "person_id", Target: PeopleLookup, Alias: "p",
		ID:   func(c *isms.Commitment) *string { return &c.PersonID },
		Ref:  func(c *isms.Commitment) *string { return &c.Person },
		Name: func(c *isms.Commitment) *string { return &c.PersonName }}},
	ListColumns: []ListColumn[isms.Commitment]{
		{Header: "ref", Value: func(c *isms.Commitment) string { return c.Ref }},
		{Header: "date", Value: func(c *isms.Commitment) string { return c.Date }},
		{Header: "title", Width: 50, Value: func(c *isms.Commitment) string { return c.Title }},
		{Header: "person", Value: func(c *isms.Commitment) string { return c.PersonName }},
		{Header: "document", Value: func(c *isms.Commitment) string { return c.Document }},
		{Header: "evidence", Width: 40, Value: func(c *isms.Commitment) string { return c.Evidence }},
	},
	Filters: []Filter[CommitmentFilter]{
		{Name: "person", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only commitments of this person (person reference, P-001)",
			Field: func(f *CommitmentFilter) *string { return &f.Person }},
	},
	Sorts:     []Sort{{"date", "lc.committed_on"}, {"ref", "lc.ref"}, {"title", "lower(lc.title)"}},
	Search:    []string{"lower(lc.title)", "lower(lc.ref)", "lower(lc.evidence)", "lower(lc.document)"},
	SearchDoc: "reference, title, evidence or document contains",
	SearchOf:  func(f *CommitmentFilter) *string { return &f.Search },
	SortOf:    func(f *CommitmentFilter) *string { return &f.Sort },
}

// CommitmentFilter narrows the commitment list; Commitments.Filters declares each field.
type CommitmentFilter struct {
	Search string
	Person string // person ref
	Sort   string // date (default), ref or title; "-" prefix for descending
}
