package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A page of the treatment plan reads its rows from an index in the plan's order, on both engines: no sort of the
// whole plan before the first row (at 100,000 actions that sort was most of the page's time).
func TestPlanOrderIsIndexed(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			q := "SELECT t.id FROM treatment_actions t WHERE t.org_id = $1 ORDER BY " + store.PlanOrder + " LIMIT 50"
			if p, sorted := queryPlan(t, testutil.NewDB(t, engine), q); sorted || !strings.Contains(p, "treatment_actions_plan") {
				t.Fatalf("the plan's page sorts instead of reading treatment_actions_plan: %s", p)
			}
		})
	}
}

// Every indexed sort of the risk register is read from its index in both directions: a descending sort breaks
// ties by id descending, so the index read backwards serves it, and an ascending one reads it forwards (before
// migration 00011 the ascending score sorts sorted every risk of the lowest score).
func TestRiskSortsAreIndexed(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			db := testutil.NewDB(t, engine)
			for _, key := range []string{"ref", "title", "score", "residual", "treatment", "updated"} {
				for _, sort := range []string{key, "-" + key} {
					q := "SELECT r.id FROM risks r WHERE r.org_id = $1 ORDER BY " + store.RiskOrderBy(sort) + " LIMIT 50"
					if p, sorted := queryPlan(t, db, q); sorted {
						t.Errorf("sort=%s sorts the register instead of reading an index: %s", sort, p)
					}
				}
			}
		})
	}
}

// queryPlan explains q (with args; without, its one parameter the organisation) and tells whether the plan sorts rows instead of
// reading them from an index in order. (PostgreSQL's incremental sort of an index read on a unique key sorts
// nothing: it is not counted.)
func queryPlan(t *testing.T, db *sqldb.DB, q string, args ...any) (plan string, sorted bool) {
	t.Helper()
	engine := db.Engine
	ctx := context.Background()
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	explain, sortStep := "EXPLAIN QUERY PLAN ", "TEMP B-TREE" // SQLite's sort; PostgreSQL's is a Sort node
	if engine == sqldb.Postgres {
		// The test table is tiny, where a sort is cheapest: make the planner show whether an index could serve.
		for _, s := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL enable_sort = off"} {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		explain, sortStep = "EXPLAIN ", "Sort"
	}
	if args == nil {
		args = []any{"org"}
	}
	rows, err := tx.QueryContext(ctx, explain+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(vals...))
	}
	for _, l := range lines {
		step := strings.TrimPrefix(strings.TrimSpace(l), "->  ")
		sorted = sorted || (engine == sqldb.Postgres && strings.HasPrefix(step, sortStep+"  (")) || (engine != sqldb.Postgres && strings.Contains(step, sortStep))
	}
	return strings.Join(lines, " | "), sorted
}
