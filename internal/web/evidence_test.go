package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// postUpload submits the evidence form as a browser does: multipart, the fields, then the file input last.
func postUpload(t *testing.T, srv *testutil.Server, c *http.Client, fields map[string]string, name, content string) answer {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, k := range []string{"title", "description", "url", "controls", "valid_until"} {
		w.WriteField(k, fields[k])
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write([]byte(content))
	w.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/evidence", &b)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", srv.URL)
	return do(t, c, req)
}

func TestEvidencePages(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	editor := srv.Login(t, org.Actors["editor"].Email, testutil.Password)
	expect(t, "empty list", get(t, srv, editor, "/evidence"), http.StatusOK, "No evidence yet", `enctype="multipart/form-data"`)

	report := "SAST report\n0 high findings\n"
	a := postUpload(t, srv, editor, map[string]string{"title": "SAST March", "controls": "8.28", "valid_until": "2027-06-30"}, "sast.txt", report)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/evidence/E-001" {
		t.Fatalf("upload: %d %s %s", a.Status, a.Header.Get("Location"), a.Body)
	}
	sum := sha256.Sum256([]byte(report))
	sha := hex.EncodeToString(sum[:])
	expect(t, "evidence page", get(t, srv, editor, "/evidence/E-001"), http.StatusOK, "SAST March", sha, `href="/evidence/E-001/file"`, "Save E-001")
	file := get(t, srv, editor, "/evidence/E-001/file")
	if file.Status != http.StatusOK || file.Body != report || file.Header.Get("Content-Disposition") != `attachment; filename=sast.txt` ||
		file.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %v %q", file.Status, file.Header, file.Body)
	}

	// A note without a file; one expired; the list marks it and filters by status.
	a = postUpload(t, srv, editor, map[string]string{"title": "Restore test", "description": "Restored HR DB", "controls": "8.13", "valid_until": "2026-01-31"}, "", "")
	if a.Status != http.StatusSeeOther {
		t.Fatalf("note: %d %s", a.Status, a.Body)
	}
	expect(t, "list", get(t, srv, editor, "/evidence"), http.StatusOK, sha, `data-ref="E-002" class="expired"`, "status-expired")
	expired := get(t, srv, editor, "/evidence?status=expired")
	expect(t, "expired only", expired, http.StatusOK, "E-002")
	refuse(t, "expired only", expired, `data-ref="E-001"`)
	expect(t, "bad filter", get(t, srv, editor, "/evidence?status=stale"), http.StatusUnprocessableEntity, "must be one of")

	// A refused upload shows the form again with its input and the problem, and keeps nothing.
	a = postUpload(t, srv, editor, map[string]string{"title": "Keep me", "controls": "8.99"}, "x.txt", "x")
	expect(t, "bad control", a, http.StatusUnprocessableEntity, `value="Keep me"`, "is not an ISO/IEC 27001:2022 Annex A control")
	if l, _ := srv.Svc.ListEvidence(org.Ctx("viewer"), service.EvidenceFilter{}, service.Page{}); l.Total != 2 {
		t.Fatalf("%d rows after a refused upload", l.Total)
	}

	// Auditors add evidence and edit only their own; viewers see no form.
	auditor := srv.Login(t, org.Actors["auditor"].Email, testutil.Password)
	page := get(t, srv, auditor, "/evidence/E-001")
	expect(t, "auditor on an editor's evidence", page, http.StatusOK, "Download sast.txt")
	refuse(t, "auditor on an editor's evidence", page, "Save E-001", "Delete E-001")
	if a := postUpload(t, srv, auditor, map[string]string{"title": "Interview notes", "description": "Asked about backups"}, "", ""); a.Status != http.StatusSeeOther {
		t.Fatalf("auditor adds: %d %s", a.Status, a.Body)
	}
	expect(t, "auditor's own evidence", get(t, srv, auditor, "/evidence/E-003"), http.StatusOK, "Save E-003", "Delete E-003")
	viewer := srv.Login(t, org.Actors["viewer"].Email, testutil.Password)
	refuse(t, "viewer list", get(t, srv, viewer, "/evidence"), `enctype="multipart/form-data"`)
	if a := postUpload(t, srv, viewer, map[string]string{"title": "v", "description": "d"}, "", ""); a.Status != http.StatusForbidden {
		t.Fatalf("viewer adds: %d", a.Status)
	}
}
