package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	e, ok := isms.AsError(err)
	if !ok {
		t.Fatalf("%v is not a typed error", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func TestSetupOnlyOnce(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		needs, err := e.svc.NeedsSetup(ctx)
		ok(t, err)
		if !needs {
			t.Fatal("an empty database does not need setup")
		}
		// Every field error at once.
		_, _, err = e.svc.Setup(ctx, service.SetupInput{OrgName: " ", OwnerName: "", Email: "not an email", Password: "short"}, service.Client{})
		wantKind(t, err, isms.KindInvalid, "Setup with nothing valid")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"email", "org_name", "owner_name", "password"}) {
			t.Fatalf("Setup field errors = %v, want email, org_name, owner_name, password", got)
		}
		_, _, err = e.svc.Setup(ctx, service.SetupInput{OrgName: strings.Repeat("x", 121), OwnerName: "Olivia", Email: "o@example.org", Password: "long enough password"}, service.Client{})
		wantKind(t, err, isms.KindInvalid, "Setup with a 121-character organisation name")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"org_name"}) {
			t.Fatalf("field errors = %v, want org_name", got)
		}
		if needs, _ := e.svc.NeedsSetup(ctx); !needs {
			t.Fatal("a refused setup created something")
		}

		token, a := setupOwner(t, e, "Acme Ltd", " Olivia@Acme.Example ", "first owner password")
		if a.Role != isms.RoleOwner || !a.Approver || a.OrgSlug != "acme-ltd" || a.OrgName != "Acme Ltd" || a.Email != "olivia@acme.example" || a.MustChangePassword {
			t.Fatalf("setup actor = %+v", a)
		}
		sess, err := e.svc.SessionActor(ctx, token)
		ok(t, err)
		if sess.UserID != a.UserID || sess.OrgID != a.OrgID || sess.Role != isms.RoleOwner {
			t.Fatalf("setup session resolves to %+v", sess)
		}
		if needs, _ := e.svc.NeedsSetup(ctx); needs {
			t.Fatal("still needs setup after setup")
		}

		_, _, err = e.svc.Setup(ctx, service.SetupInput{OrgName: "Takeover", OwnerName: "Mallory", Email: "mallory@evil.example", Password: "mallory's password"}, service.Client{})
		wantKind(t, err, isms.KindConflict, "second Setup")
		res, err := e.svc.VerifyAuditTrail(ctx, "")
		ok(t, err)
		if len(res) != 1 || res[0].Org != "acme-ltd" {
			t.Fatalf("organisations after a second setup: %+v", res)
		}
		_, _, err = e.svc.Login(ctx, "mallory@evil.example", "mallory's password", service.Client{IP: "203.0.113.9"})
		wantKind(t, err, isms.KindUnauthenticated, "login of the refused second owner")
		login(t, e, "olivia@acme.example", "first owner password")
	})
}

// TestSetupRace: several first-run setups at the same moment (two browsers on a new server) create exactly one
// organisation; the others are told it is set up already.
func TestSetupRace(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		const n = 4
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, _, err := e.svc.Setup(context.Background(), service.SetupInput{OrgName: fmt.Sprintf("Racer %d", i), OwnerName: "Olivia",
					Email: fmt.Sprintf("racer%d@example.org", i), Password: "long enough password"}, service.Client{})
				errs <- err
			}()
		}
		won := 0
		for range n {
			if err := <-errs; err == nil {
				won++
			} else if isms.ErrorKind(err) != isms.KindConflict {
				t.Errorf("a losing setup failed with %v, want a conflict", err)
			}
		}
		res, err := e.svc.VerifyAuditTrail(context.Background(), "")
		ok(t, err)
		if won != 1 || len(res) != 1 {
			t.Fatalf("%d setups succeeded and %d organisations exist, want 1 and 1", won, len(res))
		}
	})
}

