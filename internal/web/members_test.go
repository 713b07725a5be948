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

var oneTimePassword = regexp.MustCompile(`id="one-time-password" value="([^"]+)"`)

func TestMemberAddShowsOneTimePasswordOnce(t *testing.T) {
	srv, _, c := startOrg(t, "owner")
	owner := c["owner"]

	a := post(t, srv, owner, "/members", url.Values{"email": {"New.Person@Acme.example"}, "name": {"New Person"}, "role": {"editor"}, "approver": {"on"}})
	expect(t, "add member", a, http.StatusOK, "new.person@acme.example is now a member (editor)", "<td>New Person</td>")
	m := oneTimePassword.FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no one-time password on the answer\n%s", a.Body)
	}
	password := m[1]
	if len(password) < 12 {
		t.Fatalf("one-time password %q is too short", password)
	}
	for k, vs := range a.Header {
		for _, v := range vs {
			if strings.Contains(v, password) {
				t.Errorf("header %s carries the one-time password", k)
			}
		}
	}

	// Shown once: the next view of the page does not have it.
	a = get(t, srv, owner, "/members")
	expect(t, "members after add", a, http.StatusOK, "new.person@acme.example")
	refuse(t, "members after add", a, password, "one-time-password")

	// It works once, for a first login that must choose a new password.
	nc := srv.Client()
	login := post(t, srv, nc, "/login", url.Values{"email": {"new.person@acme.example"}, "password": {password}})
	if login.Status != http.StatusSeeOther || login.Header.Get("Location") != "/password" {
		t.Fatalf("first login: status %d, Location %q", login.Status, login.Header.Get("Location"))
	}
}

func TestMemberAddExistingUser(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	testutil.NewOrg(t, srv.Svc, "Beta") // owner@beta.example exists, with a password of their own

	a := post(t, srv, c["owner"], "/members", url.Values{"email": {"owner@beta.example"}, "role": {"auditor"}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/members" {
		t.Fatalf("add existing user: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	a = get(t, srv, c["owner"], "/members")
	expect(t, "after adding an existing user", a, http.StatusOK, "owner@beta.example is now a member (auditor). They log in with their existing password.")
	refuse(t, "after adding an existing user", a, "one-time-password")
	if m, ok := member(t, srv, org, "owner@beta.example"); !ok || m.Role != isms.RoleAuditor {
		t.Fatalf("membership %+v, %v", m, ok)
	}

	// Adding them again is a conflict shown on the form, with the input kept.
	a = post(t, srv, c["owner"], "/members", url.Values{"email": {"owner@beta.example"}, "role": {"viewer"}})
	expect(t, "add twice", a, http.StatusConflict, "owner@beta.example is a member already", `value="owner@beta.example"`)
}

func TestMemberFormRoles(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "admin", "editor", "auditor", "viewer")
	form := url.Values{"email": {"someone@acme.example"}, "role": {"viewer"}}

	for _, role := range []string{"viewer", "editor", "auditor"} {
		a := post(t, srv, c[role], "/members", form)
		expect(t, role+" adds a member", a, http.StatusForbidden, "<h1>Not allowed</h1>")
	}
	if _, ok := member(t, srv, org, "someone@acme.example"); ok {
		t.Fatal("a refused add created the member")
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
	refuse(t, "auditor lists members", a, `action="/members"`, `action="/members/`, "Add member")

	// Admins manage members but not owners: no owner option, no form on an owner's row.
	a = get(t, srv, c["admin"], "/members")
	expect(t, "admin lists members", a, http.StatusOK, `action="/members"`, "only owners change owners")
	refuse(t, "admin lists members", a, `<option value="owner"`)
	owner, _ := member(t, srv, org, "owner@acme.example")
	a = post(t, srv, c["admin"], "/members/"+owner.UserID, url.Values{"role": {"viewer"}, "version": {strconv.Itoa(owner.Version)}})
	expect(t, "admin demotes the owner", a, http.StatusForbidden, "only owners may grant or take away ownership")
	a = post(t, srv, c["admin"], "/members", url.Values{"email": {"boss@acme.example"}, "role": {"owner"}})
	expect(t, "admin adds an owner", a, http.StatusForbidden, "only owners may add owners")

	// Owners see every form.
	a = get(t, srv, c["owner"], "/members")
	expect(t, "owner lists members", a, http.StatusOK, `action="/members"`, `action="/members/`+viewer.UserID+`"`,
		`action="/members/`+viewer.UserID+`/remove"`, `data-confirm="Remove viewer@acme.example`, `<option value="owner"`)
}

func TestMemberFieldErrors(t *testing.T) {
	srv, _, c := startOrg(t, "owner")
	a := post(t, srv, c["owner"], "/members", url.Values{"email": {"not-an-email"}, "name": {"Nobody"}, "role": {"boss"}})
	expect(t, "bad member", a, http.StatusUnprocessableEntity, "Please correct the fields marked below.",
		`value="not-an-email"`, `value="Nobody"`)
	// Each error sits next to its own field: after the field, before the next one.
	order := []string{`id="email"`, "must be an email address", `id="name"`, `id="role"`, "must be one of owner, admin, editor, auditor, viewer", `name="approver"`}
	at := -1
	form := a.Body[strings.Index(a.Body, `id="add-member"`):]
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
		if _, _, err := srv.Svc.AddMember(org.Ctx("owner"), service.AddMemberInput{Email: "m" + strconv.Itoa(100+i) + "@acme.example", Role: isms.RoleViewer}); err != nil {
			t.Fatal(err)
		}
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
