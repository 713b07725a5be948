// Package testutil starts real databases for tests: a temporary SQLite file, or a fresh database on the
// PostgreSQL server named by PRAXIS_TEST_PG (scripts/test starts one).
package testutil

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
)

// Engines lists the engines every store test runs on.
var Engines = []sqldb.Engine{sqldb.SQLite, sqldb.Postgres}

// NewDB opens a fresh, migrated database of the given engine, closed when the test ends.
func NewDB(t testing.TB, engine sqldb.Engine) *sqldb.DB {
	t.Helper()
	if engine == sqldb.Postgres {
		return NewPostgres(t)
	}
	return NewSQLite(t)
}

// NewSQLite opens a migrated SQLite database in a temporary folder.
func NewSQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	return open(t, "", t.TempDir())
}

// PostgresURL returns the admin URL of the test server, skipping the test when there is none (outside CI).
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("PRAXIS_TEST_PG")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("PRAXIS_TEST_PG is not set: run the tests through scripts/test, which starts PostgreSQL")
		}
		t.Skip("PRAXIS_TEST_PG not set: PostgreSQL tests skipped (scripts/test starts a server)")
	}
	return u
}

var dbSeq struct {
	sync.Mutex
	n int
}

// NewPostgres creates a new empty database on the test server, migrated, and drops it when the test ends.
func NewPostgres(t testing.TB) *sqldb.DB {
	t.Helper()
	return open(t, NewPostgresURL(t), "")
}

// NewPostgresURL creates a new empty, unmigrated database on the test server and returns its URL.
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	return newPostgresFrom(t, "")
}

