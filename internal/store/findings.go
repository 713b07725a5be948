package store

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// AuditLookup resolves an audit named by its reference (AU-001, any case); not by title, which need not be unique.
var AuditLookup = Lookup{Table: "audits", Name: "title"}

// Findings is the register of findings (9.2, 10.2) declared once.
var Findings = &Register[isms.Finding, FindingFilter]{
	Entity: "finding", Table: "findings", Alias: "fi",
	ID:      func(f *isms.Finding) *string { return &f.ID },
	Ref:     func(f *isms.Finding) *string { return &f.Ref },
	Version: func(f *isms.Finding) *int { return &f.Version },
	Columns: []Column[isms.Finding]{
		Text("title", func(f *isms.Finding) *string { return &f.Title }),
		Text("description", func(f *isms.Finding) *string { return &f.Description }),
		Text("grade", func(f *isms.Finding) *string { return &f.Grade }),
		Text("source", func(f *isms.Finding) *string { return &f.Source }),
		Text("clause", func(f *isms.Finding) *string { return &f.Clause }),
		Text("control_id", func(f *isms.Finding) *string { return &f.Control }),
		Text("evidence_seen", func(f *isms.Finding) *string { return &f.EvidenceSeen }),
		Text("raised_by", func(f *isms.Finding) *string { return &f.RaisedBy }),
		Text("raised_on", func(f *isms.Finding) *string { return &f.RaisedOn }),
		Text("status", func(f *isms.Finding) *string { return &f.Status }),
		Time("created_at", func(f *isms.Finding) *time.Time { return &f.CreatedAt }).InsertOnly(),
		Time("updated_at", func(f *isms.Finding) *time.Time { return &f.UpdatedAt }),
	},
	Refs: []Reference[isms.Finding]{{Column: "audit_id", Target: AuditLookup, Alias: "au",
		ID:   func(f *isms.Finding) *string { return &f.AuditID },
		Ref:  func(f *isms.Finding) *string { return &f.Audit },
		Name: func(f *isms.Finding) *string { return &f.AuditTitle }},
		{Column: "certification_id", Target: CertificationLookup, Alias: "ce",
			ID:   func(f *isms.Finding) *string { return &f.CertificationID },
			Ref:  func(f *isms.Finding) *string { return &f.Certification },
			Name: func(f *isms.Finding) *string { return &f.CertificationKind }}},
	ListColumns: []ListColumn[isms.Finding]{
		{Header: "ref", Value: func(f *isms.Finding) string { return f.Ref }},
		{Header: "title", Width: 50, Value: func(f *isms.Finding) string { return f.Title }},
		{Header: "grade", Value: func(f *isms.Finding) string { return f.GradeWords() }},
		{Header: "against", Value: func(f *isms.Finding) string { return against(f.Clause, f.Control) }},
		{Header: "audit", Value: func(f *isms.Finding) string { return f.Audit }},
		{Header: "raised", Value: func(f *isms.Finding) string { return f.RaisedOn }},
		{Header: "status", Value: func(f *isms.Finding) string { return f.Status }},
	},
	Filters: []Filter[FindingFilter]{
		{Name: "grade", Kind: FilterEnum, Values: isms.FindingGrades, Cond: "fi.grade = ?", Doc: "only this grade",
			Field: func(f *FindingFilter) *string { return &f.Grade }},
		{Name: "status", Kind: FilterEnum, Values: isms.FindingStatuses, Cond: "fi.status = ?", Doc: "only this status",
			Field: func(f *FindingFilter) *string { return &f.Status }},
		{Name: "source", Kind: FilterEnum, Values: isms.FindingSources, Cond: "fi.source = ?", Doc: "only findings from this source",
			Field: func(f *FindingFilter) *string { return &f.Source }},
		{Name: "audit", Kind: FilterRef, Cond: "au.ref = ?", Doc: "only findings of this audit (AU-001)",
			Field: func(f *FindingFilter) *string { return &f.Audit }},
		{Name: "certification", Kind: FilterRef, Cond: "ce.ref = ?", Doc: "only findings of this certification audit (CERT-001)",
			Field: func(f *FindingFilter) *string { return &f.Certification }},
	},
	// The grade sorts most serious first: the grades' order, not the alphabet's.
	Sorts: []Sort{{"ref", "fi.ref"}, {"raised", "fi.raised_on"}, {"title", "lower(fi.title)"},
		{"grade", "CASE fi.grade WHEN 'major-nc' THEN 1 WHEN 'minor-nc' THEN 2 WHEN 'observation' THEN 3 ELSE 4 END"},
		{"status", "fi.status"}},
	Search:    []string{"lower(fi.title)", "lower(fi.ref)", "lower(fi.description)", "lower(fi.evidence_seen)"},
	SearchDoc: "reference, title, description or evidence seen contains",
	SearchOf:  func(f *FindingFilter) *string { return &f.Search },
	SortOf:    func(f *FindingFilter) *string { return &f.Sort },
}

// FindingFilter narrows the finding list; Findings.Filters declares each field.
type FindingFilter struct {
	Search string
	Grade  string
	Status string
	Source string
	Audit  string // audit ref
	// Certification is a certification audit's ref.
	Certification string
	Sort          string // ref (default), raised, title, grade or status; "-" prefix for descending
}

// against is what a finding is held against: its clause, its control, or both.
func against(clause, control string) string {
	switch {
	case clause != "" && control != "":
		return clause + ", A." + control
	case control != "":
		return "A." + control
	}
	return clause
}

// OpenCorrectiveActions counts the corrective actions of a finding that are not closed, and all of them.
func (tx *Tx) OpenCorrectiveActions(ctx context.Context, orgID, findingID string) (open, all int, err error) {
	err = tx.tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END), 0), COUNT(*)
		FROM corrective_actions WHERE org_id = $1 AND finding_id = $2`, orgID, findingID).Scan(&open, &all)
	return open, all, err
}

// SetFindingStatus sets a finding's status (the corrective actions decide it) and counts its version up.
func (tx *Tx) SetFindingStatus(ctx context.Context, orgID, id, status string, now time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE findings SET status = $1, updated_at = $2, version = version + 1 WHERE org_id = $3 AND id = $4`,
		status, ts(now), orgID, id)
	return err
}
