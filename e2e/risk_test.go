package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestRiskManagerPath: a risk manager (the editor, who is also a risk owner) builds a first register in the
// browser: an asset, a risk started from the threat library, its acceptance, a treatment action, the heat map,
// a reassessment and an import (a bad file first, then a good one); a viewer then reads it all without forms.
// Under the default 5x5 method the acceptance threshold is 6 and scores from 15 are high; the test clock says
// 2026-03-02.
func TestRiskManagerPath(t *testing.T) {
	t.Parallel()
	began := time.Now()
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	// Eve has the editor's email: the editor account owns her risks and may accept them.
	eve, err := srv.Svc.AddPerson(org.Ctx("editor"), service.PersonInput{Name: "Eve Editor", Email: "editor@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	sam, err := srv.Svc.AddPerson(org.Ctx("editor"), service.PersonInput{Name: "Sam Sysadmin", JobTitle: "Operations"})
	if err != nil {
		t.Fatal(err)
	}
	var threat catalog.Threat
	for _, th := range catalog.MustLoad().Threats() {
		if th.Name == "Insecure code reaching production" {
			threat = th
		}
	}
	if threat.ID == "" || !slices.Contains(threat.Controls, "8.28") {
		t.Fatalf("the threat library has no %q suggesting 8.28 (found %+v)", "Insecure code reaching production", threat)
	}
	const editorName = "editor of Acme" // the editor's account, as NewOrg names it
	today := srv.Clock.Now().UTC().Format(time.DateOnly)
	yesterday := srv.Clock.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)

	b.login("editor@acme.example", testutil.Password)
	b.expectPath("/")

	// 1. An asset in the inventory.
	b.follow("header nav", "Assets")
	b.expectPath("/assets")
	shows(b, "main", "The inventory is empty.")
	b.fillIn("#add", "Name", "Customer database")
	b.fillIn("#add", "Type", "information")
	b.fillIn("#add", "Owner", "Sam Sysadmin ("+sam.Ref+")")
	b.fillIn("#add", "Classification", "confidential")
	b.fillIn("#add", "Confidentiality", "5")
	b.fillIn("#add", "Integrity", "4")
	b.fillIn("#add", "Availability", "3")
	if status := b.pressIn("#add", "Add asset"); status != http.StatusOK {
		t.Errorf("adding an asset lands on a page with status %d", status)
	}
	b.expectPath("/assets/A-001")
	shows(b, ".flash", "A-001 Customer database is added to the inventory.")
	b.follow("main .crumbs", "Asset inventory")
	b.expectPath("/assets")
	cells := b.texts(`table.assets tbody tr[data-ref="A-001"] td`)
	if want := []string{"A-001", "Customer database", "information", "Sam Sysadmin", "confidential", "5/4/3", "", today}; !slices.Equal(cells, want) {
		t.Errorf("the inventory's row reads %q, want %q", cells, want)
	}
	if n := b.count("table.assets tbody tr"); n != 1 {
		t.Errorf("the inventory lists %d assets, want 1", n)
	}
	shows(b, ".result-count", "1 asset.")

	// 2. A risk started from the threat library.
	b.follow("header nav", "Risks")
	b.expectPath("/risks")
	shows(b, "main", "The register is empty.")
	b.follow("main .page-head", "New risk")
	b.expectPath("/risks/new")
	b.follow("aside.library", threat.Name)
	b.expectPath("/risks/new?threat=" + threat.ID)
	if cur := b.text(`aside.library a[aria-current="true"]`); cur != threat.Name {
		t.Errorf("the library marks %q as picked, want %q", cur, threat.Name)
	}
	for id, want := range map[string]string{"#title": threat.Name, "#threat": threat.Name, "#description": threat.Description} {
		if got := b.value(id); got != strings.TrimSpace(want) {
			t.Errorf("the pick fills %s with %q, want %q", id, got, want)
		}
	}
	var picked []string
	b.js("read the ticked controls", &picked, `function() { return [...document.querySelectorAll("main input[name=controls]:checked")].map(e => e.value); }`)
	if want := slices.Sorted(slices.Values(threat.Controls)); !slices.Equal(slices.Sorted(slices.Values(picked)), want) {
		t.Errorf("the pick ticks the controls %q, want the library's %q", picked, want)
	}
	shows(b, "main", "(chosen: ")
	b.check("A-001 Customer database", true)
	b.fill("Risk owner", "Eve Editor ("+eve.Ref+")")
	b.fill("Likelihood", "4")
	b.fill("Impact", "5")
	b.fill("Treatment", "modify")
	b.check("8.28 Secure coding", true)
	b.fill("Residual likelihood", "2")
	b.fill("Residual impact", "4")
	if status := b.press("Add risk"); status != http.StatusOK {
		t.Errorf("adding the risk lands on a page with status %d", status)
	}
	b.expectPath("/risks/R-001")
	shows(b, ".flash", "R-001 Insecure code reaching production is added to the register.")
	if h := b.text("h1"); h != "Insecure code reaching production R-001" {
		t.Errorf("the risk's page is titled %q", h)
	}
	props := riskProps(b)
	for k, want := range map[string]string{
		"Inherent risk": "20 high likelihood 4 Likely × impact 5 Severe",
		"Residual risk": "8 medium likelihood 2 Unlikely × impact 4 Major",
		"Treatment":     "modify",
		"Owner":         "Eve Editor",
		"Threat":        threat.Name,
		"Assets":        "A-001 Customer database",
	} {
		if props[k] != want {
			t.Errorf("the risk's %s reads %q, want %q", k, props[k], want)
		}
	}
	if c := mustAttr(b, `.risk-props .score.band-high`, "class"); c == "" {
		t.Error("the inherent score 20 is not shown in the high band's colour")
	}
	for _, id := range threat.Controls {
		if !strings.Contains(props["Controls"], id+" ") {
			t.Errorf("the risk's controls read %q, want %s among them", props["Controls"], id)
		}
	}
	if link := b.text(`.risk-props a[href="/catalog/controls/8.28"]`); link != "8.28 Secure coding" {
		t.Errorf("the link to /catalog/controls/8.28 reads %q", link)
	}
	if rows := b.texts("table.history tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "first assessment") {
		t.Errorf("the new risk's history reads %q, want one first assessment", rows)
	}

	// 3. Accepting the residual risk of 8 (above the threshold 6) needs a comment.
	shows(b, "#acceptance", "Not accepted yet. The score to accept is 8 (residual).")
	shows(b, "#acceptance .notice", "above the acceptance threshold of 6")
	var missing bool
	b.js("check the comment's validity", &missing, `function() { return document.getElementById("accept-comment").validity.valueMissing; }`)
	if !missing {
		t.Error("the browser does not require the acceptance comment above the threshold")
	}
	// The server says so too, for a browser that does not check.
	var ok bool
	b.js("turn off the browser's validation", &ok, `function() { document.querySelector("#acceptance form").noValidate = true; return true; }`)
	if status := b.pressIn("#acceptance", "Accept the residual risk"); status != http.StatusUnprocessableEntity {
		t.Errorf("accepting without a comment answers %d, want 422", status)
	}
	shows(b, ".error-box", "Please correct the fields marked below.")
	if e := b.text("#accept-comment + .field-error"); e != "is required: the score 8 is above the acceptance threshold 6" {
		t.Errorf("the comment's field error reads %q", e)
	}
	if n := b.count("#acceptance .accepted"); n != 0 {
		t.Error("the risk shows as accepted after the refused acceptance")
	}
	b.fill("Comment", "Secure coding standard and code review bring it down; the rest is within budget.")
	b.pressIn("#acceptance", "Accept the residual risk")
	b.expectPath("/risks/R-001")
	shows(b, ".flash", "The residual risk of R-001 is accepted.")
	if a := b.text("#acceptance .accepted"); a != "✓ Accepted by "+editorName+" on "+today+"." {
		t.Errorf("the acceptance reads %q", a)
	}
	shows(b, "#acceptance blockquote", "Secure coding standard and code review bring it down")

	// 4. A treatment action due yesterday is overdue on the plan.
	b.run("open the action form", chromedp.Click("details.add-action summary", chromedp.ByQuery))
	b.fill("#action-title", "Add static analysis to the CI pipeline")
	b.fill("#action-owner", "Sam Sysadmin ("+sam.Ref+")")
	b.fill("#action-due", yesterday)
	b.fill("#action-status", "planned")
	b.press("Add action")
	b.expectPath("/risks/R-001")
	shows(b, ".flash", "TA-001 Add static analysis to the CI pipeline is added to the treatment plan.")
	if cls := mustAttr(b, "#TA-001", "class"); !strings.Contains(cls, "overdue") {
		t.Errorf("on the risk's page the action due %s is not marked overdue (class %q)", yesterday, cls)
	}
	b.follow("nav.subnav", "Treatment plan")
	b.expectPath("/risks/plan")
	shows(b, ".overdue-summary", "1 overdue action.")
	row := b.texts("table.plan tbody tr#TA-001 td")
	if len(row) < 5 || row[0] != "TA-001" || row[1] != "Add static analysis to the CI pipeline" || row[2] != "R-001" ||
		row[3] != "Sam Sysadmin" || row[4] != yesterday+" overdue" {
		t.Errorf("the plan's row reads %q, want TA-001, the action, R-001, Sam Sysadmin, %s overdue", row, yesterday)
	}
	if cls := mustAttr(b, "table.plan tbody tr#TA-001", "class"); !strings.Contains(cls, "overdue") {
		t.Errorf("the plan's row is not marked overdue (class %q)", cls)
	}

	// 5. The heat map's cell 4 x 5 holds the risk and leads to it.
	b.follow("nav.subnav", "Heat maps")
	b.expectPath("/risks/heatmap")
	const inherent = `svg.heatmap[data-residual="false"]`
	var cell struct {
		Count, Text, Href string
		Links             int
	}
	b.js("read the inherent cell 4 x 5", &cell, `function(svg) {
	  const r = document.querySelector(svg + ' rect[data-likelihood="4"][data-impact="5"]');
	  if (!r) return {};
	  const a = r.closest("a");
	  return {count: r.getAttribute("data-count"), text: r.nextElementSibling ? r.nextElementSibling.textContent : "",
	    href: a ? a.getAttribute("href") : "", links: document.querySelectorAll(svg + " a").length};
	}`, inherent)
	if cell.Count != "1" || cell.Text != "1" || cell.Href != "/risks?impact=5&likelihood=4" || cell.Links != 1 {
		t.Errorf("the inherent cell 4 x 5 reads %+v, want count 1, text 1, a link to /risks?impact=5&likelihood=4, the only link", cell)
	}
	if n := mustAttr(b, `svg.heatmap[data-residual="true"] rect[data-likelihood="2"][data-impact="4"]`, "data-count"); n != "1" {
		t.Errorf("the residual cell 2 x 4 counts %q risks, want 1", n)
	}
	b.navigating("click the inherent cell 4 x 5", chromedp.Click(inherent+` rect[data-likelihood="4"][data-impact="5"]`, chromedp.ByQuery))
	b.expectPath("/risks?impact=5&likelihood=4")
	shows(b, ".cell-filter", "Showing the heat-map cell inherent likelihood 4 Likely × impact 5 Severe.")
	if refs := b.texts("table.risks tbody tr td:first-child"); !slices.Equal(refs, []string{"R-001"}) {
		t.Errorf("the cell's register lists %q, want R-001", refs)
	}
	if r := b.text(`table.risks tbody tr[data-ref="R-001"]`); !strings.Contains(r, "20 high") || !strings.Contains(r, "8 medium") ||
		!strings.Contains(r, "Eve Editor") || !strings.Contains(r, "8.28") || !strings.Contains(r, "✓ accepted") {
		t.Errorf("the cell's register row reads %q", r)
	}

	// 6. A reassessment: the likelihood drops to 3; the residual risk, and so its acceptance, stay.
	b.follow(`table.risks tbody tr[data-ref="R-001"]`, "R-001")
	b.expectPath("/risks/R-001")
	b.fill("Likelihood", "3")
	b.fill("Reassessment note", "Quarterly review: code review is now mandatory for every merge.")
	b.press("Save R-001")
	b.expectPath("/risks/R-001")
	shows(b, ".flash", "R-001 Insecure code reaching production is saved.")
	props = riskProps(b)
	if want := "15 high likelihood 3 Possible × impact 5 Severe"; props["Inherent risk"] != want {
		t.Errorf("after the reassessment the inherent risk reads %q, want %q", props["Inherent risk"], want)
	}
	if want := "8 medium likelihood 2 Unlikely × impact 4 Major"; props["Residual risk"] != want {
		t.Errorf("after the reassessment the residual risk reads %q, want %q", props["Residual risk"], want)
	}
	hist := b.texts("table.history tbody tr")
	if len(hist) != 2 {
		t.Fatalf("the history shows %d rows, want 2: %q", len(hist), hist)
	}
	// Newest first.
	for i, want := range [][]string{
		{editorName, "15 high 3×5", "8 medium 2×4", "modify", "Quarterly review: code review is now mandatory"},
		{editorName, "20 high 4×5", "8 medium 2×4", "modify", "first assessment"},
	} {
		for _, w := range want {
			if !strings.Contains(hist[i], w) {
				t.Errorf("history row %d reads %q, want %q in it", i+1, hist[i], w)
			}
		}
	}
	if a := b.text("#acceptance .accepted"); a != "✓ Accepted by "+editorName+" on "+today+"." {
		t.Errorf("after a reassessment that keeps the residual risk the acceptance reads %q", a)
	}

	// 7. Import: a file with a bad row changes nothing and names every problem; a good file adds its rows.
	dir := t.TempDir()
	bad := filepath.Join(dir, "register-bad.csv")
	good := filepath.Join(dir, "register.csv")
	const header = "title,description,assets,threat,owner,likelihood,impact,treatment,controls,residual_likelihood,residual_impact\n"
	writeTestFile(t, bad, header+
		"Laptop stolen from a car,Unencrypted disk,A-001,Lost or stolen laptop or phone,Sam Sysadmin,3,3,modify,8.1;8.24,2,2\n"+
		"Backups fail to restore,,A-001,Backups fail to restore,Eve Editor,9,4,modify,8.13;99.1,,\n")
	writeTestFile(t, good, header+
		"Laptop stolen from a car,Unencrypted disk,A-001,Lost or stolen laptop or phone,Sam Sysadmin,3,3,modify,8.1;8.24,2,2\n"+
		"Backups fail to restore,,A-001,Backups fail to restore,editor@acme.example,2,4,modify,8.13,1,4\n")

	b.follow("nav.subnav", "Register")
	b.expectPath("/risks")
	b.follow("main .page-head", "Import")
	b.expectPath("/risks/import")
	b.run("choose the bad file", chromedp.SetUploadFiles("#file", []string{bad}, chromedp.ByQuery))
	if status := b.press("Check"); status != http.StatusUnprocessableEntity {
		t.Errorf("checking a bad file answers %d, want 422", status)
	}
	shows(b, ".error-box", "Nothing was imported: the file has 2 problems. Correct them and upload the file again.")
	problems := b.texts("ol.problems li")
	if want := []string{
		"line 3: likelihood: must be a level from 1 to 5",
		`line 3: controls: "99.1" is not an ISO/IEC 27001:2022 Annex A control`,
	}; !slices.Equal(problems, want) {
		t.Errorf("the import lists the problems %q, want %q", problems, want)
	}
	b.follow("main .crumbs", "Risk register")
	b.expectPath("/risks")
	if refs := b.texts("table.risks tbody tr td:first-child"); !slices.Equal(refs, []string{"R-001"}) {
		t.Errorf("after the refused import the register lists %q, want only R-001", refs)
	}
	shows(b, ".result-count", "1 risk.")

	b.follow("main .page-head", "Import")
	b.run("choose the good file", chromedp.SetUploadFiles("#file", []string{good}, chromedp.ByQuery))
	if status := b.press("Check"); status != http.StatusOK {
		t.Errorf("checking a good file answers %d", status)
	}
	shows(b, `dd[data-count="added"]`, "2")
	shows(b, `dd[data-count="updated"]`, "0")
	if status := b.press("Import"); status != http.StatusOK {
		t.Errorf("importing a good file lands on a page with status %d", status)
	}
	b.expectPath("/risks")
	shows(b, ".flash", "Imported 2 risks: R-002, R-003.")
	shows(b, ".result-count", "3 risks.")
	if refs := b.texts("table.risks tbody tr td:first-child"); !slices.Equal(refs, []string{"R-001", "R-002", "R-003"}) {
		t.Errorf("after the import the register lists %q, want R-001 to R-003", refs)
	}
	if r := b.text(`table.risks tbody tr[data-ref="R-003"]`); !strings.Contains(r, "Backups fail to restore") ||
		!strings.Contains(r, "8 medium") || !strings.Contains(r, "4 low") || !strings.Contains(r, "Eve Editor") || !strings.Contains(r, "8.13") {
		t.Errorf("the imported R-003 reads %q", r)
	}

	// 8. A viewer reads the register, the risk and the plan, without any form to change them.
	b.logout()
	b.login("viewer@acme.example", testutil.Password)
	b.open("/risks")
	shows(b, ".result-count", "3 risks.")
	if n := b.count("table.risks tbody tr"); n != 3 {
		t.Errorf("the viewer sees %d risks, want 3", n)
	}
	if n := b.count(`main a[href="/risks/new"], main a[href="/risks/import"]`); n != 0 {
		t.Errorf("the viewer is offered %d links to add or import risks", n)
	}
	b.follow(`table.risks tbody tr[data-ref="R-001"]`, "R-001")
	b.expectPath("/risks/R-001")
	if p := riskProps(b); p["Inherent risk"] != "15 high likelihood 3 Possible × impact 5 Severe" {
		t.Errorf("the viewer sees the inherent risk %q", p["Inherent risk"])
	}
	shows(b, "#acceptance .accepted", "Accepted by "+editorName)
	shows(b, "#actions", "Add static analysis to the CI pipeline")
	if n := b.count(`main form[method="post"]`); n != 0 {
		t.Errorf("the viewer is offered %d forms on the risk's page", n)
	}
	b.notSee("Edit or reassess")
	b.notSee("Add a treatment action")
	b.open("/risks/plan")
	shows(b, "table.plan", "TA-001")
	if n := b.count(`main form[method="post"]`); n != 0 {
		t.Errorf("the viewer is offered %d forms on the treatment plan", n)
	}
	b.open("/risks/new")
	shows(b, ".notice", "Your role may read the register but not add risks.")
	if n := b.count(`main form[method="post"]`); n != 0 {
		t.Errorf("the viewer is offered %d forms on the new-risk page", n)
	}
	b.open("/assets")
	shows(b, `table.assets tbody tr[data-ref="A-001"]`, "Customer database")
	if n := b.count(`main form[method="post"], #add`); n != 0 {
		t.Errorf("the viewer is offered %d forms to add assets", n)
	}
	t.Logf("the risk manager's path took %v", time.Since(began).Round(time.Millisecond))
}

// shows is seeIn for server-rendered text: it reads the page at once (runtime.Evaluate, which runs in the
// current document) and polls with seeIn only when the text is not there yet. seeIn alone, right after a
// navigation, now and then fails with "Cannot find context with specified id": chromedp's listeners see the
// new page's load event (and navigating returns) before its target has taken in the new document's execution
// context, so the poll is sent to the old one.
func shows(b *browser, sel, text string) {
	b.t.Helper()
	var ok bool
	b.js("look for "+text+" in "+sel, &ok, `function(sel, text) {
	  const el = document.querySelector(sel);
	  return !!el && el.innerText.replace(/\s+/g, " ").includes(text);
	}`, sel, strings.Join(strings.Fields(text), " "))
	if !ok {
		b.seeIn(sel, text)
	}
}

// riskProps reads the properties of the risk's page (Inherent risk, Residual risk, Owner...) by their terms.
func riskProps(b *browser) map[string]string {
	b.t.Helper()
	props := map[string]string{}
	b.js("read the risk's properties", &props, `function() {
	  const out = {};
	  for (const dt of document.querySelectorAll("main dl.risk-props dt")) {
	    const dd = dt.nextElementSibling;
	    if (dd) out[dt.innerText.trim()] = dd.innerText.replace(/\s+/g, " ").trim();
	  }
	  return out;
	}`)
	return props
}

// mustAttr returns an attribute of the first element matching sel (HTML or SVG; "" when the attribute is not
// set), failing the test if there is no such element.
func mustAttr(b *browser, sel, name string) string {
	b.t.Helper()
	var v *string
	b.js("read "+name+" of "+sel, &v, `function(sel, name) { const el = document.querySelector(sel); return el ? (el.getAttribute(name) || "") : null; }`, sel, name)
	if v == nil {
		b.t.Fatalf("nothing matches %s%s", sel, b.where())
	}
	return *v
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
