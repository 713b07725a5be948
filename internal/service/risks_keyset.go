package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Keyset is a page of a list read by keyset, with the cursors of the pages around it.
type Keyset[T any] = store.Keyset[T]

// Seek asks for a page read by keyset: after a cursor, before one, or the first.
type Seek = store.Seek

// RiskPage is a page of the register read by keyset, with the cursor of the next page.
type RiskPage = store.RiskPage

// ListRisksAfter reads the page of the register after cursor ("" for the first page) by keyset, so that a deep
// page costs what the first one does.
func (s *Service) ListRisksAfter(ctx context.Context, f RiskFilter, cursor string, limit int) (RiskPage, error) {
	return s.ListRisksKeyset(ctx, f, Seek{After: cursor, Limit: limit})
}

// ListRisksBefore reads the page of the register that ends just before cursor by keyset: where a Previous link
// of a page read by ListRisksAfter leads.
func (s *Service) ListRisksBefore(ctx context.Context, f RiskFilter, cursor string, limit int) (RiskPage, error) {
	return s.ListRisksKeyset(ctx, f, Seek{Before: cursor, Limit: limit})
}

// ListRisksKeyset reads the page of the register sk asks for, by keyset.
func (s *Service) ListRisksKeyset(ctx context.Context, f RiskFilter, sk Seek) (RiskPage, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (RiskPage, error) {
		return tx.ListRisksKeyset(ctx, a.OrgID, f, sk)
	})
}

// ListActionsKeyset reads the page of the treatment plan sk asks for, by keyset (due date and reference).
func (s *Service) ListActionsKeyset(ctx context.Context, f ActionFilter, sk Seek) (Keyset[isms.TreatmentAction], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (Keyset[isms.TreatmentAction], error) {
		return tx.ListActionsKeyset(ctx, a.OrgID, f, sk)
	})
}
