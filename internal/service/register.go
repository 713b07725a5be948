package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// change is one write of a register row for writeAs.
type change[T any] struct {
	Ref     string // the row to change (reference or id); "" adds a new row
	Version int    // the version the caller read; required for a change
	Kind    string // the reference prefix of new rows ("A" gives A-001)
	// Check validates the input before the transaction starts (optional).
	Check func() error
	// Apply validates the caller's input and applies it to row (a copy of the saved row, or a zero row with
	// its ID and Ref set), resolving the references it needs with one scoped query each.
	Apply func(tx *store.Tx, a Actor, row *T) error
	// Load completes the saved row with what is derived rather than stored (optional), before the version check,
	// so that the audit event's before and after states carry the same fields.
	Load func(tx *store.Tx, a Actor, row *T) error
	// Saved writes what belongs to the row in other tables (optional), after its insert or update and before the
	// audit event, so that the event's after state carries it.
	Saved func(tx *store.Tx, a Actor, row *T) error
	// After writes what goes with the saved row in other tables (a task's checklist, its next occurrence),
	// after the row's audit event and in the same transaction (optional).
	After func(tx *store.Tx, a Actor, row *T) error
}

// after runs c.After, if any, on the saved row.
func (c change[T]) after(tx *store.Tx, a Actor, row *T) error {
	if c.After == nil {
		return nil
	}
	return c.After(tx, a, row)
}

// writeAs is the shape of every write of a register: the caller's role (perm), one transaction, the row loaded
// by reference (or a new one with the next reference), Apply, the version check, the save and the audit event
// in that same transaction. A missing version is Invalid ("version: is required"), a stale one a Conflict, and
// either changes nothing.
func writeAs[T, F any](ctx context.Context, s *Service, perm isms.Permission, reg *store.Register[T, F], c change[T]) (T, error) {
	var out T
	a, err := require(ctx, perm)
	if err != nil {
		return out, err
	}
	if c.Check != nil {
		if err := c.Check(); err != nil {
			return out, err
		}
	}
	if c.Ref != "" && c.Version < 1 {
		return out, isms.VersionMismatch(reg.Entity, c.Ref, c.Version)
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if c.Ref == "" {
			return addRow(ctx, s, tx, a, reg, c, &out)
		}
		before, err := reg.Get(ctx, tx, a.OrgID, c.Ref)
		if err != nil {
			return err
		}
		if c.Load != nil {
			if err := c.Load(tx, a, &before); err != nil {
				return err
			}
		}
		if *reg.Version(&before) != c.Version {
			return isms.StaleVersion(reg.Entity, *reg.Ref(&before))
		}
		row := before
		if err := c.Apply(tx, a, &row); err != nil {
			return err
		}
		if err := reg.Update(ctx, tx, a.OrgID, &row); err != nil {
			return err
		}
		if c.Saved != nil {
			if err := c.Saved(tx, a, &row); err != nil {
				return err
			}
		}
		out = row
		if err := s.audit(ctx, tx, a, "update", reg.Entity, *reg.ID(&row), *reg.Ref(&row), before, row); err != nil {
			return err
		}
		return c.after(tx, a, &out)
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// addRow is writeAs for a new row: Apply, then the next reference, the insert and the audit event.
func addRow[T, F any](ctx context.Context, s *Service, tx *store.Tx, a Actor, reg *store.Register[T, F], c change[T], out *T) error {
	var row T
	*reg.ID(&row) = store.NewID()
	if err := c.Apply(tx, a, &row); err != nil {
		return err
	}
	ref, err := tx.NextRef(ctx, a.OrgID, c.Kind)
	if err != nil {
		return err
	}
	*reg.Ref(&row) = ref
	if err := reg.Insert(ctx, tx, a.OrgID, &row); err != nil {
		return err
	}
	if c.Saved != nil {
		if err := c.Saved(tx, a, &row); err != nil {
			return err
		}
	}
	*out = row
	if err := s.audit(ctx, tx, a, "create", reg.Entity, *reg.ID(&row), ref, nil, row); err != nil {
		return err
	}
	return c.after(tx, a, out)
}

// deleteAs removes one row of a register: the caller's role (perm), one transaction, the row loaded by
// reference, describe (optional: what else goes with it, for the trail) and the delete with its audit event.
func deleteAs[T, F any](ctx context.Context, s *Service, perm isms.Permission, reg *store.Register[T, F], ref string,
	describe func(tx *store.Tx, a Actor, row *T) error) error {
	a, err := require(ctx, perm)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := reg.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return err
		}
		if describe != nil {
			if err := describe(tx, a, &before); err != nil {
				return err
			}
		}
		if err := reg.Delete(ctx, tx, a.OrgID, *reg.ID(&before)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "delete", reg.Entity, *reg.ID(&before), *reg.Ref(&before), before, nil)
	})
}
