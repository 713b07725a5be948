package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A user in two organisations lands in the one used last, even when the other sorts first by name; without
// a last-used one, login asks which (never "the first by name", which an attacker's organisation could be).
func TestLoginLandsInLastUsedOrganisation(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		b := testutil.NewOrg(t, e.svc, "Zulu Works")
		email := b.Actors["editor"].Email
		// An organisation named to sort first, which the same person joined by invitation.
		a := testutil.NewOrg(t, e.svc, "Aaa Evil")
		testutil.Join(t, e.svc, a.Ctx("owner"), email, "", isms.RoleViewer, false)
		// Back to the first organisation: the next login returns there, although the other sorts first.
		_, act := login(t, e, email, testutil.Password)
		_, err := e.svc.SwitchOrganisation(service.WithActor(ctx, act), b.Slug)
		ok(t, err)
		r, err := e.svc.Authenticate(ctx, email, testutil.Password, service.Client{IP: "198.51.100.7"})
		ok(t, err)
		if r.Actor.OrgSlug != b.Slug || r.ChooseOrg {
			t.Fatalf("login lands in %q (choose: %v), want the organisation used last, %s", r.Actor.OrgSlug, r.ChooseOrg, b.Slug)
		}
		// Switching remembers the choice for the next login.
		_, err = e.svc.SwitchOrganisation(service.WithActor(ctx, r.Actor), a.Slug)
		ok(t, err)
		if _, act := login(t, e, email, testutil.Password); act.OrgSlug != a.Slug {
			t.Fatalf("after switching, login lands in %q, want %s", act.OrgSlug, a.Slug)
		}

		// Someone in two organisations who never chose: asked, in none until then.
		o1 := testutil.NewOrg(t, e.svc, "Beta One")
		testutil.Join(t, e.svc, a.Ctx("owner"), o1.Actors["viewer"].Email, "", isms.RoleViewer, false)
		ok(t, e.svc.Store().Write(ctx, func(tx *store.Tx) error { return tx.SetLastOrg(ctx, o1.Actors["viewer"].UserID, "") }))
		r, err = e.svc.Authenticate(ctx, o1.Actors["viewer"].Email, testutil.Password, service.Client{})
		ok(t, err)
		if !r.ChooseOrg || r.Actor.OrgID != "" {
			t.Fatalf("a user of two organisations without a last one lands in %q (choose: %v)", r.Actor.OrgSlug, r.ChooseOrg)
		}
	})
}

// Someone who knows a user's address cannot keep them out: 50 wrong passwords, from one address or from many,
// neither stop the right password from the user's known browser nor lock a new browser out for longer than a
// short, stated wait.
func TestGuessingCannotLockTheUserOut(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		o := testutil.NewOrg(t, e.svc, "Lockout Org")
		email := o.Actors["editor"].Email
		home := service.Client{IP: "198.51.100.20", UserAgent: "laptop"}
		r, err := e.svc.Authenticate(ctx, email, testutil.Password, home)
		ok(t, err)
		if len(r.Device) < 40 {
			t.Fatalf("a login hands out no known-browser token: %q", r.Device)
		}
		home.Device = r.Device

		guess := func() {
			for i := range 50 {
				attacker := service.Client{IP: fmt.Sprintf("203.0.113.%d", i%5)} // five addresses, ten guesses each
				_, _, err := e.svc.Login(ctx, email, "guess number "+fmt.Sprint(i), attacker)
				if k := isms.ErrorKind(err); k != isms.KindUnauthenticated && k != isms.KindTooManyRequests {
					t.Fatalf("guess %d: %v", i, err)
				}
			}
			one := service.Client{IP: "203.0.113.99"}
			for range 50 {
				_, _, _ = e.svc.Login(ctx, email, "guess from one address", one)
			}
		}
		guess()

		// A new browser is asked to wait (and told how long), then gets in.
		fresh := service.Client{IP: "198.51.100.21", UserAgent: "new phone"}
		_, err = e.svc.Authenticate(ctx, email, testutil.Password, fresh)
		wantKind(t, err, isms.KindTooManyRequests, "right password from a new browser during the delay")
		wait := isms.RetryAfter(err)
		if wait <= 0 || wait > 2*time.Minute {
			t.Fatalf("the refusal asks to wait %s, want a short positive wait", wait)
		}
		e.clock.Advance(wait)
		_, err = e.svc.Authenticate(ctx, email, testutil.Password, fresh)
		ok(t, err)

		// The known browser gets straight in with the right password, whatever the guessing.
		guess()
		r, err = e.svc.Authenticate(ctx, email, testutil.Password, home)
		ok(t, err)
		if r.Session == "" || r.Device != home.Device {
			t.Fatalf("known browser: session %q, device %q (want the same device token)", r.Session, r.Device)
		}
		// The wrong password from the known browser is still wrong.
		_, err = e.svc.Authenticate(ctx, email, "still a guess!!", home)
		wantKind(t, err, isms.KindUnauthenticated, "wrong password from the known browser")

		// A cookie of another account is no known browser here.
		other, err := e.svc.Authenticate(ctx, o.Actors["viewer"].Email, testutil.Password, service.Client{})
		ok(t, err)
		guess()
		_, err = e.svc.Authenticate(ctx, email, testutil.Password, service.Client{Device: other.Device})
		wantKind(t, err, isms.KindTooManyRequests, "another account's browser cookie")
	})
}

