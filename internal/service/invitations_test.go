package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

var someone = service.Client{IP: "203.0.113.5", UserAgent: "test"}

// userExists tells whether an account with email exists, read straight from the store.
func userExists(t *testing.T, e *env, email string) bool {
	t.Helper()
	ctx := context.Background()
	err := e.svc.Store().Read(ctx, func(tx *store.Tx) error { _, err := tx.UserByEmail(ctx, email); return err })
	if isms.ErrorKind(err) == isms.KindNotFound {
		return false
	}
	ok(t, err)
	return true
}

// sessionCtx signs in and returns a context acting through that browser session.
func sessionCtx(t *testing.T, e *env, email, password string) context.Context {
	t.Helper()
	_, a := login(t, e, email, password)
	return service.WithActor(context.Background(), a)
}

// TestAccountTakeoverThroughMembersIsClosed is the finding of issue 8: a viewer created an organisation, added
// a stranger's address and got a password for it (or, for an existing account, its name and id). Now a viewer
// cannot create an organisation, an invitation creates no account and reveals nothing, and membership starts
// only when the person behind the address accepts.
func TestAccountTakeoverThroughMembersIsClosed(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		a := testutil.NewOrg(t, e.svc, "Victim Org")
		victim := a.Actors["editor"]

		// A viewer of A may not create an organisation (default setting: owners and admins).
		_, err := e.svc.CreateOrganisation(a.Ctx("viewer"), "Attacker Ltd")
		wantKind(t, err, isms.KindForbidden, "a viewer creating an organisation")
		if !strings.Contains(err.Error(), "org_creation") {
			t.Errorf("the refusal does not name the setting: %v", err)
		}

		// The attacker owns B (say the operator made it for them). Inviting an unknown and a known address
		// creates no account, sets no password and names nobody.
		b := testutil.NewOrg(t, e.svc, "Attacker Org")
		attacker := b.Ctx("owner")
		for _, email := range []string{"stranger@x.example", victim.Email} {
			existed := userExists(t, e, email)
			token, inv, err := e.svc.CreateInvitation(attacker, service.InviteInput{Email: email, Role: isms.RoleViewer})
			ok(t, err)
			reply, _ := json.Marshal(map[string]any{"token": token, "invitation": inv})
			for _, leak := range []string{victim.UserID, victim.Name, "password"} {
				if strings.Contains(string(reply), leak) {
					t.Errorf("the reply to inviting %s contains %q: %s", email, leak, reply)
				}
			}
			if userExists(t, e, email) != existed {
				t.Errorf("inviting %s changed whether it has an account", email)
			}
			// The attacker holds the link and tries to claim the address with a password of their own.
			_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), token,
				service.NewAccountInput{Name: "Mallory", Email: victim.Email, Password: "mallory's own password"}, someone)
			wantKind(t, err, isms.KindConflict, "claiming an existing address")
			if !strings.Contains(err.Error(), "sign in with your account first") {
				t.Errorf("claiming an existing address: %v", err)
			}
		}
		// The victim's account is untouched: their password works, they are not in B, and still in A.
		_, va := login(t, e, victim.Email, testutil.Password)
		orgs, err := e.svc.MyOrganisations(service.WithActor(context.Background(), va))
		ok(t, err)
		if len(orgs) != 1 || orgs[0].Slug != a.Slug {
			t.Fatalf("the victim belongs to %+v, want only %s", orgs, a.Slug)
		}
		if _, found := memberByEmail(t, e, b.Ctx("owner"), victim.Email); found {
			t.Fatal("the victim is a member of B before accepting anything")
		}
		// Only if the victim accepts, signed in, do they join B.
		token, _, err := e.svc.CreateInvitation(attacker, service.InviteInput{Email: victim.Email, Role: isms.RoleAuditor})
		ok(t, err)
		joined, err := e.svc.AcceptInvitation(sessionCtx(t, e, victim.Email, testutil.Password), token)
		ok(t, err)
		if joined.OrgSlug != b.Slug || joined.Role != isms.RoleAuditor || joined.UserID != victim.UserID {
			t.Fatalf("accepted as %+v", joined)
		}
	})
}

