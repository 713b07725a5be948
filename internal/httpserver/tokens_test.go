package httpserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A read-only token reads and changes nothing; a token stops at its expiry with a 401 that says when.
func TestAPITokenScopeAndExpiry(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			editor := token(t, srv, org, "editor")
			created := srv.Clock.Now()

			bad := wantProblem(t, api(t, srv, editor, http.MethodPost, "/tokens", map[string]any{"name": "forever", "expires_in_days": 3650}),
				http.StatusUnprocessableEntity, "a ten-year token")
			if len(bad.Errors) != 1 || !strings.Contains(bad.Errors[0].Location, "expires_in_days") {
				t.Fatalf("ten-year token: %+v", bad)
			}
			made := api(t, srv, editor, http.MethodPost, "/tokens", map[string]any{"name": "dashboard", "scope": "read", "expires_in_days": 30})
			want(t, made, http.StatusCreated, "create a read token")
			var rt struct {
				Token  string        `json:"token"`
				Detail isms.APIToken `json:"detail"`
			}
			decode(t, made, &rt)
			if rt.Detail.Scope != isms.ScopeRead || !rt.Detail.ExpiresAt.Equal(created.AddDate(0, 0, 30)) {
				t.Fatalf("read token: %+v", rt.Detail)
			}
			reader := rt.Token

			want(t, api(t, srv, editor, http.MethodPost, "/people", service.PersonInput{Name: "Ada Lovelace"}), http.StatusCreated, "add person")
			var people service.List[isms.Person]
			got := api(t, srv, reader, http.MethodGet, "/people", nil)
			want(t, got, http.StatusOK, "read token lists people")
			decode(t, got, &people)
			if len(people.Items) != 1 {
				t.Fatalf("people: %+v", people.Items)
			}
			p := people.Items[0]
			for _, c := range []struct {
				method, path string
				body         any
			}{
				{http.MethodPost, "/people", service.PersonInput{Name: "Eve"}},
				{http.MethodPut, "/people/" + p.Ref, service.PersonInput{Name: "Ada King", Version: p.Version}},
				{http.MethodPost, "/tokens", map[string]any{"name": "escalate"}},
				{http.MethodDelete, "/tokens/" + rt.Detail.ID, nil},
			} {
				refused := wantProblem(t, api(t, srv, reader, c.method, c.path, c.body), http.StatusForbidden, "read token "+c.method+" "+c.path)
				if refused.Detail != "this API token is read-only" {
					t.Fatalf("%s %s: %+v", c.method, c.path, refused)
				}
			}
			got = api(t, srv, editor, http.MethodGet, "/people", nil)
			decode(t, got, &people)
			if len(people.Items) != 1 || people.Items[0].Name != "Ada Lovelace" || people.Items[0].Version != p.Version {
				t.Fatalf("a read token changed people: %+v", people.Items)
			}

			var tokens service.List[isms.APIToken]
			got = api(t, srv, reader, http.MethodGet, "/tokens", nil)
			want(t, got, http.StatusOK, "read token lists tokens")
			decode(t, got, &tokens)
			if tokens.Total != 2 {
				t.Fatalf("tokens after refused changes: %+v", tokens.Items)
			}

			srv.Clock.Advance(30 * 24 * time.Hour)
			expired := wantProblem(t, api(t, srv, reader, http.MethodGet, "/people", nil), http.StatusUnauthorized, "expired token")
			if want := "this API token expired on " + created.AddDate(0, 0, 30).Format(time.DateOnly); expired.Detail != want {
				t.Fatalf("expired token: %q, want %q", expired.Detail, want)
			}

			// The page lists scope, expiry and status.
			c := srv.Login(t, org.Actors["editor"].Email, testutil.Password)
			page := call(t, c, http.MethodGet, srv.URL+"/settings/tokens", nil)
			want(t, page, http.StatusOK, "tokens page")
			for _, s := range []string{"read only", "expired", created.AddDate(0, 0, 30).Format("2006-01-02 15:04 UTC"), `name="expires_in_days"`} {
				if !strings.Contains(page.String(), s) {
					t.Fatalf("tokens page lacks %q", s)
				}
			}
			form := post(t, srv, c, "/settings/tokens", url.Values{"name": {"nightly"}, "scope": {"read"}, "expires_in_days": {"365"}})
			want(t, form, http.StatusOK, "create a token on the page")
			got = api(t, srv, editor, http.MethodGet, "/tokens", nil)
			decode(t, got, &tokens)
			if tokens.Items[0].Name != "nightly" || tokens.Items[0].Scope != isms.ScopeRead || !tokens.Items[0].ExpiresAt.Equal(srv.Clock.Now().AddDate(0, 0, 365)) {
				t.Fatalf("token made on the page: %+v", tokens.Items[0])
			}
		})
	}
}
