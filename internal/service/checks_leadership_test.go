package service_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// checkState is what the lint and the roadmap say of one step at a moment.
type checkState struct {
	findings map[string]isms.LintFinding // by rule
	percent  int                         // the step's readiness
}

// stateOf runs the lint and the readiness as a viewer and keeps what concerns step.
func stateOf(t *testing.T, svc *service.Service, ctx context.Context, step int) checkState {
	t.Helper()
	r, err := svc.Lint(ctx)
	ok(t, err)
	st := checkState{findings: map[string]isms.LintFinding{}}
	for _, f := range r.Findings {
		if f.Step == step {
			st.findings[f.Rule] = f
		}
	}
	rd, err := svc.Readiness(ctx)
	ok(t, err)
	st.percent = rd.Steps[step-1].Percent
	return st
}

// has fails unless the rules fired (with the ref, when one is given as rule=ref) and returns the finding of the
// first.
func (st checkState) has(t *testing.T, what string, rules ...string) isms.LintFinding {
	t.Helper()
	for _, r := range rules {
		if _, found := st.findings[r]; !found {
			t.Fatalf("%s: no %s finding; findings: %v", what, r, slices.Sorted(maps.Keys(st.findings)))
		}
	}
	return st.findings[rules[0]]
}

// lacks fails if any of the rules fired.
func (st checkState) lacks(t *testing.T, what string, rules ...string) {
	t.Helper()
	for _, r := range rules {
		if f, found := st.findings[r]; found {
			t.Fatalf("%s: %s still found: %s", what, r, f.Message)
		}
	}
}

// rises fails unless the step's percentage went up from before.
func (st checkState) rises(t *testing.T, what string, before checkState) {
	t.Helper()
	if st.percent <= before.percent {
		t.Fatalf("%s: step at %d%%, was %d%%; want more", what, st.percent, before.percent)
	}
}

