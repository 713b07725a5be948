package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// thing is the row of a small test register declared over the assets table, so that the kit is tested apart
// from any real register.
type thing struct {
	ID, Ref, Name, Kind       string
	OwnerID, Owner, OwnerName string
	Size                      int
	Created                   time.Time
	Version                   int
}

type thingFilter struct{ Search, Kind, Owner, Sized, Mine, Me, Sort string }

var things = &store.Register[thing, thingFilter]{
	Entity: "thing", Table: "assets", Alias: "t",
	ID:      func(t *thing) *string { return &t.ID },
	Ref:     func(t *thing) *string { return &t.Ref },
	Version: func(t *thing) *int { return &t.Version },
	Columns: []store.Column[thing]{
		store.Text("name", func(t *thing) *string { return &t.Name }),
		store.Text("type", func(t *thing) *string { return &t.Kind }),
		store.Int("confidentiality", func(t *thing) *int { return &t.Size }),
		store.Time("created_at", func(t *thing) *time.Time { return &t.Created }).InsertOnly(),
		store.Time("updated_at", func(t *thing) *time.Time { return &t.Created }),
	},
	Refs: []store.Reference[thing]{{Column: "owner_id", Target: store.PeopleLookup, Alias: "o",
		ID: func(t *thing) *string { return &t.OwnerID }, Ref: func(t *thing) *string { return &t.Owner },
		Name: func(t *thing) *string { return &t.OwnerName }}},
	Filters: []store.Filter[thingFilter]{
		{Name: "kind", Kind: store.FilterEnum, Values: []string{"software", "hardware"}, Cond: "t.type = ?", Field: func(f *thingFilter) *string { return &f.Kind }},
		{Name: "owner", Kind: store.FilterRef, Cond: "o.ref = ?", Field: func(f *thingFilter) *string { return &f.Owner }},
		{Name: "sized", Kind: store.FilterBool, Cond: "t.confidentiality > 0", Field: func(f *thingFilter) *string { return &f.Sized }},
		// A yes/no filter with a value the caller does not type: the owner's reference the service fills in.
		{Name: "mine", Kind: store.FilterBool, Field: func(f *thingFilter) *string { return &f.Mine },
			Where: func(f *thingFilter, _ string) (string, []any) { return "COALESCE(o.ref, '') = ?", []any{f.Me} }},
	},
	Sorts:    []store.Sort{{Name: "ref", Expr: "t.ref"}, {Name: "name", Expr: "lower(t.name)"}, {Name: "size", Expr: "t.confidentiality"}, {Name: "owner", Expr: "COALESCE(lower(o.name), '')"}},
	Search:   []string{"lower(t.name)", "lower(t.ref)"},
	SearchOf: func(f *thingFilter) *string { return &f.Search },
	SortOf:   func(f *thingFilter) *string { return &f.Sort },
}

func TestRegisterKit(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			t.Run("InsertGetUpdateVersions", func(t *testing.T) { testKitInsertUpdate(t, st) })
			t.Run("BulkInsertKeysetEverySortFilters", func(t *testing.T) { testKitListAndEach(t, st) })
			t.Run("JoinsCheckTheOrganisation", func(t *testing.T) { testKitJoinIsolation(t, st) })
			t.Run("ResolveByRefNameEmailInOneOrganisation", func(t *testing.T) { testKitResolve(t, st) })
			t.Run("GetManyByReferenceInOneOrganisation", func(t *testing.T) { testKitGetMany(t, st) })
			t.Run("JoinedColumnAndFilterBuiltFromTheFilter", func(t *testing.T) { testKitJoinedAndCondOf(t, st) })
		})
	}
}

// GetMany finds rows by reference in any case, leaves unknown references and other organisations' rows out,
// and reads more references than one query names.
func testKitGetMany(t *testing.T, st *store.Store) {
	ctx := t.Context()
	org, _ := newOrg(t, st, "many")
	other, _ := newOrg(t, st, "many other")
	rows := make([]thing, 700)
	for i := range rows {
		rows[i] = thing{ID: store.NewID(), Ref: fmt.Sprintf("A-%03d", i+1), Name: fmt.Sprintf("Thing %d", i), Kind: "software", Created: t0}
	}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return things.InsertMany(ctx, tx, org.ID, rows) })
	theirs := thing{ID: store.NewID(), Ref: "A-900", Name: "Theirs", Kind: "software", Created: t0}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return things.Insert(ctx, tx, other.ID, &theirs) })
	refs := []string{"a-001", " A-002 ", "A-002", "A-404", "A-900", ""}
	for i := 3; i <= 700; i++ {
		refs = append(refs, fmt.Sprintf("A-%03d", i))
	}
	var got map[string]thing
	ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { got, err = things.GetMany(ctx, tx, org.ID, refs); return err }))
	if len(got) != 700 || got["A-001"].Name != "Thing 0" || got["A-700"].Name != "Thing 699" || got["A-002"].Version != 1 {
		t.Fatalf("GetMany found %d rows: A-001 %+v", len(got), got["A-001"])
	}
	if _, found := got["A-900"]; found {
		t.Fatal("GetMany found another organisation's row")
	}
}

