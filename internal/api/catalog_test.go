package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// catalogGet requests an API path with a bearer token (none when token is empty) and reads the answer whole.
func catalogGet(t *testing.T, srv *testutil.Server, token, path string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func catalogServer(t *testing.T) (*testutil.Server, string) {
	t.Helper()
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	token, _, err := srv.Svc.CreateToken(org.Ctx("viewer"), "catalog test")
	if err != nil {
		t.Fatal(err)
	}
	return srv, token
}

func TestCatalogControlsByAttribute(t *testing.T) {
	srv, token := catalogServer(t)
	want, err := catalog.MustLoad().Filter(catalog.Filter{Attrs: map[string][]string{"control_type": {"detective"}, "concepts": {"detect"}}})
	if err != nil || len(want) == 0 {
		t.Fatalf("catalog filter: %v (%d)", err, len(want))
	}
	path := "/catalog/controls?attr=control_type=detective&attr=concepts=detect"
	status, _, b := catalogGet(t, srv, token, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, status, b)
	}
	var got struct {
		Items []catalog.Control `json:"items"`
		Total int               `json:"total"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	ids := func(cs []catalog.Control) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if !slices.Equal(ids(got.Items), ids(want)) || got.Total != len(want) {
		t.Errorf("got %v (total %d), want %v", ids(got.Items), got.Total, ids(want))
	}

	if status, _, b := catalogGet(t, srv, "", path); status != http.StatusUnauthorized {
		t.Errorf("without a token: status %d: %s", status, b)
	}
	if status, _, b := catalogGet(t, srv, token, "/catalog/controls?attr=concepts=dance"); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), "dance") {
		t.Errorf("bad attribute value: status %d: %s", status, b)
	}
}

func TestCatalogExport(t *testing.T) {
	srv, token := catalogServer(t)

	status, h, b := catalogGet(t, srv, token, "/catalog/export?format=oscal")
	if status != http.StatusOK {
		t.Fatalf("oscal export: status %d: %.300s", status, b)
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		t.Errorf("oscal export: Content-Type %q", ct)
	}
	if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".oscal.json") {
		t.Errorf("oscal export: Content-Disposition %q", cd)
	}
	if err := oscal.Validate(b); err != nil {
		t.Fatalf("oscal export does not validate: %v", err)
	}
	var doc oscalTypes.OscalCompleteSchema
	if err := json.Unmarshal(b, &doc); err != nil || doc.Catalog == nil || doc.Catalog.Groups == nil {
		t.Fatalf("decode oscal export: %v", err)
	}
	if v := doc.Catalog.Metadata.Version; v != "test" {
		t.Errorf("oscal metadata version %q, want the server's version %q", v, "test")
	}
	n := 0
	for _, g := range *doc.Catalog.Groups {
		if g.Controls != nil {
			n += len(*g.Controls)
		}
	}
	if n != 93 {
		t.Errorf("oscal export has %d controls, want 93", n)
	}

	for _, path := range []string{"/catalog/export", "/catalog/export?format=json"} {
		status, h, b = catalogGet(t, srv, token, path)
		if status != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), `attachment; filename="praxis-catalog-iso27001-2022.json"`) {
			t.Fatalf("%s: status %d, Content-Disposition %q: %.300s", path, status, h.Get("Content-Disposition"), b)
		}
		var whole struct {
			Controls     []catalog.Control     `json:"controls"`
			Controls2013 []catalog.Control2013 `json:"controls_2013"`
			Clauses      []catalog.Clause      `json:"clauses"`
			Docs         []json.RawMessage     `json:"mandatory_documents"`
			Version      string                `json:"praxis_version"`
		}
		if err := json.Unmarshal(b, &whole); err != nil {
			t.Fatal(err)
		}
		if len(whole.Controls) != 93 || len(whole.Controls2013) != 114 || len(whole.Clauses) == 0 || len(whole.Docs) == 0 || whole.Version != "test" {
			t.Errorf("%s: %d controls, %d 2013 controls, %d clauses, %d documents, version %q", path,
				len(whole.Controls), len(whole.Controls2013), len(whole.Clauses), len(whole.Docs), whole.Version)
		}
		if whole.Controls[92].Guidance == nil {
			t.Errorf("%s: control %s has no guidance", path, whole.Controls[92].ID)
		}
	}

	if status, _, b := catalogGet(t, srv, token, "/catalog/export?format=bad"); status != http.StatusUnprocessableEntity {
		t.Errorf("format=bad: status %d: %s", status, b)
	}
	if status, _, _ := catalogGet(t, srv, "", "/catalog/export?format=oscal"); status != http.StatusUnauthorized {
		t.Errorf("export without a token: status %d", status)
	}
}

func controlIDsOf(cs []catalog.Control) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestCatalogControlsQuery(t *testing.T) {
	srv, token := catalogServer(t)
	api := apiClient{t: t, srv: srv, token: token}
	list := func(query string) []string {
		t.Helper()
		var got controlPage
		api.want(api.do(http.MethodGet, "/catalog/controls"+query, nil), http.StatusOK, query, &got)
		if got.Total != len(got.Items) {
			t.Errorf("%s: total %d for %d items", query, got.Total, len(got.Items))
		}
		return controlIDsOf(got.Items)
	}

	if ids := list(""); len(ids) != 93 || ids[0] != "5.1" || ids[92] != "8.34" {
		t.Errorf("all controls: %d, %v", len(ids), ids)
	}
	// The theme is accepted in any case, as the CLI and the web UI accept it.
	for _, th := range []string{"physical", "Physical", "PHYSICAL"} {
		if ids := list("?theme=" + th); len(ids) != 14 || ids[0] != "7.1" || ids[13] != "7.14" {
			t.Errorf("theme=%s: %v", th, ids)
		}
	}
	if ids := list("?new=true"); !slices.Equal(ids, []string{"5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"}) {
		t.Errorf("new=true: %v", ids)
	}
	if ids := list("?new=true&theme=technological&attr=control_type=detective"); !slices.Equal(ids, []string{"8.12", "8.16"}) {
		t.Errorf("new technological detective: %v", ids)
	}
	if ids := list("?search=secure+coding"); !slices.Contains(ids, "8.28") {
		t.Errorf("search=secure coding: %v", ids)
	}
	for q, want := range map[string][]string{"8.1": {"8.1"}, "A.14.2.1": {"8.25"}, "A.18.2.3": {"5.36", "8.8"}} {
		if ids := list("?search=" + q); !slices.Equal(ids, want) {
			t.Errorf("search=%s: %v, want %v", q, ids, want)
		}
	}

	// Bad input: 422 with the problem at the query parameter, and the valid values listed (none empty).
	p := api.problem(api.do(http.MethodGet, "/catalog/controls?theme=technical", nil), http.StatusUnprocessableEntity, "theme=technical")
	if !slices.Equal(p.locations(), []string{"query.theme"}) || p.Errors[0].Message != `unknown theme "technical" (valid: organizational, people, physical, technological)` {
		t.Errorf("theme=technical: %+v", p)
	}
	p = api.problem(api.do(http.MethodGet, "/catalog/controls?attr=colour=blue", nil), http.StatusUnprocessableEntity, "attr=colour=blue")
	if !slices.Equal(p.locations(), []string{"query.attr"}) || !strings.Contains(p.Errors[0].Message, "control_type, properties, concepts, capabilities, domains") {
		t.Errorf("attr=colour=blue: %+v", p)
	}
	p = api.problem(api.do(http.MethodGet, "/catalog/controls?attr=concepts=dance", nil), http.StatusUnprocessableEntity, "attr=concepts=dance")
	if !slices.Equal(p.locations(), []string{"query.attr"}) || !strings.Contains(p.Errors[0].Message, `unknown concepts value "dance" (valid: detect, identify, protect, recover, respond)`) {
		t.Errorf("attr=concepts=dance: %+v", p)
	}
	api.problem(api.do(http.MethodGet, "/catalog/controls?new=maybe", nil), http.StatusUnprocessableEntity, "new=maybe")
}

type controlPage struct {
	Items []catalog.Control `json:"items"`
	Total int               `json:"total"`
}

func TestCatalogLookups(t *testing.T) {
	srv, token := catalogServer(t)
	api := apiClient{t: t, srv: srv, token: token}
	cat := catalog.MustLoad()

	var ctl catalog.Control
	api.want(api.do(http.MethodGet, "/catalog/controls/8.28", nil), http.StatusOK, "8.28", &ctl)
	want, _ := cat.Control("8.28")
	if ctl.Title != "Secure coding" || !ctl.NewIn2022 || ctl.Guidance == nil || !slices.Equal(ctl.Guidance.Steps, want.Guidance.Steps) ||
		!slices.Equal(ctl.Attributes.Capabilities, want.Attributes.Capabilities) {
		t.Errorf("8.28: %+v", ctl)
	}
	ctl = catalog.Control{}
	api.want(api.do(http.MethodGet, "/catalog/controls/A.8.1", nil), http.StatusOK, "A.8.1", &ctl)
	if ctl.ID != "8.1" || !slices.Equal(ctl.TitleVariants, []string{"User endpoint devices"}) || !slices.Equal(ctl.Replaces, []string{"A.6.2.1", "A.11.2.8"}) {
		t.Errorf("A.8.1: %s %v %v", ctl.ID, ctl.TitleVariants, ctl.Replaces)
	}

	var became struct {
		ID     string            `json:"id"`
		Title  string            `json:"title"`
		Became []string          `json:"became"`
		Ctls   []catalog.Control `json:"became_controls"`
	}
	api.want(api.do(http.MethodGet, "/catalog/controls-2013/A.14.2.1", nil), http.StatusOK, "A.14.2.1", &became)
	if became.Title != "Secure development policy" || !slices.Equal(became.Became, []string{"8.25"}) || len(became.Ctls) != 1 || became.Ctls[0].Title != "Secure development life cycle" {
		t.Errorf("A.14.2.1: %+v", became)
	}

	var clauses []catalog.Clause
	api.want(api.do(http.MethodGet, "/catalog/clauses", nil), http.StatusOK, "clauses", &clauses)
	if len(clauses) != len(cat.Clauses()) || clauses[0].ID != "4" || clauses[0].Summary == "" {
		t.Errorf("clauses: %d, first %+v", len(clauses), clauses[0])
	}
	var clause struct {
		catalog.Clause
		SubClauses []catalog.Clause            `json:"sub_clauses"`
		Docs       []catalog.MandatoryDocument `json:"mandatory_documents"`
	}
	api.want(api.do(http.MethodGet, "/catalog/clauses/6.1.2", nil), http.StatusOK, "6.1.2", &clause)
	cl, _ := cat.Clause("6.1.2")
	if clause.Title != "Information security risk assessment" || clause.Summary != cl.Summary || len(clause.AuditorChecks) < 2 ||
		len(clause.SubClauses) != 0 || len(clause.Docs) != 1 || clause.Docs[0].Description != "Information security risk assessment process" {
		t.Errorf("6.1.2: %+v", clause)
	}
	clause = struct {
		catalog.Clause
		SubClauses []catalog.Clause            `json:"sub_clauses"`
		Docs       []catalog.MandatoryDocument `json:"mandatory_documents"`
	}{}
	api.want(api.do(http.MethodGet, "/catalog/clauses/9.3", nil), http.StatusOK, "9.3", &clause)
	if len(clause.SubClauses) != 3 || clause.SubClauses[0].ID != "9.3.1" || len(clause.Docs) != 1 || clause.Docs[0].Clause != "9.3.3" {
		t.Errorf("9.3: sub-clauses %v, documents %v", clause.SubClauses, clause.Docs)
	}

	var mapping []catalog.Control2013
	api.want(api.do(http.MethodGet, "/catalog/mapping", nil), http.StatusOK, "mapping", &mapping)
	if len(mapping) != 114 || mapping[0].ID != "A.5.1.1" || !slices.Equal(mapping[113].BecameIDs, []string{"5.36", "8.8"}) {
		t.Errorf("mapping: %d, first %+v, last %+v", len(mapping), mapping[0], mapping[len(mapping)-1])
	}

	var rows []catalog.CoverageRow
	api.want(api.do(http.MethodGet, "/catalog/coverage/control_type", nil), http.StatusOK, "coverage", &rows)
	wantRows, _ := cat.Coverage("control_type")
	if len(rows) != 3 || rows[0].Value != "corrective" || rows[0].Count != wantRows[0].Count || !slices.Equal(rows[2].Controls, wantRows[2].Controls) {
		t.Errorf("coverage control_type: %+v", rows)
	}

	var docs []catalog.MandatoryDocument
	api.want(api.do(http.MethodGet, "/catalog/mandatory-documents", nil), http.StatusOK, "documents", &docs)
	if !slices.Equal(docs, cat.MandatoryDocuments()) {
		t.Errorf("documents: %d, want the %d of the catalog", len(docs), len(cat.MandatoryDocuments()))
	}

	// Unknown ids are 404 problems that say what exists; a bad attribute key is 422.
	for path, msg := range map[string]string{
		"/catalog/controls/9.99":        `no Annex A control "9.99"`,
		"/catalog/controls/A.14.2.1":    `no Annex A control "A.14.2.1"`,
		"/catalog/controls-2013/A.99.1": `no 2013 Annex A control "A.99.1"`,
		"/catalog/controls-2013/8.28":   `no 2013 Annex A control "8.28"`,
		"/catalog/clauses/11":           `no clause "11"`,
		"/catalog/clauses/A.5.1.1":      `no clause "A.5.1.1"`,
	} {
		if p := api.problem(api.do(http.MethodGet, path, nil), http.StatusNotFound, path); !strings.Contains(p.Detail, msg) {
			t.Errorf("%s: detail %q, want %q", path, p.Detail, msg)
		}
	}
	if p := api.problem(api.do(http.MethodGet, "/catalog/coverage/colour", nil), http.StatusUnprocessableEntity, "coverage/colour"); len(p.Errors) == 0 {
		t.Errorf("coverage/colour: %+v", p)
	}
}
