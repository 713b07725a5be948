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

// A corrective action answers a nonconformity; it closes only after an effective check, which an auditor may
// record (and nothing else); a not-effective check reopens it; its finding closes when all its actions are
// closed and reopens with one of them. Each change is in the audit trail.
func TestCorrectiveActionLifecycle(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		auditor := o.Ctx("auditor")
		nc, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "Leavers keep access", Grade: "minor-nc", Clause: "8.1"})
		ok(t, err)
		obs, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "Tidy desks", Grade: "observation", Clause: "7.3"})
		ok(t, err)
		_, err = e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: obs.Ref, Title: "Clear desks"})
		wantKind(t, err, isms.KindInvalid, "a corrective action for an observation")
		if !strings.Contains(err.Error(), "F-002 is graded observation") {
			t.Fatalf("message: %v", err)
		}
		_, err = e.svc.AddCorrective(ctx, service.CorrectiveInput{Title: "No finding"})
		wantKind(t, err, isms.KindInvalid, "no finding")
		_, err = e.svc.AddCorrective(auditor, service.CorrectiveInput{Finding: nc.Ref, Title: "Auditor's own"})
		wantKind(t, err, isms.KindForbidden, "an auditor adds a corrective action")

		ca, err := e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: "f-001", Title: "Automate leaver removal", Correction: "Removed the three accounts",
			RootCause: "HR leaver list not sent to IT", Action: "HR system triggers account removal", Due: e.clock.Now().AddDate(0, 0, 14).Format(time.DateOnly)})
		ok(t, err)
		if ca.Ref != "CA-001" || ca.Finding != "F-001" || ca.Status != "open" || ca.Overdue(e.svc.Today()) {
			t.Fatalf("added: %+v", ca)
		}
		_, err = e.svc.CloseCorrective(ctx, ca.Ref, ca.Version)
		wantKind(t, err, isms.KindInvalid, "closing without a check")
		if !strings.Contains(err.Error(), "cannot close CA-001: no effectiveness check yet") {
			t.Fatalf("message: %v", err)
		}
		ca, err = e.svc.PatchCorrective(ctx, ca.Ref, service.CorrectiveInput{Status: "done", Version: ca.Version, Sent: service.SentOf("status")})
		ok(t, err)

		// The auditor checks: not effective, so it is open again; the auditor cannot close or edit it.
		ca, err = e.svc.VerifyCorrective(auditor, ca.Ref, service.CheckInput{Result: "not-effective", Notes: "Two leavers still active", Version: ca.Version})
		ok(t, err)
		if ca.Status != "open" || ca.CheckResult != "not-effective" || ca.CheckedBy == "" || ca.CheckedAt == nil {
			t.Fatalf("after a not-effective check: %+v", ca)
		}
		_, err = e.svc.CloseCorrective(auditor, ca.Ref, ca.Version)
		wantKind(t, err, isms.KindForbidden, "an auditor closes")
		_, err = e.svc.VerifyCorrective(ctx, ca.Ref, service.CheckInput{Result: "effective", Version: ca.Version})
		wantKind(t, err, isms.KindForbidden, "an editor records the check")
		_, err = e.svc.CloseCorrective(ctx, ca.Ref, ca.Version)
		wantKind(t, err, isms.KindInvalid, "closing after a not-effective check")
		_, err = e.svc.VerifyCorrective(auditor, ca.Ref, service.CheckInput{Result: "maybe", Version: ca.Version})
		wantKind(t, err, isms.KindInvalid, "an unknown result")

		ca, err = e.svc.VerifyCorrective(auditor, ca.Ref, service.CheckInput{Result: "effective", Notes: "Sampled 10 leavers", Version: ca.Version})
		ok(t, err)
		second, err := e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: nc.Ref, Title: "Quarterly access review"})
		ok(t, err)
		ca, err = e.svc.CloseCorrective(ctx, ca.Ref, ca.Version)
		ok(t, err)
		if ca.Status != "closed" || ca.ClosedAt == nil {
			t.Fatalf("closed: %+v", ca)
		}
		f, err := e.svc.Finding(ctx, nc.Ref)
		ok(t, err)
		if f.Status != "open" {
			t.Fatalf("the finding closed with %s still open", second.Ref)
		}
		second, err = e.svc.VerifyCorrective(auditor, second.Ref, service.CheckInput{Result: "effective", Version: second.Version})
		ok(t, err)
		_, err = e.svc.CloseCorrective(ctx, second.Ref, second.Version)
		ok(t, err)
		if f, _ = e.svc.Finding(ctx, nc.Ref); f.Status != "closed" {
			t.Fatalf("all actions closed, the finding is %s", f.Status)
		}
		ca, err = e.svc.PatchCorrective(ctx, ca.Ref, service.CorrectiveInput{Status: "in-progress", Version: ca.Version, Sent: service.SentOf("status")})
		ok(t, err)
		if f, _ = e.svc.Finding(ctx, nc.Ref); f.Status != "open" || ca.ClosedAt != nil {
			t.Fatalf("reopened action: finding %s, closed at %v", f.Status, ca.ClosedAt)
		}
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "corrective action", Ref: ca.Ref}, service.Page{})
		ok(t, err)
		if events.Total != 6 {
			t.Fatalf("audit events of CA-001: %d, want 6 (add, done, two checks, close, reopen)", events.Total)
		}
	})
}

// Overdue is one rule: due before today and not closed, in isms and in the list's filter, and the dashboard's
// counts follow it.
func TestCorrectiveOverdue(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		nc, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "No backup test", Grade: "major-nc", Control: "8.13"})
		ok(t, err)
		day := func(d int) string { return e.clock.Now().AddDate(0, 0, d).Format(time.DateOnly) }
		for _, due := range []string{day(-1), day(0), day(3), ""} {
			_, err := e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: nc.Ref, Title: "Due " + due, Due: due})
			ok(t, err)
		}
		l, err := e.svc.ListCorrective(ctx, service.CorrectiveFilter{OverdueOn: e.svc.Today()}, service.Page{})
		ok(t, err)
		if l.Total != 1 || l.Items[0].Due != day(-1) || !l.Items[0].Overdue(e.svc.Today()) {
			t.Fatalf("overdue list: %+v", l.Items)
		}
		c, err := e.svc.CorrectiveSummary(ctx)
		ok(t, err)
		if c != (service.CorrectiveCounts{Open: 4, Overdue: 1}) {
			t.Fatalf("summary: %+v", c)
		}
		var poam, ar bytes.Buffer
		ok(t, e.svc.ExportCorrectiveOSCAL(ctx, &poam))
		ok(t, e.svc.ExportFindingsOSCAL(ctx, "", &ar))
		if strings.Count(poam.String(), `"title": "CA-00`) != 4 || !strings.Contains(ar.String(), `"title": "F-001 No backup test"`) {
			t.Fatalf("OSCAL exports:\n%s\n%s", poam.String(), ar.String())
		}
		wantKind(t, e.svc.ExportFindingsOSCAL(ctx, "AU-404", &ar), isms.KindNotFound, "an unknown audit")
		if isms.CorrectiveOverdue(day(-1), "closed", e.svc.Today()) {
			t.Fatal("a closed action is never overdue")
		}
	})
}
