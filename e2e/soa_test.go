package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// TestSoAPath: on the sample organisation a compliance lead edits one SoA entry in place, excludes two physical
// controls in one bulk edit with one justification and sees the summary change; the approver approves the SoA
// and downloads the approved version as XLSX, which reads back with every control.
func TestSoAPath(t *testing.T) {
	t.Parallel()
	srv, b := startDemo(t)
	ctx := context.Background()
	maya, err := srv.Svc.OperatorActor(ctx, service.DemoOrgSlug, "maya@northwind.example")
	if err != nil {
		t.Fatal(err)
	}
	owner := service.WithActor(ctx, maya)
	// Two physical controls that are not excluded yet and treat no risk: the ones the lead excludes.
	view, err := srv.Svc.SoA(owner, service.SoAFilter{Theme: "physical"})
	if err != nil {
		t.Fatal(err)
	}
	var pick []string
	for _, e := range view.Entries {
		if !e.Excluded() && len(e.Risks) == 0 && len(pick) < 2 {
			pick = append(pick, e.Control)
		}
	}
	if len(pick) < 2 {
		t.Fatalf("the demo leaves fewer than two physical controls to exclude: %+v", view.Entries)
	}
	excludedBefore := view.Summary.Excluded

	b.login("sofia@northwind.example", service.DemoPassword)
	b.open("/soa")
	b.see("Statement of Applicability")
	if n := b.count("table.soa tbody tr[id^='c-']"); n != 93 {
		t.Fatalf("the SoA lists %d controls, want 93", n)
	}
	b.saveScreenshot("soa")

	// 1. Edit 5.1 in place: the form opens in the row below, the save returns to the table.
	row := `[id="edit-5.1"]`
	b.run("open the edit form of 5.1", chromedp.Click(`[data-edit-row="edit-5.1"]`, chromedp.ByQuery))
	var ok bool
	b.js("choose applicable", &ok, `function(sel) { const r = document.querySelector(sel + " input[name=applicable][value=yes]"); r.click(); return r.checked; }`, row)
	b.fillIn(row, "Justification", "Our policies set the direction of the whole ISMS; the board reviews them every year.")
	b.fillIn(row, "Implementation status", "Implemented")
	b.pressIn(row, "Save 5.1")
	b.expectPath("/soa")
	shows(b, ".flash", "The entry of 5.1 Policies for information security is saved.")
	shows(b, `[id="c-5.1"]`, "Our policies set the direction of the whole ISMS")

	// 2. Bulk-exclude the two physical controls with one justification.
	for _, c := range pick {
		b.run("select "+c, chromedp.Click(`[id="c-`+c+`"] input[name=control]`, chromedp.ByQuery))
	}
	b.fillIn("#bulk", "Applicable", "Not applicable")
	b.fillIn("#bulk", "Justification", "We are remote-first: no office or site of ours needs this control.")
	b.pressIn("#bulk", "Apply to the selected controls")
	shows(b, ".flash", "2 entries are changed.")
	excluded := b.text(".soa-summary div:nth-child(3) dd")
	if excluded != strconv.Itoa(excludedBefore+2) {
		t.Errorf("the summary shows %s excluded, want %d", excluded, excludedBefore+2)
	}
	for _, c := range pick {
		shows(b, `[id="c-`+c+`"]`, "not applicable")
	}

	// The rest of the draft is completed by a colleague meanwhile, so that nothing stops the approval.
	view, err = srv.Svc.SoA(owner, service.SoAFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range view.Entries {
		if len(e.Issues()) == 0 {
			continue
		}
		yes := true
		in := service.SoAInput{Applicable: &yes, Justification: "Applies to how we run the product.", Status: isms.SoAPlanned, Version: e.Version,
			Sent: service.SentOf("applicable", "justification", "status", "version")}
		if e.Decided() && !e.Excluded() && e.Justification != "" {
			in.Sent = service.SentOf("status", "version")
		}
		if _, err := srv.Svc.SetSoAEntry(owner, e.Control, in); err != nil {
			t.Fatalf("complete %s: %v", e.Control, err)
		}
	}

	// 3. The approver approves; the version's XLSX reads back with every control and the bulk justification.
	b.logout()
	b.login("maya@northwind.example", service.DemoPassword)
	b.open("/soa")
	b.fill("Approval comment", "Reviewed with the CISO")
	b.pressIn("#approve", b.text("#approve button"))
	if !strings.HasPrefix(b.path(), "/soa/versions/") {
		t.Fatalf("the approval leads to %s", b.path())
	}
	shows(b, ".flash", "The Statement of Applicability is approved as version")
	shows(b, "main", "Reviewed with the CISO")
	var data string
	b.awaitJS("download the XLSX", &data, `async function() {
	  const a = [...document.querySelectorAll("a[download]")].find(a => a.textContent.trim() === "XLSX");
	  const r = await fetch(a.href, {credentials: "same-origin"});
	  const bytes = new Uint8Array(await r.arrayBuffer());
	  let s = ""; for (const x of bytes) s += String.fromCharCode(x);
	  return r.status + " " + btoa(s);
	}`)
	status, b64, _ := strings.Cut(data, " ")
	raw, err := base64.StdEncoding.DecodeString(b64)
	if status != "200" || err != nil {
		t.Fatalf("XLSX download: status %s, %v", status, err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil || len(rows) != 94 {
		t.Fatalf("the XLSX has %d rows (want a header and 93 controls): %v", len(rows), err)
	}
	found := 0
	for _, r := range rows {
		if strings.Contains(strings.Join(r, "|"), "We are remote-first: no office or site of ours needs this control.") {
			found++
		}
	}
	if found != 2 {
		t.Errorf("the XLSX shows the bulk justification on %d rows, want 2", found)
	}

	// 4. A draft change after the approval shows on the comparison, before and after side by side.
	b.open("/soa")
	b.run("open the edit form of "+pick[0], chromedp.Click(`[data-edit-row="edit-`+pick[0]+`"]`, chromedp.ByQuery))
	b.fillIn(`[id="edit-`+pick[0]+`"]`, "Justification", "We still have no premises; a shared desk is booked by the day and the provider runs its site security.")
	b.pressIn(`[id="edit-`+pick[0]+`"]`, "Save "+pick[0])
	b.open("/soa/diff")
	shows(b, ".result-count", "1 control changed (1 field)")
	shows(b, "table.soa-diff td.after", "a shared desk is booked by the day")
	b.saveScreenshot("soa-diff")
	b.phone()
	b.open("/soa")
	b.saveScreenshot("soa-phone")
}

// saveScreenshot saves a full-page screenshot as name.png into PRAXIS_SCREENSHOTS, when it is set: pages to look at.
func (b *browser) saveScreenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("PRAXIS_SCREENSHOTS")
	if dir == "" {
		return
	}
	var full, top []byte
	b.run("screenshot "+name, chromedp.FullScreenshot(&full, 100), chromedp.CaptureScreenshot(&top))
	for file, buf := range map[string][]byte{name + ".png": full, name + "-top.png": top} {
		if err := os.WriteFile(filepath.Join(dir, file), buf, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

// phone makes the window as narrow as a phone's.
func (b *browser) phone() {
	b.t.Helper()
	b.run("phone width", emulation.SetDeviceMetricsOverride(390, 844, 2, true))
}
