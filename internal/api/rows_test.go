package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// Every register's export checks its filter before the stream starts: a bad choice is a 422 naming it, not a
// 200 with a broken file; and the requirements are added under their party only.
func TestRegisterExportsRefuseBeforeTheStream(t *testing.T) {
	srv := testutil.StartServer(t, testutil.Engines[0])
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok, _, err := srv.Svc.CreateToken(org.Ctx("viewer"), "exports")
	if err != nil {
		t.Fatal(err)
	}
	viewer := apiClient{t: t, srv: srv, token: tok}
	for _, path := range []string{"/roles?kind=", "/objectives?status=", "/issues?kind=", "/parties?kind="} {
		reg, filter, _ := strings.Cut(path, "?")
		p := viewer.problem(viewer.do("GET", reg+"/export?format=csv&"+filter+"sideways", nil), http.StatusUnprocessableEntity, path+" export with a bad choice")
		if !strings.Contains(fmt.Sprint(p), "sideways") && !strings.Contains(fmt.Sprint(p), strings.TrimSuffix(filter, "=")) {
			t.Errorf("%s export: %+v, want the bad filter named", reg, p)
		}
	}
	if resp := viewer.do("POST", "/requirements", map[string]any{"party": "IP-001", "text": "x", "type": "legal"}); resp.status != http.StatusMethodNotAllowed && resp.status != http.StatusNotFound {
		t.Errorf("POST /requirements: %d, want no such route", resp.status)
	}
}
