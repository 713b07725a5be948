package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// documentFixture adds an approved document with a second, draft version, and returns its reference.
func documentFixture(t *testing.T, srv *testutil.Server, org testutil.Org) string {
	t.Helper()
	ctx := org.Ctx("owner")
	d, err := srv.Svc.AddDocument(ctx, service.DocumentInput{Title: "Acceptable use", Type: "policy", Content: "# Use\n\nBe careful.\n"})
	if err == nil {
		d, err = srv.Svc.SubmitDocument(ctx, d.Ref, d.Version)
	}
	if err == nil {
		d, err = srv.Svc.ApproveDocument(ctx, d.Ref, d.Version)
	}
	if err == nil {
		d, err = srv.Svc.UpdateDocument(ctx, d.Ref, service.DocumentInput{Title: d.Title, Type: d.Type, Content: "# Use\n\nBe very careful.\n",
			Summary: "Stronger", Version: d.Version})
	}
	if err != nil {
		t.Fatal(err)
	}
	return d.Ref
}

// The document workflow through the web forms: add (with hostile Markdown), submit, approve, publish to all,
// a reader acknowledges for themselves and an editor records it for someone without an account; the page
// shows who has and has not read it, and the Markdown renders without its script.
func TestDocumentPagesWorkflow(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "viewer", "editor")
	for _, p := range []service.PersonInput{{Name: "Vera Viewer", Email: "viewer@acme.example"}, {Name: "Nora Noaccount"}} {
		if _, err := srv.Svc.AddPerson(org.Ctx("owner"), p); err != nil {
			t.Fatal(err)
		}
	}
	a := post(t, srv, c["editor"], "/documents", url.Values{"title": {"Secure development"}, "type": {"memo"}})
	expect(t, "bad type", a, http.StatusUnprocessableEntity, "must be one of policy")
	a = post(t, srv, c["editor"], "/documents", url.Values{"title": {"Secure development"}, "type": {"policy"}, "controls": {"8.25, 8.28"},
		"content": {"# Rules\r\n\r\n<script>alert(1)</script>\r\n\r\n[run](javascript:alert(2))\r\n\r\n- review code\r\n"}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/documents/DOC-001" {
		t.Fatalf("add: %d %s", a.Status, a.Header.Get("Location"))
	}
	page := get(t, srv, c["viewer"], "/documents/DOC-001")
	expect(t, "draft page", page, http.StatusOK, "<h1>Rules</h1>", "<li>review code</li>", `status-draft">draft`)
	refuse(t, "draft page", page, "<script>alert", "javascript:alert", "Submit version 1")

	step := func(role, action string, version int) answer {
		return post(t, srv, c[role], "/documents/DOC-001/"+action, url.Values{"version": {strconv.Itoa(version)}})
	}
	expect(t, "approve a draft", step("owner", "approve", 1), http.StatusConflict, "only a version in review can be approved")
	if a := step("editor", "submit", 1); a.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", a.Status, a.Body)
	}
	expect(t, "an editor approves", step("editor", "approve", 2), http.StatusForbidden)
	if a := step("owner", "approve", 2); a.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", a.Status, a.Body)
	}
	if a := post(t, srv, c["editor"], "/documents/DOC-001/publish", url.Values{"audience": {"all"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", a.Status, a.Body)
	}
	page = get(t, srv, c["viewer"], "/documents/DOC-001")
	expect(t, "published", page, http.StatusOK, "<strong>0 of 2</strong>", "I have read version 1", "SHA-256")
	if a := post(t, srv, c["viewer"], "/documents/DOC-001/acknowledge", url.Values{"number": {"1"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d %s", a.Status, a.Body)
	}
	if a := post(t, srv, c["editor"], "/documents/DOC-001/acknowledge", url.Values{"number": {"1"}, "person": {"Nora Noaccount"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("record for Nora: %d %s", a.Status, a.Body)
	}
	page = get(t, srv, c["viewer"], "/documents/DOC-001")
	expect(t, "acknowledged", page, http.StatusOK, "<strong>2 of 2</strong>", "recorded by editor of Acme")
	refuse(t, "acknowledged", page, "I have read version 1")

	// A change starts version 2; the diff marks what changed, side by side and unified.
	a = post(t, srv, c["editor"], "/documents/DOC-001", url.Values{"title": {"Secure development"}, "type": {"policy"}, "version": {"3"},
		"content": {"# Rules\n\n- review code\n- scan dependencies\n"}, "summary": {"Scanning"}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", a.Status, a.Body)
	}
	diff := get(t, srv, c["viewer"], "/documents/DOC-001/diff?from=1&to=2")
	expect(t, "diff", diff, http.StatusOK, `<tr class="ins">`, "added: </span>+ - scan dependencies", `<tr class="del">`)
	refuse(t, "diff", diff, "<script>alert")
	a = post(t, srv, c["editor"], "/documents", url.Values{"template": {"backup"}, "type": {""}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/documents/DOC-002" {
		t.Fatalf("add from a template: %d %s", a.Status, a.Body)
	}
	expect(t, "from a template", get(t, srv, c["viewer"], "/documents/DOC-002"), http.StatusOK, "Backup policy", `href="/catalog/controls/8.13"`)
	pdf := get(t, srv, c["viewer"], "/documents/DOC-001/export?version=1&format=pdf")
	if pdf.Status != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Errorf("PDF export: %d %s", pdf.Status, pdf.Header.Get("Content-Type"))
	}
	md := get(t, srv, c["viewer"], "/documents/DOC-001/export?version=1")
	if md.Status != http.StatusOK || !strings.HasPrefix(md.Header.Get("Content-Type"), "text/markdown") ||
		!strings.HasSuffix(md.Body, "[run](javascript:alert(2))\n\n- review code\n") {
		t.Errorf("export: %d %s\n%s", md.Status, md.Header.Get("Content-Type"), md.Body)
	}
}
