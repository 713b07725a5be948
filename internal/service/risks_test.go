package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

var allItems = service.Page{Limit: store.MaxPageSize}

// riskOrg is an organisation with people and assets to build risks on.
type riskOrg struct {
	testutil.Org
	editorPerson string // P-001: the person whose email is the editor member's
	otherPerson  string // P-002: a person with no account
}

func newRiskOrg(t *testing.T, e *env, name string) riskOrg {
	t.Helper()
	o := testutil.NewOrg(t, e.svc, name)
	ctx := o.Ctx("editor")
	p1, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Eddie Editor", Email: o.Actors["editor"].Email})
	ok(t, err)
	p2, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Olga Other", Email: "olga@" + o.Slug + ".example"})
	ok(t, err)
	for _, a := range []service.AssetInput{
		{Name: "Source code", Type: "software", Owner: p1.Ref, Classification: "confidential"},
		{Name: "Customer database", Type: "information", Owner: p2.Ref, Classification: "restricted", Confidentiality: 5},
		{Name: "Office", Type: "site"},
	} {
		_, err := e.svc.AddAsset(ctx, a)
		ok(t, err)
	}
	return riskOrg{Org: o, editorPerson: p1.Ref, otherPerson: p2.Ref}
}

func addRisk(t *testing.T, e *env, ctx context.Context, in service.RiskInput) isms.Risk {
	t.Helper()
	if in.Treatment == "" {
		in.Treatment = isms.TreatModify
	}
	r, err := e.svc.AddRisk(ctx, in)
	ok(t, err)
	return r.Risk
}

func getRisk(t *testing.T, e *env, ctx context.Context, ref string) service.RiskDetail {
	t.Helper()
	d, err := e.svc.Risk(ctx, ref)
	ok(t, err)
	return d
}

// inputOf is the RiskInput that keeps a risk as it is.
func inputOf(r isms.Risk) service.RiskInput {
	return service.RiskInput{Title: r.Title, Description: r.Description, Assets: r.Assets, Threat: r.Threat, Vulnerability: r.Vulnerability,
		Owner: r.Owner, Likelihood: r.Likelihood, Impact: r.Impact, Treatment: r.Treatment, Controls: r.Controls,
		ResidualLikelihood: r.ResidualLikelihood, ResidualImpact: r.ResidualImpact, Version: r.Version}
}

func events(t *testing.T, e *env, o testutil.Org, entity string) []isms.AuditEvent {
	t.Helper()
	var out []isms.AuditEvent
	for _, ev := range trail(t, e, orgID(o)) {
		if ev.Entity == entity {
			out = append(out, ev)
		}
	}
	return out
}

func refsOf(risks []isms.Risk) []string {
	out := []string{}
	for _, r := range risks {
		out = append(out, r.Ref)
	}
	return out
}

