package store

import (
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// RiskLookup resolves a risk named by its reference (R-001, any case), for the links of other registers; not by
// title, which need not be unique. (Resolve needs one Match column: the lower-cased reference is it.)
var RiskLookup = Lookup{Table: "risks", Name: "title"}

// Objectives is the register of information security objectives (clause 6.2) declared once.
var Objectives = &Register[isms.Objective, ObjectiveFilter]{
	Entity: "objective", Table: "objectives", Alias: "ob",
	ID:      func(o *isms.Objective) *string { return &o.ID },
	Ref:     func(o *isms.Objective) *string { return &o.Ref },
	Version: func(o *isms.Objective) *int { return &o.Version },
	Columns: []Column[isms.Objective]{
		Text("title", func(o *isms.Objective) *string { return &o.Title }),
		Text("measure", func(o *isms.Objective) *string { return &o.Measure }),
		Text("target", func(o *isms.Objective) *string { return &o.Target }),
		Text("due", func(o *isms.Objective) *string { return &o.Due }),
		Text("status", func(o *isms.Objective) *string { return &o.Status }),
		Text("policy", func(o *isms.Objective) *string { return &o.Policy }),
		textList("risk_refs", func(o *isms.Objective) *[]string { return &o.Risks }),
		Text("notes", func(o *isms.Objective) *string { return &o.Notes }),
		Time("created_at", func(o *isms.Objective) *time.Time { return &o.CreatedAt }).InsertOnly(),
		Time("updated_at", func(o *isms.Objective) *time.Time { return &o.UpdatedAt }),
	},
	Refs: []Reference[isms.Objective]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(o *isms.Objective) *string { return &o.OwnerID },
		Ref:  func(o *isms.Objective) *string { return &o.Owner },
		Name: func(o *isms.Objective) *string { return &o.OwnerName }}},
	ListColumns: []ListColumn[isms.Objective]{
		{Header: "ref", Value: func(o *isms.Objective) string { return o.Ref }},
		{Header: "title", Width: 50, Value: func(o *isms.Objective) string { return o.Title }},
		{Header: "target", Width: 30, Value: func(o *isms.Objective) string { return o.Target }},
		{Header: "owner", Value: func(o *isms.Objective) string { return o.OwnerName }},
		{Header: "due", Value: func(o *isms.Objective) string { return o.Due }},
		{Header: "status", Value: func(o *isms.Objective) string { return o.Status }},
		{Header: "risks", Value: func(o *isms.Objective) string { return strings.Join(o.Risks, ", ") }},
	},
	Filters: []Filter[ObjectiveFilter]{
		{Name: "status", Kind: FilterEnum, Values: isms.ObjectiveStatuses, Cond: "ob.status = ?", Doc: "only this status",
			Field: func(f *ObjectiveFilter) *string { return &f.Status }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *ObjectiveFilter) *string { return &f.Owner }},
		// isms.Objective.Overdue in SQL: due before the day given and not achieved.
		{Name: "overdue_on", Kind: FilterText, Cond: "ob.due <> '' AND ob.status <> 'achieved' AND ob.due < ?",
			Doc:   "only objectives overdue on this day (YYYY-MM-DD): due before it and not achieved",
			Field: func(f *ObjectiveFilter) *string { return &f.OverdueOn }},
	},
	Sorts: []Sort{{"ref", "ob.ref"}, {"due", "ob.due"}, {"title", "lower(ob.title)"}, {"status", "ob.status"},
		{"owner", "COALESCE(lower(p.name), '')"}},
	Search:    []string{"lower(ob.title)", "lower(ob.ref)", "lower(ob.measure)", "lower(ob.policy)"},
	SearchDoc: "reference, title, measure or policy statement contains",
	SearchOf:  func(f *ObjectiveFilter) *string { return &f.Search },
	SortOf:    func(f *ObjectiveFilter) *string { return &f.Sort },
}

// ObjectiveFilter narrows the objective list; Objectives.Filters declares each field.
type ObjectiveFilter struct {
	Search    string
	Status    string
	Owner     string // person ref
	OverdueOn string // YYYY-MM-DD: only objectives overdue on that day
	Sort      string // ref (default), due, title, status or owner; "-" prefix for descending
}
