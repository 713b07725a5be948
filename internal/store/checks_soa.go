package store

import (
	"context"
	"database/sql"
	"errors"
)

// LastApproval is the number and content hash of the subject's latest approved version (0 and "" when none), in
// one statement that leaves the snapshot unread: a check compares the hash with the draft's.
func (tx *Tx) LastApproval(ctx context.Context, orgID, subject string) (int, string, error) {
	var n int
	var hash string
	err := tx.tx.QueryRowContext(ctx, `SELECT number, hash FROM approved_versions WHERE org_id = $1 AND subject = $2
		ORDER BY number DESC LIMIT 1`, orgID, subject).Scan(&n, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return n, hash, err
}
