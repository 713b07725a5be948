package testutil_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Each test gets its own copy of the seeded sample: the organisation and its stored files are there, and what
// one copy changes, the next copy does not see.
func TestDemoDBCopiesAreIndependent(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			people := func(db *sqldb.DB, blobDir string) (int, *service.Service, context.Context) {
				svc := testutil.NewServiceWith(t, db, service.Config{Now: testutil.NewClock().Now, BlobDir: blobDir})
				a, err := svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
				if err != nil {
					t.Fatal(err)
				}
				ctx := service.WithActor(context.Background(), a)
				list, err := svc.ListPeople(ctx, service.PersonFilter{}, service.Page{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				return list.Total, svc, ctx
			}
			db1, blobs1 := testutil.DemoDB(t, engine)
			n, svc, ctx := people(db1, blobs1)
			if n == 0 {
				t.Fatal("the copy holds no staff of the sample")
			}
			if _, err := svc.AddPerson(ctx, service.PersonInput{Name: "Only In The First Copy"}); err != nil {
				t.Fatal(err)
			}
			db2, blobs2 := testutil.DemoDB(t, engine)
			if again, _, _ := people(db2, blobs2); again != n || blobs1 == blobs2 {
				t.Fatalf("the second copy holds %d people (want %d, the first copy's change not seen); blob folders %s and %s", again, n, blobs1, blobs2)
			}
			if engine == sqldb.SQLite {
				files := 0
				filepath.WalkDir(blobs2, func(_ string, d os.DirEntry, _ error) error {
					if d != nil && !d.IsDir() {
						files++
					}
					return nil
				})
				if files == 0 {
					t.Error("the copy's blob folder holds none of the sample's evidence files")
				}
			}
		})
	}
}
