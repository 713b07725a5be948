package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestStore runs the store scenarios on one database per engine. Each scenario works in organisations of its own.
func TestStore(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name string
		fn   func(*testing.T, *store.Store)
	}{
		{"SchemaTablesAreAllBackedUpOrSkipped", testSchemaTablesAreAllBackedUpOrSkipped},
		{"NextRefCountsPerOrganisationAndKind", testNextRefCountsPerOrganisationAndKind},
		{"AppendAuditLinksTheChain", testAppendAuditLinksTheChain},
		{"ListAuditNewestFirstWithFilters", testListAuditNewestFirstWithFilters},
		{"PeopleScopedAndVersioned", testPeopleScopedAndVersioned},
		{"MembershipsAndTokens", testMembershipsAndTokens},
		{"Sessions", testSessions},
		{"EachRowAndInsertRowsRefuseOtherTablesAndBadColumns", testEachRowAndInsertRowsRefuseOtherTablesAndBadColumns},
		{"EachRowValuesAreInt64StringOrNil", testEachRowValuesAreInt64StringOrNil},
		{"BackupTablesParentsFirst", testBackupTablesParentsFirst},
	}
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			if !isEmpty(t, st) {
				t.Fatal("a freshly migrated database is not empty")
			}
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) { sc.fn(t, st) })
			}
			if isEmpty(t, st) {
				t.Fatal("a database with organisations and users counts as empty")
			}
		})
	}
}

func isEmpty(t *testing.T, st *store.Store) bool {
	t.Helper()
	ctx := t.Context()
	var empty bool
	ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { empty, err = tx.IsEmpty(ctx); return err }))
	return empty
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func write(t *testing.T, st *store.Store, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := st.Write(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

var slugs struct {
	sync.Mutex
	n int
}

// newOrg inserts an organisation with one owner straight through the store. The slug gets a unique suffix, so that
// scenarios sharing a database do not collide.
func newOrg(t *testing.T, st *store.Store, prefix string) (isms.Organisation, isms.User) {
	t.Helper()
	slugs.Lock()
	slugs.n++
	slug := fmt.Sprintf("%s-%d", prefix, slugs.n)
	slugs.Unlock()
	org := isms.Organisation{ID: store.NewID(), Slug: slug, Name: slug, CreatedAt: t0}
	u := isms.User{ID: store.NewID(), Email: "owner@" + slug + ".example", Name: "Owner", PasswordHash: "x", CreatedAt: t0}
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, org); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.AddMembership(ctx, isms.Membership{OrgID: org.ID, UserID: u.ID, Role: isms.RoleOwner, CreatedAt: t0})
	})
	return org, u
}

