package service_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Every rule has a unique id, a roadmap step, a severity and a ref; there are at least thirty.
func TestLintRulesDeclared(t *testing.T) {
	rules := service.Rules()
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.ID] {
			t.Errorf("rule %s declared twice", r.ID)
		}
		seen[r.ID] = true
		if r.Step < 1 || r.Step > len(isms.Roadmap) || r.Severity.Rank() >= len(isms.Severities) || r.Ref == "" || r.Title == "" {
			t.Errorf("rule %+v: step, severity, ref and title are required", r)
		}
	}
	if len(rules) < 30 {
		t.Errorf("%d rules; an auditor checks at least thirty things", len(rules))
	}
}

// A new organisation with nothing in it fails the lint with major findings, and its roadmap is far from done.
func TestLintNewOrganisation(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Empty Ltd")
		r, err := e.svc.Lint(o.Ctx("viewer"))
		ok(t, err)
		if !r.Failed() || r.Major == 0 {
			t.Fatalf("lint of an empty organisation: %d major, want some", r.Major)
		}
		rules := map[string]bool{}
		for _, f := range r.Findings {
			rules[f.Rule] = true
			if f.Message == "" || f.Link == "" || f.Ref == "" {
				t.Errorf("finding %+v: message, link and ref are required", f)
			}
		}
		if !rules["scope-missing"] {
			t.Errorf("an empty organisation has no scope; findings: %v", slices.Sorted(maps.Keys(rules)))
		}
		rd, err := e.svc.Readiness(o.Ctx("viewer"))
		ok(t, err)
		if len(rd.Steps) != 8 || rd.Percent >= 50 {
			t.Fatalf("readiness of an empty organisation: %d steps, %d%%", len(rd.Steps), rd.Percent)
		}
	})
}

// plantedOnDemo are the problems the sample organisation is written with, by rule: the lint finds each of
// them and nothing else. Each group of checks keeps its own list beside its tests.
func plantedOnDemo() map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{plantedLeadershipScopeRisk, plantedSoAImplementationSupport, plantedEvaluation, plantedCertification} {
		maps.Copy(out, m)
	}
	return out
}

// On the sample organisation the lint finds the planted problems and nothing spurious.
func TestLintDemo(t *testing.T) {
	eachDemoParallel(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		r, err := e.svc.Lint(ctx)
		ok(t, err)
		planted := plantedOnDemo()
		found := map[string]bool{}
		for _, f := range r.Findings {
			found[f.Rule] = true
			if _, ok := planted[f.Rule]; !ok {
				t.Errorf("spurious finding on the sample: %s %s: %s", f.Rule, f.Ref, f.Message)
			}
		}
		for rule, why := range planted {
			if !found[rule] {
				t.Errorf("planted problem not found: %s (%s)", rule, why)
			}
		}
	})
}
