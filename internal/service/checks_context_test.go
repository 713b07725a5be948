package service_test

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// plantedLeadershipScopeRisk are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedLeadershipScopeRisk = map[string]string{
	"objective-overdue":        "the quarterly restore tests objective (OBJ-003) slipped past its due date: the staging database was too small",
	"scope-changed":            "the analytics sandbox was brought into the scope after its approval and waits for the next one",
	"risk-not-accepted":        "the cloud region outage risk (R-005) stays above the threshold after treatment and its owner has not accepted it yet",
	"treatment-action-overdue": "three treatment actions (training, endpoint detection, restore test) are late, as in any busy plan",
}

// Step 2: the issues and the interested parties with their requirements fire when missing or unanswered, stop
// firing once recorded, and move the step's percentage up.
func TestChecksContext(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Context Co")
		ed, view := o.Ctx("editor"), o.Ctx("viewer")
		st := stateOf(t, e.svc, view, 2)
		st.has(t, "empty", "issues-missing", "parties-missing", "scope-missing")
		st.lacks(t, "empty", "issues-one-sided", "party-without-requirements", "requirement-unaddressed")

		_, err := e.svc.AddIssue(ed, service.IssueInput{Title: "Small security team", Kind: "internal"})
		ok(t, err)
		prev, st := st, stateOf(t, e.svc, view, 2)
		st.lacks(t, "an internal issue", "issues-missing")
		if f := st.has(t, "an internal issue", "issues-one-sided"); !strings.Contains(f.Message, "external") {
			t.Fatalf("issues-one-sided should ask for the external issues: %s", f.Message)
		}
		st.rises(t, "an internal issue", prev)
		_, err = e.svc.AddIssue(ed, service.IssueInput{Title: "Customers ask for a certificate", Kind: "external"})
		ok(t, err)
		prev, st = st, stateOf(t, e.svc, view, 2)
		st.lacks(t, "both kinds", "issues-one-sided")
		st.rises(t, "both kinds", prev)

		p, err := e.svc.AddParty(ed, service.PartyInput{Name: "Customers", Kind: "customer"})
		ok(t, err)
		prev, st = st, stateOf(t, e.svc, view, 2)
		st.lacks(t, "a party", "parties-missing")
		if f := st.has(t, "a party without requirements", "party-without-requirements"); f.Ref != p.Ref {
			t.Fatalf("party-without-requirements: ref %q, want %s", f.Ref, p.Ref)
		}
		st.rises(t, "a party", prev)
		q, err := e.svc.AddPartyRequirement(ed, p.Ref, service.RequirementInput{Text: "Tell us of breaches within 48 hours", Type: "contractual"})
		ok(t, err)
		prev, st = st, stateOf(t, e.svc, view, 2)
		st.lacks(t, "a requirement", "party-without-requirements")
		if f := st.has(t, "a requirement not addressed", "requirement-unaddressed"); f.Ref != q.Ref {
			t.Fatalf("requirement-unaddressed: ref %q, want %s", f.Ref, q.Ref)
		}
		_, err = e.svc.PatchRequirement(ed, q.Ref, service.RequirementInput{Addressed: "The incident procedure notifies customers.",
			Version: q.Version, Sent: service.SentOf("addressed")})
		ok(t, err)
		st = stateOf(t, e.svc, view, 2)
		st.lacks(t, "requirement addressed", "requirement-unaddressed", "issues-missing", "parties-missing")
		st.rises(t, "requirement addressed", prev)
	})
}
