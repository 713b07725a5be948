package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// member finds a membership of the test organisation by email.
func member(t *testing.T, srv *testutil.Server, org testutil.Org, email string) (isms.Membership, bool) {
	t.Helper()
	l, err := srv.Svc.ListMembers(org.Ctx("owner"), service.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range l.Items {
		if m.Email == email {
			return m, true
		}
	}
	return isms.Membership{}, false
}

var invitationLink = regexp.MustCompile(`id="invitation-link" value="([^"]+)"`)

// invite creates an invitation on the members page as c and returns the link shown.
func invite(t *testing.T, srv *testutil.Server, c *http.Client, form url.Values) string {
	t.Helper()
	a := post(t, srv, c, "/members/invitations", form)
	expect(t, "invite", a, http.StatusOK, "Invitation for "+strings.ToLower(form.Get("email"))+" ("+form.Get("role")+") created")
	m := invitationLink.FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no invitation link on the answer\n%s", a.Body)
	}
	return m[1]
}

func TestInviteShowsTheLinkOnceAndANewAccountJoins(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	owner := c["owner"]

	link := invite(t, srv, owner, url.Values{"email": {"New.Person@Acme.example"}, "role": {"editor"}, "approver": {"on"}})
	if !strings.HasPrefix(link, srv.URL+"/invite/") {
		t.Fatalf("link %q is not an absolute link to this server", link)
	}
	path := strings.TrimPrefix(link, srv.URL)
	token := strings.TrimPrefix(path, "/invite/")

	// Shown once: the next view lists the open invitation, without the link.
	a := get(t, srv, owner, "/members")
	expect(t, "members after invite", a, http.StatusOK, "Open invitations", "<td>new.person@acme.example</td>", "Revoke")
	refuse(t, "members after invite", a, token, "invitation-link")
	if _, ok := member(t, srv, org, "new.person@acme.example"); ok {
		t.Fatal("an invitation made a member before anyone accepted")
	}

	// Someone without an account opens it, makes one with their own password and lands in the organisation.
	nc := srv.Client()
	a = get(t, srv, nc, path)
	expect(t, "invitation page", a, http.StatusOK, "Join Acme", "<strong>editor</strong> and approver", "Create your account",
		`href="/login?next=/invite/`+token+`"`)
	form := url.Values{"name": {"Nina New"}, "email": {"nina@elsewhere.example"}, "password": {"nina's own password"}, "confirm_password": {"something else"}}
	a = post(t, srv, nc, path, form)
	expect(t, "passwords differ", a, http.StatusUnprocessableEntity, "does not match the password", `value="Nina New"`)
	refuse(t, "passwords differ", a, "nina&#39;s own password")
	form.Set("confirm_password", "nina's own password")
	a = post(t, srv, nc, path, form)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/" {
		t.Fatalf("create account: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	expect(t, "home of the new member", get(t, srv, nc, "/"), http.StatusOK, "Welcome to Acme. You joined as editor.")
	if m, ok := member(t, srv, org, "nina@elsewhere.example"); !ok || m.Role != isms.RoleEditor || !m.Approver || m.Name != "Nina New" {
		t.Fatalf("membership %+v, %v", m, ok)
	}
	// Used: the link no longer works, and the list of open invitations is empty again.
	expect(t, "used link", get(t, srv, srv.Client(), path), http.StatusNotFound, "this invitation link is not valid")
	refuse(t, "members after acceptance", get(t, srv, owner, "/members"), "Open invitations")
}

func TestInviteExistingUserSignsInAndJoins(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	testutil.NewOrg(t, srv.Svc, "Beta") // owner@beta.example exists, with a password of their own
	path := strings.TrimPrefix(invite(t, srv, c["owner"], url.Values{"email": {"owner@beta.example"}, "role": {"auditor"}}), srv.URL)

	// Signing in from the invitation comes back to it.
	bc := srv.Client()
	a := post(t, srv, bc, "/login?next="+url.QueryEscape(path), url.Values{"email": {"owner@beta.example"}, "password": {testutil.Password}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != path {
		t.Fatalf("login from the invitation: status %d, Location %q", a.Status, a.Header.Get("Location"))
	}
	a = get(t, srv, bc, path)
	expect(t, "signed-in invitation page", a, http.StatusOK, "Join Acme as auditor", "signed in as owner@beta.example")
	refuse(t, "signed-in invitation page", a, "Create your account")
	a = post(t, srv, bc, path, nil)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/" {
		t.Fatalf("accept: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	expect(t, "after joining", get(t, srv, bc, "/"), http.StatusOK, "You joined Acme as auditor.")
	if m, ok := member(t, srv, org, "owner@beta.example"); !ok || m.Role != isms.RoleAuditor {
		t.Fatalf("membership %+v, %v", m, ok)
	}
	// A member already, with another invitation: a conflict shown on the page.
	path = strings.TrimPrefix(invite(t, srv, c["owner"], url.Values{"email": {"owner@beta.example"}, "role": {"viewer"}}), srv.URL)
	expect(t, "accept as a member", post(t, srv, bc, path, nil), http.StatusConflict, "you are a member of this organisation already")
}

func TestInvitationRevokeOnThePage(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "admin")
	path := strings.TrimPrefix(invite(t, srv, c["admin"], url.Values{"email": {"gone@acme.example"}, "role": {"viewer"}}), srv.URL)
	l, err := srv.Svc.ListInvitations(org.Ctx("owner"), isms.InvitationOpen, service.Page{})
	if err != nil || l.Total != 1 {
		t.Fatalf("open invitations: %+v, %v", l, err)
	}
	a := post(t, srv, c["admin"], "/members/invitations/"+l.Items[0].ID+"/revoke", nil)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/members" {
		t.Fatalf("revoke: status %d, Location %q", a.Status, a.Header.Get("Location"))
	}
	expect(t, "after revoke", get(t, srv, c["admin"], "/members"), http.StatusOK, "The invitation is revoked")
	expect(t, "revoked link", get(t, srv, srv.Client(), path), http.StatusNotFound, "this invitation link is not valid")
}

func TestMemberFormRoles(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "admin", "editor", "auditor", "viewer")
	form := url.Values{"email": {"someone@acme.example"}, "role": {"viewer"}}

	for _, role := range []string{"viewer", "editor", "auditor"} {
		a := post(t, srv, c[role], "/members/invitations", form)
		expect(t, role+" invites", a, http.StatusForbidden, "<h1>Not allowed</h1>")
	}
	if l, err := srv.Svc.ListInvitations(org.Ctx("owner"), "", service.Page{Limit: 500}); err != nil || l.Total != 5 {
		t.Fatalf("a refused invitation was created: %d invitations (NewOrg made 5), %v", l.Total, err)
	}
	viewer, _ := member(t, srv, org, "viewer@acme.example")
	a := post(t, srv, c["viewer"], "/members/"+viewer.UserID, url.Values{"role": {"owner"}, "version": {strconv.Itoa(viewer.Version)}})
	expect(t, "viewer promotes themself", a, http.StatusForbidden)
	a = post(t, srv, c["editor"], "/members/"+viewer.UserID+"/remove", nil)
	expect(t, "editor removes a member", a, http.StatusForbidden)

	// Viewers and editors do not see members; auditors see them without the forms.
	expect(t, "viewer lists members", get(t, srv, c["viewer"], "/members"), http.StatusForbidden)
	expect(t, "editor lists members", get(t, srv, c["editor"], "/members"), http.StatusForbidden)
	a = get(t, srv, c["auditor"], "/members")
	expect(t, "auditor lists members", a, http.StatusOK, "viewer@acme.example")
	refuse(t, "auditor lists members", a, `action="/members/`, "Invite someone")

	// Admins manage members but not owners nor the approver flag: no owner option, no form on an owner's
	// row, no approver checkbox.
	a = get(t, srv, c["admin"], "/members")
	expect(t, "admin lists members", a, http.StatusOK, `action="/members/invitations"`, "only owners change owners")
	refuse(t, "admin lists members", a, `<option value="owner"`, `type="checkbox" name="approver"`)
	owner, _ := member(t, srv, org, "owner@acme.example")
	a = post(t, srv, c["admin"], "/members/"+owner.UserID, url.Values{"role": {"viewer"}, "version": {strconv.Itoa(owner.Version)}})
	expect(t, "admin demotes the owner", a, http.StatusForbidden, "only owners may grant or take away ownership")
	a = post(t, srv, c["admin"], "/members/invitations", url.Values{"email": {"boss@acme.example"}, "role": {"owner"}})
	expect(t, "admin invites an owner", a, http.StatusForbidden, "only owners may invite owners")
	a = post(t, srv, c["admin"], "/members/"+viewer.UserID, url.Values{"role": {"viewer"}, "approver": {"on"}, "version": {strconv.Itoa(viewer.Version)}})
	expect(t, "admin grants the approver flag", a, http.StatusForbidden, "only owners may grant or remove the approver flag")

	// Owners see every form.
	a = get(t, srv, c["owner"], "/members")
	expect(t, "owner lists members", a, http.StatusOK, `action="/members/invitations"`, `type="checkbox" name="approver"`, `action="/members/`+viewer.UserID+`"`,
		`action="/members/`+viewer.UserID+`/remove"`, `data-confirm="Remove viewer@acme.example`, `<option value="owner"`)
}

func TestMemberFieldErrors(t *testing.T) {
	srv, _, c := startOrg(t, "owner")
	a := post(t, srv, c["owner"], "/members/invitations", url.Values{"email": {"not-an-email"}, "role": {"boss"}})
	expect(t, "bad invitation", a, http.StatusUnprocessableEntity, "Please correct the fields marked below.", `value="not-an-email"`)
	// Each error sits next to its own field: after the field, before the next one.
	order := []string{`id="email"`, "must be an email address", `id="role"`, "must be one of owner, admin, editor, auditor, viewer", `name="approver"`}
	at := -1
	form := a.Body[strings.Index(a.Body, `id="invite-member"`):]
	for _, s := range order {
		i := strings.Index(form, s)
		if i < 0 || i < at {
			t.Fatalf("%q missing or out of place in the add form\n%s", s, form)
		}
		at = i
	}
}

func TestMemberChangeAndStaleVersion(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	editor, _ := member(t, srv, org, "editor@acme.example")
	path := "/members/" + editor.UserID
	version := strconv.Itoa(editor.Version)

	a := post(t, srv, c["owner"], path, url.Values{"role": {"auditor"}, "approver": {"on"}, "version": {version}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/members" {
		t.Fatalf("change role: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	expect(t, "after change", get(t, srv, c["owner"], "/members"), http.StatusOK, "editor@acme.example is now auditor and an approver.")

	// The same form again carries the version read before the change: a conflict that changes nothing.
	a = post(t, srv, c["owner"], path, url.Values{"role": {"viewer"}, "version": {version}})
	expect(t, "stale change", a, http.StatusConflict, "member editor@acme.example was changed by someone else; reload it and apply your change again")
	// The row keeps what the user chose, and the form carries the current version for the next try.
	row := a.Body[strings.Index(a.Body, `action="`+path+`"`):]
	row = row[:strings.Index(row, "</form>")]
	if !strings.Contains(row, `<option value="viewer" selected>`) || !strings.Contains(row, `name="version" value="`+strconv.Itoa(editor.Version+1)+`"`) {
		t.Fatalf("stale row form lacks the input or the current version:\n%s", row)
	}
	if m, _ := member(t, srv, org, "editor@acme.example"); m.Role != isms.RoleAuditor || !m.Approver {
		t.Fatalf("stale change changed the member: %+v", m)
	}

	// A bad role is a field error in that row.
	a = post(t, srv, c["owner"], path, url.Values{"role": {"boss"}, "version": {strconv.Itoa(editor.Version + 1)}})
	expect(t, "bad role", a, http.StatusUnprocessableEntity, "must be one of owner")

	// The last owner cannot leave or be demoted.
	owner, _ := member(t, srv, org, "owner@acme.example")
	a = post(t, srv, c["owner"], "/members/"+owner.UserID, url.Values{"role": {"admin"}, "version": {strconv.Itoa(owner.Version)}})
	expect(t, "demote last owner", a, http.StatusConflict, "owner@acme.example is the last owner")
	a = post(t, srv, c["owner"], "/members/"+owner.UserID+"/remove", nil)
	expect(t, "remove last owner", a, http.StatusConflict, "owner@acme.example is the last owner")
}

func TestMemberRemove(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer")
	viewer, _ := member(t, srv, org, "viewer@acme.example")
	a := post(t, srv, c["owner"], "/members/"+viewer.UserID+"/remove", nil)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/members" {
		t.Fatalf("remove: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	a = get(t, srv, c["owner"], "/members")
	expect(t, "after remove", a, http.StatusOK, "The member is removed")
	refuse(t, "after remove", a, "viewer@acme.example")
	if _, ok := member(t, srv, org, "viewer@acme.example"); ok {
		t.Fatal("the viewer is still a member")
	}
	a = post(t, srv, c["owner"], "/members/"+viewer.UserID+"/remove", nil)
	expect(t, "remove twice", a, http.StatusNotFound)
}

func TestMemberFormsKeepThePage(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	for i := range 50 { // 56 members: two pages of 50
		testutil.Join(t, srv.Svc, org.Ctx("owner"), "m"+strconv.Itoa(100+i)+"@acme.example", "", isms.RoleViewer, false)
	}
	viewer, _ := member(t, srv, org, "viewer@acme.example") // sorted last on the second page
	a := get(t, srv, c["owner"], "/members?offset=50")
	expect(t, "second page", a, http.StatusOK, "51–56 of 56", `href="/members?offset=0" rel="prev"`,
		`action="/members/`+viewer.UserID+`?offset=50"`, `action="/members/`+viewer.UserID+`/remove?offset=50"`)

	form := url.Values{"role": {"editor"}, "version": {strconv.Itoa(viewer.Version)}}
	a = post(t, srv, c["owner"], "/members/"+viewer.UserID+"?offset=50", form)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/members?offset=50" {
		t.Fatalf("change on page 2: status %d, Location %q", a.Status, a.Header.Get("Location"))
	}
	a = post(t, srv, c["owner"], "/members/"+viewer.UserID+"?offset=50", form) // stale now
	expect(t, "stale change on page 2", a, http.StatusConflict, "was changed by someone else", "51–56 of 56",
		`<tr class="posted">`, `href="/members?offset=0" rel="prev"`)
}
