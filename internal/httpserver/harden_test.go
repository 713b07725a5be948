package httpserver_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/httpserver"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// After logging in, a next that a browser would read as another site sends the member home instead.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	email := org.Actors["editor"].Email
	for next, dest := range map[string]string{
		"/%09/evil.example":    "/",
		"/%0a/evil.example":    "/",
		"//evil.example":       "/",
		"/%5Cevil.example":     "/",
		"https://evil.example": "/",
		"/risks?sort=-score":   "/risks?sort=-score",
	} {
		form := url.Values{"email": {email}, "password": {testutil.Password}}
		a := call(t, nil, http.MethodPost, srv.URL+"/login?next="+next, form, "Origin", srv.URL)
		want(t, a, http.StatusSeeOther, "login with next="+next)
		if got := a.Header.Get("Location"); got != dest {
			t.Errorf("login with next=%s went to %q, want %q", next, got, dest)
		}
	}
}

// pending is a request body that sends size bytes and then waits, unfinished, until the test ends: an answer
// that arrives while it waits was given without reading the whole body.
func pending(t *testing.T, size int) io.Reader {
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(errors.New("test over")) })
	go func() {
		chunk := bytes.Repeat([]byte("title,likelihood,impact,treatment\n"), 1000)
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
	}()
	return pr
}

// send posts body to path and returns the answer, failing when none comes within a few seconds.
func send(t *testing.T, c *http.Client, srv *testutil.Server, path, ctype string, body io.Reader, hdr ...string) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c, ok := body.(io.Closer); ok { // the client waits for its body to end even when it gives up
		defer context.AfterFunc(ctx, func() { c.Close() })()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Origin", srv.URL)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if c == nil {
		c = noRedirects()
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: no answer before the body ended: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: b, resp: resp}
}

// An import from a visitor or from a role that may not write is refused before its file is read: the answer
// comes while the client is still sending.
func TestImportRefusedBeforeReading(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	viewer := token(t, srv, org, "viewer")
	viewerBrowser := srv.Login(t, org.Actors["viewer"].Email, testutil.Password)
	for _, c := range []struct {
		name   string
		client *http.Client
		path   string
		hdr    []string
		status int
	}{
		{"visitor, API", nil, "/api/v1/risks/import", nil, http.StatusUnauthorized},
		{"visitor, API assets", nil, "/api/v1/assets/import", nil, http.StatusUnauthorized},
		{"viewer, API", nil, "/api/v1/risks/import", []string{"Authorization", "Bearer " + viewer}, http.StatusForbidden},
		{"viewer, API assets", nil, "/api/v1/assets/import", []string{"Authorization", "Bearer " + viewer}, http.StatusForbidden},
		{"visitor, page", nil, "/risks/import", nil, http.StatusSeeOther},
		{"viewer, page", viewerBrowser, "/assets/import", nil, http.StatusForbidden},
	} {
		a := send(t, c.client, srv, c.path, "text/csv", pending(t, 8<<20), c.hdr...)
		want(t, a, c.status, c.name)
		if !a.resp.Close {
			t.Errorf("%s: the connection stays open (it would read the rest of the refused body)", c.name)
		}
	}
}

// A visitor's body is small and must arrive quickly: a form of 64 KB is plenty, and a sender trickling
// bytes is cut off after the anonymous read timeout instead of holding the connection.
func TestAnonymousBodiesAreSmallAndQuick(t *testing.T) {
	srv := testutil.StartServerWith(t, testutil.NewDB(t, sqldb.SQLite), httpserver.Config{AnonymousReadTimeout: time.Second})
	testutil.NewOrg(t, srv.Svc, "Acme")
	big := url.Values{"email": {"x@example.com"}, "password": {strings.Repeat("p", httpserver.AnonymousBodyLimit)}}
	a := call(t, nil, http.MethodPost, srv.URL+"/login", big, "Origin", srv.URL)
	want(t, a, http.StatusUnprocessableEntity, "a login form over the visitor's limit")

	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n",
		strings.TrimPrefix(srv.URL, "http://"), srv.URL)
	go func() { // ten bytes a second
		for range 100 {
			if _, err := conn.Write([]byte("email=x&xx")); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
	}()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.Copy(io.Discard, conn) // until the server answers and closes
	if d := time.Since(start); d > 4*time.Second {
		t.Fatalf("a visitor sending ten bytes a second held the connection for %v", d)
	}
}

// Only a few imports are received at once; one more is told at once to come back instead of being held in
// memory, and a slot frees as soon as an import ends.
func TestConcurrentImportsLimited(t *testing.T) {
	srv := testutil.StartServerWith(t, testutil.NewDB(t, sqldb.SQLite), httpserver.Config{MaxUploads: 2})
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	auth := []string{"Authorization", "Bearer " + token(t, srv, org, "editor")}
	// Three uploads that never finish: two are received, the third is turned away.
	answers := make(chan *http.Response, 3)
	var bodies []*io.PipeWriter
	for range 3 {
		pr, pw := io.Pipe()
		bodies = append(bodies, pw)
		t.Cleanup(func() { pw.CloseWithError(errors.New("test over")) })
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/risks/import", pr)
			req.Header.Set("Content-Type", "text/csv")
			req.Header.Set(auth[0], auth[1])
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			answers <- resp
		}()
		go pw.Write([]byte("title,likelihood,impact,treatment\n"))
	}
	select {
	case resp := <-answers:
		if resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("the third of three unfinished uploads: %+v, want 503 with Retry-After", resp)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no upload was turned away")
	}
	select {
	case resp := <-answers:
		t.Fatalf("a second upload was answered while two slots hold: %+v", resp)
	case <-time.After(200 * time.Millisecond):
	}
	for _, pw := range bodies {
		pw.CloseWithError(errors.New("client gave up"))
	}
	csv := "title,likelihood,impact,treatment\nFlood,2,3,modify\n"
	var a answer
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if a = send(t, nil, srv, "/api/v1/risks/import", "text/csv", strings.NewReader(csv), auth...); a.Status != http.StatusServiceUnavailable {
			break
		}
	}
	want(t, a, http.StatusOK, "an import once the others ended")
}

