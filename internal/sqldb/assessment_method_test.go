package sqldb_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Migration 00005 gives every existing assessment its organisation's current method (the default one when the
// organisation never saved one), on both engines.
func TestAssessmentMethodMigrationFillsExistingRows(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db := testutil.NewDB(t, engine)
			svc := testutil.NewService(t, db, testutil.NewClock())
			own, dflt := testutil.NewOrg(t, svc, "Own method"), testutil.NewOrg(t, svc, "Default method")
			three := []isms.Level{{Label: "Low"}, {Label: "Medium"}, {Label: "High \"label\": quoted"}}
			four := []isms.Level{{Label: "1"}, {Label: "2"}, {Label: "3"}, {Label: "4"}}
			res, err := svc.SetRiskMethod(own.Ctx("editor"), service.RiskMethodInput{Likelihood: three, Impact: four, Scoring: isms.ScoreAdd,
				AcceptanceThreshold: 3, HighThreshold: 6})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range []testutil.Org{own, dflt} {
				if _, err := svc.AddRisk(o.Ctx("editor"), service.RiskInput{Title: "A risk", Likelihood: 2, Impact: 2, Treatment: isms.TreatRetain}); err != nil {
					t.Fatal(err)
				}
			}

			if err := db.MigrateDownTo(ctx, 4); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			for _, c := range []struct {
				org  testutil.Org
				want isms.MethodSnapshot
			}{{own, res.Method.Snapshot()}, {dflt, isms.DefaultRiskMethod().Snapshot()}} {
				d, err := svc.Risk(c.org.Ctx("viewer"), "R-001")
				if err != nil {
					t.Fatal(err)
				}
				if len(d.History) != 1 || d.History[0].Method != c.want {
					t.Errorf("%s: history after the migration %+v, want method %+v", c.org.Slug, d.History, c.want)
				}
			}
		})
	}
}
