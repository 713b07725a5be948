package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// plantedCertification are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedCertification = map[string]string{
	"certification-audit-soon": "the Stage 1 audit is planned about five weeks from today: the dashboard's reminder",
}

// certFindings are the step 8 findings of the lint today, by rule (the last of a rule wins).
func certFindings(t *testing.T, e *env, ctx context.Context) map[string]isms.LintFinding {
	t.Helper()
	r, err := e.svc.Lint(ctx)
	ok(t, err)
	out := map[string]isms.LintFinding{}
	for _, f := range r.Findings {
		if f.Step == 8 {
			out[f.Rule] = f
		}
	}
	return out
}

// wantCert checks which step 8 rules fire: every rule of want (with its ref when given) and no other.
func wantCert(t *testing.T, what string, got map[string]isms.LintFinding, want map[string]string) {
	t.Helper()
	for rule, ref := range want {
		f, found := got[rule]
		if !found || (ref != "" && f.Ref != ref) {
			t.Errorf("%s: want %s %s, got %+v", what, rule, ref, got)
		}
	}
	for rule, f := range got {
		if _, found := want[rule]; !found {
			t.Errorf("%s: unexpected %s %s: %s", what, rule, f.Ref, f.Message)
		}
	}
}

func certMeasures(t *testing.T, e *env, ctx context.Context) (map[string]int, int) {
	t.Helper()
	r, err := e.svc.Readiness(ctx)
	ok(t, err)
	out := map[string]int{}
	for _, m := range r.Steps[7].Measures {
		out[m.Label] = m.Done
	}
	return out, r.Steps[7].Percent
}

// Preparing for certification: nothing planned; a Stage 2 with no Stage 1 before it; the reminder of an audit
// within 60 days; an audit past its dates still marked planned. Each stops firing once fixed, and the step's
// measures follow.
func TestCertificationChecksPreparing(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		wantCert(t, "empty", certFindings(t, e, ctx), map[string]string{"certification-not-planned": "Stage 1"})
		if m, pct := certMeasures(t, e, ctx); pct != 0 || len(m) != 4 {
			t.Fatalf("empty measures: %v %d%%", m, pct)
		}
		s2, err := e.svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-2", Body: "Acme Certification", PlannedStart: "2026-06-01"})
		ok(t, err)
		wantCert(t, "stage 2 alone", certFindings(t, e, ctx), map[string]string{"certification-stage2-before-stage1": s2.Ref})
		s1, err := e.svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-1", Body: "Acme Certification", PlannedStart: "2026-04-01", PlannedEnd: "2026-04-02"})
		ok(t, err)
		got := certFindings(t, e, ctx)
		wantCert(t, "stage 1 in 30 days", got, map[string]string{"certification-audit-soon": s1.Ref})
		if msg := got["certification-audit-soon"].Message; msg != "The Stage 1 audit CERT-002 by Acme Certification starts on 2026-04-01 (in 30 days): have the evidence and the people it needs ready." {
			t.Errorf("reminder: %q", msg)
		}
		if m, pct := certMeasures(t, e, ctx); m["Certification body chosen"] != 1 || pct != 25 {
			t.Fatalf("body chosen: %v %d%%", m, pct)
		}

		e.clock.Advance(40 * 24 * time.Hour) // 2026-04-11: Stage 1 over, Stage 2 in 51 days
		wantCert(t, "stage 1 past", certFindings(t, e, ctx), map[string]string{"certification-audit-not-recorded": s1.Ref, "certification-audit-soon": s2.Ref})
		_, err = e.svc.PatchCertification(ctx, s1.Ref, service.CertificationInput{Status: "done", Result: "recommended", Version: s1.Version,
			Sent: service.SentOf("status", "result")})
		ok(t, err)
		wantCert(t, "stage 1 done", certFindings(t, e, ctx), map[string]string{"certification-audit-soon": s2.Ref})
		if m, pct := certMeasures(t, e, ctx); m["Stage 1 audit done"] != 1 || pct != 50 {
			t.Fatalf("stage 1 done: %v %d%%", m, pct)
		}
	})
}

