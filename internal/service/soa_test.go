package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// soaPatch is a partial SoA change as the API decodes it: only the fields of the JSON object are sent.
func soaPatch(t *testing.T, body string) service.SoAInput {
	t.Helper()
	var in service.SoAInput
	ok(t, json.Unmarshal([]byte(body), &in))
	return in
}

func soaEntry(t *testing.T, e *env, ctx context.Context, control string) isms.SoAEntry {
	t.Helper()
	en, err := e.svc.SoAEntry(ctx, control)
	ok(t, err)
	return en
}

// decideAll makes every entry of the organisation applicable and implemented, with a justification.
func decideAll(t *testing.T, e *env, ctx context.Context) {
	t.Helper()
	_, err := e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Filter: service.SoAFilter{Applicable: "undecided"},
		Set: soaPatch(t, `{"applicable": true, "justification": "Needed to run the service safely", "status": "implemented", "reasons": ["business"]}`)})
	ok(t, err)
}

// A new organisation has one undecided entry per Annex A control, in the catalog's order.
func TestNewOrganisationHasAnEntryPerControl(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		v, err := e.svc.SoA(o.Ctx("viewer"), service.SoAFilter{})
		ok(t, err)
		if len(v.Entries) != 93 || v.Entries[0].Control != "5.1" || v.Entries[9].Control != "5.10" || v.Entries[92].Control != "8.34" {
			t.Fatalf("got %d entries, first %+v", len(v.Entries), v.Entries[0])
		}
		if en := v.Entries[92]; en.Applicable != nil || en.Version != 1 || en.Theme != "technological" || en.Title == "" {
			t.Errorf("8.34 = %+v", en)
		}
		if v.Summary.Controls != 93 || v.Summary.Decided != 0 || v.Summary.Incomplete != 93 || v.LastVersion != 0 {
			t.Errorf("summary %+v, last version %d", v.Summary, v.LastVersion)
		}
		other := testutil.NewOrg(t, e.svc, "Other")
		_, err = e.svc.SetSoAEntry(o.Ctx("editor"), "7.3", soaPatch(t, `{"applicable": false, "justification": "No offices", "version": 1}`))
		ok(t, err)
		if en := soaEntry(t, e, other.Ctx("viewer"), "7.3"); en.Applicable != nil {
			t.Errorf("another organisation's entry changed: %+v", en)
		}
	})
}

