package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// evidenceStatusSQL is isms.EvidenceStatus in SQL: its ? marks are today, the last expiring day and the status
// asked for (EvidenceFilter.Today gives the day).
const evidenceStatusSQL = "CASE WHEN ev.valid_until = '' THEN 'current' WHEN ev.valid_until < ? THEN 'expired' " +
	"WHEN ev.valid_until <= ? THEN 'expiring' ELSE 'current' END = ?"

// Evidence is the evidence register (files, links and notes that show controls and clauses at work) declared
// once. What a piece proves lives in evidence_controls, evidence_clauses and evidence_tasks; Load and Save keep
// those with the row.
var Evidence = &Register[isms.Evidence, EvidenceFilter]{
	Entity: "evidence", Table: "evidence", Alias: "ev",
	ID:      func(e *isms.Evidence) *string { return &e.ID },
	Ref:     func(e *isms.Evidence) *string { return &e.Ref },
	Version: func(e *isms.Evidence) *int { return &e.Version },
	Columns: []Column[isms.Evidence]{
		Text("title", func(e *isms.Evidence) *string { return &e.Title }),
		Text("kind", func(e *isms.Evidence) *string { return &e.Kind }),
		Text("description", func(e *isms.Evidence) *string { return &e.Description }),
		Text("url", func(e *isms.Evidence) *string { return &e.URL }),
		Text("sha256", func(e *isms.Evidence) *string { return &e.SHA256 }),
		Int("size", func(e *isms.Evidence) *int { return &e.Size }),
		Text("media_type", func(e *isms.Evidence) *string { return &e.MediaType }),
		Text("filename", func(e *isms.Evidence) *string { return &e.Filename }),
		Text("collected_at", func(e *isms.Evidence) *string { return &e.CollectedAt }),
		Text("valid_until", func(e *isms.Evidence) *string { return &e.ValidUntil }),
		Text("created_by", func(e *isms.Evidence) *string { return &e.CreatedBy }).InsertOnly(),
		Time("created_at", func(e *isms.Evidence) *time.Time { return &e.CreatedAt }).InsertOnly(),
		Time("updated_at", func(e *isms.Evidence) *time.Time { return &e.UpdatedAt }),
	},
	Refs: []Reference[isms.Evidence]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(e *isms.Evidence) *string { return &e.OwnerID },
		Ref:  func(e *isms.Evidence) *string { return &e.Owner },
		Name: func(e *isms.Evidence) *string { return &e.OwnerName }}},
	ListColumns: []ListColumn[isms.Evidence]{
		{Header: "ref", Value: func(e *isms.Evidence) string { return e.Ref }},
		{Header: "title", Width: 40, Value: func(e *isms.Evidence) string { return e.Title }},
		{Header: "kind", Value: func(e *isms.Evidence) string { return e.Kind }},
		{Header: "controls", Width: 20, Value: func(e *isms.Evidence) string { return strings.Join(e.Controls, ", ") }},
		{Header: "collected", Value: func(e *isms.Evidence) string { return e.CollectedAt }},
		{Header: "valid until", Value: func(e *isms.Evidence) string { return e.ValidUntil }},
		{Header: "status", Value: func(e *isms.Evidence) string { return e.Status }},
		{Header: "sha256", Width: 16, Value: func(e *isms.Evidence) string { return e.SHA256 }},
	},
	Filters: []Filter[EvidenceFilter]{
		{Name: "kind", Kind: FilterEnum, Values: isms.EvidenceKinds, Cond: "ev.kind = ?", Doc: "only this kind",
			Field: func(f *EvidenceFilter) *string { return &f.Kind }},
		{Name: "status", Kind: FilterEnum, Values: isms.EvidenceStatuses,
			Doc:   "only this status: current, expiring (valid for at most 30 more days) or expired",
			Field: func(f *EvidenceFilter) *string { return &f.Status },
			Where: func(f *EvidenceFilter, v string) (string, []any) {
				return evidenceStatusSQL, []any{f.Today, isms.ExpiringFrom(f.Today), v}
			}},
		{Name: "control", Kind: FilterText, Doc: "only evidence for this Annex A control (8.28)",
			Cond:  "EXISTS (SELECT 1 FROM evidence_controls x WHERE x.evidence_id = ev.id AND x.org_id = ev.org_id AND x.control_id = ?)",
			Field: func(f *EvidenceFilter) *string { return &f.Control }},
		{Name: "clause", Kind: FilterText, Doc: "only evidence for this clause (9.2)",
			Cond:  "EXISTS (SELECT 1 FROM evidence_clauses x WHERE x.evidence_id = ev.id AND x.org_id = ev.org_id AND x.clause = ?)",
			Field: func(f *EvidenceFilter) *string { return &f.Clause }},
		{Name: "task", Kind: FilterRef, Doc: "only evidence for this task (task reference, T-001)",
			Cond: "EXISTS (SELECT 1 FROM evidence_tasks x JOIN tasks t ON t.id = x.task_id AND t.org_id = x.org_id " +
				"WHERE x.evidence_id = ev.id AND x.org_id = ev.org_id AND t.ref = upper(?))",
			Field: func(f *EvidenceFilter) *string { return &f.Task }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *EvidenceFilter) *string { return &f.Owner }},
	},
	Sorts: []Sort{{"ref", "ev.ref"}, {"title", "lower(ev.title)"}, {"collected", "ev.collected_at"},
		{"valid_until", "ev.valid_until"}, {"kind", "ev.kind"}},
	Search:    []string{"lower(ev.title)", "lower(ev.ref)", "lower(ev.description)", "lower(ev.filename)", "ev.sha256"},
	SearchDoc: "reference, title, description, file name or SHA-256 contains",
	SearchOf:  func(f *EvidenceFilter) *string { return &f.Search },
	SortOf:    func(f *EvidenceFilter) *string { return &f.Sort },
	Load:      loadEvidenceLinks,
	Save:      saveEvidenceLinks,
}

