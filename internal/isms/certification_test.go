package isms_test

import (
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
)

func fields(p isms.Problems) []string {
	var out []string
	for _, f := range p {
		out = append(out, f.Field)
	}
	return out
}

// A certification audit is refused field by field: unknown kind, dates out of order, a done audit without a
// result, a result before it is done, a certificate on an audit that does not certify, or one missing parts
// or expiring before it is issued.
func TestCertificationAuditCheck(t *testing.T) {
	good := isms.CertificationAudit{Kind: "stage-2", Status: "done", Result: "recommended", PlannedStart: "2026-03-01", PlannedEnd: "2026-03-03",
		CertificateNumber: "IS 123", CertificateIssued: "2026-04-01", CertificateExpiry: "2029-03-31"}
	cases := []struct {
		name  string
		edit  func(c *isms.CertificationAudit)
		field []string
	}{
		{"valid", func(c *isms.CertificationAudit) {}, nil},
		{"planned without result or certificate", func(c *isms.CertificationAudit) {
			c.Status, c.Result, c.CertificateNumber, c.CertificateIssued, c.CertificateExpiry = "planned", "", "", "", ""
		}, nil},
		{"unknown kind", func(c *isms.CertificationAudit) { c.Kind = "stage-3" }, []string{"kind", "certificate_number"}},
		{"no start", func(c *isms.CertificationAudit) { c.PlannedStart = "" }, []string{"planned_start"}},
		{"end before start", func(c *isms.CertificationAudit) { c.PlannedEnd = "2026-02-01" }, []string{"planned_end"}},
		{"bad date", func(c *isms.CertificationAudit) { c.PlannedEnd = "3 March" }, []string{"planned_end"}},
		{"done without result", func(c *isms.CertificationAudit) { c.Result = "" }, []string{"result", "certificate_number"}},
		{"result while planned", func(c *isms.CertificationAudit) {
			c.Status, c.CertificateNumber, c.CertificateIssued, c.CertificateExpiry = "planned", "", "", ""
		}, []string{"result"}},
		{"certificate on a stage 1", func(c *isms.CertificationAudit) { c.Kind = "stage-1" }, []string{"certificate_number"}},
		{"certificate without expiry", func(c *isms.CertificationAudit) { c.CertificateExpiry = "" }, []string{"certificate_expiry"}},
		{"expiry before issue", func(c *isms.CertificationAudit) { c.CertificateExpiry = "2026-01-01" }, []string{"certificate_expiry"}},
		{"not recommended keeps no certificate", func(c *isms.CertificationAudit) { c.Result = "not-recommended" }, []string{"certificate_number"}},
	}
	for _, tc := range cases {
		c := good
		tc.edit(&c)
		var p isms.Problems
		c.Check(&p)
		if got := fields(p); !slices.Equal(got, tc.field) {
			t.Errorf("%s: problems %v (%v), want fields %v", tc.name, got, p, tc.field)
		}
	}
}

// Before a certificate the cycle is Stage 1 and Stage 2; with one, surveillance in years one and two (12 and 24
// months after issue) and recertification by expiry, each met by the audits planned after the issue date, and
// overdue once its date is past without a done audit. An expired certificate starts again from Stage 1.
func TestCertificationCycle(t *testing.T) {
	stage1 := isms.CertificationAudit{Ref: "CERT-001", Kind: "stage-1", Body: "Acme Certification", Status: "done", Result: "recommended", PlannedStart: "2025-01-10"}
	stage2 := isms.CertificationAudit{Ref: "CERT-002", Kind: "stage-2", Body: "Acme Certification", Status: "planned", PlannedStart: "2025-03-10"}
	c := isms.Cycle([]isms.CertificationAudit{stage2, stage1, {Ref: "CERT-009", Kind: "stage-1", Status: "cancelled", PlannedStart: "2024-12-01"}}, "2025-02-01")
	if c.Certificate != nil || c.Body != "Acme Certification" || len(c.Steps) != 2 ||
		c.Steps[0].Audit != "CERT-001" || c.Steps[0].State != isms.StepDone || c.Steps[1].Audit != "CERT-002" || c.Steps[1].State != isms.StepPlanned {
		t.Fatalf("before certification: %+v", c)
	}

	stage2.Status, stage2.Result = "done", "recommended"
	stage2.CertificateNumber, stage2.CertificateIssued, stage2.CertificateExpiry = "IS 1", "2025-04-01", "2028-03-31"
	surv1 := isms.CertificationAudit{Ref: "CERT-003", Kind: "surveillance", Status: "done", Result: "recommended", PlannedStart: "2026-03-15"}
	audits := []isms.CertificationAudit{stage1, stage2, surv1}
	c = isms.Cycle(audits, "2026-06-01")
	want := []isms.CycleStep{
		{Kind: "surveillance", Label: "Surveillance audit (year 1)", Due: "2026-04-01", Audit: "CERT-003", Date: "2026-03-15", State: isms.StepDone},
		{Kind: "surveillance", Label: "Surveillance audit (year 2)", Due: "2027-04-01", State: isms.StepNotPlanned},
		{Kind: "recertification", Label: "Recertification audit", Due: "2028-03-31", State: isms.StepNotPlanned},
	}
	if c.Certificate == nil || c.Certificate.Ref != "CERT-002" || !slices.Equal(c.Steps, want) {
		t.Fatalf("certified: %+v\nsteps %+v", c.Certificate, c.Steps)
	}
	c = isms.Cycle(audits, "2027-04-02")
	if c.Steps[1].State != isms.StepOverdue {
		t.Fatalf("year 2 past its due date: %+v", c.Steps[1])
	}
	c = isms.Cycle(append(audits, isms.CertificationAudit{Ref: "CERT-004", Kind: "surveillance", Status: "planned", PlannedStart: "2027-03-01"}), "2027-01-01")
	if c.Steps[1].Audit != "CERT-004" || c.Steps[1].State != isms.StepPlanned {
		t.Fatalf("year 2 planned: %+v", c.Steps[1])
	}

	c = isms.Cycle(audits, "2028-04-01")
	if c.Certificate != nil || c.Expired == nil || c.Expired.Ref != "CERT-002" || c.Steps[0].Kind != "stage-1" || c.Steps[0].State != isms.StepNotPlanned {
		t.Fatalf("expired: %+v", c)
	}
}
