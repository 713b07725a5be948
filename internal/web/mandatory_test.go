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