// Guessing the current password on an open session is slowed down per account, with a stated wait.
func TestChangePasswordGuessesAreLimited(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Guess Org")
		ctx := o.Ctx("viewer")
		for range 3 {
			wantKind(t, e.svc.ChangePassword(ctx, "not the password", "a brand new password"), isms.KindInvalid, "wrong current password")
		}
		err := e.svc.ChangePassword(ctx, testutil.Password, "a brand new password")
		wantKind(t, err, isms.KindTooManyRequests, "right current password during the delay")
		if isms.RetryAfter(err) <= 0 {
			t.Fatalf("no wait stated: %v", err)
		}
		e.clock.Advance(isms.RetryAfter(err))
		ok(t, e.svc.ChangePassword(ctx, testutil.Password, "a brand new password"))
	})
}

// code is the current code of secret by the test's clock, as the user's app would show it.
func code(t *testing.T, e *env, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now())
	ok(t, err)
	return c
}

// turnOnTwoFactor sets up two-factor for the member of role and returns the secret and recovery codes.
func turnOnTwoFactor(t *testing.T, e *env, ctx context.Context) (string, []string) {
	t.Helper()
	key, err := e.svc.BeginTwoFactor(ctx)
	ok(t, err)
	codes, err := e.svc.EnableTwoFactor(ctx, code(t, e, key.Secret), service.Client{})
	ok(t, err)
	e.clock.Advance(30 * time.Second) // the confirming code is used: the next login needs the next one
	return key.Secret, codes
}

