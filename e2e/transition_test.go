package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// An editor moves a 2013 SoA to 2022: from the SoA's tabs to the workspace, Check shows what happens to each
// 2022 control and changes nothing, Import makes the draft, and the open decisions come one by one: deciding
// the first on the spot returns to the workspace with the progress moved on and the next decision shown.
func TestTransitionWorkspace(t *testing.T) {
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	data, err := os.ReadFile("../internal/service/testdata/soa-2013.csv")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "soa-2013.csv")
	writeTestFile(t, file, string(data))

	b.login("editor@acme.example", testutil.Password)
	b.open("/soa")
	b.follow("nav.subnav", "Transition from 2013")
	b.expectPath("/transition")
	b.run("choose the file", chromedp.SetUploadFiles("#file", []string{file}, chromedp.ByQuery))
	if status := b.press("Check"); status != http.StatusOK {
		t.Fatalf("the check answers %d", status)
	}
	shows(b, "main", "Check of soa-2013.csv: nothing is changed yet")
	if n := b.count(`table.transition-preview tr[data-action="conflict"]`); n != 3 {
		t.Fatalf("the check shows %d conflicts, want 3", n)
	}
	if st, _ := srv.Svc.TransitionStatus(org.Ctx("viewer")); st.Imported {
		t.Fatal("the check imported")
	}
	b.press("Import")
	b.expectPath("/transition")
	shows(b, ".flash", "Imported 114 rows of the 2013 SoA: 79 SoA entries decided from it, 14 controls left for a decision")
	shows(b, ".transition-progress", "0 of 14 decided")
	shows(b, ".transition-decision h2", "Decision 1 of 14 open: 5.7 Threat intelligence")
	shows(b, ".transition-guidance", "Guidance for 5.7")

	var ok bool
	b.js("choose applicable", &ok, `function() { const r = document.querySelector("#form-5\\.7 input[name=applicable][value=yes]"); r.click(); return r.checked; }`)
	b.fillIn("#form-5\\.7", "Justification", "We take two threat feeds and review them weekly.")
	b.fillIn("#form-5\\.7", "Implementation status", "Planned")
	b.pressIn("#form-5\\.7", "Save 5.7")
	b.expectPath("/transition")
	shows(b, ".transition-progress", "1 of 14 decided")
	shows(b, ".transition-decision h2", "Decision 1 of 13 open: 5.14 Information transfer")
	shows(b, ".transition-sources", "A.13.2.3")
	b.saveScreenshot("transition")
}
