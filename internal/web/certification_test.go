package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// certificationSample gives an organisation a planned Stage 1 audit CERT-001, for the pages that show one.
func certificationSample(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	if _, err := svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-1", Body: "Acme Certification", PlannedStart: "2026-05-01"}); err != nil {
		t.Fatal(err)
	}
}

// The certification pages: an empty list says what to do first; planning a Stage 1 shows it in the cycle as
// planned and Stage 2 as not planned; a bad plan shows its field errors; the audit's page lists its findings
// with the corrective-action flow for a nonconformity and a form to raise one; marking it done records the
// result; a viewer reads without forms; the certificate card shows a certificate in force.
func TestCertificationPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "auditor", "viewer")
	expect(t, "empty list", get(t, srv, c["viewer"], "/certification"), http.StatusOK, "No certification audits yet", "none yet", "Stage 1 audit",
		`href="/certification" aria-current="page"`)
	a := post(t, srv, c["editor"], "/certification", url.Values{"kind": {"stage-1"}, "body": {"Acme Certification"}, "planned_start": {"2026-04-01"},
		"planned_end": {"2026-03-01"}})
	expect(t, "bad plan", a, http.StatusUnprocessableEntity, "must not be before the planned start 2026-04-01")
	a = post(t, srv, c["editor"], "/certification", url.Values{"kind": {"stage-1"}, "body": {"Acme Certification"}, "planned_start": {"2026-04-01"},
		"planned_end": {"2026-04-02"}})
	redirected(t, "plan", a, "/certification/CERT-001")
	a = get(t, srv, c["viewer"], "/certification")
	expect(t, "list", a, http.StatusOK, `data-ref="CERT-001"`, "Acme Certification", `<a href="/certification/CERT-001">CERT-001</a>`, "not planned", "export.csv")
	refuse(t, "list as a viewer", a, `method="post" action="/certification"`)

	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddFinding(ctx, service.FindingInput{Title: "Risk acceptance unsigned", Grade: "major-nc", Clause: "6.1.3", Certification: "CERT-001"}); err != nil {
		t.Fatal(err)
	}
	a = get(t, srv, c["editor"], "/certification/CERT-001")
	expect(t, "audit page", a, http.StatusOK, "Risk acceptance unsigned", "Major nonconformity", `name="finding" value="F-001"`, `action="/corrective"`,
		"Raise a finding", `name="certification" value="CERT-001"`, `aria-label="Edit CERT-001"`)
	a = get(t, srv, c["viewer"], "/certification/CERT-001")
	expect(t, "audit page as a viewer", a, http.StatusOK, "Risk acceptance unsigned", `href="/corrective?finding=F-001"`)
	refuse(t, "audit page as a viewer", a, "Raise a finding", `aria-label="Edit CERT-001"`, `action="/corrective"`)
	expect(t, "audit page as an auditor", get(t, srv, c["auditor"], "/certification/CERT-001"), http.StatusOK, "Raise a finding")
	expect(t, "finding page", get(t, srv, c["viewer"], "/findings/F-001"), http.StatusOK, `<a href="/certification/CERT-001">CERT-001 Stage 1 audit</a>`)
	a = post(t, srv, c["auditor"], "/findings", url.Values{"certification": {"CERT-001"}, "source": {"certification-audit"}, "title": {"Asset owners unnamed"},
		"grade": {"minor-nc"}, "control": {"5.9"}})
	redirected(t, "raise a finding", a, "/findings/F-002")
	expect(t, "findings of CERT-001", get(t, srv, c["viewer"], "/findings?certification=CERT-001"), http.StatusOK, "Asset owners unnamed",
		"Risk acceptance unsigned", `value="CERT-001"`)
	a = post(t, srv, c["editor"], "/findings/F-002", url.Values{"certification": {"CERT-001"}, "title": {"Asset owners not named"}, "grade": {"minor-nc"},
		"control": {"5.9"}, "version": {"1"}})
	redirected(t, "edit the finding", a, "/findings/F-002")
	expect(t, "edited finding keeps its audit", get(t, srv, c["viewer"], "/certification/CERT-001"), http.StatusOK, "Asset owners not named")

	a = post(t, srv, c["editor"], "/certification/CERT-001", url.Values{"kind": {"stage-1"}, "body": {"Acme Certification"}, "planned_start": {"2026-04-01"},
		"status": {"done"}, "version": {"1"}})
	expect(t, "done without a result", a, http.StatusUnprocessableEntity, "is required for a done audit")
	a = post(t, srv, c["editor"], "/certification/CERT-001", url.Values{"kind": {"stage-1"}, "body": {"Acme Certification"}, "planned_start": {"2026-04-01"},
		"status": {"done"}, "result": {"recommended"}, "version": {"1"}})
	redirected(t, "done", a, "/certification/CERT-001")
	expect(t, "done", get(t, srv, c["viewer"], "/certification/CERT-001"), http.StatusOK, "status-done", "recommended")

	if _, err := srv.Svc.AddCertification(ctx, service.CertificationInput{Kind: "stage-2", Body: "Acme Certification", PlannedStart: "2026-02-01", Status: "done",
		Result: "recommended", CertificateNumber: "IS 7001", CertificateIssued: "2026-02-10", CertificateExpiry: "2029-02-09"}); err != nil {
		t.Fatal(err)
	}
	expect(t, "certified", get(t, srv, c["viewer"], "/certification"), http.StatusOK, "Certificate in force", "IS 7001", "expires 2029-02-09",
		"Surveillance audit (year 1)", "2027-02-10", "Recertification audit")
	expect(t, "export", get(t, srv, c["viewer"], "/certification/export.csv"), http.StatusOK, "IS 7001")
}
