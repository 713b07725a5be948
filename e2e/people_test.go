package e2e

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestPeopleLeavers: the owner records a contractor's manager and last day through the form; the account with
// that email is still a member, so the people page and the person's page warn, and the leavers filter finds them.
func TestPeopleLeavers(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	if _, err := srv.Svc.AddPerson(org.Ctx("editor"), service.PersonInput{Name: "Grace Boss", Team: "Ops"}); err != nil {
		t.Fatal(err)
	}

	b.login("owner@acme.example", testutil.Password)
	b.open("/people")
	add := "form.stack"
	b.fillIn(add, "Name", "Ed Editor")
	b.fillIn(add, "Email", "editor@acme.example")
	b.fillIn(add, "Team", "Ops")
	b.fillIn(add, "Manager", "Grace Boss")
	b.fillIn(add, "Employment", "contractor")
	b.fillIn(add, "Start date", "2024-01-01")
	b.fillIn(add, "End date", "2025-06-30")
	b.press("Add person")
	b.seeIn(".flash", "P-002 Ed Editor is added.")
	b.seeIn("#open-access", "member as editor")

	b.follow("main .crumbs", "People")
	b.seeIn("#open-access", "Ed Editor")
	b.fillIn("form.filters", "Leavers", "left, access still open")
	b.press("Filter")
	if q := b.url().Query().Get("leavers"); q != "open-access" {
		t.Errorf("the filter asks for leavers=%q", q)
	}
	if rows := b.texts("main table tbody tr"); len(rows) != 1 {
		t.Fatalf("leavers with open access: %q", rows)
	}
	b.seeIn("main table", "Grace Boss") // as Ed's manager
	b.seeIn("main table", "contractor")
}
