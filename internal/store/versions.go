package store

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Approved versions (table approved_versions): the immutable, numbered approvals of documents approved as a whole,
// one numbering per organisation and subject. The service's versioned helper (service/versions.go) is their one
// user; these are its reads and its one write.

// InsertApprovedVersion stores an approved version; a number taken already (two approvals at once) is a Conflict.
func (tx *Tx) InsertApprovedVersion(ctx context.Context, orgID string, v isms.ApprovedVersion) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO approved_versions (org_id, subject, number, approved_by_id, approved_by_name, approved_at, comment, hash, summary_json, content_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, orgID, v.Subject, v.Number, nullString(v.ApprovedByID), v.ApprovedBy, ts(v.ApprovedAt), v.Comment,
		v.Hash, jsonText(v.Summary), jsonText(v.Content))
	if isUniqueViolation(err) {
		return isms.Conflict("version %d was approved by someone else meanwhile: reload and approve again", v.Number)
	}
	return err
}

func jsonText(b []byte) string {
	if len(b) == 0 {
		return "null"
	}
	return string(b)
}

// LastApprovedVersion is the number of the subject's latest approved version, 0 when none.
func (tx *Tx) LastApprovedVersion(ctx context.Context, orgID, subject string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(number), 0) FROM approved_versions WHERE org_id = $1 AND subject = $2", orgID, subject).Scan(&n)
	return n, err
}

const approvedVersionCols = "subject, number, COALESCE(approved_by_id, ''), approved_by_name, approved_at, comment, hash, summary_json"

func scanApprovedVersion(row interface{ Scan(...any) error }, content *string) (isms.ApprovedVersion, error) {
	var v isms.ApprovedVersion
	var at, summary string
	dest := []any{&v.Subject, &v.Number, &v.ApprovedByID, &v.ApprovedBy, &at, &v.Comment, &v.Hash, &summary}
	if content != nil {
		dest = append(dest, content)
	}
	if err := row.Scan(dest...); err != nil {
		return v, err
	}
	if summary != "null" {
		v.Summary = []byte(summary)
	}
	var err error
	v.ApprovedAt, err = parseTS(at)
	return v, err
}

// ApprovedVersions lists the subject's approved versions, newest first, without their content.
func (tx *Tx) ApprovedVersions(ctx context.Context, orgID, subject string) ([]isms.ApprovedVersion, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT "+approvedVersionCols+" FROM approved_versions WHERE org_id = $1 AND subject = $2 ORDER BY number DESC",
		orgID, subject)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []isms.ApprovedVersion{}
	for rows.Next() {
		v, err := scanApprovedVersion(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ApprovedVersion loads one approved version with its content; what names the subject in the NotFound message.
func (tx *Tx) ApprovedVersion(ctx context.Context, orgID, subject string, number int, what string) (isms.ApprovedVersion, error) {
	var content string
	v, err := scanApprovedVersion(tx.tx.QueryRowContext(ctx, "SELECT "+approvedVersionCols+", content_json FROM approved_versions WHERE org_id = $1 AND subject = $2 AND number = $3",
		orgID, subject, number), &content)
	if err != nil {
		return v, notFound(err, "%s version %d", what, number)
	}
	v.Content = []byte(content)
	return v, nil
}
