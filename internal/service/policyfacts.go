package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/policy"
	"github.com/praxis-isms/praxis/internal/store"
)

// policyFacts gathers what a policy template is filled with from the organisation's own records, in one read:
// its name, the scope statement, the role holders (the ISMS owner and sponsor by kind, every role by name),
// the risk method and the SoA decisions.
func (s *Service) policyFacts(ctx context.Context, tx *store.Tx, a Actor) (policy.Facts, error) {
	f := policy.Facts{OrgName: a.OrgName, Roles: map[string]string{}, Applicable: map[string]bool{}, Today: s.now()}
	scope, err := tx.Scope(ctx, a.OrgID)
	if err != nil {
		return f, err
	}
	f.ScopeStatement = scope.Statement
	roles, err := store.Roles.List(ctx, tx, a.OrgID, store.RoleFilter{}, store.Page{Limit: store.MaxPageSize})
	if err != nil {
		return f, err
	}
	for _, r := range roles.Items {
		f.Roles[r.Name] = r.PersonName
		switch r.Kind {
		case "isms-owner":
			f.ISMSOwner = r.PersonName
		case "sponsor":
			f.Sponsor = r.PersonName
		}
	}
	if f.Method, err = tx.RiskMethod(ctx, a.OrgID); err != nil {
		return f, err
	}
	entries, err := tx.SoA(ctx, a.OrgID)
	if err != nil {
		return f, err
	}
	for _, e := range entries {
		if e.Applicable != nil {
			f.Applicable[e.Control] = *e.Applicable
		}
	}
	return f, nil
}

// PolicyFacts returns the facts the policy templates are filled with for the actor's organisation.
func (s *Service) PolicyFacts(ctx context.Context) (policy.Facts, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (policy.Facts, error) {
		return s.policyFacts(ctx, tx, a)
	})
}
