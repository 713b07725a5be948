package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestFirstRunSetup: on an empty database the first page creates the organisation and its owner.
func TestFirstRunSetup(t *testing.T) {
	t.Parallel()
	_, b := start(t)
	firstRun(t, b)
}

// TestFirstRunSetupPostgres is the same journey on PostgreSQL (skipped without PRAXIS_TEST_PG, except in CI).
func TestFirstRunSetupPostgres(t *testing.T) {
	t.Parallel()
	_, b := startOn(t, sqldb.Postgres)
	firstRun(t, b)
}

func firstRun(t *testing.T, b *browser) {
	b.open("/")
	b.expectPath("/setup")
	if h := b.text("h1"); h != "Set up praxis" {
		t.Fatalf("the first page is titled %q", h)
	}

	// A short password: the browser itself objects (minlength) ...
	b.fill("Organisation name", "Acme Widgets Ltd")
	b.fill("Your name", "Ada Lovelace")
	b.fill("Your email", "ada@acme.example")
	b.fill("Password", "too short")
	var tooShort bool
	b.js("check the password's validity", &tooShort, `function() { return document.getElementById("password").validity.tooShort; }`)
	if !tooShort {
		t.Error("the browser does not flag a 9-character password as too short (minlength)")
	}
	// ... and so does the server, for browsers that do not validate: the form comes back with the field error
	// next to the password and everything else kept.
	var ok bool
	b.js("turn off the browser's validation", &ok, `function() { document.querySelector("main form").noValidate = true; return true; }`)
	if status := b.press("Create organisation"); status != http.StatusUnprocessableEntity {
		t.Errorf("a short password answers %d, want 422", status)
	}
	b.expectPath("/setup")
	b.seeIn(".error-box", "Please correct the fields marked below.")
	if e := b.text("#password + .field-error"); e != "must be at least 12 characters" {
		t.Errorf("the password's field error reads %q", e)
	}
	if n := b.count(".field-error"); n != 1 {
		t.Errorf("%d field errors shown, want only the password's", n)
	}
	for id, want := range map[string]string{"#org_name": "Acme Widgets Ltd", "#owner_name": "Ada Lovelace", "#email": "ada@acme.example", "#password": ""} {
		if got := b.value(id); got != want {
			t.Errorf("after the error %s holds %q, want %q", id, got, want)
		}
	}

	// A good password: the dashboard of the new organisation.
	b.fill("Password", testutil.Password)
	if status := b.press("Create organisation"); status != http.StatusOK {
		t.Errorf("setup lands on a page with status %d", status)
	}
	b.expectPath("/")
	if h := b.text("h1"); h != "Acme Widgets Ltd" {
		t.Errorf("the dashboard is titled %q, want the organisation's name", h)
	}
	b.seeIn(".flash", "Welcome to praxis. Your organisation is ready.")
	b.seeIn("header .user", "Ada Lovelace · owner · approver")
	if sel := b.text("#org-switch option:checked"); !strings.HasPrefix(sel, "Acme Widgets Ltd") {
		t.Errorf("the header's organisation select shows %q", sel)
	}
	// The dashboard's recent changes record the creation, by the new owner.
	row := b.row("main table tbody tr", "create organisation")
	if r := b.text(row); !strings.Contains(r, "ada@acme.example") || !strings.Contains(r, "acme-widgets-ltd") {
		t.Errorf("the recent change reads %q, want the owner's email and the organisation's slug", r)
	}
	// So does the audit trail.
	b.follow("main", "The whole audit trail")
	b.expectPath("/audit")
	if r := b.text(b.row("table.audit tbody tr", "organisation")); !strings.Contains(r, "ada@acme.example") || !strings.Contains(r, "create") {
		t.Errorf("the audit trail's first event reads %q", r)
	}

	// Setup is a one-time page.
	b.open("/setup")
	if p := b.path(); p == "/setup" {
		t.Errorf("the setup page is still offered after setup")
	}
}