func TestInvitationNewAccount(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Invite Org")
		token, inv, err := e.svc.CreateInvitation(o.Ctx("admin"), service.InviteInput{Email: " New@Invite.example ", Role: isms.RoleEditor})
		ok(t, err)
		if len(token) < 40 || inv.Email != "new@invite.example" || inv.CreatedBy != o.Actors["admin"].Email ||
			!inv.ExpiresAt.Equal(e.clock.Now().Add(7*24*time.Hour)) || inv.Status != isms.InvitationOpen {
			t.Fatalf("CreateInvitation = %q, %+v", token, inv)
		}
		info, err := e.svc.InvitationByToken(context.Background(), token)
		ok(t, err)
		if info.OrgName != "Invite Org" || info.Role != isms.RoleEditor || !info.ExpiresAt.Equal(inv.ExpiresAt) {
			t.Fatalf("InvitationByToken = %+v", info)
		}

		// Bad input is refused field by field; the invitation stays usable.
		_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), token, service.NewAccountInput{Email: "nope", Password: "short"}, someone)
		wantKind(t, err, isms.KindInvalid, "a new account without name, email or password")
		if got := fieldsOf(t, err); strings.Join(got, ",") != "email,name,password" {
			t.Fatalf("fields = %v", got)
		}

		session, a, err := e.svc.AcceptInvitationNewAccount(context.Background(), token,
			service.NewAccountInput{Name: "Nia New", Email: "nia@elsewhere.example", Password: "nia's own password"}, someone)
		ok(t, err)
		if a.OrgSlug != o.Slug || a.Role != isms.RoleEditor || a.MustChangePassword {
			t.Fatalf("new member = %+v", a)
		}
		if s, err := e.svc.SessionActor(context.Background(), session); err != nil || s.UserID != a.UserID || s.OrgID != a.OrgID {
			t.Fatalf("the session of the new account: %+v, %v", s, err)
		}
		login(t, e, "nia@elsewhere.example", "nia's own password")
		m, found := memberByEmail(t, e, o.Ctx("owner"), "nia@elsewhere.example")
		if !found || m.Role != isms.RoleEditor || !m.CreatedAt.Equal(e.clock.Now()) {
			t.Fatalf("membership = %+v, %v", m, found)
		}

		// Single use: a second acceptance, by anyone, fails and creates nothing.
		_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), token,
			service.NewAccountInput{Name: "Second", Email: "second@elsewhere.example", Password: "another long password"}, someone)
		wantKind(t, err, isms.KindNotFound, "accepting twice")
		if err.Error() != "this invitation link is not valid: it may have expired or been used" {
			t.Errorf("message = %q", err)
		}
		if userExists(t, e, "second@elsewhere.example") {
			t.Fatal("a used invitation created an account")
		}
		_, err = e.svc.AcceptInvitation(sessionCtx(t, e, o.Actors["viewer"].Email, testutil.Password), token)
		wantKind(t, err, isms.KindNotFound, "accepting a used invitation signed in")
		_, err = e.svc.InvitationByToken(context.Background(), token)
		wantKind(t, err, isms.KindNotFound, "the page of a used invitation")

		l, err := e.svc.ListInvitations(o.Ctx("owner"), "", service.Page{})
		ok(t, err)
		found = false
		for _, it := range l.Items {
			if it.ID == inv.ID {
				found = true
				if it.Status != isms.InvitationAccepted || it.AcceptedBy != "nia@elsewhere.example" || it.AcceptedAt == nil {
					t.Errorf("listed after acceptance: %+v", it)
				}
			}
		}
		if !found {
			t.Fatal("the accepted invitation is not listed")
		}
	})
}

