package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Documents is the document register (clause 7.5) declared once. A row carries the status of its latest
// version and the number of the version in force; the versions and their readers have tables of their own.
var Documents = &Register[isms.Document, DocumentFilter]{
	Entity: "document", Table: "documents", Alias: "d",
	ID:      func(d *isms.Document) *string { return &d.ID },
	Ref:     func(d *isms.Document) *string { return &d.Ref },
	Version: func(d *isms.Document) *int { return &d.Version },
	Columns: []Column[isms.Document]{
		Text("title", func(d *isms.Document) *string { return &d.Title }),
		Text("type", func(d *isms.Document) *string { return &d.Type }),
		textList("clauses", func(d *isms.Document) *[]string { return &d.Clauses }),
		textList("controls", func(d *isms.Document) *[]string { return &d.Controls }),
		Text("classification", func(d *isms.Document) *string { return &d.Classification }),
		Int("review_months", func(d *isms.Document) *int { return &d.ReviewMonths }),
		Text("next_review", func(d *isms.Document) *string { return &d.NextReview }),
		Text("status", func(d *isms.Document) *string { return &d.Status }),
		Int("latest_version", func(d *isms.Document) *int { return &d.Latest }),
		Int("approved_version", func(d *isms.Document) *int { return &d.Approved }),
		Time("created_at", func(d *isms.Document) *time.Time { return &d.CreatedAt }).InsertOnly(),
		Time("updated_at", func(d *isms.Document) *time.Time { return &d.UpdatedAt }),
	},
	Refs: []Reference[isms.Document]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(d *isms.Document) *string { return &d.OwnerID },
		Ref:  func(d *isms.Document) *string { return &d.Owner },
		Name: func(d *isms.Document) *string { return &d.OwnerName }}},
	ListColumns: []ListColumn[isms.Document]{
		{Header: "ref", Value: func(d *isms.Document) string { return d.Ref }},
		{Header: "title", Width: 40, Value: func(d *isms.Document) string { return d.Title }},
		{Header: "type", Value: func(d *isms.Document) string { return d.Type }},
		{Header: "status", Value: func(d *isms.Document) string { return d.Status }},
		{Header: "version", Value: func(d *isms.Document) string { return IntCell(d.Latest) }},
		{Header: "in_force", Value: func(d *isms.Document) string { return IntCell(d.Approved) }},
		{Header: "owner", Value: func(d *isms.Document) string { return d.OwnerName }},
		{Header: "classification", Value: func(d *isms.Document) string { return d.Classification }},
		{Header: "next_review", Value: func(d *isms.Document) string { return d.NextReview }},
		{Header: "controls", Width: 30, Value: func(d *isms.Document) string { return strings.Join(d.Controls, ",") }},
		{Header: "clauses", Width: 20, Value: func(d *isms.Document) string { return strings.Join(d.Clauses, ",") }},
	},
	Filters: []Filter[DocumentFilter]{
		{Name: "type", Kind: FilterEnum, Values: isms.DocumentTypes, Cond: "d.type = ?", Doc: "only this type",
			Field: func(f *DocumentFilter) *string { return &f.Type }},
		{Name: "status", Kind: FilterEnum, Values: isms.DocumentStatuses, Cond: "d.status = ?", Doc: "only documents whose latest version has this status",
			Field: func(f *DocumentFilter) *string { return &f.Status }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *DocumentFilter) *string { return &f.Owner }},
		// The service turns "yes" into today's date, so that the rule is isms.Document.Overdue on its clock.
		{Name: "overdue", Kind: FilterText, Cond: "d.approved_version > 0 AND d.next_review <> '' AND d.next_review < ?",
			Doc: "yes: only documents in force whose review date has passed", Field: func(f *DocumentFilter) *string { return &f.Overdue }},
	},
	Sorts: []Sort{{"ref", "d.ref"}, {"title", "lower(d.title)"}, {"type", "d.type"}, {"status", "d.status"},
		{"next_review", "d.next_review"}, {"owner", "COALESCE(lower(p.name), '')"}, {"updated", "d.updated_at"}},
	Search:    []string{"lower(d.title)", "lower(d.ref)"},
	SearchDoc: "reference or title contains",
	SearchOf:  func(f *DocumentFilter) *string { return &f.Search },
	SortOf:    func(f *DocumentFilter) *string { return &f.Sort },
}

// DocumentFilter narrows the document register; Documents.Filters declares each field.
type DocumentFilter struct {
	Search  string // reference or title contains
	Type    string
	Status  string
	Owner   string // person ref
	Overdue string // "yes" from the doors; the service sends the day (YYYY-MM-DD) the review must be before
	Sort    string
}

const docVersionCols = "number, status, content, summary, created_by, created_at, submitted_by, submitted_at, COALESCE(approved_by_id, ''), " +
	"approved_by_name, approved_at, hash, retired_at, audience, published_at"