// TestLoginLogout: wrong and right passwords, logging out, and the way back to a protected page.
func TestLoginLogout(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")

	b.open("/")
	b.expectPath("/login")
	if status := b.login("owner@acme.example", "not the password"); status != http.StatusUnauthorized {
		t.Errorf("a wrong password answers %d, want 401", status)
	}
	b.expectPath("/login")
	b.seeIn(".error-box", "wrong email or password")
	if v := b.value("#email"); v != "owner@acme.example" {
		t.Errorf("after a failed login the email field holds %q", v)
	}
	if v := b.value("#password"); v != "" {
		t.Error("after a failed login the password is sent back into the form")
	}

	b.login("owner@acme.example", testutil.Password)
	b.expectPath("/")
	if h := b.text("h1"); h != "Acme" {
		t.Errorf("the dashboard is titled %q", h)
	}
	b.seeIn("header .user", "Owner of Acme · owner")

	b.logout()
	b.expectPath("/login")
	b.seeIn(".flash", "You are logged out.")
	if n := b.count("header .user"); n != 0 {
		t.Error("the header still shows a user after logging out")
	}

	// A protected page sends to the login form, which then returns to it.
	b.open("/people")
	b.expectPath("/login?next=%2Fpeople")
	b.fill("Email", "owner@acme.example")
	b.fill("Password", testutil.Password)
	b.press("Log in")
	b.expectPath("/people")
	if h := b.text("h1"); h != "People" {
		t.Errorf("after logging in the page is titled %q, want People", h)
	}
}

// TestOneTimePassword: the owner `praxis init` created logs in with the one-time password and must replace it.
func TestOneTimePassword(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	_, oneTime, err := srv.Svc.Init(context.Background(), service.InitInput{OrgName: "Acme", OwnerEmail: "newbie@acme.example", OwnerName: "Nina Newbie"})
	if err != nil {
		t.Fatal(err)
	}
	if oneTime == "" {
		t.Fatal("Init returned no one-time password for a new user")
	}

	b.login("newbie@acme.example", oneTime)
	b.expectPath("/password")
	b.seeIn(".flash", "Choose a new password to replace your one-time password.")
	b.seeIn(".notice", "You logged in with a one-time password.")

	// Nothing else is reachable before the password is changed.
	b.open("/")
	b.expectPath("/password")
	b.open("/people")
	b.expectPath("/password")

	// A mismatched repetition is refused.
	b.fill("Current password", oneTime)
	b.fill("New password", "my own long passphrase")
	b.fill("Repeat the new password", "my own long passphrase!")
	b.press("Change password")
	b.expectPath("/password")
	if e := b.text("#confirm_password + .field-error"); e != "does not match the new password" {
		t.Errorf("the repetition's field error reads %q", e)
	}

	b.fill("Current password", oneTime)
	b.fill("New password", "my own long passphrase")
	b.fill("Repeat the new password", "my own long passphrase")
	b.press("Change password")
	b.expectPath("/")
	b.seeIn(".flash", "Your password is changed.")
	if h := b.text("h1"); h != "Acme" {
		t.Errorf("the dashboard is titled %q", h)
	}
	b.seeIn("header .user", "Nina Newbie · owner")
	b.open("/people")
	b.expectPath("/people")

	// The one-time password is spent; the new one works.
	b.logout()
	b.login("newbie@acme.example", oneTime)
	b.seeIn(".error-box", "wrong email or password")
	b.login("newbie@acme.example", "my own long passphrase")
	b.expectPath("/")
}

