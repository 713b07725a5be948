package service

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ListAudit lists the audit trail, newest first. Owners, admins and auditors may read it.
func (s *Service) ListAudit(ctx context.Context, f AuditFilter, p Page) (List[isms.AuditEvent], error) {
	return readAs(ctx, s, isms.PermReadAuditTrail, func(tx *store.Tx, a Actor) (List[isms.AuditEvent], error) {
		return tx.ListAudit(ctx, a.OrgID, f, p)
	})
}

// AuditFacets returns the values the audit trail can be filtered by.
func (s *Service) AuditFacets(ctx context.Context) (entities, actions, actors []string, err error) {
	a, err := require(ctx, isms.PermReadAuditTrail)
	if err != nil {
		return nil, nil, nil, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) (err error) {
		entities, actions, actors, err = tx.AuditFacets(ctx, a.OrgID)
		return err
	})
	return entities, actions, actors, err
}

// AuditCSVHeader is the header row of the audit-trail CSV export.
var AuditCSVHeader = []string{"seq", "at", "actor", "via", "action", "entity", "ref", "entity_id", "before", "after", "prev_hash", "hash"}

// ExportAuditCSV streams the matching events, oldest first, as CSV (UTF-8 with a BOM so that Excel reads it).
func (s *Service) ExportAuditCSV(ctx context.Context, f AuditFilter, w io.Writer) error {
	a, err := require(ctx, isms.PermReadAuditTrail)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(AuditCSVHeader); err != nil {
		return err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		return tx.EachAudit(ctx, a.OrgID, f, func(e *isms.AuditEvent) error {
			return cw.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.Format(isms.TimeFormat), csvSafe(e.Actor), e.Via, e.Action, e.Entity,
				csvSafe(e.Ref), e.EntityID, csvSafe(string(e.Before)), csvSafe(string(e.After)), e.PrevHash, e.Hash})
		})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formula injection: a cell that starts with = + - @ is prefixed with a quote.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// VerifyResult reports the check of one organisation's hash chain.
type VerifyResult struct {
	Org    string           `json:"org"`
	Events int64            `json:"events"`
	Intact bool             `json:"intact"`
	Break  *isms.ChainBreak `json:"break,omitempty"`
}

// VerifyAuditTrail recomputes every organisation's hash chain (operator task: the CLI has the database).
func (s *Service) VerifyAuditTrail(ctx context.Context, orgSlug string) ([]VerifyResult, error) {
	var out []VerifyResult
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = verifyChains(ctx, tx, orgSlug)
		return err
	})
	return out, err
}

// verifyChains checks the chains of every organisation (or of the one named) as tx sees them.
func verifyChains(ctx context.Context, tx *store.Tx, orgSlug string) ([]VerifyResult, error) {
	orgs, err := tx.AllOrgs(ctx)
	if err != nil {
		return nil, err
	}
	var out []VerifyResult
	for _, o := range orgs {
		if orgSlug != "" && o.Slug != orgSlug {
			continue
		}
		v := isms.NewChainVerifier()
		var brk *isms.ChainBreak
		err := tx.EachAudit(ctx, o.ID, store.AuditFilter{}, func(e *isms.AuditEvent) error {
			if brk == nil {
				brk = v.Next(e)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if brk == nil {
			seq, head, err := tx.AuditHead(ctx, o.ID)
			if err != nil {
				return nil, err
			}
			brk = v.Finish(seq, head)
		}
		out = append(out, VerifyResult{Org: o.Slug, Events: v.Checked, Intact: brk == nil, Break: brk})
	}
	if len(out) == 0 && orgSlug != "" {
		return nil, isms.NotFound("organisation %q not found", orgSlug)
	}
	return out, nil
}
