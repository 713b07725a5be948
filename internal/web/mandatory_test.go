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

// The SoA table, the SoA entry and the catalog control page list the documents that serve the control, a draft
// marked as not in force; a control no document serves says so.
func TestControlPagesLinkDocuments(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer")
	ctx := org.Ctx("owner")
	d, err := srv.Svc.AddDocument(ctx, service.DocumentInput{Title: "Backup policy", Type: "policy", Controls: []string{"8.13"}, Content: "# B\n"})
	if err == nil {
		d, err = srv.Svc.SubmitDocument(ctx, d.Ref, d.Version)
	}
	if err == nil {
		_, err = srv.Svc.ApproveDocument(ctx, d.Ref, d.Version)
	}
	if err == nil {
		_, err = srv.Svc.AddDocument(ctx, service.DocumentInput{Title: "Restore runbook", Type: "procedure", Controls: []string{"8.13", "5.30"}, Content: "# R\n"})
	}
	if err != nil {
		t.Fatal(err)
	}
	link := `<a href="/documents/DOC-001" class="doc-ref">DOC-001 Backup policy</a>, <a href="/documents/DOC-002" class="doc-ref">DOC-002 Restore runbook</a> <span class="muted">(draft)</span>`
	expect(t, "SoA entry", get(t, srv, c["viewer"], "/soa/8.13"), http.StatusOK, link)
	expect(t, "control page", get(t, srv, c["viewer"], "/catalog/controls/8.13"), http.StatusOK, link)
	expect(t, "SoA table", get(t, srv, c["viewer"], "/soa"), http.StatusOK,
		`<a href="/documents/DOC-001" title="Backup policy">DOC-001</a>, <a href="/documents/DOC-002" title="Restore runbook">DOC-002</a>`)
	page := get(t, srv, c["viewer"], "/soa/8.14")
	expect(t, "a control no document serves", page, http.StatusOK, "<dt>Documents</dt><dd><span class=\"muted\">none in the register</span>")
	refuse(t, "a control no document serves", page, "DOC-001")
}

// A gap's link opens the new document form with its template chosen.
func TestGapLinkChoosesTemplate(t *testing.T) {
	srv, _, c := startOrg(t, "editor")
	expect(t, "new document form", get(t, srv, c["editor"], "/documents?template=risk-methodology#new"), http.StatusOK,
		`<option value="risk-methodology" selected>`)
}
