package httpserver_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// TestStatementsPerRiskCreate: creating a risk through the API (token check included) runs a fixed, small number
// of statements: the owner and assets it names are looked up, not every person and asset of the organisation.
func TestStatementsPerRiskCreate(t *testing.T) {
	srv, _, token := sampleServer(t, service.SampleSize{Assets: 60, Risks: 20, AuditEvents: 100})
	create := func(title string) int64 {
		t.Helper()
		body := `{"title": "` + title + `", "owner": "P-002", "assets": ["A-001", "A-060"], "likelihood": 3, "impact": 4,
			"treatment": "modify", "controls": ["5.15", "8.5"]}`
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/risks", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		before := srv.Svc.Store().Statements()
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || !strings.Contains(string(out), `"assets":["A-001","A-060"]`) {
			t.Fatalf("POST /api/v1/risks: %d %s", resp.StatusCode, out)
		}
		return srv.Svc.Store().Statements() - before
	}
	create("first") // the token's first use is recorded once
	// The token check, then the risk method, the owner, the assets, the reference, the risk with its links and
	// first assessment (one statement per table), the check that no linked control is excluded from the SoA, and
	// the audit event. It was 22 when every create loaded every person and asset and read the new risk back.
	const budget = 16
	n := create("second")
	t.Logf("POST /api/v1/risks ran %d statements", n)
	if n > budget {
		t.Errorf("POST /api/v1/risks runs %d statements (budget %d)", n, budget)
	}
}