// EvidenceFilter narrows the evidence list; Evidence.Filters declares each field.
type EvidenceFilter struct {
	Search  string
	Kind    string
	Status  string // current, expiring or expired on Today
	Control string // Annex A control id
	Clause  string
	Task    string // task ref
	Owner   string // person ref
	Sort    string // ref (default), title, collected, valid_until or kind; "-" prefix for descending
	// Today is the day the status filter is computed for (YYYY-MM-DD); the service sets it from its clock.
	Today string
}

// loadEvidenceLinks fills the controls, clauses and tasks of rows with one query.
func loadEvidenceLinks(ctx context.Context, tx *Tx, orgID string, rows []isms.Evidence) error {
	byID := make(map[string]*isms.Evidence, len(rows))
	args := []any{orgID}
	for i := range rows {
		e := &rows[i]
		e.Controls, e.Clauses, e.Tasks, e.TaskIDs = []string{}, []string{}, []string{}, []string{}
		byID[e.ID] = e
		args = append(args, e.ID)
	}
	in := placeholders(2, len(rows))
	q := "SELECT evidence_id, 'control', control_id, '' FROM evidence_controls WHERE org_id = $1 AND evidence_id IN (" + in + ")" +
		" UNION ALL SELECT evidence_id, 'clause', clause, '' FROM evidence_clauses WHERE org_id = $1 AND evidence_id IN (" + in + ")" +
		" UNION ALL SELECT x.evidence_id, 'task', t.ref, t.id FROM evidence_tasks x JOIN tasks t ON t.id = x.task_id AND t.org_id = x.org_id" +
		" WHERE x.org_id = $1 AND x.evidence_id IN (" + in + ") ORDER BY 1, 2, 3"
	rs, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read evidence links: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id, kind, value, taskID string
		if err := rs.Scan(&id, &kind, &value, &taskID); err != nil {
			return err
		}
		e := byID[id]
		switch kind {
		case "control":
			e.Controls = append(e.Controls, value)
		case "clause":
			e.Clauses = append(e.Clauses, value)
		default:
			e.Tasks, e.TaskIDs = append(e.Tasks, value), append(e.TaskIDs, taskID)
		}
	}
	return rs.Err()
}

