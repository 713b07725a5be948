package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The imports of the row registers over HTTP: a dry run adds nothing, the import adds, a bad row is a 422 that
// names its line and field, and a viewer is refused.
func TestRowRegisterImportAPI(t *testing.T) {
	srv := testutil.StartServer(t, "sqlite")
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok := func(role string) apiClient {
		s, _, err := srv.Svc.CreateToken(org.Ctx(role), "io "+role)
		if err != nil {
			t.Fatal(err)
		}
		return apiClient{t: t, srv: srv, token: s}
	}
	ed, viewer := tok("editor"), tok("viewer")
	file := "title,status,notes\nPatch within 14 days,on-track,\nTrain every new starter,planned,x\n"
	var res service.ImportResult
	ed.want(ed.do("POST", "/objectives/import?dry_run=true", file, "text/csv"), http.StatusOK, "dry run", &res)
	if res.Added != 2 || !res.DryRun {
		t.Fatalf("dry run: %+v", res)
	}
	ed.want(ed.do("POST", "/objectives/import", file, "text/csv"), http.StatusOK, "import", &res)
	if res.Added != 2 || !slices.Equal(res.Refs, []string{"OBJ-001", "OBJ-002"}) {
		t.Fatalf("import: %+v (a dry run must not take references)", res)
	}
	p := ed.problem(ed.do("POST", "/issues/import", "title,kind\nGood,internal\nBad,sideways\n", "text/csv"), http.StatusUnprocessableEntity, "bad row")
	if got := strings.Join(p.locations(), "|"); !strings.Contains(got, "line 3") || strings.Contains(got, "line 2") {
		t.Errorf("bad row: %+v", p)
	}
	list, err := srv.Svc.ListIssues(org.Ctx("editor"), service.IssueFilter{}, service.Page{})
	if err != nil || list.Total != 0 {
		t.Fatalf("a refused file wrote %d issues (%v)", list.Total, err)
	}
	viewer.problem(viewer.do("POST", "/roles/import", "name\nSneaky\n", "text/csv"), http.StatusForbidden, "viewer import")
}