// testSchemaTablesAreAllBackedUpOrSkipped makes sure that a new table cannot be forgotten by backups: every table
// of the migrated schema is either in BackupTables or in SkippedTables, and nothing is listed that does not exist.
func testSchemaTablesAreAllBackedUpOrSkipped(t *testing.T, st *store.Store) {
	tables, err := st.Tables(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	listed := append(slices.Clone(store.BackupTables), store.SkippedTables...)
	slices.Sort(listed)
	if dup := slices.Compact(slices.Clone(listed)); len(dup) != len(listed) {
		t.Fatalf("a table is listed twice in BackupTables + SkippedTables: %v", listed)
	}
	slices.Sort(tables)
	if !slices.Equal(tables, listed) {
		for _, x := range tables {
			if !slices.Contains(listed, x) {
				t.Errorf("table %s is neither backed up nor skipped: add it to store.BackupTables or store.SkippedTables", x)
			}
		}
		for _, x := range listed {
			if !slices.Contains(tables, x) {
				t.Errorf("table %s is listed for backups but does not exist", x)
			}
		}
	}
}

// testBackupTablesParentsFirst checks that a restore in BackupTables order meets every foreign key: each table comes
// after the tables it references.
func testBackupTablesParentsFirst(t *testing.T, st *store.Store) {
	ctx := t.Context()
	// Load one organisation with rows in every table, then insert the rows table by table, in order, into a
	// fresh database with foreign keys enforced.
	org, u := newOrg(t, st, "acme")
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateToken(ctx, isms.APIToken{ID: store.NewID(), OrgID: org.ID, UserID: u.ID, Name: "ci", Prefix: "prx_ab", CreatedAt: t0}, store.NewID()); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: org.ID, At: t0, Actor: "x", Via: "cli", Action: "create", Entity: "organisation"}); err != nil {
			return err
		}
		ref, err := tx.NextRef(ctx, org.ID, "P")
		if err != nil {
			return err
		}
		return tx.CreatePerson(ctx, isms.Person{ID: store.NewID(), OrgID: org.ID, Ref: ref, Name: "Ann", UserID: u.ID, CreatedAt: t0})
	})
	dst := store.New(testutil.NewDB(t, st.DB.Engine))
	err := st.Read(ctx, func(src *store.Tx) error {
		return dst.Write(ctx, func(tx *store.Tx) error {
			for _, table := range store.BackupTables {
				var cols []string
				var rows [][]any
				if err := src.EachRow(ctx, table, func(c []string, v []any) error {
					cols, rows = c, append(rows, v)
					return nil
				}); err != nil {
					return err
				}
				if len(rows) == 0 {
					if slices.Contains([]string{"organisations", "users", "memberships", "api_tokens", "audit_events", "people", "counters"}, table) {
						t.Errorf("test data has no row in %s", table)
					}
					continue
				}
				if err := tx.InsertRows(ctx, table, cols, rows); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatalf("inserting in BackupTables order: %v", err)
	}
}

func testEachRowAndInsertRowsRefuseOtherTablesAndBadColumns(t *testing.T, st *store.Store) {
	ctx := t.Context()
	newOrg(t, st, "acme")
	var usersBefore int
	ok(t, st.DB.R.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&usersBefore))
	err := st.Read(ctx, func(tx *store.Tx) error {
		return tx.EachRow(ctx, "sessions", func([]string, []any) error { return nil })
	})
	if err == nil {
		t.Error("EachRow read the sessions table, which is not a backup table")
	}
	err = st.Read(ctx, func(tx *store.Tx) error {
		return tx.EachRow(ctx, "users; DROP TABLE users", func([]string, []any) error { return nil })
	})
	if err == nil {
		t.Error("EachRow accepted an arbitrary table expression")
	}
	for _, cols := range [][]string{{"id", "name) VALUES ('x', 'y'); --"}, {"ID"}, {""}} {
		err = st.Write(ctx, func(tx *store.Tx) error {
			return tx.InsertRows(ctx, "counters", cols, [][]any{make([]any, len(cols))})
		})
		if err == nil {
			t.Errorf("InsertRows accepted column names %q", cols)
		}
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertRows(ctx, "counters", []string{"org_id", "name", "value"}, [][]any{{"a", "b"}})
	})
	if err == nil || !strings.Contains(err.Error(), "2 values for 3 columns") {
		t.Errorf("InsertRows with a short row: %v", err)
	}
	var users int
	if err := st.DB.R.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&users); err != nil || users != usersBefore {
		t.Fatalf("users after refused statements: %d, want %d (%v)", users, usersBefore, err)
	}
}

