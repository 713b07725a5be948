package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// env is one service over one fresh database.
type env struct {
	db      *sqldb.DB
	clock   *testutil.Clock
	svc     *service.Service
	blobDir string
}

// eachEngine runs fn once per engine, each on its own fresh database.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) { each(t, false, newEnv, fn) }

// eachEngineParallel is eachEngine with both engines at once, for tests that do nothing after it.
func eachEngineParallel(t *testing.T, fn func(t *testing.T, e *env)) { each(t, true, newEnv, fn) }

// eachDemo is eachEngine on a database that holds the sample organisation already: a copy of one written once
// per engine (testutil.SeededDB), as Demo writes it on the fixed test clock.
func eachDemo(t *testing.T, fn func(t *testing.T, e *env)) { each(t, false, demoEnv, fn) }

// eachDemoParallel is eachDemo with both engines at once, for tests that do nothing after it.
func eachDemoParallel(t *testing.T, fn func(t *testing.T, e *env)) { each(t, true, demoEnv, fn) }

// each runs fn once per engine on the env that start makes, the engines one after the other or at once.
func each(t *testing.T, parallel bool, start func(*testing.T, sqldb.Engine) *env, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			if parallel {
				t.Parallel()
			}
			fn(t, start(t, engine))
		})
	}
}

// demoEnv is an env whose database and blob folder hold the sample organisation.
func demoEnv(t *testing.T, engine sqldb.Engine) *env {
	t.Helper()
	db, blobDir := testutil.DemoDB(t, engine)
	return envWith(t, db, blobDir)
}

func newEnv(t *testing.T, engine sqldb.Engine) *env {
	t.Helper()
	return envOn(t, testutil.NewDB(t, engine))
}

// envOn builds the service over db with a blob folder the test knows.
func envOn(t *testing.T, db *sqldb.DB) *env {
	t.Helper()
	return envWith(t, db, t.TempDir())
}

// envWith builds the service over db with blobDir as its folder of stored files.
func envWith(t *testing.T, db *sqldb.DB, blobDir string) *env {
	t.Helper()
	clock := testutil.NewClock()
	svc := testutil.NewServiceWith(t, db, service.Config{Now: clock.Now, BlobDir: blobDir})
	return &env{db: db, clock: clock, svc: svc, blobDir: blobDir}
}

var kindNames = map[isms.Kind]string{
	isms.KindInternal: "Internal", isms.KindInvalid: "Invalid", isms.KindNotFound: "NotFound", isms.KindConflict: "Conflict",
	isms.KindForbidden: "Forbidden", isms.KindUnauthenticated: "Unauthenticated", isms.KindTooManyRequests: "TooManyRequests",
}

// wantKind fails the test unless err is of the given kind.
func wantKind(t *testing.T, err error, kind isms.Kind, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %s", what, kindNames[kind])
	}
	if got := isms.ErrorKind(err); got != kind {
		t.Fatalf("%s: %s error (%v), want %s", what, kindNames[got], err, kindNames[kind])
	}
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// trail returns an organisation's whole audit trail, oldest first, read straight from the store.
func trail(t *testing.T, e *env, orgID string) []isms.AuditEvent {
	t.Helper()
	ctx := context.Background()
	var out []isms.AuditEvent
	err := e.svc.Store().Read(ctx, func(tx *store.Tx) error {
		return tx.EachAudit(ctx, orgID, store.AuditFilter{}, func(ev *isms.AuditEvent) error {
			out = append(out, *ev)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// orgID returns the id of an organisation set up by testutil.NewOrg.
func orgID(o testutil.Org) string { return o.Actors["owner"].OrgID }

// verifyOrg runs VerifyAuditTrail for one organisation.
func verifyOrg(t *testing.T, e *env, slug string) service.VerifyResult {
	t.Helper()
	res, err := e.svc.VerifyAuditTrail(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Org != slug {
		t.Fatalf("VerifyAuditTrail(%s) = %+v", slug, res)
	}
	return res[0]
}

// login logs in and fails the test when that does not work.
func login(t *testing.T, e *env, email, password string) (string, service.Actor) {
	t.Helper()
	token, a, err := e.svc.Login(context.Background(), email, password, service.Client{IP: "198.51.100.7", UserAgent: "test"})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return token, a
}

// setupOwner runs first-run setup with a known password and returns the owner's session.
func setupOwner(t *testing.T, e *env, orgName, email, password string) (string, service.Actor) {
	t.Helper()
	token, a, err := e.svc.Setup(context.Background(), service.SetupInput{OrgName: orgName, OwnerName: "Olivia Owner", Email: email, Password: password},
		service.Client{IP: "198.51.100.1"})
	if err != nil {
		t.Fatal(err)
	}
	return token, a
}

// seq gives unique suffixes for names within a test.
type seq struct{ n int }

func (s *seq) next(prefix string) string {
	s.n++
	return fmt.Sprintf("%s%d", prefix, s.n)
}

func memberByEmail(t *testing.T, e *env, ctx context.Context, email string) (isms.Membership, bool) {
	t.Helper()
	l, err := e.svc.ListMembers(ctx, service.Page{Limit: store.MaxPageSize})
	ok(t, err)
	i := slices.IndexFunc(l.Items, func(m isms.Membership) bool { return m.Email == email })
	if i < 0 {
		return isms.Membership{}, false
	}
	return l.Items[i], true
}
