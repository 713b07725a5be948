package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

var pagerLink = regexp.MustCompile(`<a href="([^"]+)" rel="(prev|next)">`)

// pagerLinks returns the Previous and Next links of a page ("" when absent).
func pagerLinks(body string) (prev, next string) {
	for _, m := range pagerLink.FindAllStringSubmatch(body, -1) {
		if m[2] == "prev" {
			prev = html.UnescapeString(m[1])
		} else {
			next = html.UnescapeString(m[1])
		}
	}
	return prev, next
}

// The register's Next links page by keyset (after=, so a deep page reads only its rows) and its Previous links
// by keyset backwards (before=): following Next to the end and Previous back to the start shows every risk once
// in the order of offset paging, each page numbered as offset paging numbers it, for each sort. An offset link
// of an older bookmark still works, and a made-up cursor is refused.
func TestRiskRegisterKeysetPaging(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	owner := c["owner"]
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Olga Owner"}); err != nil {
		t.Fatal(err)
	}
	for i := range 11 { // equal scores and owners, so ties go by id
		in := service.RiskInput{Title: fmt.Sprintf("Risk %c", 'k'-i), Likelihood: 1 + i%3, Impact: 2, Treatment: isms.TreatModify}
		if i%2 == 0 {
			in.Owner = "P-001"
		}
		if _, err := srv.Svc.AddRisk(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{"", "-score", "title", "owner", "-residual"} {
		all := rowRefs(get(t, srv, owner, "/risks?limit=100&sort="+sort).Body)
		var forward [][]string
		path := "/risks?limit=4&sort=" + sort
		for path != "" {
			a := get(t, srv, owner, path)
			refs := rowRefs(a.Body)
			from := len(forward)*4 + 1
			expect(t, "keyset page "+path, a, http.StatusOK, fmt.Sprintf("<span>%d–%d of 11</span>", from, from+len(refs)-1))
			forward = append(forward, refs)
			var prev string
			prev, path = pagerLinks(a.Body)
			if (prev == "") != (len(forward) == 1) || (path != "" && !strings.Contains(path, "after=")) || (prev != "" && !strings.Contains(prev, "before=")) {
				t.Fatalf("sort %q page %d: links %q %q", sort, len(forward), prev, path)
			}
			if len(forward) > 3 {
				break
			}
		}
		if got := slices.Concat(forward...); !slices.Equal(got, all) || len(forward) != 3 {
			t.Fatalf("sort %q: Next read %v in %d pages, offset paging %v", sort, forward, len(forward), all)
		}
		// Back from the last page by Previous links, the same pages.
		a := get(t, srv, owner, "/risks?limit=4&sort="+sort+"&after=x")
		expect(t, "bad cursor", a, http.StatusUnprocessableEntity)
		last := get(t, srv, owner, "/risks?limit=4&sort="+sort)
		_, next := pagerLinks(last.Body)
		last = get(t, srv, owner, next)
		_, next = pagerLinks(last.Body)
		last = get(t, srv, owner, next)
		for i := 1; i >= 0; i-- {
			prev, _ := pagerLinks(last.Body)
			last = get(t, srv, owner, prev)
			if refs := rowRefs(last.Body); !slices.Equal(refs, forward[i]) {
				t.Fatalf("sort %q: Previous to page %d shows %v, want %v", sort, i+1, refs, forward[i])
			}
			expect(t, "previous page", last, http.StatusOK, fmt.Sprintf("<span>%d–%d of 11</span>", i*4+1, i*4+4))
		}
		if prev, _ := pagerLinks(last.Body); prev != "" {
			t.Fatalf("sort %q: the first page reached by Previous links on to %s", sort, prev)
		}
	}
	a := get(t, srv, owner, "/risks?limit=4&offset=4")
	sameRefs(t, "offset link", a, "R-005", "R-006", "R-007", "R-008")
	expect(t, "offset link", a, http.StatusOK, "<span>5–8 of 11</span>")
}

var actionRef = regexp.MustCompile(`TA-\d+`)

// The treatment plan and the audit trail page by keyset as the register does: Next links carry after=, Previous
// links before=, each page is numbered as offset paging numbers it, and following Next shows the plan's actions
// once each, in the order of offset paging.
func TestPlanAndAuditKeysetPaging(t *testing.T) {
	srv, org, c := startOrg(t, "owner")
	owner := c["owner"]
	ctx := org.Ctx("owner")
	r, err := srv.Svc.AddRisk(ctx, service.RiskInput{Title: "Phishing", Likelihood: 2, Impact: 2, Treatment: isms.TreatModify})
	if err != nil {
		t.Fatal(err)
	}
	for i, due := range []string{"2026-05-01", "", "2026-02-01", "2026-05-01", "", "2026-01-01", "2026-05-01"} {
		if _, err := srv.Svc.AddAction(ctx, r.Ref, service.ActionInput{Title: fmt.Sprintf("Action %d", i), Due: due}); err != nil {
			t.Fatal(err)
		}
	}
	refs := func(body string) []string { // each action once, in the order the page shows them
		var out []string
		for _, ref := range actionRef.FindAllString(body, -1) {
			if !slices.Contains(out, ref) {
				out = append(out, ref)
			}
		}
		return out
	}
	all := refs(get(t, srv, owner, "/risks/plan?offset=0&limit=100").Body)
	for _, list := range []string{"/risks/plan", "/audit"} {
		var shown []string
		path, pages := list+"?limit=3", 0
		for ; path != "" && pages < 10; pages++ {
			a := get(t, srv, owner, path)
			expect(t, list+" page", a, http.StatusOK, fmt.Sprintf("<span>%d–", pages*3+1))
			shown = append(shown, refs(a.Body)...)
			var prev string
			prev, path = pagerLinks(a.Body)
			if (prev == "") != (pages == 0) || (path != "" && !strings.Contains(path, "after=")) || (prev != "" && !strings.Contains(prev, "before=")) {
				t.Fatalf("%s page %d: links %q %q", list, pages+1, prev, path)
			}
		}
		if list == "/risks/plan" && (!slices.Equal(shown, all) || len(all) != 7) {
			t.Errorf("plan: Next links showed %v, offset paging %v", shown, all)
		}
		if pages < 3 {
			t.Errorf("%s: only %d pages", list, pages)
		}
	}
}
