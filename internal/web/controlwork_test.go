package web_test

import (
	"net/http"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/service"
)

// The work page of a control shows its guidance, the SoA decision, its tasks, evidence and documents, and what is
// still missing; "A.8.28" redirects to its one address; editors get "Create task", viewers do not; the catalog
// control page and the SoA entry link to it.
func TestControlWorkPage(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddTask(ctx, service.TaskInput{Title: "Secure coding rules", Control: "8.28", Due: "2020-01-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddEvidence(ctx, service.EvidenceInput{Title: "CI analysis report", Kind: "link", URL: "https://ci.example/r", Controls: []string{"8.28"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddDocument(ctx, service.DocumentInput{Title: "Secure development policy", Type: "policy", Controls: []string{"8.28"}}); err != nil {
		t.Fatal(err)
	}
	ctl, _ := catalog.MustLoad().Control("8.28")
	a := get(t, srv, c["editor"], "/controls/8.28")
	expect(t, "work page", a, http.StatusOK, ctl.Title, ctl.Guidance.Steps[0], ctl.Guidance.Evidence[0], "Still missing",
		`data-code="undecided"`, `href="/tasks/T-001"`, "overdue", "CI analysis report", `href="/evidence/E-001"`, "Secure development policy", `href="/tasks?control=8.28#add-task"`,
		`href="/soa/8.28"`)
	a = get(t, srv, c["viewer"], "/controls/8.28")
	expect(t, "work page as a viewer", a, http.StatusOK, "Open the entry")
	refuse(t, "work page as a viewer", a, "Create task")
	a = get(t, srv, c["viewer"], "/controls/A.8.28")
	if a.Status != http.StatusMovedPermanently || a.Header.Get("Location") != "/controls/8.28" {
		t.Fatalf("A.8.28: %d %s", a.Status, a.Header.Get("Location"))
	}
	expect(t, "unknown control", get(t, srv, c["viewer"], "/controls/9.9"), http.StatusNotFound, "no Annex A control")
	expect(t, "catalog control page", get(t, srv, c["editor"], "/catalog/controls/8.28"), http.StatusOK, `href="/controls/8.28"`, "Create task")
	expect(t, "SoA entry", get(t, srv, c["editor"], "/soa/8.28"), http.StatusOK, `href="/controls/8.28"`, "Create task")
}