func scanDocVersion(row interface{ Scan(...any) error }) (isms.DocumentVersion, error) {
	var v isms.DocumentVersion
	var created string
	var submitted, approved, retired, published sql.NullString
	if err := row.Scan(&v.Number, &v.Status, &v.Content, &v.Summary, &v.CreatedBy, &created, &v.SubmittedBy, &submitted, &v.ApprovedByID,
		&v.ApprovedBy, &approved, &v.Hash, &retired, &v.Audience, &published); err != nil {
		return v, err
	}
	var err error
	if v.CreatedAt, err = parseTS(created); err != nil {
		return v, err
	}
	for _, t := range []struct {
		src sql.NullString
		dst **time.Time
	}{{submitted, &v.SubmittedAt}, {approved, &v.ApprovedAt}, {retired, &v.RetiredAt}, {published, &v.PublishedAt}} {
		if *t.dst, err = parseNullTS(t.src); err != nil {
			return v, err
		}
	}
	return v, nil
}

func optTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// InsertDocumentVersion stores a new version of a document; a number taken already (two new drafts at once) is
// a Conflict.
func (tx *Tx) InsertDocumentVersion(ctx context.Context, orgID, docID string, v isms.DocumentVersion) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO document_versions (org_id, document_id, number, status, content, summary, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, orgID, docID, v.Number, v.Status, v.Content, v.Summary, v.CreatedBy, ts(v.CreatedAt))
	if isUniqueViolation(err) {
		return isms.Conflict("version %d of this document was created meanwhile: reload", v.Number)
	}
	return err
}

// SaveDocumentVersion saves the workflow fields of a version. The content and summary change only while the
// stored version is a draft: an approved or retired version's text is immutable here as in the service.
func (tx *Tx) SaveDocumentVersion(ctx context.Context, orgID, docID string, v isms.DocumentVersion) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE document_versions SET status = $1,
		content = CASE WHEN status = 'draft' THEN $2 ELSE content END, summary = CASE WHEN status = 'draft' THEN $3 ELSE summary END,
		submitted_by = $4, submitted_at = $5, approved_by_id = $6, approved_by_name = $7, approved_at = $8, hash = $9, retired_at = $10,
		audience = $11, published_at = $12
		WHERE org_id = $13 AND document_id = $14 AND number = $15 AND (status IN ('draft', 'in-review') OR (content = $2 AND summary = $3))`,
		v.Status, v.Content, v.Summary, v.SubmittedBy, optTS(v.SubmittedAt), nullString(v.ApprovedByID), v.ApprovedBy, optTS(v.ApprovedAt),
		v.Hash, optTS(v.RetiredAt), v.Audience, optTS(v.PublishedAt), orgID, docID, v.Number)
	if err != nil {
		return fmt.Errorf("save document version: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return isms.Conflict("version %d is approved: its content cannot change; start a new version", v.Number)
	}
	return nil
}

// DocumentVersions lists a document's versions, newest first.
func (tx *Tx) DocumentVersions(ctx context.Context, orgID, docID string) ([]isms.DocumentVersion, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT "+docVersionCols+" FROM document_versions WHERE org_id = $1 AND document_id = $2 ORDER BY number DESC",
		orgID, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []isms.DocumentVersion{}
	for rows.Next() {
		v, err := scanDocVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// DocumentVersion loads one version of a document.
func (tx *Tx) DocumentVersion(ctx context.Context, orgID, docID, ref string, number int) (isms.DocumentVersion, error) {
	v, err := scanDocVersion(tx.tx.QueryRowContext(ctx, "SELECT "+docVersionCols+" FROM document_versions WHERE org_id = $1 AND document_id = $2 AND number = $3",
		orgID, docID, number))
	if err != nil {
		return v, notFound(err, "version %d of %s", number, ref)
	}
	return v, nil
}

// AudiencePeople are the ids of the people an audience names: everyone (all), a department (team) or the ids
// given (named, already resolved).
func (tx *Tx) AudiencePeople(ctx context.Context, orgID, department string) ([]string, error) {
	q, args := "SELECT id FROM people WHERE org_id = $1 ORDER BY ref", []any{orgID}
	if department != "" {
		q, args = "SELECT id FROM people WHERE org_id = $1 AND lower(department) = lower($2) ORDER BY ref", []any{orgID, department}
	}
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AddDocumentReaders makes people readers of a version (those already readers stay as they are), returning how
// many were added.
func (tx *Tx) AddDocumentReaders(ctx context.Context, orgID, docID string, number int, people []string) (int, error) {
	rows := make([][]any, len(people))
	for i, p := range people {
		rows[i] = []any{orgID, docID, number, p}
	}
	before, err := tx.countReaders(ctx, orgID, docID, number)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	for len(rows) > 0 {
		chunk := rows[:min(200, len(rows))]
		rows = rows[len(chunk):]
		args := make([]any, 0, 4*len(chunk))
		ph := ""
		for i, r := range chunk {
			if i > 0 {
				ph += ", "
			}
			ph += "(" + placeholders(1+4*i, 4) + ")"
			args = append(args, r...)
		}
		if _, err := tx.tx.ExecContext(ctx, "INSERT INTO document_readers (org_id, document_id, number, person_id) VALUES "+ph+
			" ON CONFLICT (document_id, number, person_id) DO NOTHING", args...); err != nil {
			return 0, fmt.Errorf("add readers: %w", err)
		}
	}
	after, err := tx.countReaders(ctx, orgID, docID, number)
	return after - before, err
}

func (tx *Tx) countReaders(ctx context.Context, orgID, docID string, number int) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM document_readers WHERE org_id = $1 AND document_id = $2 AND number = $3", orgID, docID, number).Scan(&n)
	return n, err
}

// CopyDocumentReaders makes the readers of version from the readers of version to, none of them having
// acknowledged it yet: a new version in force is read anew.
func (tx *Tx) CopyDocumentReaders(ctx context.Context, orgID, docID string, from, to int) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO document_readers (org_id, document_id, number, person_id)
		SELECT org_id, document_id, $4, person_id FROM document_readers WHERE org_id = $1 AND document_id = $2 AND number = $3
		ON CONFLICT (document_id, number, person_id) DO NOTHING`, orgID, docID, from, to)
	return err
}