func testInitOneTimePassword(t *testing.T, e *env) {
	ctx := context.Background()
	_, _, err := e.svc.Init(ctx, service.InitInput{OrgName: "", OwnerEmail: "nope"})
	wantKind(t, err, isms.KindInvalid, "Init with nothing valid")
	if got := fieldsOf(t, err); !slices.Equal(got, []string{"org", "owner"}) {
		t.Fatalf("Init field errors = %v", got)
	}
	org, pw, err := e.svc.Init(ctx, service.InitInput{OrgName: "Init Org", OwnerEmail: "Ivan@Init.example"})
	ok(t, err)
	if org.Slug != "init-org" || len(pw) < isms.MinPasswordLength {
		t.Fatalf("Init = %+v, one-time password %q", org, pw)
	}
	token, a := login(t, e, "ivan@init.example", pw)
	if !a.MustChangePassword || a.OrgID != org.ID || a.Role != isms.RoleOwner {
		t.Fatalf("first login actor = %+v, want an owner who must change the password", a)
	}
	actx := service.WithActor(ctx, a)
	// Every role-guarded use case waits for the new password.
	guarded := map[string]func() error{
		"Organisation": func() error { _, err := e.svc.Organisation(actx); return err },
		"ListPeople":   func() error { _, err := e.svc.ListPeople(actx, service.PersonFilter{}, service.Page{}); return err },
		"AddPerson":    func() error { _, err := e.svc.AddPerson(actx, service.PersonInput{Name: "X"}); return err },
		"ListMembers":  func() error { _, err := e.svc.ListMembers(actx, service.Page{}); return err },
		"CreateInvitation": func() error {
			_, _, err := e.svc.CreateInvitation(actx, service.InviteInput{Email: "x@init.example", Role: isms.RoleViewer})
			return err
		},
		"CreateToken": func() error { _, _, err := e.svc.CreateToken(actx, "sneaky"); return err },
		"ListAudit":   func() error { _, err := e.svc.ListAudit(actx, service.AuditFilter{}, service.Page{}); return err },
	}
	for name, call := range guarded {
		wantKind(t, call(), isms.KindForbidden, name+" before the password change")
	}
	// The session keeps saying so until the password changes.
	if s, err := e.svc.SessionActor(ctx, token); err != nil || !s.MustChangePassword {
		t.Fatalf("session before the change: %+v, %v", s, err)
	}
	err = e.svc.ChangePassword(actx, pw, pw)
	wantKind(t, err, isms.KindInvalid, "keeping the one-time password")
	err = e.svc.ChangePassword(actx, "not the one-time password", "my own new password")
	wantKind(t, err, isms.KindInvalid, "wrong current password")
	if got := fieldsOf(t, err); !slices.Equal(got, []string{"current_password"}) {
		t.Fatalf("field errors = %v, want current_password", got)
	}
	ok(t, e.svc.ChangePassword(actx, pw, "my own new password"))
	s, err := e.svc.SessionActor(ctx, token)
	ok(t, err)
	if s.MustChangePassword {
		t.Fatal("session still requires a password change after it")
	}
	if _, err := e.svc.ListPeople(service.WithActor(ctx, s), service.PersonFilter{}, service.Page{}); err != nil {
		t.Fatalf("ListPeople after the change: %v", err)
	}
	_, _, err = e.svc.Login(ctx, "ivan@init.example", pw, service.Client{IP: "203.0.113.10"})
	wantKind(t, err, isms.KindUnauthenticated, "login with the used one-time password")
	if _, a2 := login(t, e, "ivan@init.example", "my own new password"); a2.MustChangePassword {
		t.Fatal("login with the new password still requires a change")
	}

	// Init again for the same organisation says it exists, and creates nothing.
	_, _, err = e.svc.Init(ctx, service.InitInput{OrgName: " init org ", OwnerEmail: "someone.else@init.example"})
	wantKind(t, err, isms.KindConflict, "init of an existing organisation")
	if err.Error() != "organisation Init Org exists already (init-org)" {
		t.Fatalf("second init says %q", err)
	}
	// Init for an existing user adds an organisation and leaves the password alone; another name with the same
	// short name gets the next free one.
	org2, pw2, err := e.svc.Init(ctx, service.InitInput{OrgName: "Init-Org", OwnerEmail: "ivan@init.example"})
	ok(t, err)
	if pw2 != "" || org2.Slug != "init-org-2" {
		t.Fatalf("second Init = %+v, password %q; want slug init-org-2 and no new password", org2, pw2)
	}
	if _, err := e.svc.OperatorActor(ctx, "init-org", "someone.else@init.example"); isms.ErrorKind(err) != isms.KindNotFound {
		t.Fatalf("the refused init left its owner behind: %v", err)
	}
	mine, err := e.svc.MyOrganisations(service.WithActor(ctx, s))
	ok(t, err)
	if len(mine) != 2 {
		t.Fatalf("Ivan belongs to %d organisations, want 2", len(mine))
	}
	login(t, e, "ivan@init.example", "my own new password")
}

