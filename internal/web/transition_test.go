package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The workspace: Check says per 2022 control what would happen and writes nothing; Import applies the checked
// file; the open decisions come one by one with their 2013 sources and guidance, and deciding one on the spot
// moves the progress; a file with a bad row is refused with its line and nothing changes.
func TestTransitionWorkspace(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	b, err := os.ReadFile("../service/testdata/soa-2013.csv")
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "soa page links the workspace", get(t, srv, c["viewer"], "/soa"), http.StatusOK, `href="/transition"`)
	a := get(t, srv, c["editor"], "/transition")
	expect(t, "nothing imported", a, http.StatusOK, "No 2013 Statement of Applicability has been imported yet: choose the file below")
	if strings.Contains(a.Body, "praxis demo --transition") {
		t.Error("the hint about the transition sample shows outside the sample organisation")
	}

	bad := strings.Replace(string(b), "Fully implemented", "sort of", 1)
	expect(t, "bad file", postImport(t, srv, c["editor"], "/transition/import", map[string]string{"step": "check"}, "soa.csv", bad),
		http.StatusUnprocessableEntity, "<code>line 4: status</code>", "Nothing was imported")

	a = postImport(t, srv, c["editor"], "/transition/import", map[string]string{"step": "check"}, "soa-2013.csv", string(b))
	expect(t, "check", a, http.StatusOK, "Check of soa-2013.csv: nothing is changed yet", `<dd data-count="saved">79</dd>`,
		`<dd data-count="marked">14</dd>`, `data-action="conflict"`, "<code>Control title</code>")
	if st, err := srv.Svc.TransitionStatus(org.Ctx("viewer")); err != nil || st.Imported {
		t.Fatalf("the check wrote: %+v %v", st.Imported, err)
	}
	m := stashField.FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no checked file:\n%s", a.Body)
	}
	a = postImport(t, srv, c["editor"], "/transition/import", map[string]string{"stash": m[1], "filename": "soa-2013.csv", "step": "import"}, "", "")
	if a.Status != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", a.Status, a.Body)
	}
	expect(t, "workspace", get(t, srv, c["editor"], "/transition"), http.StatusOK, "0 of 14 decided", "Decision 1 of 14 open:",
		`<span class="ctl-id">5.7</span> Threat intelligence`, "Guidance for 5.7", `name="back" value="/transition"`)
	expect(t, "a conflict", get(t, srv, c["viewer"], "/transition?control=7.2"), http.StatusOK, "A.11.1.6", "no delivery or loading area", "not applicable", "Your role may read")

	e, err := srv.Svc.SoAEntry(org.Ctx("viewer"), "5.7")
	if err != nil {
		t.Fatal(err)
	}
	// A refused decision stays in the workspace, on the same decision, with the input kept and nothing saved.
	a = post(t, srv, c["editor"], "/soa/5.7", url.Values{"applicable": {"yes"}, "justification": {""}, "status": {"planned"}, "notes": {"ask the SOC"},
		"version": {strconv.Itoa(e.Version)}, "back": {"/transition"}, "reasons_sent": {"1"}})
	expect(t, "refused decision", a, http.StatusUnprocessableEntity, "<h1>Transition from ISO/IEC 27001:2013 to 2022</h1>",
		"Not saved: see the decision below.", "Decision 1 of 14 open:", `<span class="ctl-id">5.7</span> Threat intelligence`, "ask the SOC")
	if again, err := srv.Svc.SoAEntry(org.Ctx("viewer"), "5.7"); err != nil || again.Version != e.Version || again.Decided() {
		t.Fatalf("a refused decision changed the entry: %+v %v", again, err)
	}
	a = post(t, srv, c["editor"], "/soa/5.7", url.Values{"applicable": {"yes"}, "justification": {"We follow two threat feeds"}, "status": {"planned"},
		"version": {strconv.Itoa(e.Version)}, "back": {"/transition"}, "reasons_sent": {"1"}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/transition" {
		t.Fatalf("decide: %d %q", a.Status, a.Header.Get("Location"))
	}
	expect(t, "after a decision", get(t, srv, c["editor"], "/transition"), http.StatusOK, "1 of 14 decided", "Decision 1 of 13 open:")
	a = get(t, srv, c["viewer"], "/transition/report?format=md")
	expect(t, "report", a, http.StatusOK, "| 5.7 | Threat intelligence | Applicable, planned: We follow two threat feeds |")
	if _, err := srv.Svc.ImportTransition(org.Ctx("viewer"), "csv", strings.NewReader(string(b)), service.TransitionImportInput{}); err == nil {
		t.Fatal("a viewer imported")
	}
}

// The samples: Northwind, with nothing imported, points at the transition sample; Harbourside shows its
// transition half done, the first open decision first, and its report downloads.
func TestTransitionSample(t *testing.T) {
	srv := testutil.StartDemoServer(t, sqldb.SQLite)
	if _, _, err := srv.Svc.DemoTransition(t.Context()); err != nil {
		t.Fatal(err)
	}
	expect(t, "northwind", get(t, srv, srv.Login(t, "daniel@northwind.example", service.DemoPassword), "/transition"), http.StatusOK,
		"<code>praxis demo --transition</code>", service.DemoTransitionOrgName)
	grace := srv.Login(t, "grace@harbourside.example", service.DemoPassword)
	expect(t, "harbourside", get(t, srv, grace, "/transition"), http.StatusOK, "4 of 13 decided", "Decision 1 of 9 open:",
		`<span class="ctl-id">5.30</span> ICT readiness for business continuity`, "Guidance for 5.30")
	expect(t, "a conflict of the sample", get(t, srv, grace, "/transition?control=8.31"), http.StatusOK, "A.14.2.6", "contracted agency", "not applicable")
	a := get(t, srv, grace, "/transition/report?format=pdf")
	if a.Status != http.StatusOK || !strings.HasPrefix(a.Body, "%PDF-") {
		t.Fatalf("report of the sample: %d %.20q", a.Status, a.Body)
	}
}