func TestInvitationSignedIn(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		a := testutil.NewOrg(t, e.svc, "Home Org")
		b := testutil.NewOrg(t, e.svc, "Joined Org")
		token, _, err := e.svc.CreateInvitation(b.Ctx("owner"), service.InviteInput{Email: "whoever@example.org", Role: isms.RoleAuditor, Approver: true})
		ok(t, err)

		// An API token acts for one organisation: it may not accept.
		_, err = e.svc.AcceptInvitation(a.Ctx("viewer"), token)
		wantKind(t, err, isms.KindForbidden, "accepting through an API token")
		// A member of B already: Conflict, and the invitation still works.
		_, err = e.svc.AcceptInvitation(sessionCtx(t, e, b.Actors["viewer"].Email, testutil.Password), token)
		wantKind(t, err, isms.KindConflict, "accepting as a member already")

		session, sa := login(t, e, a.Actors["viewer"].Email, testutil.Password)
		n := len(trail(t, e, orgID(b)))
		joined, err := e.svc.AcceptInvitation(service.WithActor(context.Background(), sa), token)
		ok(t, err)
		if joined.OrgSlug != b.Slug || joined.Role != isms.RoleAuditor || !joined.Approver {
			t.Fatalf("joined as %+v", joined)
		}
		// The session now works in B.
		if s, err := e.svc.SessionActor(context.Background(), session); err != nil || s.OrgID != orgID(b) || s.Role != isms.RoleAuditor {
			t.Fatalf("the session after accepting: %+v, %v", s, err)
		}
		events := trail(t, e, orgID(b))[n:]
		if len(events) != 2 || events[0].Action != "add" || events[0].Entity != "member" || events[1].Action != "accept" ||
			events[1].Entity != "invitation" || events[0].Actor != a.Actors["viewer"].Email {
			t.Fatalf("B's trail after acceptance: %+v", events)
		}
	})
}

func TestInvitationExpiryAndRevoke(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Expiry Org")
		expiring, _, err := e.svc.CreateInvitation(o.Ctx("owner"), service.InviteInput{Email: "late@example.org", Role: isms.RoleViewer})
		ok(t, err)
		revoked, revInv, err := e.svc.CreateInvitation(o.Ctx("admin"), service.InviteInput{Email: "unwanted@example.org", Role: isms.RoleViewer})
		ok(t, err)

		// Revoked: the link stops working at once; revoking again changes nothing.
		ok(t, e.svc.RevokeInvitation(o.Ctx("admin"), revInv.ID))
		n := len(trail(t, e, orgID(o)))
		ok(t, e.svc.RevokeInvitation(o.Ctx("owner"), revInv.ID))
		if len(trail(t, e, orgID(o))) != n {
			t.Error("revoking twice wrote the trail")
		}
		_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), revoked,
			service.NewAccountInput{Name: "U", Email: "unwanted@example.org", Password: "a long enough password"}, someone)
		wantKind(t, err, isms.KindNotFound, "accepting a revoked invitation")

		// Expired: a second before the end it works (shown), at the end it does not.
		e.clock.Advance(7*24*time.Hour - time.Second)
		_, err = e.svc.InvitationByToken(context.Background(), expiring)
		ok(t, err)
		e.clock.Advance(time.Second)
		_, err = e.svc.InvitationByToken(context.Background(), expiring)
		wantKind(t, err, isms.KindNotFound, "an expired invitation's page")
		_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), expiring,
			service.NewAccountInput{Name: "L", Email: "late@example.org", Password: "a long enough password"}, someone)
		wantKind(t, err, isms.KindNotFound, "accepting an expired invitation")
		if userExists(t, e, "late@example.org") || userExists(t, e, "unwanted@example.org") {
			t.Fatal("a dead invitation created an account")
		}
		_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), "made-up-token",
			service.NewAccountInput{Name: "L", Email: "late@example.org", Password: "a long enough password"}, someone)
		wantKind(t, err, isms.KindNotFound, "an unknown token")

		states := map[string]string{}
		for _, status := range []string{"", isms.InvitationExpired, isms.InvitationRevoked, isms.InvitationOpen} {
			l, err := e.svc.ListInvitations(o.Ctx("auditor"), status, service.Page{})
			ok(t, err)
			for _, it := range l.Items {
				if status != "" && it.Status != status {
					t.Errorf("ListInvitations(%s) lists %+v", status, it)
				}
				states[it.Email] = it.Status
			}
		}
		if states["late@example.org"] != isms.InvitationExpired || states["unwanted@example.org"] != isms.InvitationRevoked {
			t.Fatalf("states = %v", states)
		}
		_, err = e.svc.ListInvitations(o.Ctx("owner"), "pending", service.Page{})
		wantKind(t, err, isms.KindInvalid, "an unknown status")

		// An accepted invitation cannot be revoked (the member is removed instead).
		tok, acc, err := e.svc.CreateInvitation(o.Ctx("owner"), service.InviteInput{Email: "ok@example.org", Role: isms.RoleViewer})
		ok(t, err)
		_, _, err = e.svc.AcceptInvitationNewAccount(context.Background(), tok,
			service.NewAccountInput{Name: "Ok", Email: "ok@example.org", Password: "a long enough password"}, someone)
		ok(t, err)
		wantKind(t, e.svc.RevokeInvitation(o.Ctx("owner"), acc.ID), isms.KindConflict, "revoking an accepted invitation")
	})
}