func testChangePasswordEndsOtherSessions(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Password Org")
	email := o.Actors["editor"].Email
	t1, _ := login(t, e, email, testutil.Password)
	t2, a2 := login(t, e, email, testutil.Password)
	t3, _ := login(t, e, email, testutil.Password)
	other, _ := login(t, e, o.Actors["viewer"].Email, testutil.Password)
	ctx2 := service.WithActor(ctx, a2)

	wantKind(t, e.svc.ChangePassword(ctx, testutil.Password, "brand new password"), isms.KindUnauthenticated, "ChangePassword without an actor")
	err := e.svc.ChangePassword(ctx2, "wrong current password", "brand new password")
	wantKind(t, err, isms.KindInvalid, "wrong current password")
	err = e.svc.ChangePassword(ctx2, testutil.Password, "short")
	wantKind(t, err, isms.KindInvalid, "too short a new password")
	if got := fieldsOf(t, err); !slices.Equal(got, []string{"new_password"}) {
		t.Fatalf("field errors = %v", got)
	}
	for _, tok := range []string{t1, t2, t3} {
		if _, err := e.svc.SessionActor(ctx, tok); err != nil {
			t.Fatalf("a refused password change ended a session: %v", err)
		}
	}
	login(t, e, email, testutil.Password)

	ok(t, e.svc.ChangePassword(ctx2, testutil.Password, "brand new password"))
	for _, tok := range []string{t1, t3} {
		_, err := e.svc.SessionActor(ctx, tok)
		wantKind(t, err, isms.KindUnauthenticated, "another session after the password change")
	}
	if _, err := e.svc.SessionActor(ctx, t2); err != nil {
		t.Fatalf("the session that changed the password ended: %v", err)
	}
	if _, err := e.svc.SessionActor(ctx, other); err != nil {
		t.Fatalf("another user's session ended: %v", err)
	}
	_, _, err = e.svc.Login(ctx, email, testutil.Password, service.Client{IP: "203.0.113.20"})
	wantKind(t, err, isms.KindUnauthenticated, "login with the old password")
	login(t, e, email, "brand new password")
}

func testLoginFailuresAndRateLimit(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Login Org")
	editor, viewer := o.Actors["editor"].Email, o.Actors["viewer"].Email
	c := service.Client{IP: "203.0.113.30"}
	try := func(email, pw string) error {
		_, _, err := e.svc.Login(ctx, email, pw, c)
		return err
	}
	wantKind(t, try(editor, "wrong password!!"), isms.KindUnauthenticated, "wrong password")
	wantKind(t, try("nobody@login-org.example", testutil.Password), isms.KindUnauthenticated, "unknown email")
	// Email case and spaces do not matter.
	ok(t, try("  "+strings.ToUpper(editor)+" ", testutil.Password))

	// A right password clears the account's failures.
	for range 2 {
		wantKind(t, try(editor, "wrong password!!"), isms.KindUnauthenticated, "wrong password")
	}
	ok(t, try(editor, testutil.Password))
	for range 2 {
		wantKind(t, try(editor, "wrong password!!"), isms.KindUnauthenticated, "wrong password")
	}
	ok(t, try(editor, testutil.Password))

	// A few failures in a row make the next attempt wait, even with the right password, and say how long.
	for range 3 {
		wantKind(t, try(viewer, "wrong password!!"), isms.KindUnauthenticated, "wrong password")
	}
	err := try(viewer, testutil.Password)
	wantKind(t, err, isms.KindTooManyRequests, "right password at once after 3 failures")
	if w := isms.RetryAfter(err); w != time.Second || !strings.Contains(err.Error(), "try again in 1 second") {
		t.Fatalf("the refusal says %q and asks to wait %s, want 1 second", err, w)
	}
	wantKind(t, try(strings.ToUpper(viewer), testutil.Password), isms.KindTooManyRequests, "same account in capitals")
	_, _, err = e.svc.Login(ctx, viewer, testutil.Password, service.Client{IP: "203.0.113.31"})
	wantKind(t, err, isms.KindTooManyRequests, "same account from another address")
	// Other accounts are not slowed down.
	ok(t, try(editor, testutil.Password))
	e.clock.Advance(time.Second)
	ok(t, try(viewer, testutil.Password))
}

