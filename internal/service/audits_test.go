package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// An audit from plan to report: an editor plans it (the checklist follows the scope in catalog order, with the
// catalog's prompts; an auditor of their own area is warned about, not refused); only the audit roles fill the
// checklist and complete it, and completing needs every item resulted and a conclusion; a nonconformity raises
// a finding prefilled from its item; the report shows the findings by grade.
func TestAuditFromPlanToReport(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		editor, auditor := o.Ctx("editor"), o.Ctx("auditor")
		_, err := e.svc.AddPerson(editor, service.PersonInput{Name: "Ann Lee", Department: "Engineering"})
		ok(t, err)
		_, err = e.svc.AddPerson(editor, service.PersonInput{Name: "Bo Chan", Department: "Finance"})
		ok(t, err)
		_, err = e.svc.AddAudit(editor, service.AuditInput{Title: "x", Clauses: []string{"11"}, Controls: []string{"A.9.9"}, Lead: "Nobody", Status: "done"})
		wantKind(t, err, isms.KindInvalid, "bad scope, lead, status")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"clauses", "controls", "lead", "status"}) {
			t.Fatalf("fields: %v (%v)", got, err)
		}
		_, err = e.svc.AddAudit(o.Ctx("viewer"), service.AuditInput{Title: "x"})
		wantKind(t, err, isms.KindForbidden, "a viewer plans an audit")
		au, err := e.svc.AddAudit(editor, service.AuditInput{Title: "Secure development", Area: "engineering", Clauses: []string{"9.2", "4"},
			Controls: []string{"A.8.28, 5.1"}, Lead: "Ann Lee", Team: []string{"bo chan", "P-001"}, PlannedStart: "2026-03-02", PlannedEnd: "2026-03-03"})
		ok(t, err)
		if au.Ref != "AU-001" || au.Status != "planned" || len(au.Warnings) != 1 || !slices.Equal(au.Clauses, []string{"4", "9.2"}) || !slices.Equal(au.Controls, []string{"5.1", "8.28"}) ||
			au.Lead != "P-001" || !slices.Equal(au.Team, []string{"P-002"}) {
			t.Fatalf("added: %+v", au)
		}
		cl, err := e.svc.Checklist(auditor, au.Ref)
		ok(t, err)
		var labels []string
		for _, it := range cl.Items {
			labels = append(labels, it.Label())
		}
		if !slices.Equal(labels, []string{"Clause 4", "Clause 9.2", "A.5.1", "A.8.28"}) || len(cl.Items[1].Prompts) == 0 || len(cl.Items[3].Prompts) == 0 ||
			cl.Items[3].Title != "Secure coding" {
			t.Fatalf("checklist: %v %+v", labels, cl.Items)
		}
		if len(cl.Audit.Warnings) != 1 || !strings.Contains(cl.Audit.Warnings[0], "Ann Lee audits their own area (Engineering)") {
			t.Fatalf("warnings: %v", cl.Audit.Warnings)
		}

		_, err = e.svc.SetAuditItem(editor, au.Ref, "8.28", service.AuditItemInput{Result: "conforms"})
		wantKind(t, err, isms.KindForbidden, "an editor records a result")
		_, err = e.svc.SetAuditItem(auditor, au.Ref, "8.28", service.AuditItemInput{Result: "broken"})
		wantKind(t, err, isms.KindInvalid, "bad result")
		it, err := e.svc.SetAuditItem(auditor, au.Ref, "A.8.28", service.AuditItemInput{Result: "nonconformity", EvidenceSeen: "Two merges without review", Notes: "Branch protection off"})
		ok(t, err)
		if it.Result != "nonconformity" || it.UpdatedBy != "auditor of Acme" {
			t.Fatalf("item: %+v", it)
		}
		au, err = e.svc.Audit(auditor, au.Ref)
		ok(t, err)
		if au.Status != "in-progress" || au.ActualStart != e.svc.Today() || au.Version != 2 {
			t.Fatalf("the first result starts the audit: %+v", au)
		}
		f, err := e.svc.RaiseFinding(auditor, au.Ref, "8.28", service.FindingInput{Grade: "major-nc"})
		ok(t, err)
		if f.Audit != "AU-001" || f.Control != "8.28" || f.Grade != "major-nc" || f.EvidenceSeen != "Two merges without review" || f.Title != "A.8.28 Secure coding" {
			t.Fatalf("raised: %+v", f)
		}

		_, err = e.svc.PatchAudit(auditor, au.Ref, service.AuditInput{Status: "completed", Version: au.Version, Sent: service.SentOf("status")})
		wantKind(t, err, isms.KindInvalid, "completing with items open and no conclusion")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"checklist", "conclusion"}) {
			t.Fatalf("fields: %v (%v)", got, err)
		}
		// The scope grows: the new item comes in catalog order, the recorded one keeps its result.
		au, err = e.svc.PatchAudit(editor, au.Ref, service.AuditInput{Controls: []string{"8.28", "5.1", "8.2"}, Version: au.Version, Sent: service.SentOf("controls")})
		ok(t, err)
		_, err = e.svc.PatchAudit(editor, au.Ref, service.AuditInput{Conclusion: "Fine", Version: au.Version, Sent: service.SentOf("conclusion")})
		wantKind(t, err, isms.KindForbidden, "an editor concludes")
		cl, err = e.svc.Checklist(auditor, au.Ref)
		ok(t, err)
		if len(cl.Items) != 5 || cl.Items[3].Label() != "A.8.2" || cl.Items[4].Result != "nonconformity" {
			t.Fatalf("after the scope grew: %+v", cl.Items)
		}
		for _, key := range []string{"clause 4", "9.2", "5.1", "a.8.2"} {
			_, err := e.svc.SetAuditItem(auditor, au.Ref, key, service.AuditItemInput{Result: "conforms"})
			ok(t, err)
		}
		au, err = e.svc.PatchAudit(auditor, au.Ref, service.AuditInput{Status: "completed", Conclusion: "Effective but for code review",
			Version: au.Version, Sent: service.SentOf("status", "conclusion")})
		ok(t, err)
		if au.Status != "completed" || au.ActualEnd != e.svc.Today() {
			t.Fatalf("completed: %+v", au)
		}
		_, err = e.svc.SetAuditItem(auditor, au.Ref, "9.2", service.AuditItemInput{Result: "observation"})
		wantKind(t, err, isms.KindConflict, "a completed audit's checklist")
		md, err := e.svc.AuditReportMarkdown(auditor, au.Ref)
		ok(t, err)
		for _, want := range []string{"# Internal audit report: AU-001 Secure development", "### Major nonconformity (1)", "| F-001 | A.8.28 Secure coding |",
			"| Conforms | 4 |", "| Nonconformity | 1 |", "Effective but for code review", "Ann Lee audits their own area"} {
			if !strings.Contains(md, want) {
				t.Fatalf("report lacks %q:\n%s", want, md)
			}
		}
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "audit item"}, service.Page{})
		ok(t, err)
		if events.Total != 5 {
			t.Fatalf("item events: %d", events.Total)
		}
	})
}