func TestInvitationIsolation(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		a := testutil.NewOrg(t, e.svc, "Alpha Inv")
		b := testutil.NewOrg(t, e.svc, "Bravo Inv")
		_, inv, err := e.svc.CreateInvitation(a.Ctx("owner"), service.InviteInput{Email: "for-alpha@example.org", Role: isms.RoleViewer})
		ok(t, err)
		l, err := e.svc.ListInvitations(b.Ctx("admin"), "", service.Page{})
		ok(t, err)
		for _, it := range l.Items {
			if it.ID == inv.ID || strings.Contains(it.Email, "alpha") {
				t.Fatalf("B's admin lists A's invitation %+v", it)
			}
		}
		wantKind(t, e.svc.RevokeInvitation(b.Ctx("admin"), inv.ID), isms.KindNotFound, "B's admin revoking A's invitation")
		l, err = e.svc.ListInvitations(a.Ctx("owner"), isms.InvitationOpen, service.Page{})
		ok(t, err)
		if l.Total != 1 || l.Items[0].ID != inv.ID {
			t.Fatalf("A's open invitations after B's attempt: %+v", l.Items)
		}
	})
}

func TestApproverFlagOnlyByOwners(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Approver Org")
		owner, admin := o.Actors["owner"], o.Actors["admin"]
		member := func(email string) isms.Membership {
			m, found := memberByEmail(t, e, o.Ctx("owner"), email)
			if !found {
				t.Fatalf("%s is not a member", email)
			}
			return m
		}
		viewer, approver := member(o.Actors["viewer"].Email), member(o.Actors["approver"].Email)

		// Admins may neither grant nor remove the flag, nor invite with it.
		_, err := e.svc.UpdateMember(o.Ctx("admin"), viewer.UserID, service.UpdateMemberInput{Role: isms.RoleViewer, Approver: true, Version: viewer.Version})
		wantKind(t, err, isms.KindForbidden, "an admin granting the approver flag")
		_, err = e.svc.UpdateMember(o.Ctx("admin"), approver.UserID, service.UpdateMemberInput{Role: isms.RoleEditor, Approver: false, Version: approver.Version})
		wantKind(t, err, isms.KindForbidden, "an admin removing the approver flag")
		_, _, err = e.svc.CreateInvitation(o.Ctx("admin"), service.InviteInput{Email: "boss@example.org", Role: isms.RoleViewer, Approver: true})
		wantKind(t, err, isms.KindForbidden, "an admin inviting an approver")
		// An admin may still change an approver's role when the flag stays.
		_, err = e.svc.UpdateMember(o.Ctx("admin"), approver.UserID, service.UpdateMemberInput{Role: isms.RoleAuditor, Approver: true, Version: approver.Version})
		ok(t, err)
		if m := member(viewer.Email); m.Approver {
			t.Fatal("the refused grant changed the viewer")
		}

		// The only owner cannot grant it to themselves.
		self := member(owner.Email)
		self, err = e.svc.UpdateMember(o.Ctx("owner"), owner.UserID, service.UpdateMemberInput{Role: isms.RoleOwner, Approver: false, Version: self.Version})
		ok(t, err)
		_, err = e.svc.UpdateMember(o.Ctx("owner"), owner.UserID, service.UpdateMemberInput{Role: isms.RoleOwner, Approver: true, Version: self.Version})
		wantKind(t, err, isms.KindForbidden, "the only owner making themselves approver")
		// With a second owner it may (the other owner could take it back).
		_, err = e.svc.UpdateMember(o.Ctx("owner"), admin.UserID, service.UpdateMemberInput{Role: isms.RoleOwner, Version: member(admin.Email).Version})
		ok(t, err)
		_, err = e.svc.UpdateMember(o.Ctx("owner"), owner.UserID, service.UpdateMemberInput{Role: isms.RoleOwner, Approver: true, Version: self.Version})
		ok(t, err)
		// Owners grant it to others and invite approvers.
		_, err = e.svc.UpdateMember(o.Ctx("owner"), viewer.UserID, service.UpdateMemberInput{Role: isms.RoleViewer, Approver: true, Version: viewer.Version})
		ok(t, err)
		_, _, err = e.svc.CreateInvitation(o.Ctx("owner"), service.InviteInput{Email: "boss@example.org", Role: isms.RoleViewer, Approver: true})
		ok(t, err)
	})
}

