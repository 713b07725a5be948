package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// riskFixture fills the organisation with two people, two assets, three risks and three treatment actions.
// Ada (P-001) has the editor's email, so the editor account owns her risks. Under the default 5x5 method
// (acceptance threshold 6, high from 15):
//
//	R-001 Insecure code reaches production  Ada    4x5=20 high   residual 2x5=10 medium  modify  8.28 8.25  A-001
//	R-002 Laptop theft                      Grace  3x2=6 low     no residual             retain  8.1        A-002
//	R-003 Phishing email                    Grace  4x4=16 high   residual 2x2=4 low      share   6.3        accepted
func riskFixture(t *testing.T, srv *testutil.Server, org testutil.Org) {
	t.Helper()
	ctx := org.Ctx("owner")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Ada Lovelace", Email: "editor@acme.example"}))
	must(srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Grace Hopper"}))
	must(srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Customer database", Type: "information", Owner: "P-001", Classification: "confidential",
		Confidentiality: 5, Integrity: 4, Availability: 3, Location: "Cloud"}))
	must(srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Laptops", Type: "hardware", Owner: "P-002", Classification: "internal", Location: "Office"}))
	must(srv.Svc.AddRisk(ctx, service.RiskInput{Title: "Insecure code reaches production", Assets: []string{"A-001"}, Threat: "Exploitation of application flaws",
		Owner: "P-001", Likelihood: 4, Impact: 5, Treatment: isms.TreatModify, Controls: []string{"8.28", "8.25"}, ResidualLikelihood: 2, ResidualImpact: 5}))
	must(srv.Svc.AddRisk(ctx, service.RiskInput{Title: "Laptop theft", Assets: []string{"A-002"}, Owner: "P-002", Likelihood: 3, Impact: 2,
		Treatment: isms.TreatRetain, Controls: []string{"8.1"}}))
	must(srv.Svc.AddRisk(ctx, service.RiskInput{Title: "Phishing email", Threat: "Phishing", Owner: "P-002", Likelihood: 4, Impact: 4,
		Treatment: isms.TreatShare, Controls: []string{"6.3"}, ResidualLikelihood: 2, ResidualImpact: 2}))
	must(srv.Svc.AcceptRisk(org.Ctx("approver"), "R-003", service.AcceptRiskInput{Version: 1}))
	// The test clock says 2026-03-02.
	must(srv.Svc.AddAction(ctx, "R-001", service.ActionInput{Title: "Static analysis in CI", Owner: "P-002", Due: "2026-02-01", Status: "planned"}))
	must(srv.Svc.AddAction(ctx, "R-001", service.ActionInput{Title: "Secure coding standard", Owner: "P-001", Due: "2026-04-01", Status: "in-progress"}))
	must(srv.Svc.AddAction(ctx, "R-003", service.ActionInput{Title: "Phishing training", Owner: "P-002", Due: "2026-01-01", Status: "done"}))
}

// staleNotice opens the one notice every edit page shows when someone else saved the record meanwhile.
const staleNotice = `<div class="notice" role="status" id="conflict">`

var dataRef = regexp.MustCompile(`<tr data-ref="([^"]+)"`)

// rowRefs lists the references of the table rows of a page, in order.
func rowRefs(body string) []string {
	var out []string
	for _, m := range dataRef.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func sameRefs(t *testing.T, what string, a answer, want ...string) {
	t.Helper()
	if a.Status != http.StatusOK {
		t.Fatalf("%s: status %d\n%s", what, a.Status, a.Body)
	}
	got := rowRefs(a.Body)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%s: rows %v, want %v", what, got, want)
	}
}

// upload posts a file as a browser's multipart form does.
func upload(t *testing.T, srv *testutil.Server, c *http.Client, path, filename, content string) answer {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, &b)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", srv.URL)
	return do(t, c, req)
}

func seeOther(t *testing.T, what string, a answer, location string) {
	t.Helper()
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != location {
		t.Fatalf("%s: status %d, Location %q, want 303 to %q\n%s", what, a.Status, a.Header.Get("Location"), location, a.Body)
	}
}

func TestRiskPagesRender(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	riskFixture(t, srv, org)
	for _, tc := range []struct{ path, want string }{
		{"/assets", "<h1>Asset inventory</h1>"},
		{"/assets/A-001", "<h1>Customer database <span class=\"muted\">A-001</span></h1>"},
		{"/assets/import", "<h1>Import assets</h1>"},
		{"/risks", "<h1>Risk register</h1>"},
		{"/risks/new", "<h1>New risk</h1>"},
		{"/risks/R-001", "<h1>Insecure code reaches production <span class=\"muted\">R-001</span></h1>"},
		{"/risks/heatmap", "<h1>Risk heat maps</h1>"},
		{"/risks/plan", "<h1>Risk treatment plan</h1>"},
		{"/risks/method", "<h1>Risk method</h1>"},
		{"/risks/method?levels=3", "<h1>Risk method</h1>"},
		{"/risks/import", "<h1>Import risks</h1>"},
	} {
		expect(t, tc.path, get(t, srv, c["owner"], tc.path), http.StatusOK, tc.want, "</html>")
	}
	expect(t, "unknown risk", get(t, srv, c["owner"], "/risks/R-999"), http.StatusNotFound, "<h1>Not found</h1>")
	expect(t, "unknown asset", get(t, srv, c["owner"], "/assets/A-999"), http.StatusNotFound, "<h1>Not found</h1>")

	// Anonymous visitors go to the login page.
	for _, p := range []string{"/assets", "/risks", "/risks/R-001", "/risks/heatmap", "/risks/plan", "/risks/method", "/risks/import"} {
		a := get(t, srv, srv.Client(), p)
		if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Header.Get("Location"), "/login?next=") {
			t.Errorf("GET %s anonymously: status %d, Location %q", p, a.Status, a.Header.Get("Location"))
		}
	}
}

