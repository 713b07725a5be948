package service_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Objectives link the risks they serve by reference: each is resolved (any case) and an unknown one is refused
// with its name, changing nothing; a partial change keeps the links; the status is one of the list.
func TestObjectiveRiskLinks(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		for _, title := range []string{"Laptop theft", "Phishing"} {
			_, err := e.svc.AddRisk(ctx, service.RiskInput{Title: title, Likelihood: 3, Impact: 3, Treatment: isms.TreatRetain})
			ok(t, err)
		}
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Daniel Kim"})
		ok(t, err)
		_, err = e.svc.AddObjective(ctx, service.ObjectiveInput{Title: "Fewer phishing clicks", Risks: []string{"R-002", "R-404"}, Status: "done"})
		wantKind(t, err, isms.KindInvalid, "unknown risk")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"risks", "status"}) || !strings.Contains(err.Error(), `no risk "R-404"`) {
			t.Fatalf("unknown risk and status: %v (fields %v)", err, fieldsOf(t, err))
		}
		ob, err := e.svc.AddObjective(ctx, service.ObjectiveInput{Title: "Fewer phishing clicks", Measure: "Click rate in quarterly simulations",
			Target: "below 5%", Owner: "Daniel Kim", Due: "2026-09-30", Risks: []string{"r-002", "R-001", "R-002"}, Policy: "Staff are trained to spot phishing"})
		ok(t, err)
		if ob.Ref != "OBJ-001" || ob.Status != "planned" || !slices.Equal(ob.Risks, []string{"R-002", "R-001"}) || ob.Owner != "P-001" {
			t.Fatalf("added: %+v", ob)
		}
		ob, err = e.svc.PatchObjective(ctx, ob.Ref, service.ObjectiveInput{Status: "on-track", Version: 1, Sent: service.SentOf("status")})
		ok(t, err)
		if ob.Status != "on-track" || !slices.Equal(ob.Risks, []string{"R-002", "R-001"}) || ob.Target != "below 5%" {
			t.Fatalf("after a status change: %+v", ob)
		}
		_, err = e.svc.PatchObjective(ctx, ob.Ref, service.ObjectiveInput{Risks: []string{"R-009"}, Version: 2, Sent: service.SentOf("risks")})
		wantKind(t, err, isms.KindInvalid, "unknown risk on a patch")
		_, err = e.svc.PatchObjective(ctx, ob.Ref, service.ObjectiveInput{Status: "achieved", Version: 1, Sent: service.SentOf("status")})
		wantKind(t, err, isms.KindConflict, "stale objective")
		saved, err := e.svc.Objective(ctx, ob.Ref)
		ok(t, err)
		if saved.Version != 2 || !slices.Equal(saved.Risks, []string{"R-002", "R-001"}) {
			t.Fatalf("after refused changes: %+v", saved)
		}
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "objective", Ref: ob.Ref}, service.Page{})
		ok(t, err)
		if events.Total != 2 {
			t.Fatalf("audit events: %d, want 2", events.Total)
		}
		ok(t, e.svc.DeleteObjective(ctx, ob.Ref))
		_, err = e.svc.Objective(ctx, ob.Ref)
		wantKind(t, err, isms.KindNotFound, "deleted objective")
	})
}

// An objective is overdue when its due date has passed and it is not achieved: the rule in isms, the list's
// filter in SQL and the export's overdue column agree.
func TestObjectivesOverdue(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		today := e.svc.Today()
		yesterday := e.clock.Now().AddDate(0, 0, -1).Format("2006-01-02")
		tomorrow := e.clock.Now().AddDate(0, 0, 1).Format("2006-01-02")
		cases := []struct {
			due, status string
			overdue     bool
		}{
			{yesterday, "planned", true}, {yesterday, "at-risk", true}, {yesterday, "missed", true}, {yesterday, "achieved", false},
			{today, "planned", false}, {tomorrow, "on-track", false}, {"", "planned", false},
		}
		var want []string
		for i, c := range cases {
			ob, err := e.svc.AddObjective(ctx, service.ObjectiveInput{Title: "Objective " + c.due + " " + c.status, Due: c.due, Status: c.status})
			ok(t, err)
			if ob.Overdue(today) != c.overdue {
				t.Errorf("case %d (%s, %s): overdue %v", i, c.due, c.status, !c.overdue)
			}
			if c.overdue {
				want = append(want, ob.Ref)
			}
		}
		l, err := e.svc.ListObjectives(ctx, store.ObjectiveFilter{OverdueOn: today}, service.Page{})
		ok(t, err)
		var got []string
		for _, ob := range l.Items {
			got = append(got, ob.Ref)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("overdue filter: %v, want %v", got, want)
		}
		var b bytes.Buffer
		ok(t, e.svc.ExportObjectives(ctx, service.ObjectiveFilter{}, "csv", &b))
		if n := strings.Count(b.String(), ",yes,"); n != len(want) {
			t.Fatalf("export marks %d overdue, want %d:\n%s", n, len(want), b.String())
		}
	})
}

// The three registers export in every format, filtered as their lists are; a bad filter value is refused.
func TestLeadershipExports(t *testing.T) {
	e := newEnv(t, testutil.Engines[0])
	o := testutil.NewOrg(t, e.svc, "Acme")
	ctx := o.Ctx("viewer")
	_, err := e.svc.AddRole(o.Ctx("editor"), service.RoleInput{Name: "Sponsor", Kind: "sponsor"})
	ok(t, err)
	_, err = e.svc.AddCommitment(o.Ctx("editor"), service.CommitmentInput{Title: "Approved the policy", Date: "2026-01-15"})
	ok(t, err)
	_, err = e.svc.AddObjective(o.Ctx("editor"), service.ObjectiveInput{Title: "Encrypt laptops", Status: "on-track"})
	ok(t, err)
	for _, format := range append(service.ExportFormats, service.FormatCSVExcel) {
		var roles, commitments, objectives, none bytes.Buffer
		ok(t, e.svc.ExportRoles(ctx, service.RoleFilter{Kind: "sponsor"}, format, &roles))
		ok(t, e.svc.ExportCommitments(ctx, service.CommitmentFilter{}, format, &commitments))
		ok(t, e.svc.ExportObjectives(ctx, service.ObjectiveFilter{Status: "on-track", Sort: "-due"}, format, &objectives))
		if roles.Len() < 50 || commitments.Len() < 50 || objectives.Len() < 50 {
			t.Errorf("%s: %d, %d, %d bytes", format, roles.Len(), commitments.Len(), objectives.Len())
		}
		ok(t, e.svc.ExportRoles(ctx, service.RoleFilter{Kind: "isms-owner"}, format, &none))
	}
	var b bytes.Buffer
	wantKind(t, e.svc.ExportObjectives(ctx, service.ObjectiveFilter{Status: "done"}, "csv", &b), isms.KindInvalid, "bad status filter")
	if b.Len() != 0 {
		t.Fatalf("a refused export wrote %d bytes", b.Len())
	}
}