// DocumentReaders lists the readers of a version with their acknowledgements, by name.
func (tx *Tx) DocumentReaders(ctx context.Context, orgID, docID string, number int) ([]isms.Acknowledgement, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT p.id, p.ref, p.name, p.department, r.acknowledged_at, r.recorded_by
		FROM document_readers r JOIN people p ON p.id = r.person_id AND p.org_id = r.org_id
		WHERE r.org_id = $1 AND r.document_id = $2 AND r.number = $3 ORDER BY lower(p.name), p.ref`, orgID, docID, number)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []isms.Acknowledgement
	for rows.Next() {
		var a isms.Acknowledgement
		var at sql.NullString
		if err := rows.Scan(&a.PersonID, &a.Person, &a.Name, &a.Department, &at, &a.RecordedBy); err != nil {
			return nil, err
		}
		if a.AcknowledgedAt, err = parseNullTS(at); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AcknowledgeDocument records that a reader confirmed reading a version. It reports false when the person is
// not a reader of that version; acknowledging twice keeps the first time.
func (tx *Tx) AcknowledgeDocument(ctx context.Context, orgID, docID string, number int, personID string, at time.Time, recordedBy string) (bool, error) {
	var one int
	err := tx.tx.QueryRowContext(ctx, "SELECT 1 FROM document_readers WHERE org_id = $1 AND document_id = $2 AND number = $3 AND person_id = $4",
		orgID, docID, number, personID).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_, err = tx.tx.ExecContext(ctx, `UPDATE document_readers SET acknowledged_at = $1, recorded_by = $2
		WHERE org_id = $3 AND document_id = $4 AND number = $5 AND person_id = $6 AND acknowledged_at IS NULL`,
		ts(at), recordedBy, orgID, docID, number, personID)
	return true, err
}

// PersonOfUser is the person of the register linked to a user account (people.user_id), or else the one with
// the account's email, if any.
func (tx *Tx) PersonOfUser(ctx context.Context, orgID, userID, email string) (Target, bool, error) {
	var t Target
	err := tx.tx.QueryRowContext(ctx, `SELECT id, ref, name FROM people WHERE org_id = $1 AND (user_id = $2 OR (email <> '' AND lower(email) = lower($3)))
		ORDER BY CASE WHEN user_id = $2 THEN 0 ELSE 1 END, ref LIMIT 1`, orgID, userID, email).Scan(&t.ID, &t.Ref, &t.Name)
	if err == sql.ErrNoRows {
		return t, false, nil
	}
	return t, err == nil, err
}

// OverdueDocuments counts the documents in force whose review date is before today (YYYY-MM-DD).
func (tx *Tx) OverdueDocuments(ctx context.Context, orgID, today string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE org_id = $1 AND approved_version > 0 AND next_review <> '' AND next_review < $2",
		orgID, today).Scan(&n)
	return n, err
}

// PendingAcknowledgements lists the versions in force a person was published and has not acknowledged:
// document ref, title and version number.
func (tx *Tx) PendingAcknowledgements(ctx context.Context, orgID, personID string) ([]isms.Document, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT d.ref, d.title, r.number FROM document_readers r
		JOIN documents d ON d.id = r.document_id AND d.org_id = r.org_id AND d.approved_version = r.number
		WHERE r.org_id = $1 AND r.person_id = $2 AND r.acknowledged_at IS NULL ORDER BY d.ref`, orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []isms.Document
	for rows.Next() {
		var d isms.Document
		if err := rows.Scan(&d.Ref, &d.Title, &d.Approved); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
