package service

import (
	"context"
	"io"

	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ExportCorrectiveOSCAL writes the corrective actions not yet closed as an OSCAL plan of action and milestones.
func (s *Service) ExportCorrectiveOSCAL(ctx context.Context, w io.Writer) error {
	b, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]byte, error) {
		org, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		var open []isms.CorrectiveAction
		err = store.CorrectiveActions.Each(ctx, tx, a.OrgID, CorrectiveFilter{Open: "yes"}, func(c isms.CorrectiveAction) error {
			open = append(open, c)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return oscal.POAM(org, open, s.now())
	})
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ExportFindingsOSCAL writes findings as OSCAL assessment results: those of one audit (audit, its reference) or
// all of them.
func (s *Service) ExportFindingsOSCAL(ctx context.Context, audit string, w io.Writer) error {
	b, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]byte, error) {
		org, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		scope := ""
		if audit != "" {
			au, err := store.Audits.Get(ctx, tx, a.OrgID, audit)
			if err != nil {
				return nil, err
			}
			audit, scope = au.Ref, au.Ref+" "+au.Title
		}
		var found []isms.Finding
		err = store.Findings.Each(ctx, tx, a.OrgID, FindingFilter{Audit: audit}, func(f isms.Finding) error {
			found = append(found, f)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return oscal.AssessmentResults(org, scope, found, s.now())
	})
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