func TestAssetFormsFiltersAndSorting(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	owner := c["owner"]
	expect(t, "empty inventory", get(t, srv, owner, "/assets"), http.StatusOK, "The inventory is empty.", `id="add-asset"`)
	riskFixture(t, srv, org)

	a := post(t, srv, owner, "/assets", url.Values{"name": {"Payroll system"}, "type": {"service"}, "owner": {"P-002"}, "classification": {"restricted"},
		"confidentiality": {"5"}, "integrity": {"5"}, "availability": {""}, "location": {"SaaS"}, "notes": {"Monthly runs"}})
	seeOther(t, "add asset", a, "/assets/A-003")
	expect(t, "added asset", get(t, srv, owner, "/assets/A-003"), http.StatusOK, "A-003 Payroll system is added to the inventory.",
		`value="Payroll system"`, `<option value="service" selected>`, `<option value="P-002" selected>`, `<option value="restricted" selected>`,
		`name="version" value="1"`, "Monthly runs", "No risk names this asset yet.")

	a = post(t, srv, owner, "/assets", url.Values{"name": {""}, "type": {"spaceship"}, "classification": {"secret"}, "confidentiality": {"9"}, "location": {"Moon"}})
	expect(t, "bad asset", a, http.StatusUnprocessableEntity, "Please correct the fields marked below.", "is required",
		"must be one of information, software", "must be one of public, internal", `value="Moon"`)

	sameRefs(t, "all", get(t, srv, owner, "/assets"), "A-001", "A-002", "A-003")
	sameRefs(t, "type", get(t, srv, owner, "/assets?type=hardware"), "A-002")
	sameRefs(t, "classification", get(t, srv, owner, "/assets?classification=confidential"), "A-001")
	sameRefs(t, "owner", get(t, srv, owner, "/assets?owner=P-002"), "A-002", "A-003")
	sameRefs(t, "search", get(t, srv, owner, "/assets?q=LAPTOP"), "A-002")
	sameRefs(t, "sort by name", get(t, srv, owner, "/assets?sort=name"), "A-001", "A-002", "A-003")
	sameRefs(t, "sort by name descending", get(t, srv, owner, "/assets?sort=-name"), "A-003", "A-002", "A-001")
	a = get(t, srv, owner, "/assets?sort=name&type=hardware")
	expect(t, "sort header", a, http.StatusOK, `aria-sort="ascending"><a href="/assets?sort=-name&amp;type=hardware">Name`,
		`href="/assets/export.csv?sort=name&amp;type=hardware"`, `href="/assets/export.xlsx?sort=name&amp;type=hardware"`, `href="/assets/export.pdf?sort=name&amp;type=hardware"`)
	expect(t, "bad filter", get(t, srv, owner, "/assets?type=spaceship"), http.StatusUnprocessableEntity, "must be one of information")

	// The asset's page lists the risks that name it.
	a = get(t, srv, owner, "/assets/A-001")
	expect(t, "asset risks", a, http.StatusOK, `<a href="/risks/R-001">Insecure code reaches production</a>`, `href="/risks/new?asset=A-001"`,
		`action="/assets/A-001/delete"`, "data-confirm=")
	sameRefs(t, "asset risks", a, "R-001")

	a = post(t, srv, owner, "/assets/A-003", url.Values{"name": {"Payroll"}, "type": {"service"}, "classification": {"confidential"}, "version": {"1"}})
	seeOther(t, "edit asset", a, "/assets/A-003")
	expect(t, "edited", get(t, srv, owner, "/assets/A-003"), http.StatusOK, "A-003 Payroll is saved.", `name="version" value="2"`)

	// A stale edit changes nothing and says so.
	a = post(t, srv, owner, "/assets/A-003", url.Values{"name": {"Payroll (old tab)"}, "type": {"software"}, "version": {"1"}})
	expect(t, "stale asset edit", a, http.StatusConflict, "asset A-003 was changed by someone else; reload it and apply your change again",
		`value="Payroll (old tab)"`, "<dd>Payroll</dd>", `name="version" value="2"`,
		staleNotice, "Someone else saved this asset while you were editing.", `<a href="/assets/A-003">reload</a>`)
	if got, _ := srv.Svc.Asset(org.Ctx("owner"), "A-003"); got.Name != "Payroll" || got.Version != 2 {
		t.Fatalf("stale edit changed the asset: %+v", got)
	}

	seeOther(t, "delete asset", post(t, srv, owner, "/assets/A-003/delete", nil), "/assets")
	expect(t, "deleted", get(t, srv, owner, "/assets/A-003"), http.StatusNotFound)
}

func TestRiskAddThroughForm(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	owner := c["owner"]
	expect(t, "empty register", get(t, srv, owner, "/risks"), http.StatusOK, "The register is empty.", `href="/risks/new"`)
	riskFixture(t, srv, org)

	a := get(t, srv, owner, "/risks/new")
	expect(t, "new form", a, http.StatusOK, `action="/risks"`, `<option value="4" title="Expected to happen within the next year.">4 — Likely</option>`, `>5 — Severe</option>`,
		`<div class="check-list" id="assets-list"`, `<input type="checkbox" name="assets" value="A-001"> <span>A-001 Customer database</span>`, `<option value="P-001">Ada Lovelace (P-001)</option>`,
		`name="controls" value="8.28"`, `<span class="ctl-id">8.28</span> Secure coding`, `<datalist id="threat-library">`, `id="library-h">Threat library</h2>`)

	form := url.Values{"title": {"Supplier breach"}, "description": {"A supplier leaks our data."}, "assets": {"A-001", "A-002"},
		"threat": {"Supplier compromise"}, "vulnerability": {"No supplier reviews"}, "owner": {"P-002"}, "likelihood": {"3"}, "impact": {"4"},
		"treatment": {"modify"}, "controls": {"5.19", "5.20, A.5.21"}, "residual_likelihood": {"1"}, "residual_impact": {"2"}}
	seeOther(t, "add risk", post(t, srv, owner, "/risks", form), "/risks/R-004")
	a = get(t, srv, owner, "/risks/R-004")
	expect(t, "added risk", a, http.StatusOK, "R-004 Supplier breach is added to the register.",
		`<span class="score band-medium">12<span class="band-name"> medium</span></span> likelihood 3 Possible × impact 4 Major`,
		`<span class="score band-low">2<span class="band-name"> low</span></span> likelihood 1 Rare × impact 2 Minor`,
		`<a href="/catalog/controls/5.19"`, `<a href="/catalog/controls/5.21"`, `<a href="/assets/A-002" class="tag">A-002 Laptops</a>`,
		`<a href="/people/P-002">Grace Hopper</a>`, "first assessment", `name="version" value="1"`,
		`name="assets" value="A-001" checked`, `name="controls" value="5.20" checked`)
	r, err := srv.Svc.Risk(org.Ctx("owner"), "R-004")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.Controls, " ") != "5.19 5.20 5.21" || strings.Join(r.Assets, " ") != "A-001 A-002" || r.Score != 12 || r.ResidualScore != 2 {
		t.Fatalf("added risk: %+v", r.Risk)
	}

	a = post(t, srv, owner, "/risks", url.Values{"title": {""}, "likelihood": {"9"}, "impact": {"2"}, "treatment": {"modify"},
		"residual_likelihood": {"2"}, "controls": {"99.1"}, "description": {"kept"}})
	expect(t, "bad risk", a, http.StatusUnprocessableEntity, "Please correct the fields marked below.", "is required", "must be a level from 1 to 5",
		"residual likelihood and impact go together", "is not an ISO/IEC 27001:2022 Annex A control", ">kept</textarea>", "<h1>New risk</h1>")

	// The library pre-fills the form: a threat, then a vulnerability adds its controls.
	cat, _ := srv.Svc.Catalog(org.Ctx("owner"))
	threat, vuln := cat.Threats()[4], cat.Vulnerabilities()[0]
	a = get(t, srv, owner, "/risks/new?threat="+threat.ID)
	want := []string{`id="threat" name="threat" value="` + htmlEscape(threat.Name) + `"`, `aria-current="true">` + htmlEscape(threat.Name) + `</a>`,
		`href="/risks/new?threat=` + threat.ID + `&amp;vulnerability=` + vuln.ID + `"`}
	for _, id := range threat.Controls {
		want = append(want, `name="controls" value="`+id+`" checked`)
	}
	expect(t, "threat pick", a, http.StatusOK, want...)
	a = get(t, srv, owner, "/risks/new?threat="+threat.ID+"&vulnerability="+vuln.ID)
	want = []string{`id="vulnerability" name="vulnerability" value="` + htmlEscape(vuln.Name) + `"`}
	for _, id := range append(threat.Controls, vuln.Controls...) {
		want = append(want, `name="controls" value="`+id+`" checked`)
	}
	expect(t, "threat and vulnerability pick", a, http.StatusOK, want...)
	expect(t, "asset pick", get(t, srv, owner, "/risks/new?asset=A-002"), http.StatusOK, `name="assets" value="A-002" checked`)
}