// TestSwitchOrganisation: a member of two organisations switches with the header's select (JavaScript submits
// it on change) and with its Switch button (without JavaScript); nothing of one shows in the other.
func TestSwitchOrganisation(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	ctx := context.Background()
	acme := testutil.NewOrg(t, srv.Svc, "Acme")
	beta, err := srv.Svc.CreateOrganisation(acme.Ctx("owner"), "Beta Labs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddPerson(acme.Ctx("owner"), service.PersonInput{Name: "Alice Acmeworker"}); err != nil {
		t.Fatal(err)
	}
	betaOwner, err := srv.Svc.OperatorActor(ctx, beta.Slug, "owner@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddPerson(service.WithActor(ctx, betaOwner), service.PersonInput{Name: "Bob Betaworker"}); err != nil {
		t.Fatal(err)
	}

	b.login("owner@acme.example", testutil.Password)
	b.expectPath("/")
	if opts := b.texts("#org-switch option"); len(opts) != 2 || !strings.HasPrefix(opts[0], "Acme") || !strings.HasPrefix(opts[1], "Beta Labs") {
		t.Fatalf("the organisation select offers %q, want Acme and Beta Labs", opts)
	}
	if h := b.text("h1"); h != "Acme" {
		t.Fatalf("after login the dashboard shows %q, want Acme (the first organisation)", h)
	}
	// With JavaScript the Switch button is hidden: choosing is enough.
	var hidden bool
	b.js("check the Switch button", &hidden, `function() { const el = document.querySelector(".org-switch button"); return !!el && el.offsetParent === null; }`)
	if !hidden {
		t.Error("with JavaScript the Switch button is still shown")
	}
	f := b.field("header", "Organisation")
	b.navigating("choose Beta Labs", chromedp.Evaluate(jsCall(setSelectJS, f.sel(), "Beta Labs"), nil))
	b.expectPath("/")
	b.seeIn(".flash", "You are now working in Beta Labs.")
	if h := b.text("h1"); h != "Beta Labs" {
		t.Errorf("after switching the dashboard shows %q, want Beta Labs", h)
	}
	if sel := b.text("#org-switch option:checked"); !strings.HasPrefix(sel, "Beta Labs") {
		t.Errorf("after switching the select shows %q", sel)
	}
	b.follow("header nav", "People")
	b.see("Bob Betaworker")
	b.notSee("Alice Acmeworker")

	// Without JavaScript the Switch button does it.
	b.disableJavaScript()
	b.open("/")
	b.fillIn("header", "Organisation", "Acme")
	b.pressIn("header", "Switch")
	b.expectPath("/")
	b.seeIn(".flash", "You are now working in Acme.")
	if h := b.text("h1"); h != "Acme" {
		t.Errorf("after switching back the dashboard shows %q, want Acme", h)
	}
	b.open("/people")
	b.see("Alice Acmeworker")
	b.notSee("Bob Betaworker")
}