func TestOrgCreationSetting(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		o := testutil.NewOrg(t, e.svc, "Setting Org")
		st, err := e.svc.InstallationSettings(ctx)
		ok(t, err)
		if st.OrgCreation != service.OrgCreationOwners {
			t.Fatalf("default org_creation = %q", st.OrgCreation)
		}
		try := func(role string) error {
			_, err := e.svc.CreateOrganisation(o.Ctx(role), "Spin-off by "+role+" "+st.OrgCreation)
			return err
		}
		// owners: owners and admins of some organisation; not editors, auditors, viewers or approvers.
		for _, role := range []string{"editor", "auditor", "viewer", "approver"} {
			wantKind(t, try(role), isms.KindForbidden, role+" creating an organisation under owners")
			ok(t, e.svc.MayCreateOrganisation(o.Ctx("owner")))
			wantKind(t, e.svc.MayCreateOrganisation(o.Ctx(role)), isms.KindForbidden, "MayCreateOrganisation for "+role)
		}
		ok(t, try("owner"))
		ok(t, try("admin"))

		_, err = e.svc.SetOrgCreation(ctx, "everybody")
		wantKind(t, err, isms.KindInvalid, "an unknown value")
		before, err := e.svc.SetOrgCreation(ctx, service.OrgCreationAnyone)
		ok(t, err)
		if before != service.OrgCreationOwners {
			t.Fatalf("before = %q", before)
		}
		st.OrgCreation = service.OrgCreationAnyone
		ok(t, try("viewer"))

		_, err = e.svc.SetOrgCreation(ctx, service.OrgCreationOperator)
		ok(t, err)
		st.OrgCreation = service.OrgCreationOperator
		err = try("owner")
		wantKind(t, err, isms.KindForbidden, "an owner creating an organisation under operator")
		if !strings.Contains(err.Error(), "org_creation = operator") {
			t.Errorf("message = %v", err)
		}
		// The command line is the operator.
		cli := o.Actors["viewer"]
		cli.Via = "cli"
		_, err = e.svc.CreateOrganisation(service.WithActor(ctx, cli), "Made by the operator")
		ok(t, err)
		// Setup of an empty installation is not concerned (it works only once, on an empty database).
	})
}