// TestRiskLifecycle: add, reassess, accept; scores from the method; residual changes withdraw acceptance;
// history grows; stale versions and bad input change nothing.
func TestRiskLifecycle(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")

		r := addRisk(t, e, ctx, service.RiskInput{Title: "Insecure code reaches production", Assets: []string{"A-001", "a-002", "A-001"},
			Threat: "Exploitation of application flaws", Vulnerability: "No code review", Owner: o.editorPerson, Likelihood: 4, Impact: 5,
			Treatment: isms.TreatModify, Controls: []string{"8.28", "A.8.25", "8.28"}, ResidualLikelihood: 2, ResidualImpact: 4})
		if r.Ref != "R-001" || r.Score != 20 || r.ResidualScore != 8 || r.Version != 1 || r.Owner != o.editorPerson || r.OwnerName != "Eddie Editor" {
			t.Fatalf("added risk: %+v", r)
		}
		if !slices.Equal(r.Controls, []string{"8.25", "8.28"}) || !slices.Equal(r.Assets, []string{"A-001", "A-002"}) {
			t.Fatalf("links: controls %v assets %v", r.Controls, r.Assets)
		}
		if r.AcceptedAt != nil || r.AcceptedBy != "" {
			t.Fatalf("a new risk is not accepted: %+v", r)
		}
		d := getRisk(t, e, ctx, "R-001")
		if len(d.History) != 1 || d.History[0].Score != 20 || d.History[0].ResidualScore != 8 || d.Band != "high" || d.ResidualBand != "medium" {
			t.Fatalf("detail: bands %s/%s history %+v", d.Band, d.ResidualBand, d.History)
		}
		if ev := events(t, e, o.Org, "risk"); len(ev) != 1 || ev[0].Action != "create" || ev[0].Ref != "R-001" {
			t.Fatalf("audit: %+v", ev)
		}

		// Acceptance: residual 8 is above the threshold 6, so a comment is required.
		_, err := e.svc.AcceptRisk(ctx, "R-001", service.AcceptRiskInput{Version: r.Version})
		wantKind(t, err, isms.KindInvalid, "accept above threshold without comment")
		if f := fieldsOf(t, err); !slices.Equal(f, []string{"comment"}) {
			t.Fatalf("fields %v", f)
		}
		// Neither an admin nor another editor owns the risk or approves: Forbidden.
		for _, role := range []string{"admin", "auditor", "viewer"} {
			_, err = e.svc.AcceptRisk(o.Ctx(role), "R-001", service.AcceptRiskInput{Comment: "fine", Version: r.Version})
			wantKind(t, err, isms.KindForbidden, "accept by "+role)
		}
		if got := getRisk(t, e, ctx, "R-001"); got.AcceptedAt != nil || got.Version != r.Version {
			t.Fatalf("refused acceptance changed the risk: %+v", got.Risk)
		}
		// The owner (the person with the member's email) accepts.
		e.clock.Advance(time.Hour)
		acc, err := e.svc.AcceptRisk(ctx, "R-001", service.AcceptRiskInput{Comment: "Reviews and SAST in place", Version: r.Version})
		ok(t, err)
		if acc.AcceptedAt == nil || !acc.AcceptedAt.Equal(e.clock.Now()) || acc.AcceptedBy != o.Actors["editor"].Name ||
			acc.AcceptanceComment != "Reviews and SAST in place" || acc.Version != 2 {
			t.Fatalf("accepted: %+v", acc)
		}
		if ev := events(t, e, o.Org, "risk"); ev[len(ev)-1].Action != "accept" {
			t.Fatalf("no accept event: %+v", ev[len(ev)-1])
		}

		// A change that does not touch the assessment keeps the acceptance and the history.
		in := inputOf(acc)
		in.Title = "Insecure code reaches production systems"
		up, err := e.svc.UpdateRisk(ctx, "R-001", in)
		ok(t, err)
		if up.AcceptedAt == nil || up.Version != 3 || len(getRisk(t, e, ctx, "R-001").History) != 1 {
			t.Fatalf("title change: %+v", up)
		}

		// Stale version: Conflict, nothing changes.
		stale := inputOf(acc) // version 2
		stale.Likelihood = 1
		_, err = e.svc.UpdateRisk(ctx, "R-001", stale)
		wantKind(t, err, isms.KindConflict, "stale update")
		if got := getRisk(t, e, ctx, "R-001"); !reflect.DeepEqual(got.Risk, up.Risk) || len(got.History) != 1 {
			t.Fatalf("stale update changed the risk:\n%+v\n%+v", got.Risk, up)
		}
		_, err = e.svc.AcceptRisk(ctx, "R-001", service.AcceptRiskInput{Comment: "x", Version: 1})
		wantKind(t, err, isms.KindConflict, "stale accept")

		// Reassessment of the residual risk withdraws the acceptance and adds to the history.
		e.clock.Advance(time.Hour)
		in = inputOf(up.Risk)
		in.ResidualLikelihood, in.ResidualImpact, in.Note = 3, 4, "SAST coverage dropped"
		re, err := e.svc.UpdateRisk(ctx, "R-001", in)
		ok(t, err)
		if re.ResidualScore != 12 || re.AcceptedAt != nil || re.AcceptedBy != "" || re.AcceptanceComment != "" || re.Version != 4 {
			t.Fatalf("reassessed: %+v", re)
		}
		d = getRisk(t, e, ctx, "R-001")
		if len(d.History) != 2 || d.History[0].ResidualScore != 12 || d.History[0].Note != "SAST coverage dropped" || d.History[1].ResidualScore != 8 {
			t.Fatalf("history after reassessment: %+v", d.History)
		}
		// An approver who is not the owner may accept.
		acc, err = e.svc.AcceptRisk(o.Ctx("approver"), "R-001", service.AcceptRiskInput{Comment: "Accepted until the next review", Version: re.Version})
		ok(t, err)
		if acc.AcceptedBy != o.Actors["approver"].Name {
			t.Fatalf("accepted by %q", acc.AcceptedBy)
		}
		// The inherent risk changing alone is a reassessment but keeps the residual acceptance.
		in = inputOf(acc)
		in.Likelihood = 5
		up, err = e.svc.UpdateRisk(ctx, "R-001", in)
		ok(t, err)
		if up.Score != 25 || up.AcceptedAt == nil || len(getRisk(t, e, ctx, "R-001").History) != 3 {
			t.Fatalf("inherent reassessment: %+v", up)
		}

		// Within appetite, no comment is needed.
		low := addRisk(t, e, ctx, service.RiskInput{Title: "Office flood", Assets: []string{"A-003"}, Owner: o.otherPerson, Likelihood: 1, Impact: 3,
			Treatment: isms.TreatRetain})
		_, err = e.svc.AcceptRisk(ctx, low.Ref, service.AcceptRiskInput{Version: low.Version})
		wantKind(t, err, isms.KindForbidden, "editor accepts another person's risk")
		_, err = e.svc.AcceptRisk(o.Ctx("owner"), low.Ref, service.AcceptRiskInput{Version: low.Version})
		ok(t, err)

		// Every problem at once, and nothing written.
		before := len(trail(t, e, orgID(o.Org)))
		_, err = e.svc.AddRisk(ctx, service.RiskInput{Title: " ", Assets: []string{"A-001", "A-099"}, Owner: "P-404", Likelihood: 6, Impact: 0,
			Treatment: "ignore", Controls: []string{"8.28", "A.14.2.1", "9.9"}, ResidualLikelihood: 2})
		wantKind(t, err, isms.KindInvalid, "bad risk")
		got := fieldsOf(t, err)
		for _, f := range []string{"title", "likelihood", "impact", "residual_impact", "treatment", "controls", "owner", "assets"} {
			if !slices.Contains(got, f) {
				t.Errorf("missing field error %q in %v", f, got)
			}
		}
		if n := strings.Count(err.Error(), "is not an ISO/IEC 27001:2022 Annex A control"); n != 1 ||
			!strings.Contains(err.Error(), "A.14.2.1 is an ISO 27001:2013 control; it became 8.25 in 2022") {
			t.Errorf("want both unknown controls named, the 2013 one with its 2022 successor: %v", err)
		}
		if l, _ := e.svc.ListRisks(ctx, service.RiskFilter{}, allItems); l.Total != 2 || len(trail(t, e, orgID(o.Org))) != before {
			t.Fatalf("bad risk changed something: %d risks", l.Total)
		}
		in = inputOf(up.Risk)
		in.Owner, in.Assets, in.Controls = "nobody@example.org", []string{"A-404"}, []string{"5.99"}
		_, err = e.svc.UpdateRisk(ctx, "R-001", in)
		wantKind(t, err, isms.KindInvalid, "bad update")
		if got := fieldsOf(t, err); len(got) != 3 {
			t.Fatalf("bad update fields %v", got)
		}

		// Delete takes history and actions with it; the trail keeps the last state.
		_, err = e.svc.AddAction(ctx, "R-002", service.ActionInput{Title: "Move servers upstairs"})
		ok(t, err)
		ok(t, e.svc.DeleteRisk(ctx, "R-002"))
		_, err = e.svc.Risk(ctx, "R-002")
		wantKind(t, err, isms.KindNotFound, "deleted risk")
		if l, _ := e.svc.ListActions(ctx, service.ActionFilter{}, allItems); l.Total != 0 {
			t.Fatalf("actions of a deleted risk remain: %+v", l.Items)
		}
		if ev := events(t, e, o.Org, "risk"); ev[len(ev)-1].Action != "delete" || len(ev[len(ev)-1].Before) == 0 {
			t.Fatalf("delete event: %+v", ev[len(ev)-1])
		}
		// Deleting an asset unlinks it from its risks.
		ok(t, e.svc.DeleteAsset(ctx, "A-002"))
		if got := getRisk(t, e, ctx, "R-001"); !slices.Equal(got.Assets, []string{"A-001"}) {
			t.Fatalf("assets after deleting A-002: %v", got.Assets)
		}
	})
}

// TestAssets: add, update with optimistic locking, every field error at once, filters.
func TestAssets(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		a, err := e.svc.Asset(ctx, "A-002")
		ok(t, err)
		if a.Name != "Customer database" || a.Owner != o.otherPerson || a.OwnerName != "Olga Other" || a.Confidentiality != 5 {
			t.Fatalf("asset: %+v", a)
		}
		// Owner by email works like the reference.
		up, err := e.svc.UpdateAsset(ctx, "A-002", service.AssetInput{Name: "Customer DB", Type: "Information", Owner: o.Actors["editor"].Email,
			Classification: "restricted", Confidentiality: 5, Integrity: 4, Availability: 3, Version: a.Version})
		ok(t, err)
		if up.Owner != o.editorPerson || up.Type != "information" || up.Version != 2 {
			t.Fatalf("updated: %+v", up)
		}
		_, err = e.svc.UpdateAsset(ctx, "A-002", service.AssetInput{Name: "Stale", Type: "information", Version: a.Version})
		wantKind(t, err, isms.KindConflict, "stale asset")
		if got, _ := e.svc.Asset(ctx, "A-002"); got.Name != "Customer DB" {
			t.Fatalf("stale update changed the asset: %+v", got)
		}
		_, err = e.svc.AddAsset(ctx, service.AssetInput{Name: "", Type: "spaceship", Owner: "P-404", Classification: "secret", Integrity: 9})
		wantKind(t, err, isms.KindInvalid, "bad asset")
		if got := fieldsOf(t, err); len(got) != 5 {
			t.Fatalf("bad asset fields: %v", got)
		}
		for _, c := range []struct {
			f    service.AssetFilter
			want []string
		}{
			{service.AssetFilter{Type: "site"}, []string{"A-003"}},
			{service.AssetFilter{Owner: o.editorPerson}, []string{"A-001", "A-002"}},
			{service.AssetFilter{Classification: "confidential"}, []string{"A-001"}},
			{service.AssetFilter{Search: "CUSTOMER"}, []string{"A-002"}},
			{service.AssetFilter{Sort: "-name"}, []string{"A-001", "A-003", "A-002"}},
		} {
			l, err := e.svc.ListAssets(ctx, c.f, allItems)
			ok(t, err)
			var got []string
			for _, a := range l.Items {
				got = append(got, a.Ref)
			}
			if !slices.Equal(got, c.want) || l.Total != len(c.want) {
				t.Errorf("assets %+v: got %v, want %v", c.f, got, c.want)
			}
		}
	})
}

