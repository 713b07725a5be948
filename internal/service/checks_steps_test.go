package service_test

import (
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// linted is one run of the lint and the readiness of an organisation, as its viewer sees them.
type linted struct {
	t        *testing.T
	findings map[string][]isms.LintFinding // by rule
	ready    isms.Readiness
}

func lintOrg(t *testing.T, e *env, o testutil.Org) linted {
	t.Helper()
	r, err := e.svc.Lint(o.Ctx("viewer"))
	ok(t, err)
	rd, err := e.svc.Readiness(o.Ctx("viewer"))
	ok(t, err)
	l := linted{t: t, findings: map[string][]isms.LintFinding{}, ready: rd}
	for _, f := range r.Findings {
		l.findings[f.Rule] = append(l.findings[f.Rule], f)
	}
	return l
}

// one is the only finding of a rule, which must be there.
func (l linted) one(rule string) isms.LintFinding {
	l.t.Helper()
	if len(l.findings[rule]) != 1 {
		l.t.Fatalf("%s: %d findings, want 1: %+v", rule, len(l.findings[rule]), l.findings[rule])
	}
	return l.findings[rule][0]
}

// none fails when a rule found anything.
func (l linted) none(rules ...string) {
	l.t.Helper()
	for _, r := range rules {
		if len(l.findings[r]) > 0 {
			l.t.Errorf("%s still finds: %+v", r, l.findings[r])
		}
	}
}

// percent is a step's readiness.
func (l linted) percent(step int) int { return l.ready.Steps[step-1].Percent }

// measure is one of a step's measures by label.
func (l linted) measure(step int, label string) isms.Measure {
	l.t.Helper()
	for _, m := range l.ready.Steps[step-1].Measures {
		if m.Label == label {
			return m
		}
	}
	l.t.Fatalf("step %d has no measure %q: %+v", step, label, l.ready.Steps[step-1].Measures)
	return isms.Measure{}
}

// wantFinding checks a finding's ref and count.
func wantFinding(t *testing.T, f isms.LintFinding, ref string, count int) {
	t.Helper()
	if f.Ref != ref || f.Count != count || f.Message == "" || f.Link == "" {
		t.Errorf("finding %s: ref %q count %d (%s, link %q), want ref %q count %d", f.Rule, f.Ref, f.Count, f.Message, f.Link, ref, count)
	}
}

// setAll sets the fields of a JSON patch on every control, as a bulk edit of the whole SoA would.
func setAll(t *testing.T, e *env, o testutil.Org, patch string) {
	t.Helper()
	_, err := e.svc.BulkSetSoA(o.Ctx("editor"), service.BulkSoAInput{Controls: allControls(t, e, o), Set: soaPatch(t, patch)})
	ok(t, err)
}

func allControls(t *testing.T, e *env, o testutil.Org) []string {
	t.Helper()
	v, err := e.svc.SoA(o.Ctx("viewer"), service.SoAFilter{})
	ok(t, err)
	var out []string
	for _, en := range v.Entries {
		out = append(out, en.Control)
	}
	return out
}

// Step 4: undecided controls, an SoA never approved or changed since, and applicable controls without a
// reason are found, and each finding goes when the user does what it says; the step's percentage follows.
func TestLintSoA(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "SoA Ltd")
		l := lintOrg(t, e, o)
		wantFinding(t, l.one("soa-undecided"), "6.1.3 d", 93)
		wantFinding(t, l.one("soa-not-approved"), "6.1.3 d", 0)
		l.none("soa-changed", "soa-no-reason")
		if m := l.measure(4, "Controls decided"); m.Done != 0 || m.Total != 93 || l.percent(4) != 0 {
			t.Fatalf("a new SoA: %+v, %d%%", m, l.percent(4))
		}

		ed := o.Ctx("editor")
		_, err := e.svc.BulkSetSoA(ed, service.BulkSoAInput{Filter: service.SoAFilter{Theme: "people"},
			Set: soaPatch(t, `{"applicable": true, "justification": "Our staff handle customer data.", "status": "planned"}`)})
		ok(t, err)
		l = lintOrg(t, e, o)
		wantFinding(t, l.one("soa-undecided"), "6.1.3 d", 93-8)
		wantFinding(t, l.one("soa-no-reason"), "6.1.3 d", 8)
		first := l.percent(4)
		if first == 0 {
			t.Errorf("the people controls decided, step 4 still at 0%%")
		}

		setAll(t, e, o, `{"applicable": true, "justification": "Needed.", "status": "planned"}`)
		l = lintOrg(t, e, o)
		l.none("soa-undecided")
		wantFinding(t, l.one("soa-no-reason"), "6.1.3 d", 93)
		if l.percent(4) <= first {
			t.Errorf("every control decided: step 4 at %d%%, was %d%%", l.percent(4), first)
		}

		setAll(t, e, o, `{"reasons": ["best-practice"]}`)
		l = lintOrg(t, e, o)
		l.none("soa-undecided", "soa-no-reason", "soa-changed")
		l.one("soa-not-approved")

		_, err = e.svc.ApproveSoA(o.Ctx("approver"), "first")
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("soa-undecided", "soa-no-reason", "soa-not-approved", "soa-changed")
		if l.percent(4) != 100 {
			t.Errorf("a complete, approved SoA: step 4 at %d%%: %+v", l.percent(4), l.ready.Steps[3].Measures)
		}

		one, err := e.svc.SoAEntry(ed, "5.1")
		ok(t, err)
		_, err = e.svc.SetSoAEntry(ed, "5.1", service.SoAInput{Notes: "changed after approval", Version: one.Version, Sent: service.SentOf("notes")})
		ok(t, err)
		l = lintOrg(t, e, o)
		wantFinding(t, l.one("soa-changed"), "6.1.3 d", 0)
		if l.percent(4) == 100 {
			t.Errorf("an SoA changed since its approval: step 4 at 100%%")
		}
		_, err = e.svc.ApproveSoA(o.Ctx("approver"), "second")
		ok(t, err)
		lintOrg(t, e, o).none("soa-changed", "soa-not-approved")
	})
}