func TestRiskRegisterFiltersAndSorting(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	riskFixture(t, srv, org)
	owner := c["owner"]

	a := get(t, srv, owner, "/risks")
	sameRefs(t, "all", a, "R-001", "R-002", "R-003")
	expect(t, "badges", a, http.StatusOK, `<span class="score band-high">20<span class="band-name"> high</span></span>`,
		`<span class="score band-medium">10<span class="band-name"> medium</span></span>`, `<span class="score band-low">6<span class="band-name"> low</span></span>`,
		`✓ accepted`, `<a href="/catalog/controls/8.28" class="tag">8.28</a>`)

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"owner=P-002", []string{"R-002", "R-003"}},
		{"band=high", []string{"R-001", "R-003"}},
		{"band=low", []string{"R-002"}},
		{"residual_band=medium", []string{"R-001"}},
		{"residual_band=low", []string{"R-003"}},
		{"treatment=retain", []string{"R-002"}},
		{"control=8.28", []string{"R-001"}},
		{"control=A.6.3", []string{"R-003"}},
		{"asset=A-002", []string{"R-002"}},
		{"accepted=yes", []string{"R-003"}},
		{"accepted=no", []string{"R-001", "R-002"}},
		{"q=PHISH", []string{"R-003"}},
		{"q=application+flaws", []string{"R-001"}},
		{"likelihood=4&impact=5", []string{"R-001"}},
		{"residual_likelihood=2&residual_impact=2", []string{"R-003"}},
		{"band=high&owner=P-002", []string{"R-003"}},
		{"sort=-score", []string{"R-001", "R-003", "R-002"}},
		{"sort=residual", []string{"R-002", "R-003", "R-001"}},
		{"sort=-title", []string{"R-003", "R-002", "R-001"}},
		{"sort=treatment", []string{"R-001", "R-002", "R-003"}},
		// The current score is the residual one once assessed, else the inherent one: R-001 10, R-002 6, R-003 4.
		{"appetite=above", []string{"R-001"}},
		{"appetite=within", []string{"R-002", "R-003"}},
		{"sort=-current", []string{"R-001", "R-002", "R-003"}},
	} {
		sameRefs(t, tc.query, get(t, srv, owner, "/risks?"+tc.query), tc.want...)
	}
	expect(t, "no match", get(t, srv, owner, "/risks?q=nothing-like-this"), http.StatusOK, "No risk matches the filter.")

	a = get(t, srv, owner, "/risks?owner=P-002&sort=score")
	expect(t, "filters are kept", a, http.StatusOK, `<option value="P-002" selected>`,
		`aria-sort="ascending"><a href="/risks?owner=P-002&amp;sort=-score">Inherent`,
		`href="/risks/export.csv?owner=P-002&amp;sort=score"`, `href="/risks/export.xlsx?owner=P-002&amp;sort=score"`, `href="/risks/export.pdf?owner=P-002&amp;sort=score"`)
	expect(t, "heat-map cell", get(t, srv, owner, "/risks?likelihood=4&impact=5"), http.StatusOK,
		"Showing the heat-map cell inherent likelihood 4 Likely × impact 5 Severe", `name="likelihood" value="4"`)

	a = get(t, srv, owner, "/risks?band=extreme&accepted=maybe&appetite=high")
	expect(t, "bad filter", a, http.StatusUnprocessableEntity, "must be low, medium or high", "must be yes or no", "must be above or within")
	if refs := rowRefs(a.Body); len(refs) != 0 {
		t.Fatalf("bad filter lists %v", refs)
	}
}

