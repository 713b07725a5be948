package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
	"github.com/praxis-isms/praxis/internal/web"
)

func person(name, email, job, dept, start string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "job_title": {job}, "department": {dept}, "start_date": {start}}
}

func TestPeopleAddSearchEdit(t *testing.T) {
	srv, _, c := startOrg(t, "owner")
	owner := c["owner"]

	expect(t, "empty register", get(t, srv, owner, "/people"), http.StatusOK, "No people yet.", `id="add-person"`)

	a := post(t, srv, owner, "/people", person("Ada Lovelace", "Ada@Acme.example", "Analyst", "Engineering", "2024-01-15"))
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/people/P-001" {
		t.Fatalf("add: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	expect(t, "added person", get(t, srv, owner, "/people/P-001"), http.StatusOK, "P-001 Ada Lovelace is added.",
		`value="Ada Lovelace"`, `value="ada@acme.example"`, `value="Analyst"`, `value="Engineering"`, `value="2024-01-15"`, `name="version" value="1"`)
	a = post(t, srv, owner, "/people", person("Grace Hopper", "", "Rear admiral", "Operations", ""))
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/people/P-002" {
		t.Fatalf("add: status %d, Location %q", a.Status, a.Header.Get("Location"))
	}

	a = get(t, srv, owner, "/people")
	expect(t, "list", a, http.StatusOK, `<a href="/people/P-001">Ada Lovelace</a>`, `<a href="/people/P-002">Grace Hopper</a>`,
		"<td>Analyst</td>", "<td>2024-01-15</td>", `href="/people?department=Engineering"`)

	for _, tc := range []struct{ query, want, not string }{
		{"q=ADA", "Ada Lovelace", "Grace Hopper</a>"},        // name, any case (the manager picker names everyone)
		{"q=admiral", "Grace Hopper", "Ada Lovelace</a>"},    // job title
		{"q=ada%40acme", "Ada Lovelace", "Grace Hopper</a>"}, // email
		{"department=Operations", "Grace Hopper", "Ada Lovelace</a>"},
		{"q=ada&department=Operations", "No one matches “ada” in the department Operations.", "Grace Hopper</a>"},
	} {
		a := get(t, srv, owner, "/people?"+tc.query)
		expect(t, "search "+tc.query, a, http.StatusOK, tc.want)
		refuse(t, "search "+tc.query, a, tc.not)
	}
	a = get(t, srv, owner, "/people?q=ada&department=Operations")
	expect(t, "search keeps its input", a, http.StatusOK, `id="q" name="q" type="search" value="ada"`, `id="department-filter" name="department" value="Operations"`, `href="/people" class="button secondary">Clear</a>`)

	a = post(t, srv, owner, "/people/P-001", url.Values{"name": {"Ada King"}, "email": {"ada@acme.example"}, "job_title": {"Countess"},
		"department": {"Engineering"}, "start_date": {"2024-01-15"}, "version": {"1"}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/people/P-001" {
		t.Fatalf("edit: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	expect(t, "edited", get(t, srv, owner, "/people/P-001"), http.StatusOK, "P-001 Ada King is saved.", `value="Countess"`, `name="version" value="2"`)

	expect(t, "unknown person", get(t, srv, owner, "/people/P-999"), http.StatusNotFound, "person P-999 not found")
}

func TestPeopleFieldErrors(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	a := post(t, srv, c["owner"], "/people", person("", "not-an-email", "Analyst", "", "15/01/2024"))
	expect(t, "bad person", a, http.StatusUnprocessableEntity, "Please correct the fields marked below.", `value="not-an-email"`, `value="Analyst"`)
	form := a.Body[strings.Index(a.Body, `id="add-person"`):]
	order := []string{`id="name"`, "is required", `id="email"`, "must be an email address", `id="job_title"`, `id="start_date"`, "must be a date as YYYY-MM-DD", "Add person</button>"}
	at := -1
	for _, s := range order {
		i := strings.Index(form, s)
		if i < 0 || i < at {
			t.Fatalf("%q missing or out of place in the add form\n%s", s, form)
		}
		at = i
	}

	if _, err := srv.Svc.AddPerson(org.Ctx("owner"), service.PersonInput{Name: "Ada Lovelace"}); err != nil {
		t.Fatal(err)
	}
	a = post(t, srv, c["owner"], "/people/P-001", url.Values{"name": {" "}, "version": {"1"}})
	expect(t, "bad edit", a, http.StatusUnprocessableEntity, "is required", `name="version" value="1"`)
}

func TestPeopleStaleEditKeepsInput(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Ada Lovelace", JobTitle: "Analyst"}); err != nil {
		t.Fatal(err)
	}
	expect(t, "open the form", get(t, srv, c["owner"], "/people/P-001"), http.StatusOK, `name="version" value="1"`)
	// Someone else saves first.
	if _, err := srv.Svc.UpdatePerson(ctx, "P-001", service.PersonInput{Name: "Ada Lovelace", JobTitle: "Head of analysis", Version: 1}); err != nil {
		t.Fatal(err)
	}

	mine := url.Values{"name": {"Ada Byron"}, "job_title": {"Mathematician"}, "department": {"Research"}, "version": {"1"}}
	a := post(t, srv, c["owner"], "/people/P-001", mine)
	expect(t, "stale edit", a, http.StatusConflict,
		"person P-001 was changed by someone else; reload it and apply your change again",
		`value="Ada Byron"`, `value="Mathematician"`, `value="Research"`, // the input is kept
		"<dd>Head of analysis</dd>", // what is saved now is shown
		staleNotice, "Someone else saved this person while you were editing.", `<a href="/people/P-001">reload</a>`,
		`name="version" value="2"`) // saving again deliberately replaces it
	p, err := srv.Svc.Person(ctx, "P-001")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Ada Lovelace" || p.JobTitle != "Head of analysis" || p.Version != 2 {
		t.Fatalf("stale edit changed the person: %+v", p)
	}

	mine.Set("version", "2")
	a = post(t, srv, c["owner"], "/people/P-001", mine)
	if a.Status != http.StatusSeeOther {
		t.Fatalf("save after conflict: status %d\n%s", a.Status, a.Body)
	}
	if p, _ := srv.Svc.Person(ctx, "P-001"); p.Name != "Ada Byron" || p.Department != "Research" {
		t.Fatalf("save after conflict: %+v", p)
	}
}

