package httpserver_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// GET /api/v1/soa/export serves the draft or an approved version in every format, with the format's media type
// and a file name that says what it holds; the XLSX reads back with a row per control, the OSCAL document
// validates, and a bad format or an unknown version is a problem answer, not a file.
func TestSoAExportAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			if _, err := srv.Svc.BulkSetSoA(org.Ctx("editor"), service.BulkSoAInput{Filter: service.SoAFilter{Applicable: "undecided"},
				Set: service.SoAInput{Applicable: ptr(true), Justification: "Needed to run the service", Status: "implemented", Reasons: []string{"business"}}}); err != nil {
				t.Fatal(err)
			}
			if _, err := srv.Svc.ApproveSoA(org.Ctx("approver"), "First"); err != nil {
				t.Fatal(err)
			}
			viewer := token(t, srv, org, "viewer")
			for _, c := range []struct{ query, media, file, start string }{
				{"format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "soa-draft.xlsx", "PK"},
				{"", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "soa-draft.xlsx", "PK"},
				{"format=pdf&version=1", "application/pdf", "soa-v1.pdf", "%PDF"},
				{"format=csv", "text/csv; charset=utf-8", "soa-draft.csv", "control,title"},
				{"format=csv-excel&version=1", "text/csv; charset=utf-8", "soa-v1.csv", "\ufeffcontrol,title"},
				{"format=md", "text/markdown; charset=utf-8", "soa-draft.md", "# "},
				{"format=oscal&version=1", "application/json", "soa-v1.json", "{"},
			} {
				a := api(t, srv, viewer, http.MethodGet, "/soa/export?"+c.query, nil)
				want(t, a, http.StatusOK, "export "+c.query)
				if got := a.Header.Get("Content-Type"); got != c.media {
					t.Errorf("export %s: Content-Type %q, want %q", c.query, got, c.media)
				}
				if got := a.Header.Get("Content-Disposition"); got != `attachment; filename="`+c.file+`"` {
					t.Errorf("export %s: Content-Disposition %q, want the file %s", c.query, got, c.file)
				}
				if !bytes.HasPrefix(a.Body, []byte(c.start)) {
					t.Errorf("export %s starts %.40q, want %q", c.query, a.Body, c.start)
				}
				switch {
				case strings.Contains(c.query, "xlsx") || c.query == "":
					f, err := excelize.OpenReader(bytes.NewReader(a.Body))
					if err != nil {
						t.Fatal(err)
					}
					rows, err := f.GetRows("SoA")
					f.Close()
					if err != nil || len(rows) != 94 {
						t.Errorf("export %s: %d rows (%v), want the header and 93 controls", c.query, len(rows), err)
					}
				case strings.Contains(c.query, "oscal"):
					if err := oscal.Validate(a.Body); err != nil {
						t.Errorf("export %s: %v", c.query, err)
					}
				case strings.Contains(c.query, "csv"):
					if n := bytes.Count(a.Body, []byte("\n")); n != 94 {
						t.Errorf("export %s: %d lines, want 94", c.query, n)
					}
				}
			}
			wantProblem(t, api(t, srv, viewer, http.MethodGet, "/soa/export?format=docx", nil), http.StatusUnprocessableEntity, "format docx")
			wantProblem(t, api(t, srv, viewer, http.MethodGet, "/soa/export?format=pdf&version=9", nil), http.StatusNotFound, "version 9")
			wantProblem(t, api(t, srv, "", http.MethodGet, "/soa/export?format=pdf", nil), http.StatusUnauthorized, "no token")
		})
	}
}
func ptr[T any](v T) *T { return &v }
