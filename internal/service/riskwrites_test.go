package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// seedPeopleAndAssets adds n people (P-1001 ...) and n assets (A-1001 ...) to the organisation in a few
// multi-row statements: the large register a write must not read whole.
func seedPeopleAndAssets(t testing.TB, svc *service.Service, orgID string, n int) {
	t.Helper()
	now := time.Now().UTC()
	people := make([]isms.Person, n)
	assets := make([]isms.Asset, n)
	for i := range n {
		people[i] = isms.Person{ID: store.NewID(), Ref: fmt.Sprintf("P-%d", 1001+i), Name: fmt.Sprintf("Seeded Person %d", i),
			Email: fmt.Sprintf("seeded%d@example.org", i), CreatedAt: now}
		assets[i] = isms.Asset{ID: store.NewID(), Ref: fmt.Sprintf("A-%d", 1001+i), Name: fmt.Sprintf("Seeded asset %d", i), Type: "software",
			Classification: "internal", Confidentiality: 3, Integrity: 3, Availability: 3, CreatedAt: now, UpdatedAt: now}
	}
	err := svc.Store().Write(context.Background(), func(tx *store.Tx) error {
		if err := store.People.InsertMany(context.Background(), tx, orgID, people); err != nil {
			return err
		}
		return store.Assets.InsertMany(context.Background(), tx, orgID, assets)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRiskWritesResolveOnlyTheirReferences: every risk and treatment action write resolves just the owner and
// assets it names (one scoped query per kind) and returns what it saved without reading it back, so that it runs
// a small fixed number of statements, the same with 2,000 people and 2,000 assets as with none. The risk each
// write returns and audits is exactly the risk a later read returns.
func TestRiskWritesResolveOnlyTheirReferences(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		counts := map[int]map[string]int64{}
		for _, extra := range []int{0, 2000} {
			o := newRiskOrg(t, e, fmt.Sprintf("Org %d", extra))
			seedPeopleAndAssets(t, e.svc, o.Actors["owner"].OrgID, extra)
			counts[extra] = riskWriteStatements(t, e, o)
		}
		// Budgets: the risk method, one lookup per kind named, the reference counter, one multi-row insert per
		// table, three for the audit event, and one to check that no linked control is excluded from the SoA.
		// Whole-table loads and read-backs took 10 to 18 before.
		budget := map[string]int64{"add risk": 12, "update risk": 16, "accept risk": 8, "add action": 7, "update action": 6}
		t.Logf("statements per write: %v (2,000 extra people and assets: %v)", counts[0], counts[2000])
		for write, want := range budget {
			small, large := counts[0][write], counts[2000][write]
			if small != large {
				t.Errorf("%s ran %d statements with no extra people and assets, %d with 2,000 each", write, small, large)
			}
			if large > want {
				t.Errorf("%s ran %d statements, want at most %d", write, large, want)
			}
		}
	})
}

// riskWriteStatements runs each risk and treatment action write once in o and counts its statements; it checks
// that what each write returns (and records in the audit trail) is what a read returns afterwards.
func riskWriteStatements(t *testing.T, e *env, o riskOrg) map[string]int64 {
	t.Helper()
	ctx := o.Ctx("editor")
	out := map[string]int64{}
	count := func(write string, fn func()) {
		before := e.svc.Store().Statements()
		fn()
		out[write] = e.svc.Store().Statements() - before
	}
	var r isms.Risk
	count("add risk", func() {
		res, err := e.svc.AddRisk(ctx, service.RiskInput{Title: "Leaked source", Owner: "olga@" + o.Slug + ".example", Assets: []string{"a-002", "Source code"},
			Likelihood: 3, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"8.5", "5.15"}, ResidualLikelihood: 2, ResidualImpact: 2})
		ok(t, err)
		r = res.Risk
	})
	if r.Owner != o.otherPerson || r.OwnerName != "Olga Other" || !reflect.DeepEqual(r.Assets, []string{"A-001", "A-002"}) ||
		!reflect.DeepEqual(r.Controls, []string{"5.15", "8.5"}) {
		t.Fatalf("added risk = %+v", r)
	}
	sameAsStored(t, e, o, r)

	in := inputOf(r)
	in.Owner, in.Assets, in.Controls, in.Likelihood = o.editorPerson, []string{"Office"}, []string{"5.1"}, 5
	count("update risk", func() {
		res, err := e.svc.UpdateRisk(ctx, r.Ref, in)
		ok(t, err)
		r = res.Risk
	})
	if r.Owner != o.editorPerson || r.OwnerName != "Eddie Editor" || !reflect.DeepEqual(r.Assets, []string{"A-003"}) || r.Version != 2 || r.Score != 20 {
		t.Fatalf("updated risk = %+v", r)
	}
	sameAsStored(t, e, o, r)

	count("accept risk", func() {
		var err error
		r, err = e.svc.AcceptRisk(o.Ctx("approver"), r.Ref, service.AcceptRiskInput{Comment: "fine", Version: r.Version})
		ok(t, err)
	})
	if r.AcceptedAt == nil || r.Owner != o.editorPerson || r.Version != 3 {
		t.Fatalf("accepted risk = %+v", r)
	}
	sameAsStored(t, e, o, r)

	var act isms.TreatmentAction
	count("add action", func() {
		var err error
		act, err = e.svc.AddAction(ctx, r.Ref, service.ActionInput{Title: "Rotate keys", Owner: "Olga Other", Due: "2030-01-01"})
		ok(t, err)
	})
	count("update action", func() {
		var err error
		act, err = e.svc.UpdateAction(ctx, act.Ref, service.ActionInput{Title: "Rotate all keys", Owner: o.editorPerson, Status: "in-progress",
			Version: act.Version})
		ok(t, err)
	})
	l, err := e.svc.ListActions(ctx, service.ActionFilter{Risk: r.Ref}, allItems)
	ok(t, err)
	if len(l.Items) != 1 || !reflect.DeepEqual(l.Items[0], act) || act.Owner != o.editorPerson || act.RiskRef != r.Ref || act.Version != 2 {
		t.Fatalf("action returned %+v, stored %+v", act, l.Items)
	}
	return out
}

