package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The work page of a control gathers its guidance, SoA entry, risks, tasks, evidence and documents, and says what
// is still missing as the data changes: undecided; then the owner, work and proof an applicable
// control needs; implemented without evidence; expired evidence; nothing once all is there. An unknown control is
// NotFound.
func TestControlWork(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		gaps := func(want ...string) service.ControlWork {
			t.Helper()
			w, err := e.svc.ControlWork(o.Ctx("viewer"), "A.8.28")
			ok(t, err)
			var got []string
			for _, g := range w.Missing {
				got = append(got, g.Code)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("missing %v, want %v (%+v)", got, want, w.Missing)
			}
			return w
		}
		w := gaps("undecided")
		if w.Control.ID != "8.28" || w.Control.Guidance == nil || len(w.Control.Guidance.Steps) == 0 || w.SoA.Control != "8.28" {
			t.Fatalf("control and guidance: %+v", w.Control)
		}
		yes := true
		entry, err := e.svc.SetSoAEntry(ctx, "8.28", service.SoAInput{Applicable: &yes, Justification: "We write our own software", Status: isms.SoAPlanned,
			Version: w.SoA.Version})
		ok(t, err)
		gaps("no-owner", "no-task", "no-evidence")
		_, err = e.svc.AddPerson(ctx, service.PersonInput{Name: "Sofia Rossi"})
		ok(t, err)
		_, err = e.svc.SetSoAEntry(ctx, "8.28", service.SoAInput{Applicable: &yes, Justification: "We write our own software", Status: isms.SoAImplemented,
			Owner: "P-001", Version: entry.Version})
		ok(t, err)
		_, err = e.svc.AddTask(ctx, service.TaskInput{Title: "Secure coding rules", Control: "8.28", Due: "2020-01-01"})
		ok(t, err)
		_, err = e.svc.AddRisk(ctx, service.RiskInput{Title: "Insecure code", Likelihood: 3, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"8.28"}})
		ok(t, err)
		_, err = e.svc.AddDocument(ctx, service.DocumentInput{Title: "Secure development policy", Type: "policy", Controls: []string{"5.1", "8.28"}})
		ok(t, err)
		_, err = e.svc.AddDocument(ctx, service.DocumentInput{Title: "Other policy", Type: "policy", Controls: []string{"8.2", "8.8"}})
		ok(t, err)
		w = gaps("overdue-task", "implemented-without-evidence")
		if w.Tasks.Total != 1 || w.Risks.Total != 1 || len(w.Documents) != 1 || w.Documents[0].Title != "Secure development policy" {
			t.Fatalf("tasks %d, risks %d, documents %+v", w.Tasks.Total, w.Risks.Total, w.Documents)
		}
		_, err = e.svc.PatchTask(ctx, "T-001", service.TaskInput{Due: "2999-01-01", Version: 1, Sent: service.SentOf("due")})
		ok(t, err)
		_, err = e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "Old review log", Kind: "note", Description: "Reviews", CollectedAt: "2019-01-01",
			ValidUntil: "2020-01-01", Controls: []string{"8.28"}})
		ok(t, err)
		gaps("no-evidence", "evidence-expired")
		_, err = e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "CI static analysis report", Kind: "link", URL: "https://ci.example/report", Controls: []string{"8.28"}})
		ok(t, err)
		gaps("evidence-expired")
		no := false
		entry, err = e.svc.SoAEntry(ctx, "8.13")
		ok(t, err)
		_, err = e.svc.SetSoAEntry(ctx, "8.13", service.SoAInput{Applicable: &no, Justification: "No data of our own", Version: entry.Version})
		ok(t, err)
		if w, err := e.svc.ControlWork(ctx, "8.13"); err != nil || len(w.Missing) != 0 {
			t.Fatalf("excluded with a reason: %+v %v", w.Missing, err)
		}
		_, err = e.svc.ControlWork(ctx, "9.9")
		wantKind(t, err, isms.KindNotFound, "unknown control")
	})
}