func addPeople(t *testing.T, st *store.Store, orgID string, people ...isms.Person) []isms.Person {
	t.Helper()
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		for i := range people {
			people[i].ID, people[i].OrgID, people[i].CreatedAt = store.NewID(), orgID, t0
			if err := tx.CreatePerson(ctx, people[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return people
}

func testKitInsertUpdate(t *testing.T, st *store.Store) {
	ctx := t.Context()
	org, _ := newOrg(t, st, "kit")
	ann := addPeople(t, st, org.ID, isms.Person{Ref: "P-001", Name: "Ann"})[0]
	x := thing{ID: store.NewID(), Ref: "A-001", Name: "Laptop", Kind: "hardware", OwnerID: ann.ID, Size: 3, Created: t0}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return things.Insert(ctx, tx, org.ID, &x) })
	get := func() thing {
		var got thing
		ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { got, err = things.Get(ctx, tx, org.ID, "A-001"); return err }))
		return got
	}
	got := get()
	want := x
	want.Owner, want.OwnerName, want.Version = "P-001", "Ann", 1
	if got != want {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
	if err := st.Write(ctx, func(tx *store.Tx) error { return things.Insert(ctx, tx, org.ID, &x) }); isms.ErrorKind(err) != isms.KindConflict {
		t.Fatalf("the same reference twice: %v, want Conflict", err)
	}

	update := func(v thing) error {
		return st.Write(ctx, func(tx *store.Tx) error { return things.Update(ctx, tx, org.ID, &v) })
	}
	next := got
	next.Name, next.OwnerID, next.Created = "Laptop 2", "", t0.Add(time.Hour)
	if err := update(next); err != nil {
		t.Fatal(err)
	}
	got = get()
	if got.Name != "Laptop 2" || got.Owner != "" || got.Version != 2 || !got.Created.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after update: %+v", got)
	}
	stale := next // still version 1
	stale.Name = "lost"
	if err := update(stale); isms.ErrorKind(err) != isms.KindConflict {
		t.Fatalf("stale version: %v, want Conflict", err)
	}
	stale.Version = 0
	if err := update(stale); isms.ErrorKind(err) != isms.KindInvalid || !strings.Contains(err.Error(), "version: is required") {
		t.Fatalf("missing version: %v, want Invalid version: is required", err)
	}
	gone := got
	gone.ID = store.NewID()
	if err := update(gone); isms.ErrorKind(err) != isms.KindNotFound {
		t.Fatalf("no such row: %v, want NotFound", err)
	}
	if got := get(); got.Name != "Laptop 2" || got.Version != 2 {
		t.Fatalf("a refused update changed the row: %+v", got)
	}
}