func TestRiskEditStaleAndReassess(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	riskFixture(t, srv, org)
	owner, ctx := c["owner"], org.Ctx("owner")

	a := get(t, srv, owner, "/risks/R-001")
	expect(t, "edit form", a, http.StatusOK, `action="/risks/R-001"`, `name="version" value="1"`, `value="Insecure code reaches production"`,
		`<option value="4" selected`, `name="controls" value="8.28" checked`, `id="note"`)

	form := url.Values{"title": {"Insecure code reaches production"}, "assets": {"A-001"}, "owner": {"P-001"}, "likelihood": {"3"}, "impact": {"5"},
		"treatment": {"modify"}, "controls": {"8.28", "8.25", "8.29"}, "residual_likelihood": {"2"}, "residual_impact": {"5"},
		"note": {"Quarterly review: SAST in CI"}, "version": {"1"}}
	seeOther(t, "reassess", post(t, srv, owner, "/risks/R-001", form), "/risks/R-001")
	a = get(t, srv, owner, "/risks/R-001")
	expect(t, "reassessed", a, http.StatusOK, "R-001 Insecure code reaches production is saved.", "Quarterly review: SAST in CI", "first assessment",
		`name="version" value="2"`, `<a href="/catalog/controls/8.29"`)
	if i, j := strings.Index(a.Body, "Quarterly review"), strings.Index(a.Body, "first assessment"); i > j {
		t.Fatal("history is not newest first")
	}

	// Someone else saves first: the stale form is refused with 409, the input is kept, nothing changes.
	if _, err := srv.Svc.UpdateRisk(ctx, "R-001", service.RiskInput{Title: "Insecure code in production", Owner: "P-001", Likelihood: 3, Impact: 5,
		Treatment: isms.TreatModify, Controls: []string{"8.28"}, Version: 2}); err != nil {
		t.Fatal(err)
	}
	form.Set("title", "My stale title")
	form.Set("version", "2")
	a = post(t, srv, owner, "/risks/R-001", form)
	expect(t, "stale edit", a, http.StatusConflict, "risk R-001 was changed by someone else; reload it and apply your change again",
		staleNotice, "Someone else saved this risk while you were editing.", `<a href="/risks/R-001">reload</a>`, `value="My stale title"`, `<h1>Insecure code in production <span class="muted">R-001</span></h1>`,
		`name="version" value="3"`)
	if r, _ := srv.Svc.Risk(ctx, "R-001"); r.Title != "Insecure code in production" || r.Version != 3 {
		t.Fatalf("stale edit changed the risk: %+v", r.Risk)
	}
	form.Set("version", "3")
	seeOther(t, "save after conflict", post(t, srv, owner, "/risks/R-001", form), "/risks/R-001")
	if r, _ := srv.Svc.Risk(ctx, "R-001"); r.Title != "My stale title" {
		t.Fatalf("save after conflict: %+v", r.Risk)
	}

	a = post(t, srv, owner, "/risks/R-001", url.Values{"title": {"x"}, "likelihood": {"0"}, "impact": {"1"}, "treatment": {"modify"}, "version": {"4"}})
	expect(t, "bad edit", a, http.StatusUnprocessableEntity, "must be a level from 1 to 5", `name="version" value="4"`)

	// A residual score above the inherent one is saved, with a warning in the message and on the page.
	form.Set("likelihood", "1")
	form.Set("impact", "2")
	form.Set("version", "4")
	seeOther(t, "residual above inherent", post(t, srv, owner, "/risks/R-001", form), "/risks/R-001")
	warning := "Warning: the residual score 10 of risk R-001 is above its inherent score 2: treatment should not make a risk worse; check the residual likelihood and impact."
	a = get(t, srv, owner, "/risks/R-001")
	expect(t, "residual above inherent", a, http.StatusOK, "My stale title is saved. "+warning, `<p class="notice warning" role="status">`+warning+`</p>`)

	seeOther(t, "delete", post(t, srv, owner, "/risks/R-001/delete", nil), "/risks")
	expect(t, "deleted", get(t, srv, owner, "/risks"), http.StatusOK, "R-001 is deleted")
	sameRefs(t, "after delete", get(t, srv, owner, "/risks"), "R-002", "R-003")
}

func TestRiskAcceptance(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "approver", "editor")
	riskFixture(t, srv, org)

	// R-001's residual score 10 is above the threshold 6: the page says so and the comment is required.
	a := get(t, srv, c["approver"], "/risks/R-001")
	expect(t, "accept form", a, http.StatusOK, `action="/risks/R-001/accept"`, "above the acceptance threshold of 6",
		`name="comment" rows="3" maxlength="2000" required`)
	a = post(t, srv, c["approver"], "/risks/R-001/accept", url.Values{"comment": {"  "}, "version": {"1"}})
	expect(t, "no comment", a, http.StatusUnprocessableEntity, "Please correct the fields marked below.",
		"is required: the score 10 is above the acceptance threshold 6", `aria-invalid="true"`)
	if r, _ := srv.Svc.Risk(org.Ctx("owner"), "R-001"); r.AcceptedAt != nil {
		t.Fatal("accepted without comment")
	}

	// The editor is Ada, the risk owner of R-001: she may accept it although she is no approver.
	a = get(t, srv, c["editor"], "/risks/R-001")
	expect(t, "risk owner sees the form", a, http.StatusOK, `action="/risks/R-001/accept"`)
	seeOther(t, "accept", post(t, srv, c["editor"], "/risks/R-001/accept", url.Values{"comment": {"SAST blocks merges; reviewed quarterly."}, "version": {"1"}}), "/risks/R-001")
	a = get(t, srv, c["editor"], "/risks/R-001")
	expect(t, "accepted", a, http.StatusOK, "The residual risk of R-001 is accepted.", "✓ Accepted by <strong>editor of Acme</strong> on 2026-03-02.",
		"SAST blocks merges; reviewed quarterly.")
	refuse(t, "accepted", a, `action="/risks/R-001/accept"`)

	// R-002 belongs to Grace, who has no account: the editor is neither its owner nor an approver.
	a = get(t, srv, c["editor"], "/risks/R-002")
	expect(t, "not the owner", a, http.StatusOK, "within the acceptance threshold of 6: a comment is optional",
		"The risk owner (Grace Hopper) or an approver accepts the residual risk.")
	refuse(t, "not the owner", a, `action="/risks/R-002/accept"`)
	expect(t, "editor accepts", post(t, srv, c["editor"], "/risks/R-002/accept", url.Values{"version": {"1"}}), http.StatusForbidden,
		"only the risk owner (Grace Hopper) or an approver may accept risk R-002")
	expect(t, "the owner role is an approver", get(t, srv, c["owner"], "/risks/R-002"), http.StatusOK, `action="/risks/R-002/accept"`)

	// A stale acceptance is a conflict.
	a = post(t, srv, c["approver"], "/risks/R-002/accept", url.Values{"version": {"7"}})
	expect(t, "stale accept", a, http.StatusConflict, "risk R-002 was changed by someone else")
	seeOther(t, "accept within appetite", post(t, srv, c["approver"], "/risks/R-002/accept", url.Values{"version": {"1"}}), "/risks/R-002")

	// A risk being modified is accepted on its residual risk: without one the page says to assess it first,
	// offers no form, and a posted acceptance is refused with nothing changed.
	if _, err := srv.Svc.AddRisk(org.Ctx("owner"), service.RiskInput{Title: "Unpatched servers", Likelihood: 3, Impact: 4, Treatment: isms.TreatModify}); err != nil {
		t.Fatal(err)
	}
	a = get(t, srv, c["approver"], "/risks/R-004")
	expect(t, "modify without residual", a, http.StatusOK,
		"Not accepted yet: risk R-004 is treated by modifying it, so its residual risk is what gets accepted: assess the residual risk first.")
	refuse(t, "modify without residual", a, `action="/risks/R-004/accept"`)
	expect(t, "accept modify without residual", post(t, srv, c["approver"], "/risks/R-004/accept", url.Values{"comment": {"fine"}, "version": {"1"}}),
		http.StatusUnprocessableEntity, "assess the residual risk first")
	if r, _ := srv.Svc.Risk(org.Ctx("owner"), "R-004"); r.AcceptedAt != nil || r.Version != 1 {
		t.Fatalf("accepted without residual: %+v", r.Risk)
	}
}