func TestTwoFactorLogin(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		o := testutil.NewOrg(t, e.svc, "Tfa Org")
		email := o.Actors["editor"].Email
		ectx := o.Ctx("editor")

		key, err := e.svc.BeginTwoFactor(ectx)
		ok(t, err)
		if len(key.Secret) < 32 || key.URI == "" || len(key.QR) < 100 || key.QR[:22] != "data:image/png;base64," {
			t.Fatalf("set-up key = %+v", key)
		}
		_, err = e.svc.EnableTwoFactor(ectx, "000000", service.Client{})
		wantKind(t, err, isms.KindInvalid, "confirming with a wrong code")
		if _, a := login(t, e, email, testutil.Password); a.UserID == "" {
			t.Fatal("a set-up that was never confirmed asks for a code")
		}
		codes, err := e.svc.EnableTwoFactor(ectx, code(t, e, key.Secret), service.Client{})
		ok(t, err)
		if len(codes) != service.RecoveryCodeCount || codes[0] == codes[1] {
			t.Fatalf("recovery codes = %v", codes)
		}
		st, err := e.svc.TwoFactor(ectx)
		ok(t, err)
		if !st.Enabled || st.RecoveryCodes != 10 {
			t.Fatalf("status = %+v", st)
		}

		// The password alone opens nothing.
		_, _, err = e.svc.Login(ctx, email, testutil.Password, service.Client{})
		wantKind(t, err, isms.KindUnauthenticated, "password only with two-factor on")
		r, err := e.svc.Authenticate(ctx, email, testutil.Password, service.Client{IP: "198.51.100.30"})
		ok(t, err)
		if r.Pending == "" || r.Session != "" {
			t.Fatalf("password step = %+v, want a pending login only", r)
		}
		_, err = e.svc.SessionActor(ctx, r.Pending)
		wantKind(t, err, isms.KindUnauthenticated, "the pending login used as a session")

		// The code that confirmed the set-up cannot be replayed.
		_, err = e.svc.SecondFactor(ctx, r.Pending, code(t, e, key.Secret), service.Client{})
		wantKind(t, err, isms.KindUnauthenticated, "the confirming code replayed")
		e.clock.Advance(30 * time.Second)
		c := code(t, e, key.Secret)
		done, err := e.svc.SecondFactor(ctx, r.Pending, c, service.Client{IP: "198.51.100.30"})
		ok(t, err)
		if done.Session == "" || done.Actor.OrgSlug != o.Slug {
			t.Fatalf("second step = %+v", done)
		}
		if _, err := e.svc.SessionActor(ctx, done.Session); err != nil {
			t.Fatalf("the session after the code: %v", err)
		}
		_, err = e.svc.SecondFactor(ctx, r.Pending, c, service.Client{})
		wantKind(t, err, isms.KindUnauthenticated, "the pending login used twice")

		// A code works once, even on a new login within its 30 seconds.
		r, err = e.svc.Authenticate(ctx, email, testutil.Password, service.Client{})
		ok(t, err)
		_, err = e.svc.SecondFactor(ctx, r.Pending, c, service.Client{})
		wantKind(t, err, isms.KindUnauthenticated, "a used code on a new login")
		// A recovery code works once, in any case and with spaces.
		rc := " " + codes[3] + " "
		_, err = e.svc.SecondFactor(ctx, r.Pending, rc, service.Client{})
		ok(t, err)
		r, err = e.svc.Authenticate(ctx, email, testutil.Password, service.Client{})
		ok(t, err)
		_, err = e.svc.SecondFactor(ctx, r.Pending, rc, service.Client{})
		wantKind(t, err, isms.KindUnauthenticated, "a used recovery code")

		// The pending login expires after five minutes.
		e.clock.Advance(service.PendingLoginTTL + time.Second)
		_, err = e.svc.SecondFactor(ctx, r.Pending, code(t, e, key.Secret), service.Client{})
		wantKind(t, err, isms.KindUnauthenticated, "a pending login past five minutes")

		// Wrong codes count against the account like wrong passwords (the window forgets the ones above).
		e.clock.Advance(service.LoginWindow)
		r, err = e.svc.Authenticate(ctx, email, testutil.Password, service.Client{})
		ok(t, err)
		for range 3 {
			_, err = e.svc.SecondFactor(ctx, r.Pending, "123456", service.Client{})
			wantKind(t, err, isms.KindUnauthenticated, "wrong code")
		}
		_, err = e.svc.SecondFactor(ctx, r.Pending, code(t, e, key.Secret), service.Client{})
		wantKind(t, err, isms.KindTooManyRequests, "the right code right after three wrong ones")

		// New recovery codes replace the old; turning off needs the password and a code.
		e.clock.Advance(time.Minute)
		fresh, err := e.svc.RegenerateRecoveryCodes(ectx)
		ok(t, err)
		if slices.Contains(fresh, codes[0]) {
			t.Fatal("a regenerated set repeats an old code")
		}
		err = e.svc.DisableTwoFactor(ectx, "wrong password!", code(t, e, key.Secret), service.Client{})
		wantKind(t, err, isms.KindInvalid, "turning off with a wrong password")
		err = e.svc.DisableTwoFactor(ectx, testutil.Password, codes[0], service.Client{})
		wantKind(t, err, isms.KindInvalid, "turning off with a replaced recovery code")
		ok(t, e.svc.DisableTwoFactor(ectx, testutil.Password, fresh[0], service.Client{}))
		login(t, e, email, testutil.Password)

		kinds := map[string]int{}
		l, err := e.svc.ListSecurityEvents(o.Ctx("owner"), service.Page{Limit: 500})
		ok(t, err)
		for _, ev := range l.Items {
			if ev.Email == email {
				kinds[ev.Kind]++
			}
		}
		for _, k := range []string{isms.EventTwoFactorOn, isms.EventTwoFactorPassed, isms.EventRecoveryCodeUsed, isms.EventTwoFactorFailed,
			isms.EventLoginRefused, isms.EventTwoFactorOff, isms.EventLogin} {
			if kinds[k] == 0 {
				t.Errorf("no %q event recorded: %v", k, kinds)
			}
		}
	})
}

