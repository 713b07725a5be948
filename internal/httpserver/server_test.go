package httpserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/httpserver"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
	"github.com/praxis-isms/praxis/internal/web"
)

// These tests drive the real HTTP stack (middleware, web UI, API, service, database) over a loopback port.

// answer is one HTTP response, read in full.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
	resp   *http.Response
}

func (a answer) String() string { return strings.TrimSpace(string(a.Body)) }

// Cookie returns the last Set-Cookie of that name (what a browser ends up with), or nil.
func (a answer) Cookie(name string) *http.Cookie {
	var out *http.Cookie
	for _, c := range a.resp.Cookies() {
		if c.Name == name {
			out = c
		}
	}
	return out
}

// raw is a request body sent as it is, with its media type.
type raw struct {
	ctype string
	data  string
}

// upload is a multipart form with one file, as a browser sends a file input.
type upload struct {
	field, filename, data string
	fields                url.Values
}

// call sends one request. body is sent as JSON unless it is nil, a url.Values (a form), a raw or an upload;
// hdr holds header name/value pairs.
func call(t testing.TB, c *http.Client, method, u string, body any, hdr ...string) answer {
	t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		r, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case raw:
		r, ctype = strings.NewReader(b.data), b.ctype
	case upload:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vs := range b.fields {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		fw, err := mw.CreateFormFile(b.field, b.filename)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, b.data)
		mw.Close()
		r, ctype = &buf, mw.FormDataContentType()
	case string:
		r, ctype = strings.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if c == nil {
		c = noRedirects()
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: b, resp: resp}
}

// noRedirects is a client without a cookie jar that shows every answer as it is.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// api calls the API with a bearer token ("" for none).
func api(t testing.TB, srv *testutil.Server, token, method, path string, body any) answer {
	t.Helper()
	var hdr []string
	if token != "" {
		hdr = []string{"Authorization", "Bearer " + token}
	}
	return call(t, nil, method, srv.URL+"/api/v1"+path, body, hdr...)
}

// post submits a form the way a browser on the server's own pages does (same origin).
func post(t testing.TB, srv *testutil.Server, c *http.Client, path string, form url.Values) answer {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return call(t, c, http.MethodPost, srv.URL+path, form, "Origin", srv.URL, "Sec-Fetch-Site", "same-origin")
}

// token creates an API token for the member of org with role.
func token(t testing.TB, srv *testutil.Server, org testutil.Org, role string) string {
	t.Helper()
	secret, _, err := srv.Svc.CreateToken(org.Ctx(role), "test "+role)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// decode parses a JSON answer into v, failing on anything else.
func decode(t testing.TB, a answer, v any) {
	t.Helper()
	if err := json.Unmarshal(a.Body, v); err != nil {
		t.Fatalf("answer %d is not JSON (%v): %s", a.Status, err, a)
	}
}

// want fails unless the answer has the status.
func want(t testing.TB, a answer, status int, what string) {
	t.Helper()
	if a.Status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, a.Status, status, a)
	}
}

// problem is an application/problem+json answer.
type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// wantProblem fails unless the answer is a problem+json error with status, and returns it.
func wantProblem(t testing.TB, a answer, status int, what string) problem {
	t.Helper()
	want(t, a, status, what)
	if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("%s: Content-Type %q, want application/problem+json: %s", what, ct, a)
	}
	var p problem
	decode(t, a, &p)
	if p.Status != status || p.Title == "" || p.Detail == "" {
		t.Fatalf("%s: problem without status %d, title and detail: %s", what, status, a)
	}
	return p
}

func TestHealthz(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	a := call(t, nil, http.MethodGet, srv.URL+"/healthz", nil)
	want(t, a, http.StatusOK, "healthz")
	if a.String() != "ok" {
		t.Fatalf("healthz body %q, want ok", a)
	}
	if err := srv.DB.Close(); err != nil {
		t.Fatal(err)
	}
	a = call(t, nil, http.MethodGet, srv.URL+"/healthz", nil)
	want(t, a, http.StatusServiceUnavailable, "healthz with the database closed")
}