func TestRiskTreatmentActionsAndPlan(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	riskFixture(t, srv, org)
	owner := c["owner"]

	a := get(t, srv, owner, "/risks/plan")
	expect(t, "plan", a, http.StatusOK, `<tr id="TA-001" class="overdue">`, `<span class="tag overdue-tag">overdue</span>`, "2026-02-01",
		`<a href="/risks/R-001#actions">R-001</a>`, `<tr id="TA-002">`, `<tr id="TA-003">`, "1 overdue action.")
	if n := strings.Count(a.Body, "overdue-tag"); n != 1 {
		t.Fatalf("%d actions marked overdue, want 1", n)
	}
	for _, tc := range []struct{ query, want, not string }{
		{"overdue=1", `id="TA-001"`, `id="TA-002"`},
		{"status=done", `id="TA-003"`, `id="TA-001"`},
		{"owner=P-001", `id="TA-002"`, `id="TA-003"`},
		{"q=phishing", `id="TA-003"`, `id="TA-002"`},
	} {
		a := get(t, srv, owner, "/risks/plan?"+tc.query)
		expect(t, tc.query, a, http.StatusOK, tc.want)
		refuse(t, tc.query, a, tc.not)
	}
	expect(t, "bad status filter", get(t, srv, owner, "/risks/plan?status=lost"), http.StatusUnprocessableEntity, "must be one of planned")

	// Inline status change from the plan returns to the plan with its filter.
	a = post(t, srv, owner, "/risks/R-001/actions/TA-001/status", url.Values{"status": {"done"}, "version": {"1"}, "back": {"/risks/plan?overdue=1"}})
	seeOther(t, "status change", a, "/risks/plan?overdue=1")
	a = get(t, srv, owner, "/risks/plan")
	expect(t, "done", a, http.StatusOK, "TA-001 is saved: done.", `<tr id="TA-001">`)
	refuse(t, "done", a, "overdue-tag")

	// A stale status change on the plan is a conflict shown on the plan.
	a = post(t, srv, owner, "/risks/R-001/actions/TA-001/status", url.Values{"status": {"cancelled"}, "version": {"1"}, "back": {"/risks/plan"}})
	expect(t, "stale status", a, http.StatusConflict, "treatment action TA-001 was changed by someone else", "<h1>Risk treatment plan</h1>",
		`<tr id="TA-001" class=" posted">`)

	// Actions on the risk's page: add, bad add, edit.
	a = get(t, srv, owner, "/risks/R-001")
	expect(t, "risk actions", a, http.StatusOK, `id="actions-h">Treatment actions</h2>`, `action="/risks/R-001/actions"`, "Secure coding standard",
		`action="/risks/R-001/actions/TA-002"`)
	seeOther(t, "add action", post(t, srv, owner, "/risks/R-001/actions", url.Values{"title": {"Pen test"}, "owner": {"P-001"}, "due": {"2026-05-01"}}),
		"/risks/R-001#actions")
	expect(t, "added action", get(t, srv, owner, "/risks/R-001"), http.StatusOK, "TA-004 Pen test is added to the treatment plan.", `<tr id="TA-004">`)
	a = post(t, srv, owner, "/risks/R-001/actions", url.Values{"title": {""}, "due": {"tomorrow"}, "notes": {"kept note"}})
	expect(t, "bad action", a, http.StatusUnprocessableEntity, "is required", "must be a date as YYYY-MM-DD", ">kept note</textarea>",
		`<details class="add-action" open>`)
	seeOther(t, "edit action", post(t, srv, owner, "/risks/R-001/actions/TA-004", url.Values{"title": {"External pen test"}, "owner": {"P-002"},
		"due": {"2026-06-01"}, "status": {"in-progress"}, "version": {"1"}, "back": {"/risks/R-001#actions"}}), "/risks/R-001#actions")
	expect(t, "edited action", get(t, srv, owner, "/risks/R-001"), http.StatusOK, "External pen test", "2026-06-01")
	seeOther(t, "foreign back is ignored", post(t, srv, owner, "/risks/R-001/actions/TA-004", url.Values{"title": {"External pen test"},
		"status": {"done"}, "version": {"2"}, "back": {"https://evil.example/"}}), "/risks/R-001#actions")
}

// The status forms of the risk's page and the plan post only the status and the version, so a status set on a page
// loaded before someone else's edit can no longer put the old title, owner or due date back: it is a conflict, and
// on the current version it changes the status alone.
func TestActionStatusChangeKeepsOtherFields(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	riskFixture(t, srv, org)
	owner := c["owner"]
	action := func() isms.TreatmentAction {
		t.Helper()
		l, err := srv.Svc.ListActions(org.Ctx("owner"), service.ActionFilter{Search: "TA-001"}, service.Page{})
		if err != nil || len(l.Items) != 1 {
			t.Fatalf("TA-001: %v %v", l.Items, err)
		}
		return l.Items[0]
	}
	statusForm := regexp.MustCompile(`(?s)<form method="post" action="/risks/R-001/actions/TA-001/status" class="row-form">.*?</form>`)
	for _, page := range []string{"/risks/R-001", "/risks/plan"} {
		form := statusForm.FindString(get(t, srv, owner, page).Body)
		if form == "" || strings.Count(form, "<input") != 2 || !strings.Contains(form, `name="version" value="1"`) ||
			!strings.Contains(form, `name="back"`) || strings.Contains(form, `name="title"`) {
			t.Fatalf("status form on %s, want only version and back beside the status:\n%s", page, form)
		}
	}

	// Someone else edits the action after the page was loaded.
	if _, err := srv.Svc.UpdateAction(org.Ctx("owner"), "TA-001", service.ActionInput{Title: "Static analysis on every merge", Owner: "P-001",
		Due: "2026-05-01", Status: "planned", Notes: "agreed in the review", Version: 1}); err != nil {
		t.Fatal(err)
	}
	a := post(t, srv, owner, "/risks/R-001/actions/TA-001/status", url.Values{"status": {"done"}, "version": {"1"}, "back": {"/risks/R-001#actions"}})
	expect(t, "status on a stale page", a, http.StatusConflict, "treatment action TA-001 was changed by someone else")
	if got := action(); got.Status != "planned" || got.Version != 2 {
		t.Fatalf("after a stale status change: %+v", got)
	}

	seeOther(t, "status on the current version", post(t, srv, owner, "/risks/R-001/actions/TA-001/status",
		url.Values{"status": {"done"}, "version": {"2"}, "back": {"/risks/R-001#actions"}}), "/risks/R-001#actions")
	got := action()
	if got.Status != "done" || got.Title != "Static analysis on every merge" || got.Owner != "P-001" || got.Due != "2026-05-01" ||
		got.Notes != "agreed in the review" || got.Version != 3 {
		t.Fatalf("after the status change: %+v", got)
	}
	expect(t, "saved", get(t, srv, owner, "/risks/R-001"), http.StatusOK, "TA-001 is saved: done.")

	for _, tc := range []struct{ status, want string }{{"", "is required"}, {"lost", "must be one of planned"}} {
		a = post(t, srv, owner, "/risks/R-001/actions/TA-001/status", url.Values{"status": {tc.status}, "version": {"3"}, "back": {"/risks/plan"}})
		expect(t, "status "+tc.status, a, http.StatusUnprocessableEntity, tc.want, "<h1>Risk treatment plan</h1>")
	}
	if got := action(); got.Status != "done" || got.Version != 3 {
		t.Fatalf("after bad statuses: %+v", got)
	}
}