// When an organisation requires two-factor, a member without it may do nothing there until it is set up; the
// API refuses too (same service check). API tokens keep working.
func TestRequiredTwoFactor(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		o := testutil.NewOrg(t, e.svc, "Strict Org")
		secret, _, err := e.svc.CreateToken(o.Ctx("viewer"), "ci")
		ok(t, err)
		_, err = e.svc.SetRequireTwoFactor(o.Ctx("admin"), true)
		wantKind(t, err, isms.KindForbidden, "an admin requiring two-factor")
		org, err := e.svc.SetRequireTwoFactor(o.Ctx("owner"), true)
		ok(t, err)
		if !org.RequireTwoFactor {
			t.Fatal("the requirement is not on")
		}
		if ev := trail(t, e, orgID(o)); ev[len(ev)-1].Entity != "organisation" || ev[len(ev)-1].Action != "update" {
			t.Fatalf("no audit event for the requirement: %+v", ev[len(ev)-1])
		}

		tok, a := login(t, e, o.Actors["viewer"].Email, testutil.Password)
		if !a.MustSetUpTwoFactor {
			t.Fatalf("viewer without two-factor: %+v", a)
		}
		vctx := service.WithActor(ctx, a)
		_, err = e.svc.ListPeople(vctx, service.PersonFilter{}, service.Page{})
		wantKind(t, err, isms.KindForbidden, "reading before setting up two-factor")
		// The API token still works.
		ta, err := e.svc.TokenActor(ctx, secret)
		ok(t, err)
		_, err = e.svc.ListPeople(service.WithActor(ctx, ta), service.PersonFilter{}, service.Page{})
		ok(t, err)

		turnOnTwoFactor(t, e, vctx)
		s, err := e.svc.SessionActor(ctx, tok)
		ok(t, err)
		if s.MustSetUpTwoFactor {
			t.Fatal("still sent to set up two-factor after doing so")
		}
		_, err = e.svc.ListPeople(service.WithActor(ctx, s), service.PersonFilter{}, service.Page{})
		ok(t, err)
	})
}

