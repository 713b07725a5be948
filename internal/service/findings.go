package service

import (
	"context"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// FindingFilter narrows the finding list.
type FindingFilter = store.FindingFilter

// FindingRegister is the declaration of the findings register.
var FindingRegister = store.Findings

// FindingInput is the editable part of a finding. Audit is an audit's reference; Clause a clause id (8.1) and
// Control a 2022 control id (8.28 or A.8.28): at least one of the two.
type FindingInput struct {
	Title       string `json:"title" doc:"What was found, in a line"`
	Description string `json:"description" doc:"What was found, in full: the requirement and how it is not met"`
	Grade       string `json:"grade" doc:"major-nc, minor-nc, observation or ofi (opportunity for improvement)"`
	Source      string `json:"source" doc:"internal-audit (the default), certification-audit, incident, complaint or other"`
	Audit       string `json:"audit" doc:"The audit that raised it (AU-001), if any"`
	// Certification names a certification audit; the finding's source is then certification-audit.
	Certification string `json:"certification" doc:"The certification audit that raised it (CERT-001), if any; its source is then certification-audit"`
	Clause        string `json:"clause" doc:"The clause it is held against (8.1); a clause or a control is required"`
	Control       string `json:"control" doc:"The Annex A control it is held against (8.28)"`
	EvidenceSeen  string `json:"evidence_seen" doc:"The evidence seen"`
	RaisedBy      string `json:"raised_by" doc:"Who raised it (default: you)"`
	RaisedOn      string `json:"raised_on" doc:"When, YYYY-MM-DD (default: today)"`
	Status        string `json:"status" doc:"open (the default) or closed; a nonconformity closes when its corrective actions are closed"`
	Version       int    `json:"version" doc:"The version read; required for a change"`
	Sent          Sent   `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *FindingInput) UnmarshalJSON(b []byte) error {
	type plain FindingInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// apply validates in and copies it onto f: the audit found among audits, the clause and control in the catalog.
func (s *Service) applyFinding(p *isms.Problems, a Actor, in FindingInput, audits, certs map[string]store.Target, f *isms.Finding) {
	isms.CheckText(p, "title", in.Title, 200)
	grade := strings.ToLower(strings.TrimSpace(in.Grade))
	if !isms.OneOf(grade, isms.FindingGrades) {
		p.Add("grade", "must be one of %s", strings.Join(isms.FindingGrades, ", "))
	}
	source := firstNonEmpty(strings.ToLower(strings.TrimSpace(in.Source)), "internal-audit")
	if !isms.OneOf(source, isms.FindingSources) {
		p.Add("source", "must be one of %s", strings.Join(isms.FindingSources, ", "))
	}
	status := firstNonEmpty(strings.ToLower(strings.TrimSpace(in.Status)), "open")
	if !isms.OneOf(status, isms.FindingStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.FindingStatuses, ", "))
	}
	clause, control := s.clauseID(p, "clause", in.Clause), s.controlID(p, "control", in.Control)
	if strings.TrimSpace(in.Clause) == "" && strings.TrimSpace(in.Control) == "" {
		p.Add("clause", "name the clause or the control the finding is held against")
	}
	raisedOn := firstNonEmpty(strings.TrimSpace(in.RaisedOn), s.Today())
	checkDate(p, "raised_on", raisedOn)
	isms.CheckText(p, "raised_by", firstNonEmpty(strings.TrimSpace(in.RaisedBy), a.Name), 200)
	checkLong(p, map[string]string{"description": in.Description, "evidence_seen": in.EvidenceSeen})
	audit := resolveTarget(p, "audit", in.Audit, audits, "audit")
	cert := resolveTarget(p, "certification", in.Certification, certs, "certification audit")
	if cert.ID != "" {
		source = "certification-audit"
		if audit.ID != "" {
			p.Add("certification", "a finding comes from an internal audit (%s) or a certification audit (%s), not both", audit.Ref, cert.Ref)
		}
	}
	f.CertificationID, f.Certification, f.CertificationKind = cert.ID, cert.Ref, cert.Name
	f.Title, f.Description, f.Grade, f.Source = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), grade, source
	f.AuditID, f.Audit, f.AuditTitle = audit.ID, audit.Ref, audit.Name
	f.Clause, f.Control, f.EvidenceSeen = clause, control, strings.TrimSpace(in.EvidenceSeen)
	f.RaisedBy, f.RaisedOn, f.Status = firstNonEmpty(strings.TrimSpace(in.RaisedBy), a.Name), raisedOn, status
}

// clauseID is v as a catalog clause id ("" for none); an unknown clause is a problem of field.
func (s *Service) clauseID(p *isms.Problems, field, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	c, ok := s.cat.Clause(v)
	if !ok {
		p.Add(field, "no clause %q: use a clause of ISO/IEC 27001 such as 9.2", v)
		return ""
	}
	return c.ID
}

// controlID is v as a 2022 control id ("" for none); an unknown control is a problem of field.
func (s *Service) controlID(p *isms.Problems, field, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	c, ok := s.cat.Control(v)
	if !ok {
		p.Add(field, "no Annex A control %q: use a 2022 control id such as 8.28", v)
		return ""
	}
	return c.ID
}

// ListFindings lists the findings.
func (s *Service) ListFindings(ctx context.Context, f FindingFilter, p Page) (List[isms.Finding], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Finding], error) {
		return store.Findings.List(ctx, tx, a.OrgID, f, p)
	})
}

// Finding returns one finding by reference (F-001) or id.
func (s *Service) Finding(ctx context.Context, ref string) (isms.Finding, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Finding, error) {
		return store.Findings.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddFinding records a finding.
func (s *Service) AddFinding(ctx context.Context, in FindingInput) (isms.Finding, error) {
	return s.writeFinding(ctx, "", in, false)
}

// UpdateFinding changes a finding as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateFinding(ctx context.Context, ref string, in FindingInput) (isms.Finding, error) {
	return s.writeFinding(ctx, ref, in, false)
}

// PatchFinding changes only the fields in.Sent names.
func (s *Service) PatchFinding(ctx context.Context, ref string, in FindingInput) (isms.Finding, error) {
	return s.writeFinding(ctx, ref, in, true)
}

// DeleteFinding removes a finding; its corrective actions stay, no longer linked.
func (s *Service) DeleteFinding(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermPlanAudits, store.Findings, ref, nil)
}

func (s *Service) writeFinding(ctx context.Context, ref string, in FindingInput, patch bool) (isms.Finding, error) {
	return writeRowAs(ctx, s, isms.PermPlanAudits, store.Findings, "F", ref, in, in.Version, in.Sent, []string{"title", "grade"}, patch,
		func(tx *store.Tx, a Actor, in FindingInput, f *isms.Finding) error {
			audits, err := tx.Resolve(ctx, a.OrgID, store.AuditLookup, []string{in.Audit})
			if err != nil {
				return err
			}
			certs, err := tx.Resolve(ctx, a.OrgID, store.CertificationLookup, []string{in.Certification})
			if err != nil {
				return err
			}
			var p isms.Problems
			s.applyFinding(&p, a, in, audits, certs, f)
			if err := p.Err(); err != nil {
				return err
			}
			// A nonconformity stays open while a corrective action of it is open (10.2).
			if f.Status == "closed" && isms.Nonconformity(f.Grade) && ref != "" {
				open, _, err := tx.OpenCorrectiveActions(ctx, a.OrgID, f.ID)
				if err != nil {
					return err
				}
				if open > 0 {
					p.Add("status", "%s has %d open corrective action(s): close them first", f.Ref, open)
					return p.Err()
				}
			}
			s.stampTimes(&f.CreatedAt, &f.UpdatedAt, ref == "")
			return nil
		}, rowHooks[isms.Finding]{})
}

// syncFindingStatus closes a finding once it has corrective actions and all of them are closed, and opens it
// again when one of them reopens; a finding without corrective actions keeps the status people gave it. The
// corrective actions call it in the transaction that changes one of them (status 'closed' counts as closed),
// and the change is audited there.
//
//lint:ignore U1000 the corrective actions (branch corrective) call it; remove this line when they do.
func (s *Service) syncFindingStatus(ctx context.Context, tx *store.Tx, a Actor, findingID string) error {
	if findingID == "" {
		return nil
	}
	open, all, err := tx.OpenCorrectiveActions(ctx, a.OrgID, findingID)
	if err != nil || all == 0 {
		return err
	}
	before, err := store.Findings.Get(ctx, tx, a.OrgID, findingID)
	if err != nil {
		return err
	}
	status := "closed"
	if open > 0 {
		status = "open"
	}
	if before.Status == status {
		return nil
	}
	after := before
	after.Status, after.UpdatedAt, after.Version = status, s.now(), before.Version+1
	if err := tx.SetFindingStatus(ctx, a.OrgID, findingID, status, after.UpdatedAt); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "update", store.Findings.Entity, after.ID, after.Ref, before, after)
}

// ExportFindings writes the matching findings as csv, xlsx or pdf (or csv-excel).
func (s *Service) ExportFindings(ctx context.Context, f FindingFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Findings", Title: "Findings", Columns: []table.Column{
		col("ref", 8, false), col("title", 36, true), col("grade", 12, false), col("source", 14, false), col("audit", 9, false),
		col("certification", 10, false), col("clause", 8, false), col("control", 8, false), col("description", 40, true), col("evidence_seen", 36, true),
		col("raised_by", 18, true), col("raised_on", 11, false), col("status", 8, false), col("version", 7, false)}}
	sheet.Columns[2].Allowed, sheet.Columns[12].Allowed = isms.FindingGrades, isms.FindingStatuses
	return exportRegister(ctx, s, store.Findings, f, format, w, sheet, func(x isms.Finding) table.Row {
		return table.Row{x.Ref, x.Title, x.Grade, x.Source, x.Audit, x.Certification, x.Clause, x.Control, x.Description, x.EvidenceSeen,
			x.RaisedBy, x.RaisedOn, x.Status, x.Version}
	}, exportFacts(store.Findings, f, "every finding"))
}
