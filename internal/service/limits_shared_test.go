package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// secondServer opens the same database again, with pools of its own, and builds another service over it, as a
// second praxis server on the same database would be (sharing the clock, as servers share the time of day).
func secondServer(t *testing.T, e *env) *service.Service {
	t.Helper()
	where := e.db.Where
	if e.db.Engine == sqldb.SQLite {
		where = "sqlite:" + where
	}
	db, err := sqldb.Open(context.Background(), where, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return testutil.NewService(t, db, e.clock)
}

// Servers on one database share the login limits: guesses on one server slow the account down on the other,
// up to the maximum wait and no longer, and an address that sprayed accounts on one is refused on the other.
func TestLoginLimitsAreSharedByServers(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		o := testutil.NewOrg(t, e.svc, "Shared Limits")
		email := o.Actors["editor"].Email
		b := secondServer(t, e)

		for i := range 3 {
			_, _, err := e.svc.Login(ctx, email, "guess "+fmt.Sprint(i), service.Client{IP: "203.0.113.1"})
			wantKind(t, err, isms.KindUnauthenticated, "a guess on server A")
		}
		_, _, err := b.Login(ctx, email, testutil.Password, service.Client{IP: "198.51.100.30"})
		wantKind(t, err, isms.KindTooManyRequests, "the right password on server B right after three guesses on A")
		if w := isms.RetryAfter(err); w != time.Second {
			t.Fatalf("server B asks to wait %s, want 1s", w)
		}

		// Many more guesses, alternating servers: the wait grows to the maximum and no further.
		for i := range 40 {
			e.clock.Advance(3 * time.Minute)
			svc := e.svc
			if i%2 == 1 {
				svc = b
			}
			_, _, err := svc.Login(ctx, email, "guess", service.Client{IP: fmt.Sprintf("203.0.113.%d", 10+i)})
			wantKind(t, err, isms.KindUnauthenticated, "a guess after the wait")
		}
		_, _, err = e.svc.Login(ctx, email, testutil.Password, service.Client{IP: "198.51.100.30"})
		wantKind(t, err, isms.KindTooManyRequests, "the right password right after 43 guesses")
		if w := isms.RetryAfter(err); w != 2*time.Minute {
			t.Fatalf("after 43 guesses the wait is %s, want the maximum 2m0s", w)
		}
		e.clock.Advance(2 * time.Minute)
		_, _, err = b.Login(ctx, email, testutil.Password, service.Client{IP: "198.51.100.30"})
		ok(t, err)
		// The success on B ended the run on A too.
		_, _, err = e.svc.Login(ctx, email, "one more guess", service.Client{IP: "198.51.100.31"})
		wantKind(t, err, isms.KindUnauthenticated, "a guess after the success")
		_, _, err = e.svc.Login(ctx, email, testutil.Password, service.Client{IP: "198.51.100.31"})
		ok(t, err)

		// One address spraying made-up accounts on A is refused on B, for a real account too.
		spray := service.Client{IP: "192.0.2.66"}
		for i := range 20 {
			_, _, err := e.svc.Login(ctx, fmt.Sprintf("nobody-%d@example.org", i), "guess", spray)
			wantKind(t, err, isms.KindUnauthenticated, "a sprayed guess")
		}
		_, _, err = b.Login(ctx, o.Actors["viewer"].Email, testutil.Password, spray)
		wantKind(t, err, isms.KindTooManyRequests, "the spraying address on server B")
	})
}
