package service_test

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The risk methodology is one controlled document per organisation, drafted from the risk method: pending
// until approved, and a change of the method drafts its next version (same transaction, audited) to approve.
func TestRiskMethodologyDocument(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ed, ap := o.Ctx("editor"), o.Ctx("approver")
		m, err := e.svc.RiskMethodology(o.Ctx("viewer"))
		ok(t, err)
		if !m.Pending || m.Ref != "" {
			t.Fatalf("a new organisation's methodology: %+v", m)
		}
		// A method change before the document exists drafts nothing.
		method, err := e.svc.RiskMethod(ed)
		ok(t, err)
		_, err = e.svc.SetRiskMethod(ed, service.RiskMethodInput{Likelihood: method.Likelihood, Impact: method.Impact,
			AcceptanceThreshold: 7, HighThreshold: 15, Version: method.Version})
		ok(t, err)
		if l, err := e.svc.ListDocuments(ed, service.DocumentFilter{}, service.Page{}); err != nil || l.Total != 0 {
			t.Fatalf("documents after a method change: %d %v", l.Total, err)
		}

		_, err = e.svc.DraftRiskMethodology(o.Ctx("viewer"))
		wantKind(t, err, isms.KindForbidden, "a viewer drafts the methodology")
		m, err = e.svc.DraftRiskMethodology(ed)
		ok(t, err)
		if m.Ref != "DOC-001" || m.Status != isms.DocDraft || !m.Pending {
			t.Fatalf("drafted: %+v", m)
		}
		if again, err := e.svc.DraftRiskMethodology(ed); err != nil || again.Ref != m.Ref {
			t.Fatalf("drafting again: %+v %v", again, err)
		}
		_, err = e.svc.DraftRiskMethodology(o.Ctx("viewer"))
		wantKind(t, err, isms.KindForbidden, "a viewer drafts the existing methodology")
		_, err = e.svc.AddDocument(ed, service.DocumentInput{Template: service.MethodologyTemplate})
		wantKind(t, err, isms.KindConflict, "a second methodology")
		v1, err := e.svc.DocumentVersion(ed, m.Ref, 1)
		ok(t, err)
		if !strings.Contains(v1.Content, "**7 or less**") {
			t.Errorf("version 1 does not state the acceptance threshold 7:\n%s", v1.Content)
		}
		d, err := e.svc.SubmitDocument(ed, m.Ref, 1)
		ok(t, err)
		_, err = e.svc.ApproveDocument(ap, m.Ref, d.Version)
		ok(t, err)
		if m, err = e.svc.RiskMethodology(ed); err != nil || m.Pending || m.Approved != 1 {
			t.Fatalf("approved methodology: %+v %v", m, err)
		}

		method, err = e.svc.RiskMethod(ed)
		ok(t, err)
		_, err = e.svc.SetRiskMethod(ed, service.RiskMethodInput{Likelihood: method.Likelihood, Impact: method.Impact,
			AcceptanceThreshold: 9, HighThreshold: 16, Version: method.Version})
		ok(t, err)
		m, err = e.svc.RiskMethodology(ed)
		ok(t, err)
		if !m.Pending || m.Latest != 2 || m.Approved != 1 || m.Status != isms.DocDraft {
			t.Fatalf("after the method change: %+v", m)
		}
		v2, err := e.svc.DocumentVersion(ed, m.Ref, 2)
		ok(t, err)
		if !strings.Contains(v2.Content, "**9 or less**") || !strings.Contains(v2.Summary, "risk method changed") {
			t.Errorf("version 2 (%s):\n%s", v2.Summary, v2.Content)
		}
		trail, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "document"}, service.Page{Limit: 1})
		ok(t, err)
		if len(trail.Items) != 1 || trail.Items[0].Action != "update" || trail.Items[0].Ref != m.Ref {
			t.Errorf("the redraft is not in the audit trail: %+v", trail.Items)
		}
	})
}
