package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// EvidenceDocument is a document in force (an approved version that is not retired) with the clauses it serves.
type EvidenceDocument struct {
	Ref      string
	Title    string
	Version  int // the approved version
	Status   string
	Clauses  []string
	Controls []string
}

// MandatoryEvidence is what the organisation's records hold that can satisfy the mandatory documented
// information: the documents in force, and the counts of the records that are evidence themselves.
type MandatoryEvidence struct {
	Documents    []EvidenceDocument
	ScopeVersion int // latest approved scope version, 0 when none
	SoAVersion   int // latest approved SoA version, 0 when none
	Assessments  int // risk assessments recorded
	TreatedRisks int // risks with a treatment decision and at least one action, or accepted
	Actions      int // treatment actions (the treatment plan)
	DoneActions  int // treatment actions done
	Objectives   int
	Roles        int
	Trainings    int // training completed or passed (competence, 7.2)
	Measurements int // measurements of metrics (9.1)
	Audits       int // internal audits completed (9.2.2)
	Reviews      int // management reviews held (9.3.3)
	Findings     int // nonconformities and other findings recorded, with their corrective actions (10.2)
}

// records are the records that count as evidence, each the FROM and WHERE of its rows in organisation $1.
func (ev *MandatoryEvidence) records() []struct {
	n    *int
	rows string
} {
	return []struct {
		n    *int
		rows string
	}{
		{&ev.Assessments, "FROM risk_assessments WHERE org_id = $1"},
		{&ev.TreatedRisks, "FROM risks r WHERE r.org_id = $1 AND (r.accepted_at IS NOT NULL OR EXISTS (SELECT 1 FROM treatment_actions a WHERE a.risk_id = r.id))"},
		{&ev.Actions, "FROM treatment_actions WHERE org_id = $1"},
		{&ev.DoneActions, "FROM treatment_actions WHERE org_id = $1 AND status = 'done'"},
		{&ev.Objectives, "FROM objectives WHERE org_id = $1"},
		{&ev.Roles, "FROM isms_roles WHERE org_id = $1"},
		{&ev.Trainings, "FROM training_records WHERE org_id = $1 AND result IN ('completed', 'passed')"},
		{&ev.Measurements, "FROM measurements WHERE org_id = $1"},
		{&ev.Audits, "FROM audits WHERE org_id = $1 AND status = 'completed'"},
		{&ev.Reviews, "FROM management_reviews WHERE org_id = $1 AND status = 'held'"},
		{&ev.Findings, "FROM findings WHERE org_id = $1"},
	}
}

// MandatoryEvidence reads the evidence in two queries: the documents in force and one row of counts.
func (tx *Tx) MandatoryEvidence(ctx context.Context, orgID string) (MandatoryEvidence, error) {
	return tx.mandatoryEvidence(ctx, orgID, func(rows string) string { return "SELECT COUNT(*) " + rows })
}

// MandatoryPresence is MandatoryEvidence with each record's count capped at 1: whether there is any, found
// without counting a large register (the lint asks only that).
func (tx *Tx) MandatoryPresence(ctx context.Context, orgID string) (MandatoryEvidence, error) {
	return tx.mandatoryEvidence(ctx, orgID, func(rows string) string { return "SELECT COUNT(*) FROM (SELECT 1 " + rows + " LIMIT 1) x" })
}

// mandatoryEvidence reads the documents in force and one row of the records, each counted by count.
func (tx *Tx) mandatoryEvidence(ctx context.Context, orgID string, count func(rows string) string) (MandatoryEvidence, error) {
	var ev MandatoryEvidence
	rows, err := tx.tx.QueryContext(ctx, `SELECT ref, title, approved_version, clauses, controls FROM documents
		WHERE org_id = $1 AND approved_version > 0 AND status <> 'retired' ORDER BY ref`, orgID)
	if err != nil {
		return ev, err
	}
	defer rows.Close()
	for rows.Next() {
		var d EvidenceDocument
		var clauses, controls string
		if err := rows.Scan(&d.Ref, &d.Title, &d.Version, &clauses, &controls); err != nil {
			return ev, err
		}
		d.Clauses, d.Controls = splitIDs(clauses), splitIDs(controls)
		ev.Documents = append(ev.Documents, d)
	}
	if err := rows.Err(); err != nil {
		return ev, err
	}
	cols := []string{
		"(SELECT COALESCE(MAX(number), 0) FROM approved_versions WHERE org_id = $1 AND subject = 'scope')",
		"(SELECT COALESCE(MAX(number), 0) FROM approved_versions WHERE org_id = $1 AND subject = 'soa')",
	}
	dest := []any{&ev.ScopeVersion, &ev.SoAVersion}
	for _, r := range ev.records() {
		cols = append(cols, "("+count(r.rows)+")")
		dest = append(dest, r.n)
	}
	err = tx.tx.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", "), orgID).Scan(dest...)
	return ev, err
}

// splitIDs reads a comma list of ids as the documents table stores it.
func splitIDs(s string) []string {
	out := []string{}
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// SetDocumentTemplate records the policy template a document was drafted from.
func (tx *Tx) SetDocumentTemplate(ctx context.Context, orgID, docID, template string) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE documents SET template = $1 WHERE org_id = $2 AND id = $3", template, orgID, docID)
	return err
}

// TemplateDocument is the state of a document drafted from a template.
type TemplateDocument struct {
	Ref              string
	Status           string
	Latest, Approved int
}

// DocumentByTemplate returns the organisation's first document (not retired) drafted from template, and
// whether there is one, in one statement (the dashboard reads it).
func (tx *Tx) DocumentByTemplate(ctx context.Context, orgID, template string) (TemplateDocument, bool, error) {
	var d TemplateDocument
	err := tx.tx.QueryRowContext(ctx, `SELECT ref, status, latest_version, approved_version FROM documents
		WHERE org_id = $1 AND template = $2 AND status <> 'retired' ORDER BY created_at, ref LIMIT 1`, orgID, template).
		Scan(&d.Ref, &d.Status, &d.Latest, &d.Approved)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	return d, err == nil, err
}

// ServingDocuments lists the documents that are not retired with the controls they serve, in one query: the
// SoA and the control pages link back to them.
func (tx *Tx) ServingDocuments(ctx context.Context, orgID string) ([]EvidenceDocument, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT ref, title, approved_version, status, controls FROM documents
		WHERE org_id = $1 AND status <> 'retired' AND controls <> '' ORDER BY ref`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []EvidenceDocument
	for rows.Next() {
		var d EvidenceDocument
		var controls string
		if err := rows.Scan(&d.Ref, &d.Title, &d.Version, &d.Status, &controls); err != nil {
			return nil, err
		}
		d.Controls = splitIDs(controls)
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// LinkPersonToUser records that a person of the register is the user with this account, unless the person is
// linked already or another person of the organisation is linked to that user; it reports whether it linked.
func (tx *Tx) LinkPersonToUser(ctx context.Context, orgID, personID, userID string) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE people SET user_id = $3, version = version + 1
		WHERE org_id = $1 AND id = $2 AND user_id IS NULL
		AND NOT EXISTS (SELECT 1 FROM people o WHERE o.org_id = $1 AND o.user_id = $3)`, orgID, personID, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
