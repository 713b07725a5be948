package service

import (
	"sync"
	"time"
)

// loginLimiter counts failed logins per account and per address in a sliding window, in memory.
// It slows online guessing; a restart forgets the counts, which is acceptable because argon2id makes each
// guess expensive anyway.
type loginLimiter struct {
	mu       sync.Mutex
	failures map[string][]time.Time
	window   time.Duration
	limits   map[string]int // key prefix -> failures allowed per window
}

// LoginWindow is how long failed logins count against an account or address; a blocked client may try
// again after it (HTTP answers say so in Retry-After).
const LoginWindow = 15 * time.Minute

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{
		failures: map[string][]time.Time{},
		window:   LoginWindow,
		limits:   map[string]int{"account": 5, "address": 20},
	}
}

func (l *loginLimiter) recent(key string, now time.Time) []time.Time {
	kept := l.failures[key][:0]
	for _, t := range l.failures[key] {
		if now.Sub(t) < l.window {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = kept
	return kept
}

// blocked reports whether any of the keys (kind -> value) has used up its failures.
func (l *loginLimiter) blocked(now time.Time, keys map[string]string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for kind, v := range keys {
		if v != "" && len(l.recent(kind+":"+v, now)) >= l.limits[kind] {
			return true
		}
	}
	return false
}

// sweepAt is the number of tracked keys above which fail drops the expired ones, so that a spray of made-up
// accounts cannot grow the map without end.
const sweepAt = 10000

func (l *loginLimiter) fail(now time.Time, keys map[string]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) > sweepAt {
		for k := range l.failures {
			l.recent(k, now)
		}
	}
	for kind, v := range keys {
		if v != "" {
			k := kind + ":" + v
			l.failures[k] = append(l.recent(k, now), now)
		}
	}
}

// succeed clears the account's failures (an address keeps its count: one good login should not unlock a spray).
func (l *loginLimiter) succeed(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, "account:"+account)
}