func TestRiskHeatMapPage(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	riskFixture(t, srv, org)
	a := get(t, srv, c["owner"], "/risks/heatmap")
	expect(t, "heat maps", a, http.StatusOK, "3 risks, before treatment", "2 risks, after treatment; 1 without a residual assessment",
		`<strong>low</strong>: score 1–6`, `<strong>high</strong>: score 15–25`)
	svgs := regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(a.Body, -1)
	if len(svgs) != 2 {
		t.Fatalf("%d SVGs, want 2", len(svgs))
	}
	inherent, residual := svgs[0], svgs[1]
	for name, svg := range map[string]string{"inherent": inherent, "residual": residual} {
		if n := strings.Count(svg, "<rect "); n != 25 {
			t.Errorf("%s: %d cells, want 25", name, n)
		}
		if strings.Contains(svg, "style=") || strings.Contains(svg, "<script") {
			t.Errorf("%s: inline style or script", name)
		}
	}
	for _, want := range []string{
		`<a href="/risks?impact=5&amp;likelihood=4" class="cell-link">`, `data-likelihood="4" data-impact="5" data-count="1"`,
		`<a href="/risks?impact=2&amp;likelihood=3" class="cell-link">`, `<a href="/risks?impact=4&amp;likelihood=4" class="cell-link">`,
		`data-likelihood="1" data-impact="1" data-count="0"`, `>5 Almost certain</text>`, `>Severe</text>`,
	} {
		if !strings.Contains(inherent, want) {
			t.Errorf("inherent map lacks %q", want)
		}
	}
	if n := strings.Count(inherent, "<a "); n != 3 {
		t.Errorf("inherent map has %d links, want 3", n)
	}
	for _, want := range []string{`<a href="/risks?residual_impact=5&amp;residual_likelihood=2" class="cell-link">`,
		`<a href="/risks?residual_impact=2&amp;residual_likelihood=2" class="cell-link">`, `data-likelihood="2" data-impact="2" data-count="1"`} {
		if !strings.Contains(residual, want) {
			t.Errorf("residual map lacks %q", want)
		}
	}
	if n := strings.Count(residual, "<a "); n != 2 {
		t.Errorf("residual map has %d links, want 2", n)
	}
	// The links lead to the right rows.
	sameRefs(t, "cell", get(t, srv, c["owner"], "/risks?impact=5&likelihood=4"), "R-001")
	sameRefs(t, "residual cell", get(t, srv, c["owner"], "/risks?residual_impact=2&residual_likelihood=2"), "R-003")
}

func TestRiskMethodPage(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	owner := c["owner"]

	a := get(t, srv, owner, "/risks/method")
	expect(t, "method", a, http.StatusOK, `value="Almost certain"`, `name="acceptance_threshold" type="number" min="1" max="25" value="6"`, `name="version" value="0"`)
	if n := strings.Count(a.Body, `name="likelihood_label"`); n != 5 {
		t.Fatalf("%d likelihood rows, want 5", n)
	}
	a = get(t, srv, owner, "/risks/method?levels=3")
	if n, m := strings.Count(a.Body, `name="likelihood_label"`), strings.Count(a.Body, `name="impact_label"`); n != 3 || m != 3 {
		t.Fatalf("levels=3: %d likelihood and %d impact rows", n, m)
	}
	expect(t, "3x3 suggestion", a, http.StatusOK, `<option value="3" selected>3</option>`, `value="Unlikely"`, `id="acceptance_threshold" name="acceptance_threshold" type="number" min="1" max="25" value="2"`)
	refuse(t, "no risks: no re-scaling box", a, `name="rescale"`)
	a = get(t, srv, owner, "/risks/method?likelihood_levels=4")
	if n, m := strings.Count(a.Body, `name="likelihood_label"`), strings.Count(a.Body, `name="impact_label"`); n != 4 || m != 5 {
		t.Fatalf("likelihood_levels=4: %d likelihood and %d impact rows", n, m)
	}

	three := func(version string) url.Values {
		return url.Values{"likelihood_label": {"Low", "Medium", "High"}, "likelihood_description": {"", "", ""},
			"impact_label": {"Low", "Medium", "High"}, "impact_description": {"a", "b", "c"}, "scoring": {"multiply"},
			"acceptance_threshold": {"2"}, "high_threshold": {"6"}, "version": {version}}
	}
	bad := three("0")
	bad["likelihood_label"] = []string{"Low", " ", "High"}
	a = post(t, srv, owner, "/risks/method", bad)
	expect(t, "blank label", a, http.StatusUnprocessableEntity, "Please correct the fields marked below.", "is required",
		`id="likelihood-label-2" name="likelihood_label" value="" required maxlength="60" aria-invalid="true"`, `value="High"`)
	bad = three("0")
	bad.Set("high_threshold", "40")
	a = post(t, srv, owner, "/risks/method", bad)
	expect(t, "bad threshold", a, http.StatusUnprocessableEntity, "must be above the acceptance threshold and at most 9", `id="high_threshold" name="high_threshold" type="number" min="2" max="25" value="40" required aria-invalid="true"`)

	riskFixture(t, srv, org)
	a = get(t, srv, owner, "/risks/method?levels=3")
	expect(t, "risks exist", a, http.StatusOK, "3 risks are assessed on the current 5 × 5 scales", `name="rescale"`,
		"records the change with its previous levels and scores", "1 of them is accepted: an acceptance is withdrawn when the score it accepted changes")
	a = post(t, srv, owner, "/risks/method", three("0"))
	expect(t, "resize without confirmation", a, http.StatusConflict,
		"3 risks are assessed on the current 5x5 scales: confirm re-scaling to map each onto the new 3x3 scales", `name="rescale" value="1">`,
		`value="Medium"`, `name="version" value="0"`)
	if m, _ := srv.Svc.RiskMethod(org.Ctx("owner")); len(m.Likelihood) != 5 {
		t.Fatal("the method changed without confirmation")
	}
	confirmed := three("0")
	confirmed.Set("rescale", "1")
	seeOther(t, "resize", post(t, srv, owner, "/risks/method", confirmed), "/risks/method")
	a = get(t, srv, owner, "/risks/method")
	// R-003's residual 2x2 = 4 stays 2x2 = 4, now above the acceptance threshold 2: its acceptance is withdrawn.
	expect(t, "resized", a, http.StatusOK, "The risk method is saved (version 1). 3 risks re-scored", `value="Medium"`, `name="version" value="1"`,
		"1 acceptance withdrawn (R-003): the score accepted changed or is now above the acceptance threshold")
	a = get(t, srv, owner, "/risks/R-001")
	expect(t, "history", a, http.StatusOK, "re-scored after the risk method changed (5x5 multiply to 3x3 multiply); was 4x5 = 20, residual 2x5 = 10")
	// Each history entry keeps the bands of the method it was made under: the first assessment's residual 10 was
	// medium under 5x5 (appetite 6, high 15), though 10 is high under the new method (high from 6).
	history := a.Body[strings.Index(a.Body, `<table class="history">`):]
	rows := strings.Split(history[:strings.Index(history, "</table>")], "<tr>")
	first, rescored := rows[len(rows)-1], rows[len(rows)-2]
	for _, want := range []string{`<span class="score band-high">20<`, `<span class="score band-medium">10<`, "5x5 multiply, appetite 6, high 15", "first assessment"} {
		if !strings.Contains(first, want) {
			t.Errorf("the first assessment's row lacks %q: %s", want, first)
		}
	}
	for _, want := range []string{`<span class="score band-high">9<`, `<span class="score band-high">6<`, "3x3 multiply, appetite 2, high 6"} {
		if !strings.Contains(rescored, want) {
			t.Errorf("the re-scored row lacks %q: %s", want, rescored)
		}
	}
	a = get(t, srv, owner, "/risks/R-003")
	expect(t, "withdrawn", a, http.StatusOK, "Not accepted yet.", "acceptance by approver of Acme on 2026-03-02 withdrawn: the residual score 4 is now above the acceptance threshold 2 (was 6)")

	a = post(t, srv, owner, "/risks/method", three("0"))
	expect(t, "stale method", a, http.StatusConflict, "risk method was changed by someone else", staleNotice, "Someone else saved the risk method",
		"the saved method is version 1 (3 × 3, acceptance threshold 2, high from 6)", `<a href="/risks/method">reload</a>`, `name="version" value="1"`)
}

