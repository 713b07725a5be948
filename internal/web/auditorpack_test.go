package web_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/export/auditorpack"
)

// The auditor pack's page says what the pack lacks and offers it; the download is a zip named after the
// organisation and the day that passes its manifest check. Editors get neither.
func TestAuditorPackPageAndDownload(t *testing.T) {
	srv, _, c := startOrg(t, "approver", "auditor", "editor")
	expect(t, "page", get(t, srv, c["approver"], "/auditor-pack"), http.StatusOK, "<strong>Statement of Applicability</strong>: no version of the SoA has been approved yet",
		`action="/auditor-pack.zip"`, "03-risk-register.xlsx")
	for _, p := range []string{"/audits", "/audit"} {
		expect(t, p, get(t, srv, c["auditor"], p), http.StatusOK, `href="/auditor-pack"`)
	}
	if a := get(t, srv, c["editor"], "/audits"); strings.Contains(a.Body, `href="/auditor-pack"`) {
		t.Error("an editor is offered the auditor pack")
	}

	a := get(t, srv, c["auditor"], "/auditor-pack.zip?files=1")
	if a.Status != http.StatusOK || a.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(a.Header.Get("Content-Disposition"), `attachment; filename="auditor-pack-acme-`) {
		t.Fatalf("download: %d %v", a.Status, a.Header)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(a.Body)), int64(len(a.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auditorpack.Check(zr); err != nil {
		t.Fatal(err)
	}

	for _, p := range []string{"/auditor-pack", "/auditor-pack.zip"} {
		if a := get(t, srv, c["editor"], p); a.Status != http.StatusForbidden || a.Header.Get("Content-Disposition") != "" {
			t.Errorf("editor GET %s: %d %v", p, a.Status, a.Header)
		}
	}
}
