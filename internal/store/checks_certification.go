package store

import "context"

// CertificationNonconformities lists, by grade, the references of the nonconformities raised by certification
// audits that are open with no corrective action (one query over the findings that name a certification
// audit: a few a year).
func (tx *Tx) CertificationNonconformities(ctx context.Context, orgID string) (map[string][]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT fi.grade, fi.ref FROM findings fi
		WHERE fi.org_id = $1 AND fi.certification_id IS NOT NULL AND fi.status = 'open' AND fi.grade IN ('major-nc', 'minor-nc')
		AND NOT EXISTS (SELECT 1 FROM corrective_actions ca WHERE ca.finding_id = fi.id AND ca.org_id = fi.org_id)
		ORDER BY fi.ref`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var grade, ref string
		if err := rows.Scan(&grade, &ref); err != nil {
			return nil, err
		}
		out[grade] = append(out[grade], ref)
	}
	return out, rows.Err()
}
