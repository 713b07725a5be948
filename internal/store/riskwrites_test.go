package store_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestRiskOwnerJoinIsolation: a risk whose owner id names another organisation's person, as a crafted restore
// could write it, reads with no owner, in one risk and in the list; and an acceptance saved on it keeps every
// other column as it was.
func TestRiskOwnerJoinIsolation(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			st := store.New(testutil.NewDB(t, engine))
			ctx := t.Context()
			a, _ := newOrg(t, st, "risk-a")
			b, _ := newOrg(t, st, "risk-b")
			eve := addPeople(t, st, b.ID, isms.Person{Ref: "P-001", Name: "Eve of B"})[0]
			r := isms.Risk{ID: store.NewID(), Ref: "R-001", Title: "Crafted", Likelihood: 2, Impact: 3, Score: 6, Treatment: isms.TreatRetain,
				CreatedAt: t0, UpdatedAt: t0}
			write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.CreateRisk(ctx, a.ID, eve.ID, r) })
			var got isms.Risk
			var l store.List[isms.Risk]
			ok(t, st.Read(ctx, func(tx *store.Tx) (err error) {
				if got, err = tx.RiskByRef(ctx, a.ID, "R-001"); err != nil {
					return err
				}
				l, err = tx.ListRisks(ctx, a.ID, store.RiskFilter{}, store.Page{})
				return err
			}))
			if got.Owner != "" || got.OwnerName != "" || len(l.Items) != 1 || l.Items[0].OwnerName != "" {
				t.Fatalf("a risk of A shows B's person: %+v, list %+v", got, l.Items)
			}
			accepted := got
			at := t0.Add(1)
			accepted.AcceptedAt, accepted.AcceptedBy, accepted.Title, accepted.Score = &at, "Approver", "changed title", 25
			write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.SaveAcceptance(ctx, a.ID, accepted) })
			ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { got, err = tx.RiskByRef(ctx, a.ID, "R-001"); return err }))
			if got.AcceptedBy != "Approver" || got.AcceptedAt == nil || got.Title != "Crafted" || got.Score != 6 || got.Version != 2 {
				t.Fatalf("after saving the acceptance: %+v", got)
			}
		})
	}
}
