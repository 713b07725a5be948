package service

import (
	"fmt"
	"testing"
	"time"
)

// A spray of made-up accounts is forgotten once its window has passed, instead of filling memory.
func TestLoginLimiterForgetsOldSprays(t *testing.T) {
	l := newLoginLimiter()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range sweepAt + 1 {
		l.fail(t0, fmt.Sprintf("made-up-%d@example.org", i), "")
	}
	later := t0.Add(LoginWindow + time.Minute)
	l.fail(later, "fresh@example.org", "198.51.100.1")
	if n := len(l.failures) + len(l.accounts); n != 2 {
		t.Fatalf("after the window the limiter still tracks %d keys, want the 2 fresh ones", n)
	}
}

// An account's wait starts after a few failures, doubles with each, and never exceeds the maximum: no number
// of failures locks the account for longer.
func TestAccountDelayGrowsToAMaximum(t *testing.T) {
	want := map[int]time.Duration{0: 0, 2: 0, 3: time.Second, 4: 2 * time.Second, 5: 4 * time.Second, 9: 64 * time.Second,
		10: accountMaxDelay, 50: accountMaxDelay, 10000: accountMaxDelay}
	for n, d := range want {
		if got := accountDelay(n); got != d {
			t.Errorf("accountDelay(%d) = %s, want %s", n, got, d)
		}
	}
	l := newLoginLimiter()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for range 50 {
		l.fail(t0, "victim@example.org", "")
	}
	if w := l.wait(t0, "victim@example.org", ""); w != accountMaxDelay {
		t.Fatalf("after 50 failures the account waits %s, want %s", w, accountMaxDelay)
	}
	if w := l.wait(t0.Add(accountMaxDelay), "victim@example.org", ""); w != 0 {
		t.Fatalf("after the maximum delay the account still waits %s", w)
	}
}