func testLoginAddressLimit(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Spray Org")
	// A password spray from one address: 3 tries on each of 5 accounts, and 5 made-up ones, stays under the
	// per-account delay but uses up the address's 20.
	c := service.Client{IP: "203.0.113.40"}
	roles := []string{"admin", "editor", "auditor", "viewer", "approver"}
	for i, role := range roles {
		for range 3 {
			_, _, err := e.svc.Login(ctx, o.Actors[role].Email, "spray password!!", c)
			wantKind(t, err, isms.KindUnauthenticated, "spray")
		}
		_, _, err := e.svc.Login(ctx, fmt.Sprintf("made-up-%d@spray-org.example", i), "spray password!!", c)
		wantKind(t, err, isms.KindUnauthenticated, "spray")
	}
	_, _, err := e.svc.Login(ctx, o.Actors["owner"].Email, testutil.Password, c)
	wantKind(t, err, isms.KindTooManyRequests, "login from the spraying address")
	_, _, err = e.svc.Login(ctx, o.Actors["owner"].Email, testutil.Password, service.Client{IP: "203.0.113.41"})
	ok(t, err)
}

func testSessions(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Session Org")
	email := o.Actors["auditor"].Email

	t.Run("each login a new token", func(t *testing.T) {
		seen := map[string]bool{}
		for range 3 {
			tok, a := login(t, e, email, testutil.Password)
			if seen[tok] || len(tok) < 40 {
				t.Fatalf("login token %q repeated or short", tok)
			}
			seen[tok] = true
			if a.Role != isms.RoleAuditor || a.OrgSlug != o.Slug || a.Via != "web" {
				t.Fatalf("login actor = %+v", a)
			}
		}
		for tok := range seen {
			if _, err := e.svc.SessionActor(ctx, tok); err != nil {
				t.Fatalf("an earlier session ended at a later login: %v", err)
			}
		}
		for tok := range seen {
			ok(t, e.svc.Logout(ctx, tok))
			_, err := e.svc.SessionActor(ctx, tok)
			wantKind(t, err, isms.KindUnauthenticated, "session after logout")
			break
		}
		_, err := e.svc.SessionActor(ctx, "made-up-token")
		wantKind(t, err, isms.KindUnauthenticated, "unknown session token")
	})

	t.Run("idle limit", func(t *testing.T) {
		tok, _ := login(t, e, email, testutil.Password)
		e.clock.Advance(2*time.Hour - time.Minute)
		if _, err := e.svc.SessionActor(ctx, tok); err != nil {
			t.Fatalf("session ended before the idle limit: %v", err)
		}
		e.clock.Advance(2*time.Hour + time.Second)
		_, err := e.svc.SessionActor(ctx, tok)
		wantKind(t, err, isms.KindUnauthenticated, "session idle for over 2 hours")
		_, err = e.svc.SessionActor(ctx, tok)
		wantKind(t, err, isms.KindUnauthenticated, "an expired session a second time")
	})

	t.Run("activity renews, absolute limit ends", func(t *testing.T) {
		tok, _ := login(t, e, email, testutil.Password)
		for i := range 6 {
			e.clock.Advance(time.Hour + 55*time.Minute) // 11 h 30 min in all, each step under the idle limit
			a, err := e.svc.SessionActor(ctx, tok)
			if err != nil {
				t.Fatalf("active session ended after %d steps: %v", i+1, err)
			}
			if a.Role != isms.RoleAuditor {
				t.Fatalf("session actor = %+v", a)
			}
		}
		e.clock.Advance(31 * time.Minute) // 12 h 01 min after login, idle only 31 min
		_, err := e.svc.SessionActor(ctx, tok)
		wantKind(t, err, isms.KindUnauthenticated, "session past its absolute limit")
	})

	t.Run("limits come from the config", func(t *testing.T) {
		svc := service.New(store.New(e.db), service.Config{Now: e.clock.Now, SessionIdle: 10 * time.Minute, SessionAbsolute: time.Hour})
		tok, _, err := svc.Login(ctx, email, testutil.Password, service.Client{IP: "203.0.113.50"})
		ok(t, err)
		e.clock.Advance(11 * time.Minute)
		_, err = svc.SessionActor(ctx, tok)
		wantKind(t, err, isms.KindUnauthenticated, "session idle for 11 minutes with a 10-minute limit")
	})
}

