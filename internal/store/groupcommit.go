package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// groupCommit lets SQLite writes that arrive while another is running share one transaction and so one sync to
// disk, the largest cost of a small write. SQLite has one writer at a time anyway: the writes queue, and one
// goroutine runs every write queued so far back to back in one transaction, each inside a savepoint of its own,
// then commits and only then answers each caller. A write that fails is rolled back to its savepoint alone; the
// others of its group are kept. A lone write runs as before, without a savepoint.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*groupWrite
	running bool // a goroutine is running the queue
}

// groupWrite is one caller's write, answered on done once its group committed or it failed.
type groupWrite struct {
	ctx   context.Context
	fn    func(*Tx) error
	done  chan error
	panic any // fn panicked with this: the caller panics with it again
}

// maxGroup bounds how many writes share one transaction, so that a long queue still answers as it goes.
const maxGroup = 64

func (g *groupCommit) write(ctx context.Context, s *Store, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	w := &groupWrite{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	if !g.running {
		g.running = true
		go g.run(s)
	}
	g.mu.Unlock()
	err := <-w.done
	if w.panic != nil {
		panic(w.panic)
	}
	return err
}

// run commits the queue a group at a time until it is empty.
func (g *groupCommit) run(s *Store) {
	for {
		g.mu.Lock()
		n := min(len(g.queue), maxGroup)
		if n == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		group := g.queue[:n:n]
		g.queue = g.queue[n:]
		g.mu.Unlock()
		g.commit(s, group)
		s.writeStmts.prepareNew(context.Background())
	}
}

// commit runs one group in one transaction and answers every write of it.
func (g *groupCommit) commit(s *Store, group []*groupWrite) {
	answer := func(ws []*groupWrite, err error) {
		for _, w := range ws {
			w.done <- err
		}
	}
	// The transaction belongs to the whole group: no single caller's context may end it.
	tx, err := s.DB.W.BeginTx(context.Background(), nil)
	if err != nil {
		answer(group, fmt.Errorf("begin: %w", err))
		return
	}
	if len(group) == 1 {
		w := group[0]
		if err := w.run(s, tx); err != nil {
			tx.Rollback()
			answer(group, err)
			return
		}
		answer(group, commitErr(tx.Commit()))
		return
	}
	var kept []*groupWrite
	for i, w := range group {
		if _, err := tx.Exec("SAVEPOINT w"); err != nil {
			tx.Rollback()
			answer(kept, fmt.Errorf("not saved: %w", err))
			answer(group[i:], fmt.Errorf("begin: %w", err))
			return
		}
		err := w.run(s, tx)
		if err != nil {
			if _, rerr := tx.Exec("ROLLBACK TO w"); rerr != nil {
				// The transaction is in an unknown state: nothing of it may be kept.
				tx.Rollback()
				answer(kept, fmt.Errorf("not saved: %w", rerr))
				answer(group[i:i+1], err)
				answer(group[i+1:], fmt.Errorf("not saved: %w", rerr))
				return
			}
			w.done <- err
		} else {
			kept = append(kept, w)
		}
		if _, err := tx.Exec("RELEASE w"); err != nil {
			tx.Rollback()
			answer(kept, fmt.Errorf("not saved: %w", err))
			answer(group[i+1:], fmt.Errorf("begin: %w", err))
			return
		}
	}
	if len(kept) == 0 {
		tx.Rollback()
		return
	}
	answer(kept, commitErr(tx.Commit()))
}

// run runs the caller's fn in tx, turning a panic into an error for the group and a panic for the caller.
func (w *groupWrite) run(s *Store, tx *sql.Tx) (err error) {
	if err := w.ctx.Err(); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			w.panic = v
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return w.fn(s.tx(tx, s.writeStmts))
}

func commitErr(err error) error {
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