// newPostgresFrom creates a new database as a copy of template ("" for an empty one), dropped when the test
// ends, and returns its URL.
func newPostgresFrom(t testing.TB, template string) string {
	t.Helper()
	admin := PostgresURL(t)
	dbSeq.Lock()
	dbSeq.n++
	name := fmt.Sprintf("praxis_t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, dbSeq.n)
	dbSeq.Unlock()
	a, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := a.Exec(create); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", admin)
		if err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	u, err := urlWithPath(admin, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// urlWithPath is the admin URL naming the database name instead.
func urlWithPath(admin, name string) (string, error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// BlockDatabase takes a test PostgreSQL database away (blocked: new connections refused, open ones ended) or
// gives it back, as an outage of the database server would.
func BlockDatabase(t testing.TB, db *sqldb.DB, blocked bool) {
	t.Helper()
	u, err := url.Parse(db.Where)
	if err != nil || db.Engine != sqldb.Postgres {
		t.Fatalf("BlockDatabase needs a PostgreSQL test database, not %s", db.Where)
	}
	name := strings.TrimPrefix(u.Path, "/")
	a, err := sql.Open("pgx", PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	stmts := []string{fmt.Sprintf("ALTER DATABASE %s WITH ALLOW_CONNECTIONS %t", name, !blocked)}
	if blocked {
		stmts = append(stmts, fmt.Sprintf("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'", name))
	}
	for _, q := range stmts {
		if _, err := a.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func open(t testing.TB, dbURL, dir string) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dbURL, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// Clock is a settable fake clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at a fixed, recognisable time.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestKey is the installation key of every test service: one fixed key, so that one test service's backup
// restores into another. Tests of the key itself make their own.
var TestKey = keys.Key(sha256.Sum256([]byte("praxis test installation key")))

// NewService builds a service over db with cheap password hashing, the given clock and TestKey.
func NewService(t testing.TB, db *sqldb.DB, clock *Clock) *service.Service {
	t.Helper()
	return NewServiceWith(t, db, service.Config{Now: clock.Now, BlobDir: t.TempDir()})
}

// NewServiceWith opens a service over db with cfg, filling in cheap password hashing and TestKey when unset.
func NewServiceWith(t testing.TB, db *sqldb.DB, cfg service.Config) *service.Service {
	t.Helper()
	if cfg.PasswordParams == (auth.Params{}) {
		cfg.PasswordParams = auth.TestParams
	}
	if cfg.Key.IsZero() {
		cfg.Key = TestKey
	}
	svc, err := service.Open(context.Background(), store.New(db), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// Org is an organisation set up for a test, with one actor per role.
type Org struct {
	Slug   string
	Actors map[string]service.Actor // by role name, plus "approver" (an editor with the approver flag)
}

// Ctx returns a context acting as the member with the given role.
func (o Org) Ctx(role string) context.Context {
	a, ok := o.Actors[role]
	if !ok {
		panic("no actor for role " + role)
	}
	return service.WithActor(context.Background(), a)
}

// Password is the password of every member NewOrg creates.
const Password = "correct horse battery staple"

// setPassword replaces a one-time password with Password, as the member would at first login.
func setPassword(t testing.TB, svc *service.Service, email, oneTime string) {
	t.Helper()
	if oneTime == "" {
		return
	}
	_, a, err := svc.Login(context.Background(), email, oneTime, service.Client{IP: "setup"})
	if err != nil {
		t.Fatalf("first login of %s: %v", email, err)
	}
	if err := svc.ChangePassword(service.WithActor(context.Background(), a), oneTime, Password); err != nil {
		t.Fatalf("change password of %s: %v", email, err)
	}
}

// NewOrg creates an organisation with one member of each role (owner, admin, editor, auditor, viewer) and an
// approver, all through the service, each with the password Password, and returns their actors (via "api").
// The owner comes from `praxis init`; the others accept invitations.
func NewOrg(t testing.TB, svc *service.Service, name string) Org {
	t.Helper()
	ctx := context.Background()
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	ownerEmail := "owner@" + slug + ".example"
	_, pw, err := svc.Init(ctx, service.InitInput{OrgName: name, OwnerEmail: ownerEmail, OwnerName: "Owner of " + name})
	if err != nil {
		t.Fatal(err)
	}
	setPassword(t, svc, ownerEmail, pw)
	owner, err := svc.OperatorActor(ctx, slug, ownerEmail)
	if err != nil {
		t.Fatal(err)
	}
	owner.Via = "api"
	o := Org{Slug: owner.OrgSlug, Actors: map[string]service.Actor{"owner": owner}}
	octx := service.WithActor(ctx, owner)
	for _, role := range []string{"admin", "editor", "auditor", "viewer", "approver"} {
		r := role
		if role == "approver" {
			r = "editor"
		}
		o.Actors[role] = Join(t, svc, octx, role+"@"+slug+".example", role+" of "+name, isms.Role(r), role == "approver")
	}
	return o
}

// Join invites email into the inviter's organisation and accepts the invitation as that person: with a new
// account (password Password) when the email has none, else signed in with Password. It returns the new
// member's actor (via "api").
func Join(t testing.TB, svc *service.Service, inviter context.Context, email, name string, role isms.Role, approver bool) service.Actor {
	t.Helper()
	ctx := context.Background()
	token, _, err := svc.CreateInvitation(inviter, service.InviteInput{Email: email, Role: role, Approver: approver})
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	if name == "" {
		name = strings.SplitN(email, "@", 2)[0]
	}
	c := service.Client{IP: "setup"}
	_, a, err := svc.AcceptInvitationNewAccount(ctx, token, service.NewAccountInput{Name: name, Email: email, Password: Password}, c)
	if isms.ErrorKind(err) == isms.KindConflict {
		var s service.Actor
		if _, s, err = svc.Login(ctx, email, Password, c); err != nil {
			t.Fatalf("%s signs in to accept an invitation: %v", email, err)
		}
		a, err = svc.AcceptInvitation(service.WithActor(ctx, s), token)
	}
	if err != nil {
		t.Fatalf("%s accepts the invitation: %v", email, err)
	}
	m, err := svc.OperatorActor(ctx, a.OrgSlug, email)
	if err != nil {
		t.Fatal(err)
	}
	m.Via = "api"
	return m
}
