package httpserver_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Through the API: a bad row answers 422 with its line and changes nothing; a dry run answers what would happen
// and writes nothing; the import answers the same and writes; the status and the report follow.
func TestTransitionAPI(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok := token(t, srv, org, "editor")
	file, err := os.ReadFile("../service/testdata/soa-2013.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(file), "Fully implemented", "sort of", 1)
	a := api(t, srv, tok, http.MethodPost, "/transition/import", raw{"text/csv", bad})
	want(t, a, http.StatusUnprocessableEntity, "bad row")
	if !strings.Contains(string(a.Body), `"location":"line 4: status"`) {
		t.Errorf("bad row answer %s", a.Body)
	}
	var res service.TransitionImport
	a = api(t, srv, tok, http.MethodPost, "/transition/import?dry_run=true", raw{"text/csv", string(file)})
	want(t, a, http.StatusOK, "dry run")
	if err := json.Unmarshal(a.Body, &res); err != nil || !res.DryRun || res.Counts.Saved != 79 || len(res.Controls) != 93 {
		t.Fatalf("dry run %s (%v)", a.Body, err)
	}
	var st service.TransitionStatus
	a = api(t, srv, tok, http.MethodGet, "/transition", nil)
	if err := json.Unmarshal(a.Body, &st); err != nil || st.Imported {
		t.Fatalf("status after a dry run: %s", a.Body)
	}
	want(t, api(t, srv, tok, http.MethodPost, "/transition/import", raw{"text/csv", string(file)}), http.StatusOK, "import")
	a = api(t, srv, token(t, srv, org, "viewer"), http.MethodGet, "/transition", nil)
	if err := json.Unmarshal(a.Body, &st); err != nil || !st.Imported || st.Marked != 14 || len(st.Rows) != 114 {
		t.Fatalf("status: %.300s", a.Body)
	}
	a = api(t, srv, tok, http.MethodGet, "/transition/report?format=xlsx", nil)
	want(t, a, http.StatusOK, "report")
	if ct := a.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") || !strings.Contains(a.Header.Get("Content-Disposition"), "transition-2013-2022.xlsx") {
		t.Errorf("report headers %q %q", ct, a.Header.Get("Content-Disposition"))
	}
}

// transitionTenants imports a 2013 SoA into both organisations of the isolation tests, B's saying Bravo in its
// justification and notes, so that A's transition pages and report would show a leak.
func transitionTenants(t *testing.T, svc *service.Service, a, b testutil.Org) {
	t.Helper()
	for _, imp := range []struct {
		org  testutil.Org
		file string
	}{
		{a, "control,applicable,justification,status\nA.5.1.1,yes,Alpha policies,implemented\n"},
		{b, "control,applicable,justification,status,notes\nA.5.1.1,no,Bravo does without,,Bravo note\nA.5.1.2,yes,Bravo reviews,planned,\n"},
	} {
		if _, err := svc.ImportTransition(imp.org.Ctx("editor"), "csv", strings.NewReader(imp.file), service.TransitionImportInput{Overwrite: true}); err != nil {
			t.Fatal(err)
		}
	}
}

// transitionReads are the transition's reads of each door.
var (
	transitionAPIReads = []string{"/transition", "/transition/report?format=md", "/transition/report?format=xlsx"}
	transitionWebReads = []string{"/transition", "/transition/report?format=md"}
)
