package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// Following next through the register reads every risk once, in the order offset paging gives, for each sort
// and on both engines; the last page has no next; a made-up cursor is a 422 naming after.
func TestRiskListKeyset(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			tok, _, err := srv.Svc.CreateToken(org.Ctx("editor"), "keyset")
			if err != nil {
				t.Fatal(err)
			}
			c := apiClient{t: t, srv: srv, token: tok}
			c.want(c.do("POST", "/people", map[string]string{"name": "Olga Owner"}), http.StatusCreated, "add person", nil)
			for i := range 11 { // equal scores, so ties go by id
				in := map[string]any{"title": fmt.Sprintf("Risk %c", 'k'-i), "likelihood": 1 + i%3, "impact": 2, "treatment": "modify"}
				if i%2 == 0 {
					in["owner"] = "P-001"
				}
				c.want(c.do("POST", "/risks", in), http.StatusCreated, "add risk", nil)
			}
			type page struct {
				Items []apiRisk `json:"items"`
				Total int       `json:"total"`
				Next  string    `json:"next"`
			}
			for _, sort := range []string{"", "-score", "title", "-updated", "owner", "-residual"} {
				var all page
				c.want(c.do("GET", "/risks?limit=100&offset=0&sort="+sort, nil), http.StatusOK, "whole list", &all)
				var got []string
				after, pages := "", 0
				for {
					var p page
					c.want(c.do("GET", "/risks?limit=4&sort="+sort+"&after="+url.QueryEscape(after), nil), http.StatusOK, "keyset page", &p)
					got, pages = append(got, riskRefs(p.Items)...), pages+1
					if p.Total != 11 {
						t.Fatalf("sort %q: total %d on a keyset page", sort, p.Total)
					}
					if p.Next == "" {
						break
					}
					after = p.Next
				}
				if want := riskRefs(all.Items); !slices.Equal(got, want) || pages != 3 {
					t.Errorf("sort %q: keyset read %v in %d pages, offset paging %v", sort, got, pages, want)
				}
			}
			p := c.problem(c.do("GET", "/risks?after=bm90LWEtY3Vyc29y", nil), http.StatusUnprocessableEntity, "bad cursor")
			if len(p.Errors) != 1 || !strings.HasSuffix(p.Errors[0].Location, "after") {
				t.Fatalf("bad cursor: %+v", p)
			}
		})
	}
}

// The treatment plan and the audit trail page by keyset too: following next reads every row once in the order
// of the offset pages, on both engines; a made-up cursor is a 422 naming after. The owner (who may read the
// trail) follows both.
func TestPlanAndAuditListKeyset(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			tok, _, err := srv.Svc.CreateToken(org.Ctx("owner"), "keyset")
			if err != nil {
				t.Fatal(err)
			}
			c := apiClient{t: t, srv: srv, token: tok}
			c.want(c.do("POST", "/risks", map[string]any{"title": "Phishing", "likelihood": 2, "impact": 2, "treatment": "modify"}),
				http.StatusCreated, "add risk", nil)
			for i, due := range []string{"2026-05-01", "", "2026-02-01", "2026-05-01", "", "2026-01-01", "2026-05-01"} {
				c.want(c.do("POST", "/risks/R-001/actions", map[string]any{"title": fmt.Sprintf("Action %d", i), "due": due}),
					http.StatusCreated, "add action", nil)
			}
			type row struct {
				Ref string `json:"ref"`
				Seq int64  `json:"seq"`
			}
			type page struct {
				Items []row  `json:"items"`
				Total int    `json:"total"`
				Next  string `json:"next"`
			}
			key := func(r row) string { return fmt.Sprint(r.Ref, r.Seq) }
			for _, list := range []string{"/treatment-actions", "/audit-events"} {
				var all page
				c.want(c.do("GET", list+"?limit=100&offset=0", nil), http.StatusOK, "whole list", &all)
				var want, got []string
				for _, r := range all.Items {
					want = append(want, key(r))
				}
				for after, pages := "", 0; ; pages++ {
					var p page
					c.want(c.do("GET", list+"?limit=3&after="+url.QueryEscape(after), nil), http.StatusOK, "keyset page", &p)
					for _, r := range p.Items {
						got = append(got, key(r))
					}
					if p.Total != all.Total || pages > 20 {
						t.Fatalf("%s: total %d on a keyset page, %d in all", list, p.Total, all.Total)
					}
					if after = p.Next; after == "" {
						break
					}
				}
				if !slices.Equal(got, want) || len(want) < 7 {
					t.Errorf("%s: keyset read %v, offset paging %v", list, got, want)
				}
				p := c.problem(c.do("GET", list+"?after=bm90LWEtY3Vyc29y", nil), http.StatusUnprocessableEntity, "bad cursor")
				if len(p.Errors) != 1 || !strings.HasSuffix(p.Errors[0].Location, "after") {
					t.Fatalf("%s: bad cursor: %+v", list, p)
				}
			}
		})
	}
}
