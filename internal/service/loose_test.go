package service_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The appetite filter (SQL) agrees with isms.RiskMethod.AboveAppetite (Go) on every risk, and sorting by the
// current score orders by the same rule.
func TestAppetiteFilterMatchesCurrentScore(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		for _, in := range []service.RiskInput{
			{Title: "high inherent, low residual", Likelihood: 5, Impact: 5, ResidualLikelihood: 1, ResidualImpact: 2},
			{Title: "low inherent, no residual", Likelihood: 1, Impact: 3, Treatment: isms.TreatRetain},
			{Title: "high inherent, no residual", Likelihood: 4, Impact: 4, Treatment: isms.TreatRetain},
			{Title: "residual above", Likelihood: 5, Impact: 4, ResidualLikelihood: 3, ResidualImpact: 3},
			{Title: "at the threshold", Likelihood: 3, Impact: 3, ResidualLikelihood: 2, ResidualImpact: 3},
		} {
			addRisk(t, e, ctx, in)
		}
		m, err := e.svc.RiskMethod(ctx)
		ok(t, err)
		all, err := e.svc.ListRisks(ctx, service.RiskFilter{}, allItems)
		ok(t, err)
		var above, within []string
		for _, r := range all.Items {
			if m.AboveAppetite(r) {
				above = append(above, r.Ref)
			} else {
				within = append(within, r.Ref)
			}
		}
		if !slices.Equal(above, []string{"R-003", "R-004"}) {
			t.Fatalf("above appetite by the rule: %v", above)
		}
		for appetite, want := range map[string][]string{"above": above, "within": within} {
			f, err := service.AppetiteFilter(service.RiskFilter{}, m, appetite)
			ok(t, err)
			l, err := e.svc.ListRisks(ctx, f, allItems)
			ok(t, err)
			if got := refsOf(l.Items); !slices.Equal(got, want) {
				t.Errorf("appetite %s lists %v, the rule says %v", appetite, got, want)
			}
			// The export of the filtered register holds the same risks.
			var csv bytes.Buffer
			ok(t, e.svc.ExportRisks(ctx, f, "csv", &csv))
			var exported []string
			for _, line := range strings.Split(strings.TrimSpace(csv.String()), "\n")[1:] {
				exported = append(exported, strings.SplitN(line, ",", 2)[0])
			}
			if !slices.Equal(exported, want) {
				t.Errorf("appetite %s exports %v, the rule says %v", appetite, exported, want)
			}
		}
		l, err := e.svc.ListRisks(ctx, service.RiskFilter{Sort: "-current"}, allItems)
		ok(t, err)
		if !slices.IsSortedFunc(l.Items, func(a, b isms.Risk) int { return b.CurrentScore() - a.CurrentScore() }) {
			t.Errorf("sort -current: %v", refsOf(l.Items))
		}
		_, err = service.AppetiteFilter(service.RiskFilter{}, m, "high")
		wantKind(t, err, isms.KindInvalid, "bad appetite")
	})
}

// A risk treated by modifying it is accepted on its residual risk: without one, acceptance is refused with a
// message that names the risk, and nothing changes. Once assessed it may be accepted.
func TestAcceptanceNeedsResidualWhenModifying(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx, approver := o.Ctx("editor"), o.Ctx("approver")
		r := addRisk(t, e, ctx, service.RiskInput{Title: "Unpatched servers", Likelihood: 2, Impact: 2, Treatment: isms.TreatModify})
		n := len(trail(t, e, orgID(o.Org)))
		_, err := e.svc.AcceptRisk(approver, r.Ref, service.AcceptRiskInput{Comment: "fine", Version: r.Version})
		wantKind(t, err, isms.KindInvalid, "accept modify without residual")
		if !strings.Contains(err.Error(), "risk "+r.Ref) || !strings.Contains(err.Error(), "assess the residual risk first") {
			t.Errorf("message: %v", err)
		}
		if d := getRisk(t, e, ctx, r.Ref); d.AcceptedAt != nil || d.Version != r.Version || len(trail(t, e, orgID(o.Org))) != n {
			t.Fatalf("a refused acceptance changed the risk or the trail: %+v", d.Risk)
		}
		// A retained risk without residual is accepted on its inherent score.
		kept := addRisk(t, e, ctx, service.RiskInput{Title: "Office flood", Likelihood: 1, Impact: 2, Treatment: isms.TreatRetain})
		_, err = e.svc.AcceptRisk(approver, kept.Ref, service.AcceptRiskInput{Version: kept.Version})
		ok(t, err)
		// Assessing the residual risk makes the modified one acceptable.
		in := inputOf(r)
		in.ResidualLikelihood, in.ResidualImpact = 1, 2
		up, err := e.svc.UpdateRisk(ctx, r.Ref, in)
		ok(t, err)
		r = up.Risk
		a, err := e.svc.AcceptRisk(approver, r.Ref, service.AcceptRiskInput{Version: r.Version})
		ok(t, err)
		if a.AcceptedAt == nil {
			t.Fatal("not accepted after the residual assessment")
		}
	})
}

