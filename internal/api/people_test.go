package api_test

import (
	"net/http"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The API takes the staff fields (PATCH keeps the ones not sent), refuses a manager loop with 422 naming the
// field, filters by leavers=open-access and lists what each leaver still has open.
func TestPeopleStaffAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			tok, _, err := srv.Svc.CreateToken(org.Ctx("editor"), "people test")
			if err != nil {
				t.Fatal(err)
			}
			ed := apiClient{t: t, srv: srv, token: tok}
			ed.want(ed.do("POST", "/people", map[string]any{"name": "Grace Boss", "team": "Ops"}), http.StatusCreated, "add boss", nil)
			// The editor's own account, gone since February but still a member.
			ed.want(ed.do("POST", "/people", map[string]any{"name": "Ed Editor", "email": "editor@acme.example", "manager": "P-001",
				"employment": "contractor", "end_date": "2026-02-01", "screened_on": "2025-01-01"}), http.StatusCreated, "add leaver", nil)
			var p struct {
				Manager     string `json:"manager"`
				ManagerName string `json:"manager_name"`
				Team        string `json:"team"`
				Employment  string `json:"employment"`
				EndDate     string `json:"end_date"`
				Version     int    `json:"version"`
			}
			ed.want(ed.do("PATCH", "/people/P-002", map[string]any{"team": "Ops", "version": 1}), http.StatusOK, "patch team", &p)
			if p.Manager != "P-001" || p.ManagerName != "Grace Boss" || p.Team != "Ops" || p.Employment != "contractor" || p.EndDate != "2026-02-01" {
				t.Fatalf("patched: %+v", p)
			}
			ed.want(ed.do("PATCH", "/people/P-001", map[string]any{"manager": "P-002", "version": 1}), http.StatusUnprocessableEntity, "loop", nil)
			var l service.List[struct{ Ref string }]
			ed.want(ed.do("GET", "/people?leavers=open-access", nil), http.StatusOK, "filter", &l)
			if len(l.Items) != 1 || l.Items[0].Ref != "P-002" {
				t.Fatalf("leavers=open-access: %+v", l)
			}
			ed.want(ed.do("GET", "/people?leavers=gone", nil), http.StatusUnprocessableEntity, "bad leavers value", nil)
			var open []struct {
				Ref       string `json:"ref"`
				Role      string `json:"role"`
				APITokens int    `json:"api_tokens"`
			}
			ed.want(ed.do("GET", "/people/leavers/open-access", nil), http.StatusOK, "open access", &open)
			if len(open) != 1 || open[0].Ref != "P-002" || open[0].Role != "editor" || open[0].APITokens != 1 {
				t.Fatalf("open access: %+v", open)
			}
		})
	}
}
