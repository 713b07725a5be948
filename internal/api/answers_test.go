package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A list asked again is the same answer with the same ETag, and If-None-Match gets a 304 without a body; a
// change, made through this server or another one on the same database, shows in the next answer at once,
// with a new ETag; Cache-Control: no-cache reads afresh; a member removed gets no remembered answer.
func TestRememberedListAnswers(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	other := testutil.StartServerOn(t, srv.DB) // a second server on the same database
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok, _, err := srv.Svc.CreateToken(org.Ctx("owner"), "answers")
	if err != nil {
		t.Fatal(err)
	}
	c := apiClient{t: t, srv: srv, token: tok}
	c.want(c.do("POST", "/risks", map[string]any{"title": "Laptop theft", "likelihood": 2, "impact": 3, "treatment": "modify"}), http.StatusCreated, "add risk", nil)

	first := c.do("GET", "/risks?limit=10", nil)
	again := c.do("GET", "/risks?limit=10", nil)
	etag := first.header.Get("ETag")
	if first.status != 200 || again.status != 200 || etag == "" || again.header.Get("ETag") != etag || !bytes.Equal(first.body, again.body) {
		t.Fatalf("asked twice: %d %q, then %d %q, same body %v", first.status, etag, again.status, again.header.Get("ETag"), bytes.Equal(first.body, again.body))
	}
	if again.header.Get("Content-Type") != first.header.Get("Content-Type") || !strings.Contains(string(again.body), "Laptop theft") {
		t.Fatalf("the remembered answer: %v %s", again.header, again.body)
	}
	if n := c.conditional("/risks?limit=10", etag); n.status != http.StatusNotModified || len(n.body) != 0 {
		t.Fatalf("If-None-Match with the current ETag: %d, %d bytes", n.status, len(n.body))
	}

	// A HEAD (no body) is not what a later GET gets.
	head, _ := http.NewRequest("HEAD", srv.URL+"/api/v1/risks?limit=3", nil)
	head.Header.Set("Authorization", "Bearer "+tok)
	c.send(head)
	if got := c.do("GET", "/risks?limit=3", nil); !strings.HasPrefix(got.header.Get("Content-Type"), "application/json") || !strings.Contains(string(got.body), "Laptop theft") {
		t.Fatalf("GET after HEAD: %q %s", got.header.Get("Content-Type"), got.body)
	}

	// A change through this server.
	c.want(c.do("POST", "/risks", map[string]any{"title": "Phishing", "likelihood": 4, "impact": 4, "treatment": "modify"}), http.StatusCreated, "add risk", nil)
	after := c.do("GET", "/risks?limit=10", nil)
	if !strings.Contains(string(after.body), "Phishing") || after.header.Get("ETag") == etag {
		t.Fatalf("after adding a risk: ETag %q (was %q): %s", after.header.Get("ETag"), etag, after.body)
	}
	if n := c.conditional("/risks?limit=10", etag); n.status != http.StatusOK || !strings.Contains(string(n.body), "Phishing") {
		t.Fatalf("If-None-Match with the old ETag: %d %s", n.status, n.body)
	}

	// A change through another server on the same database.
	o := apiClient{t: t, srv: other, token: tok}
	o.want(o.do("POST", "/risks", map[string]any{"title": "Ransomware", "likelihood": 3, "impact": 5, "treatment": "modify"}), http.StatusCreated, "add risk elsewhere", nil)
	if got := c.do("GET", "/risks?limit=10", nil); !strings.Contains(string(got.body), "Ransomware") {
		t.Fatalf("a risk added through another server is missing: %s", got.body)
	}

	// no-cache reads afresh and answers the same.
	remembered := c.do("GET", "/risks?limit=10", nil)
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/risks?limit=10", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Cache-Control", "no-cache")
	fresh := c.send(req)
	if fresh.status != 200 || !bytes.Equal(fresh.body, remembered.body) {
		t.Fatalf("no-cache: %d, same body %v", fresh.status, bytes.Equal(fresh.body, remembered.body))
	}

	// A member who could read the trail, removed, is refused, not answered from memory.
	auditor := org.Actors["auditor"]
	atok, _, err := srv.Svc.CreateToken(org.Ctx("auditor"), "auditor")
	if err != nil {
		t.Fatal(err)
	}
	a := apiClient{t: t, srv: srv, token: atok}
	a.want(a.do("GET", "/audit-events?limit=5", nil), http.StatusOK, "the auditor reads the trail", nil)
	a.want(a.do("GET", "/audit-events?limit=5", nil), http.StatusOK, "the auditor reads the trail again", nil)
	if err := srv.Svc.RemoveMember(org.Ctx("owner"), auditor.UserID); err != nil {
		t.Fatal(err)
	}
	if got := a.do("GET", "/audit-events?limit=5", nil); got.status == http.StatusOK {
		t.Fatalf("a removed member still reads the trail: %s", got.body)
	}
}

// conditional asks path with If-None-Match: etag.
func (c apiClient) conditional(path, etag string) reply {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.srv.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("If-None-Match", etag)
	return c.send(req)
}