// TestRiskMethodRescale: a change of scale size needs Rescale when risks exist; with it, each risk is mapped
// proportionally and re-scored, its history names the previous levels and scores, an acceptance that no longer
// holds is withdrawn (in the risk's history and the audit trail), and a round trip 5x5 -> 3x3 -> 5x5 keeps the
// original assessment in the history even where the levels could not come back.
func TestRiskMethodRescale(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx, approver := o.Ctx("editor"), o.Ctx("approver")
		def, err := e.svc.RiskMethod(ctx)
		ok(t, err)
		if def.Version != 0 || len(def.Likelihood) != 5 || def.Scoring != isms.ScoreMultiply || def.AcceptanceThreshold != 6 {
			t.Fatalf("default method: %+v", def)
		}
		accept := func(r isms.Risk, comment string) isms.Risk {
			t.Helper()
			d := getRisk(t, e, ctx, r.Ref)
			a, err := e.svc.AcceptRisk(approver, r.Ref, service.AcceptRiskInput{Comment: comment, Version: d.Version})
			ok(t, err)
			return a
		}
		// 5 levels -> 3: 1 -> 1, 2 -> 2, 3 -> 2, 4 -> 3, 5 -> 3.
		r1 := accept(addRisk(t, e, ctx, service.RiskInput{Title: "High", Likelihood: 5, Impact: 5, ResidualLikelihood: 3, ResidualImpact: 1}), "")   // residual 3 -> 2: changes
		r2 := addRisk(t, e, ctx, service.RiskInput{Title: "Low", Likelihood: 1, Impact: 3, Treatment: isms.TreatRetain})                             // not accepted
		r3 := accept(addRisk(t, e, ctx, service.RiskInput{Title: "Middle", Likelihood: 2, Impact: 4, ResidualLikelihood: 1, ResidualImpact: 2}), "") // residual 1x2 stays
		r4 := accept(addRisk(t, e, ctx, service.RiskInput{Title: "Edge", Likelihood: 3, Impact: 3, ResidualLikelihood: 2, ResidualImpact: 2}), "")   // 2x2 = 4 stays, above the new threshold 3
		before := trail(t, e, orgID(o.Org))

		small := service.RiskMethodInput{Likelihood: []isms.Level{{Label: "Low"}, {Label: "Medium"}, {Label: "High"}},
			Impact: []isms.Level{{Label: "Low"}, {Label: "Medium"}, {Label: "High"}}, AcceptanceThreshold: 3, HighThreshold: 6, Version: def.Version}
		_, err = e.svc.SetRiskMethod(ctx, small)
		wantKind(t, err, isms.KindConflict, "resize without rescale")
		if !strings.Contains(err.Error(), "4 risks") || !strings.Contains(err.Error(), "5x5") || !strings.Contains(err.Error(), "3x3") {
			t.Errorf("conflict should name the count and sizes: %v", err)
		}
		if m, _ := e.svc.RiskMethod(ctx); !reflect.DeepEqual(m, def) {
			t.Fatalf("method changed: %+v", m)
		}
		for _, r := range []isms.Risk{r1, r2, r3, r4} {
			if d := getRisk(t, e, ctx, r.Ref); !reflect.DeepEqual(d.Risk, r) || len(d.History) != 1 {
				t.Fatalf("%s changed by a refused method change: %+v", r.Ref, d.Risk)
			}
		}
		if n := len(trail(t, e, orgID(o.Org))); n != len(before) {
			t.Fatalf("refused change wrote %d audit events", n-len(before))
		}
		// Invalid thresholds are named too.
		bad := small
		bad.Rescale, bad.AcceptanceThreshold, bad.HighThreshold = true, 9, 10
		_, err = e.svc.SetRiskMethod(ctx, bad)
		wantKind(t, err, isms.KindInvalid, "bad thresholds")

		e.clock.Advance(time.Hour)
		small.Rescale = true
		res, err := e.svc.SetRiskMethod(ctx, small)
		ok(t, err)
		if res.Rescored != 4 || res.Method.Version != 1 || len(res.Method.Likelihood) != 3 || !slices.Equal(res.Withdrawn, []string{r1.Ref, r4.Ref}) {
			t.Fatalf("rescaled %d risks, withdrew %v, method %+v", res.Rescored, res.Withdrawn, res.Method)
		}
		for _, c := range []struct {
			ref                 string
			l, i, s, rl, ri, rs int
			version             int
			accepted            bool
			note                []string // in the new history entry
		}{
			{r1.Ref, 3, 3, 9, 2, 1, 2, 4, false, []string{"(5x5 multiply to 3x3 multiply); was 5x5 = 25, residual 3x1 = 3",
				"acceptance by approver of Acme on 2026-03-02 withdrawn: the residual risk it accepted (3x1 = 3) is now residual 2x1 = 2"}},
			{r2.Ref, 1, 2, 2, 0, 0, 0, 2, false, []string{"was 1x3 = 3"}},
			{r3.Ref, 2, 3, 6, 1, 2, 2, 3, true, []string{"was 2x4 = 8, residual 1x2 = 2"}},
			{r4.Ref, 2, 2, 4, 2, 2, 4, 4, false, []string{"was 3x3 = 9, residual 2x2 = 4",
				"withdrawn: the residual score 4 is now above the acceptance threshold 3 (was 6)"}},
		} {
			d := getRisk(t, e, ctx, c.ref)
			r := d.Risk
			if r.Likelihood != c.l || r.Impact != c.i || r.Score != c.s || r.ResidualLikelihood != c.rl || r.ResidualImpact != c.ri || r.ResidualScore != c.rs {
				t.Errorf("%s after rescale: %d x %d = %d, residual %d x %d = %d", c.ref, r.Likelihood, r.Impact, r.Score, r.ResidualLikelihood, r.ResidualImpact, r.ResidualScore)
			}
			if r.Version != c.version || (r.AcceptedAt != nil) != c.accepted || (!c.accepted && (r.AcceptedBy != "" || r.AcceptedByID != "")) {
				t.Errorf("%s after rescale: version %d, accepted %v by %q, want version %d, accepted %v", c.ref, r.Version, r.AcceptedAt, r.AcceptedBy, c.version, c.accepted)
			}
			if len(d.History) != 2 || d.History[0].Score != c.s || d.History[0].ResidualScore != c.rs || !d.History[0].At.Equal(e.clock.Now()) {
				t.Errorf("%s history after rescale: v%d %+v", c.ref, r.Version, d.History)
				continue
			}
			for _, n := range c.note {
				if !strings.Contains(d.History[0].Note, n) {
					t.Errorf("%s history note %q, want %q in it", c.ref, d.History[0].Note, n)
				}
			}
			if c.accepted && strings.Contains(d.History[0].Note, "withdrawn") {
				t.Errorf("%s kept its acceptance but the history says %q", c.ref, d.History[0].Note)
			}
		}
		ev := trail(t, e, orgID(o.Org))[len(before):]
		if len(ev) != 4 || ev[0].Entity != "risk method" || ev[0].Action != "update" || ev[1].Action != "rescore" {
			t.Fatalf("audit events of the rescale: %+v", ev)
		}
		for _, want := range []string{`"risks":4`, `"changed":4`, `"withdrawn":["R-001","R-004"]`, `"change":"5x5 multiply to 3x3 multiply"`} {
			if !strings.Contains(string(ev[1].After), want) {
				t.Errorf("the rescore event %s lacks %s", ev[1].After, want)
			}
		}
		for i, r := range []isms.Risk{r1, r4} {
			w := ev[2+i]
			if w.Action != "withdraw acceptance" || w.Entity != "risk" || w.Ref != r.Ref || w.EntityID != r.ID {
				t.Errorf("withdrawal event %d: %s %s %s", i, w.Action, w.Entity, w.Ref)
			}
			var b, a isms.Risk
			ok(t, json.Unmarshal(w.Before, &b))
			ok(t, json.Unmarshal(w.After, &a))
			if b.AcceptedAt == nil || b.AcceptedBy != "approver of Acme" || b.ResidualScore != r.ResidualScore || b.Version != r.Version || b.Title != r.Title ||
				a.AcceptedAt != nil || a.AcceptedBy != "" || a.Version != r.Version+2 || a.Title != r.Title {
				t.Errorf("withdrawal event of %s: before %+v, after %+v", r.Ref, b, a)
			}
		}
		if res := verifyOrg(t, e, o.Slug); !res.Intact {
			t.Fatalf("trail broken: %+v", res)
		}
		// Levels beyond the new scale are refused now.
		_, err = e.svc.AddRisk(ctx, service.RiskInput{Title: "Too high", Likelihood: 4, Impact: 1, Treatment: isms.TreatRetain})
		wantKind(t, err, isms.KindInvalid, "level 4 on a 3-level scale")

		// Changing the scoring alone re-scores without Rescale and withdraws the acceptance whose score moved;
		// a stale version is refused.
		e.clock.Advance(time.Hour)
		add := small
		add.Rescale, add.Scoring, add.Version, add.AcceptanceThreshold, add.HighThreshold = false, isms.ScoreAdd, res.Method.Version, 3, 5
		res2, err := e.svc.SetRiskMethod(ctx, add)
		ok(t, err)
		if res2.Rescored != 4 || res2.Method.Version != 2 || getRisk(t, e, ctx, r1.Ref).Score != 6 || getRisk(t, e, ctx, r3.Ref).ResidualScore != 3 ||
			!slices.Equal(res2.Withdrawn, []string{r3.Ref}) || getRisk(t, e, ctx, r3.Ref).AcceptedAt != nil {
			t.Fatalf("add scoring: %+v", res2)
		}
		_, err = e.svc.SetRiskMethod(ctx, add)
		wantKind(t, err, isms.KindConflict, "stale method")
		if !strings.HasPrefix(err.Error(), "risk method was changed by someone else") {
			t.Errorf("stale method message: %q", err)
		}

		// Lowering the threshold alone re-scores nothing but withdraws the acceptance now above it.
		e.clock.Advance(time.Hour)
		accept(r2, "") // inherent 1 + 2 = 3, at the threshold 3
		n := len(trail(t, e, orgID(o.Org)))
		lower := add
		lower.Version, lower.AcceptanceThreshold = res2.Method.Version, 2
		res3, err := e.svc.SetRiskMethod(ctx, lower)
		ok(t, err)
		d2 := getRisk(t, e, ctx, r2.Ref)
		if res3.Rescored != 0 || !slices.Equal(res3.Withdrawn, []string{r2.Ref}) || d2.AcceptedAt != nil || d2.Score != 3 || len(d2.History) != 4 ||
			!strings.Contains(d2.History[0].Note, "the inherent score 3 is now above the acceptance threshold 2 (was 3)") || strings.Contains(d2.History[0].Note, "re-scored") {
			t.Fatalf("threshold lowered: %+v; %s history %+v", res3, r2.Ref, d2.History)
		}
		if ev := trail(t, e, orgID(o.Org))[n:]; len(ev) != 2 || ev[0].Entity != "risk method" || ev[1].Action != "withdraw acceptance" || ev[1].Ref != r2.Ref {
			t.Fatalf("audit events of the lowered threshold: %+v", ev)
		}

		// Scales may grow back: 3 -> 5 maps 1 -> 1, 2 -> 3, 3 -> 5. The levels do not all come back, but the
		// history keeps the original assessment.
		e.clock.Advance(time.Hour)
		d := isms.DefaultRiskMethod()
		res4, err := e.svc.SetRiskMethod(ctx, service.RiskMethodInput{Likelihood: d.Likelihood, Impact: d.Impact, AcceptanceThreshold: 6, HighThreshold: 15,
			Version: res3.Method.Version, Rescale: true})
		ok(t, err)
		if r := getRisk(t, e, ctx, r1.Ref); res4.Rescored != 4 || r.Likelihood != 5 || r.Impact != 5 || r.Score != 25 || r.ResidualLikelihood != 3 || r.ResidualScore != 3 {
			t.Fatalf("grown back: %+v", r.Risk)
		}
		h := getRisk(t, e, ctx, r3.Ref)
		if h.Likelihood != 3 || h.Impact != 5 || h.Score != 15 || len(h.History) != 4 {
			t.Fatalf("%s after the round trip: %d x %d = %d, history %+v", r3.Ref, h.Likelihood, h.Impact, h.Score, h.History)
		}
		if first := h.History[len(h.History)-1]; first.Likelihood != 2 || first.Impact != 4 || first.Score != 8 || first.ResidualScore != 2 || first.Note != "first assessment" {
			t.Errorf("%s's original assessment is not kept: %+v", r3.Ref, first)
		}
		if !strings.Contains(h.History[0].Note, "(3x3 add to 5x5 multiply); was 2x3 = 5, residual 1x2 = 3") {
			t.Errorf("%s's last history note: %q", r3.Ref, h.History[0].Note)
		}
		if res := verifyOrg(t, e, o.Slug); !res.Intact {
			t.Fatalf("trail broken: %+v", res)
		}
	})
}