func TestPeopleRoles(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer", "auditor")

	a := post(t, srv, c["editor"], "/people", person("Ada Lovelace", "", "", "", ""))
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/people/P-001" {
		t.Fatalf("editor adds: status %d, Location %q\n%s", a.Status, a.Header.Get("Location"), a.Body)
	}
	expect(t, "editor sees the forms", get(t, srv, c["editor"], "/people"), http.StatusOK, `id="add-person"`)
	expect(t, "editor edits", get(t, srv, c["editor"], "/people/P-001"), http.StatusOK, `action="/people/P-001"`)

	for _, role := range []string{"viewer", "auditor"} {
		a = post(t, srv, c[role], "/people", person("Eve", "", "", "", ""))
		expect(t, role+" adds", a, http.StatusForbidden, "<h1>Not allowed</h1>")
		a = post(t, srv, c[role], "/people/P-001", url.Values{"name": {"Eve"}, "version": {"1"}})
		expect(t, role+" edits", a, http.StatusForbidden, "<h1>Not allowed</h1>")

		a = get(t, srv, c[role], "/people")
		expect(t, role+" lists", a, http.StatusOK, "Ada Lovelace")
		refuse(t, role+" lists", a, `id="add-person"`, `method="post" action="/people"`)
		a = get(t, srv, c[role], "/people/P-001")
		expect(t, role+" reads", a, http.StatusOK, "<dd>Ada Lovelace</dd>")
		refuse(t, role+" reads", a, `action="/people/P-001"`, `name="version"`)
	}
	l, err := srv.Svc.ListPeople(org.Ctx("owner"), service.PersonFilter{}, service.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 1 || l.Items[0].Name != "Ada Lovelace" || l.Items[0].Version != 1 {
		t.Fatalf("refused requests changed the register: %+v", l)
	}
}

// addPeople adds n people named "Person 000" on and returns the reference of the last.
func addPeople(t *testing.T, srv *testutil.Server, ctx context.Context, from, n int) string {
	t.Helper()
	var last string
	for i := from; i < from+n; i++ {
		p, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: fmt.Sprintf("Person %03d", i)})
		if err != nil {
			t.Fatal(err)
		}
		last = p.Ref
	}
	return last
}