func testEachRowValuesAreInt64StringOrNil(t *testing.T, st *store.Store) {
	ctx := t.Context()
	org, u := newOrg(t, st, "acme")
	tokenID := store.NewID()
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		return tx.CreateToken(ctx, isms.APIToken{ID: tokenID, OrgID: org.ID, UserID: u.ID, Name: "ci", Prefix: "prx_ab", CreatedAt: t0}, store.NewID())
	})
	for _, table := range store.BackupTables {
		err := st.Read(ctx, func(tx *store.Tx) error {
			return tx.EachRow(ctx, table, func(cols []string, vals []any) error {
				if len(cols) != len(vals) {
					t.Errorf("%s: %d columns, %d values", table, len(cols), len(vals))
				}
				for i, v := range vals {
					switch v.(type) {
					case int64, string, nil:
					default:
						t.Errorf("%s.%s is %T, want int64, string or nil", table, cols[i], v)
					}
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Spot checks: a version column reads as int64, a null time as nil.
	err := st.Read(ctx, func(tx *store.Tx) error {
		return tx.EachRow(ctx, "api_tokens", func(cols []string, vals []any) error {
			if vals[0] != tokenID {
				return nil
			}
			for i, c := range cols {
				if c == "revoked_at" && vals[i] != nil {
					t.Errorf("revoked_at = %#v, want nil", vals[i])
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Read(ctx, func(tx *store.Tx) error {
		return tx.EachRow(ctx, "organisations", func(cols []string, vals []any) error {
			for i, c := range cols {
				if c == "version" && vals[i] != int64(1) {
					t.Errorf("organisations.version = %#v, want int64(1)", vals[i])
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testNextRefCountsPerOrganisationAndKind(t *testing.T, st *store.Store) {
	a, _ := newOrg(t, st, "a")
	b, _ := newOrg(t, st, "b")
	var got []string
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		for _, step := range []struct{ org, kind string }{{a.ID, "P"}, {a.ID, "P"}, {b.ID, "P"}, {a.ID, "R"}, {a.ID, "P"}} {
			ref, err := tx.NextRef(ctx, step.org, step.kind)
			if err != nil {
				return err
			}
			got = append(got, ref)
		}
		return nil
	})
	if want := []string{"P-001", "P-002", "P-001", "R-001", "P-003"}; !slices.Equal(got, want) {
		t.Fatalf("refs = %v, want %v", got, want)
	}
	// A rolled-back transaction does not use up a number.
	ctx := t.Context()
	_ = st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.NextRef(ctx, a.ID, "P"); err != nil {
			return err
		}
		return isms.Conflict("roll back")
	})
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		ref, err := tx.NextRef(ctx, a.ID, "P")
		if ref != "P-004" {
			t.Errorf("after a rollback the next ref is %s, want P-004", ref)
		}
		return err
	})
}

func testAppendAuditLinksTheChain(t *testing.T, st *store.Store) {
	ctx := t.Context()
	a, _ := newOrg(t, st, "a")
	b, _ := newOrg(t, st, "b")
	for i, org := range []string{a.ID, a.ID, b.ID, a.ID} {
		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			return tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: org, At: t0.Add(time.Duration(i) * time.Second).Add(789 * time.Nanosecond),
				ActorID: "u", Actor: "x@example.org", Via: "cli", Action: "create", Entity: "thing", Ref: "T-1", After: []byte(`{"n":1}`)})
		})
	}
	for _, tc := range []struct {
		org  string
		want int
	}{{a.ID, 3}, {b.ID, 1}} {
		var events []isms.AuditEvent
		var headSeq int64
		var headHash string
		err := st.Read(ctx, func(tx *store.Tx) error {
			if err := tx.EachAudit(ctx, tc.org, store.AuditFilter{}, func(e *isms.AuditEvent) error {
				events = append(events, *e)
				return nil
			}); err != nil {
				return err
			}
			var err error
			headSeq, headHash, err = tx.AuditHead(ctx, tc.org)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != tc.want {
			t.Fatalf("org has %d events, want %d", len(events), tc.want)
		}
		prev := ""
		for i, e := range events {
			if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != e.ComputeHash(testutil.TestKey.Audit()) || e.OrgID != tc.org || e.ID == "" {
				t.Fatalf("event %d does not continue the chain: %+v", i+1, e)
			}
			if e.At.Nanosecond()%1000 != 0 {
				t.Errorf("event time %v keeps nanoseconds the database cannot store", e.At)
			}
			if string(e.After) != `{"n":1}` || e.Before != nil {
				t.Errorf("before/after = %q/%q", e.Before, e.After)
			}
			prev = e.Hash
		}
		if headSeq != int64(tc.want) || headHash != prev {
			t.Fatalf("head = %d %s, want %d %s", headSeq, headHash, tc.want, prev)
		}
	}
}

func testListAuditNewestFirstWithFilters(t *testing.T, st *store.Store) {
	ctx := t.Context()
	org, _ := newOrg(t, st, "a")
	other, _ := newOrg(t, st, "b")
	add := func(orgID, actor, action, entity, ref string, at time.Time) {
		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			return tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: orgID, At: at, Actor: actor, Via: "web", Action: action, Entity: entity, EntityID: ref, Ref: ref})
		})
	}
	add(org.ID, "ann@x.example", "create", "person", "P-001", t0)
	add(org.ID, "bob@x.example", "update", "person", "P-001", t0.Add(time.Hour))
	add(org.ID, "ann@x.example", "create", "api token", "ci", t0.Add(2*time.Hour))
	add(other.ID, "eve@y.example", "create", "person", "P-001", t0.Add(time.Hour))
	list := func(f store.AuditFilter, p store.Page) store.List[isms.AuditEvent] {
		var out store.List[isms.AuditEvent]
		if err := st.Read(ctx, func(tx *store.Tx) (err error) { out, err = tx.ListAudit(ctx, org.ID, f, p); return err }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	seqs := func(l store.List[isms.AuditEvent]) []int64 {
		var s []int64
		for _, e := range l.Items {
			s = append(s, e.Seq)
		}
		return s
	}
	for _, tc := range []struct {
		name  string
		f     store.AuditFilter
		p     store.Page
		want  []int64
		total int
	}{
		{"all", store.AuditFilter{}, store.Page{}, []int64{3, 2, 1}, 3},
		{"page", store.AuditFilter{}, store.Page{Limit: 1, Offset: 1}, []int64{2}, 3},
		{"entity", store.AuditFilter{Entity: "person"}, store.Page{}, []int64{2, 1}, 2},
		{"actor", store.AuditFilter{Actor: "ann@x.example"}, store.Page{}, []int64{3, 1}, 2},
		{"action", store.AuditFilter{Action: "update"}, store.Page{}, []int64{2}, 1},
		{"ref", store.AuditFilter{Ref: "ci"}, store.Page{}, []int64{3}, 1},
		{"entity id", store.AuditFilter{EntityID: "P-001"}, store.Page{}, []int64{2, 1}, 2},
		{"from inclusive", store.AuditFilter{From: t0.Add(time.Hour)}, store.Page{}, []int64{3, 2}, 2},
		{"to exclusive", store.AuditFilter{To: t0.Add(time.Hour)}, store.Page{}, []int64{1}, 1},
		{"other org's actor", store.AuditFilter{Actor: "eve@y.example"}, store.Page{}, nil, 0},
	} {
		l := list(tc.f, tc.p)
		if !slices.Equal(seqs(l), tc.want) || l.Total != tc.total {
			t.Errorf("%s: seqs %v total %d, want %v total %d", tc.name, seqs(l), l.Total, tc.want, tc.total)
		}
	}
	var entities, actions, actors []string
	if err := st.Read(ctx, func(tx *store.Tx) (err error) {
		entities, actions, actors, err = tx.AuditFacets(ctx, org.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(entities, []string{"api token", "person"}) || !slices.Equal(actions, []string{"create", "update"}) ||
		!slices.Equal(actors, []string{"ann@x.example", "bob@x.example"}) {
		t.Errorf("facets = %v %v %v", entities, actions, actors)
	}
}

func TestPageNormalise(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want store.Page }{
		{store.Page{}, store.Page{Limit: 50}},
		{store.Page{Limit: -3, Offset: -1}, store.Page{Limit: 50}},
		{store.Page{Limit: 10, Offset: 20}, store.Page{Limit: 10, Offset: 20}},
		{store.Page{Limit: store.MaxPageSize + 1}, store.Page{Limit: store.MaxPageSize}},
	} {
		if got := tc.in.Normalise(); got != tc.want {
			t.Errorf("%+v.Normalise() = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func testPeopleScopedAndVersioned(t *testing.T, st *store.Store) {
	ctx := t.Context()
	a, _ := newOrg(t, st, "a")
	b, _ := newOrg(t, st, "b")
	ann := isms.Person{ID: store.NewID(), OrgID: a.ID, Ref: "P-001", Name: "Ann", Department: "IT", JobTitle: "Engineer", CreatedAt: t0}
	bob := isms.Person{ID: store.NewID(), OrgID: a.ID, Ref: "P-002", Name: "Bob", Email: "bob@x.example", Department: "HR", CreatedAt: t0}
	eve := isms.Person{ID: store.NewID(), OrgID: b.ID, Ref: "P-001", Name: "Eve", Department: "IT", CreatedAt: t0}
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		for _, p := range []isms.Person{ann, bob, eve} {
			if err := tx.CreatePerson(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	get := func(org, ref string) (isms.Person, error) {
		var p isms.Person
		err := st.Read(ctx, func(tx *store.Tx) (err error) { p, err = tx.PersonByRef(ctx, org, ref); return err })
		return p, err
	}
	if p, err := get(a.ID, "P-001"); err != nil || p.ID != ann.ID || p.Version != 1 {
		t.Fatalf("P-001 of a = %+v, %v", p, err)
	}
	if p, err := get(a.ID, bob.ID); err != nil || p.Ref != "P-002" {
		t.Fatalf("by id = %+v, %v", p, err)
	}
	if _, err := get(a.ID, eve.ID); isms.ErrorKind(err) != isms.KindNotFound {
		t.Fatalf("another organisation's person by id: %v, want NotFound", err)
	}
	list := func(f store.PersonFilter) []string {
		var l store.List[isms.Person]
		if err := st.Read(ctx, func(tx *store.Tx) (err error) { l, err = tx.ListPeople(ctx, a.ID, f, store.Page{}); return err }); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range l.Items {
			names = append(names, p.Name)
		}
		if l.Total != len(names) {
			t.Errorf("total %d for %d items", l.Total, len(names))
		}
		return names
	}
	for _, tc := range []struct {
		f    store.PersonFilter
		want []string
	}{
		{store.PersonFilter{}, []string{"Ann", "Bob"}},
		{store.PersonFilter{Department: "IT"}, []string{"Ann"}},
		{store.PersonFilter{Search: "BOB@X"}, []string{"Bob"}},
		{store.PersonFilter{Search: "engin"}, []string{"Ann"}},
		{store.PersonFilter{Search: "eve"}, nil},
	} {
		if got := list(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("ListPeople(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
	upd := func(p isms.Person) error {
		return st.Write(ctx, func(tx *store.Tx) error { return tx.UpdatePerson(ctx, p) })
	}
	changed := ann
	changed.Name, changed.Version = "Ann Lee", 1
	if err := upd(changed); err != nil {
		t.Fatal(err)
	}
	changed.Name = "Stale"
	if err := upd(changed); isms.ErrorKind(err) != isms.KindConflict {
		t.Fatalf("stale update: %v, want Conflict", err)
	}
	if p, _ := get(a.ID, "P-001"); p.Name != "Ann Lee" || p.Version != 2 {
		t.Fatalf("after stale update: %+v", p)
	}
	// Updating b's person under a's organisation is NotFound, not a conflict, and changes nothing.
	hijack := eve
	hijack.OrgID, hijack.Name, hijack.Version = a.ID, "Hijacked", 1
	if err := upd(hijack); isms.ErrorKind(err) != isms.KindNotFound {
		t.Fatalf("cross-organisation update: %v, want NotFound", err)
	}
	if p, _ := get(b.ID, eve.ID); p.Name != "Eve" || p.Version != 1 {
		t.Fatalf("b's person changed: %+v", p)
	}
}

func testMembershipsAndTokens(t *testing.T, st *store.Store) {
	ctx := t.Context()
	a, _ := newOrg(t, st, "a")
	b, _ := newOrg(t, st, "b")
	ed := isms.User{ID: store.NewID(), Email: "ed@" + a.Slug + ".example", Name: "Ed", PasswordHash: "x", CreatedAt: t0}
	tokA := isms.APIToken{ID: store.NewID(), OrgID: a.ID, UserID: ed.ID, Name: "a", Prefix: "prx_aa", CreatedAt: t0}
	tokB := isms.APIToken{ID: store.NewID(), OrgID: b.ID, UserID: ed.ID, Name: "b", Prefix: "prx_bb", CreatedAt: t0}
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateUser(ctx, ed); err != nil {
			return err
		}
		for _, org := range []string{a.ID, b.ID} {
			if err := tx.AddMembership(ctx, isms.Membership{OrgID: org, UserID: ed.ID, Role: isms.RoleEditor, CreatedAt: t0}); err != nil {
				return err
			}
		}
		if err := tx.CreateToken(ctx, tokA, "hash-a"); err != nil {
			return err
		}
		return tx.CreateToken(ctx, tokB, "hash-b")
	})
	err := st.Write(ctx, func(tx *store.Tx) error {
		return tx.AddMembership(ctx, isms.Membership{OrgID: a.ID, UserID: ed.ID, Email: ed.Email, Role: isms.RoleViewer, CreatedAt: t0})
	})
	if isms.ErrorKind(err) != isms.KindConflict {
		t.Fatalf("second membership: %v, want Conflict", err)
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		return tx.CreateUser(ctx, isms.User{ID: store.NewID(), Email: ed.Email, Name: "Dup", PasswordHash: "x", CreatedAt: t0})
	})
	if isms.ErrorKind(err) != isms.KindConflict {
		t.Fatalf("duplicate email: %v, want Conflict", err)
	}
	var owners int
	_ = st.Read(ctx, func(tx *store.Tx) (err error) { owners, err = tx.CountOwners(ctx, a.ID); return err })
	if owners != 1 {
		t.Fatalf("owners = %d", owners)
	}
	// Stale membership version.
	err = st.Write(ctx, func(tx *store.Tx) error {
		return tx.UpdateMembership(ctx, isms.Membership{OrgID: a.ID, UserID: ed.ID, Role: isms.RoleAdmin, Version: 7})
	})
	if isms.ErrorKind(err) != isms.KindConflict {
		t.Fatalf("stale membership update: %v, want Conflict", err)
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		return tx.UpdateMembership(ctx, isms.Membership{OrgID: a.ID, UserID: store.NewID(), Role: isms.RoleAdmin, Version: 1})
	})
	if isms.ErrorKind(err) != isms.KindNotFound {
		t.Fatalf("update of a non-member: %v, want NotFound", err)
	}
	// Removing ed from a revokes ed's token there, not the one in b.
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		return tx.RemoveMembership(ctx, a.ID, ed.ID, t0.Add(time.Hour))
	})
	err = st.Read(ctx, func(tx *store.Tx) error {
		ha, err := tx.TokenHolder(ctx, "hash-a")
		if err != nil {
			return err
		}
		hb, err := tx.TokenHolder(ctx, "hash-b")
		if err != nil {
			return err
		}
		ta, tb := ha.Token, hb.Token
		// The holder of a's token is no member of a any more; in b ed still is, with the role given there.
		if ha.Membership != nil || ha.Org != nil {
			t.Errorf("token in a: holder still a member: %+v", ha.Membership)
		}
		if hb.Membership == nil || hb.Org == nil || hb.Org.ID != b.ID || hb.User.ID != ed.ID || hb.User.Email != ed.Email {
			t.Errorf("token in b: holder %+v, membership %+v, org %+v", hb.User, hb.Membership, hb.Org)
		} else if m, err := tx.Membership(ctx, b.ID, ed.ID); err != nil || m.Role != hb.Membership.Role {
			t.Errorf("token in b: role %s, membership says %s (%v)", hb.Membership.Role, m.Role, err)
		}
		if ta.RevokedAt == nil || !ta.RevokedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("token in a: revoked at %v, want %v", ta.RevokedAt, t0.Add(time.Hour))
		}
		if tb.RevokedAt != nil {
			t.Errorf("token in b revoked by a removal from a")
		}
		if _, err := tx.Token(ctx, a.ID, tokB.ID); isms.ErrorKind(err) != isms.KindNotFound {
			t.Errorf("b's token through a: %v, want NotFound", err)
		}
		l, err := tx.ListTokens(ctx, b.ID, "", store.Page{})
		if err != nil {
			return err
		}
		if l.Total != 1 || l.Items[0].ID != tokB.ID {
			t.Errorf("b's tokens = %+v", l.Items)
		}
		orgs, err := tx.UserOrgs(ctx, ed.ID)
		if err != nil {
			return err
		}
		if len(orgs) != 1 || orgs[0].ID != b.ID || orgs[0].Role != isms.RoleEditor {
			t.Errorf("ed's organisations = %+v", orgs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.RemoveMembership(ctx, a.ID, ed.ID, t0) })
	if isms.ErrorKind(err) != isms.KindNotFound {
		t.Fatalf("removing a non-member: %v, want NotFound", err)
	}
}

func testSessions(t *testing.T, st *store.Store) {
	ctx := t.Context()
	org, u := newOrg(t, st, "a")
	s := store.Session{TokenHash: "h1", UserID: u.ID, OrgID: org.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(12 * time.Hour), IP: "192.0.2.1", UserAgent: "test"}
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateSession(ctx, s); err != nil {
			return err
		}
		s2 := s
		s2.TokenHash, s2.OrgID = "h2", ""
		if err := tx.CreateSession(ctx, s2); err != nil {
			return err
		}
		return tx.TouchSession(ctx, "h1", t0.Add(time.Hour))
	})
	var got store.Session
	if err := st.Read(ctx, func(tx *store.Tx) (err error) { got, err = tx.Session(ctx, "h1"); return err }); err != nil {
		t.Fatal(err)
	}
	if got.UserID != u.ID || got.OrgID != org.ID || !got.LastSeenAt.Equal(t0.Add(time.Hour)) || !got.ExpiresAt.Equal(s.ExpiresAt) || got.IP != s.IP {
		t.Fatalf("session = %+v", got)
	}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.DeleteUserSessions(ctx, u.ID, "h1") })
	err := st.Read(ctx, func(tx *store.Tx) error {
		if _, err := tx.Session(ctx, "h1"); err != nil {
			t.Errorf("kept session gone: %v", err)
		}
		if _, err := tx.Session(ctx, "h2"); isms.ErrorKind(err) != isms.KindNotFound {
			t.Errorf("other session: %v, want NotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	write(t, st, func(ctx context.Context, tx *store.Tx) (err error) {
		n, err = tx.DeleteExpiredSessions(ctx, t0.Add(13*time.Hour), t0)
		return err
	})
	if n != 1 {
		t.Fatalf("expired sessions deleted = %d, want 1", n)
	}
}
