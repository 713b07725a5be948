package service

import (
	"context"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/auditreport"
	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// AuditReportMarkdown is the report of an audit as Markdown (auditreport.Markdown).
func (s *Service) AuditReportMarkdown(ctx context.Context, ref string) (string, error) {
	r, err := s.auditReport(ctx, ref)
	return auditreport.Markdown(r), err
}

// WriteAuditReport writes the report of an audit as md or pdf.
func (s *Service) WriteAuditReport(ctx context.Context, ref, format string, w io.Writer) error {
	if format != "md" && format != "pdf" {
		return isms.Invalid(isms.FieldError{Field: "format", Message: "must be md or pdf"})
	}
	r, err := s.auditReport(ctx, ref)
	if err != nil {
		return err
	}
	md := auditreport.Markdown(r)
	if format == "md" {
		_, err := io.WriteString(w, md)
		return err
	}
	a, _ := ActorFrom(ctx)
	return pdf.Markdown(w, pdf.DocMeta{Organisation: r.Organisation, Title: "Internal audit report: " + r.Audit.Title, Ref: r.Audit.Ref,
		Status: r.Audit.Status, Owner: r.Audit.LeadName, Date: s.now(), GeneratedBy: firstNonEmpty(a.Name, a.Email)}, auditreport.Body(md))
}

// auditReport reads what the report shows: the audit, its checklist and its findings (one query each).
func (s *Service) auditReport(ctx context.Context, ref string) (auditreport.Report, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (auditreport.Report, error) {
		cl, err := s.checklist(ctx, tx, a, ref)
		if err != nil {
			return auditreport.Report{}, err
		}
		r := auditreport.Report{Organisation: a.OrgName, Audit: cl.Audit, Items: cl.Items}
		err = store.Findings.Each(ctx, tx, a.OrgID, FindingFilter{Audit: cl.Audit.Ref, Sort: "ref"}, func(f isms.Finding) error {
			r.Findings = append(r.Findings, f)
			return nil
		})
		return r, err
	})
}

// ProgrammeInput sets the programme's cycle.
type ProgrammeInput struct {
	CycleStart string `json:"cycle_start" doc:"First day of the three-year certification cycle, YYYY-MM-DD"`
	Notes      string `json:"notes" doc:"Notes on the programme: priorities, the methods, who decides"`
	Version    int    `json:"version" doc:"The version read (0 before the programme is first saved)"`
}

// Programme is the audit programme with its coverage.
type Programme struct {
	Programme isms.AuditProgramme `json:"programme"`
	Coverage  isms.AuditCoverage  `json:"coverage"`
}

// AuditProgramme returns the programme and its coverage of clauses 4 to 10 and the applicable controls over
// the cycle (isms.ProgrammeCoverage), from one query of the audits and one of the SoA.
func (s *Service) AuditProgramme(ctx context.Context) (Programme, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (Programme, error) {
		return s.programme(ctx, tx, a)
	})
}

func (s *Service) programme(ctx context.Context, tx *store.Tx, a Actor) (Programme, error) {
	p, err := tx.AuditProgramme(ctx, a.OrgID)
	if err != nil {
		return Programme{}, err
	}
	audits, err := tx.AuditScopes(ctx, a.OrgID)
	if err != nil {
		return Programme{}, err
	}
	applicable, err := tx.ApplicableControls(ctx, a.OrgID)
	if err != nil {
		return Programme{}, err
	}
	titles := map[string]string{}
	var clauses, controls []string
	for _, c := range s.cat.Clauses() {
		if c.Level == 1 {
			clauses = append(clauses, c.ID)
			titles["clause "+c.ID] = c.Title
		}
	}
	for _, c := range s.cat.Controls() {
		if applicable[c.ID] {
			controls = append(controls, c.ID)
			titles["control "+c.ID] = c.Title
		}
	}
	return Programme{Programme: p, Coverage: isms.ProgrammeCoverage(p.CycleStart, audits, clauses, controls, titles)}, nil
}

// SetAuditProgramme sets the programme's cycle start and notes (planners: PermPlanAudits).
func (s *Service) SetAuditProgramme(ctx context.Context, in ProgrammeInput) (Programme, error) {
	a, err := require(ctx, isms.PermPlanAudits)
	if err != nil {
		return Programme{}, err
	}
	var p isms.Problems
	start := strings.TrimSpace(in.CycleStart)
	if start == "" {
		p.Add("cycle_start", "is required")
	}
	checkDate(&p, "cycle_start", start)
	checkLong(&p, map[string]string{"notes": in.Notes})
	if err := p.Err(); err != nil {
		return Programme{}, err
	}
	var out Programme
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.AuditProgramme(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return isms.StaleVersion("audit programme", "")
		}
		after := isms.AuditProgramme{CycleStart: start, Notes: strings.TrimSpace(in.Notes), UpdatedAt: s.now(), Version: before.Version}
		if err := tx.SaveAuditProgramme(ctx, a.OrgID, &after); err != nil {
			return err
		}
		action := "update"
		if before.Version == 0 {
			action = "create"
		}
		if err := s.audit(ctx, tx, a, action, "audit programme", a.OrgID, "", before, after); err != nil {
			return err
		}
		out, err = s.programme(ctx, tx, a)
		return err
	})
	return out, err
}
