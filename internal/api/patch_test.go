package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestPartialUpdates: PATCH changes only the fields sent and keeps the others, the version is still required
// (422 "version: is required") and a stale one is a 409 that changes nothing; a PUT that leaves out a required
// field says "is required" of it instead of a range error.
func TestPartialUpdates(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			tok, _, err := srv.Svc.CreateToken(org.Ctx("editor"), "patch test")
			if err != nil {
				t.Fatal(err)
			}
			ed := apiClient{t: t, srv: srv, token: tok}

			ed.want(ed.do("POST", "/people", map[string]any{"name": "Olga Other", "email": "olga@acme.example", "department": "IT"}), http.StatusCreated, "add person", nil)
			ed.want(ed.do("POST", "/people", map[string]any{"name": "Paul Peer"}), http.StatusCreated, "add person 2", nil)
			var person struct {
				Name, Email, Department string
				JobTitle                string `json:"job_title"`
				Version                 int
			}
			ed.want(ed.do("PATCH", "/people/P-001", map[string]any{"job_title": "CISO", "version": 1}), http.StatusOK, "patch person", &person)
			if person.JobTitle != "CISO" || person.Name != "Olga Other" || person.Email != "olga@acme.example" || person.Department != "IT" || person.Version != 2 {
				t.Fatalf("patched person: %+v", person)
			}

			var asset struct {
				Name, Type, Owner, Classification, Location string
				Confidentiality, Integrity                  int
				Version                                     int
			}
			ed.want(ed.do("POST", "/assets", map[string]any{"name": "Source code", "type": "software", "owner": "P-001", "classification": "confidential",
				"confidentiality": 4, "integrity": 5, "location": "Git"}), http.StatusCreated, "add asset", nil)
			ed.want(ed.do("PATCH", "/assets/A-001", map[string]any{"owner": "P-002", "version": 1}), http.StatusOK, "patch asset", &asset)
			if asset.Owner != "P-002" || asset.Name != "Source code" || asset.Type != "software" || asset.Classification != "confidential" ||
				asset.Confidentiality != 4 || asset.Integrity != 5 || asset.Location != "Git" || asset.Version != 2 {
				t.Fatalf("patched asset: %+v", asset)
			}
			// A field sent empty is changed to empty: sent is not the same as left out.
			ed.want(ed.do("PATCH", "/assets/A-001", map[string]any{"location": "", "version": 2}), http.StatusOK, "clear location", &asset)
			if asset.Location != "" || asset.Owner != "P-002" || asset.Version != 3 {
				t.Fatalf("cleared location: %+v", asset)
			}

			ed.want(ed.do("POST", "/risks", map[string]any{"title": "Leaked code", "assets": []string{"A-001"}, "owner": "P-001", "likelihood": 4, "impact": 5,
				"treatment": "modify", "controls": []string{"8.28"}, "residual_likelihood": 2, "residual_impact": 3}), http.StatusCreated, "add risk", nil)
			var risk apiRisk
			ed.want(ed.do("PATCH", "/risks/R-001", map[string]any{"title": "Leaked source code", "version": 1}), http.StatusOK, "patch risk title", &risk)
			if risk.Title != "Leaked source code" || risk.Owner != "P-001" || !slices.Equal(risk.Assets, []string{"A-001"}) || !slices.Equal(risk.Controls, []string{"8.28"}) ||
				risk.Likelihood != 4 || risk.Impact != 5 || risk.Score != 20 || risk.ResidualScore != 6 || risk.Treatment != "modify" || risk.Version != 2 {
				t.Fatalf("patched risk: %+v", risk)
			}
			ed.want(ed.do("PATCH", "/risks/R-001", map[string]any{"impact": 2, "note": "code signing in place", "version": 2}), http.StatusOK, "reassess", &risk)
			if risk.Score != 8 || risk.Likelihood != 4 || risk.Title != "Leaked source code" || risk.Version != 3 {
				t.Fatalf("reassessed risk: %+v", risk)
			}
			var detail struct {
				History []struct{ Score int } `json:"history"`
			}
			ed.want(ed.do("GET", "/risks/R-001", nil), http.StatusOK, "risk detail", &detail)
			if len(detail.History) != 2 {
				t.Fatalf("history after a PATCH of the impact: %+v, want the first assessment and the reassessment", detail.History)
			}

			for path, field := range map[string]string{"/people/P-001": "name", "/assets/A-001": "name", "/risks/R-001": "title"} {
				p := ed.problem(ed.do("PATCH", path, map[string]any{field: "No version"}), http.StatusUnprocessableEntity, "PATCH "+path+" without a version")
				if len(p.Errors) != 1 || p.Errors[0].Location != "body.version" || !strings.HasPrefix(p.Errors[0].Message, "is required") {
					t.Errorf("PATCH %s without a version: %+v, want version: is required", path, p)
				}
				p = ed.problem(ed.do("PATCH", path, map[string]any{field: "Stale", "version": 1}), http.StatusConflict, "stale PATCH "+path)
				if !strings.Contains(p.Detail, "changed by someone else") {
					t.Errorf("stale PATCH %s: %q", path, p.Detail)
				}
			}
			// Nothing changed by the rejected patches.
			ed.want(ed.do("GET", "/people/P-001", nil), http.StatusOK, "person after", &person)
			ed.want(ed.do("GET", "/assets/A-001", nil), http.StatusOK, "asset after", &asset)
			ed.want(ed.do("GET", "/risks/R-001", nil), http.StatusOK, "risk after", &risk)
			if person.Name != "Olga Other" || person.Version != 2 || asset.Name != "Source code" || asset.Version != 3 || risk.Title != "Leaked source code" || risk.Version != 3 {
				t.Fatalf("after rejected patches: %+v %+v %+v", person, asset, risk)
			}
			// Each accepted PATCH is one update in the audit trail; the rejected ones left none.
			for entity, want := range map[string]struct {
				ref     string
				updates int
			}{"person": {"P-001", 1}, "asset": {"A-001", 2}, "risk": {"R-001", 2}} {
				l, err := srv.Svc.ListAudit(org.Ctx("owner"), service.AuditFilter{Entity: entity, Ref: want.ref, Action: "update"}, service.Page{})
				if err != nil || l.Total != want.updates {
					t.Errorf("audit updates of %s %s: %d (%v), want %d", entity, want.ref, l.Total, err, want.updates)
				}
			}
			ed.problem(ed.do("PATCH", "/assets/A-404", map[string]any{"name": "Ghost", "version": 1}), http.StatusNotFound, "PATCH of an unknown asset")
			// A JSON merge patch is the same thing (top-level fields; nested ones are not used here).
			ed.want(ed.do("PATCH", "/people/P-002", `{"department":"Facilities","version":1}`, "application/merge-patch+json"), http.StatusOK, "merge patch", &person)
			if person.Name != "Paul Peer" || person.Department != "Facilities" || person.Version != 2 {
				t.Fatalf("merge-patched person: %+v", person)
			}
			// A bad value in a PATCH is a 422 naming the field.
			p := ed.problem(ed.do("PATCH", "/risks/R-001", map[string]any{"likelihood": 9, "version": 3}), http.StatusUnprocessableEntity, "bad likelihood")
			if !slices.Equal(p.locations(), []string{"body.likelihood"}) {
				t.Errorf("bad likelihood: %+v", p)
			}

			// PUT stays whole-record, but a required field left out "is required" rather than out of range.
			p = ed.problem(ed.do("PUT", "/risks/R-001", map[string]any{"title": "Only a title", "version": 3}), http.StatusUnprocessableEntity, "partial PUT risk")
			if got := messages(p); !slices.Equal(got, []string{"body.likelihood: is required", "body.impact: is required", "body.treatment: is required"}) {
				t.Errorf("partial PUT of a risk: %v", got)
			}
			p = ed.problem(ed.do("PUT", "/assets/A-001", map[string]any{"owner": "P-001", "version": 3}), http.StatusUnprocessableEntity, "partial PUT asset")
			if got := messages(p); !slices.Equal(got, []string{"body.name: is required", "body.type: is required"}) {
				t.Errorf("partial PUT of an asset: %v", got)
			}
			p = ed.problem(ed.do("PUT", "/people/P-001", service.PersonInput{Version: 2}), http.StatusUnprocessableEntity, "PUT person without a name")
			if got := messages(p); !slices.Equal(got, []string{"body.name: is required"}) {
				t.Errorf("PUT of a person without a name: %v", got)
			}
		})
	}
}