// A bare id that is both a clause and a control in the checklist must say which.
func TestAuditItemAmbiguous(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		au, err := e.svc.AddAudit(o.Ctx("auditor"), service.AuditInput{Title: "Operation", Clauses: []string{"8.2"}, Controls: []string{"8.2"}})
		ok(t, err)
		_, err = e.svc.SetAuditItem(o.Ctx("auditor"), au.Ref, "8.2", service.AuditItemInput{Result: "conforms"})
		wantKind(t, err, isms.KindInvalid, "ambiguous item")
		_, err = e.svc.SetAuditItem(o.Ctx("auditor"), au.Ref, "7.1", service.AuditItemInput{Result: "conforms"})
		wantKind(t, err, isms.KindNotFound, "item not in scope")
		_, err = e.svc.SetAuditItem(o.Ctx("auditor"), au.Ref, "clause 8.2", service.AuditItemInput{Result: "conforms"})
		ok(t, err)
	})
}

// The programme covers clauses 4 to 10 and the applicable controls over the cycle, from the audits planned and
// held; what no audit covers is listed.
func TestAuditProgrammeCoverage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		_, err := e.svc.SetAuditProgramme(ctx, service.ProgrammeInput{CycleStart: "2026-13-01"})
		wantKind(t, err, isms.KindInvalid, "bad cycle start")
		_, err = e.svc.SetAuditProgramme(o.Ctx("viewer"), service.ProgrammeInput{CycleStart: "2026-01-01"})
		wantKind(t, err, isms.KindForbidden, "a viewer sets the programme")
		_, err = e.db.W.ExecContext(context.Background(), "UPDATE soa_entries SET applicable = 1 WHERE org_id = $1 AND control_id IN ('5.1', '8.28')", orgID(o))
		ok(t, err)
		p, err := e.svc.SetAuditProgramme(ctx, service.ProgrammeInput{CycleStart: "2026-01-01"})
		ok(t, err)
		if p.Programme.Version != 1 || len(p.Coverage.Rows) != 9 || len(p.Coverage.Missing) != 9 {
			t.Fatalf("empty programme: %+v", p)
		}
		_, err = e.svc.SetAuditProgramme(ctx, service.ProgrammeInput{CycleStart: "2026-02-01"})
		wantKind(t, err, isms.KindConflict, "stale programme")
		for _, in := range []service.AuditInput{
			{Title: "Year 1", Clauses: []string{"4.1", "5", "6.1.2", "7", "8"}, Controls: []string{"8.28"}, PlannedStart: "2026-05-01"},
			{Title: "Year 2", Clauses: []string{"9.3"}, PlannedStart: "2027-05-01"},
			{Title: "Cancelled", Clauses: []string{"10"}, PlannedStart: "2027-06-01", Status: "cancelled"},
		} {
			_, err := e.svc.AddAudit(ctx, in)
			ok(t, err)
		}
		p, err = e.svc.AuditProgramme(o.Ctx("viewer"))
		ok(t, err)
		if !slices.Equal(p.Coverage.Missing, []string{"Clause 10", "A.5.1"}) || !slices.Equal(p.Coverage.Years[1].Audits, []string{"AU-002"}) {
			t.Fatalf("coverage: missing %v, years %+v", p.Coverage.Missing, p.Coverage.Years)
		}
	})
}
