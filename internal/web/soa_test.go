package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// completeSoA decides every entry of the organisation: applicable, planned, with a justification.
func completeSoA(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	var controls []string
	for _, c := range catalog.MustLoad().Controls() {
		controls = append(controls, c.ID)
	}
	yes := true
	if _, err := svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: controls, Set: service.SoAInput{Applicable: &yes,
		Justification: "Needed for our customers' data.", Status: isms.SoAPlanned, Sent: service.SentOf("applicable", "justification", "status")}}); err != nil {
		t.Fatal(err)
	}
}

func soaEntry(t *testing.T, svc *service.Service, ctx context.Context, control string) isms.SoAEntry {
	t.Helper()
	e, err := svc.SoAEntry(ctx, control)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The SoA page shows the summary, what stops approval (linked to each entry), the 93 controls, and filters.
func TestSoAPageSummaryIssuesAndFilters(t *testing.T) {
	srv, org, c := startOrg(t, "viewer", "editor")
	a := get(t, srv, c["viewer"], "/soa")
	expect(t, "new SoA", a, http.StatusOK, "<h1>Statement of Applicability</h1>", "<dt>Decided</dt><dd>0 <span class=\"of\">of 93</span>",
		"93 entries need attention before approval", `<a href="/soa/8.28">8.28 Secure coding</a>: control 8.28 is undecided`,
		`href="/catalog/controls/5.1"`, "93 of 93 controls", "no version has been approved yet", "Only an approver can approve")
	refuse(t, "viewer's page", a, `action="/soa/bulk"`, `action="/soa/8.28"`)

	yes := true
	if _, err := srv.Svc.SetSoAEntry(org.Ctx("editor"), "8.28", service.SoAInput{Applicable: &yes, Justification: "We write our own product.",
		Status: isms.SoAImplemented, Version: 1, Sent: service.SentOf("applicable", "justification", "status", "version")}); err != nil {
		t.Fatal(err)
	}
	a = get(t, srv, c["editor"], "/soa")
	expect(t, "after one decision", a, http.StatusOK, "<dt>Decided</dt><dd>1 ", "<dt>Implemented</dt><dd>1 ", "92 entries need attention",
		`action="/soa/8.28"`, `action="/soa/bulk"`, "We write our own product.")

	expect(t, "physical theme", get(t, srv, c["viewer"], "/soa?theme=physical"), http.StatusOK, "14 of 93 controls match the filter", `<span class="ctl-id">7.3</span> Securing offices`)
	a = get(t, srv, c["viewer"], "/soa?applicable=yes")
	expect(t, "applicable only", a, http.StatusOK, "1 of 93 controls match the filter", `<span class="ctl-id">8.28</span> Secure coding`)
	refuse(t, "applicable only", a, `<span class="ctl-id">5.1</span>`)
	expect(t, "implemented", get(t, srv, c["viewer"], "/soa?status=implemented&theme=technological"), http.StatusOK, "1 of 93 controls match")
	expect(t, "attribute", get(t, srv, c["viewer"], "/soa?control_type=corrective&applicable=yes"), http.StatusOK, "No control matches the filter")
	a = get(t, srv, c["viewer"], "/soa?status=done")
	expect(t, "bad status", a, http.StatusUnprocessableEntity, "The filter was not applied", "status must be one of")
	expect(t, "bad theme", get(t, srv, c["viewer"], "/soa?theme=moon"), http.StatusUnprocessableEntity, "is not a theme")
}

// An entry is edited in place: the save changes only what the form holds, returns to the table with its filter,
// and is refused with the reason beside the entry and the input kept.
func TestSoAEditInPlace(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	form := url.Values{"back": {"/soa?theme=technological"}, "version": {"1"}, "reasons_sent": {"1"}, "applicable": {"yes"},
		"justification": {"We ship software every week."}, "reasons": {"contractual", "best-practice"}, "status": {"partial"}, "owner": {""}, "notes": {"Linters in CI."}}
	a := post(t, srv, c["editor"], "/soa/8.28", form)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/soa?theme=technological#c-8.28" {
		t.Fatalf("save: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	e := soaEntry(t, srv.Svc, org.Ctx("viewer"), "8.28")
	if e.Applicability() != "yes" || e.Status != isms.SoAPartial || e.Justification != "We ship software every week." || strings.Join(e.Reasons, ",") != "contractual,best-practice" || e.Notes != "Linters in CI." {
		t.Fatalf("saved entry %+v", e)
	}

	// Refused: an applicable control needs a status. The row's form is open, with the input and the reason.
	bad := url.Values{"back": {"/soa"}, "version": {strconv.Itoa(e.Version)}, "applicable": {"yes"}, "status": {""}, "justification": {"Typed, not lost."}}
	a = post(t, srv, c["editor"], "/soa/8.28", bad)
	expect(t, "no status", a, http.StatusUnprocessableEntity, "is required for applicable control 8.28", "Typed, not lost.", `<tr id="edit-8.28" class="soa-edit">`)
	refuse(t, "no status", a, `<tr id="edit-8.29" class="soa-edit">`)
	if got := soaEntry(t, srv.Svc, org.Ctx("viewer"), "8.28"); got.Version != e.Version || got.Justification != e.Justification {
		t.Errorf("a refused save changed the entry: %+v", got)
	}

	// The same refusal from the entry's own page shows that page.
	bad.Set("back", "/soa/8.28")
	expect(t, "no status on the entry page", post(t, srv, c["editor"], "/soa/8.28", bad), http.StatusUnprocessableEntity,
		"<h1><span class=\"ctl-id\">8.28</span> Secure coding</h1>", "is required for applicable control 8.28", "Typed, not lost.")

	// Stale: someone saved meanwhile. The shared notice, the input kept, the saved version in the form.
	if _, err := srv.Svc.SetSoAEntry(org.Ctx("owner"), "8.28", service.SoAInput{Notes: "Changed by the owner.", Version: e.Version, Sent: service.SentOf("notes", "version")}); err != nil {
		t.Fatal(err)
	}
	stale := url.Values{"back": {"/soa"}, "version": {strconv.Itoa(e.Version)}, "notes": {"My own notes."}}
	a = post(t, srv, c["editor"], "/soa/8.28", stale)
	expect(t, "stale", a, http.StatusConflict, `id="conflict"`, "Someone else saved the entry of 8.28 while you were editing", "My own notes.",
		`name="version" value="`+strconv.Itoa(e.Version+1)+`"`)
	if got := soaEntry(t, srv.Svc, org.Ctx("viewer"), "8.28"); got.Notes != "Changed by the owner." {
		t.Errorf("a stale save changed the notes to %q", got.Notes)
	}

	// A narrow form changes only what it posts: the notes, not the justification or the reasons.
	a = post(t, srv, c["editor"], "/soa/8.28", url.Values{"version": {strconv.Itoa(e.Version + 1)}, "notes": {"Only notes."}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("notes only: status %d\n%s", a.Status, a.Body)
	}
	if got := soaEntry(t, srv.Svc, org.Ctx("viewer"), "8.28"); got.Notes != "Only notes." || got.Justification != e.Justification || len(got.Reasons) != 2 {
		t.Errorf("a notes-only save gave %+v", got)
	}

	a = post(t, srv, c["viewer"], "/soa/8.28", url.Values{"version": {"9"}, "notes": {"viewer"}})
	expect(t, "viewer saves", a, http.StatusForbidden)
}

// A bulk edit changes every selected entry or none, and lists every refused control.
func TestSoABulkEdit(t *testing.T) {
	srv, org, c := startOrg(t, "editor")
	risk, err := srv.Svc.AddRisk(org.Ctx("editor"), service.RiskInput{Title: "Burglary at the office", Likelihood: 2, Impact: 3,
		Treatment: isms.TreatModify, Controls: []string{"7.4"}})
	if err != nil {
		t.Fatal(err)
	}
	exclude := url.Values{"back": {"/soa?theme=physical"}, "control": {"7.3", "7.4", "7.6"}, "applicable": {"no"},
		"justification": {"We have no offices: everyone works from home."}, "status": {""}, "owner": {""}}
	a := post(t, srv, c["editor"], "/soa/bulk", exclude)
	expect(t, "bulk with a control that treats a risk", a, http.StatusUnprocessableEntity, "Nothing was changed", "7.4: applicable",
		"control 7.4 cannot be excluded from the Statement of Applicability while it treats risk "+risk.Ref, "We have no offices")
	for _, ctl := range []string{"7.3", "7.6"} {
		if e := soaEntry(t, srv.Svc, org.Ctx("editor"), ctl); e.Decided() {
			t.Errorf("the refused bulk edit decided %s", ctl)
		}
	}

	exclude["control"] = []string{"7.3", "7.6"}
	a = post(t, srv, c["editor"], "/soa/bulk", exclude)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/soa?theme=physical" {
		t.Fatalf("bulk: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	for _, ctl := range []string{"7.3", "7.6"} {
		if e := soaEntry(t, srv.Svc, org.Ctx("editor"), ctl); !e.Excluded() || e.Justification != "We have no offices: everyone works from home." {
			t.Errorf("%s after the bulk edit: %+v", ctl, e)
		}
	}
	expect(t, "summary", get(t, srv, c["editor"], "/soa"), http.StatusOK, "<dt>Excluded</dt><dd>2</dd>", "2 entries are changed.")

	// "Select all shown" applies to every control the table showed.
	all := url.Values{"back": {"/soa?theme=people"}, "all_shown": {"1"}, "shown": {"6.1", "6.2"}, "reasons": {"legal"}}
	if a := post(t, srv, c["editor"], "/soa/bulk", all); a.Status != http.StatusSeeOther {
		t.Fatalf("all shown: status %d\n%s", a.Status, a.Body)
	}
	if e := soaEntry(t, srv.Svc, org.Ctx("editor"), "6.2"); strings.Join(e.Reasons, ",") != "legal" {
		t.Errorf("6.2 reasons %v", e.Reasons)
	}
	expect(t, "nothing selected", post(t, srv, c["editor"], "/soa/bulk", url.Values{"applicable": {"no"}}), http.StatusUnprocessableEntity, "none selected")
}

// The bulk form carries the version of every row it shows; a bulk edit from a page loaded before someone else's
// save is refused (409) with the selection and the input kept, and nothing changes.
func TestSoABulkEditStalePage(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "admin")
	page := get(t, srv, c["editor"], "/soa?theme=physical")
	expect(t, "versions in the bulk form", page, http.StatusOK, `name="version-7.3" value="1"`, `name="version-7.6" value="1"`)
	// The rows' owner fields share one list of people instead of a select each.
	expect(t, "shared owner list", page, http.StatusOK, `<datalist id="soa-owners">`, `id="owner-7.3" name="owner" value="" list="soa-owners"`)
	refuse(t, "shared owner list", page, `<select id="owner-7.3"`)
	if _, err := srv.Svc.SetSoAEntry(org.Ctx("admin"), "7.6", service.SoAInput{Notes: "Admin was here", Version: 1, Sent: service.SentOf("notes", "version")}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"back": {"/soa?theme=physical"}, "control": {"7.3", "7.6"}, "version-7.3": {"1"}, "version-7.6": {"1"},
		"applicable": {"no"}, "justification": {"Remote-first company"}}
	a := post(t, srv, c["editor"], "/soa/bulk", form)
	expect(t, "stale bulk edit", a, http.StatusConflict, "Nothing was changed: someone else changed 7.6 since you read it", "Remote-first company",
		`name="version-7.6" value="2"`)
	for _, ctl := range []string{"7.3", "7.6"} {
		if e := soaEntry(t, srv.Svc, org.Ctx("editor"), ctl); e.Decided() {
			t.Errorf("the refused bulk edit decided %s", ctl)
		}
	}
	form.Set("version-7.6", "2")
	if a := post(t, srv, c["editor"], "/soa/bulk", form); a.Status != http.StatusSeeOther {
		t.Fatalf("bulk edit after reloading: status %d\n%s", a.Status, a.Body)
	}
	if e := soaEntry(t, srv.Svc, org.Ctx("editor"), "7.6"); !e.Excluded() || e.Notes != "Admin was here" {
		t.Errorf("7.6 after the bulk edit: %+v", e)
	}
}

// Approving, the versions, one version, the comparison and the downloads.
func TestSoAApproveVersionsDiffAndExport(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "editor", "approver")
	expect(t, "editor may not approve", get(t, srv, c["editor"], "/soa"), http.StatusOK, "Only an approver can approve", `disabled aria-describedby="approve-why"`)
	expect(t, "incomplete", get(t, srv, c["approver"], "/soa"), http.StatusOK, "93 entries are incomplete or contradictory")
	a := post(t, srv, c["approver"], "/soa/approve", url.Values{"comment": {"too early"}})
	expect(t, "approve incomplete", a, http.StatusUnprocessableEntity, "Not approved: 186 issues stop the approval", "too early")
	expect(t, "editor approves", post(t, srv, c["editor"], "/soa/approve", url.Values{"comment": {"x"}}), http.StatusForbidden)
	expect(t, "no versions", get(t, srv, c["editor"], "/soa/versions"), http.StatusOK, "No version is approved yet")
	expect(t, "nothing to compare", get(t, srv, c["editor"], "/soa/diff"), http.StatusOK, "nothing to compare the draft with")

	completeSoA(t, srv.Svc, org.Ctx("editor"))
	a = post(t, srv, c["approver"], "/soa/approve", url.Values{"comment": {"Management review, March"}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/soa/versions/1" {
		t.Fatalf("approve: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	v1, err := srv.Svc.SoAVersion(org.Ctx("editor"), 1)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "version page", get(t, srv, c["editor"], "/soa/versions/1"), http.StatusOK, "Statement of Applicability, version 1", "approver of Acme",
		"Management review, March", v1.Hash, "Needed for our customers&#39; data.", "/soa/export?format=xlsx&amp;version=1")
	expect(t, "versions", get(t, srv, c["editor"], "/soa/versions"), http.StatusOK, `<a href="/soa/versions/1">Version 1</a>`, v1.Hash[:12], "93 applicable, 0 excluded")
	expect(t, "page after approval", get(t, srv, c["editor"], "/soa"), http.StatusOK, `the last approved is <a href="/soa/versions/1">version 1</a>`, "Approve as version 2")
	expect(t, "missing version", get(t, srv, c["editor"], "/soa/versions/7"), http.StatusNotFound)

	no := false
	e := soaEntry(t, srv.Svc, org.Ctx("editor"), "7.6")
	if _, err := srv.Svc.SetSoAEntry(org.Ctx("editor"), "7.6", service.SoAInput{Applicable: &no, Justification: "No secure areas of our own.", Status: "",
		Version: e.Version, Sent: service.SentOf("applicable", "justification", "status", "version")}); err != nil {
		t.Fatal(err)
	}
	a = get(t, srv, c["editor"], "/soa/diff")
	expect(t, "diff", a, http.StatusOK, "1 control changed (3 fields) from version 1 to the draft", `<span class="ctl-id">7.6</span> Working in secure areas`,
		`<td class="before pre-line">yes</td>`, `<td class="after pre-line">no</td>`, `<td class="after pre-line">No secure areas of our own.</td>`,
		`<td class="before pre-line">Planned</td>`)
	expect(t, "diff of the same", get(t, srv, c["editor"], "/soa/diff?from=1&to=1"), http.StatusOK, "Nothing changed between them")
	expect(t, "bad diff", get(t, srv, c["editor"], "/soa/diff?from=x&to=draft"), http.StatusUnprocessableEntity, "must be a version number")

	// Downloads: the XLSX of version 1 reads back with every control; the draft's Markdown names it a draft.
	a = get(t, srv, c["editor"], "/soa/export?format=xlsx&version=1")
	if a.Status != http.StatusOK || !strings.Contains(a.Header.Get("Content-Disposition"), "praxis-soa-v1-acme.xlsx") {
		t.Fatalf("xlsx: status %d, %q\n%.300s", a.Status, a.Header.Get("Content-Disposition"), a.Body)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(a.Body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil || len(rows) != 94 {
		t.Fatalf("xlsx sheet %q: %d rows, %v", x.GetSheetList()[0], len(rows), err)
	}
	a = get(t, srv, c["editor"], "/soa/export?format=md")
	expect(t, "markdown", a, http.StatusOK, "Draft, not approved", "No secure areas of our own.")
	if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/markdown") {
		t.Errorf("markdown Content-Type %q", ct)
	}
	for _, f := range []string{"pdf", "csv", "csv-excel", "oscal"} {
		if a := get(t, srv, c["editor"], "/soa/export?format="+f); a.Status != http.StatusOK || len(a.Body) < 100 {
			t.Errorf("%s export: status %d, %d bytes", f, a.Status, len(a.Body))
		}
	}
	expect(t, "bad format", get(t, srv, c["editor"], "/soa/export?format=doc"), http.StatusUnprocessableEntity, "must be one of")
	expect(t, "bad version", get(t, srv, c["editor"], "/soa/export?format=pdf&version=9"), http.StatusNotFound)
}

// The control's page in the catalog shows the organisation's SoA entry, and the dashboard the SoA's summary.
func TestSoAOnControlPageAndDashboard(t *testing.T) {
	srv, org, c := startOrg(t, "viewer", "editor")
	r, err := srv.Svc.AddRisk(org.Ctx("editor"), service.RiskInput{Title: "Insecure code reaches production", Likelihood: 4, Impact: 5,
		Treatment: isms.TreatModify, Controls: []string{"8.28"}})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := srv.Svc.SetSoAEntry(org.Ctx("editor"), "8.28", service.SoAInput{Applicable: &yes, Justification: "Our product is code.",
		Reasons: []string{"contractual"}, Status: isms.SoAPlanned, Version: 1, Sent: service.SentOf("applicable", "justification", "reasons", "status", "version")}); err != nil {
		t.Fatal(err)
	}
	a := get(t, srv, c["viewer"], "/catalog/controls/8.28")
	expect(t, "control page", a, http.StatusOK, "Our Statement of Applicability", "Our product is code.", "Risk treatment", "Contractual",
		`<a href="/risks/`+r.Ref+`">`+r.Ref+`</a>`, "Planned", `<a href="/soa/8.28">Open the entry</a>`)
	refuse(t, "control page", a, "will appear here once")
	expect(t, "editor's control page", get(t, srv, c["editor"], "/catalog/controls/8.28"), http.StatusOK, `<a href="/soa/8.28">Edit the entry</a>`)
	expect(t, "dashboard", get(t, srv, c["viewer"], "/"), http.StatusOK, `<span class="num">1 of 93</span> controls decided in the SoA`, "1 applicable, 0 excluded, 0 implemented; 92 need attention")
	expect(t, "entry page", get(t, srv, c["viewer"], "/soa/A.8.28"), http.StatusMovedPermanently)
	expect(t, "no such entry", get(t, srv, c["viewer"], "/soa/9.1"), http.StatusNotFound)
}

var _ = testutil.Password
