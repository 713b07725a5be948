package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
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

	bad := strings.Replace(string(b), "Fully implemented", "sort of", 1)
	expect(t, "bad file", postImport(t, srv, c["editor"], "/transition/import", map[string]string{"step": "check"}, "soa.csv", bad),
		http.StatusUnprocessableEntity, "<code>line 4: status</code>", "Nothing was imported")

	a := postImport(t, srv, c["editor"], "/transition/import", map[string]string{"step": "check"}, "soa-2013.csv", string(b))
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
