package service

import (
	"testing"
	"time"
)

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
}
