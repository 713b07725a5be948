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
			db := testutil.NewDB(t, engine)
			ctx := context.Background()
			tx, err := db.W.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			q := "SELECT t.id FROM treatment_actions t WHERE t.org_id = $1 ORDER BY " + store.PlanOrder + " LIMIT 50"
			explain, sorted := "EXPLAIN QUERY PLAN ", "TEMP B-TREE"
			if engine == sqldb.Postgres {
				// The test table is tiny, where a sort is cheapest: make the planner show whether an index could serve.
				for _, s := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL enable_sort = off"} {
					if _, err := tx.ExecContext(ctx, s); err != nil {
						t.Fatal(err)
					}
				}
				explain, sorted = "EXPLAIN ", "Sort"
			}
			rows, err := tx.QueryContext(ctx, explain+q, "org")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
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
				plan = append(plan, fmt.Sprint(vals...))
			}
			if p := strings.Join(plan, " | "); strings.Contains(p, sorted) || !strings.Contains(p, "treatment_actions_plan") {
				t.Fatalf("the plan's page sorts instead of reading treatment_actions_plan: %s", p)
			}
		})
	}
}
