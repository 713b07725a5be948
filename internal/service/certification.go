package service

import (
	"context"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// CertificationFilter narrows the list of certification audits; CertificationRegister declares it.
type CertificationFilter = store.CertificationFilter

// CertificationRegister is the declaration of the certification audits register.
var CertificationRegister = store.CertificationAudits

// CertificationInput is the editable part of a certification audit.
type CertificationInput struct {
	Kind              string `json:"kind" doc:"stage-1, stage-2, surveillance or recertification"`
	Body              string `json:"body" doc:"The certification body"`
	LeadAuditor       string `json:"lead_auditor" doc:"The certification body's lead auditor"`
	PlannedStart      string `json:"planned_start" doc:"First day of the audit, YYYY-MM-DD"`
	PlannedEnd        string `json:"planned_end" doc:"Last day of the audit, YYYY-MM-DD"`
	Status            string `json:"status" doc:"planned (the default), done or cancelled"`
	Result            string `json:"result" doc:"When done: recommended, recommended-with-conditions or not-recommended"`
	CertificateNumber string `json:"certificate_number" doc:"The certificate's number, on a done stage-2 or recertification audit that recommends certification"`
	CertificateIssued string `json:"certificate_issued" doc:"The day the certificate was issued, YYYY-MM-DD"`
	CertificateExpiry string `json:"certificate_expiry" doc:"The day the certificate expires, YYYY-MM-DD (after its issue)"`
	Notes             string `json:"notes" doc:"Notes: the audit plan, the sites visited, conditions of the recommendation"`
	Version           int    `json:"version" doc:"The version read; required for a change"`
	Sent              Sent   `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *CertificationInput) UnmarshalJSON(b []byte) error {
	type plain CertificationInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// apply copies in onto c, trimmed and in lower case where it is a choice, and checks the result (one place:
// isms.CertificationAudit.Check).
func (in CertificationInput) apply(p *isms.Problems, c *isms.CertificationAudit) {
	low := func(v string) string { return strings.ToLower(strings.TrimSpace(v)) }
	c.Kind, c.Status, c.Result = low(in.Kind), firstNonEmpty(low(in.Status), "planned"), low(in.Result)
	c.Body, c.LeadAuditor, c.Notes = strings.TrimSpace(in.Body), strings.TrimSpace(in.LeadAuditor), strings.TrimSpace(in.Notes)
	c.PlannedStart, c.PlannedEnd = strings.TrimSpace(in.PlannedStart), strings.TrimSpace(in.PlannedEnd)
	c.CertificateNumber = strings.TrimSpace(in.CertificateNumber)
	c.CertificateIssued, c.CertificateExpiry = strings.TrimSpace(in.CertificateIssued), strings.TrimSpace(in.CertificateExpiry)
	c.Check(p)
}

// ListCertification lists the certification audits.
func (s *Service) ListCertification(ctx context.Context, f CertificationFilter, p Page) (List[isms.CertificationAudit], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.CertificationAudit], error) {
		return store.CertificationAudits.List(ctx, tx, a.OrgID, f, p)
	})
}

// Certification returns one certification audit by reference (CERT-001) or id.
func (s *Service) Certification(ctx context.Context, ref string) (isms.CertificationAudit, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.CertificationAudit, error) {
		return store.CertificationAudits.Get(ctx, tx, a.OrgID, ref)
	})
}

// CertificationCycle is the certification cycle today: the certificate in force and the audits of the cycle,
// done, planned, or due and not planned.
func (s *Service) CertificationCycle(ctx context.Context) (isms.CertificationCycle, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.CertificationCycle, error) {
		all, err := tx.AllCertificationAudits(ctx, a.OrgID)
		return isms.Cycle(all, s.Today()), err
	})
}

// AddCertification records a certification audit.
func (s *Service) AddCertification(ctx context.Context, in CertificationInput) (isms.CertificationAudit, error) {
	return s.writeCertification(ctx, "", in, false)
}

// UpdateCertification changes a certification audit as a whole; a stale version is a Conflict.
func (s *Service) UpdateCertification(ctx context.Context, ref string, in CertificationInput) (isms.CertificationAudit, error) {
	return s.writeCertification(ctx, ref, in, false)
}

// PatchCertification changes only the fields sent (marking an audit done: status, result and version).
func (s *Service) PatchCertification(ctx context.Context, ref string, in CertificationInput) (isms.CertificationAudit, error) {
	return s.writeCertification(ctx, ref, in, true)
}

// DeleteCertification removes a certification audit; its findings stay, no longer linked to it.
func (s *Service) DeleteCertification(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.CertificationAudits, ref, nil)
}

func (s *Service) writeCertification(ctx context.Context, ref string, in CertificationInput, patch bool) (isms.CertificationAudit, error) {
	return writeRow(ctx, s, store.CertificationAudits, "CERT", ref, in, in.Version, in.Sent, []string{"kind", "planned_start"}, patch,
		func(tx *store.Tx, a Actor, in CertificationInput, c *isms.CertificationAudit) error {
			var p isms.Problems
			in.apply(&p, c)
			s.stampTimes(&c.CreatedAt, &c.UpdatedAt, ref == "")
			return p.Err()
		})
}

// ExportCertification writes the matching certification audits as csv, xlsx or pdf (or csv-excel).
func (s *Service) ExportCertification(ctx context.Context, f CertificationFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Certification", Title: "Certification audits", Columns: []table.Column{
		col("ref", 9, false), col("kind", 14, false), col("body", 24, true), col("lead_auditor", 18, true), col("planned_start", 11, false),
		col("planned_end", 11, false), col("status", 9, false), col("result", 16, true), col("certificate_number", 14, false),
		col("certificate_issued", 11, false), col("certificate_expiry", 11, false), col("notes", 36, true), col("version", 7, false)}}
	sheet.Columns[1].Allowed, sheet.Columns[6].Allowed = isms.CertificationKinds, isms.CertificationStatuses
	return exportRegister(ctx, s, store.CertificationAudits, f, format, w, sheet, func(x isms.CertificationAudit) table.Row {
		// The kind in words for people (PDF), its code for machines (CSV and XLSX import it back).
		return table.Row{x.Ref, table.Labelled{Value: x.Kind, Label: isms.KindWords(x.Kind)}, x.Body, x.LeadAuditor, x.PlannedStart,
			x.PlannedEnd, x.Status, x.Result, x.CertificateNumber, x.CertificateIssued, x.CertificateExpiry, x.Notes, x.Version}
	}, exportFacts(store.CertificationAudits, f, "every certification audit"))
}
