package store

import (
	"context"

	"github.com/praxis-isms/praxis/internal/sqldb"
)

// PlanOrder is the treatment plan's ORDER BY, for the test that checks an index serves it.
const PlanOrder = planOrder

// RiskOrderBy is the risk register's ORDER BY for a sort parameter, for the test that checks an index serves it.
func RiskOrderBy(sort string) string { return orderBy(RiskFilter{Sort: sort}.order()) }

// SetDeepOffset makes the lists read pages from offset n on by key, and returns what puts it back.
func SetDeepOffset(n int) func() {
	old := deepOffset
	deepOffset = n
	return func() { deepOffset = old }
}

// RowByRow has a page of f read row by row (RiskFilter.rowByRow) whatever the counts say.
func RowByRow(f RiskFilter) RiskFilter { f.rowByRow = true; return f }

// RiskPageSQL is the query of a first page of the risk register for f, read row by row or not, and its arguments.
func RiskPageSQL(f RiskFilter, rowByRow bool, engine sqldb.Engine, orgID string) (string, []any) {
	f.rowByRow = rowByRow
	w := f.where(&Tx{engine: engine}, orgID)
	return "SELECT r.id FROM " + riskFrom + w.sql() + " ORDER BY " + orderBy(f.order()) + " LIMIT 50", w.args
}

// PlanRowByRow tells whether planRisks reads a page of f of limit rows row by row.
func (tx *Tx) PlanRowByRow(ctx context.Context, orgID string, f RiskFilter, limit int) (bool, error) {
	f, err := tx.planRisks(ctx, orgID, f, limit)
	return f.rowByRow, err
}