func testSwitchOrganisation(t *testing.T, e *env) {
	ctx := context.Background()
	alpha := testutil.NewOrg(t, e.svc, "Switch Alpha")
	token, a := login(t, e, alpha.Actors["owner"].Email, testutil.Password)
	if a.OrgID != orgID(alpha) {
		t.Fatalf("login lands in %s", a.OrgSlug)
	}
	beta, err := e.svc.CreateOrganisation(service.WithActor(ctx, a), "Switch Beta")
	ok(t, err)
	foreign := testutil.NewOrg(t, e.svc, "Foreign Org")

	mine, err := e.svc.MyOrganisations(service.WithActor(ctx, a))
	ok(t, err)
	if len(mine) != 2 || mine[0].Slug != "switch-alpha" || mine[1].Slug != "switch-beta" || mine[1].Role != isms.RoleOwner {
		t.Fatalf("MyOrganisations = %+v", mine)
	}

	next, err := e.svc.SwitchOrganisation(service.WithActor(ctx, a), "switch-beta")
	ok(t, err)
	if next.OrgID != beta.ID || next.Role != isms.RoleOwner || next.UserID != a.UserID {
		t.Fatalf("after switching to beta: %+v", next)
	}
	s, err := e.svc.SessionActor(ctx, token)
	ok(t, err)
	if s.OrgID != beta.ID {
		t.Fatalf("the session did not keep the switch: %+v", s)
	}
	org, err := e.svc.Organisation(service.WithActor(ctx, s))
	ok(t, err)
	if org.Slug != "switch-beta" {
		t.Fatalf("Organisation after the switch = %+v", org)
	}

	for _, target := range []string{foreign.Slug, orgID(foreign), "no-such-org", ""} {
		_, err := e.svc.SwitchOrganisation(service.WithActor(ctx, s), target)
		wantKind(t, err, isms.KindNotFound, "switching to "+target)
	}
	if s2, _ := e.svc.SessionActor(ctx, token); s2.OrgID != beta.ID {
		t.Fatalf("a refused switch moved the session to %s", s2.OrgSlug)
	}

	back, err := e.svc.SwitchOrganisation(service.WithActor(ctx, s), a.OrgID)
	ok(t, err)
	if back.OrgSlug != "switch-alpha" {
		t.Fatalf("switch back by id: %+v", back)
	}
	// A member of the foreign organisation cannot switch into Alpha either.
	ftok, fa := login(t, e, foreign.Actors["owner"].Email, testutil.Password)
	_, err = e.svc.SwitchOrganisation(service.WithActor(ctx, fa), "switch-alpha")
	wantKind(t, err, isms.KindNotFound, "foreign owner switching into alpha")
	if fs, _ := e.svc.SessionActor(ctx, ftok); fs.OrgID != orgID(foreign) {
		t.Fatalf("foreign owner's session is in %s", fs.OrgSlug)
	}
	// Without a session (CLI, API token) there is nothing to switch.
	_, err = e.svc.SwitchOrganisation(foreign.Ctx("owner"), foreign.Slug)
	wantKind(t, err, isms.KindUnauthenticated, "switching without a session")
	_, err = e.svc.SwitchOrganisation(ctx, "switch-alpha")
	wantKind(t, err, isms.KindUnauthenticated, "switching without an actor")
}