func messages(p apiProblem) []string {
	out := []string{}
	for _, e := range p.Errors {
		out = append(out, e.Location+": "+e.Message)
	}
	return out
}

// TestPatchTreatmentAction: PATCH /treatment-actions/{ref} with a status and the version changes the status only;
// without the version it is a 422 naming it, with a stale one a 409, with a bad status a 422 naming the status,
// and none of those changes anything or leaves an audit event.
func TestPatchTreatmentAction(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			tok, _, err := srv.Svc.CreateToken(org.Ctx("editor"), "patch test")
			if err != nil {
				t.Fatal(err)
			}
			ed := apiClient{t: t, srv: srv, token: tok}
			ed.want(ed.do("POST", "/people", map[string]any{"name": "Olga Other"}), http.StatusCreated, "add person", nil)
			ed.want(ed.do("POST", "/risks", map[string]any{"title": "Phishing", "likelihood": 3, "impact": 3, "treatment": "modify"}), http.StatusCreated, "add risk", nil)
			var action struct {
				Ref, Title, Owner, Due, Status, Notes string
				Version                               int
			}
			ed.want(ed.do("POST", "/risks/R-001/actions", map[string]any{"title": "Train staff", "owner": "P-001", "due": "2031-03-01", "notes": "twice a year"}),
				http.StatusCreated, "add action", &action)

			ed.want(ed.do("PATCH", "/treatment-actions/"+action.Ref, map[string]any{"status": "done", "version": 1}), http.StatusOK, "patch status", &action)
			if action.Status != "done" || action.Title != "Train staff" || action.Owner != "P-001" || action.Due != "2031-03-01" || action.Notes != "twice a year" || action.Version != 2 {
				t.Fatalf("after a status PATCH: %+v", action)
			}
			p := ed.problem(ed.do("PATCH", "/treatment-actions/"+action.Ref, map[string]any{"status": "planned"}), http.StatusUnprocessableEntity, "PATCH without a version")
			if len(p.Errors) != 1 || p.Errors[0].Location != "body.version" || !strings.HasPrefix(p.Errors[0].Message, "is required") {
				t.Errorf("PATCH without a version: %+v", p)
			}
			ed.problem(ed.do("PATCH", "/treatment-actions/"+action.Ref, map[string]any{"status": "planned", "version": 1}), http.StatusConflict, "stale PATCH")
			p = ed.problem(ed.do("PATCH", "/treatment-actions/"+action.Ref, map[string]any{"status": "finished", "version": 2}), http.StatusUnprocessableEntity, "bad status")
			if !slices.Equal(p.locations(), []string{"body.status"}) {
				t.Errorf("bad status: %+v", p)
			}
			ed.problem(ed.do("PATCH", "/treatment-actions/TA-404", map[string]any{"status": "done", "version": 1}), http.StatusNotFound, "unknown action")

			ed.want(ed.do("GET", "/treatment-actions", nil), http.StatusOK, "list", nil)
			l, err := srv.Svc.ListActions(org.Ctx("owner"), service.ActionFilter{}, service.Page{})
			if err != nil || len(l.Items) != 1 || l.Items[0].Status != "done" || l.Items[0].Version != 2 {
				t.Fatalf("after the rejected patches: %+v (%v)", l.Items, err)
			}
			audit, err := srv.Svc.ListAudit(org.Ctx("owner"), service.AuditFilter{Entity: "treatment action", Action: "update"}, service.Page{})
			if err != nil || audit.Total != 1 {
				t.Errorf("audit updates of the action: %d (%v), want 1", audit.Total, err)
			}
		})
	}
}
