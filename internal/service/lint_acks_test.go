package service_test

import (
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// findingOf returns the finding of rule in r, or fails.
func findingOf(t *testing.T, r isms.LintReport, rule string) isms.LintFinding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Rule == rule {
			return f
		}
	}
	t.Fatalf("no finding of %s in %+v", rule, r.Findings)
	return isms.LintFinding{}
}

// An acknowledged finding stays listed with who, why and until when, stops counting as major until its day
// has passed, and counts again once it expires or is removed; each change is in the audit trail.
func TestAcknowledgeFinding(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Ack Ltd")
		before, err := e.svc.Lint(o.Ctx("viewer"))
		ok(t, err)
		f := findingOf(t, before, "scope-missing")

		until := e.clock.Now().AddDate(0, 0, 10).Format(time.DateOnly)
		k, err := e.svc.AcknowledgeFinding(o.Ctx("approver"), "scope-missing", "", "Scope workshop booked for next week", until)
		ok(t, err)
		if k.Ref != "4.3" || k.By != "approver of Ack Ltd" {
			t.Fatalf("acknowledgement %+v: the ref defaults to the rule's, by the approver", k)
		}
		after, err := e.svc.Lint(o.Ctx("viewer"))
		ok(t, err)
		g := findingOf(t, after, "scope-missing")
		if g.Acknowledged == nil || g.Acknowledged.Reason != "Scope workshop booked for next week" || g.Acknowledged.ExpiresOn != until {
			t.Fatalf("acknowledged finding %+v: who, why and until when are shown", g)
		}
		if after.Major != before.Major-1 {
			t.Fatalf("major %d after the acknowledgement, want %d", after.Major, before.Major-1)
		}
		rd, err := e.svc.Readiness(o.Ctx("viewer"))
		ok(t, err)
		for _, n := range rd.Steps[f.Step-1].Next {
			if n.Rule == "scope-missing" {
				t.Fatalf("an acknowledged finding is not a next action: %+v", rd.Steps[f.Step-1].Next)
			}
		}

		// The last day still holds; the day after, the finding counts again.
		e.clock.Advance(10 * 24 * time.Hour)
		r, err := e.svc.Lint(o.Ctx("viewer"))
		ok(t, err)
		if r.Major != after.Major {
			t.Fatalf("on its last day the acknowledgement holds: %d major, want %d", r.Major, after.Major)
		}
		e.clock.Advance(24 * time.Hour)
		r, err = e.svc.Lint(o.Ctx("viewer"))
		ok(t, err)
		if r.Major != before.Major || findingOf(t, r, "scope-missing").Acknowledged != nil {
			t.Fatalf("an expired acknowledgement: %d major, want %d", r.Major, before.Major)
		}

		// Acknowledged again, then withdrawn: it counts again.
		until = e.clock.Now().AddDate(0, 1, 0).Format(time.DateOnly)
		_, err = e.svc.AcknowledgeFinding(o.Ctx("owner"), "scope-missing", "4.3", "Renewed", until)
		ok(t, err)
		ok(t, e.svc.RemoveAcknowledgement(o.Ctx("admin"), "scope-missing", ""))
		r, err = e.svc.Lint(o.Ctx("viewer"))
		ok(t, err)
		if r.Major != before.Major {
			t.Fatalf("after removal: %d major, want %d", r.Major, before.Major)
		}
		wantKind(t, e.svc.RemoveAcknowledgement(o.Ctx("admin"), "scope-missing", ""), isms.KindNotFound, "remove twice")

		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "lint"}, service.Page{Limit: 10})
		ok(t, err)
		var actions []string
		for _, ev := range events.Items {
			actions = append(actions, ev.Action+" "+ev.Ref)
		}
		want := []string{"unacknowledge scope-missing 4.3", "acknowledge scope-missing 4.3", "acknowledge scope-missing 4.3"}
		if len(actions) != len(want) || actions[0] != want[0] || actions[1] != want[1] {
			t.Fatalf("audit trail %v, want %v", actions, want)
		}
	})
}

// Bad input is refused with the field named and nothing saved; only owners, admins and approvers acknowledge.
func TestAcknowledgeFindingRefused(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Refuse Ltd")
		day := func(d int) string { return e.clock.Now().AddDate(0, 0, d).Format(time.DateOnly) }
		cases := []struct {
			name, rule, reason, until, field string
		}{
			{"unknown rule", "no-such-rule", "why", day(5), "rule"},
			{"no reason", "scope-missing", "  ", day(5), "reason"},
			{"no expiry", "scope-missing", "why", "", "expires_on"},
			{"not a date", "scope-missing", "why", "next week", "expires_on"},
			{"in the past", "scope-missing", "why", day(-1), "expires_on"},
			{"over a year", "scope-missing", "why", day(367), "expires_on"},
		}
		for _, c := range cases {
			_, err := e.svc.AcknowledgeFinding(o.Ctx("owner"), c.rule, "", c.reason, c.until)
			wantKind(t, err, isms.KindInvalid, c.name)
			if x, _ := isms.AsError(err); len(x.Fields) != 1 || x.Fields[0].Field != c.field {
				t.Errorf("%s: %v, want a problem with %s", c.name, err, c.field)
			}
		}
		_, err := e.svc.AcknowledgeFinding(o.Ctx("owner"), "no-such-rule", "", "", "")
		if x, _ := isms.AsError(err); x == nil || len(x.Fields) != 3 {
			t.Errorf("every problem is named at once: %v", err)
		}
		wantKind(t, e.svc.RemoveAcknowledgement(o.Ctx("owner"), "retired-rule", "X-1"), isms.KindNotFound, "remove what was never acknowledged")
		for _, role := range []string{"editor", "auditor", "viewer"} {
			_, err := e.svc.AcknowledgeFinding(o.Ctx(role), "scope-missing", "", "why", day(5))
			wantKind(t, err, isms.KindForbidden, role+" acknowledges")
			wantKind(t, e.svc.RemoveAcknowledgement(o.Ctx(role), "scope-missing", ""), isms.KindForbidden, role+" removes")
		}
		r, err := e.svc.Lint(o.Ctx("viewer"))
		ok(t, err)
		for _, f := range r.Findings {
			if f.Acknowledged != nil {
				t.Fatalf("a refused acknowledgement was saved: %+v", f)
			}
		}
		_, err = e.svc.AcknowledgeFinding(o.Ctx("owner"), "scope-missing", "", "A year is the limit", day(365))
		ok(t, err)
	})
}
