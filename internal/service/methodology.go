package service

import (
	"context"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/policy"
	"github.com/praxis-isms/praxis/internal/store"
)

// The risk assessment and treatment methodology (clauses 6.1.2 and 6.1.3) is a controlled document drafted
// from the organisation's risk method: one per organisation, the document whose template is MethodologyTemplate.
// A change of the risk method drafts its next version, to review and approve like any document.

// MethodologyTemplate is the policy template of the methodology document.
const MethodologyTemplate = "risk-methodology"

// Methodology is the state of the methodology document.
type Methodology struct {
	Ref      string `json:"ref,omitempty" doc:"The document's reference; empty until it is drafted"`
	Status   string `json:"status,omitempty" doc:"Status of its latest version"`
	Latest   int    `json:"latest_version,omitempty"`
	Approved int    `json:"approved_version,omitempty" doc:"The version in force; 0 when none is approved"`
	// Pending is true while the latest method is not in an approved version: the organisation should review and
	// approve the methodology before it assesses risks on it.
	Pending bool `json:"pending"`
}

func methodologyOf(d store.TemplateDocument) Methodology {
	return Methodology{Ref: d.Ref, Status: d.Status, Latest: d.Latest, Approved: d.Approved, Pending: d.Approved == 0 || d.Latest != d.Approved}
}

// RiskMethodology returns the state of the organisation's methodology document.
func (s *Service) RiskMethodology(ctx context.Context) (Methodology, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (Methodology, error) {
		d, ok, err := tx.DocumentByTemplate(ctx, a.OrgID, MethodologyTemplate)
		if err != nil || !ok {
			return Methodology{Pending: true}, err
		}
		return methodologyOf(d), nil
	})
}

// DraftRiskMethodology drafts the methodology document from the risk method, or returns the one there is.
func (s *Service) DraftRiskMethodology(ctx context.Context) (Methodology, error) {
	if _, err := require(ctx, isms.PermWriteContent); err != nil {
		return Methodology{}, err
	}
	m, err := s.RiskMethodology(ctx)
	if err != nil || m.Ref != "" {
		return m, err
	}
	d, err := s.AddDocument(ctx, DocumentInput{Template: MethodologyTemplate, Classification: "internal"})
	if isms.ErrorKind(err) == isms.KindConflict { // drafted at the same time by someone else
		return s.RiskMethodology(ctx)
	}
	if err != nil {
		return Methodology{}, err
	}
	return methodologyOf(store.TemplateDocument{Ref: d.Ref, Status: d.Status, Latest: d.Latest, Approved: d.Approved}), nil
}

// refuseSecondMethodology keeps the methodology one document per organisation.
func refuseSecondMethodology(ctx context.Context, tx *store.Tx, orgID, template string) error {
	if template != MethodologyTemplate {
		return nil
	}
	d, ok, err := tx.DocumentByTemplate(ctx, orgID, MethodologyTemplate)
	if err != nil || !ok {
		return err
	}
	return isms.Conflict("the risk methodology is already %s: change that document", d.Ref)
}

// redraftMethodology writes the methodology drafted from the method as saved in tx into its document: a new
// draft version when the latest is approved, or the open draft. Nothing happens before the document exists.
func (s *Service) redraftMethodology(ctx context.Context, tx *store.Tx, a Actor) error {
	found, ok, err := tx.DocumentByTemplate(ctx, a.OrgID, MethodologyTemplate)
	if err != nil || !ok {
		return err
	}
	before, err := store.Documents.Get(ctx, tx, a.OrgID, found.Ref)
	if err != nil {
		return err
	}
	latest, err := tx.DocumentVersion(ctx, a.OrgID, before.ID, before.Ref, before.Latest)
	if err != nil {
		return err
	}
	facts, err := s.policyFacts(ctx, tx, a)
	if err != nil {
		return err
	}
	content, err := policy.Render(MethodologyTemplate, facts)
	if err != nil {
		return err
	}
	d := before
	now := s.stamp()
	v, err := s.writeDraft(ctx, tx, a, &d, latest, content, "The risk method changed: review and approve the methodology drafted from it", now)
	if err != nil || v == nil {
		return err
	}
	d.UpdatedAt = now
	if err := store.Documents.Update(ctx, tx, a.OrgID, &d); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "update", "document", d.ID, d.Ref, before, auditOf(d, v))
}

// templateKey is the template a new document is drafted from, as stored on it.
func templateKey(in DocumentInput) string { return strings.TrimSpace(in.Template) }

// setTemplate stores the template key on a new document drafted from one.
func setTemplate(ctx context.Context, tx *store.Tx, orgID, docID, key string) error {
	if key == "" {
		return nil
	}
	return tx.SetDocumentTemplate(ctx, orgID, docID, key)
}
