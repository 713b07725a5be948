package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Audits is the register of internal audits (9.2) declared once. The team (audit_team) and the checklist
// (audit_items) are read and written by the Tx methods below.
var Audits = &Register[isms.Audit, InternalAuditFilter]{
	Entity: "audit", Table: "audits", Alias: "au",
	ID:      func(a *isms.Audit) *string { return &a.ID },
	Ref:     func(a *isms.Audit) *string { return &a.Ref },
	Version: func(a *isms.Audit) *int { return &a.Version },
	Columns: []Column[isms.Audit]{
		Text("title", func(a *isms.Audit) *string { return &a.Title }),
		Text("scope", func(a *isms.Audit) *string { return &a.Scope }),
		Text("criteria", func(a *isms.Audit) *string { return &a.Criteria }),
		Text("area", func(a *isms.Audit) *string { return &a.Area }),
		textList("clauses", func(a *isms.Audit) *[]string { return &a.Clauses }),
		textList("controls", func(a *isms.Audit) *[]string { return &a.Controls }),
		Text("planned_start", func(a *isms.Audit) *string { return &a.PlannedStart }),
		Text("planned_end", func(a *isms.Audit) *string { return &a.PlannedEnd }),
		Text("actual_start", func(a *isms.Audit) *string { return &a.ActualStart }),
		Text("actual_end", func(a *isms.Audit) *string { return &a.ActualEnd }),
		Text("status", func(a *isms.Audit) *string { return &a.Status }),
		Text("conclusion", func(a *isms.Audit) *string { return &a.Conclusion }),
		Time("created_at", func(a *isms.Audit) *time.Time { return &a.CreatedAt }).InsertOnly(),
		Time("updated_at", func(a *isms.Audit) *time.Time { return &a.UpdatedAt }),
	},
	Refs: []Reference[isms.Audit]{{Column: "lead_auditor_id", Target: PeopleLookup, Alias: "p",
		ID:   func(a *isms.Audit) *string { return &a.LeadID },
		Ref:  func(a *isms.Audit) *string { return &a.Lead },
		Name: func(a *isms.Audit) *string { return &a.LeadName }}},
	ListColumns: []ListColumn[isms.Audit]{
		{Header: "ref", Value: func(a *isms.Audit) string { return a.Ref }},
		{Header: "title", Width: 44, Value: func(a *isms.Audit) string { return a.Title }},
		{Header: "area", Width: 20, Value: func(a *isms.Audit) string { return a.Area }},
		{Header: "lead", Value: func(a *isms.Audit) string { return a.LeadName }},
		{Header: "planned", Value: func(a *isms.Audit) string { return a.PlannedStart }},
		{Header: "status", Value: func(a *isms.Audit) string { return a.Status }},
		{Header: "in scope", Width: 40, Value: func(a *isms.Audit) string { return ScopeWords(a.Clauses, a.Controls) }},
	},
	Filters: []Filter[InternalAuditFilter]{
		{Name: "status", Kind: FilterEnum, Values: isms.AuditStatuses, Cond: "au.status = ?", Doc: "only this status",
			Field: func(f *InternalAuditFilter) *string { return &f.Status }},
		{Name: "lead", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only audits led by this person (P-001)",
			Field: func(f *InternalAuditFilter) *string { return &f.Lead }},
	},
	Sorts:     []Sort{{"planned", "au.planned_start"}, {"ref", "au.ref"}, {"title", "lower(au.title)"}, {"status", "au.status"}},
	Search:    []string{"lower(au.title)", "lower(au.ref)", "lower(au.scope)", "lower(au.area)"},
	SearchDoc: "reference, title, scope or area contains",
	SearchOf:  func(f *InternalAuditFilter) *string { return &f.Search },
	SortOf:    func(f *InternalAuditFilter) *string { return &f.Sort },
}

// InternalAuditFilter narrows the audit list; Audits.Filters declares each field.
type InternalAuditFilter struct {
	Search string
	Status string
	Lead   string // person ref
	Sort   string // planned (default), ref, title or status; "-" prefix for descending
}

// ScopeWords is the clauses and controls of a scope in a line: "9.2, 9.3, A.8.28".
func ScopeWords(clauses, controls []string) string {
	parts := append([]string{}, clauses...)
	for _, c := range controls {
		parts = append(parts, "A."+c)
	}
	return strings.Join(parts, ", ")
}