// Reset links: an owner issues one for a member (audited), it works once within the hour, sets the password
// and ends the member's sessions; the operator's may turn two-factor off.
func TestResetLinks(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		o := testutil.NewOrg(t, e.svc, "Reset Org")
		other := testutil.NewOrg(t, e.svc, "Other Reset Org")
		ed := o.Actors["editor"]
		_, err := e.svc.IssueResetLink(o.Ctx("admin"), ed.UserID)
		wantKind(t, err, isms.KindForbidden, "an admin issuing a reset link")
		_, err = e.svc.IssueResetLink(other.Ctx("owner"), ed.UserID)
		wantKind(t, err, isms.KindNotFound, "another organisation's owner issuing a reset link")

		old, _ := login(t, e, ed.Email, testutil.Password)
		apiToken, _, err := e.svc.CreateToken(o.Ctx("editor"), "made before the reset")
		ok(t, err)
		token, err := e.svc.IssueResetLink(o.Ctx("owner"), ed.UserID)
		ok(t, err)
		if ev := trail(t, e, orgID(o)); ev[len(ev)-1].Action != "issue reset link" || ev[len(ev)-1].Ref != ed.Email {
			t.Fatalf("last audit event = %+v", ev[len(ev)-1])
		}
		if got, err := e.svc.ResetLinkEmail(ctx, token); err != nil || got != ed.Email {
			t.Fatalf("reset link is for %q, %v", got, err)
		}
		wantKind(t, e.svc.ResetPassword(ctx, token, "short", service.Client{}), isms.KindInvalid, "a short new password")
		ok(t, e.svc.ResetPassword(ctx, token, "a password from the link", service.Client{}))
		_, err = e.svc.SessionActor(ctx, old)
		wantKind(t, err, isms.KindUnauthenticated, "an old session after the reset")
		_, err = e.svc.TokenActor(ctx, apiToken)
		wantKind(t, err, isms.KindUnauthenticated, "an API token made before the reset")
		login(t, e, ed.Email, "a password from the link")
		wantKind(t, e.svc.ResetPassword(ctx, token, "another new password", service.Client{}), isms.KindNotFound, "the link used twice")

		// Expiry.
		token, err = e.svc.OperatorResetLink(ctx, ed.Email, false)
		ok(t, err)
		e.clock.Advance(service.ResetLinkTTL + time.Second)
		wantKind(t, e.svc.ResetPassword(ctx, token, "another new password", service.Client{}), isms.KindNotFound, "an expired link")

		// The operator's link may turn two-factor off.
		vctx := o.Ctx("viewer")
		turnOnTwoFactor(t, e, vctx)
		token, err = e.svc.OperatorResetLink(ctx, o.Actors["viewer"].Email, true)
		ok(t, err)
		ok(t, e.svc.ResetPassword(ctx, token, "lost my phone password", service.Client{}))
		login(t, e, o.Actors["viewer"].Email, "lost my phone password")
	})
}

// Owners read their members' security events, failures with the address included; others may not; an owner
// of another organisation sees none of a member who is not theirs.
func TestSecurityEvents(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a := testutil.NewOrg(t, e.svc, "Events A")
		b := testutil.NewOrg(t, e.svc, "Events B")
		victim := a.Actors["auditor"].Email
		_, _, err := e.svc.Login(ctx, "  "+victim, "not the password", service.Client{IP: "203.0.113.77", UserAgent: "curl"})
		wantKind(t, err, isms.KindUnauthenticated, "wrong password")
		_, _, err = e.svc.Login(ctx, "nobody@events-a.example", "not the password", service.Client{IP: "203.0.113.78"})
		wantKind(t, err, isms.KindUnauthenticated, "unknown email")

		l, err := e.svc.ListSecurityEvents(a.Ctx("owner"), service.Page{})
		ok(t, err)
		if len(l.Items) == 0 || l.Items[0].Kind != isms.EventLoginFailed || l.Items[0].Email != victim || l.Items[0].IP != "203.0.113.77" {
			t.Fatalf("newest event of A = %+v", l.Items)
		}
		for _, ev := range l.Items {
			if ev.Email == "nobody@events-a.example" {
				t.Fatalf("an unknown address's failure is shown to A's owner: %+v", ev)
			}
		}
		for _, role := range []string{"admin", "auditor", "editor", "viewer"} {
			_, err := e.svc.ListSecurityEvents(a.Ctx(role), service.Page{})
			wantKind(t, err, isms.KindForbidden, role+" reading security events")
		}
		lb, err := e.svc.ListSecurityEvents(b.Ctx("owner"), service.Page{Limit: 500})
		ok(t, err)
		for _, ev := range lb.Items {
			if ev.Email == victim || ev.Email == a.Actors["owner"].Email {
				t.Fatalf("B's owner sees an event of A's member: %+v", ev)
			}
		}
	})
}
