package httpserver_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// certificationRoutes are the matrix rows of the certification audits (API and web): editors of ISMS content
// write, everyone reads; the cycle is read by everyone.
func certificationRoutes() []route {
	rows := registerRows("/certification", func(t *testing.T, m *matrix) string {
		c, err := m.srv.Svc.AddCertification(m.org.Ctx("owner"), service.CertificationInput{Kind: "surveillance", Body: "Acme Certification",
			PlannedStart: fmt.Sprintf("2027-01-%02d", m.next()%28+1)})
		m.ok(t, err)
		return c.Ref
	}, func(m *matrix, version int) map[string]any {
		return map[string]any{"kind": "stage-1", "body": "Acme Certification", "planned_start": "2026-05-01", "version": version}
	})
	return append(rows, route{method: "GET", pattern: "/certification/cycle", allowed: everyone})
}

// certificationOfB is B's certification audits in the isolation tests: A has CERT-001, B has CERT-001 and
// CERT-002 (a ref only B has), each saying Bravo.
type certificationOfB struct {
	audits []isms.CertificationAudit
}

// certificationReads are A's reads of its certification audits, in the API or the web UI.
func certificationReads(web bool) []string {
	if web {
		return []string{"/certification", "/certification?kind=stage-2", "/certification/CERT-001", "/certification/export.csv"}
	}
	return []string{"/certification", "/certification?search=bravo", "/certification/CERT-001", "/certification/export", "/certification/cycle",
		"/findings?certification=CERT-002"}
}

func setupCertification(t *testing.T, x *tenants) certificationOfB {
	t.Helper()
	svc := x.srv.Svc
	_, err := svc.AddCertification(x.a.Ctx("editor"), service.CertificationInput{Kind: "stage-1", Body: "Alpha Certification", PlannedStart: "2026-04-01"})
	noErr(t, err)
	var b certificationOfB
	for _, kind := range []string{"stage-1", "stage-2"} {
		c, err := svc.AddCertification(x.b.Ctx("editor"), service.CertificationInput{Kind: kind, Body: "Bravo Certification", LeadAuditor: "Bravo Auditor",
			PlannedStart: "2026-01-10", Status: "done", Result: "recommended", Notes: "Bravo notes"})
		noErr(t, err)
		b.audits = append(b.audits, c)
		x.secrets = append(x.secrets, c.ID)
	}
	return b
}

// cases are A's attempts at B's certification audits, by id and by a reference only B has: each must be a 404.
func (b certificationOfB) cases() []struct {
	name, method, path string
	body               any
} {
	c := b.audits[1]
	return []struct {
		name, method, path string
		body               any
	}{
		{"get B's certification audit by id", http.MethodGet, "/certification/" + c.ID, nil},
		{"get a certification ref only B has", http.MethodGet, "/certification/" + c.Ref, nil},
		{"update B's certification audit", http.MethodPut, "/certification/" + c.ID, map[string]any{"kind": "stage-1", "planned_start": "2026-01-01", "version": 1}},
		{"patch B's certification audit", http.MethodPatch, "/certification/" + c.Ref, map[string]any{"notes": "Hijacked", "version": 1}},
		{"delete B's certification audit", http.MethodDelete, "/certification/" + c.ID, nil},
	}
}

// webLookups are B's certification pages asked for from A: each must be a 404.
func (b certificationOfB) webLookups() []string {
	return []string{"/certification/" + b.audits[1].ID, "/certification/" + b.audits[1].Ref}
}

// A cannot name B's certification audit in a finding, and B's audits stay as they were.
func TestIsolationCertification(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			before := api(t, x.srv, x.bTok, http.MethodGet, "/certification", nil)
			for _, ref := range []string{x.bCert.audits[1].ID, x.bCert.audits[1].Ref} {
				a := api(t, x.srv, x.aTok, http.MethodPost, "/findings", map[string]any{"title": "Cross link", "grade": "ofi", "clause": "7.5", "certification": ref})
				wantProblem(t, a, http.StatusUnprocessableEntity, "A names B's certification audit in a finding")
				x.clean(t, "A names B's certification audit", a, ref)
			}
			if after := api(t, x.srv, x.bTok, http.MethodGet, "/certification", nil); string(after.Body) != string(before.Body) {
				t.Errorf("B's certification audits changed:\n%s\n%s", before.Body, after.Body)
			}
		})
	}
}
