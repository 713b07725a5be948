package store

// PlanOrder is the treatment plan's ORDER BY, for the test that checks an index serves it.
const PlanOrder = planOrder
