package service

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/store"
)

// loginLimiter slows online password guessing. Its counts are in the database, so every server on it shares
// them: failures on one server slow the account down on all. It has two kinds of keys:
//
//   - an address: a sliding window of failures; one address that sprays many accounts is refused until its
//     oldest failure leaves the window.
//   - an account: a progressive delay. After a few failures in a row, each further attempt must wait a delay
//     that doubles with every failure, up to a short maximum. No count of failures locks an account: whoever
//     knows the address could otherwise lock the real user out at will. The real user's known browser is not
//     asked to wait at all (see Login), and anyone else waits at most accountMaxDelay.
//
// Counts older than the window are swept whenever a failure is counted, so a spray of made-up accounts or
// addresses cannot grow the tables without end.
type loginLimiter struct {
	store   *store.Store
	window  time.Duration
	addrMax int // failures one address may have in window
}

// LoginWindow is how long failures count against an address, and how long an account's run of failures is
// remembered after its last failure.
const LoginWindow = 15 * time.Minute

const (
	accountFreeFailures = 3               // failures in a row an account may have before attempts must wait
	accountFirstDelay   = time.Second     // the wait after the first failure beyond those
	accountMaxDelay     = 2 * time.Minute // the longest wait: a guesser gets at most 30 tries an hour
)

func newLoginLimiter(st *store.Store) *loginLimiter {
	return &loginLimiter{store: st, window: LoginWindow, addrMax: 20}
}

// accountDelay is how long after its last failure an account with n failures in a row must wait.
func accountDelay(n int) time.Duration {
	if n < accountFreeFailures {
		return 0
	}
	d := accountFirstDelay
	for i := accountFreeFailures; i < n && d < accountMaxDelay; i++ {
		d *= 2
	}
	return min(d, accountMaxDelay)
}

// wait returns how long the caller must wait before an attempt on account from addr is heard (0: go ahead).
// Either may be empty.
func (l *loginLimiter) wait(ctx context.Context, now time.Time, account, addr string) (time.Duration, error) {
	var w time.Duration
	err := l.store.Read(ctx, func(tx *store.Tx) error {
		if addr != "" {
			oldest, full, err := tx.NthAddressFailure(ctx, addr, now.Add(-l.window), l.addrMax)
			if err != nil {
				return err
			}
			if full {
				w = oldest.Add(l.window).Sub(now)
			}
		}
		if account != "" {
			n, last, err := tx.AccountFailures(ctx, account)
			if err != nil {
				return err
			}
			if now.Sub(last) < l.window {
				w = max(w, last.Add(accountDelay(n)).Sub(now))
			}
		}
		return nil
	})
	return max(w, 0), err
}

// check refuses an attempt on account from addr that must wait (isms.KindTooManyRequests, saying how long).
func (l *loginLimiter) check(ctx context.Context, now time.Time, account, addr string) error {
	w, err := l.wait(ctx, now, account, addr)
	if err != nil {
		return err
	}
	if w > 0 {
		return tooManyFailures(w)
	}
	return nil
}

// fail counts a failed attempt against account and addr (either may be empty).
func (l *loginLimiter) fail(ctx context.Context, now time.Time, account, addr string) error {
	return l.store.Write(ctx, func(tx *store.Tx) error {
		return tx.AddLoginFailure(ctx, account, addr, now, now.Add(-l.window))
	})
}

// succeed ends an account's run of failures, in the transaction that lets the user in (an address keeps its
// count: one good login should not unlock a spray).
func (l *loginLimiter) succeed(ctx context.Context, tx *store.Tx, account string) error {
	return tx.ClearAccountFailures(ctx, account)
}
