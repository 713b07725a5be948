package service

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The writes of a register built on the kit and edited through an input type: every register's add, update
// and patch go through writeRow.

// writeRow is writeAs for a register edited through an input type In: a whole input (add; a PUT must send the
// required fields), or a partial one (patch: the fields sent laid over the saved row). apply validates the
// input and copies it onto the row, resolving what it names with one scoped query each.
func writeRow[In, T, F any](ctx context.Context, s *Service, reg *store.Register[T, F], kind, ref string, in In, version int, sent Sent,
	required []string, patch bool, apply func(tx *store.Tx, a Actor, in In, row *T) error) (T, error) {
	return writeRowAs(ctx, s, isms.PermWriteContent, reg, kind, ref, in, version, sent, required, patch, apply, rowHooks[T]{})
}

// rowHooks are what a register with rows of other tables (an audit's team and checklist) adds to writeRowAs:
// Load completes the saved row before the change (change.Load), Saved writes the other tables once the row is
// saved (a new row exists by then), both in the write's transaction and before its audit event.
type rowHooks[T any] struct {
	Load, Saved func(tx *store.Tx, a Actor, row *T) error
}

// writeRowAs is writeRow for a register written with another permission than editing ISMS content (findings:
// auditors too), with hooks.
func writeRowAs[In, T, F any](ctx context.Context, s *Service, perm isms.Permission, reg *store.Register[T, F], kind, ref string, in In,
	version int, sent Sent, required []string, patch bool, apply func(tx *store.Tx, a Actor, in In, row *T) error, hooks rowHooks[T]) (T, error) {
	var check func() error
	if !patch && ref != "" {
		check = func() error { return sent.require(required...) }
	}
	return writeAs(ctx, s, perm, reg, change[T]{Ref: ref, Version: version, Kind: kind, Check: check, Load: hooks.Load, Saved: hooks.Saved,
		Apply: func(tx *store.Tx, a Actor, row *T) error {
			if patch {
				in = overlay(inputOf[In](*row), in, sent)
			}
			return apply(tx, a, in, row)
		}})
}

// stampTimes sets a row's times: created (when new) and updated now.
func (s *Service) stampTimes(created, updated *time.Time, isNew bool) {
	now := s.now()
	if isNew {
		*created = now
	}
	*updated = now
}