// testKitListAndEach bulk-inserts more rows than one keyset page, with many ties in every sort key, and checks
// that the paged list and the keyset iteration give every matching row once, in the same order, sorted.
func testKitListAndEach(t *testing.T, st *store.Store) {
	ctx := t.Context()
	org, _ := newOrg(t, st, "kit")
	people := addPeople(t, st, org.ID, isms.Person{Ref: "P-001", Name: "Zoe"}, isms.Person{Ref: "P-002", Name: "adam"})
	const n = 1234
	rows := make([]thing, n)
	for i := range rows {
		rows[i] = thing{ID: store.NewID(), Ref: fmt.Sprintf("A-%04d", i+1), Name: fmt.Sprintf("Item %d", i%7), Kind: []string{"software", "hardware"}[i%2],
			Size: i % 4, Created: t0}
		if i%3 > 0 {
			rows[i].OwnerID = people[i%3-1].ID
		}
	}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return things.InsertMany(ctx, tx, org.ID, rows) })

	read := func(f thingFilter) (listed, each []thing) {
		ok(t, st.Read(ctx, func(tx *store.Tx) error {
			for off := 0; ; off += 100 {
				l, err := things.List(ctx, tx, org.ID, f, store.Page{Limit: 100, Offset: off})
				if err != nil {
					return err
				}
				listed = append(listed, l.Items...)
				if len(l.Items) < 100 {
					return nil
				}
			}
		}))
		ok(t, st.Read(ctx, func(tx *store.Tx) error {
			return things.Each(ctx, tx, org.ID, f, func(x thing) error { each = append(each, x); return nil })
		}))
		return listed, each
	}
	keys := map[string]func(thing) string{
		"ref":   func(x thing) string { return x.Ref },
		"name":  func(x thing) string { return strings.ToLower(x.Name) },
		"size":  func(x thing) string { return fmt.Sprint(x.Size) },
		"owner": func(x thing) string { return strings.ToLower(x.OwnerName) },
	}
	for name, key := range keys {
		for _, sort := range []string{name, "-" + name} {
			listed, each := read(thingFilter{Sort: sort})
			if len(each) != n || len(listed) != n {
				t.Fatalf("sort %s: each %d, list %d rows, want %d", sort, len(each), len(listed), n)
			}
			seen := map[string]bool{}
			for i := range each {
				if each[i].ID != listed[i].ID {
					t.Fatalf("sort %s: row %d is %s by key and %s by page", sort, i, each[i].Ref, listed[i].Ref)
				}
				if seen[each[i].ID] {
					t.Fatalf("sort %s: %s twice", sort, each[i].Ref)
				}
				seen[each[i].ID] = true
			}
			ordered := slices.IsSortedFunc(each, func(a, b thing) int {
				c := cmp.Compare(key(a), key(b))
				if strings.HasPrefix(sort, "-") {
					c = -c
				}
				return cmp.Or(c, cmp.Compare(a.ID, b.ID))
			})
			if !ordered {
				t.Errorf("sort %s: rows out of order", sort)
			}
		}
	}
	count := func(f thingFilter, want int) {
		t.Helper()
		listed, each := read(f)
		if len(listed) != want || len(each) != want {
			t.Errorf("filter %+v: list %d, each %d, want %d", f, len(listed), len(each), want)
		}
	}
	count(thingFilter{Kind: "software"}, n/2)
	count(thingFilter{Owner: "P-002"}, len(slices.DeleteFunc(slices.Clone(rows), func(x thing) bool { return x.OwnerID != people[1].ID })))
	count(thingFilter{Sized: "no"}, (n+3)/4)
	count(thingFilter{Sized: "yes", Kind: "hardware"}, len(slices.DeleteFunc(slices.Clone(rows), func(x thing) bool { return x.Size == 0 || x.Kind != "hardware" })))
	ownedBy2 := len(slices.DeleteFunc(slices.Clone(rows), func(x thing) bool { return x.OwnerID != people[1].ID }))
	count(thingFilter{Mine: "yes", Me: "P-002"}, ownedBy2)
	count(thingFilter{Mine: "no", Me: "P-002"}, n-ownedBy2)
	count(thingFilter{Search: "ITEM 6"}, len(slices.DeleteFunc(slices.Clone(rows), func(x thing) bool { return x.Name != "Item 6" })))
	for _, bad := range []thingFilter{{Kind: "spaceship"}, {Sized: "maybe"}} {
		err := st.Read(ctx, func(tx *store.Tx) error { _, err := things.List(ctx, tx, org.ID, bad, store.Page{}); return err })
		if isms.ErrorKind(err) != isms.KindInvalid {
			t.Errorf("filter %+v: %v, want Invalid", bad, err)
		}
	}
}

// testKitJoinIsolation links a row to another organisation's person, as a crafted restore could: the join
// must not bring that person's reference or name into the row.
func testKitJoinIsolation(t *testing.T, st *store.Store) {
	ctx := t.Context()
	a, _ := newOrg(t, st, "kit-a")
	b, _ := newOrg(t, st, "kit-b")
	eve := addPeople(t, st, b.ID, isms.Person{Ref: "P-001", Name: "Eve of B"})[0]
	x := thing{ID: store.NewID(), Ref: "A-001", Name: "Crafted", Kind: "software", OwnerID: eve.ID, Created: t0}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return things.Insert(ctx, tx, a.ID, &x) })
	var got thing
	ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { got, err = things.Get(ctx, tx, a.ID, "A-001"); return err }))
	if got.Owner != "" || got.OwnerName != "" {
		t.Fatalf("a row of A shows B's person %q %q", got.Owner, got.OwnerName)
	}
	var l store.List[thing]
	ok(t, st.Read(ctx, func(tx *store.Tx) (err error) {
		l, err = things.List(ctx, tx, a.ID, thingFilter{Owner: "P-001"}, store.Page{})
		return err
	}))
	if l.Total != 0 {
		t.Fatalf("filtering A by B's person found %d rows", l.Total)
	}
}