// TestRiskFilters: each filter, the bands and the heat-map cells return exactly the right risks.
func TestRiskFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		// default method: low <= 6, high >= 15
		addRisk(t, e, ctx, service.RiskInput{Title: "Insecure code", Threat: "Injection", Owner: o.editorPerson, Assets: []string{"A-001"},
			Likelihood: 4, Impact: 5, Controls: []string{"8.28", "8.25"}, ResidualLikelihood: 2, ResidualImpact: 4}) // R-001 20 high, res 8 medium
		addRisk(t, e, ctx, service.RiskInput{Title: "Data leak", Vulnerability: "Weak access reviews", Owner: o.otherPerson, Assets: []string{"A-002", "A-001"},
			Likelihood: 3, Impact: 4, Controls: []string{"5.15", "8.28"}, ResidualLikelihood: 1, ResidualImpact: 4}) // R-002 12 medium, res 4 low
		addRisk(t, e, ctx, service.RiskInput{Title: "Office flood", Assets: []string{"A-003"}, Likelihood: 1, Impact: 3, Treatment: isms.TreatRetain}) // R-003 3 low
		addRisk(t, e, ctx, service.RiskInput{Title: "Supplier outage", Owner: o.otherPerson, Likelihood: 4, Impact: 5, Treatment: isms.TreatShare,
			ResidualLikelihood: 4, ResidualImpact: 4}) // R-004 20 high, res 16 high
		_, err := e.svc.AcceptRisk(o.Ctx("owner"), "R-003", service.AcceptRiskInput{Version: 1})
		ok(t, err)
		m, err := e.svc.RiskMethod(ctx)
		ok(t, err)
		band := func(f service.RiskFilter, b string, residual bool) service.RiskFilter {
			f, err := service.BandFilter(f, m, b, residual)
			ok(t, err)
			return f
		}
		for _, c := range []struct {
			name string
			f    service.RiskFilter
			want []string
		}{
			{"all", service.RiskFilter{}, []string{"R-001", "R-002", "R-003", "R-004"}},
			{"band high", band(service.RiskFilter{}, "high", false), []string{"R-001", "R-004"}},
			{"band medium", band(service.RiskFilter{}, "medium", false), []string{"R-002"}},
			{"band low", band(service.RiskFilter{}, "low", false), []string{"R-003"}},
			{"residual band low", band(service.RiskFilter{}, "low", true), []string{"R-002"}},
			{"residual band high", band(service.RiskFilter{}, "high", true), []string{"R-004"}},
			{"control 8.28", service.RiskFilter{Control: "8.28"}, []string{"R-001", "R-002"}},
			{"control 5.15", service.RiskFilter{Control: "5.15"}, []string{"R-002"}},
			{"control 5.1", service.RiskFilter{Control: "5.1"}, []string{}},
			{"asset A-001", service.RiskFilter{Asset: "A-001"}, []string{"R-001", "R-002"}},
			{"asset A-003", service.RiskFilter{Asset: "A-003"}, []string{"R-003"}},
			{"owner other", service.RiskFilter{Owner: o.otherPerson}, []string{"R-002", "R-004"}},
			{"treatment retain", service.RiskFilter{Treatment: "retain"}, []string{"R-003"}},
			{"cell 4x5", service.RiskFilter{Likelihood: 4, Impact: 5}, []string{"R-001", "R-004"}},
			{"cell 3x4", service.RiskFilter{Likelihood: 3, Impact: 4}, []string{"R-002"}},
			{"residual cell 1x4", service.RiskFilter{ResidualLikelihood: 1, ResidualImpact: 4}, []string{"R-002"}},
			{"accepted", service.RiskFilter{Accepted: "yes"}, []string{"R-003"}},
			{"not accepted", service.RiskFilter{Accepted: "no"}, []string{"R-001", "R-002", "R-004"}},
			{"search threat", service.RiskFilter{Search: "inject"}, []string{"R-001"}},
			{"search vulnerability", service.RiskFilter{Search: "ACCESS REVIEW"}, []string{"R-002"}},
			{"combined", band(service.RiskFilter{Control: "8.28"}, "high", false), []string{"R-001"}},
			// A descending sort is the ascending one reversed, ties included (newest first): one index serves both.
			{"sort score desc", service.RiskFilter{Sort: "-score"}, []string{"R-004", "R-001", "R-002", "R-003"}},
			{"sort residual", service.RiskFilter{Sort: "residual"}, []string{"R-003", "R-002", "R-001", "R-004"}},
		} {
			l, err := e.svc.ListRisks(ctx, c.f, allItems)
			ok(t, err)
			if got := refsOf(l.Items); !slices.Equal(got, c.want) || l.Total != len(c.want) {
				t.Errorf("%s: got %v (total %d), want %v", c.name, got, l.Total, c.want)
			}
		}
		if _, err := service.BandFilter(service.RiskFilter{}, m, "extreme", false); isms.ErrorKind(err) != isms.KindInvalid {
			t.Errorf("unknown band: %v", err)
		}
		l, err := e.svc.ListRisks(ctx, service.RiskFilter{Sort: "-score"}, service.Page{Limit: 2, Offset: 1})
		ok(t, err)
		if got := refsOf(l.Items); !slices.Equal(got, []string{"R-001", "R-002"}) || l.Total != 4 {
			t.Errorf("page: %v total %d", got, l.Total)
		}

		cells := func(h service.HeatMap) map[[2]int]int {
			out := map[[2]int]int{}
			for _, c := range h.Cells {
				out[[2]int{c.Likelihood, c.Impact}] = c.Count
			}
			return out
		}
		h, err := e.svc.RiskHeatMap(ctx, false)
		ok(t, err)
		if want := map[[2]int]int{{4, 5}: 2, {3, 4}: 1, {1, 3}: 1}; !reflect.DeepEqual(cells(h), want) || h.Total != 4 || h.Residual || len(h.Method.Likelihood) != 5 {
			t.Errorf("inherent heat map: %+v", h)
		}
		h, err = e.svc.RiskHeatMap(ctx, true)
		ok(t, err)
		if want := map[[2]int]int{{2, 4}: 1, {1, 4}: 1, {4, 4}: 1}; !reflect.DeepEqual(cells(h), want) || h.Total != 3 || !h.Residual {
			t.Errorf("residual heat map (R-003 has no residual): %+v", h)
		}
		// The counts are remembered until the register changes: a new risk shows at once.
		addRisk(t, e, ctx, service.RiskInput{Title: "One more", Likelihood: 1, Impact: 3})
		h, err = e.svc.RiskHeatMap(ctx, false)
		ok(t, err)
		if got := cells(h); got[[2]int{1, 3}] != 2 || h.Total != 5 {
			t.Errorf("after adding a risk at 1x3: %+v", h)
		}
	})
}