// Deleting an asset is a change of every risk that named it: a new version (an edit made on the old one is
// stale), a history entry and an audit event each, in the same transaction as the deletion. Other risks stay.
func TestDeleteAssetChangesItsRisks(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		asset, err := e.svc.Asset(ctx, "A-001")
		ok(t, err)
		both := addRisk(t, e, ctx, service.RiskInput{Title: "Both assets", Likelihood: 3, Impact: 3, Assets: []string{"A-001", "A-002"}})
		only := addRisk(t, e, ctx, service.RiskInput{Title: "This asset", Likelihood: 2, Impact: 2, Assets: []string{"A-001"}})
		other := addRisk(t, e, ctx, service.RiskInput{Title: "Another asset", Likelihood: 2, Impact: 2, Assets: []string{"A-002"}})
		e.clock.Advance(time.Hour)
		n := len(trail(t, e, orgID(o.Org)))

		ok(t, e.svc.DeleteAsset(ctx, asset.Ref))

		for _, c := range []struct {
			before isms.Risk
			assets []string
		}{{both, []string{"A-002"}}, {only, []string{}}} {
			d := getRisk(t, e, ctx, c.before.Ref)
			if d.Version != c.before.Version+1 || !slices.Equal(d.Assets, c.assets) || !d.UpdatedAt.Equal(e.clock.Now()) {
				t.Errorf("%s after the deletion: version %d, assets %v, updated %v", d.Ref, d.Version, d.Assets, d.UpdatedAt)
			}
			if len(d.History) != 2 || d.History[0].Note != "asset A-001 "+asset.Name+" was deleted; the risk no longer names it" || d.History[0].Score != c.before.Score {
				t.Errorf("%s history: %+v", d.Ref, d.History)
			}
			// An edit made on the version read before the deletion is stale.
			in := inputOf(c.before)
			in.Assets, in.Title = c.assets, "Edited on the old version"
			_, err := e.svc.UpdateRisk(ctx, c.before.Ref, in)
			wantKind(t, err, isms.KindConflict, "edit of the version before the deletion")
		}
		if d := getRisk(t, e, ctx, other.Ref); d.Version != other.Version || len(d.History) != 1 {
			t.Errorf("an unrelated risk changed: %+v", d.Risk)
		}
		evs := trail(t, e, orgID(o.Org))[n:]
		if len(evs) != 3 || evs[0].Action != "delete" || evs[0].Entity != "asset" {
			t.Fatalf("audit events of the deletion: %v", evs)
		}
		for _, r := range []isms.Risk{both, only} {
			found := false
			for _, ev := range evs[1:] {
				var b, a isms.Risk
				if ev.Action != "update" || ev.Entity != "risk" || ev.Ref != r.Ref {
					continue
				}
				found = true
				ok(t, json.Unmarshal(ev.Before, &b))
				ok(t, json.Unmarshal(ev.After, &a))
				if !slices.Contains(b.Assets, "A-001") || slices.Contains(a.Assets, "A-001") || a.Version != b.Version+1 {
					t.Errorf("audit of %s: before %v v%d, after %v v%d", r.Ref, b.Assets, b.Version, a.Assets, a.Version)
				}
			}
			if !found {
				t.Errorf("no audit event for %s", r.Ref)
			}
		}
	})
}

