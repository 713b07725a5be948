package service

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/store"
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

// An unknown email's password is checked against a hash made with the service's own parameters, so that it
// costs what a known account's check costs (and cheap test parameters make cheap tests).
func TestDummyHashUsesTheConfiguredParameters(t *testing.T) {
	for _, p := range []auth.Params{auth.TestParams, {Memory: 128, Time: 3, Threads: 2}} {
		s := New(store.New(nil), Config{PasswordParams: p})
		want := fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, p.Threads)
		if got := strings.Split(s.dummyHash(), "$"); len(got) != 6 || got[3] != want {
			t.Errorf("dummy hash %v is not made with %s", got, want)
		}
	}
}
