package web_test

import (
	"net/http"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The mandatory documents page shows each item as a gap with a link to close it, until an approved document
// serving the clause satisfies it; then it names and links that document.
func TestMandatoryDocumentsPage(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer")
	page := get(t, srv, c["viewer"], "/documents/mandatory")
	expect(t, "new organisation", page, http.StatusOK, "0 of 16 items", `data-clause="5.2 e" data-satisfied="false"`,
		"No approved document serves clause 5.2", `href="/documents?template=information-security#new"`, `href="/scope">Create it`)

	ctx := org.Ctx("owner")
	d, err := srv.Svc.AddDocument(ctx, service.DocumentInput{Title: "Security policy", Type: "policy", Clauses: []string{"5.2"}, Content: "# P\n"})
	if err == nil {
		d, err = srv.Svc.SubmitDocument(ctx, d.Ref, d.Version)
	}
	if err == nil {
		_, err = srv.Svc.ApproveDocument(ctx, d.Ref, d.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	page = get(t, srv, c["viewer"], "/documents/mandatory")
	expect(t, "policy approved", page, http.StatusOK, "2 of 16 items", `data-clause="5.2 e" data-satisfied="true"`,
		`<a href="/documents/DOC-001">DOC-001 Security policy, version 1</a>`)
	refuse(t, "policy approved", page, "No approved document serves clause 5.2")
}

// A new organisation is prompted on the dashboard and the risk method page to draft and approve the risk
// methodology; an editor drafts it with one button; the prompt goes once it is approved.
func TestMethodologyPrompt(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer", "editor")
	expect(t, "dashboard", get(t, srv, c["editor"], "/"), http.StatusOK, "Before your first risk assessment", `action="/risks/method/methodology"`)
	refuse(t, "viewer's dashboard", get(t, srv, c["viewer"], "/"), `action="/risks/method/methodology"`)
	expect(t, "viewer drafts", post(t, srv, c["viewer"], "/risks/method/methodology", nil), http.StatusForbidden)
	a := post(t, srv, c["editor"], "/risks/method/methodology", nil)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/documents/DOC-001" {
		t.Fatalf("draft: %d %s", a.Status, a.Header.Get("Location"))
	}
	expect(t, "method page", get(t, srv, c["viewer"], "/risks/method"), http.StatusOK,
		`The risk methodology <a href="/documents/DOC-001">DOC-001</a> is draft`)
	ctx := org.Ctx("owner")
	d, err := srv.Svc.SubmitDocument(ctx, "DOC-001", 1)
	if err == nil {
		_, err = srv.Svc.ApproveDocument(ctx, d.Ref, d.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	refuse(t, "approved", get(t, srv, c["viewer"], "/risks/method"), `id="methodology"`)
	refuse(t, "approved", get(t, srv, c["viewer"], "/"), `id="methodology"`)
}