// TestTreatmentActions: actions per risk, overdue by the service's clock, optimistic locking, validation.
func TestTreatmentActions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		addRisk(t, e, ctx, service.RiskInput{Title: "Insecure code", Likelihood: 4, Impact: 5})
		addRisk(t, e, ctx, service.RiskInput{Title: "Data leak", Likelihood: 3, Impact: 4})
		today := e.svc.Today() // 2026-03-02 on the fake clock
		if today != "2026-03-02" {
			t.Fatalf("today %s", today)
		}
		for _, c := range []struct {
			risk string
			in   service.ActionInput
		}{
			{"R-001", service.ActionInput{Title: "SAST in CI", Owner: o.editorPerson, Due: "2026-02-20"}},                                  // TA-001 overdue
			{"R-001", service.ActionInput{Title: "Secure coding training", Owner: "Olga Other", Due: "2026-03-02", Status: "in-progress"}}, // TA-002 due today
			{"R-002", service.ActionInput{Title: "Access reviews", Due: "2026-03-10"}},                                                     // TA-003
			{"R-002", service.ActionInput{Title: "Old cleanup", Due: "2026-01-01", Status: "done"}},                                        // TA-004 done
			{"R-002", service.ActionInput{Title: "Someday"}},                                                                               // TA-005 undated
		} {
			_, err := e.svc.AddAction(ctx, c.risk, c.in)
			ok(t, err)
		}
		list := func(f service.ActionFilter) []string {
			l, err := e.svc.ListActions(ctx, f, allItems)
			ok(t, err)
			out := []string{}
			for _, a := range l.Items {
				out = append(out, a.Ref)
				if a.Overdue(e.svc.Today()) != (f.OverdueOn != "") && f.OverdueOn != "" {
					t.Errorf("%s listed as overdue but Overdue() says not", a.Ref)
				}
			}
			return out
		}
		if got := list(service.ActionFilter{}); !slices.Equal(got, []string{"TA-004", "TA-001", "TA-002", "TA-003", "TA-005"}) {
			t.Errorf("by due date, undated last: %v", got)
		}
		if got := list(service.ActionFilter{OverdueOn: e.svc.Today()}); !slices.Equal(got, []string{"TA-001"}) {
			t.Errorf("overdue today: %v", got)
		}
		if got := list(service.ActionFilter{Risk: "R-002"}); !slices.Equal(got, []string{"TA-004", "TA-003", "TA-005"}) {
			t.Errorf("risk R-002: %v", got)
		}
		if got := list(service.ActionFilter{Owner: o.otherPerson}); !slices.Equal(got, []string{"TA-002"}) {
			t.Errorf("owner: %v", got)
		}
		if got := list(service.ActionFilter{Status: "done"}); !slices.Equal(got, []string{"TA-004"}) {
			t.Errorf("status: %v", got)
		}
		// Ten days later more are overdue.
		e.clock.Advance(10 * 24 * time.Hour)
		if got := list(service.ActionFilter{OverdueOn: e.svc.Today()}); !slices.Equal(got, []string{"TA-001", "TA-002", "TA-003"}) {
			t.Errorf("overdue ten days later: %v", got)
		}
		// Closing one takes it off the list; a stale version is refused.
		d := getRisk(t, e, ctx, "R-001")
		ta := d.Actions[0]
		if ta.Ref != "TA-001" || ta.RiskRef != "R-001" || ta.OwnerName != "Eddie Editor" || len(d.Actions) != 2 {
			t.Fatalf("actions of R-001: %+v", d.Actions)
		}
		done, err := e.svc.UpdateAction(ctx, "TA-001", service.ActionInput{Title: ta.Title, Owner: ta.Owner, Due: ta.Due, Status: "done", Version: ta.Version})
		ok(t, err)
		if done.Status != "done" || done.Version != 2 || done.Overdue(e.svc.Today()) {
			t.Fatalf("done: %+v", done)
		}
		_, err = e.svc.UpdateAction(ctx, "TA-001", service.ActionInput{Title: "stale", Status: "planned", Version: ta.Version})
		wantKind(t, err, isms.KindConflict, "stale action")
		if got := list(service.ActionFilter{OverdueOn: e.svc.Today()}); !slices.Equal(got, []string{"TA-002", "TA-003"}) {
			t.Errorf("overdue after closing TA-001: %v", got)
		}
		_, err = e.svc.AddAction(ctx, "R-001", service.ActionInput{Title: "", Owner: "P-404", Due: "next week", Status: "maybe"})
		wantKind(t, err, isms.KindInvalid, "bad action")
		if got := fieldsOf(t, err); len(got) != 4 {
			t.Errorf("bad action fields: %v", got)
		}
		_, err = e.svc.AddAction(ctx, "R-404", service.ActionInput{Title: "x"})
		wantKind(t, err, isms.KindNotFound, "action on a missing risk")
		if ev := events(t, e, o.Org, "treatment action"); len(ev) != 6 || ev[5].Action != "update" || ev[5].Ref != "TA-001" {
			t.Errorf("treatment action events: %d", len(ev))
		}
	})
}