func testOwnershipRules(t *testing.T, e *env) {
	o := testutil.NewOrg(t, e.svc, "Owners Org")
	owner, admin := o.Actors["owner"], o.Actors["admin"]
	members := func() map[string]isms.Membership {
		l, err := e.svc.ListMembers(o.Ctx("owner"), service.Page{Limit: store.MaxPageSize})
		ok(t, err)
		out := map[string]isms.Membership{}
		for _, m := range l.Items {
			out[m.Email] = m
		}
		return out
	}
	m := members()

	// The last owner can neither leave nor be demoted, not even by themselves.
	wantKind(t, e.svc.RemoveMember(o.Ctx("owner"), owner.UserID), isms.KindConflict, "removing the last owner")
	_, err := e.svc.UpdateMember(o.Ctx("owner"), owner.UserID, service.UpdateMemberInput{Role: isms.RoleAdmin, Version: m[owner.Email].Version})
	wantKind(t, err, isms.KindConflict, "demoting the last owner")

	// Admins cannot grant or take away ownership.
	_, _, err = e.svc.CreateInvitation(o.Ctx("admin"), service.InviteInput{Email: "new-owner@owners-org.example", Role: isms.RoleOwner})
	wantKind(t, err, isms.KindForbidden, "admin inviting an owner")
	_, err = e.svc.UpdateMember(o.Ctx("admin"), admin.UserID, service.UpdateMemberInput{Role: isms.RoleOwner, Version: m[admin.Email].Version})
	wantKind(t, err, isms.KindForbidden, "admin making themselves owner")
	ed := o.Actors["editor"]
	_, err = e.svc.UpdateMember(o.Ctx("admin"), ed.UserID, service.UpdateMemberInput{Role: isms.RoleOwner, Version: m[ed.Email].Version})
	wantKind(t, err, isms.KindForbidden, "admin making an editor owner")

	// An owner may add a second owner; then the first may step down.
	second := testutil.Join(t, e.svc, o.Ctx("owner"), "second-owner@owners-org.example", "", isms.RoleOwner, false)
	m = members()
	// With two owners an admin still cannot remove or demote either.
	wantKind(t, e.svc.RemoveMember(o.Ctx("admin"), second.UserID), isms.KindForbidden, "admin removing an owner")
	_, err = e.svc.UpdateMember(o.Ctx("admin"), owner.UserID, service.UpdateMemberInput{Role: isms.RoleViewer, Version: m[owner.Email].Version})
	wantKind(t, err, isms.KindForbidden, "admin demoting an owner")
	m2 := members()
	if m2[owner.Email].Role != isms.RoleOwner || m2[second.Email].Role != isms.RoleOwner || m2[admin.Email].Role != isms.RoleAdmin || m2[ed.Email].Role != isms.RoleEditor {
		t.Fatalf("refused changes changed roles: %+v", m2)
	}

	_, err = e.svc.UpdateMember(o.Ctx("owner"), owner.UserID, service.UpdateMemberInput{Role: isms.RoleAdmin, Version: m[owner.Email].Version})
	ok(t, err)
	secondActor, err := e.svc.OperatorActor(context.Background(), o.Slug, second.Email)
	ok(t, err)
	sctx := service.WithActor(context.Background(), secondActor)
	wantKind(t, e.svc.RemoveMember(sctx, second.UserID), isms.KindConflict, "removing the new last owner")
	// Admins may still manage everyone else.
	ok(t, e.svc.RemoveMember(o.Ctx("admin"), o.Actors["viewer"].UserID))
	if _, still := members()[o.Actors["viewer"].Email]; still {
		t.Fatal("removed viewer is still a member")
	}
	// A removed member's actor no longer reaches the organisation.
	_, err = e.svc.OperatorActor(context.Background(), o.Slug, o.Actors["viewer"].Email)
	wantKind(t, err, isms.KindNotFound, "operator actor of a removed member")
}