// A zip bomb posing as a workbook (a small file that unpacks to 100 MB) is refused as a problem of the file.
func TestImportZipBombRefused(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write(bytes.Repeat([]byte("<row/>"), 100<<20/6))
	zw.Close()
	const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	a := api(t, srv, token(t, srv, org, "editor"), http.MethodPost, "/risks/import", raw{xlsx, bomb.String()})
	p := wantProblem(t, a, http.StatusUnprocessableEntity, "zip bomb")
	if len(p.Errors) != 1 || p.Errors[0].Location != "file" || !strings.Contains(p.Errors[0].Message, "unpacks to more than 64 MB") {
		t.Fatalf("zip bomb: %s", a)
	}
}

// Every 500 is logged once with the request id the client got and the error behind it, from the API and from
// the pages alike.
func TestFailuresLoggedWithRequestID(t *testing.T) {
	var logs testutil.SyncBuffer
	db := testutil.NewDB(t, sqldb.SQLite)
	srv := testutil.StartServerWith(t, db, httpserver.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	if _, err := srv.Svc.AddPerson(org.Ctx("editor"), service.PersonInput{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec("UPDATE people SET created_at = 'garbled'"); err != nil { // a corrupted row
		t.Fatal(err)
	}
	browser := srv.Login(t, org.Actors["viewer"].Email, testutil.Password)
	for _, a := range []answer{
		api(t, srv, token(t, srv, org, "viewer"), http.MethodGet, "/people", nil),
		call(t, browser, http.MethodGet, srv.URL+"/people", nil),
	} {
		want(t, a, http.StatusInternalServerError, "a corrupted row")
		id := a.Header.Get("X-Request-Id")
		if strings.Contains(a.String(), "garbled") {
			t.Errorf("the answer shows the internal error: %s", a)
		}
		line := ""
		for deadline := time.Now().Add(2 * time.Second); line == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			for l := range strings.Lines(logs.String()) {
				if strings.Contains(l, "id="+id) && strings.Contains(l, "status=500") {
					line = l
				}
			}
		}
		if !strings.Contains(line, "level=ERROR") || !strings.Contains(line, "garbled") {
			t.Fatalf("request %s: no error logged with its id and error; the log:\n%s", id, logs.String())
		}
	}
}

// A query string far longer than any filter is refused with 422 and says why; a search longer than the API
// takes is a 422 naming the parameter.
func TestLongQueriesRefused(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	viewer := token(t, srv, org, "viewer")
	long := strings.Repeat("a", 50_000)
	p := wantProblem(t, api(t, srv, viewer, http.MethodGet, "/risks?search="+long, nil), http.StatusUnprocessableEntity, "a 50,000-character API search")
	if !strings.Contains(p.Detail, "query string is longer") {
		t.Errorf("detail %q", p.Detail)
	}
	browser := srv.Login(t, org.Actors["viewer"].Email, testutil.Password)
	a := call(t, browser, http.MethodGet, srv.URL+"/risks?search="+long, nil)
	want(t, a, http.StatusUnprocessableEntity, "a 50,000-character search on a page")
	if !strings.Contains(a.String(), "query string is longer") {
		t.Errorf("page answer %q", a)
	}
	p = wantProblem(t, api(t, srv, viewer, http.MethodGet, "/people?search="+strings.Repeat("a", 300), nil), http.StatusUnprocessableEntity, "a 300-character API search")
	if len(p.Errors) != 1 || p.Errors[0].Location != "query.search" {
		t.Errorf("problem %+v", p)
	}
}

// API answers, exports and pages are never cached; static files are.
func TestNoStore(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	viewer := token(t, srv, org, "viewer")
	browser := srv.Login(t, org.Actors["viewer"].Email, testutil.Password)
	for what, a := range map[string]answer{
		"API list":    api(t, srv, viewer, http.MethodGet, "/risks", nil),
		"API export":  api(t, srv, viewer, http.MethodGet, "/risks/export?format=csv", nil),
		"API error":   api(t, srv, viewer, http.MethodGet, "/risks/R-999", nil),
		"page":        call(t, browser, http.MethodGet, srv.URL+"/risks", nil),
		"page export": call(t, browser, http.MethodGet, srv.URL+"/risks/export.csv", nil),
	} {
		if a.Status >= 500 {
			t.Fatalf("%s: %d", what, a.Status)
		}
		if got := a.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s (%d): Cache-Control %q, want no-store", what, a.Status, got)
		}
	}
	a := call(t, nil, http.MethodGet, srv.URL+"/static/app.css", nil)
	want(t, a, http.StatusOK, "static file")
	if got := a.Header.Get("Cache-Control"); !strings.Contains(got, "max-age") {
		t.Errorf("static file: Cache-Control %q", got)
	}
}