func TestRiskImportAndExport(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer")
	riskFixture(t, srv, org)
	owner := c["owner"]

	expect(t, "import form", get(t, srv, owner, "/risks/import"), http.StatusOK, `enctype="multipart/form-data"`, `name="file" type="file"`,
		`href="/risks/export.csv"`)
	a := upload(t, srv, owner, "/risks/import", "register.txt", "title\nx\n")
	expect(t, "bad format", a, http.StatusUnprocessableEntity, "Nothing was imported", "<code>format</code>: the file must be CSV or XLSX")

	bad := "title,owner,likelihood,impact,treatment,controls\n" +
		"Good risk,P-001,3,3,modify,8.28\n" +
		",P-001,9,3,modify,8.28\n" +
		"Another,Nobody,2,2,retain,99.9\n"
	a = upload(t, srv, owner, "/risks/import", "register.csv", bad)
	expect(t, "bad CSV", a, http.StatusUnprocessableEntity, "Nothing was imported", `<ol class="problems">`)
	for _, line := range []string{"line 3", "line 4"} {
		if !strings.Contains(a.Body, "<code>"+line) {
			t.Errorf("bad CSV: no problem reported for %s\n%s", line, a.Body)
		}
	}
	if strings.Contains(a.Body, "<code>line 2") {
		t.Errorf("bad CSV: the good line 2 is reported\n%s", a.Body)
	}
	if l, _ := srv.Svc.ListRisks(org.Ctx("owner"), service.RiskFilter{}, service.Page{}); l.Total != 3 {
		t.Fatalf("a bad import added risks: %d", l.Total)
	}
	expect(t, "asset import form", get(t, srv, owner, "/assets/import"), http.StatusOK, `action="/assets/import"`)
	expect(t, "asset import without file", post(t, srv, owner, "/assets/import", url.Values{}), http.StatusUnprocessableEntity,
		"Nothing was imported")

	// Exports are downloads named after the organisation, filtered like the page.
	for p, ct := range map[string]string{"/risks/export.csv?owner=P-002": "text/csv; charset=utf-8", "/risks/export.pdf": "application/pdf",
		"/risks/export.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "/assets/export.csv?type=hardware": "text/csv; charset=utf-8"} {
		a := get(t, srv, owner, p)
		if a.Status != http.StatusOK || a.Header.Get("Content-Type") != ct || !strings.HasPrefix(a.Header.Get("Content-Disposition"), `attachment; filename="praxis-`) {
			t.Errorf("%s: status %d, Content-Type %q, Content-Disposition %q", p, a.Status, a.Header.Get("Content-Type"), a.Header.Get("Content-Disposition"))
		}
	}
	csv := get(t, srv, owner, "/risks/export.csv?owner=P-002").Body
	if !strings.Contains(csv, "Laptop theft") || !strings.Contains(csv, "Phishing email") || strings.Contains(csv, "Insecure code") {
		t.Errorf("filtered export:\n%s", csv)
	}
	if assets := get(t, srv, owner, "/assets/export.csv?type=hardware").Body; !strings.Contains(assets, "Laptops") || strings.Contains(assets, "Customer database") {
		t.Errorf("filtered asset export:\n%s", assets)
	}
	expect(t, "bad export filter", get(t, srv, owner, "/risks/export.csv?band=extreme"), http.StatusUnprocessableEntity, "must be low, medium or high")

	// The register offers CSV, CSV for Excel, XLSX and PDF with its filter and order; the export keeps the order.
	expect(t, "export links", get(t, srv, owner, "/risks?sort=-score&treatment=modify"), http.StatusOK,
		`<a href="/risks/export.csv?sort=-score&amp;treatment=modify" download>CSV</a>`,
		`<a href="/risks/export.csv?excel=1&amp;sort=-score&amp;treatment=modify" download>CSV for Excel</a>`,
		`<a href="/risks/export.xlsx?sort=-score&amp;treatment=modify" download>XLSX</a>`, `<a href="/risks/export.pdf?sort=-score&amp;treatment=modify" download>PDF</a>`)
	var order []string
	for _, line := range strings.Split(strings.TrimSpace(get(t, srv, owner, "/risks/export.csv?sort=-score").Body), "\n")[1:] {
		order = append(order, strings.SplitN(line, ",", 2)[0])
	}
	if strings.Join(order, " ") != "R-001 R-003 R-002" {
		t.Errorf("export sorted by -score lists %v, want R-001 R-003 R-002", order)
	}
	a = get(t, srv, owner, "/risks/export.csv?excel=1&owner=P-002")
	if a.Status != http.StatusOK || a.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(a.Body, "\ufeffref,title,") ||
		!strings.HasSuffix(a.Header.Get("Content-Disposition"), `.csv"`) || strings.Contains(a.Body, "Insecure code") {
		t.Errorf("CSV for Excel: status %d, Content-Type %q, Content-Disposition %q, body %.40q", a.Status, a.Header.Get("Content-Type"), a.Header.Get("Content-Disposition"), a.Body)
	}
	if a := get(t, srv, owner, "/assets/export.csv?excel=1"); !strings.HasPrefix(a.Body, "\ufeffref,name,") {
		t.Errorf("assets CSV for Excel: %.40q", a.Body)
	}

	// The treatment plan exports too, with its filter and whether each action is overdue (the test clock says 2026-03-02).
	expect(t, "plan export links", get(t, srv, owner, "/risks/plan?owner=P-002"), http.StatusOK,
		`<a href="/risks/plan/export.csv?owner=P-002" download>CSV</a>`, `<a href="/risks/plan/export.csv?excel=1&amp;owner=P-002" download>CSV for Excel</a>`,
		`<a href="/risks/plan/export.xlsx?owner=P-002" download>XLSX</a>`, `<a href="/risks/plan/export.pdf?owner=P-002" download>PDF</a>`)
	a = get(t, srv, owner, "/risks/plan/export.csv?owner=P-002")
	if a.Status != http.StatusOK || a.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(a.Header.Get("Content-Disposition"), "praxis-treatment-plan-") ||
		!strings.HasPrefix(a.Body, "ref,risk,title,owner_ref,owner,due,status,overdue,notes,created_at\n") ||
		!strings.Contains(a.Body, "TA-003,R-003,Phishing training,P-002,Grace Hopper,2026-01-01,done,no,") ||
		!strings.Contains(a.Body, "TA-001,R-001,Static analysis in CI,P-002,Grace Hopper,2026-02-01,planned,yes,") ||
		strings.Contains(a.Body, "Secure coding standard") {
		t.Errorf("plan export: status %d, %q, %q\n%s", a.Status, a.Header.Get("Content-Type"), a.Header.Get("Content-Disposition"), a.Body)
	}
	for p, ct := range map[string]string{"/risks/plan/export.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "/risks/plan/export.pdf?overdue=1": "application/pdf"} {
		if a := get(t, srv, owner, p); a.Status != http.StatusOK || a.Header.Get("Content-Type") != ct {
			t.Errorf("%s: status %d, Content-Type %q", p, a.Status, a.Header.Get("Content-Type"))
		}
	}
	expect(t, "bad plan export filter", get(t, srv, owner, "/risks/plan/export.csv?status=someday"), http.StatusUnprocessableEntity, "must be one of planned")

	// The export imports back in place: the check says what would change (here: nothing) with the columns it does not
	// read, and the register then says what was done. A copy without refs adds the rows as new risks.
	a = postImport(t, srv, owner, "/risks/import", map[string]string{"step": "check"}, "register.csv", csv)
	expect(t, "check", a, http.StatusOK, "Check of register.csv: nothing is changed yet", `<dd data-count="added">0</dd>`,
		`<dd data-count="updated">0</dd>`, `<dd data-count="unchanged">2</dd>`, "<code>acceptance_comment</code>")
	seeOther(t, "import", upload(t, srv, owner, "/risks/import", "register.csv", csv), "/risks")
	expect(t, "imported", get(t, srv, owner, "/risks"), http.StatusOK, "Imported 0 risks, updated 0, left 2 unchanged.")
	copied := regexp.MustCompile(`(?m)^R-00\d,`).ReplaceAllString(csv, ",")
	seeOther(t, "import of a copy", upload(t, srv, owner, "/risks/import", "register.csv", copied), "/risks")
	expect(t, "imported copy", get(t, srv, owner, "/risks"), http.StatusOK, "Imported 2 risks: R-004, R-005.")
	assets := get(t, srv, owner, "/assets/export.csv?type=hardware").Body
	seeOther(t, "asset import", upload(t, srv, owner, "/assets/import", "assets.csv", assets), "/assets")
	expect(t, "imported assets", get(t, srv, owner, "/assets"), http.StatusOK, "Imported 0 assets, updated 0, left 1 unchanged.")
	a = upload(t, srv, owner, "/assets/import", "assets.csv", "name,type\nServer,hardware\n,spaceship\n")
	expect(t, "bad asset CSV", a, http.StatusUnprocessableEntity, "Nothing was imported", "<code>line 3")
	expect(t, "viewer imports", upload(t, srv, c["viewer"], "/risks/import", "register.csv", bad), http.StatusForbidden, "<h1>Not allowed</h1>")
}