func testAPITokens(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Token Org")

	secret, tok, err := e.svc.CreateToken(o.Ctx("viewer"), "  reporting  ")
	ok(t, err)
	if !strings.HasPrefix(secret, "prx_") || !strings.HasPrefix(secret, tok.Prefix) || len(secret) < 40 || tok.Name != "reporting" {
		t.Fatalf("token %q = %+v", secret, tok)
	}
	a, err := e.svc.TokenActor(ctx, secret)
	ok(t, err)
	if a.Role != isms.RoleViewer || a.UserID != o.Actors["viewer"].UserID || a.OrgID != orgID(o) || a.Via != "api" {
		t.Fatalf("viewer's token acts as %+v", a)
	}
	tctx := service.WithActor(ctx, a)
	_, err = e.svc.ListPeople(tctx, service.PersonFilter{}, service.Page{})
	ok(t, err)
	_, err = e.svc.AddPerson(tctx, service.PersonInput{Name: "Via token"})
	wantKind(t, err, isms.KindForbidden, "viewer's token adding a person")
	_, err = e.svc.ListAudit(tctx, service.AuditFilter{}, service.Page{})
	wantKind(t, err, isms.KindForbidden, "viewer's token reading the audit trail")

	// Use is recorded.
	l, err := e.svc.ListTokens(o.Ctx("viewer"), service.Page{})
	ok(t, err)
	if len(l.Items) != 1 || l.Items[0].LastUsedAt == nil || !l.Items[0].LastUsedAt.Equal(e.clock.Now()) {
		t.Fatalf("tokens after use = %+v", l.Items)
	}

	// The token acts with its owner's current role.
	m, _ := memberByEmail(t, e, o.Ctx("owner"), o.Actors["viewer"].Email)
	_, err = e.svc.UpdateMember(o.Ctx("owner"), m.UserID, service.UpdateMemberInput{Role: isms.RoleEditor, Version: m.Version})
	ok(t, err)
	a, err = e.svc.TokenActor(ctx, secret)
	ok(t, err)
	if a.Role != isms.RoleEditor {
		t.Fatalf("token acts as %s after promotion to editor", a.Role)
	}

	// A revoked token no longer works.
	ok(t, e.svc.RevokeToken(o.Ctx("viewer"), tok.ID))
	_, err = e.svc.TokenActor(ctx, secret)
	wantKind(t, err, isms.KindUnauthenticated, "revoked token")
	for _, bad := range []string{"", "prx_", "prx_notatoken", "Bearer " + secret, secret + "x", strings.TrimPrefix(secret, "prx_")} {
		_, err := e.svc.TokenActor(ctx, bad)
		wantKind(t, err, isms.KindUnauthenticated, "token "+bad)
	}

	// Removing a member revokes their tokens.
	edSecret, edTok, err := e.svc.CreateToken(o.Ctx("editor"), "editor laptop")
	ok(t, err)
	if _, err := e.svc.TokenActor(ctx, edSecret); err != nil {
		t.Fatal(err)
	}
	ok(t, e.svc.RemoveMember(o.Ctx("admin"), o.Actors["editor"].UserID))
	_, err = e.svc.TokenActor(ctx, edSecret)
	wantKind(t, err, isms.KindUnauthenticated, "token of a removed member")
	all, err := e.svc.ListTokens(o.Ctx("owner"), service.Page{})
	ok(t, err)
	i := slices.IndexFunc(all.Items, func(x isms.APIToken) bool { return x.ID == edTok.ID })
	if i < 0 || all.Items[i].RevokedAt == nil {
		t.Fatalf("removed member's token is not marked revoked: %+v", all.Items)
	}
}