// AuditTeams reads the team (beyond the lead) of the given audits with one query: per audit id, the people's
// references and names in reference order.
func (tx *Tx) AuditTeams(ctx context.Context, orgID string, auditIDs []string) (map[string][]Target, error) {
	out := map[string][]Target{}
	if len(auditIDs) == 0 {
		return out, nil
	}
	args := []any{orgID}
	for _, id := range auditIDs {
		args = append(args, id)
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT t.audit_id, p.id, p.ref, p.name FROM audit_team t
		JOIN people p ON p.id = t.person_id AND p.org_id = t.org_id
		WHERE t.org_id = $1 AND t.audit_id IN (`+placeholders(2, len(auditIDs))+`) ORDER BY p.ref`, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit teams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var audit string
		var p Target
		if err := rows.Scan(&audit, &p.ID, &p.Ref, &p.Name); err != nil {
			return nil, err
		}
		out[audit] = append(out[audit], p)
	}
	return out, rows.Err()
}

// SetAuditTeam replaces the team of an audit with the people of personIDs.
func (tx *Tx) SetAuditTeam(ctx context.Context, orgID, auditID string, personIDs []string) error {
	if _, err := tx.tx.ExecContext(ctx, "DELETE FROM audit_team WHERE org_id = $1 AND audit_id = $2", orgID, auditID); err != nil {
		return err
	}
	rows := make([][]any, len(personIDs))
	for i, id := range personIDs {
		rows[i] = []any{orgID, auditID, id}
	}
	return tx.insertBatched(ctx, "audit_team", []string{"org_id", "audit_id", "person_id"}, rows)
}

const auditItemCols = "position, kind, target, result, evidence_seen, notes, updated_by, updated_at"

// AuditItems reads the checklist of an audit in its order.
func (tx *Tx) AuditItems(ctx context.Context, orgID, auditID string) ([]isms.AuditItem, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT "+auditItemCols+" FROM audit_items WHERE org_id = $1 AND audit_id = $2 ORDER BY position",
		orgID, auditID)
	if err != nil {
		return nil, fmt.Errorf("read audit items: %w", err)
	}
	defer rows.Close()
	out := []isms.AuditItem{}
	for rows.Next() {
		var it isms.AuditItem
		var at sql.NullString
		if err := rows.Scan(&it.Position, &it.Kind, &it.Target, &it.Result, &it.EvidenceSeen, &it.Notes, &it.UpdatedBy, &at); err != nil {
			return nil, err
		}
		if it.UpdatedAt, err = parseNullTS(at); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// SetAuditItems replaces the checklist of an audit with items (positions as given).
func (tx *Tx) SetAuditItems(ctx context.Context, orgID, auditID string, items []isms.AuditItem) error {
	if _, err := tx.tx.ExecContext(ctx, "DELETE FROM audit_items WHERE org_id = $1 AND audit_id = $2", orgID, auditID); err != nil {
		return err
	}
	rows := make([][]any, len(items))
	for i, it := range items {
		var at any
		if it.UpdatedAt != nil {
			at = ts(*it.UpdatedAt)
		}
		rows[i] = []any{orgID, auditID, it.Position, it.Kind, it.Target, it.Result, it.EvidenceSeen, it.Notes, it.UpdatedBy, at}
	}
	return tx.insertBatched(ctx, "audit_items", append([]string{"org_id", "audit_id"}, strings.Split(auditItemCols, ", ")...), rows)
}

// SetAuditItem saves the result, evidence and notes of one checklist item.
func (tx *Tx) SetAuditItem(ctx context.Context, orgID, auditID string, it isms.AuditItem) error {
	var at any
	if it.UpdatedAt != nil {
		at = ts(*it.UpdatedAt)
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE audit_items SET result = $1, evidence_seen = $2, notes = $3, updated_by = $4, updated_at = $5
		WHERE org_id = $6 AND audit_id = $7 AND position = $8`, it.Result, it.EvidenceSeen, it.Notes, it.UpdatedBy, at, orgID, auditID, it.Position)
	return err
}

