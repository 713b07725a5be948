package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestRiskManagerTools continues the risk manager's path on a register of four risks (written through the
// service; TestRiskManagerPath builds one in the browser): the filters and the sort of the register, the
// downloads it offers (CSV, CSV for Excel, XLSX, PDF) with that filter and sort, a save that meets someone
// else's change (the conflict is shown and the input kept), and a change of the risk method from 5x5 to 3x3 that
// re-scores the register and withdraws the acceptances that no longer hold. Under the default method scores
// up to 6 are low and from 15 high:
//
//	R-001 Insecure code     Eve  4x5=20 high    residual 2x4=8   modify  8.28  accepted
//	R-002 Laptop theft      Sam  3x2=6  low     no residual      retain  8.1   accepted
//	R-003 Phishing          Sam  4x4=16 high    residual 2x2=4   share   6.3   accepted
//	R-004 Supplier outage   Eve  2x4=8  medium  no residual      modify  5.30
func TestRiskManagerTools(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	ed := org.Ctx("editor")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(srv.Svc.AddPerson(ed, service.PersonInput{Name: "Eve Editor", Email: "editor@acme.example"}))
	must(srv.Svc.AddPerson(ed, service.PersonInput{Name: "Sam Sysadmin"}))
	for _, in := range []service.RiskInput{
		{Title: "Insecure code", Owner: "P-001", Likelihood: 4, Impact: 5, Treatment: isms.TreatModify, Controls: []string{"8.28"}, ResidualLikelihood: 2, ResidualImpact: 4},
		{Title: "Laptop theft", Owner: "P-002", Likelihood: 3, Impact: 2, Treatment: isms.TreatRetain, Controls: []string{"8.1"}},
		{Title: "Phishing", Owner: "P-002", Likelihood: 4, Impact: 4, Treatment: isms.TreatShare, Controls: []string{"6.3"}, ResidualLikelihood: 2, ResidualImpact: 2},
		{Title: "Supplier outage", Owner: "P-001", Likelihood: 2, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"5.30"}},
	} {
		must(srv.Svc.AddRisk(ed, in))
	}
	must(srv.Svc.AcceptRisk(ed, "R-001", service.AcceptRiskInput{Comment: "Code review covers the rest.", Version: 1}))
	must(srv.Svc.AcceptRisk(org.Ctx("approver"), "R-002", service.AcceptRiskInput{Version: 1}))
	must(srv.Svc.AcceptRisk(org.Ctx("approver"), "R-003", service.AcceptRiskInput{Version: 1}))
	refs := func() []string { b.t.Helper(); return b.texts("table.risks tbody tr td:first-child") }

	b.login("editor@acme.example", testutil.Password)
	b.open("/risks")
	if got := refs(); !slices.Equal(got, []string{"R-001", "R-002", "R-003", "R-004"}) {
		t.Fatalf("the register lists %q", got)
	}

	// 1. Filters: each narrows the register, and together they combine.
	for _, c := range []struct {
		label, value string
		want         []string
	}{
		{"Owner", "Sam Sysadmin (P-002)", []string{"R-002", "R-003"}},
		{"Inherent band", "high", []string{"R-001", "R-003"}},
		{"Treatment", "modify", []string{"R-001", "R-004"}},
		{"Control", "8.28 Secure coding", []string{"R-001"}},
	} {
		b.open("/risks")
		b.fill(c.label, c.value)
		b.pressIn("form.risk-filters", "Filter")
		if got := refs(); !slices.Equal(got, c.want) {
			t.Errorf("filtered by %s %s the register lists %q, want %q", c.label, c.value, got, c.want)
		}
		count := fmt.Sprintf("%d risks match the filter.", len(c.want))
		if len(c.want) == 1 {
			count = "1 risk matches the filter."
		}
		shows(b, ".result-count", count)
	}
	b.open("/risks")
	b.fill("Owner", "Sam Sysadmin (P-002)")
	b.fill("Inherent band", "high")
	b.pressIn("form.risk-filters", "Filter")
	if got := refs(); !slices.Equal(got, []string{"R-003"}) {
		t.Errorf("Sam's high risks are %q, want R-003", got)
	}
	b.follow("form.risk-filters", "Clear")
	b.expectPath("/risks")

	// 2. Sorting by a column header, then the other way round.
	b.follow("table.risks thead", "Inherent")
	if got := refs(); !slices.Equal(got, []string{"R-002", "R-004", "R-003", "R-001"}) {
		t.Errorf("sorted by inherent score the register lists %q", got)
	}
	if s := mustAttr(b, "table.risks thead th[aria-sort]", "aria-sort"); s != "ascending" {
		t.Errorf("the sorted column says aria-sort=%q", s)
	}
	b.follow("table.risks thead", "Inherent ▲")
	b.expectPath("/risks?sort=-score")
	if got := refs(); !slices.Equal(got, []string{"R-001", "R-003", "R-004", "R-002"}) {
		t.Errorf("sorted by inherent score, highest first, the register lists %q", got)
	}

	// 3. The downloads carry the filter and the order of the page.
	b.fill("Treatment", "modify")
	b.pressIn("form.risk-filters", "Filter")
	if got := refs(); !slices.Equal(got, []string{"R-001", "R-004"}) {
		t.Fatalf("modify risks, highest first: %q", got)
	}
	var files []struct {
		Label, Href, Status, Type, Disposition, Text string
		Start                                        string // the first four bytes in hex
	}
	b.awaitJS("download every export of the page", &files, `async function() {
	  const out = [];
	  for (const a of document.querySelectorAll(".result-count a[download]")) {
	    const r = await fetch(a.href, {credentials: "same-origin"});
	    const bytes = new Uint8Array(await r.arrayBuffer());
	    const text = new TextDecoder().decode(bytes);
	    out.push({label: a.textContent.trim(), href: a.getAttribute("href"), status: String(r.status), type: r.headers.get("Content-Type") || "",
	      disposition: r.headers.get("Content-Disposition") || "", start: [...bytes.slice(0, 4)].map(x => x.toString(16).padStart(2, "0")).join(""), text: a.textContent.startsWith("CSV") ? text : ""});
	  }
	  return out;
	}`)
	want := map[string]struct{ ct, ext, start string }{
		"CSV":           {"text/csv; charset=utf-8", ".csv", "7265662c"},                                            // "ref,"
		"CSV for Excel": {"text/csv; charset=utf-8", ".csv", "efbbbf72"},                                            // the byte order mark, then "r"
		"XLSX":          {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "504b0304"}, // a zip
		"PDF":           {"application/pdf", ".pdf", "25504446"},                                                    // "%PDF"
	}
	if len(files) != len(want) {
		t.Fatalf("the register offers %d downloads, want %d: %+v", len(files), len(want), files)
	}
	for _, f := range files {
		w, ok := want[f.Label]
		if !ok || f.Status != "200" || f.Type != w.ct || !strings.HasPrefix(f.Disposition, `attachment; filename="praxis-risk-register-acme`) ||
			!strings.HasSuffix(f.Disposition, w.ext+`"`) || f.Start != w.start || !strings.Contains(f.Href, "sort=-score") || !strings.Contains(f.Href, "treatment=modify") {
			t.Errorf("download %q: %s %s %q %q starts %q", f.Label, f.Href, f.Status, f.Type, f.Disposition, f.Start)
		}
		if f.Text == "" {
			continue
		}
		var rows []string
		for _, line := range strings.Split(strings.TrimSpace(strings.TrimPrefix(f.Text, "\ufeff")), "\n")[1:] {
			rows = append(rows, strings.SplitN(line, ",", 2)[0])
		}
		if !slices.Equal(rows, []string{"R-001", "R-004"}) || !strings.Contains(f.Text, "Code review covers the rest.") {
			t.Errorf("%s download lists %q (want R-001 then R-004, with R-001's acceptance comment):\n%s", f.Label, rows, f.Text)
		}
	}

	// 4. Someone else saves R-004 while the risk manager edits it: the save is refused with the conflict
	// shown and the input kept; saving again replaces the other change.
	b.open("/risks/R-004")
	b.fill("Title", "Supplier outage at the payment provider")
	r4, err := srv.Svc.Risk(org.Ctx("admin"), "R-004")
	if err != nil {
		t.Fatal(err)
	}
	in := service.RiskInput{Title: r4.Title, Description: "Changed by the admin meanwhile", Owner: r4.Owner, Likelihood: r4.Likelihood, Impact: r4.Impact,
		Treatment: r4.Treatment, Controls: r4.Controls, Version: r4.Version}
	must(srv.Svc.UpdateRisk(org.Ctx("admin"), "R-004", in))
	if status := b.press("Save R-004"); status != http.StatusConflict {
		t.Errorf("saving over someone else's change answers %d, want 409", status)
	}
	shows(b, ".error-box", "risk R-004 was changed by someone else; reload it and apply your change again")
	shows(b, "#conflict", "Someone else saved this risk while you were editing. Your input is kept in the form below")
	if v := b.value("#title"); v != "Supplier outage at the payment provider" {
		t.Errorf("after the conflict the title field holds %q, want the input kept", v)
	}
	if p := riskProps(b); p["Description"] != "Changed by the admin meanwhile" {
		t.Errorf("after the conflict the page shows the saved description %q", p["Description"])
	}
	b.press("Save R-004")
	b.expectPath("/risks/R-004")
	shows(b, ".flash", "R-004 Supplier outage at the payment provider is saved.")

	// 5. The risk method goes from 5x5 to 3x3: the page says what re-scaling does before it is saved, and
	// after saving, what it did. R-001's residual 2x4 becomes 2x3 and R-002's 3x2 becomes 2x2: both acceptances
	// are withdrawn; R-003's residual 2x2 stays 2x2 = 4, within the new threshold 4, and stays accepted.
	b.open("/risks/method")
	b.chooseNavigating("Likelihood levels", "3")
	b.chooseNavigating("Impact levels", "3")
	b.expectPath("/risks/method?likelihood_levels=3&impact_levels=3")
	shows(b, ".rescale", "4 risks are assessed on the current 5 × 5 scales. Saving 3 × 3 scales maps every level proportionally")
	shows(b, ".rescale", "3 of them are accepted: an acceptance is withdrawn when the score it accepted changes or ends up above the acceptance threshold")
	b.fill("Acceptance threshold", "4")
	b.fill("High from", "6")
	b.check("Confirm re-scaling of 4 risks", true)
	b.press("Save the risk method")
	b.expectPath("/risks/method")
	shows(b, ".flash", "The risk method is saved (version 1). 4 risks re-scored; each risk's history records its previous levels and scores. "+
		"2 acceptances withdrawn (R-001, R-002): the score accepted changed or is now above the acceptance threshold")
	b.open("/risks/R-001")
	if p := riskProps(b); p["Inherent risk"] != "9 high likelihood 3 Likely × impact 3 Major" || p["Residual risk"] != "6 high likelihood 2 Possible × impact 3 Major" {
		t.Errorf("R-001 after the rescale: %q, %q", p["Inherent risk"], p["Residual risk"])
	}
	shows(b, "#acceptance", "Not accepted yet. The score to accept is 6 (residual).")
	hist := b.texts("table.history tbody tr")
	if len(hist) != 2 || !strings.Contains(hist[0], "re-scored after the risk method changed (5x5 multiply to 3x3 multiply); was 4x5 = 20, residual 2x4 = 8") ||
		!strings.Contains(hist[0], "acceptance by editor of Acme on 2026-03-02 withdrawn") || !strings.Contains(hist[1], "20 high 4×5") {
		t.Errorf("R-001's history after the rescale reads %q", hist)
	}
	b.open("/risks/R-003")
	shows(b, "#acceptance .accepted", "Accepted by approver of Acme")
}

// awaitJS is js for a function that returns a promise: it waits for the promise and stores its value in res.
func (b *browser) awaitJS(what string, res any, fn string, args ...any) {
	b.t.Helper()
	b.run(what, chromedp.Evaluate(jsCall(fn, args...), res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
}

// chooseNavigating chooses an option of a select that submits its form on change (data-autosubmit) and waits
// for the page that loads.
func (b *browser) chooseNavigating(label, value string) {
	b.t.Helper()
	f := b.field("main", label)
	b.navigating("choose "+value+" in "+label, chromedp.Evaluate(jsCall(setSelectJS, f.sel(), value), nil))
}
