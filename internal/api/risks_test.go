package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// apiClient calls the API of one server with one bearer token.
type apiClient struct {
	t     *testing.T
	srv   *testutil.Server
	token string
}

// reply is one answer, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (c apiClient) do(method, path string, body any, contentType ...string) reply {
	c.t.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r, ct = bytes.NewReader(b), "application/octet-stream"
	case string:
		r, ct = strings.NewReader(b), "text/plain"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r, ct = bytes.NewReader(j), "application/json"
	}
	if len(contentType) > 0 {
		ct = contentType[0]
	}
	req, err := http.NewRequest(method, c.srv.URL+"/api/v1"+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return c.send(req)
}

// send sends req as it is and reads the answer whole.
func (c apiClient) send(req *http.Request) reply {
	c.t.Helper()
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// want fails unless the answer has the status, and decodes its JSON body into v (when not nil).
func (c apiClient) want(a reply, status int, what string, v any) {
	c.t.Helper()
	if a.status != status {
		c.t.Fatalf("%s: status %d, want %d: %s", what, a.status, status, a.body)
	}
	if v != nil {
		if err := json.Unmarshal(a.body, v); err != nil {
			c.t.Fatalf("%s: %v: %s", what, err, a.body)
		}
	}
}

type apiProblem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// problem fails unless the answer is problem+json with the status, and returns it.
func (c apiClient) problem(a reply, status int, what string) apiProblem {
	c.t.Helper()
	var p apiProblem
	c.want(a, status, what, &p)
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		c.t.Fatalf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	return p
}

func (p apiProblem) locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

type apiRisk struct {
	Ref                string   `json:"ref"`
	Title              string   `json:"title"`
	Owner              string   `json:"owner"`
	Likelihood         int      `json:"likelihood"`
	Impact             int      `json:"impact"`
	Score              int      `json:"score"`
	Treatment          string   `json:"treatment"`
	Controls           []string `json:"controls"`
	Assets             []string `json:"assets"`
	ResidualLikelihood int      `json:"residual_likelihood"`
	ResidualImpact     int      `json:"residual_impact"`
	ResidualScore      int      `json:"residual_score"`
	AcceptedBy         string   `json:"accepted_by"`
	AcceptedAt         *string  `json:"accepted_at"`
	Version            int      `json:"version"`
}

type apiAction struct {
	Ref     string `json:"ref"`
	RiskRef string `json:"risk_ref"`
	Title   string `json:"title"`
	Due     string `json:"due"`
	Status  string `json:"status"`
	Overdue bool   `json:"overdue"`
	Version int    `json:"version"`
}

func riskRefs(l []apiRisk) []string {
	out := []string{}
	for _, r := range l {
		out = append(out, r.Ref)
	}
	return out
}

func TestRiskRegisterAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			client := func(role string) apiClient {
				tok, _, err := srv.Svc.CreateToken(org.Ctx(role), "risk test "+role)
				if err != nil {
					t.Fatal(err)
				}
				return apiClient{t: t, srv: srv, token: tok}
			}
			ed, viewer, admin, approver := client("editor"), client("viewer"), client("admin"), client("approver")

			// People: the editor member is P-001 (same email); P-002 has no account.
			for _, p := range []map[string]string{{"name": "Eddie Editor", "email": org.Actors["editor"].Email}, {"name": "Olga Other"}} {
				ed.want(ed.do("POST", "/people", p), http.StatusCreated, "add person", nil)
			}
			var asset struct {
				Ref, Name, Owner, OwnerName string
				Version                     int
			}
			ed.want(ed.do("POST", "/assets", map[string]any{"name": "Source code", "type": "software", "owner": "P-001", "classification": "confidential",
				"confidentiality": 4, "integrity": 5}), http.StatusCreated, "add asset", &asset)
			if asset.Ref != "A-001" || asset.Owner != "P-001" {
				t.Fatalf("asset: %+v", asset)
			}
			ed.want(ed.do("POST", "/assets", map[string]any{"name": "Office", "type": "site"}), http.StatusCreated, "add asset 2", nil)
			var assets service.List[struct{ Ref string }]
			ed.want(ed.do("GET", "/assets?type=software&sort=-name", nil), http.StatusOK, "list assets", &assets)
			if assets.Total != 1 || assets.Items[0].Ref != "A-001" {
				t.Fatalf("assets by type: %+v", assets)
			}
			p := ed.problem(ed.do("POST", "/assets", map[string]any{"name": "", "type": "car", "classification": "secret"}), http.StatusUnprocessableEntity, "bad asset")
			if locs := p.locations(); len(locs) != 3 {
				t.Fatalf("bad asset: every field: %+v", p)
			}
			ed.problem(ed.do("GET", "/assets/A-404", nil), http.StatusNotFound, "missing asset")
			// The allowed values of an enum filter come from the register's declaration.
			if p := ed.problem(ed.do("GET", "/assets?type=car", nil), http.StatusUnprocessableEntity, "bad type filter"); !strings.Contains(fmt.Sprint(p), "supplier") {
				t.Fatalf("bad type filter does not list the types: %+v", p)
			}

			// Risks.
			var raw map[string]any
			ed.want(ed.do("POST", "/risks", map[string]any{"title": "Insecure code reaches production", "assets": []string{"A-001"}, "owner": "P-001",
				"likelihood": 4, "impact": 5, "treatment": "modify", "controls": []string{"8.28", "8.25"}, "residual_likelihood": 2, "residual_impact": 4}),
				http.StatusCreated, "add risk", &raw)
			for _, k := range []string{"ref", "title", "owner", "likelihood", "impact", "score", "treatment", "controls", "residual_likelihood", "residual_impact",
				"residual_score", "accepted_by", "accepted_at", "warnings"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("risk JSON lacks %q: %v", k, raw)
				}
			}
			if raw["ref"] != "R-001" || raw["score"] != float64(20) || raw["residual_score"] != float64(8) || raw["accepted_at"] != nil {
				t.Fatalf("risk: %v", raw)
			}
			ed.want(ed.do("POST", "/risks", map[string]any{"title": "Supplier outage", "owner": "P-002", "likelihood": 2, "impact": 3, "treatment": "share"}),
				http.StatusCreated, "add risk 2", nil)
			ed.want(ed.do("POST", "/risks", map[string]any{"title": "Office flood", "assets": []string{"A-002"}, "likelihood": 1, "impact": 2, "treatment": "retain"}),
				http.StatusCreated, "add risk 3", nil)

			for _, c := range []struct {
				query string
				want  []string
			}{
				{"", []string{"R-001", "R-002", "R-003"}},
				{"?control=8.28", []string{"R-001"}},
				{"?control=A.8.25&band=high", []string{"R-001"}},
				{"?appetite=above", []string{"R-001"}},           // residual 8 > 6
				{"?appetite=within", []string{"R-002", "R-003"}}, // no residual: inherent 6 and 2
				{"?band=low", []string{"R-002", "R-003"}},
				{"?residual_band=medium", []string{"R-001"}},
				{"?asset=A-002", []string{"R-003"}},
				{"?owner=P-002", []string{"R-002"}},
				{"?treatment=retain", []string{"R-003"}},
				{"?likelihood=4&impact=5", []string{"R-001"}},
				{"?search=flood", []string{"R-003"}},
				{"?accepted=yes", []string{}},
				{"?sort=-score", []string{"R-001", "R-002", "R-003"}},
				{"?sort=score&limit=2", []string{"R-003", "R-002"}},
			} {
				var l service.List[apiRisk]
				viewer.want(viewer.do("GET", "/risks"+c.query, nil), http.StatusOK, "list "+c.query, &l)
				if got := riskRefs(l.Items); !slices.Equal(got, c.want) {
					t.Errorf("GET /risks%s: %v, want %v", c.query, got, c.want)
				}
			}
			viewer.problem(viewer.do("GET", "/risks?band=extreme", nil), http.StatusUnprocessableEntity, "unknown band")

			// Optimistic locking.
			upd := map[string]any{"title": "Insecure code reaches production", "assets": []string{"A-001"}, "owner": "P-001", "likelihood": 4, "impact": 4,
				"treatment": "modify", "controls": []string{"8.28"}, "residual_likelihood": 2, "residual_impact": 4, "version": 1}
			var r apiRisk
			ed.want(ed.do("PUT", "/risks/R-001", upd), http.StatusOK, "update risk", &r)
			if r.Version != 2 || r.Score != 16 || !slices.Equal(r.Controls, []string{"8.28"}) {
				t.Fatalf("updated: %+v", r)
			}
			upd["impact"] = 1
			p = ed.problem(ed.do("PUT", "/risks/R-001", upd), http.StatusConflict, "stale update")
			if !strings.Contains(p.Detail, "changed by someone else") {
				t.Errorf("409 detail: %q", p.Detail)
			}
			var detail struct {
				apiRisk
				Band    string `json:"band"`
				History []struct {
					Score int `json:"score"`
				} `json:"history"`
				Actions []apiAction `json:"actions"`
			}
			ed.want(ed.do("GET", "/risks/R-001", nil), http.StatusOK, "get risk", &detail)
			if detail.Score != 16 || detail.Version != 2 || detail.Band != "high" || len(detail.History) != 2 || detail.History[0].Score != 16 {
				t.Fatalf("after the stale update: %+v", detail)
			}

			// 422 names every field.
			p = ed.problem(ed.do("POST", "/risks", map[string]any{"title": "", "assets": []string{"A-404"}, "owner": "P-404", "likelihood": 9, "impact": 0,
				"treatment": "pray", "controls": []string{"8.28", "14.2.1"}, "residual_likelihood": 2}), http.StatusUnprocessableEntity, "bad risk")
			locs := p.locations()
			for _, f := range []string{"title", "assets", "owner", "likelihood", "impact", "treatment", "controls", "residual_impact"} {
				if !slices.Contains(locs, "body."+f) {
					t.Errorf("422 lacks body.%s: %v", f, locs)
				}
			}

			// Acceptance: the owner or an approver; a non-owner editor (admin here, and the editor on R-002) gets 403.
			admin.problem(admin.do("POST", "/risks/R-001/accept", map[string]any{"comment": "ok", "version": 2}), http.StatusForbidden, "admin accepts")
			ed.problem(ed.do("POST", "/risks/R-002/accept", map[string]any{"version": 1}), http.StatusForbidden, "editor accepts another owner's risk")
			p = ed.problem(ed.do("POST", "/risks/R-001/accept", map[string]any{"version": 2}), http.StatusUnprocessableEntity, "accept without comment")
			if !slices.Equal(p.locations(), []string{"body.comment"}) {
				t.Errorf("accept 422: %+v", p)
			}
			ed.want(ed.do("POST", "/risks/R-001/accept", map[string]any{"comment": "SAST blocks merges", "version": 2}), http.StatusOK, "owner accepts", &r)
			if r.AcceptedBy != org.Actors["editor"].Name || r.AcceptedAt == nil || r.Version != 3 {
				t.Fatalf("accepted: %+v", r)
			}
			approver.want(approver.do("POST", "/risks/R-002/accept", map[string]any{"version": 1}), http.StatusOK, "approver accepts", nil)
			// A risk being modified is accepted on its residual risk, which must be assessed first.
			ed.want(ed.do("POST", "/risks", map[string]any{"title": "Unpatched servers", "likelihood": 2, "impact": 2, "treatment": "modify"}),
				http.StatusCreated, "add risk 4", &r)
			p = approver.problem(approver.do("POST", "/risks/"+r.Ref+"/accept", map[string]any{"version": 1}), http.StatusUnprocessableEntity, "accept modify without residual")
			if !slices.Equal(p.locations(), []string{"body.residual_score"}) || !strings.Contains(p.Errors[0].Message, "risk "+r.Ref) ||
				!strings.Contains(p.Errors[0].Message, "assess the residual risk first") {
				t.Errorf("accept without residual: %+v", p)
			}
			// A residual score above the inherent one is saved with a warning in the response.
			var warned struct {
				Ref           string   `json:"ref"`
				ResidualScore int      `json:"residual_score"`
				Warnings      []string `json:"warnings"`
			}
			ed.want(ed.do("PUT", "/risks/"+r.Ref, map[string]any{"title": "Unpatched servers", "likelihood": 2, "impact": 2, "treatment": "modify",
				"residual_likelihood": 3, "residual_impact": 2, "version": 1}), http.StatusOK, "residual above inherent", &warned)
			if warned.ResidualScore != 6 || len(warned.Warnings) != 1 || !strings.Contains(warned.Warnings[0], "is above its inherent score 4") {
				t.Errorf("residual above inherent: %+v", warned)
			}
			ed.want(ed.do("DELETE", "/risks/"+r.Ref, nil), http.StatusNoContent, "delete risk 4", nil)
			var l service.List[apiRisk]
			viewer.want(viewer.do("GET", "/risks?accepted=yes", nil), http.StatusOK, "accepted", &l)
			if got := riskRefs(l.Items); !slices.Equal(got, []string{"R-001", "R-002"}) {
				t.Errorf("accepted: %v", got)
			}

			// Heat maps.
			var hm struct {
				Residual bool `json:"residual"`
				Total    int  `json:"total"`
				Method   struct {
					Likelihood []struct{ Label string } `json:"likelihood"`
				} `json:"method"`
				Cells []struct{ Likelihood, Impact, Count int } `json:"cells"`
			}
			viewer.want(viewer.do("GET", "/risks/heatmap", nil), http.StatusOK, "heatmap", &hm)
			if hm.Residual || hm.Total != 3 || len(hm.Cells) != 3 || len(hm.Method.Likelihood) != 5 {
				t.Fatalf("heatmap: %+v", hm)
			}
			viewer.want(viewer.do("GET", "/risks/heatmap?residual=true", nil), http.StatusOK, "residual heatmap", &hm)
			if !hm.Residual || hm.Total != 1 || len(hm.Cells) != 1 || hm.Cells[0].Likelihood != 2 || hm.Cells[0].Impact != 4 || hm.Cells[0].Count != 1 {
				t.Fatalf("residual heatmap: %+v", hm)
			}

			// Treatment plan, overdue by the server's clock (2026-03-02).
			var ta apiAction
			ed.want(ed.do("POST", "/risks/R-001/actions", map[string]any{"title": "SAST in CI", "owner": "P-001", "due": "2026-02-01"}), http.StatusCreated,
				"add action", &ta)
			if ta.Ref != "TA-001" || ta.RiskRef != "R-001" || !ta.Overdue || ta.Status != "planned" {
				t.Fatalf("action: %+v", ta)
			}
			ed.want(ed.do("POST", "/risks/R-002/actions", map[string]any{"title": "Second supplier", "due": "2026-06-01"}), http.StatusCreated, "add action 2", nil)
			ed.problem(ed.do("POST", "/risks/R-404/actions", map[string]any{"title": "x"}), http.StatusNotFound, "action on a missing risk")
			var acts service.List[apiAction]
			viewer.want(viewer.do("GET", "/treatment-actions", nil), http.StatusOK, "actions", &acts)
			if acts.Total != 2 || !acts.Items[0].Overdue || acts.Items[1].Overdue {
				t.Fatalf("actions: %+v", acts)
			}
			viewer.want(viewer.do("GET", "/treatment-actions?overdue=true", nil), http.StatusOK, "overdue actions", &acts)
			if acts.Total != 1 || acts.Items[0].Ref != "TA-001" {
				t.Fatalf("overdue: %+v", acts)
			}
			ed.want(ed.do("PUT", "/treatment-actions/TA-001", map[string]any{"title": "SAST in CI", "owner": "P-001", "due": "2026-02-01", "status": "done",
				"version": 1}), http.StatusOK, "close action", &ta)
			if ta.Overdue || ta.Version != 2 {
				t.Fatalf("closed: %+v", ta)
			}
			ed.problem(ed.do("PUT", "/treatment-actions/TA-001", map[string]any{"title": "x", "version": 1}), http.StatusConflict, "stale action")
			viewer.want(viewer.do("GET", "/treatment-actions?overdue=true", nil), http.StatusOK, "overdue after closing", &acts)
			if acts.Total != 0 {
				t.Fatalf("overdue after closing: %+v", acts)
			}
			ed.want(ed.do("GET", "/risks/R-001", nil), http.StatusOK, "risk with actions", &detail)
			if len(detail.Actions) != 1 || detail.Actions[0].Status != "done" || !strings.Contains(string(ed.do("GET", "/risks/R-001", nil).body), `"overdue":false`) {
				t.Fatalf("risk actions: %+v", detail.Actions)
			}

			// Roles: a viewer reads but does not write.
			viewer.problem(viewer.do("POST", "/risks", map[string]any{"title": "x", "likelihood": 1, "impact": 1, "treatment": "retain"}), http.StatusForbidden, "viewer adds")
			viewer.problem(viewer.do("POST", "/risks/R-001/actions", map[string]any{"title": "x"}), http.StatusForbidden, "viewer adds action")
			viewer.problem(viewer.do("PUT", "/risk-method", map[string]any{}), http.StatusForbidden, "viewer sets method")
			apiClient{t: t, srv: srv}.problem(apiClient{t: t, srv: srv}.do("GET", "/risks", nil), http.StatusUnauthorized, "anonymous")

			// Another organisation sees none of it.
			other := testutil.NewOrg(t, srv.Svc, "Other")
			otok, _, err := srv.Svc.CreateToken(other.Ctx("owner"), "other")
			if err != nil {
				t.Fatal(err)
			}
			oc := apiClient{t: t, srv: srv, token: otok}
			oc.problem(oc.do("GET", "/risks/R-001", nil), http.StatusNotFound, "other org's risk")
			oc.problem(oc.do("PUT", "/treatment-actions/TA-001", map[string]any{"title": "x", "version": 2}), http.StatusNotFound, "other org's action")
			oc.want(oc.do("GET", "/risks", nil), http.StatusOK, "other org's list", &l)
			if l.Total != 0 {
				t.Fatalf("other org lists %d risks", l.Total)
			}

			// The method: a resize needs rescale; then levels are mapped and risks re-scored.
			var m struct {
				Version             int      `json:"version"`
				AcceptanceThreshold int      `json:"acceptance_threshold"`
				Rescored            int      `json:"rescored"`
				Withdrawn           []string `json:"withdrawn"`
			}
			viewer.want(viewer.do("GET", "/risk-method", nil), http.StatusOK, "method", &m)
			if m.Version != 0 || m.AcceptanceThreshold != 6 {
				t.Fatalf("method: %+v", m)
			}
			three := []map[string]string{{"label": "Low"}, {"label": "Medium"}, {"label": "High"}}
			method := map[string]any{"likelihood": three, "impact": three, "acceptance_threshold": 3, "high_threshold": 6, "version": 0}
			p = ed.problem(ed.do("PUT", "/risk-method", method), http.StatusConflict, "resize without rescale")
			if !strings.Contains(p.Detail, "3 risks") {
				t.Errorf("409 should name the count: %q", p.Detail)
			}
			method["rescale"] = true
			ed.want(ed.do("PUT", "/risk-method", method), http.StatusOK, "rescale", &m)
			if m.Version != 1 || m.Rescored != 3 || m.AcceptanceThreshold != 3 || !slices.Equal(m.Withdrawn, []string{"R-001", "R-002"}) {
				t.Fatalf("rescaled: %+v", m)
			}
			p = ed.problem(ed.do("PUT", "/risk-method", method), http.StatusConflict, "stale method")
			if !strings.HasPrefix(p.Detail, "risk method was changed by someone else;") {
				t.Errorf("stale method: %q", p.Detail)
			}
			ed.want(ed.do("GET", "/risks/R-001", nil), http.StatusOK, "rescaled risk", &detail)
			if detail.Likelihood != 3 || detail.Impact != 3 || detail.Score != 9 || len(detail.History) != 3 {
				t.Fatalf("rescaled risk: %+v", detail)
			}

			// Delete.
			ed.want(ed.do("DELETE", "/assets/A-002", nil), http.StatusNoContent, "delete asset", nil)
			ed.want(ed.do("DELETE", "/risks/R-003", nil), http.StatusNoContent, "delete risk", nil)

			// A risk from the library: ids become names and fill what is left out.
			th := catalog.MustLoad().Threats()[0]
			var lib struct {
				Title, Threat, Description string
				Controls                   []string
			}
			ed.want(ed.do("POST", "/risks", map[string]any{"threat": th.ID, "likelihood": 1, "impact": 1, "treatment": "modify"}), http.StatusCreated, "risk from the library", &lib)
			if lib.Title != th.Name || lib.Threat != th.Name || lib.Description != th.Description || len(lib.Controls) != len(th.Controls) {
				t.Errorf("risk from %s: %+v", th.ID, lib)
			}
			p = ed.problem(ed.do("POST", "/risks", map[string]any{"threat": "T999", "treatment": "modify"}), http.StatusUnprocessableEntity, "unknown library id")
			if locs := p.locations(); !slices.Contains(locs, "body.threat") || !slices.Contains(locs, "body.likelihood") {
				t.Errorf("unknown library id: %+v", p)
			}
			ed.problem(ed.do("GET", "/risks/R-003", nil), http.StatusNotFound, "deleted risk")
		})
	}
}

