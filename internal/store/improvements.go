package store

import (
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Improvements is the improvement log (clause 10.1) declared once.
var Improvements = &Register[isms.Improvement, ImprovementFilter]{
	Entity: "improvement", Table: "improvements", Alias: "im",
	ID:      func(m *isms.Improvement) *string { return &m.ID },
	Ref:     func(m *isms.Improvement) *string { return &m.Ref },
	Version: func(m *isms.Improvement) *int { return &m.Version },
	Columns: []Column[isms.Improvement]{
		Text("title", func(m *isms.Improvement) *string { return &m.Title }),
		Text("description", func(m *isms.Improvement) *string { return &m.Description }),
		Text("reason", func(m *isms.Improvement) *string { return &m.Reason }),
		Text("source", func(m *isms.Improvement) *string { return &m.Source }),
		Text("source_ref", func(m *isms.Improvement) *string { return &m.SourceRef }),
		Text("made_on", func(m *isms.Improvement) *string { return &m.MadeOn }),
		Time("created_at", func(m *isms.Improvement) *time.Time { return &m.CreatedAt }).InsertOnly(),
		Time("updated_at", func(m *isms.Improvement) *time.Time { return &m.UpdatedAt }),
	},
	Refs: []Reference[isms.Improvement]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(m *isms.Improvement) *string { return &m.OwnerID },
		Ref:  func(m *isms.Improvement) *string { return &m.Owner },
		Name: func(m *isms.Improvement) *string { return &m.OwnerName }}},
	ListColumns: []ListColumn[isms.Improvement]{
		{Header: "ref", Value: func(m *isms.Improvement) string { return m.Ref }},
		{Header: "made on", Value: func(m *isms.Improvement) string { return m.MadeOn }},
		{Header: "title", Width: 50, Value: func(m *isms.Improvement) string { return m.Title }},
		{Header: "source", Value: func(m *isms.Improvement) string { return m.Source }},
		{Header: "source ref", Value: func(m *isms.Improvement) string { return m.SourceRef }},
		{Header: "owner", Value: func(m *isms.Improvement) string { return m.OwnerName }},
	},
	Filters: []Filter[ImprovementFilter]{
		{Name: "source", Kind: FilterEnum, Values: isms.ImprovementSources, Cond: "im.source = ?", Doc: "only improvements from this source",
			Field: func(f *ImprovementFilter) *string { return &f.Source }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *ImprovementFilter) *string { return &f.Owner }},
	},
	Sorts: []Sort{{"made_on", "im.made_on"}, {"ref", "im.ref"}, {"title", "lower(im.title)"}, {"source", "im.source"},
		{"owner", "COALESCE(lower(p.name), '')"}},
	Search:    []string{"lower(im.title)", "lower(im.ref)", "lower(im.description)", "lower(im.reason)", "lower(im.source_ref)"},
	SearchDoc: "reference, title, what changed, why or source reference contains",
	SearchOf:  func(f *ImprovementFilter) *string { return &f.Search },
	SortOf:    func(f *ImprovementFilter) *string { return &f.Sort },
}

// ImprovementFilter narrows the improvement log; Improvements.Filters declares each field.
type ImprovementFilter struct {
	Search string
	Source string
	Owner  string // person ref
	Sort   string // made_on (default), ref, title, source or owner; "-" prefix for descending
}
