package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// sectionRefs is the references of a section's items.
func sectionRefs(s isms.ReviewSection) string {
	var refs []string
	for _, it := range s.Items {
		refs = append(refs, it.Ref)
	}
	return strings.Join(refs, ",")
}

// figure is the count of a section's figure label (0 when absent).
func figure(s isms.ReviewSection, label string) int {
	for _, f := range s.Figures {
		if f.Label == label {
			return f.Count
		}
	}
	return 0
}

// A review's inputs come from the registers: what changed since the previous review, the actions of earlier
// reviews (late ones counted), objectives, risks above the threshold and the metrics against their targets.
// Holding a review freezes its inputs: later changes show in the next review, never in the held one's minutes.
func TestReviewInputsAssembledAndFrozen(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddIssue(ctx, service.IssueInput{Title: "New privacy law", Kind: "external"})
		ok(t, err)
		_, err = e.svc.AddObjective(ctx, service.ObjectiveInput{Title: "Patch within 14 days", Due: e.clock.Now().AddDate(0, 0, 5).Format(time.DateOnly)})
		ok(t, err)
		_, err = e.svc.AddRisk(ctx, service.RiskInput{Title: "Ransomware", Likelihood: 4, Impact: 5, Treatment: isms.TreatModify})
		ok(t, err)
		_, err = e.svc.AddRisk(ctx, service.RiskInput{Title: "Coffee spill", Likelihood: 1, Impact: 1, Treatment: isms.TreatRetain})
		ok(t, err)
		first, err := e.svc.AddReview(ctx, service.ReviewInput{Title: "Review 1", Chair: "", Attendees: "CEO\nCISO\n"})
		ok(t, err)
		if first.Ref != "MR-001" || first.Status != "planned" || first.Inputs != nil {
			t.Fatalf("planned: %+v", first)
		}
		_, err = e.svc.PatchReview(ctx, first.Ref, service.ReviewInput{HeldOn: e.svc.Today(), Version: 1, Sent: service.SentOf("held_on")})
		wantKind(t, err, isms.KindInvalid, "a held day on a planned review")
		held, err := e.svc.HoldReview(ctx, first.Ref, "", 1)
		ok(t, err)
		if held.Status != "held" || held.HeldOn != e.svc.Today() || held.Inputs == nil {
			t.Fatalf("held: %+v", held)
		}
		frozen := *held.Inputs
		if got := sectionRefs(frozen.Section(isms.InputContext)); got != "I-001" {
			t.Fatalf("context at the first review: %q", got)
		}
		if got := sectionRefs(frozen.Section(isms.InputRisks)); got != "R-001" {
			t.Fatalf("risks above the threshold: %q, want R-001 only", got)
		}
		if s := frozen.Section(isms.InputObjectives); sectionRefs(s) != "OBJ-001" || figure(s, "objective planned") != 1 {
			t.Fatalf("objectives: %+v", s)
		}
		_, err = e.svc.AddReviewAction(ctx, service.ReviewActionInput{Review: "mr-001", Kind: "resource", Decision: "Hire a second analyst",
			Due: e.clock.Now().AddDate(0, 0, 10).Format(time.DateOnly)})
		ok(t, err)
		_, err = e.svc.AddReviewAction(ctx, service.ReviewActionInput{Review: "MR-404", Kind: "budget", Decision: "x"})
		if got := fieldsOf(t, err); strings.Join(got, ",") != "kind,review" {
			t.Fatalf("unknown review and kind: %v", err)
		}

		// A month later: a new issue, a metric measured off target, the earlier action now late.
		e.clock.Advance(30 * 24 * time.Hour)
		_, err = e.svc.AddIssue(ctx, service.IssueInput{Title: "Office move", Kind: "internal"})
		ok(t, err)
		_, err = e.db.W.Exec(`INSERT INTO metrics (id, org_id, ref, title, unit, frequency, direction, target, last_taken, created_at, updated_at)
			VALUES ('m1', $1, 'M-001', 'Patched on time', '%', 'monthly', 'at-least', '95', $2, 'x', 'x')`, o.Actors["owner"].OrgID, e.svc.Today())
		ok(t, err)
		_, err = e.db.W.Exec(`INSERT INTO measurements (id, org_id, metric_id, taken_on, value, created_at) VALUES ('v1', $1, 'm1', $2, '90', 'x')`, o.Actors["owner"].OrgID, e.svc.Today())
		ok(t, err)
		second, err := e.svc.AddReview(ctx, service.ReviewInput{Title: "Review 2", PlannedOn: e.clock.Now().AddDate(0, 0, 7).Format(time.DateOnly)})
		ok(t, err)
		live, err := e.svc.ReviewInputs(ctx, second.Ref)
		ok(t, err)
		if live.Since != held.HeldOn {
			t.Fatalf("since %q, want the first review's day %q", live.Since, held.HeldOn)
		}
		if got := sectionRefs(live.Section(isms.InputContext)); got != "I-002" {
			t.Fatalf("context since the first review: %q, want I-002 only", got)
		}
		if s := live.Section(isms.InputPreviousActions); sectionRefs(s) != "RA-001" || !s.Items[0].Late {
			t.Fatalf("previous actions: %+v", s)
		}
		if s := live.Section(isms.InputMonitoring); sectionRefs(s) != "M-001" || s.Items[0].State != "off target" || s.Items[0].Late {
			t.Fatalf("monitoring: %+v", s)
		}
		if s := live.Section(isms.InputObjectives); figure(s, "late or overdue") != 1 {
			t.Fatalf("the objective is overdue now: %+v", s)
		}
		again, err := e.svc.ReviewInputs(ctx, first.Ref)
		ok(t, err)
		if sectionRefs(again.Section(isms.InputContext)) != "I-001" || sectionRefs(again.Section(isms.InputMonitoring)) != "" {
			t.Fatalf("the held review's inputs changed: %+v", again)
		}

		// Notes per input merge; an unknown input is refused; a held review stays held and is not deleted.
		r, err := e.svc.PatchReview(ctx, first.Ref, service.ReviewInput{InputNotes: map[string]string{"risks": "Ransomware above appetite", "feedback": "Customers ask for SOC reports"},
			Version: 2, Sent: service.SentOf("input_notes")})
		ok(t, err)
		r, err = e.svc.PatchReview(ctx, first.Ref, service.ReviewInput{InputNotes: map[string]string{"feedback": ""}, Discussion: "Agreed", Version: r.Version, Sent: service.SentOf("input_notes", "discussion")})
		ok(t, err)
		if len(r.InputNotes) != 1 || r.InputNotes["risks"] == "" || r.Discussion != "Agreed" {
			t.Fatalf("notes: %+v", r.InputNotes)
		}
		_, err = e.svc.PatchReview(ctx, first.Ref, service.ReviewInput{InputNotes: map[string]string{"weather": "sunny"}, Version: r.Version, Sent: service.SentOf("input_notes")})
		wantKind(t, err, isms.KindInvalid, "an unknown input")
		_, err = e.svc.PatchReview(ctx, first.Ref, service.ReviewInput{Status: "planned", Version: r.Version, Sent: service.SentOf("status")})
		wantKind(t, err, isms.KindInvalid, "a held review back to planned")
		wantKind(t, e.svc.DeleteReview(ctx, first.Ref), isms.KindConflict, "deleting a held review")
		_, err = e.svc.AddReview(o.Ctx("auditor"), service.ReviewInput{Title: "Mine"})
		wantKind(t, err, isms.KindForbidden, "an auditor plans a review")

		var md bytes.Buffer
		ok(t, e.svc.ReviewMinutes(ctx, first.Ref, "md", &md))
		for _, want := range []string{"# Review 1", "MR-001", "CEO", "Ransomware above appetite", ReviewTitle(isms.InputRisks), "RA-001", "Hire a second analyst", "I-001"} {
			if !strings.Contains(md.String(), want) {
				t.Fatalf("minutes lack %q:\n%s", want, md.String())
			}
		}
		if strings.Contains(md.String(), "I-002") {
			t.Fatalf("the minutes show what changed after the review:\n%s", md.String())
		}
		var pdf bytes.Buffer
		ok(t, e.svc.ReviewMinutes(ctx, first.Ref, "pdf", &pdf))
		if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
			t.Fatal("the minutes PDF is no PDF")
		}
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "management review", Ref: first.Ref}, service.Page{})
		ok(t, err)
		if events.Total != 4 {
			t.Fatalf("audit events of MR-001: %d, want 4 (plan, hold, two notes)", events.Total)
		}
	})
}

// ReviewTitle is a section's heading.
func ReviewTitle(key string) string { return isms.ReviewSectionTitles[key] }