func TestRiskImportExportAPI(t *testing.T) {
	srv := testutil.StartServer(t, "sqlite")
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok := func(role string) apiClient {
		s, _, err := srv.Svc.CreateToken(org.Ctx(role), "io "+role)
		if err != nil {
			t.Fatal(err)
		}
		return apiClient{t: t, srv: srv, token: s}
	}
	ed, viewer := tok("editor"), tok("viewer")

	var res service.ImportResult
	ed.want(ed.do("POST", "/assets/import", "name,type,classification\nLaptops,hardware,internal\nCRM,service,confidential\n", "text/csv; charset=utf-8"),
		http.StatusOK, "import assets", &res)
	if res.Added != 2 || !slices.Equal(res.Refs, []string{"A-001", "A-002"}) {
		t.Fatalf("asset import: %+v", res)
	}
	good := "title,assets,likelihood,impact,treatment,controls\nLaptop theft,A-001,3,3,modify,8.1\nCRM breach,A-002,2,5,modify,\"5.15, 8.5\"\n"
	ed.want(ed.do("POST", "/risks/import?format=csv", good, "application/octet-stream"), http.StatusOK, "import risks", &res)
	if res.Added != 2 || !slices.Equal(res.Refs, []string{"R-001", "R-002"}) {
		t.Fatalf("risk import: %+v", res)
	}
	// A bad file is refused whole, with every bad row named by its line.
	bad := "title,likelihood,impact,treatment,controls\nGood one,1,1,retain,\n,9,1,retain,\nThird,1,1,hope,99.1\n"
	p := ed.problem(ed.do("POST", "/risks/import", bad, "text/csv"), http.StatusUnprocessableEntity, "bad import")
	joined := strings.Join(p.locations(), "|")
	for _, want := range []string{"line 3", "line 4"} {
		if !strings.Contains(joined, want) {
			t.Errorf("bad import should name %s: %+v", want, p)
		}
	}
	if len(p.Errors) < 4 {
		t.Errorf("bad import should list every problem (title, likelihood, treatment, controls): %+v", p)
	}
	var l service.List[apiRisk]
	viewer.want(viewer.do("GET", "/risks", nil), http.StatusOK, "list after bad import", &l)
	if l.Total != 2 {
		t.Fatalf("a bad import wrote risks: %d", l.Total)
	}
	ed.problem(ed.do("POST", "/risks/import", good, "application/json"), http.StatusUnsupportedMediaType, "import as JSON")
	viewer.problem(viewer.do("POST", "/risks/import", good, "text/csv"), http.StatusForbidden, "viewer imports")

	ed.want(ed.do("POST", "/risks/R-001/actions", map[string]any{"title": "Lock laptops away", "due": "2020-01-01"}), http.StatusCreated, "add action", nil)

	// Exports stream with their content type and file name; a viewer may export.
	for _, c := range []struct {
		path, ct, name, start string
	}{
		{"/risks/export?format=csv", "text/csv", "risk-register.csv", "ref,title"},
		{"/risks/export", "text/csv", "risk-register.csv", "ref,title"},
		{"/risks/export?format=csv-excel", "text/csv", "risk-register.csv", "\ufeffref,title"},
		{"/risks/export?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "risk-register.xlsx", "PK"},
		{"/risks/export?format=pdf&control=8.1", "application/pdf", "risk-register.pdf", "%PDF"},
		{"/assets/export?format=csv", "text/csv", "assets.csv", "ref,name"},
		{"/assets/export?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "assets.xlsx", "PK"},
		{"/assets/export?format=pdf", "application/pdf", "assets.pdf", "%PDF"},
		{"/treatment-actions/export", "text/csv", "treatment-plan.csv", "ref,risk,title,owner_ref,owner,due,status,overdue,notes,created_at\nTA-001,R-001,Lock laptops away,,,2020-01-01,planned,yes,"},
		{"/treatment-actions/export?format=csv-excel&risk=R-001", "text/csv", "treatment-plan.csv", "\ufeffref,risk,"},
		{"/treatment-actions/export?format=xlsx&overdue=true", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "treatment-plan.xlsx", "PK"},
		{"/treatment-actions/export?format=pdf", "application/pdf", "treatment-plan.pdf", "%PDF"},
	} {
		a := viewer.do("GET", c.path, nil)
		if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), c.ct) ||
			!strings.Contains(a.header.Get("Content-Disposition"), `filename="`+c.name+`"`) || !bytes.HasPrefix(a.body, []byte(c.start)) {
			t.Errorf("GET %s: %d %q %q %.40q", c.path, a.status, a.header.Get("Content-Type"), a.header.Get("Content-Disposition"), a.body)
		}
	}
	a := viewer.do("GET", "/risks/export?format=csv&control=8.1", nil)
	if n := strings.Count(strings.TrimSpace(string(a.body)), "\n"); n != 1 || !strings.Contains(string(a.body), "Laptop theft") {
		t.Errorf("filtered export: %q", a.body)
	}
	viewer.problem(viewer.do("GET", "/risks/export?format=docx", nil), http.StatusUnprocessableEntity, "unknown export format")
	viewer.problem(viewer.do("GET", "/treatment-actions/export?status=someday", nil), http.StatusUnprocessableEntity, "bad plan filter")
	viewer.problem(viewer.do("GET", "/risks/export?band=extreme", nil), http.StatusUnprocessableEntity, "bad filter before streaming")
	anon := apiClient{t: t, srv: srv}
	anon.problem(anon.do("GET", "/risks/export?format=csv", nil), http.StatusUnauthorized, "anonymous export")
}
