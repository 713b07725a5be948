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
		l.fail(t0, map[string]string{"account": fmt.Sprintf("made-up-%d@example.org", i)})
	}
	later := t0.Add(LoginWindow + time.Minute)
	l.fail(later, map[string]string{"account": "fresh@example.org", "address": "198.51.100.1"})
	if n := len(l.failures); n != 2 {
		t.Fatalf("after the window the limiter still tracks %d keys, want the 2 fresh ones", n)
	}
}