// TestSetActionStatus: a status change keeps every other field as it is saved, checks the version and is audited.
func TestSetActionStatus(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		r := addRisk(t, e, ctx, service.RiskInput{Title: "Base", Likelihood: 2, Impact: 2})
		ta, err := e.svc.AddAction(ctx, r.Ref, service.ActionInput{Title: "Do it", Due: "2026-04-01", Notes: "first"})
		ok(t, err)
		edited, err := e.svc.UpdateAction(ctx, ta.Ref, service.ActionInput{Title: "Do it well", Due: "2026-05-01", Notes: "second", Version: ta.Version})
		ok(t, err)

		_, err = e.svc.SetActionStatus(ctx, ta.Ref, "done", ta.Version)
		wantKind(t, err, isms.KindConflict, "status on a stale version")
		_, err = e.svc.SetActionStatus(ctx, ta.Ref, "", edited.Version)
		wantKind(t, err, isms.KindInvalid, "no status")
		_, err = e.svc.SetActionStatus(ctx, ta.Ref, "lost", edited.Version)
		wantKind(t, err, isms.KindInvalid, "unknown status")
		_, err = e.svc.SetActionStatus(ctx, "TA-404", "done", 1)
		wantKind(t, err, isms.KindNotFound, "missing action")

		done, err := e.svc.SetActionStatus(ctx, ta.Ref, "done", edited.Version)
		ok(t, err)
		if done.Status != "done" || done.Title != "Do it well" || done.Due != "2026-05-01" || done.Notes != "second" || done.Version != edited.Version+1 {
			t.Fatalf("after the status change: %+v", done)
		}
		if ev := events(t, e, o.Org, "treatment action"); len(ev) != 3 || ev[2].Action != "update" || ev[2].Ref != ta.Ref {
			t.Errorf("treatment action events: %+v", ev)
		}
	})
}