// Step 5: controls without an owner, not started without a task, implemented without evidence, expired evidence
// and overdue tasks are found, and each goes when the user does what it says; the step's percentage follows.
func TestLintImplementation(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Work Ltd")
		ed := o.Ctx("editor")
		yesterday := e.clock.Now().AddDate(0, 0, -1).Format("2006-01-02")
		l := lintOrg(t, e, o)
		l.none("implemented-without-evidence", "evidence-expired", "tasks-overdue", "control-no-owner", "control-not-started")

		setAll(t, e, o, `{"applicable": true, "justification": "Needed.", "status": "not-started", "reasons": ["business"]}`)
		l = lintOrg(t, e, o)
		wantFinding(t, l.one("control-no-owner"), "A.5.2", 93)
		wantFinding(t, l.one("control-not-started"), "6.1.3 e", 93)
		start := l.percent(5)

		owner, err := e.svc.AddPerson(ed, service.PersonInput{Name: "Olga Owner", Email: "olga@work.example"})
		ok(t, err)
		setAll(t, e, o, `{"owner": "`+owner.Ref+`", "status": "planned"}`)
		en := soaEntry(t, e, ed, "8.28")
		_, err = e.svc.SetSoAEntry(ed, "8.28", service.SoAInput{Status: "not-started", Version: en.Version, Sent: service.SentOf("status")})
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("control-no-owner")
		wantFinding(t, l.one("control-not-started"), "A.8.28", 0)
		if l.percent(5) <= start {
			t.Errorf("every control owned: step 5 at %d%%, was %d%%", l.percent(5), start)
		}

		task, err := e.svc.AddTask(ed, service.TaskInput{Title: "Secure coding rules", Control: "8.28", Due: yesterday, Items: []string{"write them"}})
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("control-not-started")
		wantFinding(t, l.one("tasks-overdue"), task.Ref, 0)
		if m := l.measure(5, "Open tasks on schedule"); m.Done != 0 || m.Total != 1 {
			t.Errorf("one overdue task: %+v", m)
		}

		en = soaEntry(t, e, ed, "8.28")
		_, err = e.svc.SetSoAEntry(ed, "8.28", service.SoAInput{Status: "implemented", Version: en.Version, Sent: service.SentOf("status")})
		ok(t, err)
		l = lintOrg(t, e, o)
		wantFinding(t, l.one("implemented-without-evidence"), "A.8.28", 0)
		implemented := l.percent(5)

		ev, err := e.svc.AddEvidence(ed, service.EvidenceInput{Title: "Scan report", Kind: "note", Description: "No high findings.",
			Controls: []string{"8.28"}, CollectedAt: yesterday, ValidUntil: yesterday})
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("implemented-without-evidence")
		wantFinding(t, l.one("evidence-expired"), ev.Ref, 0)
		if m := l.measure(5, "Implemented controls with current evidence"); m.Done != 0 || m.Total != 1 {
			t.Errorf("implemented with expired evidence only: %+v", m)
		}

		_, err = e.svc.PatchEvidence(ed, ev.Ref, service.EvidenceInput{ValidUntil: "2027-12-31", Version: ev.Version, Sent: service.SentOf("valid_until")})
		ok(t, err)
		_, err = e.svc.CompleteTask(ed, task.Ref, task.Version, true)
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("implemented-without-evidence", "evidence-expired", "tasks-overdue", "control-no-owner", "control-not-started")
		if m := l.measure(5, "Implemented controls with current evidence"); m.Done != 1 || m.Total != 1 || l.percent(5) <= implemented {
			t.Errorf("evidence renewed, task done: %+v, step 5 at %d%% (was %d%%)", m, l.percent(5), implemented)
		}
	})
}

