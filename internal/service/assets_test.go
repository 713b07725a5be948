package service_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// assetFile is an inventory of n rows whose owners cycle through the given person references, names and emails.
func assetFile(n int, owners []string) string {
	var b strings.Builder
	b.WriteString("name,type,owner,classification,confidentiality,integrity,availability,location\n")
	for i := range n {
		fmt.Fprintf(&b, "Asset %d,%s,%s,internal,%d,2,3,Room %d\n", i, []string{"hardware", "software", "information"}[i%3], owners[i%len(owners)], i%5+1, i%40)
	}
	return b.String()
}

// TestAssetImportIsBatched: 2,000 rows import with a few hundred statements (the owners resolved with one query,
// multi-row inserts, one batch of audit events), not several statements per row, and every row is recorded.
func TestAssetImportIsBatched(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		var owners []string
		for i := range 40 {
			p, err := e.svc.AddPerson(ctx, service.PersonInput{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@acme.example", i)})
			ok(t, err)
			owners = append(owners, []string{p.Ref, strings.ToUpper(p.Name), p.Email, ""}[i%4])
		}
		const n = 2000
		before := e.svc.Store().Statements()
		res, err := e.svc.ImportAssets(ctx, "csv", strings.NewReader(assetFile(n, owners)))
		ok(t, err)
		// Row by row it took seven statements per row (14,000); multi-row statements take about 14 rows each.
		if ran := e.svc.Store().Statements() - before; ran > n/4 {
			t.Errorf("importing %d assets ran %d statements, want fewer than one per 4 rows", n, ran)
		}
		if res.Added != n || len(res.Refs) != n || res.Refs[0] != "A-001" || res.Refs[n-1] != "A-2000" {
			t.Fatalf("added %d, refs %d", res.Added, len(res.Refs))
		}
		l, err := e.svc.ListAssets(o.Ctx("viewer"), service.AssetFilter{Sort: "ref", Search: "asset 1998"}, service.Page{})
		ok(t, err)
		if l.Total != 1 || l.Items[0].Owner != "P-039" || l.Items[0].OwnerName != "Person 38" || l.Items[0].Confidentiality != 4 {
			t.Fatalf("asset 1999 = %+v", l.Items)
		}
		owned, err := e.svc.ListAssets(o.Ctx("viewer"), service.AssetFilter{Owner: "P-002"}, service.Page{})
		ok(t, err)
		if owned.Total != n/40 { // P-002 named by its name in upper case
			t.Errorf("P-002 owns %d assets, want %d", owned.Total, n/40)
		}
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "asset", Action: "create"}, service.Page{Limit: 1})
		ok(t, err)
		if events.Total != n {
			t.Errorf("%d audit events for %d imported assets", events.Total, n)
		}
		res2, err := e.svc.VerifyAuditTrail(t.Context(), o.Slug)
		ok(t, err)
		if len(res2) != 1 || !res2[0].Intact {
			t.Errorf("audit chain after the import: %+v", res2)
		}
		// The export imported back finds its rows a few hundred at a time, not one query per row.
		var export bytes.Buffer
		ok(t, e.svc.ExportAssets(ctx, service.AssetFilter{}, "csv", &export))
		before = e.svc.Store().Statements()
		again, err := e.svc.ImportAssets(ctx, "csv", &export)
		ok(t, err)
		if ran := e.svc.Store().Statements() - before; again.Unchanged != n || ran > n/50 {
			t.Errorf("importing the export of %d assets: %+v in %d statements", n, again, ran)
		}
	})
}

// TestAssetWritesCheckTheVersion: every asset and person write goes through writeAs: a missing version is
// Invalid, a stale one a Conflict, and neither changes anything.
func TestAssetWritesCheckTheVersion(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		a, err := e.svc.AddAsset(ctx, service.AssetInput{Name: "Laptop", Type: "hardware", Owner: "olga@" + o.Slug + ".example"})
		ok(t, err)
		if a.Owner != o.otherPerson || a.OwnerName != "Olga Other" || a.Version != 1 {
			t.Fatalf("added %+v", a)
		}
		in := service.AssetInput{Name: "Laptop 2", Type: "hardware", Owner: a.Owner}
		_, err = e.svc.UpdateAsset(ctx, a.Ref, in)
		wantKind(t, err, isms.KindInvalid, "update without a version")
		if !strings.Contains(err.Error(), "version: is required") {
			t.Errorf("missing version: %v", err)
		}
		in.Version = 1
		a2, err := e.svc.UpdateAsset(ctx, a.Ref, in)
		ok(t, err)
		if a2.Version != 2 || a2.Owner != o.otherPerson || a2.OwnerName != "Olga Other" || a2.Name != "Laptop 2" {
			t.Fatalf("updated %+v", a2)
		}
		in.Name = "lost"
		_, err = e.svc.UpdateAsset(ctx, a.Ref, in)
		wantKind(t, err, isms.KindConflict, "update with a stale version")
		p, err := e.svc.Person(ctx, o.otherPerson)
		ok(t, err)
		_, err = e.svc.UpdatePerson(ctx, p.Ref, service.PersonInput{Name: "Olga"})
		wantKind(t, err, isms.KindInvalid, "person update without a version")
		if got, _ := e.svc.Asset(ctx, a.Ref); got.Name != "Laptop 2" || got.Version != 2 {
			t.Errorf("refused writes changed the asset: %+v", got)
		}
	})
}

// BenchmarkAssetImport imports 1,000 and 4,000 assets into SQLite, each owned by one of 40 people.
func BenchmarkAssetImport(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			svc := testutil.NewService(b, testutil.NewDB(b, sqldb.SQLite), testutil.NewClock())
			var owners []string
			o := testutil.NewOrg(b, svc, "Bench")
			for i := range 40 {
				p, err := svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: fmt.Sprintf("Person %d", i)})
				if err != nil {
					b.Fatal(err)
				}
				owners = append(owners, p.Ref)
			}
			file := assetFile(n, owners)
			for b.Loop() {
				if _, err := svc.ImportAssets(o.Ctx("editor"), "csv", strings.NewReader(file)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