func TestOpenAPIServed(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	a := call(t, nil, http.MethodGet, srv.URL+"/api/v1/openapi.json", nil) // public: no credentials
	want(t, a, http.StatusOK, "openapi.json")
	if ct := a.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Fatalf("openapi.json Content-Type %q", ct)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Info    struct{ Title, Version string }       `json:"info"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	decode(t, a, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version != "test" {
		t.Fatalf("info %+v", doc.Info)
	}
	ops := map[string]bool{}
	for _, item := range doc.Paths {
		for _, raw := range item {
			var o struct {
				OperationID string `json:"operationId"`
			}
			if json.Unmarshal(raw, &o) == nil && o.OperationID != "" {
				ops[o.OperationID] = true
			}
		}
	}
	for _, id := range []string{"get-me", "list-members", "create-invitation", "list-invitations", "revoke-invitation", "accept-invitation", "update-member", "remove-member", "list-tokens",
		"create-token", "revoke-token", "list-people", "get-person", "add-person", "update-person", "list-audit-events",
		"list-controls", "get-control"} {
		if !ops[id] {
			t.Errorf("openapi.json lacks operation %s", id)
		}
	}
}

// TestSecurityHeaders checks the headers on a page, an API answer, an API error and a static file.
func TestSecurityHeaders(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok := token(t, srv, org, "viewer")
	answers := map[string]answer{
		"login page":  call(t, nil, http.MethodGet, srv.URL+"/login", nil),
		"API answer":  api(t, srv, tok, http.MethodGet, "/people", nil),
		"API error":   api(t, srv, "", http.MethodGet, "/people", nil),
		"static file": call(t, nil, http.MethodGet, srv.URL+"/static/app.css", nil),
		"healthz":     call(t, nil, http.MethodGet, srv.URL+"/healthz", nil),
	}
	for what, a := range answers {
		if a.Status >= 500 {
			t.Fatalf("%s: status %d", what, a.Status)
		}
		csp := directives(a.Header.Get("Content-Security-Policy"))
		if csp == nil {
			t.Errorf("%s: no Content-Security-Policy", what)
			continue
		}
		script, ok := csp["script-src"]
		if !ok {
			script = csp["default-src"]
		}
		if len(script) == 0 || slices.Contains(script, "'unsafe-inline'") || slices.Contains(script, "'unsafe-eval'") || slices.Contains(script, "*") {
			t.Errorf("%s: script-src %q must name sources and allow no inline or eval", what, script)
		}
		if fa := csp["frame-ancestors"]; !slices.Equal(fa, []string{"'none'"}) {
			t.Errorf("%s: frame-ancestors %q, want 'none'", what, fa)
		}
		if got := a.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", what, got)
		}
		switch rp := a.Header.Get("Referrer-Policy"); rp {
		case "same-origin", "no-referrer", "strict-origin", "strict-origin-when-cross-origin":
		default:
			t.Errorf("%s: Referrer-Policy %q", what, rp)
		}
		if a.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", what)
		}
		if a.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain HTTP on loopback", what)
		}
	}
}

// directives parses a Content-Security-Policy into directive -> sources.
func directives(csp string) map[string][]string {
	if csp == "" {
		return nil
	}
	out := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[strings.ToLower(f[0])] = f[1:]
		}
	}
	return out
}

// loginAnswer posts the login form and returns the raw answer (srv.Login checks the status for you instead).
func loginAnswer(t testing.TB, srv *testutil.Server, email, password string, hdr ...string) answer {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	return call(t, nil, http.MethodPost, srv.URL+"/login", form, append([]string{"Origin", srv.URL}, hdr...)...)
}

func TestSessionCookie(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	email := "editor@acme.example"

	a := loginAnswer(t, srv, email, testutil.Password)
	want(t, a, http.StatusSeeOther, "login")
	c := a.Cookie(web.SessionCookie)
	if c == nil || len(c.Value) < 32 {
		t.Fatalf("login set no usable session cookie: %v", a.Header["Set-Cookie"])
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Fatalf("session cookie %q: want HttpOnly, SameSite=Lax, Path=/ and not Secure on loopback HTTP", a.Header["Set-Cookie"])
	}
	if c.Domain != "" {
		t.Fatalf("session cookie has Domain %q: it must stay host-only", c.Domain)
	}

	// Every login opens a new session, and a cookie planted before login (session fixation) is not reused.
	b := loginAnswer(t, srv, email, testutil.Password, "Cookie", web.SessionCookie+"="+c.Value)
	want(t, b, http.StatusSeeOther, "second login")
	if c2 := b.Cookie(web.SessionCookie); c2 == nil || c2.Value == "" || c2.Value == c.Value {
		t.Fatalf("second login kept the session value: %v", b.Header["Set-Cookie"])
	}
	planted := "attacker-chosen-session-value-0123456789abcdef"
	f := loginAnswer(t, srv, email, testutil.Password, "Cookie", web.SessionCookie+"="+planted)
	want(t, f, http.StatusSeeOther, "login with a planted cookie")
	if c3 := f.Cookie(web.SessionCookie); c3 == nil || c3.Value == "" || c3.Value == planted {
		t.Fatalf("login with a planted cookie kept it: %v", f.Header["Set-Cookie"])
	}

	// The first session still works on its own (both are valid until logout).
	me := call(t, nil, http.MethodGet, srv.URL+"/api/v1/me", nil, "Cookie", web.SessionCookie+"="+c.Value)
	want(t, me, http.StatusOK, "API with the first session")
}

func TestSecureCookies(t *testing.T) {
	db := testutil.NewDB(t, sqldb.SQLite)
	svc := testutil.NewService(t, db, testutil.NewClock())
	testutil.NewOrg(t, svc, "Acme")
	ts := httptest.NewServer(httpserver.Handler(svc, httpserver.Config{Version: "test", SecureCookies: true}))
	defer ts.Close()
	form := url.Values{"email": {"viewer@acme.example"}, "password": {testutil.Password}}
	a := call(t, nil, http.MethodPost, ts.URL+"/login", form, "Origin", ts.URL)
	want(t, a, http.StatusSeeOther, "login")
	c := a.Cookie(web.SessionCookie)
	if c == nil || c.Value == "" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Fatalf("with SecureCookies the session cookie must be Secure, HttpOnly, SameSite=Lax, Path=/: %q", a.Header["Set-Cookie"])
	}
	if hsts := a.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Fatalf("with SecureCookies HSTS is expected, got %q", hsts)
	}
	// The logout's clearing cookie is Secure too (a browser ignores a non-Secure cookie that would replace a Secure one).
	out := call(t, nil, http.MethodPost, ts.URL+"/logout", url.Values{}, "Origin", ts.URL, "Cookie", web.SessionCookie+"="+c.Value)
	want(t, out, http.StatusSeeOther, "logout")
	if cl := out.Cookie(web.SessionCookie); cl == nil || cl.MaxAge >= 0 || !cl.Secure {
		t.Fatalf("logout must clear the cookie with a Secure Set-Cookie: %q", out.Header["Set-Cookie"])
	}
}

func TestLogoutInvalidatesSession(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	a := loginAnswer(t, srv, "admin@acme.example", testutil.Password)
	want(t, a, http.StatusSeeOther, "login")
	old := web.SessionCookie + "=" + a.Cookie(web.SessionCookie).Value

	want(t, call(t, nil, http.MethodGet, srv.URL+"/", nil, "Cookie", old), http.StatusOK, "dashboard before logout")
	want(t, call(t, nil, http.MethodGet, srv.URL+"/api/v1/me", nil, "Cookie", old), http.StatusOK, "API before logout")

	out := call(t, nil, http.MethodPost, srv.URL+"/logout", url.Values{}, "Origin", srv.URL, "Cookie", old)
	want(t, out, http.StatusSeeOther, "logout")
	if c := out.Cookie(web.SessionCookie); c == nil || c.MaxAge >= 0 {
		t.Fatalf("logout did not clear the cookie: %q", out.Header["Set-Cookie"])
	}

	// The old value, replayed, is worth nothing.
	page := call(t, nil, http.MethodGet, srv.URL+"/", nil, "Cookie", old)
	want(t, page, http.StatusSeeOther, "dashboard after logout")
	if loc := page.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("dashboard after logout redirects to %q, want /login", loc)
	}
	if c := page.Cookie(web.SessionCookie); c == nil || c.MaxAge >= 0 {
		t.Fatalf("a dead session cookie should be cleared: %q", page.Header["Set-Cookie"])
	}
	wantProblem(t, call(t, nil, http.MethodGet, srv.URL+"/api/v1/me", nil, "Cookie", old), http.StatusUnauthorized, "API after logout")
	wantProblem(t, call(t, nil, http.MethodGet, srv.URL+"/api/v1/people", nil, "Cookie", old), http.StatusUnauthorized, "API list after logout")
	form := url.Values{"name": {"Replayed"}}
	p := call(t, nil, http.MethodPost, srv.URL+"/settings/tokens", form, "Origin", srv.URL, "Cookie", old)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Fatalf("a form posted with a dead session: status %d Location %q, want a redirect to /login", p.Status, p.Header.Get("Location"))
	}
}

// TestCrossOriginRejected checks that a browser request from another site cannot act with the victim's
// session (CSRF), while a script with a bearer token and no Origin can.
func TestCrossOriginRejected(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	owner := srv.Login(t, "owner@acme.example", testutil.Password)
	ctx := org.Ctx("owner")
	members := func() int {
		l, err := srv.Svc.ListMembers(ctx, service.Page{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		return l.Total
	}
	people := func() int {
		l, err := srv.Svc.ListPeople(ctx, service.PersonFilter{}, service.Page{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		return l.Total
	}
	nMembers, nPeople := members(), people()

	for _, hostile := range [][]string{
		{"Origin", "http://evil.example"},
		{"Sec-Fetch-Site", "cross-site"},
		{"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"},
	} {
		what := strings.Join(hostile, " ")
		// Login CSRF: the attacker's form would log the victim into the attacker's account.
		l := call(t, nil, http.MethodPost, srv.URL+"/login", url.Values{"email": {"viewer@acme.example"}, "password": {testutil.Password}}, hostile...)
		want(t, l, http.StatusForbidden, "cross-origin login, "+what)
		if c := l.Cookie(web.SessionCookie); c != nil && c.Value != "" {
			t.Fatalf("cross-origin login set a session (%s)", what)
		}
		m := call(t, owner, http.MethodPost, srv.URL+"/members", url.Values{"email": {"mallory@evil.example"}, "role": {"owner"}}, hostile...)
		want(t, m, http.StatusForbidden, "cross-origin POST /members, "+what)
		p := call(t, owner, http.MethodPost, srv.URL+"/api/v1/people", service.PersonInput{Name: "Mallory"}, hostile...)
		want(t, p, http.StatusForbidden, "cross-origin API POST with the session, "+what)
		tk := call(t, owner, http.MethodPost, srv.URL+"/api/v1/tokens", map[string]string{"name": "stolen"}, hostile...)
		want(t, tk, http.StatusForbidden, "cross-origin API token creation, "+what)
	}
	if members() != nMembers || people() != nPeople {
		t.Fatalf("cross-origin requests changed data: members %d -> %d, people %d -> %d", nMembers, members(), nPeople, people())
	}
	tokens, err := srv.Svc.ListTokens(ctx, service.Page{Limit: 500})
	if err != nil || tokens.Total != 0 {
		t.Fatalf("cross-origin requests created tokens: %v %v", tokens.Items, err)
	}

	// The same origin works with the session, and a script with a bearer token and no Origin works too.
	same := call(t, owner, http.MethodPost, srv.URL+"/api/v1/people", service.PersonInput{Name: "Same Origin"}, "Origin", srv.URL)
	want(t, same, http.StatusCreated, "same-origin API POST with the session")
	a := api(t, srv, token(t, srv, org, "editor"), http.MethodPost, "/people", service.PersonInput{Name: "Scripted"})
	want(t, a, http.StatusCreated, "API POST with a bearer token and no Origin")
	if people() != nPeople+2 {
		t.Fatalf("people %d, want %d", people(), nPeople+2)
	}
}

func TestLoginRateLimit(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	email := "auditor@acme.example"
	for i := range 3 {
		a := loginAnswer(t, srv, email, "wrong password number "+string(rune('a'+i)))
		want(t, a, http.StatusUnauthorized, "wrong password")
		if c := a.Cookie(web.SessionCookie); c != nil && c.Value != "" {
			t.Fatal("a wrong password opened a session")
		}
	}
	a := loginAnswer(t, srv, email, testutil.Password)
	want(t, a, http.StatusTooManyRequests, "right password at once after 3 wrong ones")
	if ra := a.Header.Get("Retry-After"); ra != "1" {
		t.Fatalf("Retry-After %q, want the account's 1-second delay", ra)
	}
	if c := a.Cookie(web.SessionCookie); c != nil && c.Value != "" {
		t.Fatal("a blocked login opened a session")
	}
	if !strings.Contains(strings.ToLower(string(a.Body)), "too many") {
		t.Fatalf("the 429 page does not say why: %.600s", a)
	}
	if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("429 Content-Type %q, want the login page", ct)
	}
	// Another account is not locked by this one's failures.
	want(t, loginAnswer(t, srv, "viewer@acme.example", testutil.Password), http.StatusSeeOther, "another account's login")
}

// TestLoginRateLimitPerAddress: one address that sprays wrong passwords over many accounts is stopped, even
// for an account it never tried.
func TestLoginRateLimitPerAddress(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	for i := range 20 {
		a := loginAnswer(t, srv, fmt.Sprintf("guess%d@acme.example", i), "wrong password")
		want(t, a, http.StatusUnauthorized, "a guess")
	}
	a := loginAnswer(t, srv, "viewer@acme.example", testutil.Password)
	want(t, a, http.StatusTooManyRequests, "the right password from the spraying address")
	if c := a.Cookie(web.SessionCookie); c != nil && c.Value != "" {
		t.Fatal("a blocked address opened a session")
	}
}

// TestTrustedProxy: behind a trusted reverse proxy the login limit counts the client named by X-Forwarded-For,
// so one sprayer does not lock out everyone behind the proxy; without the setting the header is ignored, as
// anyone can send it.
func TestTrustedProxy(t *testing.T) {
	proxies, err := httpserver.ParseProxies("10.0.0.0/8, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := httpserver.ParseProxies("10.0.0.0/33"); err == nil {
		t.Fatal("a bad prefix was accepted")
	}
	spray := func(srv *testutil.Server) {
		for i := range 20 {
			// The sprayer forges a left-most entry each time; the proxy appends the address it saw.
			xff := fmt.Sprintf("203.0.113.%d, 198.51.100.66", i)
			want(t, loginAnswer(t, srv, fmt.Sprintf("guess%d@acme.example", i), "wrong password", "X-Forwarded-For", xff), http.StatusUnauthorized, "a guess")
		}
	}
	behind := testutil.StartServerWith(t, testutil.NewSQLite(t), httpserver.Config{TrustedProxies: proxies})
	testutil.NewOrg(t, behind.Svc, "Acme")
	spray(behind)
	want(t, loginAnswer(t, behind, "viewer@acme.example", testutil.Password, "X-Forwarded-For", "198.51.100.66"), http.StatusTooManyRequests, "the sprayer behind the proxy")
	want(t, loginAnswer(t, behind, "viewer@acme.example", testutil.Password, "X-Forwarded-For", "198.51.100.7, 10.1.2.3"), http.StatusSeeOther, "another client behind the proxy")

	direct := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, direct.Svc, "Acme")
	spray(direct)
	want(t, loginAnswer(t, direct, "viewer@acme.example", testutil.Password, "X-Forwarded-For", "198.51.100.7"), http.StatusTooManyRequests, "a forged header without a trusted proxy")
}

func TestProblemJSON(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	editor := token(t, srv, org, "editor")

	t.Run("validation lists every field", func(t *testing.T) {
		a := api(t, srv, editor, http.MethodPost, "/people", map[string]any{"name": "", "email": "not an email", "start_date": "tomorrow"})
		p := wantProblem(t, a, http.StatusUnprocessableEntity, "invalid person")
		got := map[string]bool{}
		for _, e := range p.Errors {
			if e.Message == "" {
				t.Errorf("field error without a message: %+v", e)
			}
			got[strings.TrimPrefix(e.Location, "body.")] = true
		}
		for _, f := range []string{"name", "email", "start_date"} {
			if !got[f] {
				t.Errorf("422 lacks the error of %s: %s", f, a)
			}
		}
		l, err := srv.Svc.ListPeople(org.Ctx("owner"), service.PersonFilter{}, service.Page{})
		if err != nil || l.Total != 0 {
			t.Fatalf("an invalid person was stored: %v %v", l.Items, err)
		}
	})

	t.Run("malformed JSON", func(t *testing.T) {
		a := api(t, srv, editor, http.MethodPost, "/people", `{"name": `)
		if a.Status != http.StatusBadRequest && a.Status != http.StatusUnprocessableEntity {
			t.Fatalf("malformed JSON: status %d", a.Status)
		}
		wantProblem(t, a, a.Status, "malformed JSON")
	})

	t.Run("401", func(t *testing.T) {
		wantProblem(t, api(t, srv, "", http.MethodGet, "/people", nil), http.StatusUnauthorized, "no credentials")
		wantProblem(t, api(t, srv, "", http.MethodPost, "/people", service.PersonInput{Name: "X"}), http.StatusUnauthorized, "no credentials, POST")
		wantProblem(t, api(t, srv, "prx_not-a-real-token", http.MethodGet, "/people", nil), http.StatusUnauthorized, "unknown token")
		wantProblem(t, api(t, srv, "garbage", http.MethodGet, "/people", nil), http.StatusUnauthorized, "not a token")
		wantProblem(t, api(t, srv, editor+"x", http.MethodGet, "/people", nil), http.StatusUnauthorized, "altered token")
		basic := call(t, nil, http.MethodGet, srv.URL+"/api/v1/people", nil, "Authorization", "Basic "+editor)
		wantProblem(t, basic, http.StatusUnauthorized, "Basic instead of Bearer")

		secret, tk, err := srv.Svc.CreateToken(org.Ctx("viewer"), "short-lived")
		if err != nil {
			t.Fatal(err)
		}
		want(t, api(t, srv, secret, http.MethodGet, "/people", nil), http.StatusOK, "token before revocation")
		want(t, api(t, srv, secret, http.MethodDelete, "/tokens/"+tk.ID, nil), http.StatusNoContent, "revoke own token")
		wantProblem(t, api(t, srv, secret, http.MethodGet, "/people", nil), http.StatusUnauthorized, "revoked token")

		// A removed member's token stops working at once.
		gone, _, err := srv.Svc.CreateToken(org.Ctx("auditor"), "leaver")
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Svc.RemoveMember(org.Ctx("owner"), org.Actors["auditor"].UserID); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, api(t, srv, gone, http.MethodGet, "/people", nil), http.StatusUnauthorized, "token of a removed member")
	})

	t.Run("409 stale version changes nothing", func(t *testing.T) {
		created := api(t, srv, editor, http.MethodPost, "/people", service.PersonInput{Name: "Ada Lovelace", Email: "ada@acme.example"})
		want(t, created, http.StatusCreated, "add person")
		var p isms.Person
		decode(t, created, &p)
		if p.Version != 1 || p.Ref == "" {
			t.Fatalf("new person %+v", p)
		}
		upd := api(t, srv, editor, http.MethodPut, "/people/"+p.Ref, service.PersonInput{Name: "Ada King", Email: p.Email, Version: 1})
		want(t, upd, http.StatusOK, "update with the current version")
		stale := api(t, srv, editor, http.MethodPut, "/people/"+p.Ref, service.PersonInput{Name: "Ada Byron", Email: "byron@acme.example", Version: 1})
		wantProblem(t, stale, http.StatusConflict, "update with a stale version")
		// A client that forgets the version is told so, rather than that someone else changed the record.
		for path, body := range map[string]any{
			"/people/" + p.Ref: map[string]any{"name": "Ada Byron"},
			"/risks/R-001":     map[string]any{"title": "No version", "likelihood": 1, "impact": 1, "treatment": "retain"},
		} {
			if path == "/risks/R-001" {
				want(t, api(t, srv, editor, http.MethodPost, "/risks", service.RiskInput{Title: "Versioned", Likelihood: 1, Impact: 1, Treatment: "retain"}), http.StatusCreated, "add risk")
			}
			missing := wantProblem(t, api(t, srv, editor, http.MethodPut, path, body), http.StatusUnprocessableEntity, "PUT "+path+" without a version")
			if len(missing.Errors) != 1 || missing.Errors[0].Location != "body.version" {
				t.Fatalf("PUT %s without a version: %+v, want one error at body.version", path, missing)
			}
		}
		var now isms.Person
		got := api(t, srv, editor, http.MethodGet, "/people/"+p.Ref, nil)
		want(t, got, http.StatusOK, "get person")
		decode(t, got, &now)
		if now.Name != "Ada King" || now.Email != "ada@acme.example" || now.Version != 2 {
			t.Fatalf("after a stale update the person is %+v, want Ada King version 2", now)
		}
		events, err := srv.Svc.ListAudit(org.Ctx("owner"), service.AuditFilter{Ref: p.Ref, Entity: "person"}, service.Page{})
		if err != nil || events.Total != 2 {
			t.Fatalf("audit events of %s: %d (%v), want create and one update", p.Ref, events.Total, err)
		}
	})

	t.Run("404", func(t *testing.T) {
		owner := token(t, srv, org, "owner")
		unknown := "01890000-0000-7000-8000-000000000000"
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, "/people/P-999", nil},
			{http.MethodGet, "/people/" + unknown, nil},
			{http.MethodPut, "/people/P-999", service.PersonInput{Name: "Nobody", Version: 1}},
			{http.MethodPatch, "/members/" + unknown, service.UpdateMemberInput{Role: isms.RoleViewer, Version: 1}},
			{http.MethodDelete, "/members/" + unknown, nil},
			{http.MethodDelete, "/tokens/" + unknown, nil},
			{http.MethodGet, "/catalog/controls/9.99", nil},
			{http.MethodGet, "/catalog/clauses/99", nil},
			{http.MethodGet, "/catalog/controls-2013/A.99.1", nil},
		} {
			wantProblem(t, api(t, srv, owner, c.method, c.path, c.body), http.StatusNotFound, c.method+" "+c.path)
		}
		wantProblem(t, api(t, srv, owner, http.MethodGet, "/no-such-thing", nil), http.StatusNotFound, "unknown API path")
		wantProblem(t, api(t, srv, "", http.MethodGet, "/no-such-thing", nil), http.StatusNotFound, "unknown API path without credentials")
	})

	t.Run("405", func(t *testing.T) {
		a := api(t, srv, editor, http.MethodPatch, "/people", nil)
		wantProblem(t, a, http.StatusMethodNotAllowed, "PATCH on the people list")
		if allow := a.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Fatalf("405 Allow = %q, want GET and POST", allow)
		}
	})

	t.Run("429 says when to retry", func(t *testing.T) {
		for i := range 6 {
			a := loginAnswer(t, srv, "editor@acme.example", "wrong password "+string(rune('a'+i)))
			if a.Status == http.StatusTooManyRequests {
				if a.Header.Get("Retry-After") != "1" { // the account's first delay
					t.Fatalf("429 Retry-After = %q, want 1 second", a.Header.Get("Retry-After"))
				}
				return
			}
		}
		t.Fatal("six wrong passwords were never refused with 429")
	})
}

// TestOtherAuthorizationSchemes: a proxy in front of praxis may add its own Basic authentication; pages then
// go on working with the session, while the API still insists on a bearer token.
func TestOtherAuthorizationSchemes(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	c := srv.Login(t, "viewer@acme.example", testutil.Password)
	basic := []string{"Authorization", "Basic dXNlcjpwYXNz"}
	want(t, call(t, nil, http.MethodGet, srv.URL+"/login", nil, basic...), http.StatusOK, "login page behind Basic authentication")
	a := call(t, c, http.MethodGet, srv.URL+"/people", nil, basic...)
	want(t, a, http.StatusOK, "people page with a session behind Basic authentication")
	wantProblem(t, call(t, c, http.MethodGet, srv.URL+"/api/v1/people", nil, basic...), http.StatusUnauthorized, "API with Basic")
	lower := call(t, nil, http.MethodGet, srv.URL+"/api/v1/people", nil, "Authorization", "bearer "+token(t, srv, testutil.NewOrg(t, srv.Svc, "Beta"), "viewer"))
	want(t, lower, http.StatusOK, "the bearer scheme in lower case")
}

// TestDatabaseOutageKeepsSessions: while the database does not answer, a logged-in browser gets 503 and keeps
// its session cookie; once the database is back the same session works. healthz says 503 meanwhile.
func TestDatabaseOutageKeepsSessions(t *testing.T) {
	db := testutil.NewPostgres(t) // a database of its own that the test can take away and give back
	srv := testutil.StartServerOn(t, db)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	c := srv.Login(t, "viewer@acme.example", testutil.Password)
	tok := token(t, srv, org, "viewer")
	want(t, call(t, c, http.MethodGet, srv.URL+"/people", nil), http.StatusOK, "people page before the outage")

	testutil.BlockDatabase(t, db, true)
	want(t, call(t, nil, http.MethodGet, srv.URL+"/healthz", nil), http.StatusServiceUnavailable, "healthz during the outage")
	page := call(t, c, http.MethodGet, srv.URL+"/people", nil)
	want(t, page, http.StatusServiceUnavailable, "page during the outage")
	if ck := page.Cookie(web.SessionCookie); ck != nil {
		t.Fatalf("the outage touched the session cookie: %+v", ck)
	}
	wantProblem(t, call(t, c, http.MethodGet, srv.URL+"/api/v1/people", nil), http.StatusServiceUnavailable, "API with a session during the outage")
	wantProblem(t, api(t, srv, tok, http.MethodGet, "/people", nil), http.StatusServiceUnavailable, "API with a token during the outage")

	testutil.BlockDatabase(t, db, false)
	want(t, call(t, c, http.MethodGet, srv.URL+"/people", nil), http.StatusOK, "the same session after the outage")
}

// TestPasswordChangeEndsOtherSessions checks that a password change logs out the member's other browsers.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	email := "viewer@acme.example"
	laptop := srv.Login(t, email, testutil.Password)
	phone := srv.Login(t, email, testutil.Password)
	next := "a brand new passphrase here"
	a := post(t, srv, laptop, "/password", url.Values{"current_password": {testutil.Password}, "new_password": {next}, "confirm_password": {next}})
	want(t, a, http.StatusSeeOther, "change password")
	want(t, call(t, laptop, http.MethodGet, srv.URL+"/api/v1/me", nil), http.StatusOK, "the session that changed the password")
	wantProblem(t, call(t, phone, http.MethodGet, srv.URL+"/api/v1/me", nil), http.StatusUnauthorized, "another session after a password change")
	want(t, loginAnswer(t, srv, email, testutil.Password), http.StatusUnauthorized, "login with the old password")
	srv.Login(t, email, next)
}
