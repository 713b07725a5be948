package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Acknowledging a lint finding is top management accepting a known gap for a while: the finding stays listed
// with who, why and until when, and stops failing `praxis lint` until the day after its expiry.

// MaxAckReason bounds the reason of an acknowledgement.
const MaxAckReason = 1000

// MayAcknowledge reports whether the caller may acknowledge lint findings, for doors that offer the form only
// to those who may; AcknowledgeFinding enforces the same rule.
func MayAcknowledge(a Actor) bool {
	return a.Role == isms.RoleOwner || a.Role == isms.RoleAdmin || a.Approver
}

// acknowledger is the caller if it may acknowledge findings: owners, admins and approvers.
func acknowledger(ctx context.Context) (Actor, error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return a, err
	}
	if !MayAcknowledge(a) {
		return a, isms.Forbidden("only an owner, an admin or an approver may acknowledge a lint finding")
	}
	return a, nil
}

// lintRule finds a declared rule by id and the finding's ref, which defaults to the rule's own as findings
// without a record do; found is false for an id no check declares.
func lintRule(id, ref string) (isms.Rule, string, bool) {
	id, ref = strings.TrimSpace(id), strings.TrimSpace(ref)
	for _, r := range Rules() {
		if r.ID == id {
			if ref == "" {
				ref = r.Ref
			}
			return r, ref, true
		}
	}
	return isms.Rule{ID: id}, ref, false
}

// AcknowledgeFinding records that the finding of rule about ref (empty: the rule's own ref) is known, why, and
// until which day (YYYY-MM-DD, from today to a year ahead). Acknowledging it again replaces the reason and day.
func (s *Service) AcknowledgeFinding(ctx context.Context, rule, ref, reason, expiresOn string) (isms.LintAcknowledge, error) {
	a, err := acknowledger(ctx)
	if err != nil {
		return isms.LintAcknowledge{}, err
	}
	var p isms.Problems
	r, ref, found := lintRule(rule, ref)
	if !found {
		p.Add("rule", "no lint rule %q: `praxis lint --rules` lists them", r.ID)
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		p.Add("reason", "is required: say why the finding is accepted for now")
	case utf8.RuneCountInString(reason) > MaxAckReason:
		p.Add("reason", "must be at most %d characters", MaxAckReason)
	}
	expiresOn = strings.TrimSpace(expiresOn)
	today := s.now()
	if day, err := time.Parse(time.DateOnly, expiresOn); expiresOn == "" {
		p.Add("expires_on", "is required: the last day the acknowledgement holds (YYYY-MM-DD)")
	} else if err != nil {
		p.Add("expires_on", "must be a date as YYYY-MM-DD")
	} else if expiresOn < today.Format(time.DateOnly) {
		p.Add("expires_on", "is in the past")
	} else if limit := today.AddDate(1, 0, 0).Format(time.DateOnly); day.Format(time.DateOnly) > limit {
		p.Add("expires_on", "must be at most a year ahead (%s): look at the gap again by then", limit)
	}
	if err := p.Err(); err != nil {
		return isms.LintAcknowledge{}, err
	}
	k := isms.LintAcknowledge{ID: store.NewID(), Rule: r.ID, Ref: ref, Reason: reason, ExpiresOn: expiresOn,
		By: firstNonEmpty(a.Name, a.Email), At: s.stamp()}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, found, err := tx.LintAck(ctx, a.OrgID, k.Rule, k.Ref)
		if err != nil {
			return err
		}
		if err := tx.SaveLintAck(ctx, a.OrgID, k); err != nil {
			return err
		}
		var was any
		if found {
			was = before
		}
		return s.audit(ctx, tx, a, "acknowledge", "lint", k.ID, ackRef(k.Rule, k.Ref), was, k)
	})
	return k, err
}

// RemoveAcknowledgement withdraws the acknowledgement of rule about ref (empty: the rule's own ref), so that
// the finding counts again. The rule need not exist any more: an acknowledgement of a retired rule can go too.
func (s *Service) RemoveAcknowledgement(ctx context.Context, rule, ref string) error {
	a, err := acknowledger(ctx)
	if err != nil {
		return err
	}
	r, ref, _ := lintRule(rule, ref)
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, found, err := tx.LintAck(ctx, a.OrgID, r.ID, ref)
		if err != nil {
			return err
		}
		if !found {
			return isms.NotFound("no acknowledgement of %s", ackRef(r.ID, ref))
		}
		if err := tx.DeleteLintAck(ctx, a.OrgID, r.ID, ref); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "unacknowledge", "lint", before.ID, ackRef(r.ID, ref), before, nil)
	})
}

// ackRef names an acknowledgement in the audit trail and messages: "rule ref".
func ackRef(rule, ref string) string { return strings.TrimSpace(rule + " " + ref) }
