package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// RiskPage is a page of the register read by keyset, with the cursor of the next page.
type RiskPage = store.RiskPage

// ListRisksAfter reads the page of the register after cursor ("" for the first page) by keyset, so that a deep
// page costs what the first one does.
func (s *Service) ListRisksAfter(ctx context.Context, f RiskFilter, cursor string, limit int) (RiskPage, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (RiskPage, error) {
		return tx.ListRisksAfter(ctx, a.OrgID, f, cursor, limit)
	})
}

// ListRisksBefore reads the page of the register that ends just before cursor by keyset: where a Previous link
// of a page read by ListRisksAfter leads.
func (s *Service) ListRisksBefore(ctx context.Context, f RiskFilter, cursor string, limit int) (RiskPage, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (RiskPage, error) {
		return tx.ListRisksBefore(ctx, a.OrgID, f, cursor, limit)
	})
}