// AuditScopes reads what the programme needs of every audit of the organisation, with one query.
func (tx *Tx) AuditScopes(ctx context.Context, orgID string) ([]isms.AuditScope, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT ref, title, status, actual_start, planned_start, clauses, controls FROM audits
		WHERE org_id = $1 ORDER BY planned_start, ref`, orgID)
	if err != nil {
		return nil, fmt.Errorf("read audit scopes: %w", err)
	}
	defer rows.Close()
	var out []isms.AuditScope
	for rows.Next() {
		var a isms.AuditScope
		var actual, planned string
		if err := rows.Scan(&a.Ref, &a.Title, &a.Status, &actual, &planned, listText{&a.Clauses}, listText{&a.Controls}); err != nil {
			return nil, err
		}
		a.Day = isms.Audit{ActualStart: actual, PlannedStart: planned}.Day()
		out = append(out, a)
	}
	return out, rows.Err()
}

// ApplicableControls are the controls the SoA declares applicable.
func (tx *Tx) ApplicableControls(ctx context.Context, orgID string) (map[string]bool, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT control_id FROM soa_entries WHERE org_id = $1 AND applicable = 1", orgID)
	if err != nil {
		return nil, fmt.Errorf("read applicable controls: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// AuditProgramme reads the organisation's programme; version 0 when it has none yet.
func (tx *Tx) AuditProgramme(ctx context.Context, orgID string) (isms.AuditProgramme, error) {
	var p isms.AuditProgramme
	var at string
	err := tx.tx.QueryRowContext(ctx, "SELECT cycle_start, notes, updated_at, version FROM audit_programmes WHERE org_id = $1", orgID).
		Scan(&p.CycleStart, &p.Notes, &at, &p.Version)
	if err == sql.ErrNoRows {
		return isms.AuditProgramme{}, nil
	}
	if err != nil {
		return p, fmt.Errorf("read audit programme: %w", err)
	}
	p.UpdatedAt, err = parseTS(at)
	return p, err
}

// SaveAuditProgramme saves p if the stored programme is still at p.Version (0: none yet), counting it up.
func (tx *Tx) SaveAuditProgramme(ctx context.Context, orgID string, p *isms.AuditProgramme) error {
	if p.Version == 0 {
		_, err := tx.tx.ExecContext(ctx, "INSERT INTO audit_programmes (org_id, cycle_start, notes, updated_at, version) VALUES ($1, $2, $3, $4, 1)",
			orgID, p.CycleStart, p.Notes, ts(p.UpdatedAt))
		if isUniqueViolation(err) {
			return isms.StaleVersion("audit programme", "")
		}
		p.Version = 1
		return err
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE audit_programmes SET cycle_start = $1, notes = $2, updated_at = $3, version = version + 1
		WHERE org_id = $4 AND version = $5`, p.CycleStart, p.Notes, ts(p.UpdatedAt), orgID, p.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err == nil {
			err = isms.StaleVersion("audit programme", "")
		}
		return err
	}
	p.Version++
	return nil
}

// OwnAreaConflicts says where the given auditors (people ids) would audit their own work: they work in area
// (their team or department), they own the SoA entry of a control in scope, or a document of a clause or
// control in scope. Three scoped queries, whatever the size of the registers.
func (tx *Tx) OwnAreaConflicts(ctx context.Context, orgID string, personIDs []string, area string, clauses, controls []string) ([]string, error) {
	if len(personIDs) == 0 {
		return nil, nil
	}
	ids := []any{orgID}
	for _, id := range personIDs {
		ids = append(ids, id)
	}
	in := placeholders(2, len(personIDs))
	var out []string
	collect := func(q string, args []any, line func(name, what string) string) error {
		rows, err := tx.tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("read own-area conflicts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var name, what string
			if err := rows.Scan(&name, &what); err != nil {
				return err
			}
			if s := line(name, what); s != "" {
				out = append(out, s)
			}
		}
		return rows.Err()
	}
	if a := strings.ToLower(strings.TrimSpace(area)); a != "" {
		if err := collect(`SELECT name, CASE WHEN lower(team) = $`+fmt.Sprint(len(ids)+1)+` THEN team ELSE department END FROM people
			WHERE org_id = $1 AND id IN (`+in+`) AND (lower(team) = $`+fmt.Sprint(len(ids)+1)+` OR lower(department) = $`+fmt.Sprint(len(ids)+1)+`) ORDER BY ref`,
			append(append([]any{}, ids...), a), func(name, what string) string {
				return fmt.Sprintf("%s audits their own area (%s)", name, what)
			}); err != nil {
			return nil, err
		}
	}
	if len(controls) > 0 {
		args := append([]any{}, ids...)
		for _, c := range controls {
			args = append(args, c)
		}
		if err := collect(`SELECT p.name, s.control_id FROM soa_entries s JOIN people p ON p.id = s.owner_id AND p.org_id = s.org_id
			WHERE s.org_id = $1 AND s.owner_id IN (`+in+`) AND s.control_id IN (`+placeholders(len(ids)+1, len(controls))+`) ORDER BY p.ref, s.control_id`,
			args, func(name, what string) string {
				return fmt.Sprintf("%s owns control A.%s, which is in scope", name, what)
			}); err != nil {
			return nil, err
		}
	}
	scope := map[string]bool{}
	for _, c := range clauses {
		scope["clause "+c] = true
	}
	for _, c := range controls {
		scope["control "+c] = true
	}
	var docs []string
	if err := collect(`SELECT p.name, d.ref || ' ' || d.clauses || ' ' || d.controls FROM documents d JOIN people p ON p.id = d.owner_id AND p.org_id = d.org_id
		WHERE d.org_id = $1 AND d.owner_id IN (`+in+`) ORDER BY p.ref, d.ref`, ids, func(name, what string) string {
		parts := strings.SplitN(what, " ", 3)
		for i, kind := range []string{"clause", "control"} {
			for _, id := range strings.Split(parts[i+1], ",") {
				if id != "" && scope[kind+" "+id] {
					docs = append(docs, fmt.Sprintf("%s owns document %s, which covers %s in scope", name, parts[0], isms.AuditItem{Kind: kind, Target: id}.Label()))
					return ""
				}
			}
		}
		return ""
	}); err != nil {
		return nil, err
	}
	return append(out, docs...), nil
}
