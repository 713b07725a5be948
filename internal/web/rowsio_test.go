package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The row registers' lists link to an import page that adds rows, reports a bad row by line and adds nothing
// then, and that a viewer is not offered.
func TestRowRegisterImportPages(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer")
	owner := c["owner"]
	for _, path := range []string{"/issues", "/parties", "/roles", "/commitments", "/objectives"} {
		expect(t, path+" list", get(t, srv, owner, path), http.StatusOK, `href="`+path+`/import"`)
		expect(t, path+" import form", get(t, srv, owner, path+"/import"), http.StatusOK, `action="`+path+`/import"`, `href="`+path+`/export.csv"`)
		if a := get(t, srv, c["viewer"], path); strings.Contains(a.Body, `href="`+path+`/import"`) {
			t.Errorf("%s: a viewer is offered the import", path)
		}
	}
	a := upload(t, srv, owner, "/issues/import", "issues.csv", "title,kind\nGood,internal\nBad,sideways\n")
	expect(t, "bad issue file", a, http.StatusUnprocessableEntity, "Nothing was imported", "<code>line 3: kind</code>")
	if l, _ := srv.Svc.ListIssues(org.Ctx("owner"), service.IssueFilter{}, service.Page{}); l.Total != 0 {
		t.Fatalf("a refused file added %d issues", l.Total)
	}
	seeOther(t, "party import", upload(t, srv, owner, "/parties/import", "parties.csv", "name,kind\nInsurer,insurer\n"), "/parties")
	if l, _ := srv.Svc.ListParties(org.Ctx("owner"), service.PartyFilter{}, service.Page{}); l.Total != 1 || l.Items[0].Name != "Insurer" {
		t.Fatalf("party import: %+v", l.Items)
	}
}
