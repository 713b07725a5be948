package web_test

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// A control's page shows where the organisation uses it: the risks it treats, from the register.
func TestControlPageListsRisksItTreats(t *testing.T) {
	srv, org, clients := startOrg(t, "viewer")
	expect(t, "unused control", get(t, srv, clients["viewer"], "/catalog/controls/8.28"), 200, "No risk in your register is treated with this control yet")
	r, err := srv.Svc.AddRisk(org.Ctx("editor"), service.RiskInput{Title: "Insecure code reaches production", Likelihood: 4, Impact: 5,
		Treatment: isms.TreatModify, Controls: []string{"8.28", "8.25"}})
	if err != nil {
		t.Fatal(err)
	}
	a := get(t, srv, clients["viewer"], "/catalog/controls/8.28")
	expect(t, "used control", a, 200, "Treats 1 risk in your register", `href="/risks/`+r.Ref+`"`, "Insecure code reaches production", `href="/risks?control=8.28"`)
	refuse(t, "other control", get(t, srv, clients["viewer"], "/catalog/controls/8.29"), "Insecure code reaches production")
}