// TestAuditTrail: the audit trail lists who did what, filters by entity and offers the CSV export.
func TestAuditTrail(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	if _, err := srv.Svc.AddPerson(org.Ctx("editor"), service.PersonInput{Name: "Grace Hopper", JobTitle: "Developer"}); err != nil {
		t.Fatal(err)
	}

	// A change through the UI, too.
	b.login("owner@acme.example", testutil.Password)
	b.open("/people")
	b.fill("Name", "Alan Turing")
	b.press("Add person")
	b.see("Alan Turing")

	b.follow("header nav", "Audit trail")
	b.expectPath("/audit")
	rows := b.texts("table.audit tbody tr")
	if len(rows) < 8 {
		t.Fatalf("the audit trail shows %d events, want at least 8 (organisation, 6 members, 2 people): %q", len(rows), rows)
	}
	// Newest first: the person added through the UI, by the owner.
	if !strings.Contains(rows[0], "owner@acme.example") || !strings.Contains(rows[0], "person") || !strings.Contains(rows[0], "web") {
		t.Errorf("the newest event reads %q, want the owner adding a person through the web", rows[0])
	}
	if r := b.text(b.row("table.audit tbody tr", "editor@acme.example")); !strings.Contains(r, "person") {
		t.Errorf("the editor's event reads %q", r)
	}
	b.text(b.row("table.audit tbody tr", "create"))

	// Filter by entity: only the people.
	b.fill("Entity", "person")
	b.press("Filter")
	if p := b.url(); p.Path != "/audit" || p.Query().Get("entity") != "person" {
		t.Errorf("filtering goes to %s", p)
	}
	rows = b.texts("table.audit tbody tr")
	if len(rows) != 2 {
		t.Errorf("filtered by entity person the trail shows %d events, want 2: %q", len(rows), rows)
	}
	for _, r := range rows {
		if !strings.Contains(r, "person") || strings.Contains(r, "member") {
			t.Errorf("filtered by person the trail shows %q", r)
		}
	}
	if v := b.value("#f-entity"); v != "person" {
		t.Errorf("the entity filter shows %q after filtering", v)
	}

	// The export link carries the filter.
	href, ok := b.attr("main a[download]", "href")
	if !ok || !strings.HasPrefix(href, "/audit/export.csv") || !strings.Contains(href, "entity=person") {
		t.Errorf("the CSV export link is %q (found %v), want /audit/export.csv with the filter", href, ok)
	}
	b.see("Export CSV")
	resp, err := srv.Login(t, "owner@acme.example", testutil.Password).Get(srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("the export link answers %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// Clear the filter.
	b.follow("main form", "Clear")
	b.expectPath("/audit")
	if n := b.count("table.audit tbody tr"); n < 8 {
		t.Errorf("after clearing the filter %d events are shown", n)
	}
}

// TestCatalog: the catalog filters by theme and shows a control's guidance.
func TestCatalog(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")
	ctl, ok := catalog.MustLoad().Control("8.28")
	if !ok || ctl.Guidance == nil || len(ctl.Guidance.Steps) == 0 {
		t.Fatal("the catalog has no guidance steps for 8.28")
	}

	b.login("viewer@acme.example", testutil.Password)
	b.follow("header nav", "Catalog")
	b.expectPath("/catalog")
	if n := b.count("table.controls tbody tr"); n != 93 {
		t.Errorf("the catalog lists %d controls, want 93", n)
	}

	b.fill("Theme", "Physical")
	b.press("Filter")
	if u := b.url(); u.Query().Get("theme") != "physical" {
		t.Errorf("filtering goes to %s", u)
	}
	rows := b.texts("table.controls tbody tr td:first-child")
	if len(rows) != 14 {
		t.Errorf("the physical theme lists %d controls, want 14: %q", len(rows), rows)
	}
	for _, id := range rows {
		if !strings.HasPrefix(id, "7.") {
			t.Errorf("the physical theme lists %s", id)
		}
	}
	b.seeIn(".result-count", "14 of 93 controls")

	// The 11 controls new in 2022.
	b.follow("main form", "Clear")
	b.check("New in 2022 only", true)
	b.press("Filter")
	if n := b.count("table.controls tbody tr"); n != 11 {
		t.Errorf("new in 2022 lists %d controls, want 11", n)
	}
	if n := b.count("table.controls tbody tr .tag.new"); n != 11 {
		t.Errorf("new in 2022 lists %d controls tagged new, want 11", n)
	}

	// 8.28 is technological: clear the filter, then open it from the list.
	b.follow("main form", "Clear")
	b.follow(b.row("table.controls tbody tr", "Secure coding"), "8.28")
	b.expectPath("/catalog/controls/8.28")
	if h := b.text("h1"); !strings.HasPrefix(h, "8.28 Secure coding") {
		t.Errorf("the control page is titled %q", h)
	}
	b.see("How to implement it")
	steps := b.texts("ol.steps li")
	if len(steps) != len(ctl.Guidance.Steps) {
		t.Fatalf("the page shows %d guidance steps, want %d", len(steps), len(ctl.Guidance.Steps))
	}
	for i, s := range ctl.Guidance.Steps {
		if steps[i] != strings.Join(strings.Fields(s), " ") {
			t.Errorf("step %d reads %q, want %q", i+1, steps[i], s)
		}
	}
}

// TestCatalogBrowse: a user narrows the controls by an attribute and by words, reads a clause, follows the
// 2013 to 2022 mapping both ways and opens the mandatory documents.
func TestCatalogBrowse(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")
	cat := catalog.MustLoad()
	detective, err := cat.Filter(catalog.Filter{Attrs: map[string][]string{"control_type": {"detective"}}})
	if err != nil || len(detective) == 0 {
		t.Fatalf("no detective controls: %v", err)
	}
	clause, _ := cat.Clause("6.1.2")
	docs := cat.MandatoryDocuments()

	b.login("viewer@acme.example", testutil.Password)
	b.open("/catalog")

	// An attribute filter: the detective controls, each showing its control type.
	b.fill("Control type", "detective")
	b.press("Filter")
	if u := b.url(); u.Query().Get("control_type") != "detective" {
		t.Errorf("filtering goes to %s", u)
	}
	b.seeIn(".result-count", fmt.Sprintf("%d of 93 controls match the filter", len(detective)))
	listed := b.texts("table.controls tbody tr td:first-child")
	if len(listed) != len(detective) {
		t.Errorf("the detective filter lists %d controls, want %d: %q", len(listed), len(detective), listed)
	}
	for i, tags := range b.texts("table.controls tbody tr td:nth-child(4)") {
		if !strings.Contains(tags, "detective") {
			t.Errorf("%s is listed as detective but shows %q", listed[i], tags)
		}
	}

	// Free text finds a control by what it is about; an id finds that control alone.
	b.follow("main form", "Clear")
	b.fill("Search", "secure coding")
	b.press("Filter")
	if r := b.text(b.row("table.controls tbody tr", "8.28")); !strings.Contains(r, "Secure coding") {
		t.Errorf("searching secure coding shows the row %q", r)
	}
	b.fill("Search", "8.1")
	b.press("Filter")
	if ids := b.texts("table.controls tbody tr td:first-child"); len(ids) != 1 || ids[0] != "8.1" {
		t.Errorf("searching 8.1 lists %q, want 8.1 alone", ids)
	}

	// A clause with its summary and what auditors check.
	b.follow("nav.subnav", "Clauses 4–10")
	b.expectPath("/catalog/clauses")
	b.follow("main", "6.1.2 Information security risk assessment")
	b.expectPath("/catalog/clauses/6.1.2")
	if h := b.text("h1"); h != "6.1.2 Information security risk assessment" {
		t.Errorf("the clause page is titled %q", h)
	}
	b.see(clause.Summary)
	b.see("What auditors check " + clause.AuditorChecks[0])
	b.see("Information security risk assessment process")

	// The mapping from 2013: A.14.2.1 became 8.25, whose page names its 2013 origin.
	b.follow("nav.subnav", "2013 → 2022 mapping")
	b.fill("2013 or 2022 control", "A.14.2.1")
	b.press("Find")
	b.seeIn(".result-count", "1 of 114 controls of 2013")
	row := b.row("table.mapping tbody tr", "A.14.2.1")
	if r := b.text(row); !strings.Contains(r, "Secure development policy") || !strings.Contains(r, "8.25 Secure development life cycle") {
		t.Errorf("the mapping row of A.14.2.1 reads %q", r)
	}
	b.follow(row, "8.25")
	b.expectPath("/catalog/controls/8.25")
	b.seeIn(`section[aria-labelledby="changes-h"]`, "It replaces this control of ISO/IEC 27001:2013: A.14.2.1 Secure development policy")
	// And back from 2022: the 2013 controls merged into 5.15.
	b.follow("nav.subnav", "2013 → 2022 mapping")
	b.fill("2013 or 2022 control", "5.15")
	b.press("Find")
	b.seeIn(".result-count", "2 of 114 controls of 2013")
	if rows := b.texts("table.mapping tbody tr th"); len(rows) != 2 || rows[0] != "A.9.1.1" || rows[1] != "A.9.1.2" {
		t.Errorf("5.15 came from %q, want A.9.1.1 and A.9.1.2", rows)
	}
	b.seeIn(b.row("table.mapping tbody tr", "A.9.1.2"), "Access to networks and network services")

	// The mandatory documents, each leading to the clause that requires it.
	b.follow("nav.subnav", "Mandatory documents")
	b.expectPath("/catalog/documents")
	if n := b.count("table.documents tbody tr"); n != len(docs) {
		t.Errorf("the page lists %d mandatory documents, want %d", n, len(docs))
	}
	b.seeIn(b.row("table.documents tbody tr", "Scope of the ISMS"), "Clause 4.3")
	b.follow(b.row("table.documents tbody tr", "Statement of Applicability"), "Clause 6.1.3 d)")
	b.expectPath("/catalog/clauses/6.1.3")
	b.seeIn(`section[aria-labelledby="docs-h"]`, "Statement of Applicability")
}

// TestAPITokens: a token's secret is shown once, works against the API, and stops working when revoked.
func TestAPITokens(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")

	b.login("editor@acme.example", testutil.Password)
	b.follow("header nav", "API tokens")
	b.expectPath("/settings/tokens")
	b.see("No tokens yet.")

	b.fill("Name", "ci")
	b.press("Create token")
	b.seeIn(".flash", "Token ci created. Copy it now: it will not be shown again.")
	secret := b.value("#new-token")
	if len(secret) < 20 {
		t.Fatalf("the token shown is %q", secret)
	}
	if _, ok := b.attr("#new-token", "readonly"); !ok {
		t.Error("the token field is not readonly")
	}
	// Focusing the field selects the whole secret, ready to copy.
	var selected string
	b.run("focus the token", chromedp.Focus("#new-token", chromedp.ByQuery))
	b.js("read the selection", &selected, `function() { const el = document.getElementById("new-token"); return el.value.substring(el.selectionStart, el.selectionEnd); }`)
	if selected != secret {
		t.Errorf("focusing the token selects %q, want all of it", selected)
	}
	row := b.row("main table tbody tr", "ci")
	if r := b.text(row); !strings.Contains(r, "active") || !strings.Contains(r, "never") {
		t.Errorf("the token's row reads %q", r)
	}
	if status := apiMe(t, srv, secret); status != http.StatusOK {
		t.Errorf("the new token answers %d on /api/v1/me", status)
	}

	// Shown once.
	b.open("/settings/tokens")
	if n := b.count("#new-token"); n != 0 {
		t.Error("the token is shown again on the next visit")
	}
	if strings.Contains(b.text("main"), secret) {
		t.Error("the token's secret appears on the page again")
	}

	// Revoking asks first; Cancel keeps it.
	row = b.row("main table tbody tr", "ci")
	if q := b.pressCancelled(row, "Revoke"); q != "Revoke token ci? Scripts using it will stop working." {
		t.Errorf("revoking asks %q", q)
	}
	if r := b.text(b.row("main table tbody tr", "ci")); !strings.Contains(r, "active") {
		t.Errorf("after Cancel the token's row reads %q", r)
	}
	row = b.row("main table tbody tr", "ci")
	b.pressIn(row, "Revoke")
	if q := b.lastDialog(); !strings.HasPrefix(q, "Revoke token ci?") {
		t.Errorf("revoking asked %q", q)
	}
	b.expectPath("/settings/tokens")
	b.seeIn(".flash", "Token revoked.")
	row = b.row("main table tbody tr", "ci")
	if r := b.text(row); !strings.Contains(r, "revoked") {
		t.Errorf("after revoking the token's row reads %q", r)
	}
	if n := b.count(row + " button"); n != 0 {
		t.Error("a revoked token still offers Revoke")
	}
	if status := apiMe(t, srv, secret); status != http.StatusUnauthorized {
		t.Errorf("the revoked token answers %d on /api/v1/me, want 401", status)
	}

	// A read-only token with a short life: listed as such, reads, and may not change anything.
	b.fill("Name", "dashboard")
	b.fill("Access", "read only")
	b.fill("Expires after", "30 days")
	b.press("Create token")
	reader := b.value("#new-token")
	r := b.text(b.row("main table tbody tr", "dashboard"))
	if expires := srv.Clock.Now().AddDate(0, 0, 30).Format("2006-01-02"); !strings.Contains(r, "read only") || !strings.Contains(r, expires) {
		t.Errorf("the read-only token's row reads %q, want read only and expiry %s", r, expires)
	}
	if status := apiMe(t, srv, reader); status != http.StatusOK {
		t.Errorf("the read-only token answers %d on /api/v1/me", status)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/people", strings.NewReader(`{"name": "Eve"}`))
	req.Header.Set("Authorization", "Bearer "+reader)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("the read-only token adding a person answers %d, want 403", resp.StatusCode)
	}
}

// apiMe calls GET /api/v1/me with a bearer token and returns the status.
func apiMe(t *testing.T, srv *testutil.Server, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
