package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A deep ?offset= page of the risk register (read by walking the sort's index to the row before it, then by
// key) holds exactly the rows the offset page held, with the same total, for every sort both ways and with
// filters, ties included; an offset past the end gives an empty page.
func TestDeepOffsetPagesMatchOffset(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			org, _ := newOrg(t, st, "deep")
			seedRisks(t, st, org.ID, 23)
			ctx := context.Background()
			list := func(f store.RiskFilter, p store.Page) store.List[isms.Risk] {
				t.Helper()
				var l store.List[isms.Risk]
				ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { l, err = tx.ListRisks(ctx, org.ID, f, p); return err }))
				return l
			}
			refs := func(rs []isms.Risk) []string {
				out := []string{}
				for _, r := range rs {
					out = append(out, fmt.Sprintf("%s%v%v", r.Ref, r.Assets, r.Controls))
				}
				return out
			}
			var filters []store.RiskFilter
			for _, key := range []string{"ref", "title", "score", "residual", "current", "treatment", "updated"} {
				filters = append(filters, store.RiskFilter{Sort: key}, store.RiskFilter{Sort: "-" + key})
			}
			filters = append(filters, store.RiskFilter{MinScore: 6}, store.RiskFilter{Control: "8.8", Sort: "-score"}, store.RiskFilter{Search: "risk 1"})
			for _, f := range filters {
				all := list(f, store.Page{Limit: 500}) // offset 0: the plain offset page
				restore := store.SetDeepOffset(1)
				for off := 1; off <= all.Total+1; off++ {
					got := list(f, store.Page{Limit: 4, Offset: off})
					want := all.Items[min(off, len(all.Items)):min(off+4, len(all.Items))]
					if got.Total != all.Total || got.Offset != off || !slices.Equal(refs(got.Items), refs(want)) {
						t.Fatalf("%+v offset %d: %v (total %d), want %v (total %d)", f, off, refs(got.Items), got.Total, refs(want), all.Total)
					}
				}
				restore()
			}
		})
	}
}

// seedRisks inserts n risks with repeated scores, residuals, treatments and update times (so every sort has ties)
// and the control 8.8 on every third.
func seedRisks(t *testing.T, st *store.Store, orgID string, n int) {
	t.Helper()
	treatments := []isms.Treatment{isms.TreatModify, isms.TreatRetain, isms.TreatAvoid}
	var risks []store.NewRisk
	for i := range n {
		l, im := 1+i%4, 1+i%3
		r := isms.Risk{ID: store.NewID(), Ref: fmt.Sprintf("R-%03d", i+1), Title: fmt.Sprintf("Risk %d", n-i%7), Likelihood: l, Impact: im,
			Score: l * im, Treatment: treatments[i%3], Controls: []string{"5.1"}, CreatedAt: t0, UpdatedAt: t0.Add(time.Duration(i%5) * time.Hour), Version: 1}
		if i%2 == 0 {
			r.ResidualLikelihood, r.ResidualImpact, r.ResidualScore = 1, im, im
		}
		if i%3 == 0 {
			r.Controls = append(r.Controls, "8.8")
		}
		risks = append(risks, store.NewRisk{Risk: r, History: isms.RiskAssessment{RiskID: r.ID, At: t0}})
	}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.InsertRisks(ctx, orgID, risks) })
}

// A page filtered by a score band, a residual band or a control and read row by row (what planRisks picks on
// SQLite when the filter matches many risks) reads the sort's index in order instead of sorting every match,
// and gives the same pages as the plain plan, first and by key; the sort's own score range still reads its index.
func TestRowByRowFiltersReadInOrder(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			db := testutil.NewDB(t, engine)
			st := store.New(db)
			st.SetAuditKey(testutil.TestKey.Audit())
			org, _ := newOrg(t, st, "rows")
			seedRisks(t, st, org.ID, 23)
			ctx := context.Background()
			filters := []store.RiskFilter{{MinScore: 4, MaxScore: 12}, {MinResidual: 1, MaxResidual: 2, Sort: "-title"},
				{Control: "8.8"}, {Control: "8.8", MinScore: 3, Sort: "score"}, {MinScore: 6, Sort: "-score"}, {Control: "8.8", Sort: "owner"}}
			for _, f := range filters {
				if engine == sqldb.SQLite {
					q, args := store.RiskPageSQL(f, true, engine, org.ID)
					if p, sorted := queryPlan(t, db, q, args...); sorted && f.Sort != "owner" {
						t.Errorf("%+v read row by row sorts the matches: %s", f, p)
					}
				}
				var plain, rows []string
				for i, g := range []store.RiskFilter{f, store.RowByRow(f)} {
					var got []string
					for after := ""; ; {
						var p store.RiskPage
						ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { p, err = tx.ListRisksAfter(ctx, org.ID, g, after, 3); return err }))
						for _, r := range p.Items {
							got = append(got, r.Ref)
						}
						if after = p.Next; after == "" {
							break
						}
					}
					var l store.List[isms.Risk]
					ok(t, st.Read(ctx, func(tx *store.Tx) (err error) {
						l, err = tx.ListRisks(ctx, org.ID, g, store.Page{Limit: 500})
						return err
					}))
					if len(l.Items) != len(got) || l.Total != len(got) {
						t.Errorf("%+v (row by row %v): %d by key, %d by offset, total %d", f, i == 1, len(got), len(l.Items), l.Total)
					}
					if i == 0 {
						plain = got
					} else {
						rows = got
					}
				}
				if len(plain) == 0 || !slices.Equal(plain, rows) {
					t.Errorf("%+v: row by row %v, plain %v", f, rows, plain)
				}
			}
		})
	}
}

