package e2e

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestContextPath: on the sample organisation the head of engineering opens Context, adds an issue, adds an
// interested party and records its requirement on the party's page, and edits the scope's draft; the approver
// then approves the scope, which becomes its next version.
func TestContextPath(t *testing.T) {
	t.Parallel()
	_, b := startDemo(t)
	b.login("sofia@northwind.example", service.DemoPassword)
	b.open("/")
	b.follow("nav.main-nav", "Context")
	b.expectPath("/scope")

	// 1. An issue, from the issues list.
	b.follow("nav.subnav", "Issues")
	b.expectPath("/issues")
	add := `section[aria-labelledby="add-issue"]`
	b.fillIn(add, "Title", "Customers move to single sign-on")
	b.fillIn(add, "Kind", "external")
	b.fillIn(add, "Effect on the ISMS", "Federated logins for the platform; supplier reviews ask about it")
	b.pressIn(add, "Add issue")
	b.expectPath("/issues/I-009")
	shows(b, ".flash", "I-009 Customers move to single sign-on is added.")
	b.open("/issues?kind=external")
	shows(b, "main table", "Customers move to single sign-on")

	// 2. A party, and its requirement on the party's page.
	b.follow("nav.subnav", "Interested parties")
	b.expectPath("/parties")
	add = `section[aria-labelledby="add-party"]`
	b.fillIn(add, "Name", "Auditing firm")
	b.fillIn(add, "Kind", "partner")
	b.pressIn(add, "Add party")
	b.expectPath("/parties/IP-008")
	shows(b, ".flash", "IP-008 Auditing firm is added.")
	req := `form[aria-label="Add a requirement"]`
	b.fillIn(req, "Requirement", "Evidence of the controls in the SoA before each audit")
	b.fillIn(req, "Type", "contractual")
	b.fillIn(req, "Controls", "5.35")
	b.pressIn(req, "Add requirement")
	shows(b, "#requirements", "Requirements (1)")
	shows(b, "main", "Evidence of the controls in the SoA before each audit")

	// 3. The scope's draft, edited by the editor, who may not approve it.
	b.open("/scope")
	edit := `section[aria-labelledby="edit-scope"]`
	b.fillIn(edit, "Boundaries and interfaces", "Customer-hosted installations are outside; the hosted platform and its support are inside.")
	b.pressIn(edit, "Save draft")
	shows(b, ".flash", "The scope is saved.")
	shows(b, ".scope-status", "Changed since approval")
	b.notSee("Approve as version")

	// 4. The approver approves it: the draft becomes version 2.
	b.logout()
	b.login("maya@northwind.example", service.DemoPassword)
	b.open("/scope")
	b.fillIn(`section[aria-labelledby="approve-scope"]`, "Comment", "Boundaries made explicit")
	b.pressIn(`section[aria-labelledby="approve-scope"]`, "Approve as version 2")
	shows(b, ".flash", "approved as version 2")
	if !strings.Contains(b.text("main h1"), "version 2") {
		t.Errorf("after the approval the page is %q", b.text("main h1"))
	}
	shows(b, "main", "Customer-hosted installations are outside")
	b.open("/scope")
	shows(b, ".scope-status", "Approved")
	b.saveScreenshot("scope-approved")
}
