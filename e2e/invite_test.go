package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestInvite: the owner invites two people on the members page and reads each link from the page (shown once).
// Someone new opens the first, logged out, creates an account with their own password and lands in the
// organisation; a user of another organisation opens the second, signs in from it, comes back and joins.
func TestInvite(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")
	testutil.NewOrg(t, srv.Svc, "Beta") // owner@beta.example has an account of their own

	b.login("owner@acme.example", testutil.Password)
	b.follow("header nav", "Members")
	b.expectPath("/members")
	if n := b.count("#invitation-link"); n != 0 {
		t.Error("the members page shows an invitation link before anyone is invited")
	}
	invite := func(email, role string) string {
		t.Helper()
		b.fill("#email", email)
		b.fill("#role", role)
		if status := b.press("Create invitation link"); status != http.StatusOK {
			t.Fatalf("inviting %s answers %d", email, status)
		}
		b.seeIn(".flash", "Invitation for "+email+" ("+role+") created.")
		b.seeIn(".secret", "Pass it on privately")
		link := b.value("#invitation-link")
		if !strings.HasPrefix(link, srv.URL+"/invite/") {
			t.Fatalf("the link shown is %q", link)
		}
		b.row("table.invitations tbody tr", email)
		return strings.TrimPrefix(link, srv.URL)
	}
	newcomer := invite("nina@elsewhere.example", "editor")
	existing := invite("owner@beta.example", "auditor")
	b.open("/members")
	if n := b.count("#invitation-link"); n != 0 || strings.Contains(b.text("main"), newcomer) {
		t.Error("the invitation link is shown again on the next visit")
	}
	b.logout()

	// Someone new: an account with their own password, straight into Acme.
	b.open(newcomer)
	b.seeIn("h1", "Join Acme")
	b.see("editor")
	b.fill("#name", "Nina New")
	b.fill("#email", "nina@elsewhere.example")
	b.fill("#password", "nina's own long password")
	b.fill("#confirm_password", "nina's own long password")
	b.press("Create account and join")
	b.expectPath("/")
	b.seeIn(".flash", "Welcome to Acme. You joined as editor.")
	b.seeIn("header .user", "Nina New · editor")
	b.logout()
	b.login("nina@elsewhere.example", "nina's own long password")
	b.expectPath("/")

	// The link works once.
	b.logout()
	if status := b.open(newcomer); status != http.StatusNotFound {
		t.Errorf("a used link answers %d", status)
	}
	b.see("this invitation link is not valid")

	// Someone with an account signs in from the invitation, comes back to it and joins.
	b.open(existing)
	b.follow("main", "Sign in")
	b.fill("Email", "owner@beta.example")
	b.fill("Password", testutil.Password)
	b.press("Log in")
	b.expectPath(existing)
	b.press("Join Acme as auditor")
	b.expectPath("/")
	b.seeIn(".flash", "You joined Acme as auditor.")
	b.seeIn("header .user", "auditor")
	if h := b.text("h1"); h != "Acme" {
		t.Errorf("after joining the dashboard is titled %q, want Acme", h)
	}
}