// A residual score above the inherent one is saved, with a warning in the result; a normal one has none.
func TestResidualAboveInherentWarns(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		r, err := e.svc.AddRisk(ctx, service.RiskInput{Title: "Odd", Likelihood: 2, Impact: 2, Treatment: isms.TreatModify, ResidualLikelihood: 3, ResidualImpact: 3})
		ok(t, err)
		if r.ResidualScore != 9 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "the residual score 9 of risk R-001 is above its inherent score 4") {
			t.Fatalf("add: %+v", r)
		}
		in := inputOf(r.Risk)
		in.ResidualLikelihood, in.ResidualImpact = 1, 2
		up, err := e.svc.UpdateRisk(ctx, r.Ref, in)
		ok(t, err)
		if up.ResidualScore != 2 || up.Warnings == nil || len(up.Warnings) != 0 {
			t.Fatalf("update within: %+v", up)
		}
		in = inputOf(up.Risk)
		in.Likelihood, in.Impact = 1, 1
		up, err = e.svc.UpdateRisk(ctx, r.Ref, in)
		ok(t, err)
		if d := getRisk(t, e, ctx, r.Ref); d.Score != 1 || d.ResidualScore != 2 || len(up.Warnings) != 1 {
			t.Fatalf("lowering the inherent risk below the residual one: saved %+v, warnings %v", d.Risk, up.Warnings)
		}
	})
}

// Each assessment records the method it was made under; a later change of the method leaves it as it was.
func TestAssessmentKeepsItsMethod(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		r := addRisk(t, e, ctx, service.RiskInput{Title: "Risk", Likelihood: 3, Impact: 3, ResidualLikelihood: 2, ResidualImpact: 3})
		def := isms.DefaultRiskMethod()
		in := service.RiskMethodInput{Likelihood: def.Likelihood, Impact: def.Impact, Scoring: isms.ScoreMultiply, AcceptanceThreshold: 4, HighThreshold: 9}
		res, err := e.svc.SetRiskMethod(ctx, in)
		ok(t, err)
		up := inputOf(getRisk(t, e, ctx, r.Ref).Risk)
		up.ResidualLikelihood = 1
		_, err = e.svc.UpdateRisk(ctx, r.Ref, up)
		ok(t, err)
		h := getRisk(t, e, ctx, r.Ref).History
		if len(h) != 2 || h[0].Method != res.Method.Snapshot() || h[1].Method != def.Snapshot() {
			t.Fatalf("history methods: %+v", h)
		}
		// The first assessment's residual 6 was low (within appetite 6); under the new method it would be medium.
		if h[1].Method.Band(h[1].ResidualScore) != "low" || res.Method.Band(h[1].ResidualScore) != "medium" {
			t.Errorf("bands of the first assessment: %s under its method", h[1].Method.Band(h[1].ResidualScore))
		}
	})
}

// The overdue filter (SQL) and isms.TreatmentAction.Overdue (Go) agree on every status and due date.
func TestOverdueFilterMatchesTheRule(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		r := addRisk(t, e, ctx, service.RiskInput{Title: "Risk", Likelihood: 2, Impact: 2})
		today := e.svc.Today()
		for _, status := range isms.ActionStatuses {
			for _, due := range []string{"", "2026-03-01", today, "2026-03-03"} {
				_, err := e.svc.AddAction(ctx, r.Ref, service.ActionInput{Title: status + " " + due, Status: status, Due: due})
				ok(t, err)
			}
		}
		all, err := e.svc.ListActions(ctx, service.ActionFilter{}, allItems)
		ok(t, err)
		var want []string
		for _, a := range all.Items {
			if a.Overdue(today) {
				want = append(want, a.Ref)
			}
		}
		if len(want) != len(isms.OpenActionStatuses) {
			t.Fatalf("overdue by the rule: %v", want)
		}
		l, err := e.svc.ListActions(ctx, service.ActionFilter{OverdueOn: today}, allItems)
		ok(t, err)
		var got []string
		for _, a := range l.Items {
			got = append(got, a.Ref)
		}
		if !slices.Equal(got, want) {
			t.Errorf("overdue filter lists %v, the rule says %v", got, want)
		}
	})
}