// Certified: surveillance due within 90 days and not planned, then overdue when its date passes without a done
// audit; a certificate expiring within 90 days, then expired; recertification puts it right.
func TestCertificationChecksCycle(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		add := func(in service.CertificationInput) isms.CertificationAudit {
			t.Helper()
			in.Body = "Acme Certification"
			c, err := e.svc.AddCertification(ctx, in)
			ok(t, err)
			return c
		}
		add(service.CertificationInput{Kind: "stage-1", PlannedStart: "2022-12-01", Status: "done", Result: "recommended"})
		add(service.CertificationInput{Kind: "stage-2", PlannedStart: "2023-03-01", Status: "done", Result: "recommended",
			CertificateNumber: "IS 1", CertificateIssued: "2023-04-01", CertificateExpiry: "2026-05-01"})
		// Today 2026-03-02: surveillance years 1 and 2 (due 2024-04-01, 2025-04-01) never done; expiry in 60 days.
		wantCert(t, "surveillance missed", certFindings(t, e, ctx), map[string]string{"certification-surveillance-overdue": "", "certificate-expiring": "IS 1"})
		add(service.CertificationInput{Kind: "surveillance", PlannedStart: "2024-03-10", Status: "done", Result: "recommended"})
		add(service.CertificationInput{Kind: "surveillance", PlannedStart: "2025-03-10", Status: "done", Result: "recommended"})
		got := certFindings(t, e, ctx)
		wantCert(t, "surveillance done", got, map[string]string{"certificate-expiring": "IS 1"})
		if msg := got["certificate-expiring"].Message; msg != "Certificate IS 1 expires on 2026-05-01 (in 60 days); no recertification audit is planned: plan it with the certification body before then." {
			t.Errorf("expiring: %q", msg)
		}
		if m, pct := certMeasures(t, e, ctx); m["Certificate valid"] != 1 || pct != 100 {
			t.Fatalf("certified measures: %v %d%%", m, pct)
		}

		e.clock.Advance(61 * 24 * time.Hour) // 2026-05-02
		wantCert(t, "expired", certFindings(t, e, ctx), map[string]string{"certificate-expired": "IS 1"})
		if m, _ := certMeasures(t, e, ctx); m["Certificate valid"] != 0 {
			t.Fatalf("an expired certificate counts as valid: %v", m)
		}
		add(service.CertificationInput{Kind: "recertification", PlannedStart: "2026-05-02", Status: "done", Result: "recommended",
			CertificateNumber: "IS 2", CertificateIssued: "2026-05-02", CertificateExpiry: "2029-05-01"})
		wantCert(t, "recertified", certFindings(t, e, ctx), map[string]string{})

		e.clock.Advance(300 * 24 * time.Hour) // 2027-02-26: year 1 of the new certificate due 2027-05-02
		wantCert(t, "year 1 due", certFindings(t, e, ctx), map[string]string{"certification-surveillance-due": ""})
		add(service.CertificationInput{Kind: "surveillance", PlannedStart: "2027-04-20"})
		wantCert(t, "year 1 planned", certFindings(t, e, ctx), map[string]string{"certification-audit-soon": "CERT-006"})
	})
}

// A nonconformity raised by a certification audit needs a corrective action: a major one is a major finding,
// minor ones a minor finding (several are one finding with their count); a corrective action each stops them.
func TestCertificationChecksNonconformities(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-1", Body: "Acme Certification", PlannedStart: "2026-02-01",
			Status: "done", Result: "recommended-with-conditions"})
		ok(t, err)
		for _, f := range []service.FindingInput{{Title: "No risk acceptance", Grade: "major-nc", Clause: "6.1.3"},
			{Title: "Policy unsigned", Grade: "minor-nc", Clause: "5.2"}, {Title: "Old asset list", Grade: "minor-nc", Control: "5.9"},
			{Title: "Nice dashboards", Grade: "ofi", Clause: "9.1"}} {
			f.Certification = "CERT-001"
			_, err := e.svc.AddFinding(ctx, f)
			ok(t, err)
		}
		_, err = e.svc.AddFinding(ctx, service.FindingInput{Title: "Internal", Grade: "major-nc", Clause: "8.1"})
		ok(t, err)
		got := certFindings(t, e, ctx)
		wantCert(t, "open nonconformities", got, map[string]string{"certification-major-nc-open": "F-001", "certification-minor-nc-open": "10.2"})
		if f := got["certification-minor-nc-open"]; f.Count != 2 || f.Severity != isms.Minor || f.Link != "/findings?source=certification-audit&status=open&grade=minor-nc" {
			t.Errorf("minor ones: %+v", f)
		}
		for _, ref := range []string{"F-001", "F-002", "F-003"} {
			_, err := e.svc.AddCorrective(ctx, service.CorrectiveInput{Finding: ref, Title: "Fix " + ref})
			ok(t, err)
		}
		wantCert(t, "corrective actions", certFindings(t, e, ctx), map[string]string{})
	})
}
