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

// Migration 00016 moves the approved SoA versions into approved_versions and its down step moves them back: a
// version approved before the move reads the same after it (number, approver, comment, hash, entries), on both
// engines, and the next approval continues the numbering.
func TestApprovedVersionsMigrationKeepsSoAVersions(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db := testutil.NewDB(t, engine)
			svc := testutil.NewService(t, db, testutil.NewClock())
			o := testutil.NewOrg(t, svc, "First")
			approver := o.Ctx("approver")
			if _, err := svc.BulkSetSoA(approver, service.BulkSoAInput{Filter: service.SoAFilter{Applicable: "undecided"},
				Set: service.SoAInput{Applicable: ptr(true), Justification: "Needed", Status: "implemented", Reasons: []string{"business"}}}); err != nil {
				t.Fatal(err)
			}
			before, err := svc.ApproveSoA(approver, "First approval")
			if err != nil {
				t.Fatal(err)
			}
			if err := db.MigrateDownTo(ctx, 15); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM soa_versions WHERE hash = $1", before.Hash).Scan(&n); err != nil || n != 1 {
				t.Fatalf("after the down step soa_versions holds %d rows with the hash (%v), want 1", n, err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			after, err := svc.SoAVersion(o.Ctx("viewer"), 1)
			if err != nil {
				t.Fatal(err)
			}
			if after.Hash != before.Hash || after.ApprovedBy != before.ApprovedBy || after.Comment != "First approval" ||
				!after.ApprovedAt.Equal(before.ApprovedAt) || after.Summary != before.Summary || len(after.Entries) != 93 ||
				after.Entries[0].Justification != "Needed" {
				t.Errorf("version 1 after the migration = %+v, want it as approved: %+v", after, before)
			}
			next, err := svc.ApproveSoA(approver, "")
			if err != nil || next.Number != 2 || next.Hash != before.Hash {
				t.Errorf("next approval = %d %s (%v), want version 2 with the same hash", next.Number, next.Hash, err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