// sameAsStored fails unless r, as a write returned it and as its last audit event records it, is the risk
// a read returns.
func sameAsStored(t *testing.T, e *env, o riskOrg, r isms.Risk) {
	t.Helper()
	stored := getRisk(t, e, o.Ctx("viewer"), r.Ref).Risk
	if !reflect.DeepEqual(r, stored) {
		t.Fatalf("write returned %+v\nread returns %+v", r, stored)
	}
	evs := events(t, e, o.Org, "risk")
	want, err := json.Marshal(stored)
	ok(t, err)
	if last := evs[len(evs)-1]; last.Ref != r.Ref || string(last.After) != string(want) {
		t.Fatalf("audit event after = %s\nwant %s", last.After, want)
	}
}

// BenchmarkAddRisk adds risks through the service in an organisation with 2,000 people and 2,000 assets, each
// risk naming an owner and two assets (SQLite; PostgreSQL too when PRAXIS_TEST_PG is set).
func BenchmarkAddRisk(b *testing.B) {
	for _, engine := range testutil.Engines {
		b.Run(string(engine), func(b *testing.B) {
			svc := testutil.NewServiceWith(b, testutil.NewDB(b, engine), service.Config{})
			o := testutil.NewOrg(b, svc, "Bench")
			seedPeopleAndAssets(b, svc, o.Actors["owner"].OrgID, 2000)
			ctx := o.Ctx("editor")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := svc.AddRisk(ctx, service.RiskInput{Title: fmt.Sprintf("Risk %d", i), Owner: fmt.Sprintf("P-%d", 1001+i%2000),
					Assets: []string{fmt.Sprintf("A-%d", 1001+i%2000), fmt.Sprintf("A-%d", 1001+(i+7)%2000)}, Likelihood: 3, Impact: 3,
					Treatment: isms.TreatModify, Controls: []string{"5.1"}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
