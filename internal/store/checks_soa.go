package store

import (
	"context"
	"fmt"

	"github.com/praxis-isms/praxis/internal/isms"
)

// SoADecisions lists the organisation's entries as decided, without the risks that link them, in the catalog's
// order, and the controls that treat at least one risk: two queries of a few index probes per control, where SoA
// reads every link of the risk register.
func (tx *Tx) SoADecisions(ctx context.Context, orgID string) ([]isms.SoAEntry, map[string]bool, error) {
	entries, err := SoAEntries.query(ctx, tx, SoAEntries.selectSQL()+" FROM "+SoAEntries.from()+" WHERE s.org_id = $1", []any{orgID})
	if err != nil {
		return nil, nil, err
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT s.control_id FROM soa_entries s WHERE s.org_id = $1
		AND EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.control_id = s.control_id AND rc.org_id = s.org_id)`, orgID)
	if err != nil {
		return nil, nil, fmt.Errorf("read the controls that treat risks: %w", err)
	}
	defer rows.Close()
	treating := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, nil, err
		}
		treating[c] = true
	}
	for i := range entries {
		describeEntry(&entries[i], nil)
	}
	inCatalogOrder(entries)
	return entries, treating, rows.Err()
}
