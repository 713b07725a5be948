package store

import (
	"context"
	"fmt"
)

// DocumentsNaming lists the documents (not retired) whose controls name one control, with one scoped query:
// documents.controls is a comma-separated list, so the control is matched between commas.
func (tx *Tx) DocumentsNaming(ctx context.Context, orgID, control string) ([]EvidenceDocument, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT ref, title, approved_version, status FROM documents
		WHERE org_id = $1 AND status <> 'retired' AND ',' || controls || ',' LIKE $2 ORDER BY ref`, orgID, "%,"+control+",%")
	if err != nil {
		return nil, fmt.Errorf("read documents of %s: %w", control, err)
	}
	defer rows.Close()
	out := []EvidenceDocument{}
	for rows.Next() {
		var d EvidenceDocument
		if err := rows.Scan(&d.Ref, &d.Title, &d.Version, &d.Status); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