// TestRiskRoles: viewers and auditors read the register but write nothing; editors, admins and owners write.
func TestRiskRoles(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ed := o.Ctx("editor")
		r := addRisk(t, e, ed, service.RiskInput{Title: "Base", Likelihood: 2, Impact: 2})
		ta, err := e.svc.AddAction(ed, r.Ref, service.ActionInput{Title: "Do it"})
		ok(t, err)
		a, err := e.svc.Asset(ed, "A-001")
		ok(t, err)
		m, err := e.svc.RiskMethod(ed)
		ok(t, err)
		writes := map[string]func(ctx context.Context) error{
			"SetRiskMethod": func(ctx context.Context) error {
				_, err := e.svc.SetRiskMethod(ctx, service.RiskMethodInput{Likelihood: m.Likelihood, Impact: m.Impact, AcceptanceThreshold: 5, HighThreshold: 12, Version: m.Version})
				return err
			},
			"AddAsset": func(ctx context.Context) error {
				_, err := e.svc.AddAsset(ctx, service.AssetInput{Name: "x", Type: "site"})
				return err
			},
			"UpdateAsset": func(ctx context.Context) error {
				_, err := e.svc.UpdateAsset(ctx, a.Ref, service.AssetInput{Name: "x", Type: a.Type, Version: a.Version})
				return err
			},
			"DeleteAsset": func(ctx context.Context) error { return e.svc.DeleteAsset(ctx, a.Ref) },
			"AddRisk": func(ctx context.Context) error {
				_, err := e.svc.AddRisk(ctx, service.RiskInput{Title: "x", Likelihood: 1, Impact: 1, Treatment: isms.TreatRetain})
				return err
			},
			"UpdateRisk": func(ctx context.Context) error {
				_, err := e.svc.UpdateRisk(ctx, r.Ref, inputOf(r))
				return err
			},
			"DeleteRisk": func(ctx context.Context) error { return e.svc.DeleteRisk(ctx, r.Ref) },
			"AddAction": func(ctx context.Context) error {
				_, err := e.svc.AddAction(ctx, r.Ref, service.ActionInput{Title: "x"})
				return err
			},
			"UpdateAction": func(ctx context.Context) error {
				_, err := e.svc.UpdateAction(ctx, ta.Ref, service.ActionInput{Title: "x", Version: ta.Version})
				return err
			},
			"SetActionStatus": func(ctx context.Context) error {
				_, err := e.svc.SetActionStatus(ctx, ta.Ref, "done", ta.Version)
				return err
			},
			"ImportRisks": func(ctx context.Context) error {
				_, err := e.svc.ImportRisks(ctx, "csv", strings.NewReader("title,likelihood,impact,treatment\nx,1,1,retain\n"))
				return err
			},
			"ImportAssets": func(ctx context.Context) error {
				_, err := e.svc.ImportAssets(ctx, "csv", strings.NewReader("name,type\nx,site\n"))
				return err
			},
		}
		for _, role := range []string{"viewer", "auditor"} {
			before := len(trail(t, e, orgID(o.Org)))
			for name, call := range writes {
				wantKind(t, call(o.Ctx(role)), isms.KindForbidden, role+" "+name)
			}
			if n := len(trail(t, e, orgID(o.Org))); n != before {
				t.Errorf("%s's refused writes left %d audit events", role, n-before)
			}
			ctx := o.Ctx(role)
			if l, err := e.svc.ListRisks(ctx, service.RiskFilter{}, allItems); err != nil || l.Total != 1 {
				t.Errorf("%s lists risks: %v %d", role, err, l.Total)
			}
			if _, err := e.svc.Risk(ctx, r.Ref); err != nil {
				t.Errorf("%s reads a risk: %v", role, err)
			}
			if _, err := e.svc.RiskHeatMap(ctx, true); err != nil {
				t.Errorf("%s reads the heat map: %v", role, err)
			}
			if l, err := e.svc.ListAssets(ctx, service.AssetFilter{}, allItems); err != nil || l.Total != 3 {
				t.Errorf("%s lists assets: %v", role, err)
			}
			if l, err := e.svc.ListActions(ctx, service.ActionFilter{}, allItems); err != nil || l.Total != 1 {
				t.Errorf("%s lists actions: %v", role, err)
			}
			if _, err := e.svc.RiskMethod(ctx); err != nil {
				t.Errorf("%s reads the method: %v", role, err)
			}
		}
		// Without an actor nothing is allowed.
		_, err = e.svc.ListRisks(context.Background(), service.RiskFilter{}, allItems)
		wantKind(t, err, isms.KindUnauthenticated, "anonymous list")
		for _, role := range []string{"owner", "admin", "editor"} {
			_, err := e.svc.AddRisk(o.Ctx(role), service.RiskInput{Title: role, Likelihood: 1, Impact: 1, Treatment: isms.TreatRetain})
			ok(t, err)
		}
	})
}

// TestRiskIsolation: organisation B sees nothing of A's register and cannot touch it by reference or id.
func TestRiskIsolation(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a := newRiskOrg(t, e, "Alpha")
		b := testutil.NewOrg(t, e.svc, "Beta")
		actx, bctx := a.Ctx("editor"), b.Ctx("owner")
		r := addRisk(t, e, actx, service.RiskInput{Title: "Alpha's secret risk", Assets: []string{"A-001"}, Owner: a.editorPerson, Likelihood: 3, Impact: 3,
			Controls: []string{"8.28"}})
		ta, err := e.svc.AddAction(actx, r.Ref, service.ActionInput{Title: "Alpha's action", Due: "2020-01-01"})
		ok(t, err)
		asset, err := e.svc.Asset(actx, "A-001")
		ok(t, err)
		_, err = e.svc.SetRiskMethod(actx, service.RiskMethodInput{Likelihood: isms.DefaultRiskMethod().Likelihood, Impact: isms.DefaultRiskMethod().Impact,
			AcceptanceThreshold: 8, HighThreshold: 16})
		ok(t, err)
		before := len(trail(t, e, orgID(a.Org)))

		if l, err := e.svc.ListRisks(bctx, service.RiskFilter{}, allItems); err != nil || l.Total != 0 {
			t.Errorf("B lists A's risks: %v %+v", err, l.Items)
		}
		if l, err := e.svc.ListRisks(bctx, service.RiskFilter{Control: "8.28"}, allItems); err != nil || l.Total != 0 {
			t.Errorf("B lists A's risks by control: %v", err)
		}
		if l, err := e.svc.ListAssets(bctx, service.AssetFilter{}, allItems); err != nil || l.Total != 0 {
			t.Errorf("B lists A's assets: %v %+v", err, l.Items)
		}
		if l, err := e.svc.ListActions(bctx, service.ActionFilter{OverdueOn: e.svc.Today()}, allItems); err != nil || l.Total != 0 {
			t.Errorf("B lists A's actions: %v", err)
		}
		if h, err := e.svc.RiskHeatMap(bctx, false); err != nil || h.Total != 0 {
			t.Errorf("B's heat map counts A's risks: %v %+v", err, h)
		}
		if m, err := e.svc.RiskMethod(bctx); err != nil || m.Version != 0 || m.AcceptanceThreshold != 6 {
			t.Errorf("B sees A's method: %+v", m)
		}
		for _, ref := range []string{r.Ref, r.ID} {
			_, err := e.svc.Risk(bctx, ref)
			wantKind(t, err, isms.KindNotFound, "B reads A's risk "+ref)
			_, err = e.svc.UpdateRisk(bctx, ref, inputOf(r))
			wantKind(t, err, isms.KindNotFound, "B updates A's risk")
			_, err = e.svc.AcceptRisk(bctx, ref, service.AcceptRiskInput{Comment: "mine now", Version: r.Version})
			wantKind(t, err, isms.KindNotFound, "B accepts A's risk")
			_, err = e.svc.AddAction(bctx, ref, service.ActionInput{Title: "x"})
			wantKind(t, err, isms.KindNotFound, "B adds an action to A's risk")
			wantKind(t, e.svc.DeleteRisk(bctx, ref), isms.KindNotFound, "B deletes A's risk")
		}
		for _, ref := range []string{asset.Ref, asset.ID} {
			_, err := e.svc.Asset(bctx, ref)
			wantKind(t, err, isms.KindNotFound, "B reads A's asset")
			_, err = e.svc.UpdateAsset(bctx, ref, service.AssetInput{Name: "x", Type: "site", Version: asset.Version})
			wantKind(t, err, isms.KindNotFound, "B updates A's asset")
			wantKind(t, e.svc.DeleteAsset(bctx, ref), isms.KindNotFound, "B deletes A's asset")
		}
		for _, ref := range []string{ta.Ref, ta.ID} {
			_, err := e.svc.UpdateAction(bctx, ref, service.ActionInput{Title: "x", Version: ta.Version})
			wantKind(t, err, isms.KindNotFound, "B updates A's action")
		}
		// B's own risk cannot link A's assets or people, by reference, id or email.
		_, err = e.svc.AddRisk(bctx, service.RiskInput{Title: "Borrow", Assets: []string{asset.Ref}, Owner: a.Actors["editor"].Email, Likelihood: 1, Impact: 1,
			Treatment: isms.TreatRetain})
		wantKind(t, err, isms.KindInvalid, "B links A's asset and person")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"assets", "owner"}) {
			t.Errorf("fields %v", got)
		}
		// B's references start at 1 of its own.
		rb := addRisk(t, e, bctx, service.RiskInput{Title: "Beta's risk", Likelihood: 1, Impact: 1})
		if rb.Ref != "R-001" {
			t.Errorf("B's first risk is %s", rb.Ref)
		}
		if n := len(trail(t, e, orgID(a.Org))); n != before {
			t.Errorf("B's attempts wrote %d events into A's trail", n-before)
		}
		if d := getRisk(t, e, actx, r.Ref); d.Title != r.Title || d.Version != r.Version || len(d.Actions) != 1 {
			t.Errorf("A's risk changed: %+v", d.Risk)
		}
	})
}

