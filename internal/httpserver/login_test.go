package httpserver_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
	"github.com/praxis-isms/praxis/internal/web"
)

// TestKnownBrowserGetsThroughGuessing: 50 wrong passwords for an account cannot keep its user out. Their known
// browser (the praxis_device cookie of an earlier login) gets straight in; a new browser is told to wait, with
// Retry-After, and gets in once the wait is over.
func TestKnownBrowserGetsThroughGuessing(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	email := "editor@acme.example"
	first := loginAnswer(t, srv, email, testutil.Password)
	want(t, first, http.StatusSeeOther, "first login")
	device := first.Cookie(web.DeviceCookie)
	if device == nil || len(device.Value) < 40 || !device.HttpOnly || device.MaxAge < 365*24*3600 {
		t.Fatalf("login set no long-lived known-browser cookie: %v", first.Header["Set-Cookie"])
	}

	for i := range 50 {
		a := loginAnswer(t, srv, email, "guess "+strconv.Itoa(i))
		if a.Status != http.StatusUnauthorized && a.Status != http.StatusTooManyRequests {
			t.Fatalf("guess %d: status %d", i, a.Status)
		}
	}
	known := loginAnswer(t, srv, email, testutil.Password, "Cookie", web.DeviceCookie+"="+device.Value)
	want(t, known, http.StatusSeeOther, "the right password from the known browser")
	if c := known.Cookie(web.SessionCookie); c == nil || c.Value == "" {
		t.Fatal("the known browser got no session")
	}

	for i := range 50 {
		loginAnswer(t, srv, email, "more guesses "+strconv.Itoa(i))
	}
	fresh := loginAnswer(t, srv, email, testutil.Password)
	want(t, fresh, http.StatusTooManyRequests, "the right password from a new browser")
	wait, err := strconv.Atoi(fresh.Header.Get("Retry-After"))
	if err != nil || wait <= 0 {
		t.Fatalf("Retry-After %q", fresh.Header.Get("Retry-After"))
	}
	srv.Clock.Advance(time.Duration(wait) * time.Second)
	want(t, loginAnswer(t, srv, email, testutil.Password), http.StatusSeeOther, "the new browser after the wait")
}

// TestPasswordGuessesLimited: guessing the current password on /password is answered 429 with Retry-After.
func TestPasswordGuessesLimited(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	testutil.NewOrg(t, srv.Svc, "Acme")
	c := srv.Login(t, "viewer@acme.example", testutil.Password)
	form := func(current string) url.Values {
		return url.Values{"current_password": {current}, "new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}
	}
	for range 3 {
		want(t, post(t, srv, c, "/password", form("a wrong guess!!")), http.StatusUnprocessableEntity, "wrong current password")
	}
	a := post(t, srv, c, "/password", form(testutil.Password))
	want(t, a, http.StatusTooManyRequests, "the right password at once after 3 guesses")
	if a.Header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q, want 1", a.Header.Get("Retry-After"))
	}
	srv.Clock.Advance(time.Second)
	want(t, post(t, srv, c, "/password", form(testutil.Password)), http.StatusSeeOther, "after the wait")
}

// twoFactorCode starts the two-factor set-up of role's member and returns the code that confirms it.
func (m *matrix) twoFactorCode(t *testing.T, role string) string {
	t.Helper()
	key, err := m.srv.Svc.BeginTwoFactor(m.org.Ctx(role))
	m.ok(t, err)
	code, err := totp.GenerateCode(key.Secret, m.srv.Clock.Now())
	m.ok(t, err)
	return code
}

// twoFactorOn turns two-factor on for role's member and returns the recovery codes.
func (m *matrix) twoFactorOn(t *testing.T, role string) []string {
	t.Helper()
	codes, err := m.srv.Svc.EnableTwoFactor(m.org.Ctx(role), m.twoFactorCode(t, role), service.Client{})
	m.ok(t, err)
	return codes
}

// twoFactorOff turns two-factor off again behind the service's back, so that the next rows log in with the
// password alone.
func twoFactorOff(t *testing.T, m *matrix, role string) {
	ctx := t.Context()
	m.ok(t, m.srv.Svc.Store().Write(ctx, func(tx *store.Tx) error { return tx.SetTOTPSecret(ctx, m.org.Actors[role].UserID, "") }))
}
