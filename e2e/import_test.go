package e2e

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// An editor re-imports the asset inventory they exported and edited in a spreadsheet: Check shows one row to
// add and one to update, with the extra column named as ignored, and changes nothing; Import then updates the
// edited asset in place (same reference, next version) and adds the new one, without a second upload.
func TestAssetReimportCheckThenImport(t *testing.T) {
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	ctx := org.Ctx("editor")
	sam, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Sam Sysadmin"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Laptops", Type: "hardware", Owner: sam.Ref, Location: "Berlin"}); err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	if err := srv.Svc.ExportAssets(ctx, service.AssetFilter{}, "csv", &export); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(strings.TrimSpace(export.String()), "\n", 2)
	file := filepath.Join(t.TempDir(), "inventory.csv")
	writeTestFile(t, file, lines[0]+",Comment\n"+strings.Replace(lines[1], "Berlin", "Hamburg", 1)+",moved\n"+",Payroll,service,,Sam Sysadmin,,,,,,,,\n")

	b.login("editor@acme.example", testutil.Password)
	b.open("/assets/import")
	b.run("choose the file", chromedp.SetUploadFiles("#file", []string{file}, chromedp.ByQuery))
	if status := b.press("Check"); status != http.StatusOK {
		t.Fatalf("the check answers %d", status)
	}
	shows(b, ".import-check", "Check of inventory.csv: nothing is changed yet")
	for _, want := range []string{"New assets to add 1", "Rows that update assets in place 1", "Rows left unchanged 0", "Columns ignored Comment"} {
		shows(b, ".import-check dl", want)
	}
	if a, _ := srv.Svc.Asset(ctx, "A-001"); a.Location != "Berlin" || a.Version != 1 {
		t.Fatalf("the check changed A-001: %+v", a)
	}
	if status := b.press("Import"); status != http.StatusOK {
		t.Fatalf("the import lands on a page with status %d", status)
	}
	b.expectPath("/assets")
	shows(b, ".flash", "Imported 1 asset (A-002), updated 1, left 0 unchanged. Columns ignored: Comment.")
	a, err := srv.Svc.Asset(ctx, "A-001")
	if err != nil || a.Location != "Hamburg" || a.Version != 2 || a.Owner != sam.Ref {
		t.Fatalf("A-001 after the import: %+v %v", a, err)
	}
}