// A partial change keeps the fields not sent, resolves the owner, and is audited; the rules refuse a decision
// without a justification and an applicable control without a status; a stale version is a Conflict.
func TestSetSoAEntry(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		p, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Dana Lee", Email: "dana@acme.example"})
		ok(t, err)
		_, err = e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"applicable": true, "version": 1}`))
		wantKind(t, err, isms.KindInvalid, "decision without justification")
		for _, want := range []string{"justification: is required to decide whether control 8.28 applies", "status: is required for applicable control 8.28"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
		if en := soaEntry(t, e, ctx, "8.28"); en.Applicable != nil || en.Version != 1 {
			t.Fatalf("a refused change changed the entry: %+v", en)
		}
		en, err := e.svc.SetSoAEntry(ctx, "A.8.28", soaPatch(t, `{"applicable": true, "justification": "We write our own software", "status": "partial",
			"reasons": ["contractual", "Legal"], "owner": "dana@acme.example", "version": 1}`))
		ok(t, err)
		if en.Version != 2 || en.Owner != p.Ref || en.OwnerName != "Dana Lee" || strings.Join(en.Reasons, ",") != "contractual,legal" {
			t.Fatalf("saved %+v", en)
		}
		en, err = e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"status": "implemented", "version": 2}`))
		ok(t, err)
		if en.Justification != "We write our own software" || en.Owner != p.Ref || en.Status != "implemented" || en.Version != 3 {
			t.Errorf("partial change lost fields: %+v", en)
		}
		_, err = e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"notes": "late", "version": 2}`))
		wantKind(t, err, isms.KindConflict, "stale version")
		_, err = e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"notes": "no version"}`))
		wantKind(t, err, isms.KindInvalid, "missing version")
		_, err = e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"reasons": ["risk"], "version": 3}`))
		wantKind(t, err, isms.KindInvalid, "risk as a typed reason")
		_, err = e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"owner": "nobody", "version": 3}`))
		wantKind(t, err, isms.KindInvalid, "unknown owner")
		_, err = e.svc.SetSoAEntry(ctx, "9.99", soaPatch(t, `{"notes": "x", "version": 1}`))
		wantKind(t, err, isms.KindNotFound, "unknown control")
		_, err = e.svc.SetSoAEntry(o.Ctx("viewer"), "8.28", soaPatch(t, `{"notes": "x", "version": 3}`))
		wantKind(t, err, isms.KindForbidden, "viewer edits")
		_, err = e.svc.SetSoAEntry(o.Ctx("auditor"), "8.28", soaPatch(t, `{"notes": "x", "version": 3}`))
		wantKind(t, err, isms.KindForbidden, "auditor edits")
		en, err = e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"applicable": null, "justification": "", "version": 3}`))
		ok(t, err)
		if en.Applicable != nil {
			t.Errorf("null did not make the entry undecided: %+v", en)
		}
		var updates int
		for _, ev := range trail(t, e, orgID(o)) {
			if ev.Entity == "SoA entry" && ev.Action == "update" && ev.Ref == "8.28" {
				updates++
			}
		}
		if updates != 3 {
			t.Errorf("%d audit events for 8.28, want 3", updates)
		}
	})
}

// The rule both ways: a control that treats a risk cannot be excluded, and a risk cannot be linked to an
// excluded control (add, update, patch, import), each with the same message naming the control and the risk.
func TestExcludedControlsAndRisks(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		r := addRisk(t, e, ctx, service.RiskInput{Title: "Insecure code", Likelihood: 3, Impact: 4, Controls: []string{"8.28"}})
		en := soaEntry(t, e, ctx, "8.28")
		if strings.Join(en.Risks, ",") != r.Ref || strings.Join(en.AllReasons(), ",") != "risk" {
			t.Fatalf("8.28 = %+v", en)
		}
		_, err := e.svc.SetSoAEntry(ctx, "8.28", soaPatch(t, `{"applicable": false, "justification": "We buy all our software", "version": 1}`))
		wantKind(t, err, isms.KindInvalid, "excluding a control that treats a risk")
		want := isms.ExcludedWithRisks("applicable", "8.28", []string{r.Ref}).Message
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
		_, err = e.svc.SetSoAEntry(ctx, "7.3", soaPatch(t, `{"applicable": false, "justification": "No offices of our own", "version": 1}`))
		ok(t, err)
		msg := isms.ExcludedWithRisks("controls", "7.3", []string{"R-002"}).Message
		_, err = e.svc.AddRisk(ctx, service.RiskInput{Title: "Break-in", Likelihood: 2, Impact: 2, Treatment: isms.TreatModify, Controls: []string{"7.3"}})
		wantKind(t, err, isms.KindInvalid, "adding a risk linked to an excluded control")
		if !strings.Contains(err.Error(), msg) {
			t.Errorf("error %q lacks %q", err, msg)
		}
		in := service.RiskInput{Title: r.Title, Likelihood: 3, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"8.28", "7.3"}, Version: r.Version}
		_, err = e.svc.UpdateRisk(ctx, r.Ref, in)
		wantKind(t, err, isms.KindInvalid, "updating a risk onto an excluded control")
		if want := isms.ExcludedWithRisks("controls", "7.3", []string{r.Ref}).Message; !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
		var patch service.RiskInput
		ok(t, json.Unmarshal([]byte(`{"controls": ["7.3"], "version": 1}`), &patch))
		_, err = e.svc.PatchRisk(ctx, r.Ref, patch)
		wantKind(t, err, isms.KindInvalid, "patching a risk onto an excluded control")
		file := "title,likelihood,impact,treatment,controls\n" + strings.Repeat("Tailgating,2,2,modify,7.3;8.1\n", 12)
		_, err = e.svc.ImportRisks(ctx, "csv", strings.NewReader(file))
		wantKind(t, err, isms.KindInvalid, "importing risks onto an excluded control")
		// One problem for the control, naming the first ten risks and how many more.
		if ie, _ := isms.AsError(err); len(ie.Fields) != 1 || !strings.Contains(ie.Fields[0].Message, "control 7.3 cannot be excluded") ||
			!strings.Contains(ie.Fields[0].Message, "R-003, R-004") || !strings.Contains(ie.Fields[0].Message, "and 2 more") {
			t.Errorf("import error %q", err)
		}
		if got := getRisk(t, e, ctx, r.Ref); strings.Join(got.Controls, ",") != "8.28" || got.Version != 1 {
			t.Errorf("a refused change changed the risk: %+v", got.Risk)
		}
		// A risk whose controls stay as they are still saves.
		in.Controls, in.Title = []string{"8.28"}, "Insecure code reaches production"
		_, err = e.svc.UpdateRisk(ctx, r.Ref, in)
		ok(t, err)
	})
}

// A bulk change is all or nothing and lists every refused control.
func TestBulkSetSoA(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		addRisk(t, e, ctx, service.RiskInput{Title: "Stolen laptop", Likelihood: 3, Impact: 3, Controls: []string{"7.9"}})
		exclude := soaPatch(t, `{"applicable": false, "justification": "We have no premises: everyone works from home"}`)
		_, err := e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Filter: service.SoAFilter{Theme: "physical"}, Set: exclude})
		wantKind(t, err, isms.KindInvalid, "bulk exclusion of a control that treats a risk")
		if !strings.Contains(err.Error(), "7.9: applicable: control 7.9 cannot be excluded") {
			t.Errorf("error %q does not name 7.9", err)
		}
		v, err := e.svc.SoA(ctx, service.SoAFilter{Theme: "physical", Applicable: "no"})
		ok(t, err)
		if len(v.Entries) != 0 {
			t.Fatalf("a refused bulk change excluded %d controls", len(v.Entries))
		}
		_, err = e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: []string{"7.3", "7.6", "8.28"}, Set: soaPatch(t, `{"applicable": true}`)})
		wantKind(t, err, isms.KindInvalid, "bulk decision without justification")
		for _, c := range []string{"7.3", "7.6", "8.28"} {
			if !strings.Contains(err.Error(), c+": justification") {
				t.Errorf("error %q does not list %s", err, c)
			}
		}
		changed, err := e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: []string{"7.3", "A.7.6"}, Set: exclude})
		ok(t, err)
		if len(changed) != 2 || changed[1].Control != "7.6" || !changed[1].Excluded() || changed[1].Version != 2 {
			t.Fatalf("changed %+v", changed)
		}
		_, err = e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: []string{"7.3", "9.1"}, Set: exclude})
		wantKind(t, err, isms.KindInvalid, "unknown control in bulk")
		_, err = e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Set: exclude})
		wantKind(t, err, isms.KindInvalid, "bulk without a selection")
		_, err = e.svc.BulkSetSoA(ctx, service.BulkSoAInput{Filter: service.SoAFilter{Attrs: []string{"control_type=nonsense"}}, Set: exclude})
		wantKind(t, err, isms.KindInvalid, "bulk with a bad filter")
		_, err = e.svc.BulkSetSoA(o.Ctx("viewer"), service.BulkSoAInput{Controls: []string{"7.3"}, Set: exclude})
		wantKind(t, err, isms.KindForbidden, "viewer bulk")
		v, err = e.svc.SoA(ctx, service.SoAFilter{Applicable: "no"})
		ok(t, err)
		if len(v.Entries) != 2 || v.Summary.Excluded != 2 {
			t.Errorf("excluded %d, summary %+v", len(v.Entries), v.Summary)
		}
		v, err = e.svc.SoA(ctx, service.SoAFilter{Attrs: []string{"control_type=corrective"}, Theme: "organizational"})
		ok(t, err)
		for _, en := range v.Entries {
			if en.Theme != "organizational" {
				t.Errorf("filter let %s through", en.Control)
			}
		}
		if len(v.Entries) == 0 || len(v.Entries) > 20 {
			t.Errorf("attribute filter gave %d entries", len(v.Entries))
		}
		_, err = e.svc.SoA(ctx, service.SoAFilter{Status: "done"})
		wantKind(t, err, isms.KindInvalid, "bad status filter")
	})
}

// Approval: refused with every issue while entries are incomplete, only by approvers, numbered from 1 with a
// hash of the content that stays stable; versions compare with each other and with the draft.
func TestApproveAndDiffSoA(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx, approver := o.Ctx("editor"), o.Ctx("approver")
		_, err := e.svc.ApproveSoA(approver, "first")
		wantKind(t, err, isms.KindInvalid, "approving an undecided SoA")
		if !strings.Contains(err.Error(), "control 5.1 is undecided") || !strings.Contains(err.Error(), "control 8.34 has no justification") {
			t.Errorf("error %q does not list the issues", err)
		}
		decideAll(t, e, ctx)
		for _, role := range []string{"editor", "admin", "auditor", "viewer"} {
			_, err = e.svc.ApproveSoA(o.Ctx(role), "")
			wantKind(t, err, isms.KindForbidden, role+" approves")
		}
		v1, err := e.svc.ApproveSoA(approver, "First approval")
		ok(t, err)
		if v1.Number != 1 || len(v1.Hash) != 64 || v1.ApprovedBy != "approver of Acme" || v1.Summary.Implemented != 93 {
			t.Fatalf("v1 = %+v", v1)
		}
		// The same content approved again gets the next number and the same hash.
		again, err := e.svc.ApproveSoA(o.Ctx("owner"), "")
		ok(t, err)
		if again.Number != 2 || again.Hash != v1.Hash {
			t.Errorf("v2 = %d %s, want 2 %s", again.Number, again.Hash, v1.Hash)
		}
		_, err = e.svc.SetSoAEntry(ctx, "7.3", soaPatch(t, `{"applicable": false, "justification": "No premises", "version": 2}`))
		ok(t, err)
		v3, err := e.svc.ApproveSoA(approver, "Offices closed")
		ok(t, err)
		if v3.Number != 3 || v3.Hash == v1.Hash || v3.Summary.Excluded != 1 {
			t.Errorf("v3 = %+v", v3)
		}
		got, err := e.svc.SoAVersion(o.Ctx("auditor"), 1)
		ok(t, err)
		if len(got.Entries) != 93 || got.Hash != isms.SoAHash(got.Entries) || got.Comment != "First approval" {
			t.Errorf("stored v1: %d entries, hash %s", len(got.Entries), got.Hash)
		}
		list, err := e.svc.SoAVersions(o.Ctx("viewer"))
		ok(t, err)
		if len(list) != 3 || list[0].Number != 3 || list[0].Entries != nil {
			t.Errorf("versions %+v", list)
		}
		d, err := e.svc.DiffSoA(o.Ctx("viewer"), "1", "3")
		ok(t, err)
		if len(d.Changes) != 2 || d.Changes[0].Control != "7.3" || d.Changes[0].Field != "applicable" || d.Changes[0].After != "no" {
			t.Errorf("diff 1 3 = %+v", d.Changes)
		}
		d, err = e.svc.DiffSoA(o.Ctx("viewer"), "3", "draft")
		ok(t, err)
		if len(d.Changes) != 0 {
			t.Errorf("diff 3 draft = %+v", d.Changes)
		}
		_, err = e.svc.DiffSoA(o.Ctx("viewer"), "1", "9")
		wantKind(t, err, isms.KindNotFound, "diff with a missing version")
		_, err = e.svc.DiffSoA(o.Ctx("viewer"), "one", "draft")
		wantKind(t, err, isms.KindInvalid, "diff with a bad version")
		var approvals int
		for _, ev := range trail(t, e, orgID(o)) {
			if ev.Entity == "SoA" && ev.Action == "approve" {
				approvals++
			}
		}
		if approvals != 3 {
			t.Errorf("%d approvals audited, want 3", approvals)
		}
	})
}

// The sample organisation has a complete SoA approved twice, with real differences between the versions and a
// few draft edits: physical controls excluded, 8.28 applicable because of the insecure-code risk, and every
// control a risk names applicable.
func TestDemoSoA(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		v, err := e.svc.SoA(ctx, service.SoAFilter{})
		ok(t, err)
		if len(v.Issues) != 0 || v.LastVersion != 2 || v.Summary.Decided != 93 {
			t.Fatalf("demo SoA: summary %+v, last version %d, issues %v", v.Summary, v.LastVersion, v.Issues)
		}
		justifications := map[string]bool{}
		for _, en := range v.Entries {
			justifications[en.Justification] = true
			if len(en.Risks) > 0 && !*en.Applicable {
				t.Errorf("%s treats %v but is excluded", en.Control, en.Risks)
			}
			if en.Owner == "" {
				t.Errorf("%s has no owner", en.Control)
			}
		}
		if len(justifications) < 20 {
			t.Errorf("only %d different justifications", len(justifications))
		}
		for _, c := range []string{"7.3", "7.6"} {
			if en := soaEntry(t, e, ctx, c); !en.Excluded() || len(en.Justification) < 60 {
				t.Errorf("%s = %+v, want excluded with a sound justification", c, en)
			}
		}
		if en := soaEntry(t, e, ctx, "8.28"); !*en.Applicable || len(en.Risks) == 0 || en.AllReasons()[0] != isms.ReasonRisk {
			t.Errorf("8.28 = %+v, want applicable because of a risk", en)
		}
		d, err := e.svc.DiffSoA(ctx, "1", "2")
		ok(t, err)
		changed := map[string]bool{}
		for _, c := range d.Changes {
			changed[c.Control] = true
		}
		if !changed["8.16"] || !changed["5.7"] || !changed["6.7"] || len(changed) != 3 {
			t.Errorf("diff 1 2 = %+v", d.Changes)
		}
		d, err = e.svc.DiffSoA(ctx, "2", "draft")
		ok(t, err)
		if len(d.Changes) < 3 {
			t.Errorf("diff 2 draft = %+v", d.Changes)
		}
		vs, err := e.svc.SoAVersions(ctx)
		ok(t, err)
		if len(vs) != 2 || vs[1].ApprovedBy != "Maya Patel" || !vs[1].ApprovedAt.Before(vs[0].ApprovedAt) || vs[0].ApprovedAt.After(e.clock.Now()) {
			t.Errorf("versions %+v", vs)
		}
	})
}

// The SoA remembers which risks link each control until the audit trail moves on: a risk linked or unlinked
// afterwards shows at once on the next read of the whole SoA, as does the approval check that uses it.
func TestSoARisksFollowTheRegister(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		risksOf := func(control string) []string {
			v, err := e.svc.SoA(ctx, service.SoAFilter{})
			ok(t, err)
			for _, en := range v.Entries {
				if en.Control == control {
					return en.Risks
				}
			}
			t.Fatalf("no entry %s", control)
			return nil
		}
		if got := risksOf("8.28"); len(got) != 0 {
			t.Fatalf("8.28 treats %v before any risk", got)
		}
		r := addRisk(t, e, ctx, service.RiskInput{Title: "Insecure code", Likelihood: 3, Impact: 4, Controls: []string{"8.28"}})
		if got := risksOf("8.28"); len(got) != 1 || got[0] != r.Ref {
			t.Fatalf("after linking %s: 8.28 treats %v", r.Ref, got)
		}
		_, err := e.svc.UpdateRisk(ctx, r.Ref, service.RiskInput{Title: r.Title, Likelihood: 3, Impact: 4, Treatment: isms.TreatModify, Controls: []string{"8.8"}, Version: r.Version})
		ok(t, err)
		if got := risksOf("8.28"); len(got) != 0 {
			t.Errorf("after unlinking: 8.28 still treats %v", got)
		}
		if got := risksOf("8.8"); len(got) != 1 {
			t.Errorf("8.8 treats %v, want %s", got, r.Ref)
		}
	})
}