func testKitResolve(t *testing.T, st *store.Store) {
	ctx := t.Context()
	a, _ := newOrg(t, st, "kit-a")
	b, _ := newOrg(t, st, "kit-b")
	ps := addPeople(t, st, a.ID, isms.Person{Ref: "P-001", Name: "Ann Lee", Email: "ann@a.example"},
		isms.Person{Ref: "P-002", Name: "Same Name"}, isms.Person{Ref: "P-003", Name: "Same Name"}, isms.Person{Ref: "P-004", Name: "p-001"})
	addPeople(t, st, b.ID, isms.Person{Ref: "P-009", Name: "Bob of B", Email: "bob@b.example"})
	var got map[string]store.Target
	ok(t, st.Read(ctx, func(tx *store.Tx) (err error) {
		got, err = tx.Resolve(ctx, a.ID, store.PeopleLookup, []string{"p-001", " ANN LEE ", "ann@a.example", "same name", "P-009", "bob@b.example", "", "nobody"})
		return err
	}))
	want := map[string]store.Target{
		"p-001":         {ID: ps[0].ID, Ref: "P-001", Name: "Ann Lee"}, // a reference wins over a name
		"ann lee":       {ID: ps[0].ID, Ref: "P-001", Name: "Ann Lee"},
		"ann@a.example": {ID: ps[0].ID, Ref: "P-001", Name: "Ann Lee"},
		"same name":     {ID: ps[1].ID, Ref: "P-002", Name: "Same Name"}, // the lowest reference of a shared name
	}
	if len(got) != len(want) {
		t.Fatalf("resolved %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%q resolved to %+v, want %+v", k, got[k], w)
		}
	}
}

// ownedThing is a thing that reads its owner's version as a joined column, and filters with a condition built
// from another field of its filter.
type ownedThing struct {
	thing
	OwnerVersion int
}

type ownedFilter struct{ Search, Named, Prefix, Sort string }

// testKitJoinedAndCondOf: a joined column is read with every row and never written; a CondOf filter takes its
// condition from the whole filter, and its value as the one argument.
func testKitJoinedAndCondOf(t *testing.T, st *store.Store) {
	ctx := t.Context()
	reg := &store.Register[ownedThing, ownedFilter]{
		Entity: "thing", Table: "assets", Alias: "t",
		ID:      func(t *ownedThing) *string { return &t.ID },
		Ref:     func(t *ownedThing) *string { return &t.Ref },
		Version: func(t *ownedThing) *int { return &t.Version },
		Columns: []store.Column[ownedThing]{
			store.Text("name", func(t *ownedThing) *string { return &t.Name }),
			store.Text("type", func(t *ownedThing) *string { return &t.Kind }),
			store.Time("created_at", func(t *ownedThing) *time.Time { return &t.Created }).InsertOnly(),
			store.Time("updated_at", func(t *ownedThing) *time.Time { return &t.Created }),
			store.JoinedInt("o.version", func(t *ownedThing) *int { return &t.OwnerVersion }),
		},
		Refs: []store.Reference[ownedThing]{{Column: "owner_id", Target: store.PeopleLookup, Alias: "o",
			ID: func(t *ownedThing) *string { return &t.OwnerID }, Ref: func(t *ownedThing) *string { return &t.Owner },
			Name: func(t *ownedThing) *string { return &t.OwnerName }}},
		Filters: []store.Filter[ownedFilter]{{Name: "named", Kind: store.FilterText, Field: func(f *ownedFilter) *string { return &f.Named },
			Where: func(f *ownedFilter, v string) (string, []any) {
				return "t.name = " + map[bool]string{true: "? || 'x'", false: "?"}[f.Prefix == "x"], []any{v}
			}}},
		Sorts:    []store.Sort{{Name: "ref", Expr: "t.ref"}},
		SearchOf: func(f *ownedFilter) *string { return &f.Search },
		SortOf:   func(f *ownedFilter) *string { return &f.Sort },
	}
	org, _ := newOrg(t, st, "joined")
	ann := addPeople(t, st, org.ID, isms.Person{Ref: "P-001", Name: "Ann"})[0]
	rows := []ownedThing{{thing: thing{ID: store.NewID(), Ref: "A-001", Name: "Lap", Kind: "hardware", OwnerID: ann.ID, Created: t0}},
		{thing: thing{ID: store.NewID(), Ref: "A-002", Name: "Lapx", Kind: "hardware", Created: t0}, OwnerVersion: 7}}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return reg.InsertMany(ctx, tx, org.ID, rows) })
	rows[0].OwnerVersion = 99 // never written: an update leaves the joined column alone
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return reg.Update(ctx, tx, org.ID, &rows[0]) })
	for _, c := range []struct {
		f    ownedFilter
		want string
	}{{ownedFilter{Named: "Lap"}, "A-001 1"}, {ownedFilter{Named: "Lap", Prefix: "x"}, "A-002 0"}} {
		var l store.List[ownedThing]
		ok(t, st.Read(ctx, func(tx *store.Tx) (err error) { l, err = reg.List(ctx, tx, org.ID, c.f, store.Page{}); return err }))
		if len(l.Items) != 1 || fmt.Sprintf("%s %d", l.Items[0].Ref, l.Items[0].OwnerVersion) != c.want {
			t.Fatalf("filter %+v: %+v, want %s", c.f, l.Items, c.want)
		}
	}
}