// TestRiskFromLibrary: a risk added with library ids takes the names, and the title, description and
// controls it leaves empty, from the threat and vulnerability library; given values stay; an unknown id is
// reported with every other problem and adds nothing.
func TestRiskFromLibrary(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		c, err := e.svc.Catalog(ctx)
		ok(t, err)
		th, v := c.Threats()[0], c.Vulnerabilities()[0]
		var controls []string
		for _, id := range append(slices.Clone(th.Controls), v.Controls...) {
			if !slices.Contains(controls, id) {
				controls = append(controls, id)
			}
		}
		r := addRisk(t, e, ctx, service.RiskInput{Threat: strings.ToLower(th.ID), Vulnerability: " " + v.ID, Likelihood: 3, Impact: 3})
		if r.Title != th.Name || r.Description != th.Description || r.Threat != th.Name || r.Vulnerability != v.Name ||
			!slices.Equal(r.Controls, sortedControls(controls)) {
			t.Fatalf("risk from %s and %s: %+v (want the controls %v)", th.ID, v.ID, r, controls)
		}
		r = addRisk(t, e, ctx, service.RiskInput{Title: "Our own title", Vulnerability: v.ID, Controls: []string{"5.1"}, Likelihood: 1, Impact: 1})
		if r.Title != "Our own title" || r.Description != v.Description || r.Threat != "" || r.Vulnerability != v.Name || !slices.Equal(r.Controls, []string{"5.1"}) {
			t.Fatalf("given values must stay: %+v", r)
		}
		r = addRisk(t, e, ctx, service.RiskInput{Title: "Rogue admin", Threat: "Insider misuse", Likelihood: 1, Impact: 1})
		if r.Threat != "Insider misuse" || r.Description != "" || len(r.Controls) != 0 {
			t.Fatalf("free text must stay as it is: %+v", r)
		}
		_, err = e.svc.AddRisk(ctx, service.RiskInput{Threat: "T999", Treatment: isms.TreatModify})
		wantKind(t, err, isms.KindInvalid, "unknown library id")
		if got := problemsOf(t, err); len(got) != 4 || got[0] != "threat: T999 is not in the threat library (see praxis catalog threats)" ||
			!strings.HasPrefix(got[1], "title:") || !strings.HasPrefix(got[2], "likelihood:") || !strings.HasPrefix(got[3], "impact:") {
			t.Fatalf("problems: %q", got)
		}
		if n := len(listAllRisks(t, e, ctx)); n != 3 {
			t.Fatalf("%d risks, want 3", n)
		}
	})
}

// sortedControls orders Annex A ids as the register does (5.2 before 5.10).
func sortedControls(ids []string) []string {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b string) int {
		var a1, a2, b1, b2 int
		fmt.Sscanf(a, "%d.%d", &a1, &a2)
		fmt.Sscanf(b, "%d.%d", &b1, &b2)
		if a1 != b1 {
			return a1 - b1
		}
		return a2 - b2
	})
	return out
}

// TestDemoRiskHistory: the sample organisation's risks were first assessed months ago and some reassessed after
// treatment, so their pages show a history over time; the audit trail is in time order and intact.
func TestDemoRiskHistory(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		created, _, err := e.svc.Demo(context.Background())
		ok(t, err)
		if !created {
			t.Fatal("the demo was not created")
		}
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		now := e.clock.Now()
		reassessed := 0
		for _, r := range listAllRisks(t, e, ctx) {
			d := getRisk(t, e, ctx, r.Ref)
			first := d.History[len(d.History)-1]
			if first.Note != "first assessment" || now.Sub(first.At) < 150*24*time.Hour {
				t.Errorf("%s was first assessed on %s (%q), want months ago", r.Ref, first.At, first.Note)
			}
			if len(d.History) < 2 {
				continue
			}
			reassessed++
			last := d.History[0]
			if last.Score != r.Score || last.ResidualScore != r.ResidualScore || first.Score < last.Score || !last.At.After(first.At.AddDate(0, 3, 0)) ||
				len(last.Note) < 40 {
				t.Errorf("%s: reassessment %+v after %+v", r.Ref, last, first)
			}
		}
		if reassessed < 3 {
			t.Errorf("%d demo risks have a reassessment, want a few", reassessed)
		}
		if l, err := e.svc.ListRisks(ctx, service.RiskFilter{Accepted: "yes"}, allItems); err != nil || l.Total < 3 {
			t.Errorf("accepted demo risks: %d %v", l.Total, err)
		}
		trail := trail(t, e, a.OrgID)
		for i := 1; i < len(trail); i++ {
			if trail[i].At.Before(trail[i-1].At) {
				t.Fatalf("the demo's audit trail goes back in time at event %d: %s after %s", trail[i].Seq, trail[i].At, trail[i-1].At)
			}
		}
		if trail[len(trail)-1].At.After(now) {
			t.Errorf("the demo's last event is in the future: %s", trail[len(trail)-1].At)
		}
		if res := verifyOrg(t, e, service.DemoOrgSlug); !res.Intact {
			t.Fatalf("demo trail broken: %+v", res)
		}
	})
}
