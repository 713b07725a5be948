package service

import (
	"sync"
	"time"
)

// loginLimiter slows online password guessing, in memory (a restart forgets the counts, which is acceptable
// because argon2id makes each guess expensive anyway). It has two kinds of keys:
//
//   - an address: a sliding window of failures; one address that sprays many accounts is refused until its
//     oldest failure leaves the window.
//   - an account: a progressive delay. After a few failures in a row, each further attempt must wait a delay
//     that doubles with every failure, up to a short maximum. No count of failures locks an account: whoever
//     knows the address could otherwise lock the real user out at will. The real user's known browser is not
//     asked to wait at all (see Login), and anyone else waits at most accountMaxDelay.
type loginLimiter struct {
	mu       sync.Mutex
	window   time.Duration
	addrMax  int                     // failures one address may have in window
	failures map[string][]time.Time  // address -> failure times within window
	accounts map[string]accountState // account -> its run of failures
}

type accountState struct {
	failures int       // in a row, since the last success
	last     time.Time // of the last failure
}

// LoginWindow is how long failures count against an address, and how long an account's run of failures is
// remembered after its last failure.
const LoginWindow = 15 * time.Minute

const (
	accountFreeFailures = 3               // failures in a row an account may have before attempts must wait
	accountFirstDelay   = time.Second     // the wait after the first failure beyond those
	accountMaxDelay     = 2 * time.Minute // the longest wait: a guesser gets at most 30 tries an hour
)

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{window: LoginWindow, addrMax: 20, failures: map[string][]time.Time{}, accounts: map[string]accountState{}}
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

func (l *loginLimiter) recent(addr string, now time.Time) []time.Time {
	kept := l.failures[addr][:0]
	for _, t := range l.failures[addr] {
		if now.Sub(t) < l.window {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		delete(l.failures, addr)
		return nil
	}
	l.failures[addr] = kept
	return kept
}

func (l *loginLimiter) account(key string, now time.Time) accountState {
	st, ok := l.accounts[key]
	if ok && now.Sub(st.last) >= l.window {
		delete(l.accounts, key)
		return accountState{}
	}
	return st
}

// wait returns how long the caller must wait before an attempt on account from addr is heard (0: go ahead).
// Either may be empty.
func (l *loginLimiter) wait(now time.Time, account, addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var w time.Duration
	if addr != "" {
		if r := l.recent(addr, now); len(r) >= l.addrMax {
			w = r[len(r)-l.addrMax].Add(l.window).Sub(now)
		}
	}
	if account != "" {
		st := l.account(account, now)
		w = max(w, st.last.Add(accountDelay(st.failures)).Sub(now))
	}
	return max(w, 0)
}

// sweepAt is the number of tracked keys above which fail drops the expired ones, so that a spray of made-up
// accounts cannot grow the maps without end.
const sweepAt = 10000

// fail counts a failed attempt against account and addr (either may be empty).
func (l *loginLimiter) fail(now time.Time, account, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures)+len(l.accounts) > sweepAt {
		for k := range l.failures {
			l.recent(k, now)
		}
		for k := range l.accounts {
			l.account(k, now)
		}
	}
	if addr != "" {
		l.failures[addr] = append(l.recent(addr, now), now)
	}
	if account != "" {
		st := l.account(account, now)
		l.accounts[account] = accountState{failures: st.failures + 1, last: now}
	}
}

// succeed ends an account's run of failures (an address keeps its count: one good login should not unlock a spray).
func (l *loginLimiter) succeed(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, account)
}
