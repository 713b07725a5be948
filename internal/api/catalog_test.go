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
