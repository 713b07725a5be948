package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// contextSample gives an organisation an issue (I-001), a party with a requirement (IP-001, REQ-001) and a scope
// approved as version 1 and changed since.
func contextSample(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(svc.AddIssue(ctx, service.IssueInput{Title: "Remote work", Kind: "internal", Effect: "Laptops at home"}))
	must(svc.AddParty(ctx, service.PartyInput{Name: "Customers", Kind: "customer"}))
	must(svc.AddRequirement(ctx, service.RequirementInput{Party: "IP-001", Text: "Security clauses", Type: "contractual", Controls: []string{"5.20"}}))
	must(svc.SetScope(ctx, service.ScopeInput{Statement: "The platform", Systems: []string{"Billing"}}))
	must(svc.ApproveScope(ctx, "first"))
	must(svc.PatchScope(ctx, service.ScopeInput{Systems: []string{"Billing", "Support"}, Version: 1, Sent: service.SentOf("systems")}))
}

// submit posts a form and follows its redirect (post/redirect/get), answering the page it lands on.
func submit(t *testing.T, srv *testutil.Server, c *http.Client, path string, form url.Values) answer {
	t.Helper()
	a := post(t, srv, c, path, form)
	if a.Status == http.StatusSeeOther {
		return get(t, srv, c, a.Header.Get("Location"))
	}
	return a
}

// The clause 4 pages through the browser's forms: an issue added and shown in the list, a bad one refused with its
// field named, a requirement with an unknown control refused on the party page, the scope saved, refused when
// stale, approved by an approver only, compared and exported.
func TestContextPages(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "editor", "viewer")
	_, err := srv.Svc.AddPerson(org.Ctx("owner"), service.PersonInput{Name: "Grace Hopper"})
	if err != nil {
		t.Fatal(err)
	}
	a := submit(t, srv, c["editor"], "/issues", url.Values{"title": {"New privacy law"}, "kind": {"external"}, "owner": {"P-001"}, "effect": {"More records"}})
	expect(t, "add issue", a, http.StatusOK, "I-001 New privacy law is added.", "More records")
	expect(t, "issue list", get(t, srv, c["viewer"], "/issues?kind=external"), http.StatusOK, "New privacy law", "Grace Hopper")
	refuse(t, "viewer's issue list", get(t, srv, c["viewer"], "/issues"), `method="post" action="/issues"`)
	a = post(t, srv, c["editor"], "/issues", url.Values{"title": {""}, "kind": {"sideways"}})
	expect(t, "bad issue", a, http.StatusUnprocessableEntity, "must be one of internal, external", "is required")

	// A bad filter answers the list page itself, its filter form naming the problem (as every register's list does).
	for _, list := range []string{"/issues", "/parties"} {
		expect(t, "bad filter on "+list, get(t, srv, c["viewer"], list+"?kind=sideways"), http.StatusUnprocessableEntity,
			`action="`+list+`" class="filters"`, `<span class="field-error" role="alert">must be one of`)
	}

	expect(t, "add party", submit(t, srv, c["editor"], "/parties", url.Values{"name": {"Regulator"}, "kind": {"regulator"}}), http.StatusOK, "IP-001 Regulator is added.")
	a = post(t, srv, c["editor"], "/parties/IP-001/requirements", url.Values{"text": {"Report breaches"}, "type": {"legal"}, "controls": {"5.26, 9.9"}})
	expect(t, "bad requirement", a, http.StatusUnprocessableEntity, `&#34;9.9&#34; is not an ISO/IEC 27001:2022 Annex A control`, "Report breaches", `value="Regulator"`)
	a = submit(t, srv, c["editor"], "/parties/IP-001/requirements", url.Values{"text": {"Report breaches"}, "type": {"legal"}, "controls": {"5.26"}})
	expect(t, "requirement", a, http.StatusOK, "REQ-001 is added.", "Requirements (1)", `href="/catalog/controls/5.26"`)

	form := url.Values{"statement": {"The platform"}, "units": {"Engineering\n\nSupport"}, "exclusions": {"Cafeteria: nothing there"}, "version": {"0"}}
	expect(t, "save scope", submit(t, srv, c["editor"], "/scope", form), http.StatusOK, "The scope is saved.", "<li>Support</li>", "<strong>Draft</strong>")
	a = post(t, srv, c["editor"], "/scope", form)
	expect(t, "stale scope", a, http.StatusConflict, "changed by someone else")
	expect(t, "editor approves", post(t, srv, c["editor"], "/scope/approve", url.Values{}), http.StatusForbidden)
	a = submit(t, srv, c["owner"], "/scope/approve", url.Values{"comment": {"First"}})
	expect(t, "approve", a, http.StatusOK, "approved as version 1", "<h1>ISMS scope, version 1</h1>")
	v, err := srv.Svc.Scope(org.Ctx("owner"))
	if err != nil || v.Status != service.ScopeApproved {
		t.Fatalf("scope after approval: %+v %v", v, err)
	}
	form.Set("version", "1")
	form.Set("units", "Engineering")
	post(t, srv, c["editor"], "/scope", form)
	expect(t, "diff", get(t, srv, c["viewer"], "/scope/diff"), http.StatusOK, "Organisational units")
	a = get(t, srv, c["viewer"], "/scope/export?format=md&version=1")
	expect(t, "markdown export", a, http.StatusOK, "# ISMS scope: Acme", "- Support")
	if !strings.HasPrefix(a.Header.Get("Content-Type"), "text/markdown") {
		t.Errorf("markdown content type %q", a.Header.Get("Content-Type"))
	}
	expect(t, "delete issue", submit(t, srv, c["editor"], "/issues/I-001/delete", nil), http.StatusOK, "I-001 is deleted.")
	if _, err := srv.Svc.Issue(org.Ctx("owner"), "I-001"); isms.ErrorKind(err) != isms.KindNotFound {
		t.Fatalf("deleted issue: %v", err)
	}
}
