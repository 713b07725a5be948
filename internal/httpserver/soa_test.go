package httpserver_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The SoA's rules through the API: the excluded-control rule both ways with the same message, a decision without
// a justification, a stale version (409), a bulk change all or nothing, approval refused with every issue and
// then numbered, and the diff.
func TestSoAAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			editor, approver := token(t, srv, org, "editor"), token(t, srv, org, "approver")
			message := func(p problem) string {
				var b strings.Builder
				for _, e := range p.Errors {
					b.WriteString(e.Location + ": " + e.Message + "\n")
				}
				return p.Detail + "\n" + b.String()
			}
			var risk isms.Risk
			decode(t, api(t, srv, editor, http.MethodPost, "/risks", service.RiskInput{Title: "Insecure code", Likelihood: 3, Impact: 4,
				Treatment: "modify", Controls: []string{"8.28"}}), &risk)

			var en isms.SoAEntry
			a := api(t, srv, editor, http.MethodGet, "/soa/8.28", nil)
			want(t, a, http.StatusOK, "GET /soa/8.28")
			decode(t, a, &en)
			var raw map[string]any
			decode(t, a, &raw)
			for _, k := range []string{"control", "title", "theme", "applicable", "justification", "reasons", "status", "owner", "risks", "version"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("GET /soa/8.28 lacks %q: %s", k, a)
				}
			}
			if raw["applicable"] != nil || strings.Join(en.Risks, ",") != risk.Ref {
				t.Errorf("GET /soa/8.28 = %s", a)
			}
			p := wantProblem(t, api(t, srv, editor, http.MethodPatch, "/soa/8.28", map[string]any{"applicable": false,
				"justification": "We buy our software", "version": en.Version}), http.StatusUnprocessableEntity, "excluding 8.28")
			excluded := isms.ExcludedWithRisks("applicable", "8.28", []string{risk.Ref}).Message
			if !strings.Contains(message(p), excluded) {
				t.Errorf("excluding 8.28: %s", message(p))
			}
			p = wantProblem(t, api(t, srv, editor, http.MethodPatch, "/soa/7.3", map[string]any{"applicable": false, "version": 1}),
				http.StatusUnprocessableEntity, "exclusion without a justification")
			if !strings.Contains(message(p), "justification") {
				t.Errorf("exclusion without a justification: %s", message(p))
			}
			a = api(t, srv, editor, http.MethodPatch, "/soa/7.3", map[string]any{"applicable": false, "justification": "No premises", "version": 1})
			want(t, a, http.StatusOK, "excluding 7.3")
			wantProblem(t, api(t, srv, editor, http.MethodPatch, "/soa/7.3", map[string]any{"notes": "late", "version": 1}), http.StatusConflict, "stale SoA edit")
			p = wantProblem(t, api(t, srv, editor, http.MethodPatch, "/risks/"+risk.Ref, map[string]any{"controls": []string{"8.28", "7.3"}, "version": risk.Version}),
				http.StatusUnprocessableEntity, "linking a risk to an excluded control")
			if want := isms.ExcludedWithRisks("controls", "7.3", []string{risk.Ref}).Message; !strings.Contains(message(p), want) {
				t.Errorf("linking a risk to 7.3: %s", message(p))
			}

			// Bulk: all or nothing, every refused control listed.
			p = wantProblem(t, api(t, srv, editor, http.MethodPatch, "/soa", map[string]any{"filter": map[string]any{"theme": "technological"},
				"set": map[string]any{"applicable": false, "justification": "Out of scope"}}), http.StatusUnprocessableEntity, "bulk exclusion")
			if !strings.Contains(message(p), "8.28: applicable") {
				t.Errorf("bulk exclusion: %s", message(p))
			}
			var view service.SoAView
			decode(t, api(t, srv, editor, http.MethodGet, "/soa?applicable=no", nil), &view)
			if len(view.Entries) != 1 || view.Entries[0].Control != "7.3" || view.Summary.Excluded != 1 {
				t.Fatalf("excluded after a refused bulk change: %+v", view.Entries)
			}
			wantProblem(t, api(t, srv, editor, http.MethodGet, "/soa?status=done", nil), http.StatusUnprocessableEntity, "bad status filter")

			// Approval.
			p = wantProblem(t, api(t, srv, approver, http.MethodPost, "/soa/approve", map[string]any{"comment": "early"}), http.StatusUnprocessableEntity, "early approval")
			if len(p.Errors) < 90 || !strings.Contains(message(p), "control 5.1 is undecided") {
				t.Errorf("early approval lists %d issues: %.300s", len(p.Errors), message(p))
			}
			want(t, api(t, srv, editor, http.MethodPatch, "/soa", map[string]any{"filter": map[string]any{"applicable": "undecided"},
				"set": map[string]any{"applicable": true, "justification": "Needed", "status": "planned"}}), http.StatusOK, "bulk decision")
			wantProblem(t, api(t, srv, editor, http.MethodPost, "/soa/approve", map[string]any{}), http.StatusForbidden, "an editor approves")
			var v isms.SoAVersion
			a = api(t, srv, approver, http.MethodPost, "/soa/approve", map[string]any{"comment": "First"})
			want(t, a, http.StatusCreated, "approval")
			decode(t, a, &v)
			if v.Number != 1 || len(v.Hash) != 64 {
				t.Fatalf("approved %s", a)
			}
			want(t, api(t, srv, editor, http.MethodPatch, "/soa/7.3", map[string]any{"applicable": true, "status": "planned", "version": 2}), http.StatusOK, "include 7.3")
			want(t, api(t, srv, approver, http.MethodPost, "/soa/approve", map[string]any{}), http.StatusCreated, "second approval")
			var d service.SoADiff
			decode(t, api(t, srv, editor, http.MethodGet, "/soa/diff?from=1&to=2", nil), &d)
			if len(d.Changes) != 2 || d.Changes[0].Control != "7.3" {
				t.Errorf("diff 1 2: %+v", d.Changes)
			}
			var got isms.SoAVersion
			decode(t, api(t, srv, editor, http.MethodGet, "/soa/versions/1", nil), &got)
			b, _ := json.Marshal(got.Entries)
			if got.Hash != v.Hash || got.Hash != isms.SoAHash(got.Entries) || len(got.Entries) != 93 || len(b) < 1000 {
				t.Errorf("version 1 as read: %s, %d entries", got.Hash, len(got.Entries))
			}
			wantProblem(t, api(t, srv, editor, http.MethodGet, "/soa/versions/7", nil), http.StatusNotFound, "a missing version")
		})
	}
}