// saveEvidenceLinks replaces the controls, clauses and tasks of e (TaskIDs names the tasks).
func saveEvidenceLinks(ctx context.Context, tx *Tx, orgID string, e *isms.Evidence) error {
	links := []struct {
		table, col string
		values     []string
	}{{"evidence_controls", "control_id", e.Controls}, {"evidence_clauses", "clause", e.Clauses}, {"evidence_tasks", "task_id", e.TaskIDs}}
	for _, l := range links {
		if _, err := tx.tx.ExecContext(ctx, "DELETE FROM "+l.table+" WHERE org_id = $1 AND evidence_id = $2", orgID, e.ID); err != nil {
			return fmt.Errorf("save evidence links: %w", err)
		}
		rows := make([][]any, len(l.values))
		for i, v := range l.values {
			rows[i] = []any{orgID, e.ID, v}
		}
		if len(rows) > 0 {
			if err := tx.insertBatched(ctx, l.table, []string{"org_id", "evidence_id", l.col}, rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// EvidenceUses says what still refers to a piece of evidence, so that it is not deleted from under them: the
// tasks it serves, training records, approved SoA versions that list it, audit checklist items and findings
// whose evidence seen names its reference. One query.
func (tx *Tx) EvidenceUses(ctx context.Context, orgID, id, ref string) ([]string, error) {
	like := "%" + ref + "%"
	q := `SELECT 'task ' || t.ref FROM evidence_tasks x JOIN tasks t ON t.id = x.task_id AND t.org_id = x.org_id
			WHERE x.org_id = $1 AND x.evidence_id = $2
		UNION ALL SELECT 'training record ' || ref FROM training_records WHERE org_id = $1 AND evidence_id = $2
		UNION ALL SELECT 'approved SoA version ' || number FROM approved_versions WHERE org_id = $1 AND subject = 'soa' AND content_json LIKE $4
		UNION ALL SELECT 'audit ' || a.ref || ' (' || i.target || '): ' || i.evidence_seen FROM audit_items i JOIN audits a ON a.id = i.audit_id AND a.org_id = i.org_id
			WHERE i.org_id = $1 AND i.evidence_seen LIKE $3
		UNION ALL SELECT 'finding ' || ref || ': ' || evidence_seen FROM findings WHERE org_id = $1 AND evidence_seen LIKE $3
		ORDER BY 1`
	rs, err := tx.tx.QueryContext(ctx, q, orgID, id, like, `%"`+ref+`"%`)
	if err != nil {
		return nil, fmt.Errorf("read what uses evidence %s: %w", ref, err)
	}
	defer rs.Close()
	// LIKE finds E-001 inside E-0012 too: keep the texts that name the reference as a word.
	word := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9-])` + regexp.QuoteMeta(ref) + `($|[^A-Za-z0-9])`)
	var out []string
	for rs.Next() {
		var use string
		if err := rs.Scan(&use); err != nil {
			return nil, err
		}
		if head, seen, ok := strings.Cut(use, ": "); ok {
			if !word.MatchString(seen) {
				continue
			}
			use = head
		}
		out = append(out, use)
	}
	return out, rs.Err()
}

// EvidenceNamesBlob reports whether any evidence row, of any organisation, still names the file with this hash:
// a stored file is deleted only when none does.
func (tx *Tx) EvidenceNamesBlob(ctx context.Context, sha string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM evidence WHERE sha256 = $1 LIMIT 1) x", sha).Scan(&n)
	return n > 0, err
}

// EvidenceBlobs lists the hash of every file evidence rows name, of every organisation, once each: what a backup
// must carry.
func (tx *Tx) EvidenceBlobs(ctx context.Context) ([]string, error) {
	rs, err := tx.tx.QueryContext(ctx, "SELECT DISTINCT sha256 FROM evidence WHERE sha256 <> '' ORDER BY 1")
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rs.Err()
}

// EvidenceRefsByControl lists the references of the evidence of each Annex A control in an organisation, in
// reference order, with one query (what an approved SoA version records).
func (tx *Tx) EvidenceRefsByControl(ctx context.Context, orgID string) (map[string][]string, error) {
	rs, err := tx.tx.QueryContext(ctx, `SELECT x.control_id, ev.ref FROM evidence_controls x JOIN evidence ev ON ev.id = x.evidence_id AND ev.org_id = x.org_id
		WHERE x.org_id = $1 ORDER BY x.control_id, ev.ref`, orgID)
	if err != nil {
		return nil, fmt.Errorf("read evidence by control: %w", err)
	}
	defer rs.Close()
	out := map[string][]string{}
	for rs.Next() {
		var control, ref string
		if err := rs.Scan(&control, &ref); err != nil {
			return nil, err
		}
		out[control] = append(out[control], ref)
	}
	return out, rs.Err()
}
