package httpserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
	"github.com/praxis-isms/praxis/internal/web"
)

// TestTakeoverThroughInvitationsIsClosed replays the account takeover of issue 8 over HTTP. Before: a viewer
// created an organisation, "added" a stranger's address through POST /members and got a one-time password for
// it, or the name and id of an existing account. Now the viewer may not create an organisation, POST /members
// is gone, an invitation reveals nothing, and the invited person joins only by accepting, signed in as themselves.
func TestTakeoverThroughInvitationsIsClosed(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			a := testutil.NewOrg(t, srv.Svc, "Alpha")
			victim := a.Actors["editor"]

			// A viewer of A cannot create an organisation, in the API or the web UI, and is not offered to.
			viewer := srv.Login(t, a.Actors["viewer"].Email, testutil.Password)
			p := wantProblem(t, call(t, viewer, http.MethodPost, srv.URL+"/api/v1/organisations", map[string]string{"name": "Evil Ltd"},
				"Origin", srv.URL), http.StatusForbidden, "a viewer creating an organisation")
			if !strings.Contains(p.Detail, "org_creation") {
				t.Errorf("the refusal does not name the setting: %q", p.Detail)
			}
			want(t, post(t, srv, viewer, "/orgs", url.Values{"name": {"Evil Ltd"}}), http.StatusForbidden, "a viewer posting /orgs")
			page := call(t, viewer, http.MethodGet, srv.URL+"/orgs/new", nil)
			want(t, page, http.StatusForbidden, "a viewer's new organisation page")
			if strings.Contains(page.String(), `action="/orgs"`) || strings.Contains(page.String(), `href="/orgs/new"`) {
				t.Error("a viewer is offered to create an organisation")
			}
			if !strings.Contains(call(t, srv.Login(t, a.Actors["owner"].Email, testutil.Password), http.MethodGet, srv.URL+"/", nil).String(), `href="/orgs/new"`) {
				t.Error("an owner is not offered to create an organisation")
			}

			// The attacker owns B. POST /members no longer exists; an invitation names nobody.
			b := testutil.NewOrg(t, srv.Svc, "Bravo")
			bTok := token(t, srv, b, "owner")
			gone := api(t, srv, bTok, http.MethodPost, "/members", service.InviteInput{Email: victim.Email, Role: isms.RoleViewer})
			if gone.Status != http.StatusMethodNotAllowed && gone.Status != http.StatusNotFound {
				t.Fatalf("POST /members: status %d", gone.Status)
			}
			for _, email := range []string{victim.Email, "stranger@x.example"} {
				inv := api(t, srv, bTok, http.MethodPost, "/invitations", service.InviteInput{Email: email, Role: isms.RoleViewer})
				want(t, inv, http.StatusCreated, "invite "+email)
				for _, leak := range []string{victim.UserID, victim.Name, "password", "user_id"} {
					if strings.Contains(inv.String(), leak) {
						t.Errorf("the reply to inviting %s contains %q: %s", email, leak, inv)
					}
				}
				var created struct {
					Token    string `json:"token"`
					LinkPath string `json:"link_path"`
				}
				decode(t, inv, &created)
				if created.Token == "" || created.LinkPath != "/invite/"+created.Token {
					t.Fatalf("invitation reply: %s", inv)
				}
			}
			if _, err := srv.Svc.OperatorActor(t.Context(), b.Slug, "stranger@x.example"); err == nil {
				t.Fatal("inviting a stranger made them a member")
			}
			var inv struct {
				Token    string          `json:"token"`
				LinkPath string          `json:"link_path"`
				Detail   isms.Invitation `json:"invitation"`
			}
			decode(t, api(t, srv, bTok, http.MethodPost, "/invitations", service.InviteInput{Email: victim.Email, Role: isms.RoleAuditor}), &inv)

			// The accept page, opened by anyone holding the link, tells where it leads and nothing about the account.
			anon := srv.Client()
			page = call(t, anon, http.MethodGet, srv.URL+inv.LinkPath, nil)
			want(t, page, http.StatusOK, "the invitation page")
			for _, s := range []string{"Bravo", "auditor", "/login?next=/invite/" + inv.Token} {
				if !strings.Contains(page.String(), s) {
					t.Errorf("the invitation page lacks %q", s)
				}
			}
			for _, leak := range []string{victim.Email, victim.Name, victim.UserID} {
				if strings.Contains(page.String(), leak) {
					t.Errorf("the invitation page shows %q", leak)
				}
			}
			// The link holder claims the victim's address: refused, no session, the account unchanged.
			claim := post(t, srv, anon, inv.LinkPath, url.Values{"name": {"Mallory"}, "email": {victim.Email},
				"password": {"mallory's password"}, "confirm_password": {"mallory's password"}})
			want(t, claim, http.StatusConflict, "claiming an existing address")
			if !strings.Contains(claim.String(), "sign in with your account first") || claim.Cookie(web.SessionCookie) != nil {
				t.Fatalf("claiming an existing address: %.300s", claim)
			}
			srv.Login(t, victim.Email, testutil.Password)
			members := api(t, srv, bTok, http.MethodGet, "/members?limit=500", nil)
			if strings.Contains(members.String(), victim.Email) {
				t.Fatal("the victim is a member of B without accepting")
			}

			// An API token may not accept; the victim, signed in, may, and then works in B.
			wantProblem(t, api(t, srv, token(t, srv, a, "editor"), http.MethodPost, "/invitations/accept", map[string]string{"token": inv.Token}),
				http.StatusForbidden, "accepting with an API token")
			vs := srv.Login(t, victim.Email, testutil.Password)
			page = call(t, vs, http.MethodGet, srv.URL+inv.LinkPath, nil)
			if !strings.Contains(page.String(), "Join Bravo as auditor") {
				t.Fatalf("the signed-in invitation page: %.500s", page)
			}
			done := post(t, srv, vs, inv.LinkPath, nil)
			want(t, done, http.StatusSeeOther, "accepting signed in")
			var me struct {
				Actor service.Actor `json:"actor"`
			}
			decode(t, call(t, vs, http.MethodGet, srv.URL+"/api/v1/me", nil), &me)
			if me.Actor.OrgSlug != b.Slug || me.Actor.Role != isms.RoleAuditor {
				t.Fatalf("after accepting the session works as %+v", me.Actor)
			}
			// The link is spent.
			page = call(t, anon, http.MethodGet, srv.URL+inv.LinkPath, nil)
			want(t, page, http.StatusNotFound, "a used invitation's page")
			if !strings.Contains(page.String(), "not valid") {
				t.Errorf("a used invitation's page: %.300s", page)
			}
		})
	}
}

