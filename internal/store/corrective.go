package store

import (
	"context"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// FindingLookup resolves a finding named by its reference (F-001, any case).
var FindingLookup = Lookup{Table: "findings", Name: "title"}

// CorrectiveOverdueSQL is isms.CorrectiveOverdue in SQL (alias ca; ? is today): due before today and not closed.
const CorrectiveOverdueSQL = "ca.due <> '' AND ca.status <> 'closed' AND ca.due < ?"

// CorrectiveActions is the register of corrective actions (clause 10.2) declared once. The effectiveness check
// (who, when, result) is written by the service's verify, never by an edit.
var CorrectiveActions = &Register[isms.CorrectiveAction, CorrectiveFilter]{
	Entity: "corrective action", Table: "corrective_actions", Alias: "ca",
	ID:      func(c *isms.CorrectiveAction) *string { return &c.ID },
	Ref:     func(c *isms.CorrectiveAction) *string { return &c.Ref },
	Version: func(c *isms.CorrectiveAction) *int { return &c.Version },
	Columns: []Column[isms.CorrectiveAction]{
		Text("title", func(c *isms.CorrectiveAction) *string { return &c.Title }),
		Text("correction", func(c *isms.CorrectiveAction) *string { return &c.Correction }),
		Text("root_cause", func(c *isms.CorrectiveAction) *string { return &c.RootCause }),
		Text("action", func(c *isms.CorrectiveAction) *string { return &c.Action }),
		Text("due", func(c *isms.CorrectiveAction) *string { return &c.Due }),
		Text("status", func(c *isms.CorrectiveAction) *string { return &c.Status }),
		OptText("checked_by_id", func(c *isms.CorrectiveAction) *string { return &c.CheckedByID }),
		Text("checked_by_name", func(c *isms.CorrectiveAction) *string { return &c.CheckedBy }),
		OptTime("checked_at", func(c *isms.CorrectiveAction) **time.Time { return &c.CheckedAt }),
		Text("check_result", func(c *isms.CorrectiveAction) *string { return &c.CheckResult }),
		Text("check_notes", func(c *isms.CorrectiveAction) *string { return &c.CheckNotes }),
		OptTime("closed_at", func(c *isms.CorrectiveAction) **time.Time { return &c.ClosedAt }),
		Time("created_at", func(c *isms.CorrectiveAction) *time.Time { return &c.CreatedAt }).InsertOnly(),
		Time("updated_at", func(c *isms.CorrectiveAction) *time.Time { return &c.UpdatedAt }),
	},
	Refs: []Reference[isms.CorrectiveAction]{
		{Column: "finding_id", Target: FindingLookup, Alias: "fi",
			ID:   func(c *isms.CorrectiveAction) *string { return &c.FindingID },
			Ref:  func(c *isms.CorrectiveAction) *string { return &c.Finding },
			Name: func(c *isms.CorrectiveAction) *string { return &c.FindingTitle }},
		{Column: "owner_id", Target: PeopleLookup, Alias: "p",
			ID:   func(c *isms.CorrectiveAction) *string { return &c.OwnerID },
			Ref:  func(c *isms.CorrectiveAction) *string { return &c.Owner },
			Name: func(c *isms.CorrectiveAction) *string { return &c.OwnerName }}},
	ListColumns: []ListColumn[isms.CorrectiveAction]{
		{Header: "ref", Value: func(c *isms.CorrectiveAction) string { return c.Ref }},
		{Header: "finding", Value: func(c *isms.CorrectiveAction) string { return c.Finding }},
		{Header: "title", Width: 50, Value: func(c *isms.CorrectiveAction) string { return c.Title }},
		{Header: "owner", Value: func(c *isms.CorrectiveAction) string { return c.OwnerName }},
		{Header: "due", Value: func(c *isms.CorrectiveAction) string { return c.Due }},
		{Header: "status", Value: func(c *isms.CorrectiveAction) string { return c.Status }},
		{Header: "check", Value: func(c *isms.CorrectiveAction) string { return c.CheckResult }},
	},
	Filters: []Filter[CorrectiveFilter]{
		{Name: "status", Kind: FilterEnum, Values: isms.CorrectiveStatuses, Cond: "ca.status = ?", Doc: "only this status",
			Field: func(f *CorrectiveFilter) *string { return &f.Status }},
		{Name: "finding", Kind: FilterRef, Cond: "fi.ref = ?", Doc: "only the actions of this finding (F-001)",
			Field: func(f *CorrectiveFilter) *string { return &f.Finding }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *CorrectiveFilter) *string { return &f.Owner }},
		{Name: "open", Kind: FilterBool, Cond: "ca.status <> 'closed'", Doc: "only the actions not closed",
			Field: func(f *CorrectiveFilter) *string { return &f.Open }},
		{Name: "overdue_on", Kind: FilterText, Cond: CorrectiveOverdueSQL,
			Doc:   "only the actions overdue on this day (YYYY-MM-DD): due before it and not closed",
			Field: func(f *CorrectiveFilter) *string { return &f.OverdueOn }},
	},
	Sorts: []Sort{{"ref", "ca.ref"}, {"due", "ca.due"}, {"status", "ca.status"}, {"title", "lower(ca.title)"},
		{"owner", "COALESCE(lower(p.name), '')"}},
	Search:    []string{"lower(ca.title)", "lower(ca.ref)", "lower(ca.root_cause)", "lower(ca.action)"},
	SearchDoc: "reference, title, root cause or action contains",
	SearchOf:  func(f *CorrectiveFilter) *string { return &f.Search },
	SortOf:    func(f *CorrectiveFilter) *string { return &f.Sort },
}

// CorrectiveFilter narrows the list of corrective actions.
type CorrectiveFilter struct {
	Search, Status, Finding, Owner string
	Open                           string // yes: only the actions not closed
	OverdueOn                      string // YYYY-MM-DD: only the actions overdue on that day
	Sort                           string // ref (default), due, status, title or owner; "-" descends
}

// CorrectiveCounts counts an organisation's corrective actions not closed, and of those the ones overdue on day
// today (CorrectiveOverdueSQL), in one statement: the dashboard's card.
func (tx *Tx) CorrectiveCounts(ctx context.Context, orgID, today string) (open, overdue int, err error) {
	err = tx.tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN ca.status <> 'closed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+strings.Replace(CorrectiveOverdueSQL, "?", "$2", 1)+` THEN 1 ELSE 0 END), 0)
		FROM corrective_actions ca WHERE ca.org_id = $1`, orgID, today).Scan(&open, &overdue)
	return open, overdue, err
}
