package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A certification audit is planned, refused with field errors when wrong (nothing saved), marked done with
// its result and the certificate it led to, and the cycle follows from that certificate; viewers and auditors
// read but do not write; every change is in the audit trail.
func TestCertificationAuditLifecycle(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		s1, err := e.svc.AddCertification(ctx, service.CertificationInput{Kind: "Stage-1", Body: "Acme Certification", PlannedStart: "2026-04-01", PlannedEnd: "2026-04-02"})
		ok(t, err)
		if s1.Ref != "CERT-001" || s1.Kind != "stage-1" || s1.Status != "planned" || s1.Version != 1 {
			t.Fatalf("added: %+v", s1)
		}
		_, err = e.svc.AddCertification(o.Ctx("auditor"), service.CertificationInput{Kind: "stage-2", PlannedStart: "2026-06-01"})
		wantKind(t, err, isms.KindForbidden, "an auditor plans a certification audit")
		_, err = e.svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-3", PlannedStart: "2026-06-01", PlannedEnd: "2026-05-01"})
		wantKind(t, err, isms.KindInvalid, "a bad audit")
		if msg := err.Error(); !strings.Contains(msg, "kind") || !strings.Contains(msg, "must not be before the planned start 2026-06-01") {
			t.Fatalf("message: %v", msg)
		}
		_, err = e.svc.PatchCertification(ctx, s1.Ref, service.CertificationInput{Status: "done", Version: s1.Version, Sent: service.SentOf("status")})
		wantKind(t, err, isms.KindInvalid, "done without a result")
		s1, err = e.svc.PatchCertification(ctx, s1.Ref, service.CertificationInput{Status: "done", Result: "recommended", Version: s1.Version,
			Sent: service.SentOf("status", "result")})
		ok(t, err)
		if s1.Status != "done" || s1.Body != "Acme Certification" || s1.Version != 2 {
			t.Fatalf("marked done: %+v", s1)
		}
		s2, err := e.svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-2", Body: "Acme Certification", PlannedStart: "2026-05-10",
			Status: "done", Result: "recommended-with-conditions", CertificateNumber: "IS 7001", CertificateIssued: "2026-05-20", CertificateExpiry: "2026-05-01"})
		wantKind(t, err, isms.KindInvalid, "expiry before issue")
		if !strings.Contains(err.Error(), "must be after the issue date 2026-05-20") {
			t.Fatalf("message: %v", err)
		}
		s2, err = e.svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-2", Body: "Acme Certification", PlannedStart: "2026-02-10",
			Status: "done", Result: "recommended", CertificateNumber: "IS 7001", CertificateIssued: "2026-02-20", CertificateExpiry: "2029-02-19"})
		ok(t, err)
		cycle, err := e.svc.CertificationCycle(o.Ctx("viewer"))
		ok(t, err)
		if cycle.Certificate == nil || cycle.Certificate.Ref != s2.Ref || len(cycle.Steps) != 3 || cycle.Steps[0].Due != "2027-02-20" ||
			cycle.Steps[0].State != isms.StepNotPlanned {
			t.Fatalf("cycle: %+v", cycle)
		}
		l, err := e.svc.ListCertification(o.Ctx("viewer"), service.CertificationFilter{Kind: "stage-2"}, service.Page{})
		ok(t, err)
		if l.Total != 1 || l.Items[0].CertificateNumber != "IS 7001" {
			t.Fatalf("stage 2 list: %+v", l)
		}
		// The PDF says the kind in words; CSV keeps the code, which imports back.
		var file bytes.Buffer
		ok(t, e.svc.ExportCertification(o.Ctx("viewer"), service.CertificationFilter{}, "pdf", &file))
		if text := pdfText(t, file.Bytes()); !bytes.Contains(text, utf16BE("Stage 2 audit")) || bytes.Contains(text, utf16BE("stage-2")) {
			t.Errorf("the certification PDF does not name the kind in words")
		}
		file.Reset()
		ok(t, e.svc.ExportCertification(o.Ctx("viewer"), service.CertificationFilter{}, "csv", &file))
		if !strings.Contains(file.String(), ",stage-2,") || strings.Contains(file.String(), "Stage 2 audit") {
			t.Errorf("the certification CSV: %s", file.String())
		}
		ok(t, e.svc.DeleteCertification(ctx, s2.Ref))
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "certification audit"}, service.Page{})
		ok(t, err)
		if events.Total != 4 {
			t.Fatalf("audit events: %d, want 4 (two adds, done, delete)", events.Total)
		}
	})
}

// A finding names the certification audit that raised it: its source becomes certification-audit, the list
// filters by it, it goes into the corrective-action flow, and it cannot name an internal audit as well.
func TestCertificationFindings(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-1", Body: "Acme Certification", PlannedStart: "2026-02-01",
			Status: "done", Result: "recommended"})
		ok(t, err)
		f, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "No internal audit yet", Grade: "minor-nc", Clause: "9.2", Certification: "cert-001"})
		ok(t, err)
		if f.Certification != "CERT-001" || f.CertificationKind != "stage-1" || f.Source != "certification-audit" {
			t.Fatalf("finding: %+v", f)
		}
		_, err = e.svc.AddFinding(ctx, service.FindingInput{Title: "Other", Grade: "ofi", Clause: "9.2"})
		ok(t, err)
		_, err = e.svc.AddFinding(ctx, service.FindingInput{Title: "Unknown", Grade: "ofi", Clause: "9.2", Certification: "CERT-404"})
		wantKind(t, err, isms.KindInvalid, "an unknown certification audit")
		_, err = e.svc.AddAudit(ctx, service.AuditInput{Title: "Internal", Clauses: []string{"9.2"}})
		ok(t, err)
		_, err = e.svc.AddFinding(ctx, service.FindingInput{Title: "Both", Grade: "ofi", Clause: "9.2", Certification: "CERT-001", Audit: "AU-001"})
		wantKind(t, err, isms.KindInvalid, "a finding of both an internal and a certification audit")
		if !strings.Contains(err.Error(), "an internal audit (AU-001) or a certification audit (CERT-001), not both") {
			t.Fatalf("message: %v", err)
		}
		l, err := e.svc.ListFindings(ctx, service.FindingFilter{Certification: "CERT-001"}, service.Page{})
		ok(t, err)
		if l.Total != 1 || l.Items[0].Ref != f.Ref {
			t.Fatalf("findings of CERT-001: %+v", l.Items)
		}
		ca, err := e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: f.Ref, Title: "Plan the internal audit"})
		ok(t, err)
		if ca.Finding != f.Ref {
			t.Fatalf("corrective action: %+v", ca)
		}
		f, err = e.svc.PatchFinding(ctx, f.Ref, service.FindingInput{Title: "Renamed", Version: f.Version, Sent: service.SentOf("title")})
		ok(t, err)
		if f.Certification != "CERT-001" {
			t.Fatalf("a patch kept the certification audit: %+v", f)
		}
	})
}
