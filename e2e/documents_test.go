package e2e

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestDocumentWorkflow: in a real browser an owner (an approver) adds a procedure with Markdown content, submits
// it, approves it, publishes it to all staff and confirms having read it; the page renders the Markdown (a
// script in it does not run) and shows who has read the version.
func TestDocumentWorkflow(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	ctx := org.Ctx("owner")
	for _, p := range []service.PersonInput{{Name: "Olive Owner", Email: "owner@acme.example"}, {Name: "Ned Noaccount"}} {
		if _, err := srv.Svc.AddPerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	b.login("owner@acme.example", testutil.Password)
	b.open("/documents")
	b.see("No documents yet")
	add := `section[aria-labelledby="add-document"]`
	b.fillIn(add, "Title", "Change management procedure")
	b.fillIn(add, "Type", "procedure")
	b.fillIn(add, "Annex A controls it serves", "8.32")
	b.fillIn(add, "Content (Markdown)", "# Changes\n\nEvery change is **reviewed** before it ships.\n\n<script>document.title='owned'</script>\n")
	b.pressIn(add, "Add document")
	b.expectPath("/documents/DOC-001")
	shows(b, ".flash", "DOC-001 Change management procedure is added as a draft.")
	shows(b, "article.markdown strong", "reviewed")
	var title string
	b.js("read the title", &title, `function() { return document.title; }`)
	if title == "owned" {
		t.Fatal("a script in the Markdown ran")
	}

	b.press("Submit version 1 for review")
	shows(b, ".flash", "DOC-001 version 1 is submitted for review.")
	b.press("Approve version 1")
	shows(b, ".flash", "DOC-001 version 1 is approved and in force.")
	b.see("SHA-256")
	b.pressIn(`form[aria-label="Publish"]`, "Publish")
	shows(b, ".flash", "is published to 2 more people (2 in all).")
	b.see("0 of 2")
	b.press("I have read version 1")
	shows(b, ".flash", "your acknowledgement is recorded")
	b.see("1 of 2")
	shows(b, ".acks-have", "Olive Owner")
	shows(b, ".acks-pending", "Ned Noaccount")
	b.saveScreenshot("document")

}
