package web_test

import (
	"fmt"
	"github.com/praxis-isms/praxis/internal/isms"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
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
		{"q=ADA", "Ada Lovelace", "Grace Hopper"},        // name, any case
		{"q=admiral", "Grace Hopper", "Ada Lovelace"},    // job title
		{"q=ada%40acme", "Ada Lovelace", "Grace Hopper"}, // email
		{"department=Operations", "Grace Hopper", "Ada Lovelace"},
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
		`name="version" value="2"`)  // saving again deliberately replaces it
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

// TestAssetOwnerBeyondTheSelectIsKept: the owner select lists the first 500 people by name; an asset owned by
// the 501st still shows its owner selected, so that saving the form keeps it.
func TestAssetOwnerBeyondTheSelectIsKept(t *testing.T) {
	srv, org, c := startOrg(t, "editor")
	ctx := org.Ctx("editor")
	var last string
	for i := range 501 {
		p, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: fmt.Sprintf("Person %03d", i)})
		if err != nil {
			t.Fatal(err)
		}
		last = p.Ref
	}
	a, err := srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Laptop", Type: "hardware", Owner: last})
	if err != nil || a.Owner != "P-501" {
		t.Fatalf("asset %+v, %v", a, err)
	}
	page := get(t, srv, c["editor"], "/assets/"+a.Ref)
	expect(t, "asset page", page, http.StatusOK, `<option value="P-501" selected>Person 500 (P-501)</option>`)
	form := url.Values{"name": {"Laptop 2"}, "type": {"hardware"}, "owner": {"P-501"}, "version": {"1"}}
	if r := post(t, srv, c["editor"], "/assets/"+a.Ref, form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.Status, r.Body)
	}
	if got, err := srv.Svc.Asset(ctx, a.Ref); err != nil || got.Owner != "P-501" || got.Name != "Laptop 2" {
		t.Fatalf("after saving: %+v, %v", got, err)
	}
	expect(t, "inventory filtered by that owner", get(t, srv, c["editor"], "/assets?owner=P-501"), http.StatusOK, `<option value="P-501" selected>`)
}

// The same for a risk and its treatment action: their owners beyond the select's rows stay selected.
func TestRiskOwnerBeyondTheSelectIsKept(t *testing.T) {
	srv, org, c := startOrg(t, "editor")
	ctx := org.Ctx("editor")
	for i := range 501 {
		if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: fmt.Sprintf("Person %03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := srv.Svc.AddRisk(ctx, service.RiskInput{Title: "Laptop theft", Owner: "P-501", Likelihood: 2, Impact: 2, Treatment: isms.TreatRetain})
	if err != nil || r.Owner != "P-501" {
		t.Fatalf("risk %+v, %v", r, err)
	}
	page := get(t, srv, c["editor"], "/risks/"+r.Ref)
	expect(t, "risk page", page, http.StatusOK, `<option value="P-501" selected>Person 500 (P-501)</option>`)
}
