package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Lint acknowledgements (table lint_acks): one per organisation, rule and ref. Acknowledging a finding again
// replaces its reason and expiry; the reads are in lint.go.

// LintAck loads one acknowledgement by rule and ref; found is false when there is none.
func (tx *Tx) LintAck(ctx context.Context, orgID, rule, ref string) (k isms.LintAcknowledge, found bool, err error) {
	var at string
	err = tx.tx.QueryRowContext(ctx, `SELECT id, rule, ref, reason, expires_on, by_name, created_at
		FROM lint_acks WHERE org_id = $1 AND rule = $2 AND ref = $3`, orgID, rule, ref).
		Scan(&k.ID, &k.Rule, &k.Ref, &k.Reason, &k.ExpiresOn, &k.By, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return k, false, nil
	}
	if err != nil {
		return k, false, err
	}
	k.At, err = parseTS(at)
	return k, err == nil, err
}

// SaveLintAck stores an acknowledgement, replacing the one of the same rule and ref.
func (tx *Tx) SaveLintAck(ctx context.Context, orgID string, k isms.LintAcknowledge) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO lint_acks (id, org_id, rule, ref, reason, expires_on, by_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (org_id, rule, ref) DO UPDATE SET id = excluded.id, reason = excluded.reason,
			expires_on = excluded.expires_on, by_name = excluded.by_name, created_at = excluded.created_at`,
		k.ID, orgID, k.Rule, k.Ref, k.Reason, k.ExpiresOn, k.By, ts(k.At))
	return err
}

// DeleteLintAck removes an acknowledgement by rule and ref.
func (tx *Tx) DeleteLintAck(ctx context.Context, orgID, rule, ref string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM lint_acks WHERE org_id = $1 AND rule = $2 AND ref = $3", orgID, rule, ref)
	return err
}
