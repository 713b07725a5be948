package web_test

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The dashboard counts what needs attention from the real register, never fixed numbers.
func TestDashboardCountsRisksAboveAppetite(t *testing.T) {
	srv, org, clients := startOrg(t, "owner")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Risk Owner"}); err != nil {
		t.Fatal(err)
	}
	add := func(title string, l, i, rl, ri int) isms.Risk {
		r, err := srv.Svc.AddRisk(ctx, service.RiskInput{Title: title, Likelihood: l, Impact: i, Treatment: isms.TreatModify,
			Controls: []string{"8.28"}, ResidualLikelihood: rl, ResidualImpact: ri})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	add("within appetite", 4, 4, 2, 2)        // residual 4 <= threshold 6
	high := add("above appetite", 5, 5, 3, 4) // residual 12 > 6
	add("also above", 5, 4, 4, 4)             // residual 16
	expect(t, "dashboard", get(t, srv, clients["owner"], "/"), 200,
		`<span class="num">3</span> risks in the register`, `<span class="num">2</span> residual risks above appetite`)

	if _, err := srv.Svc.AcceptRisk(ctx, high.Ref, service.AcceptRiskInput{Comment: "budget approved for next year", Version: high.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddAction(ctx, high.Ref, service.ActionInput{Title: "late", Due: "2020-01-01"}); err != nil {
		t.Fatal(err)
	}
	expect(t, "dashboard after acceptance", get(t, srv, clients["owner"], "/"), 200,
		`<span class="num">1</span> residual risks above appetite`, `<span class="num">1</span> overdue treatment actions`)
}
