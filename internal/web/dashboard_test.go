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
		return r.Risk
	}
	add("within appetite", 4, 4, 2, 2)        // residual 4 <= threshold 6
	high := add("above appetite", 5, 5, 3, 4) // residual 12 > 6
	add("also above", 5, 4, 4, 4)             // residual 16
	// A risk without a residual assessment stands at its inherent score: 20 is above appetite, 2 is not.
	add("not assessed yet, above", 5, 4, 0, 0)
	add("not assessed yet, within", 1, 2, 0, 0)
	a := get(t, srv, clients["owner"], "/")
	expect(t, "dashboard", a, 200, `<span class="num">5</span> risks in the register`, `<span class="num">3</span> risks above appetite`,
		`href="/risks?appetite=above&amp;accepted=no&amp;sort=-current"`)
	// The card's link lists exactly the risks it counts, highest first.
	sameRefs(t, "above appetite", get(t, srv, clients["owner"], "/risks?appetite=above&accepted=no&sort=-current"), "R-004", "R-003", "R-002")

	if _, err := srv.Svc.AcceptRisk(ctx, high.Ref, service.AcceptRiskInput{Comment: "budget approved for next year", Version: high.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddAction(ctx, high.Ref, service.ActionInput{Title: "late", Due: "2020-01-01"}); err != nil {
		t.Fatal(err)
	}
	expect(t, "dashboard after acceptance", get(t, srv, clients["owner"], "/"), 200,
		`<span class="num">2</span> risks above appetite`, `<span class="num">1</span> overdue treatment actions`)
}
