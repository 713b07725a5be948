package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Clause 4: issues (4.1), interested parties and their requirements (4.2), the ISMS scope (4.3).

// Issues is the register of internal and external issues, declared once.
var Issues = &Register[isms.Issue, IssueFilter]{
	Entity: "issue", Table: "context_issues", Alias: "ci",
	ID:      func(i *isms.Issue) *string { return &i.ID },
	Ref:     func(i *isms.Issue) *string { return &i.Ref },
	Version: func(i *isms.Issue) *int { return &i.Version },
	Columns: []Column[isms.Issue]{
		Text("title", func(i *isms.Issue) *string { return &i.Title }),
		Text("kind", func(i *isms.Issue) *string { return &i.Kind }),
		Text("description", func(i *isms.Issue) *string { return &i.Description }),
		Text("effect", func(i *isms.Issue) *string { return &i.Effect }),
		Text("review_date", func(i *isms.Issue) *string { return &i.ReviewDate }),
		Text("notes", func(i *isms.Issue) *string { return &i.Notes }),
		Time("created_at", func(i *isms.Issue) *time.Time { return &i.CreatedAt }).InsertOnly(),
		Time("updated_at", func(i *isms.Issue) *time.Time { return &i.UpdatedAt }),
	},
	Refs: []Reference[isms.Issue]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(i *isms.Issue) *string { return &i.OwnerID },
		Ref:  func(i *isms.Issue) *string { return &i.Owner },
		Name: func(i *isms.Issue) *string { return &i.OwnerName }}},
	ListColumns: []ListColumn[isms.Issue]{
		{Header: "ref", Value: func(i *isms.Issue) string { return i.Ref }},
		{Header: "title", Width: 40, Value: func(i *isms.Issue) string { return i.Title }},
		{Header: "kind", Value: func(i *isms.Issue) string { return i.Kind }},
		{Header: "owner", Value: func(i *isms.Issue) string { return i.OwnerName }},
		{Header: "review_date", Value: func(i *isms.Issue) string { return i.ReviewDate }},
		{Header: "effect", Width: 50, Value: func(i *isms.Issue) string { return i.Effect }},
	},
	Filters: []Filter[IssueFilter]{
		{Name: "kind", Kind: FilterEnum, Values: isms.IssueKinds, Cond: "ci.kind = ?", Doc: "only internal or only external issues",
			Field: func(f *IssueFilter) *string { return &f.Kind }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *IssueFilter) *string { return &f.Owner }},
	},
	Sorts: []Sort{{"ref", "ci.ref"}, {"title", "lower(ci.title)"}, {"kind", "ci.kind"}, {"review", "ci.review_date"},
		{"updated", "ci.updated_at"}},
	Search:    []string{"lower(ci.title)", "lower(ci.ref)", "lower(ci.description)", "lower(ci.effect)"},
	SearchDoc: "reference, title, description or effect contains",
	SearchOf:  func(f *IssueFilter) *string { return &f.Search },
	SortOf:    func(f *IssueFilter) *string { return &f.Sort },
}

// IssueFilter narrows the issue list; Issues.Filters declares each field.
type IssueFilter struct {
	Search string
	Kind   string
	Owner  string // person ref
	Sort   string // ref (default), title, kind, review, updated; "-" prefix for descending
}

// PartyLookup resolves an interested party named by reference or name.
var PartyLookup = Lookup{Table: "interested_parties", Name: "name", Match: []string{"lower(name)"}}

// Parties is the register of interested parties, declared once.
var Parties = &Register[isms.Party, PartyFilter]{
	Entity: "party", Table: "interested_parties", Alias: "ip",
	ID:      func(p *isms.Party) *string { return &p.ID },
	Ref:     func(p *isms.Party) *string { return &p.Ref },
	Version: func(p *isms.Party) *int { return &p.Version },
	Columns: []Column[isms.Party]{
		Text("name", func(p *isms.Party) *string { return &p.Name }),
		Text("kind", func(p *isms.Party) *string { return &p.Kind }),
		Text("description", func(p *isms.Party) *string { return &p.Description }),
		Text("notes", func(p *isms.Party) *string { return &p.Notes }),
		Time("created_at", func(p *isms.Party) *time.Time { return &p.CreatedAt }).InsertOnly(),
		Time("updated_at", func(p *isms.Party) *time.Time { return &p.UpdatedAt }),
	},
	ListColumns: []ListColumn[isms.Party]{
		{Header: "ref", Value: func(p *isms.Party) string { return p.Ref }},
		{Header: "name", Width: 40, Value: func(p *isms.Party) string { return p.Name }},
		{Header: "kind", Value: func(p *isms.Party) string { return p.Kind }},
		{Header: "description", Width: 50, Value: func(p *isms.Party) string { return p.Description }},
	},
	Filters: []Filter[PartyFilter]{
		{Name: "kind", Kind: FilterEnum, Values: isms.PartyKinds, Cond: "ip.kind = ?", Doc: "only this kind of party",
			Field: func(f *PartyFilter) *string { return &f.Kind }},
	},
	Sorts:     []Sort{{"ref", "ip.ref"}, {"name", "lower(ip.name)"}, {"kind", "ip.kind"}, {"updated", "ip.updated_at"}},
	Search:    []string{"lower(ip.name)", "lower(ip.ref)", "lower(ip.description)"},
	SearchDoc: "reference, name or description contains",
	SearchOf:  func(f *PartyFilter) *string { return &f.Search },
	SortOf:    func(f *PartyFilter) *string { return &f.Sort },
}

// PartyFilter narrows the party list; Parties.Filters declares each field.
type PartyFilter struct {
	Search string
	Kind   string
	Sort   string // ref (default), name, kind, updated; "-" prefix for descending
}