// TestOwnerPickerScales: up to 300 people the asset's owner is a drop-down with its owner selected; from the
// 301st a text field holding the owner's reference replaces it (no 301-option select), which takes a name too,
// so that the form works without JavaScript and saving it never drops the owner.
func TestOwnerPickerScales(t *testing.T) {
	srv, org, c := startOrg(t, "editor")
	ctx := org.Ctx("editor")
	last := addPeople(t, srv, ctx, 0, 300)
	a, err := srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Laptop", Type: "hardware", Owner: last})
	if err != nil || a.Owner != "P-300" {
		t.Fatalf("asset %+v, %v", a, err)
	}
	page := get(t, srv, c["editor"], "/assets/"+a.Ref)
	expect(t, "asset page, 300 people", page, http.StatusOK, `<select id="owner" name="owner">`, `<option value="P-300" selected>Person 299 (P-300)</option>`)
	refuse(t, "asset page, 300 people", page, `data-suggest=`)

	addPeople(t, srv, ctx, 300, 1) // P-301, "Person 300"
	page = get(t, srv, c["editor"], "/assets/"+a.Ref)
	expect(t, "asset page, 301 people", page, http.StatusOK,
		`<input id="owner" name="owner" value="P-300" list="owner-suggestions" data-suggest="/people/suggest"`, `<datalist id="owner-suggestions"></datalist>`)
	refuse(t, "asset page, 301 people", page, `<select id="owner"`, `<option value="P-001"`)
	if n := strings.Count(page.Body, "<option"); n > 50 {
		t.Fatalf("asset page, 301 people: %d options", n)
	}
	// Typed by name, as a browser without JavaScript sends it.
	form := url.Values{"name": {"Laptop 2"}, "type": {"hardware"}, "owner": {"Person 300"}, "version": {"1"}}
	if r := post(t, srv, c["editor"], "/assets/"+a.Ref, form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.Status, r.Body)
	}
	if got, err := srv.Svc.Asset(ctx, a.Ref); err != nil || got.Owner != "P-301" || got.Name != "Laptop 2" {
		t.Fatalf("after saving: %+v, %v", got, err)
	}
	for _, p := range []string{"/assets?owner=P-301", "/risks?owner=P-301", "/risks/plan?owner=P-301"} {
		expect(t, p, get(t, srv, c["editor"], p), http.StatusOK, `<input id="f-owner" name="owner" value="P-301"`)
	}
	expect(t, "new asset", get(t, srv, c["editor"], "/assets"), http.StatusOK, `<input id="owner" name="owner" value=""`)

	// The risk page: the risk's owner and each action's owner in a text field too.
	r, err := srv.Svc.AddRisk(ctx, service.RiskInput{Title: "Laptop theft", Owner: "P-301", Likelihood: 2, Impact: 2, Treatment: isms.TreatRetain})
	if err != nil {
		t.Fatal(err)
	}
	act, err := srv.Svc.AddAction(ctx, r.Ref, service.ActionInput{Title: "Encrypt disks", Owner: "P-002"})
	if err != nil {
		t.Fatal(err)
	}
	page = get(t, srv, c["editor"], "/risks/"+r.Ref)
	expect(t, "risk page", page, http.StatusOK, `<input id="owner" name="owner" value="P-301"`,
		`<input id="owner-`+act.Ref+`" name="owner" value="P-002"`, `<input id="action-owner" name="owner" value=""`)
	refuse(t, "risk page", page, `<select id="owner"`)
}

// TestSuggest: the suggest endpoints answer at most 20 people or assets of the organisation as JSON, and a
// request without a session gets 401 rather than the login page.
func TestSuggest(t *testing.T) {
	srv, org, c := startOrg(t, "viewer", "editor")
	ctx := org.Ctx("editor")
	addPeople(t, srv, ctx, 0, 30)
	if _, err := srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Payroll server", Type: "hardware"}); err != nil {
		t.Fatal(err)
	}
	var people []web.Suggestion
	a := get(t, srv, c["viewer"], "/people/suggest?q=person+02")
	if a.Status != http.StatusOK || json.Unmarshal([]byte(a.Body), &people) != nil {
		t.Fatalf("people: %d %s", a.Status, a.Body)
	}
	if len(people) != 10 || people[0] != (web.Suggestion{Ref: "P-021", Name: "Person 020"}) {
		t.Fatalf("people matching 'person 02': %+v", people)
	}
	if a = get(t, srv, c["viewer"], "/people/suggest?q=person"); json.Unmarshal([]byte(a.Body), &people) != nil || len(people) != 20 {
		t.Fatalf("at most 20: %d %s", a.Status, a.Body)
	}
	expect(t, "nothing matches", get(t, srv, c["viewer"], "/people/suggest?q=nobody"), http.StatusOK, "[]")
	expect(t, "assets", get(t, srv, c["viewer"], "/assets/suggest?q=payroll"), http.StatusOK, `[{"ref":"A-001","name":"Payroll server"}]`)
	anon := get(t, srv, srv.Client(), "/people/suggest?q=person")
	expect(t, "without a session", anon, http.StatusUnauthorized, `"error"`)
	refuse(t, "without a session", anon, "Person")
}