// Step 1: the policy, the roles, the commitment and the objectives each fire when missing or wrong, stop
// firing once fixed through the service, and move the step's percentage up to done.
func TestChecksLeadership(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Lead Co")
		ed, ap, view := o.Ctx("editor"), o.Ctx("approver"), o.Ctx("viewer")
		for _, n := range []string{"Ada Boss", "Ben Ciso"} {
			_, err := e.svc.AddPerson(ed, service.PersonInput{Name: n})
			ok(t, err)
		}
		st := stateOf(t, e.svc, view, 1)
		st.has(t, "empty", "policy-missing", "roles-missing", "commitment-missing", "objectives-missing")
		if st.percent != 0 {
			t.Fatalf("empty organisation: step 1 at %d%%", st.percent)
		}

		// The policy: drafted, then approved, then overdue for review, then reviewed.
		d, err := e.svc.AddDocument(ed, service.DocumentInput{Title: "Information security policy", Type: "policy", Clauses: []string{"5.2"},
			ReviewMonths: 1, Content: "We protect information."})
		ok(t, err)
		st = stateOf(t, e.svc, view, 1)
		if f := st.has(t, "draft policy", "policy-not-approved"); f.Ref != d.Ref || f.Severity != isms.Major {
			t.Fatalf("policy-not-approved: %+v, want ref %s and major", f, d.Ref)
		}
		st.lacks(t, "draft policy", "policy-missing")
		d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
		ok(t, err)
		d, err = e.svc.ApproveDocument(ap, d.Ref, d.Version)
		ok(t, err)
		prev, st := st, stateOf(t, e.svc, view, 1)
		st.lacks(t, "approved policy", "policy-missing", "policy-not-approved", "policy-review-overdue")
		st.rises(t, "approved policy", prev)
		e.clock.Advance(40 * 24 * time.Hour)
		st = stateOf(t, e.svc, view, 1)
		if f := st.has(t, "a month and more later", "policy-review-overdue"); f.Ref != d.Ref || f.Link != "/documents?overdue="+e.svc.Today() {
			t.Fatalf("policy-review-overdue: %+v", f)
		}
		d, err = e.svc.PatchDocument(ed, d.Ref, service.DocumentInput{Content: "We protect information, still.", Version: d.Version,
			Sent: service.SentOf("content")})
		ok(t, err)
		d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
		ok(t, err)
		_, err = e.svc.ApproveDocument(ap, d.Ref, d.Version)
		ok(t, err)
		stateOf(t, e.svc, view, 1).lacks(t, "reviewed policy", "policy-review-overdue")

		// The roles: one without a person and no key role, then the owner and sponsor named.
		role, err := e.svc.AddRole(ed, service.RoleInput{Name: "Internal auditor"})
		ok(t, err)
		st = stateOf(t, e.svc, view, 1)
		prev = st
		st.lacks(t, "a role", "roles-missing")
		st.has(t, "a role without a person", "role-key-missing", "role-unassigned")
		if f := st.findings["role-unassigned"]; f.Ref != role.Ref {
			t.Fatalf("role-unassigned: ref %q, want %s", f.Ref, role.Ref)
		}
		_, err = e.svc.AddRole(ed, service.RoleInput{Name: "Sponsor", Kind: "sponsor", Person: "Ada Boss"})
		ok(t, err)
		stateOf(t, e.svc, view, 1).has(t, "a sponsor but no owner", "role-key-missing")
		_, err = e.svc.AddRole(ed, service.RoleInput{Name: "CISO", Kind: "isms-owner", Person: "Ben Ciso"})
		ok(t, err)
		_, err = e.svc.PatchRole(ed, role.Ref, service.RoleInput{Person: "Ben Ciso", Version: role.Version, Sent: service.SentOf("person")})
		ok(t, err)
		st = stateOf(t, e.svc, view, 1)
		st.lacks(t, "roles held", "role-key-missing", "role-unassigned")
		st.rises(t, "roles held", prev)

		// The commitment.
		_, err = e.svc.AddCommitment(ed, service.CommitmentInput{Title: "Policy approved", Person: "Ada Boss", Date: e.svc.Today()})
		ok(t, err)
		prev, st = st, stateOf(t, e.svc, view, 1)
		st.lacks(t, "commitment", "commitment-missing")
		st.rises(t, "commitment", prev)

		// The objectives: one without measure, target or owner and overdue, then completed and achieved.
		ob, err := e.svc.AddObjective(ed, service.ObjectiveInput{Title: "Fewer incidents", Due: e.clock.Now().AddDate(0, 0, -1).Format(time.DateOnly)})
		ok(t, err)
		st = stateOf(t, e.svc, view, 1)
		st.lacks(t, "an objective", "objectives-missing")
		for _, r := range []string{"objective-incomplete", "objective-overdue"} {
			if f := st.has(t, "an objective lacking all", r); f.Ref != ob.Ref {
				t.Fatalf("%s: ref %q, want %s", r, f.Ref, ob.Ref)
			}
		}
		prev = st
		ob, err = e.svc.PatchObjective(ed, ob.Ref, service.ObjectiveInput{Measure: "Incidents a quarter", Target: "below 3", Owner: "Ben Ciso",
			Version: ob.Version, Sent: service.SentOf("measure", "target", "owner")})
		ok(t, err)
		st = stateOf(t, e.svc, view, 1)
		st.lacks(t, "objective complete", "objective-incomplete")
		st.has(t, "objective still late", "objective-overdue")
		st.rises(t, "objective complete", prev)
		_, err = e.svc.PatchObjective(ed, ob.Ref, service.ObjectiveInput{Status: "achieved", Version: ob.Version, Sent: service.SentOf("status")})
		ok(t, err)
		st = stateOf(t, e.svc, view, 1)
		st.lacks(t, "objective achieved", "objective-overdue")
		if len(st.findings) != 0 || st.percent != 100 {
			t.Fatalf("step 1 done: %d%%, findings %v", st.percent, slices.Sorted(maps.Keys(st.findings)))
		}
	})
}

// Several records of one problem are one finding with their count, about the clause, not one per record.
func TestChecksCountManyAsOne(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Many Co")
		ed := o.Ctx("editor")
		for _, n := range []string{"A", "B", "C"} {
			_, err := e.svc.AddObjective(ed, service.ObjectiveInput{Title: "Objective " + n})
			ok(t, err)
		}
		st := stateOf(t, e.svc, o.Ctx("viewer"), 1)
		f := st.has(t, "three incomplete objectives", "objective-incomplete")
		if f.Count != 3 || f.Ref != "6.2" || f.Link == "" {
			t.Fatalf("objective-incomplete: %+v, want one finding of 3 about 6.2", f)
		}
	})
}
