package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestTwoFactorJourney: a member turns on two-factor in the UI with the secret shown on the page, logs out,
// logs in with password and code, and lands on the dashboard; a recovery code works once.
func TestTwoFactorJourney(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")
	code := func(secret string) string {
		t.Helper()
		c, err := totp.GenerateCode(secret, srv.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	if status := b.login("editor@acme.example", testutil.Password); status != http.StatusOK {
		t.Fatalf("login lands with status %d", status)
	}
	b.open("/settings/two-factor")
	b.press("Set up two-factor")
	secret := b.text("#totp-secret")
	if len(secret) < 32 {
		t.Fatalf("the page shows the secret %q", secret)
	}
	if src, _ := b.attr("main img", "src"); len(src) < 100 || src[:22] != "data:image/png;base64," {
		t.Fatalf("the QR code is %.40q, want a PNG data: URI", src)
	}
	b.fill("Code from your app", code(secret))
	b.press("Turn on")
	b.seeIn(".flash", "Two-factor authentication is on.")
	recovery := b.texts("#recovery-codes code")
	if len(recovery) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(recovery))
	}
	b.logout()

	// Password, then a fresh code (the one that turned it on is used).
	srv.Clock.Advance(30 * time.Second)
	b.login("editor@acme.example", testutil.Password)
	b.expectPath("/login/code")
	b.fill("Code", code(secret))
	b.press("Verify")
	b.expectPath("/")
	if h := b.text("h1"); h != "Acme" {
		t.Fatalf("after the code the page is titled %q, want the dashboard", h)
	}
	b.logout()

	// A recovery code works once.
	for i, want := range []string{"/", "/login/code"} {
		b.login("editor@acme.example", testutil.Password)
		b.expectPath("/login/code")
		b.fill("Code", recovery[0])
		b.press("Verify")
		b.expectPath(want)
		if i == 0 {
			b.logout()
		}
	}
	b.seeIn(".error-box", "that code is not right")
}