// A person's notes are added, shown, kept by an edit form that leaves them as they are, and checked.
func TestPeopleNotes(t *testing.T) {
	srv, _, c := startOrg(t, "owner")
	owner := c["owner"]
	f := person("Ada Lovelace", "", "Analyst", "", "")
	f.Set("notes", "Security awareness 2026 done")
	if a := post(t, srv, owner, "/people", f); a.Status != http.StatusSeeOther {
		t.Fatalf("add with notes: status %d\n%s", a.Status, a.Body)
	}
	expect(t, "notes in the edit form", get(t, srv, owner, "/people/P-001"), http.StatusOK,
		`<textarea id="notes" name="notes" rows="3" maxlength="4000">Security awareness 2026 done</textarea>`)
	f = person("Ada King", "", "Analyst", "", "")
	f.Set("notes", "Security awareness 2026 done")
	f.Set("version", "1")
	if a := post(t, srv, owner, "/people/P-001", f); a.Status != http.StatusSeeOther {
		t.Fatalf("edit: status %d\n%s", a.Status, a.Body)
	}
	expect(t, "notes kept", get(t, srv, owner, "/people/P-001"), http.StatusOK, `value="Ada King"`, ">Security awareness 2026 done</textarea>")
	f.Set("notes", strings.Repeat("x", 4001))
	f.Set("version", "2")
	expect(t, "long notes", post(t, srv, owner, "/people/P-001", f), http.StatusUnprocessableEntity, "must be at most 4000 characters")
	// The add form shares its fields with the edit form, but a filter in the query does not fill it.
	a := get(t, srv, owner, "/people?department=Operations")
	expect(t, "filtered list", a, http.StatusOK, `id="department-filter" name="department" value="Operations"`, `<input id="department" name="department" value="" maxlength="120">`)
}

// The staff fields through the forms, and leavers with open access standing out: on the people page, on the
// person's page (with what is open) and on the dashboard; the leavers filter narrows the list. A viewer sees the
// warning too, without the edit form.
func TestPeopleStaffFieldsAndLeavers(t *testing.T) {
	srv, _, c := startOrg(t, "owner", "viewer")
	owner := c["owner"]
	a := post(t, srv, owner, "/people", url.Values{"name": {"Grace Boss"}, "team": {"Ops"}, "screened_on": {"2020-01-01"}, "terms_signed_on": {"2020-01-02"}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("add boss: %d\n%s", a.Status, a.Body)
	}
	// The editor's person: left on 1 February, the account still a member.
	a = post(t, srv, owner, "/people", url.Values{"name": {"Ed Editor"}, "email": {"editor@acme.example"}, "manager": {"P-001"},
		"employment": {"contractor"}, "team": {"Ops"}, "start_date": {"2024-01-01"}, "end_date": {"2026-02-01"}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("add leaver: %d\n%s", a.Status, a.Body)
	}
	if a = post(t, srv, owner, "/people", url.Values{"name": {"Nia New"}, "terms_signed_on": {"2026-01-05"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("add newcomer: %d\n%s", a.Status, a.Body)
	}
	expect(t, "person", get(t, srv, owner, "/people/P-002"), http.StatusOK, `id="open-access"`, "member as editor",
		`value="Ops"`, `value="2026-02-01"`, `<option value="P-001" selected>`, `<option selected>contractor</option>`)
	expect(t, "people", get(t, srv, owner, "/people"), http.StatusOK, `id="open-access"`, `<a href="/people/P-002">Ed Editor</a> (P-002, left 2026-02-01): member as editor`,
		`id="staff-gaps"`, "1 current person has no screening recorded")
	refuse(t, "leavers filter", get(t, srv, owner, "/people?leavers=open-access"), `<a href="/people/P-001">Grace Boss</a>`, `<a href="/people/P-003">`)
	expect(t, "manager filter", get(t, srv, owner, "/people?manager=P-001"), http.StatusOK, `<a href="/people/P-002">Ed Editor</a>`)
	expect(t, "dashboard", get(t, srv, owner, "/"), http.StatusOK, `id="staff-card"`, "Ed Editor: member as editor")
	v := get(t, srv, c["viewer"], "/people/P-002")
	expect(t, "viewer", v, http.StatusOK, `id="open-access"`, "<dt>Manager</dt><dd><a href=\"/people/P-001\">Grace Boss</a> (P-001)</dd>")
	refuse(t, "viewer", v, `name="version"`)

	a = post(t, srv, owner, "/people/P-001", url.Values{"name": {"Grace Boss"}, "manager": {"P-002"}, "version": {"1"}})
	expect(t, "loop", a, http.StatusUnprocessableEntity, "is managed by this person")
	a = post(t, srv, owner, "/people/P-002", url.Values{"name": {"Ed Editor"}, "start_date": {"2024-01-01"}, "end_date": {"2023-01-01"}, "version": {"1"}})
	expect(t, "end before start", a, http.StatusUnprocessableEntity, "must not be before the start date")
	expect(t, "bad filter", get(t, srv, owner, "/people?leavers=gone"), http.StatusUnprocessableEntity)
}