func TestRiskPagesForViewer(t *testing.T) {
	srv, org, c := startOrg(t, "viewer")
	riskFixture(t, srv, org)
	viewer := c["viewer"]

	for _, p := range []string{"/assets", "/assets/A-001", "/risks", "/risks/new", "/risks/R-001", "/risks/plan", "/risks/method", "/risks/heatmap",
		"/risks/import", "/assets/import"} {
		a := get(t, srv, viewer, p)
		expect(t, "viewer "+p, a, http.StatusOK)
		refuse(t, "viewer "+p, a, `method="post" action="/risks`, `method="post" action="/assets`, `name="version"`, `href="/risks/new"`, `id="add-asset"`)
	}
	expect(t, "viewer reads a risk", get(t, srv, viewer, "/risks/R-001"), http.StatusOK, `<a href="/catalog/controls/8.28" class="tag" title="Secure coding">8.28 Secure coding</a>`)
	expect(t, "viewer reads the method", get(t, srv, viewer, "/risks/method"), http.StatusOK, "<td>Almost certain</td>")
	expect(t, "viewer reads an asset", get(t, srv, viewer, "/assets/A-001"), http.StatusOK, "<dd>Customer database</dd>")

	risk := url.Values{"title": {"x"}, "likelihood": {"1"}, "impact": {"1"}, "treatment": {"retain"}, "version": {"1"}}
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/risks", risk},
		{"/risks/R-001", risk},
		{"/risks/R-001/accept", url.Values{"comment": {"fine"}, "version": {"1"}}},
		{"/risks/R-001/delete", nil},
		{"/risks/R-001/actions", url.Values{"title": {"x"}}},
		{"/risks/R-001/actions/TA-001", url.Values{"title": {"x"}, "status": {"done"}, "version": {"1"}}},
		{"/risks/method", url.Values{"version": {"1"}}},
		{"/assets", url.Values{"name": {"x"}, "type": {"site"}}},
		{"/assets/A-001", url.Values{"name": {"x"}, "type": {"site"}, "version": {"1"}}},
		{"/assets/A-001/delete", nil},
		{"/assets/import", url.Values{}},
		{"/risks/import", url.Values{}},
	} {
		expect(t, "viewer POST "+tc.path, post(t, srv, viewer, tc.path, tc.form), http.StatusForbidden, "<h1>Not allowed</h1>")
	}
	ctx := org.Ctx("owner")
	if l, _ := srv.Svc.ListRisks(ctx, service.RiskFilter{}, service.Page{}); l.Total != 3 || l.Items[0].Version != 1 {
		t.Fatalf("refused requests changed the register: %+v", l)
	}
	if a, _ := srv.Svc.Asset(ctx, "A-001"); a.Version != 1 {
		t.Fatalf("refused requests changed the asset: %+v", a)
	}
}
