package httpserver_test

import (
	"net/http"
	"net/url"
	"testing"

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
