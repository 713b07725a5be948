package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A bulk change that carries the versions the caller read is refused as a whole (409) when any selected entry
// changed meanwhile, naming every such control; versions of current entries, or none at all, go through.
func TestBulkSetSoAChecksVersions(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		exclude := soaPatch(t, `{"applicable": false, "justification": "No premises"}`)
		// Someone else notes 7.3 and 7.6 after our page was loaded at version 1 everywhere.
		_, err := e.svc.BulkSetSoA(o.Ctx("admin"), service.BulkSoAInput{Controls: []string{"7.3", "7.6"}, Set: soaPatch(t, `{"notes": "Checked by the admin"}`)})
		ok(t, err)
		events := len(trail(t, e, orgID(o)))
		_, err = e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: []string{"7.1", "7.3", "7.6"}, Set: exclude,
			Versions: map[string]int{"7.1": 1, "A.7.3": 1, "7.6": 1}})
		wantKind(t, err, isms.KindConflict, "bulk change over stale entries")
		if !strings.Contains(err.Error(), "someone else changed 7.3, 7.6 since you read them") {
			t.Errorf("stale bulk change: %q, want 7.3 and 7.6 named", err)
		}
		for _, c := range []string{"7.1", "7.3", "7.6"} {
			if en := soaEntry(t, e, ctx, c); en.Applicable != nil {
				t.Errorf("a refused bulk change decided %s: %+v", c, en)
			}
		}
		if n := len(trail(t, e, orgID(o))); n != events {
			t.Errorf("a refused bulk change wrote %d audit events", n-events)
		}
		changed, err := e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: []string{"7.1", "7.3", "7.6"}, Set: exclude,
			Versions: map[string]int{"7.1": 1, "7.3": 2, "7.6": 2}})
		ok(t, err)
		if len(changed) != 3 || !changed[2].Excluded() || changed[2].Notes != "Checked by the admin" || changed[2].Version != 3 {
			t.Errorf("bulk change with current versions: %+v", changed)
		}
		_, err = e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: []string{"7.1"}, Set: soaPatch(t, `{"notes": "no version sent"}`)})
		ok(t, err)
	})
}

// The audit event of an entry change records the before and the after state alike: title, theme and the risks
// the control treats on both sides, from one entry's change as from a bulk change.
func TestSoAChangeAuditsBothSidesAlike(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		risk := addRisk(t, e, ctx, service.RiskInput{Title: "Insecure code", Likelihood: 3, Impact: 4, Controls: []string{"8.28"}})
		_, err := e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"applicable": true, "justification": "We write code", "status": "planned", "version": 1}`))
		ok(t, err)
		_, err = e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: []string{"8.28"}, Set: soaPatch(t, `{"status": "implemented"}`)})
		ok(t, err)
		var seen int
		for _, ev := range trail(t, e, orgID(o)) {
			if ev.Entity != "SoA entry" {
				continue
			}
			seen++
			for side, raw := range map[string]json.RawMessage{"before": ev.Before, "after": ev.After} {
				var en isms.SoAEntry
				if err := json.Unmarshal(raw, &en); err != nil {
					t.Fatalf("%s state %s: %v", side, raw, err)
				}
				if en.Title != "Secure coding" || en.Theme != "technological" || strings.Join(en.Risks, ",") != risk.Ref {
					t.Errorf("event %d %s state lacks the title, theme or risks: %s", ev.Seq, side, raw)
				}
			}
		}
		if seen != 2 {
			t.Errorf("%d SoA entry events, want 2", seen)
		}
	})
}
