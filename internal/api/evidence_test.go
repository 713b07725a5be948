package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// multipartBody is an upload: the fields first, then the file part.
func multipartBody(t *testing.T, fields map[string]string, name string, content []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

func TestEvidenceAPIUploadAndDownload(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			token := func(role string) apiClient {
				tok, _, err := srv.Svc.CreateToken(org.Ctx(role), "evidence")
				if err != nil {
					t.Fatal(err)
				}
				return apiClient{t: t, srv: srv, token: tok}
			}
			editor, auditor, viewer := token("editor"), token("auditor"), token("viewer")
			page := []byte("<html><script>alert(1)</script></html>")
			body, ct := multipartBody(t, map[string]string{"title": "Scan page", "controls": "8.28, 5.18", "valid_until": "2027-06-30"}, "scan.html", page)
			var ev isms.Evidence
			editor.want(editor.do("POST", "/evidence", body, ct), http.StatusCreated, "upload", &ev)
			sum := sha256.Sum256(page)
			if ev.Ref != "E-001" || ev.SHA256 != hex.EncodeToString(sum[:]) || ev.Size != len(page) || ev.Filename != "scan.html" ||
				strings.Join(ev.Controls, ",") != "5.18,8.28" {
				t.Fatalf("uploaded: %+v", ev)
			}
			// Download: an attachment, never run as a page, checked against its hash.
			got := viewer.do("GET", "/evidence/E-001/file", nil)
			if got.status != 200 || !bytes.Equal(got.body, page) || got.header.Get("Content-Type") != "application/octet-stream" ||
				!strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment") || got.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("download: %d %v %q", got.status, got.header, got.body)
			}
			// JSON adds links and notes; auditors add too; viewers do not.
			var link isms.Evidence
			auditor.want(auditor.do("POST", "/evidence", map[string]any{"title": "Ticket", "url": "https://tickets.example/1"}), http.StatusCreated, "auditor link", &link)
			if link.Kind != "link" {
				t.Fatalf("link: %+v", link)
			}
			viewer.problem(viewer.do("POST", "/evidence", body, ct), http.StatusForbidden, "viewer upload")
			editor.problem(editor.do("POST", "/evidence", map[string]any{"title": "x", "url": "ftp://x"}), http.StatusUnprocessableEntity, "ftp link")
			editor.problem(editor.do("POST", "/evidence", "text", "text/plain"), http.StatusUnsupportedMediaType, "plain text")
			auditor.problem(auditor.do("PATCH", "/evidence/E-001", map[string]any{"title": "mine now", "version": 1}), http.StatusForbidden, "auditor changes an editor's file")
			var l service.List[isms.Evidence]
			viewer.want(viewer.do("GET", "/evidence?control=8.28", nil), http.StatusOK, "list by control", &l)
			if l.Total != 1 || l.Items[0].Status != "current" {
				t.Fatalf("list by control: %+v", l)
			}
			viewer.problem(viewer.do("GET", "/evidence/E-002/file", nil), http.StatusNotFound, "a link's file")
			// The file is altered behind praxis's back: the download is refused, not served.
			if engine == "postgres" {
				if _, err := srv.DB.W.Exec("UPDATE blobs SET content = $1", []byte("altered")); err != nil {
					t.Fatal(err)
				}
				viewer.problem(viewer.do("GET", "/evidence/E-001/file", nil), http.StatusConflict, "altered file")
			}
			editor.want(editor.do("DELETE", "/evidence/E-001", nil), http.StatusNoContent, "delete", nil)
		})
	}
}

func TestEvidenceAPIUploadLimit(t *testing.T) {
	srv := testutil.StartServer(t, testutil.Engines[0])
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok, _, err := srv.Svc.CreateToken(org.Ctx("editor"), "evidence")
	if err != nil {
		t.Fatal(err)
	}
	editor := apiClient{t: t, srv: srv, token: tok}
	big := bytes.Repeat([]byte("x"), int(service.DefaultMaxUpload)+1)
	body, ct := multipartBody(t, map[string]string{"title": "Too big"}, "big.bin", big)
	p := editor.problem(editor.do("POST", "/evidence", body, ct), http.StatusRequestEntityTooLarge, "too large")
	if !strings.Contains(p.Detail, "50.0 MB") {
		t.Fatalf("too large: %+v", p)
	}
	var l service.List[isms.Evidence]
	editor.want(editor.do("GET", "/evidence", nil), http.StatusOK, "list", &l)
	if l.Total != 0 {
		t.Fatalf("%d rows after a refused upload", l.Total)
	}
}