// TestInvitationAPI covers the invitation routes: create, list without secrets, accept with the session, revoke.
func TestInvitationAPI(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	a := testutil.NewOrg(t, srv.Svc, "Alpha")
	b := testutil.NewOrg(t, srv.Svc, "Bravo")
	owner := token(t, srv, a, "owner")

	var created struct {
		Token      string          `json:"token"`
		Invitation isms.Invitation `json:"invitation"`
	}
	decode(t, api(t, srv, owner, http.MethodPost, "/invitations", service.InviteInput{Email: "guest@example.org", Role: isms.RoleViewer}), &created)
	p := wantProblem(t, api(t, srv, owner, http.MethodPost, "/invitations", service.InviteInput{Email: "not an email", Role: "boss"}),
		http.StatusUnprocessableEntity, "a bad invitation")
	if len(p.Errors) != 2 {
		t.Errorf("field errors: %+v", p.Errors)
	}
	wantProblem(t, api(t, srv, token(t, srv, a, "admin"), http.MethodPost, "/invitations",
		service.InviteInput{Email: "boss@example.org", Role: isms.RoleViewer, Approver: true}), http.StatusForbidden, "an admin inviting an approver")

	list := api(t, srv, token(t, srv, a, "auditor"), http.MethodGet, "/invitations?status=open", nil)
	want(t, list, http.StatusOK, "list open invitations")
	if !strings.Contains(list.String(), created.Invitation.ID) || strings.Contains(list.String(), created.Token) {
		t.Fatalf("open invitations: %s", list)
	}
	wantProblem(t, api(t, srv, owner, http.MethodGet, "/invitations?status=pending", nil), http.StatusUnprocessableEntity, "an unknown status")

	// B's admin can neither see nor revoke it.
	bAdmin := token(t, srv, b, "admin")
	if l := api(t, srv, bAdmin, http.MethodGet, "/invitations", nil); strings.Contains(l.String(), created.Invitation.ID) {
		t.Fatal("B lists A's invitation")
	}
	wantProblem(t, api(t, srv, bAdmin, http.MethodDelete, "/invitations/"+created.Invitation.ID, nil), http.StatusNotFound, "B revoking A's invitation")

	// A member of B accepts through the API with their browser session.
	c := srv.Login(t, b.Actors["viewer"].Email, testutil.Password)
	acc := call(t, c, http.MethodPost, srv.URL+"/api/v1/invitations/accept", map[string]string{"token": created.Token}, "Origin", srv.URL)
	want(t, acc, http.StatusOK, "accept with the session")
	var joined service.Actor
	decode(t, acc, &joined)
	if joined.OrgSlug != a.Slug || joined.Role != isms.RoleViewer {
		t.Fatalf("joined as %+v", joined)
	}
	wantProblem(t, call(t, c, http.MethodPost, srv.URL+"/api/v1/invitations/accept", map[string]string{"token": created.Token}, "Origin", srv.URL),
		http.StatusNotFound, "accepting twice")
	wantProblem(t, api(t, srv, owner, http.MethodDelete, "/invitations/"+created.Invitation.ID, nil), http.StatusConflict, "revoking an accepted invitation")

	// Revoked: the link stops working.
	decode(t, api(t, srv, owner, http.MethodPost, "/invitations", service.InviteInput{Email: "late@example.org", Role: isms.RoleViewer}), &created)
	want(t, api(t, srv, owner, http.MethodDelete, "/invitations/"+created.Invitation.ID, nil), http.StatusNoContent, "revoke")
	want(t, call(t, nil, http.MethodGet, srv.URL+"/invite/"+created.Token, nil), http.StatusNotFound, "a revoked invitation's page")
}