// Requirements is the register of the parties' requirements, each row keyed to its party.
var Requirements = &Register[isms.Requirement, RequirementFilter]{
	Entity: "requirement", Table: "party_requirements", Alias: "rq",
	ID:      func(r *isms.Requirement) *string { return &r.ID },
	Ref:     func(r *isms.Requirement) *string { return &r.Ref },
	Version: func(r *isms.Requirement) *int { return &r.Version },
	Columns: []Column[isms.Requirement]{
		Text("text", func(r *isms.Requirement) *string { return &r.Text }),
		Text("type", func(r *isms.Requirement) *string { return &r.Type }),
		Text("addressed", func(r *isms.Requirement) *string { return &r.Addressed }),
		textList("controls", func(r *isms.Requirement) *[]string { return &r.Controls }),
		Time("created_at", func(r *isms.Requirement) *time.Time { return &r.CreatedAt }).InsertOnly(),
		Time("updated_at", func(r *isms.Requirement) *time.Time { return &r.UpdatedAt }),
	},
	Refs: []Reference[isms.Requirement]{{Column: "party_id", Target: PartyLookup, Alias: "ip",
		ID:   func(r *isms.Requirement) *string { return &r.PartyID },
		Ref:  func(r *isms.Requirement) *string { return &r.Party },
		Name: func(r *isms.Requirement) *string { return &r.PartyName }}},
	ListColumns: []ListColumn[isms.Requirement]{
		{Header: "ref", Value: func(r *isms.Requirement) string { return r.Ref }},
		{Header: "party", Value: func(r *isms.Requirement) string { return r.Party }},
		{Header: "type", Value: func(r *isms.Requirement) string { return r.Type }},
		{Header: "text", Width: 50, Value: func(r *isms.Requirement) string { return r.Text }},
		{Header: "addressed", Width: 50, Value: func(r *isms.Requirement) string { return r.Addressed }},
		{Header: "controls", Value: func(r *isms.Requirement) string { return strings.Join(r.Controls, ", ") }},
	},
	Filters: []Filter[RequirementFilter]{
		{Name: "party", Kind: FilterRef, Cond: "ip.ref = ?", Doc: "only this party's (reference, IP-001)",
			Field: func(f *RequirementFilter) *string { return &f.Party }},
		{Name: "type", Kind: FilterEnum, Values: isms.RequirementTypes, Cond: "rq.type = ?", Doc: "only this type",
			Field: func(f *RequirementFilter) *string { return &f.Type }},
	},
	Sorts:     []Sort{{"ref", "rq.ref"}, {"type", "rq.type"}, {"updated", "rq.updated_at"}},
	Search:    []string{"lower(rq.text)", "lower(rq.ref)", "lower(rq.addressed)"},
	SearchDoc: "reference, requirement or how it is addressed contains",
	SearchOf:  func(f *RequirementFilter) *string { return &f.Search },
	SortOf:    func(f *RequirementFilter) *string { return &f.Sort },
}

// RequirementFilter narrows the requirement list; Requirements.Filters declares each field.
type RequirementFilter struct {
	Search string
	Party  string // party ref
	Type   string
	Sort   string
}

// Scope loads the organisation's ISMS scope; before the first save it is empty, at version 0.
func (tx *Tx) Scope(ctx context.Context, orgID string) (isms.Scope, error) {
	var s isms.Scope
	var units, locations, systems, exclusions, at string
	err := tx.tx.QueryRowContext(ctx, `SELECT statement, units, locations, systems, boundaries, exclusions, updated_at, version
		FROM isms_scope WHERE org_id = $1`, orgID).Scan(&s.Statement, &units, &locations, &systems, &s.Boundaries, &exclusions, &at, &s.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return isms.Scope{Units: []string{}, Locations: []string{}, Systems: []string{}, Exclusions: []isms.Exclusion{}}, nil
	}
	if err != nil {
		return s, err
	}
	if s.UpdatedAt, err = parseTS(at); err != nil {
		return s, err
	}
	for _, f := range []struct {
		text string
		into any
	}{{units, &s.Units}, {locations, &s.Locations}, {systems, &s.Systems}, {exclusions, &s.Exclusions}} {
		if err := json.Unmarshal([]byte(f.text), f.into); err != nil {
			return s, err
		}
	}
	return s, nil
}

// SaveScope writes s as the next version of the scope when the saved one is still at s.Version (0: none yet);
// otherwise the scope changed meanwhile and it is a Conflict. s.Version becomes the new version.
func (tx *Tx) SaveScope(ctx context.Context, orgID string, s *isms.Scope) error {
	var lists [4]string
	for i, v := range []any{s.Units, s.Locations, s.Systems, s.Exclusions} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		lists[i] = string(b)
	}
	var res sql.Result
	var err error
	if s.Version == 0 {
		res, err = tx.tx.ExecContext(ctx, `INSERT INTO isms_scope (org_id, statement, units, locations, systems, boundaries, exclusions, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) ON CONFLICT (org_id) DO NOTHING`,
			orgID, s.Statement, lists[0], lists[1], lists[2], s.Boundaries, lists[3], ts(s.UpdatedAt))
	} else {
		res, err = tx.tx.ExecContext(ctx, `UPDATE isms_scope SET statement = $2, units = $3, locations = $4, systems = $5, boundaries = $6,
			exclusions = $7, updated_at = $8, version = version + 1 WHERE org_id = $1 AND version = $9`,
			orgID, s.Statement, lists[0], lists[1], lists[2], s.Boundaries, lists[3], ts(s.UpdatedAt), s.Version)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return err
		}
		return isms.StaleVersion("the ISMS scope", "")
	}
	s.Version++
	return nil
}
