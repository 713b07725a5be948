package store

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
)

// LintAcks lists the organisation's acknowledged lint findings, expired ones included (the caller compares
// the day), by rule and ref.
func (tx *Tx) LintAcks(ctx context.Context, orgID string) ([]isms.LintAcknowledge, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, rule, ref, reason, expires_on, by_name, created_at
		FROM lint_acks WHERE org_id = $1 ORDER BY rule, ref`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []isms.LintAcknowledge
	for rows.Next() {
		var k isms.LintAcknowledge
		var at string
		if err := rows.Scan(&k.ID, &k.Rule, &k.Ref, &k.Reason, &k.ExpiresOn, &k.By, &at); err != nil {
			return nil, err
		}
		if k.At, err = parseTS(at); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
