package service_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Reading the register backwards by keyset (ListRisksBefore, the web pager's Previous) gives the pages reading
// forwards gave, in the same order, for ascending and descending sorts with ties; a read that would come short at
// the start gives the full first page.
func TestListRisksBeforeMatchesForwardPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("owner")
		for i := range 9 {
			_, err := e.svc.AddRisk(ctx, service.RiskInput{Title: fmt.Sprintf("Risk %c", 'k'-i), Likelihood: 1 + i%3, Impact: 2, Treatment: isms.TreatModify})
			ok(t, err)
		}
		for _, sort := range []string{"", "-score", "title", "-residual"} {
			f := service.RiskFilter{Sort: sort}
			var pages []service.RiskPage
			for next := ""; ; {
				p, err := e.svc.ListRisksAfter(ctx, f, next, 4)
				ok(t, err)
				pages = append(pages, p)
				if next = p.Next; next == "" {
					break
				}
			}
			if len(pages) != 3 || pages[0].Prev != "" || pages[1].Prev == "" {
				t.Fatalf("sort %q: %d pages forward, prev links %q %q", sort, len(pages), pages[0].Prev, pages[1].Prev)
			}
			back, err := e.svc.ListRisksBefore(ctx, f, pages[2].Prev, 4)
			ok(t, err)
			if !slices.Equal(refsOf(back.Items), refsOf(pages[1].Items)) || back.Next != pages[1].Next || back.Prev == "" {
				t.Errorf("sort %q: back to page 2 %v, want %v", sort, refsOf(back.Items), refsOf(pages[1].Items))
			}
			// From the second row of page 2, four rows back would run past the start: the first page, full.
			second, err := e.svc.ListRisksAfter(ctx, f, pages[0].Next, 1)
			ok(t, err)
			first, err := e.svc.ListRisksBefore(ctx, f, second.Next, 4)
			ok(t, err)
			if !slices.Equal(refsOf(first.Items), refsOf(pages[0].Items)) || first.Prev != "" || first.Next != pages[0].Next {
				t.Errorf("sort %q: back to the start %v (prev %q), want %v", sort, refsOf(first.Items), first.Prev, refsOf(pages[0].Items))
			}
		}
	})
}