// Step 6: missing mandatory documented information, documents never approved or overdue for review, no
// awareness course, staff not trained, screened or bound by terms, and leavers with open access are found, and
// each goes when the user does what it says; the step's percentage follows.
func TestLintSupport(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Support Ltd")
		ed, owner := o.Ctx("editor"), o.Ctx("owner")
		day := func(days int) string { return e.clock.Now().AddDate(0, 0, days).Format("2006-01-02") }
		l := lintOrg(t, e, o)
		missing := map[string]bool{}
		for _, f := range l.findings["mandatory-document-missing"] {
			missing[f.Ref] = true
			if f.Message == "" || f.Link == "" {
				t.Errorf("mandatory finding without message or link: %+v", f)
			}
		}
		if !missing["7.2 d"] || !missing["7.5.1 b"] || missing["4.3"] || missing["5.2 e"] || missing["6.1.3 d"] || missing["9.2.2"] {
			t.Errorf("mandatory items missing in a new organisation: %v (the scope, policy, SoA and audits have rules of their own)", missing)
		}
		wantFinding(t, l.one("awareness-missing"), "7.3", 0)
		l.none("document-review-overdue", "document-never-approved", "awareness-not-current", "training-not-current",
			"leaver-open-access", "staff-not-screened", "staff-no-terms")
		mandatory := l.measure(6, "Mandatory documented information in place")
		start := l.percent(6)

		// A policy drafted is a document never approved; approved, it satisfies 5.2 e.
		d, err := e.svc.AddDocument(ed, service.DocumentInput{Title: "Security policy", Type: "policy", Clauses: []string{"5.2"}, ReviewMonths: 6, Content: "# Policy\n"})
		ok(t, err)
		l = lintOrg(t, e, o)
		wantFinding(t, l.one("document-never-approved"), d.Ref, 0)
		d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
		ok(t, err)
		d, err = e.svc.ApproveDocument(o.Ctx("approver"), d.Ref, d.Version)
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("document-never-approved")
		for _, f := range l.findings["mandatory-document-missing"] {
			if f.Ref == "5.2 e" {
				t.Errorf("the approved policy does not satisfy 5.2 e: %+v", f)
			}
		}
		if m := l.measure(6, "Mandatory documented information in place"); m.Done <= mandatory.Done || l.percent(6) <= start {
			t.Errorf("policy approved: %+v (was %+v), step 6 at %d%% (was %d%%)", m, mandatory, l.percent(6), start)
		}

		// Staff: one engineer and one leaver whose account is still a member.
		ann, err := e.svc.AddPerson(ed, service.PersonInput{Name: "Ann Engineer", Email: "ann@support.example", JobTitle: "Software Engineer"})
		ok(t, err)
		leo := testutil.Join(t, e.svc, owner, "leo@support.example", "Leo Leaver", isms.RoleEditor, false)
		lp, err := e.svc.AddPerson(ed, service.PersonInput{Name: "Leo Leaver", Email: "leo@support.example", EndDate: day(-3)})
		ok(t, err)
		l = lintOrg(t, e, o)
		wantFinding(t, l.one("staff-not-screened"), "A.6.1", 0)
		wantFinding(t, l.one("staff-no-terms"), "A.6.2", 0)
		wantFinding(t, l.one("leaver-open-access"), lp.Ref, 0)
		if m := l.measure(6, "Staff screened"); m.Done != 0 || m.Total != 1 {
			t.Errorf("one member of staff (the leaver is not staff), not screened: %+v", m)
		}
		before := l.percent(6)
		_, err = e.svc.PatchPerson(ed, ann.Ref, service.PersonInput{ScreenedOn: day(-400), TermsSignedOn: day(-390), Version: ann.Version,
			Sent: service.SentOf("screened_on", "terms_signed_on")})
		ok(t, err)
		ok(t, e.svc.RemoveMember(owner, leo.UserID))
		l = lintOrg(t, e, o)
		l.none("staff-not-screened", "staff-no-terms", "leaver-open-access")
		if m := l.measure(6, "Leavers with their access removed"); m.Done != 1 || m.Total != 1 || l.percent(6) <= before {
			t.Errorf("leaver's access removed: %+v, step 6 at %d%% (was %d%%)", m, l.percent(6), before)
		}

		// Awareness for all, secure coding for engineers: Ann has taken neither.
		_, err = e.svc.AddCourse(ed, service.CourseInput{Title: "Security awareness", RecurrenceMonths: 12})
		ok(t, err)
		_, err = e.svc.AddCourse(ed, service.CourseInput{Title: "Secure coding", Audience: "role", AudienceValue: "engineer", RecurrenceMonths: 12})
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("awareness-missing")
		wantFinding(t, l.one("awareness-not-current"), "7.3", 0)
		wantFinding(t, l.one("training-not-current"), "7.2", 0)
		for _, c := range []string{"C-001", "C-002"} {
			_, err = e.svc.AddTraining(ed, service.TrainingInput{Course: c, Person: ann.Ref, CompletedOn: day(-1), Result: "passed"})
			ok(t, err)
		}
		l = lintOrg(t, e, o)
		l.none("awareness-missing", "awareness-not-current", "training-not-current")
		if m := l.measure(6, "Staff with current awareness training"); m.Done != 1 || m.Total != 1 {
			t.Errorf("Ann trained: %+v", m)
		}
		for _, f := range l.findings["mandatory-document-missing"] {
			if f.Ref == "7.2 d" {
				t.Errorf("training records are evidence of competence, yet: %+v", f)
			}
		}

		// Seven months on, the six-monthly policy is overdue for review (and Ann still current on yearly courses).
		e.clock.Advance(7 * 30 * 24 * time.Hour)
		l = lintOrg(t, e, o)
		wantFinding(t, l.one("document-review-overdue"), d.Ref, 0)
		l.none("awareness-not-current", "training-not-current")
		overdue := l.percent(6)
		d, err = e.svc.PatchDocument(ed, d.Ref, service.DocumentInput{Content: "# Policy\n\nReviewed.\n", Summary: "Yearly review", Version: d.Version,
			Sent: service.SentOf("content", "summary")})
		ok(t, err)
		d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
		ok(t, err)
		_, err = e.svc.ApproveDocument(o.Ctx("approver"), d.Ref, d.Version)
		ok(t, err)
		l = lintOrg(t, e, o)
		l.none("document-review-overdue", "document-never-approved")
		if l.percent(6) <= overdue {
			t.Errorf("policy reviewed: step 6 at %d%%, was %d%%", l.percent(6), overdue)
		}
	})
}
