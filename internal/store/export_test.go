package store

// PlanOrder is the treatment plan's ORDER BY, for the test that checks an index serves it.
const PlanOrder = planOrder

// RiskOrderBy is the risk register's ORDER BY for a sort parameter, for the test that checks an index serves it.
func RiskOrderBy(sort string) string { return orderBy(RiskFilter{Sort: sort}.order()) }

// SetDeepOffset makes ListRisks read pages from offset n on by key, and returns what puts it back.
func SetDeepOffset(n int) func() {
	old := deepOffset
	deepOffset = n
	return func() { deepOffset = old }
}
