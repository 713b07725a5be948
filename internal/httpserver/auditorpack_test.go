package httpserver_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/export/auditorpack"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// GET /api/v1/auditor-pack streams a zip named after the organisation and the day for owners, admins,
// auditors and approvers; editors and viewers get a 403 problem, not a broken zip. A's pack holds nothing of
// B's: every file is read back and checked (the text files; the PDFs and workbooks are compressed).
func TestAuditorPackAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			srv := x.srv
			for role, status := range map[string]int{"owner": 200, "admin": 200, "auditor": 200, "approver": 200, "editor": 403, "viewer": 403} {
				a := api(t, srv, token(t, srv, x.a, role), http.MethodGet, "/auditor-pack", nil)
				want(t, a, status, role)
				if status == 403 && a.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s: refused as %q", role, a.Header.Get("Content-Type"))
				}
			}
			a := api(t, srv, x.aTok, http.MethodGet, "/auditor-pack?files=true", nil)
			want(t, a, http.StatusOK, "A's owner")
			if a.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(a.Header.Get("Content-Disposition"), `attachment; filename="auditor-pack-alpha-`) {
				t.Fatalf("headers: %v", a.Header)
			}
			zr, err := zip.NewReader(bytes.NewReader(a.Body), int64(len(a.Body)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := auditorpack.Check(zr); err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				if strings.HasSuffix(f.Name, ".pdf") || strings.HasSuffix(f.Name, ".xlsx") {
					continue
				}
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(rc)
				rc.Close()
				x.clean(t, "A's pack: "+f.Name, answer{Body: body})
			}
		})
	}
}
