package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// AuditChecklist is an audit with its checklist, each item with its prompts from the catalog.
type AuditChecklist struct {
	Audit isms.Audit       `json:"audit"`
	Items []isms.AuditItem `json:"items"`
}

// AuditItemInput is what an auditor records against a checklist item.
type AuditItemInput struct {
	Result       string `json:"result" doc:"conforms, nonconformity, observation or not-audited; empty: not yet audited"`
	EvidenceSeen string `json:"evidence_seen" doc:"The evidence seen"`
	Notes        string `json:"notes" doc:"Notes"`
	Sent         Sent   `json:"-"`
}

// UnmarshalJSON records the fields sent: a field left out keeps its saved value.
func (in *AuditItemInput) UnmarshalJSON(b []byte) error {
	type plain AuditItemInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// Checklist returns an audit and its checklist.
func (s *Service) Checklist(ctx context.Context, ref string) (AuditChecklist, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (AuditChecklist, error) {
		return s.checklist(ctx, tx, a, ref)
	})
}

func (s *Service) checklist(ctx context.Context, tx *store.Tx, a Actor, ref string) (AuditChecklist, error) {
	au, err := s.loadAudit(ctx, tx, a, ref)
	if err != nil {
		return AuditChecklist{}, err
	}
	items, err := tx.AuditItems(ctx, a.OrgID, au.ID)
	for i := range items {
		s.describeItem(&items[i])
	}
	return AuditChecklist{Audit: au, Items: items}, err
}

// describeItem gives an item its title and prompts: for a clause what auditors check, for a control the evidence
// its guidance lists.
func (s *Service) describeItem(it *isms.AuditItem) {
	it.Prompts = []string{}
	if it.Kind == "clause" {
		if c, ok := s.cat.Clause(it.Target); ok {
			it.Title, it.Prompts = c.Title, append(it.Prompts, c.AuditorChecks...)
		}
		return
	}
	if c, ok := s.cat.Control(it.Target); ok {
		it.Title = c.Title
		if c.Guidance != nil {
			it.Prompts = append(it.Prompts, c.Guidance.Evidence...)
		}
	}
}

// findItem finds the item key names: "A.8.28" or "control 8.28" a control, "clause 8.2" a clause, a bare id
// whichever of the two the checklist holds (8.2 is both a clause and a control: then it must say which).
func findItem(items []isms.AuditItem, key string) (int, error) {
	k := strings.ToLower(strings.TrimSpace(key))
	kind := ""
	switch {
	case strings.HasPrefix(k, "a."):
		kind, k = "control", k[2:]
	case strings.HasPrefix(k, "control "):
		kind, k = "control", strings.TrimSpace(k[len("control "):])
	case strings.HasPrefix(k, "clause "):
		kind, k = "clause", strings.TrimSpace(k[len("clause "):])
	}
	found := -1
	for i, it := range items {
		if it.Target == k && (kind == "" || it.Kind == kind) {
			if found >= 0 {
				return -1, isms.Invalid(isms.FieldError{Field: "item", Message: fmt.Sprintf("%q is both a clause and a control here: say clause %s or A.%s", key, k, k)})
			}
			found = i
		}
	}
	if found < 0 {
		return -1, isms.NotFound("checklist item %s not found", key)
	}
	return found, nil
}

// SetAuditItem records the result, evidence and notes of one checklist item (named as findItem reads it). The
// first result recorded starts a planned audit; a completed or cancelled audit's checklist no longer changes.
func (s *Service) SetAuditItem(ctx context.Context, ref, item string, in AuditItemInput) (isms.AuditItem, error) {
	a, err := require(ctx, isms.PermWriteAudits)
	if err != nil {
		return isms.AuditItem{}, err
	}
	var out isms.AuditItem
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		au, err := store.Audits.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return err
		}
		if au.Status == "completed" || au.Status == "cancelled" {
			return isms.Conflict("audit %s is %s: its checklist no longer changes", au.Ref, au.Status)
		}
		items, err := tx.AuditItems(ctx, a.OrgID, au.ID)
		if err != nil {
			return err
		}
		i, err := findItem(items, item)
		if err != nil {
			return err
		}
		before := items[i]
		it := before
		if in.Sent == nil || in.Sent["result"] {
			it.Result = strings.ToLower(strings.TrimSpace(in.Result))
		}
		if in.Sent == nil || in.Sent["evidence_seen"] {
			it.EvidenceSeen = strings.TrimSpace(in.EvidenceSeen)
		}
		if in.Sent == nil || in.Sent["notes"] {
			it.Notes = strings.TrimSpace(in.Notes)
		}
		var p isms.Problems
		if it.Result != "" && !isms.OneOf(it.Result, isms.ItemResults) {
			p.Add("result", "must be one of %s", strings.Join(isms.ItemResults, ", "))
		}
		checkLong(&p, map[string]string{"evidence_seen": it.EvidenceSeen, "notes": it.Notes})
		if err := p.Err(); err != nil {
			return err
		}
		now := s.now()
		it.UpdatedBy, it.UpdatedAt = a.Name, &now
		if err := tx.SetAuditItem(ctx, a.OrgID, au.ID, it); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "update", "audit item", au.ID, au.Ref+" "+it.Label(), before, it); err != nil {
			return err
		}
		if au.Status == "planned" && it.Result != "" {
			if err := s.startAudit(ctx, tx, a, au); err != nil {
				return err
			}
		}
		s.describeItem(&it)
		out = it
		return nil
	})
	return out, err
}

// startAudit moves a planned audit to in-progress, from today unless it has an actual start.
func (s *Service) startAudit(ctx context.Context, tx *store.Tx, a Actor, au isms.Audit) error {
	after := au
	after.Status, after.ActualStart, after.UpdatedAt = "in-progress", firstNonEmpty(au.ActualStart, s.Today()), s.now()
	if err := store.Audits.Update(ctx, tx, a.OrgID, &after); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "update", store.Audits.Entity, au.ID, au.Ref, au, after)
}

// FindingFromItem is the finding a checklist item suggests: held against the item's clause or control, graded
// from its result (a nonconformity minor until someone says major), with its evidence.
func FindingFromItem(au isms.Audit, it isms.AuditItem) FindingInput {
	in := FindingInput{Audit: au.Ref, Source: "internal-audit", EvidenceSeen: it.EvidenceSeen, Description: it.Notes,
		Title: strings.TrimSpace(it.Label() + " " + it.Title)}
	in.Grade = "observation"
	if it.Result == "nonconformity" {
		in.Grade = "minor-nc"
	}
	if it.Kind == "control" {
		in.Control = it.Target
	} else {
		in.Clause = it.Target
	}
	return in
}

// RaiseFinding raises a finding from a checklist item: the item's suggestion (FindingFromItem), with the fields
// in sends laid over it.
func (s *Service) RaiseFinding(ctx context.Context, ref, item string, in FindingInput) (isms.Finding, error) {
	cl, err := s.Checklist(ctx, ref)
	if err != nil {
		return isms.Finding{}, err
	}
	i, err := findItem(cl.Items, item)
	if err != nil {
		return isms.Finding{}, err
	}
	sent := in.Sent
	if sent == nil { // an input built in Go: its non-empty fields
		sent = Sent{}
		for _, f := range InputFields(&in) {
			if v, ok := f.Ptr.(*string); ok && strings.TrimSpace(*v) != "" {
				sent[f.Name] = true
			}
		}
	}
	draft := overlay(FindingFromItem(cl.Audit, cl.Items[i]), in, sent)
	draft.Version, draft.Sent = 0, nil
	return s.AddFinding(ctx, draft)
}
