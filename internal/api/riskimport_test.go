package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// An exported risk register, edited as in Excel (a changed title, a new row, an untouched row) and posted back,
// updates in place: ?dry_run=true says so and writes nothing, the import then does it; a stale version in the
// same file afterwards is a 422 naming the line, and nothing changes.
func TestRiskImportRoundTripAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			s, _, err := srv.Svc.CreateToken(org.Ctx("editor"), "io")
			if err != nil {
				t.Fatal(err)
			}
			ed := apiClient{t: t, srv: srv, token: s}
			var res service.ImportResult
			ed.want(ed.do("POST", "/risks/import", "title,likelihood,impact,treatment\nLaptop theft,3,3,modify\nCRM breach,2,5,modify\n", "text/csv"),
				http.StatusOK, "first import", &res)

			export := ed.do("GET", "/risks/export?format=csv", nil)
			recs, err := csv.NewReader(bytes.NewReader(export.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			title := slices.Index(recs[0], "title")
			recs[1][title] = "Laptop stolen"
			recs = append(recs, make([]string, len(recs[0])))
			for name, v := range map[string]string{"title": "Phishing", "likelihood": "4", "impact": "3", "treatment": "modify"} {
				recs[3][slices.Index(recs[0], name)] = v
			}
			var file bytes.Buffer
			_ = csv.NewWriter(&file).WriteAll(recs)

			ed.want(ed.do("POST", "/risks/import?dry_run=true", file.String(), "text/csv"), http.StatusOK, "dry run", &res)
			if res.Added != 1 || res.Updated != 1 || res.Unchanged != 1 || !res.DryRun {
				t.Fatalf("dry run %+v", res)
			}
			var l service.List[apiRisk]
			ed.want(ed.do("GET", "/risks", nil), http.StatusOK, "list", &l)
			if l.Total != 2 {
				t.Fatalf("the dry run wrote: %d risks", l.Total)
			}
			ed.want(ed.do("POST", "/risks/import", file.String(), "text/csv"), http.StatusOK, "import", &res)
			if res.Added != 1 || res.Updated != 1 || res.Unchanged != 1 || !slices.Equal(res.Refs, []string{"R-003"}) {
				t.Fatalf("import %+v", res)
			}
			var r1 struct {
				Title   string
				Version int
			}
			ed.want(ed.do("GET", "/risks/R-001", nil), http.StatusOK, "R-001", &r1)
			if r1.Title != "Laptop stolen" || r1.Version != 2 {
				t.Errorf("R-001 %+v", r1)
			}

			stale := strings.Replace(file.String(), "Phishing", "Phishing again", 1)
			p := ed.problem(ed.do("POST", "/risks/import", stale, "text/csv"), http.StatusUnprocessableEntity, "stale version")
			if !slices.Contains(p.locations(), "line 2: version") {
				t.Errorf("stale version: %+v", p)
			}
			ed.want(ed.do("GET", "/risks", nil), http.StatusOK, "list", &l)
			if l.Total != 3 {
				t.Errorf("the refused import wrote: %d risks", l.Total)
			}
		})
	}
}