// On SQLite a filter is read row by row when its matches are many (reading in order stops soon), from its index
// when they are few (sorting them is cheap); PostgreSQL's planner decides alone.
func TestPlanRowByRowFollowsTheCounts(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			org, _ := newOrg(t, st, "plan")
			seedRisks(t, st, org.ID, 23)
			ctx := context.Background()
			// 8 of 23 risks have 8.8 and 1 has the score 12: 8*8 > 2*23, 1*1 < 2*23.
			for f, common := range map[*store.RiskFilter]bool{{Control: "8.8"}: true, {Control: "5.12"}: false, {MinScore: 12}: false,
				{MinScore: 2}: true, {Likelihood: 2}: false} {
				var got bool
				ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { got, err = tx.PlanRowByRow(ctx, org.ID, *f, 2); return err }))
				if want := common && engine == sqldb.SQLite; got != want {
					t.Errorf("%+v: row by row %v, want %v", *f, got, want)
				}
			}
		})
	}
}

// Deep ?offset= pages of the treatment plan and of the audit trail (walked by key from deepOffset on) hold
// exactly the rows the offset pages held, with the same total, with and without filters; past the end, none.
func TestDeepOffsetPlanAndAuditMatchOffset(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			db := testutil.NewDB(t, engine)
			svc := testutil.NewService(t, db, testutil.NewClock())
			o := testutil.NewOrg(t, svc, "Deep")
			ctx := o.Ctx("owner")
			r, err := svc.AddRisk(ctx, service.RiskInput{Title: "Phishing", Likelihood: 2, Impact: 2, Treatment: isms.TreatModify})
			ok(t, err)
			for i, due := range []string{"2026-03-01", "", "2026-01-15", "2026-03-01", "", "2026-01-15", "2027-01-01", "2026-03-01", "", "2025-12-31"} {
				_, err := svc.AddAction(ctx, r.Ref, service.ActionInput{Title: fmt.Sprintf("Action %d", i), Due: due,
					Status: isms.ActionStatuses[i%len(isms.ActionStatuses)]})
				ok(t, err)
			}
			checkDeep(t, "plan", func(f service.ActionFilter, p service.Page) (service.List[isms.TreatmentAction], error) {
				return svc.ListActions(ctx, f, p)
			}, []service.ActionFilter{{}, {Status: "planned"}, {OverdueOn: "2026-03-02"}}, func(a isms.TreatmentAction) string { return a.Ref })
			checkDeep(t, "audit", func(f service.AuditFilter, p service.Page) (service.List[isms.AuditEvent], error) {
				return svc.ListAudit(ctx, f, p)
			}, []service.AuditFilter{{}, {Entity: "treatment action"}}, func(e isms.AuditEvent) string { return fmt.Sprint(e.Seq) })
			// With an event missing (removed by hand), the sequence numbers have a gap: the trail is walked instead.
			// A new service, as after a restore: nothing remembered.
			if _, err := db.W.ExecContext(context.Background(), "DELETE FROM audit_events WHERE org_id = $1 AND seq = 4", o.Actors["owner"].OrgID); err != nil {
				t.Fatal(err)
			}
			restored := testutil.NewService(t, db, testutil.NewClock())
			checkDeep(t, "audit with a gap", func(f service.AuditFilter, p service.Page) (service.List[isms.AuditEvent], error) {
				return restored.ListAudit(ctx, f, p)
			}, []service.AuditFilter{{}}, func(e isms.AuditEvent) string { return fmt.Sprint(e.Seq) })
		})
	}
}

// checkDeep compares every page of 3 of each filter's list, read from offset 1 on by walking keys, with the first
// page of 500 read by offset.
func checkDeep[T, F any](t *testing.T, name string, list func(F, service.Page) (service.List[T], error), filters []F, key func(T) string) {
	t.Helper()
	keys := func(items []T) []string {
		out := []string{}
		for _, x := range items {
			out = append(out, key(x))
		}
		return out
	}
	for _, f := range filters {
		all, err := list(f, service.Page{Limit: 500})
		ok(t, err)
		restore := store.SetDeepOffset(1)
		for off := 1; off <= all.Total+1; off++ {
			got, err := list(f, service.Page{Limit: 3, Offset: off})
			ok(t, err)
			want := all.Items[min(off, len(all.Items)):min(off+3, len(all.Items))]
			if got.Total != all.Total || !slices.Equal(keys(got.Items), keys(want)) {
				t.Fatalf("%s %+v offset %d: %v (total %d), want %v (total %d)", name, f, off, keys(got.Items), got.Total, keys(want), all.Total)
			}
		}
		restore()
	}
}
