package sqldb_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Migration 00010 gives every existing organisation one undecided SoA entry per Annex A control of the catalog,
// on both engines.
func TestSoAMigrationFillsExistingOrganisations(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db := testutil.NewDB(t, engine)
			svc := testutil.NewService(t, db, testutil.NewClock())
			orgs := []testutil.Org{testutil.NewOrg(t, svc, "First"), testutil.NewOrg(t, svc, "Second")}
			if err := db.MigrateDownTo(ctx, 8); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			controls := catalog.MustLoad().Controls()
			for _, o := range orgs {
				v, err := svc.SoA(o.Ctx("viewer"), service.SoAFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(v.Entries) != len(controls) {
					t.Fatalf("%s has %d entries after the migration, want %d", o.Slug, len(v.Entries), len(controls))
				}
				for i, e := range v.Entries {
					if e.Control != controls[i].ID || e.Applicable != nil || e.Version != 1 {
						t.Errorf("%s entry %d = %+v, want %s undecided", o.Slug, i, e, controls[i].ID)
					}
				}
			}
		})
	}
}
