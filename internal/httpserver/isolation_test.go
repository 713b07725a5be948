package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Tenant isolation over HTTP: nothing of organisation B (Bravo) reaches organisation A (Alpha) through the API
// or the web UI, and nothing A does through its credentials touches B. Every B-only string contains "bravo",
// so an answer to A must not contain that word at all, nor any of B's ids, prefixes or hashes.
//
// A's owner is also a (viewer) member of B, like a consultant who works for both: the token and the session
// that A's owner uses are bound to A, so being a member of B must not open B's objects to them.

// tenants is the two organisations and what the test knows of B.
type tenants struct {
	srv         *testutil.Server
	a, b        testutil.Org
	aTok, bTok  string // owner tokens; A's owner is the shared member
	shared      service.Actor
	secrets     []string // B's ids, token prefixes and audit hashes: none may appear in an answer to A
	bPeople     []isms.Person
	bToken      isms.APIToken // a token of B's viewer
	bShared     isms.APIToken // a token of the shared member, in B
	bVictim     isms.Membership
	bInvitation isms.Invitation
	aPerson     isms.Person
	bAssets     []isms.Asset // A has only A-001
	bRisks      []isms.Risk  // A has only R-001
	bActions    []isms.TreatmentAction
	aAsset      isms.Asset
	aRisk       isms.Risk
	bSnapshots  map[string]string
	lead        leadershipTenants // roles, commitments and objectives (leadership_test.go)
	train       trainingTenants   // courses and training records (training_test.go)
	bContext    contextOfB        // clause 4 (context_isolation_test.go)
	tasks       taskTenants       // tasks (tasks_test.go)
	bEvidence   evidenceOfB       // evidence and its files (evidence_test.go)
	audits      auditsOfB         // audits and findings (audits_isolation_test.go)
	bCorrective correctiveOfB     // clauses 9.3 and 10.2 (corrective_isolation_test.go)
	bCert       certificationOfB  // certification audits (certification_test.go)
	perf        performanceOfB    // clauses 9.1 and 10.1 (metrics_test.go)
}

func setupTenants(t *testing.T, engine sqldb.Engine) *tenants {
	t.Helper()
	srv := testutil.StartServer(t, engine)
	x := &tenants{srv: srv, a: testutil.NewOrg(t, srv.Svc, "Alpha"), b: testutil.NewOrg(t, srv.Svc, "Bravo")}
	svc := srv.Svc
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	x.aTok, x.bTok = token(t, srv, x.a, "owner"), token(t, srv, x.b, "owner")

	// A's owner joins B as a viewer.
	sharedEmail := x.a.Actors["owner"].Email
	x.shared = testutil.Join(t, svc, x.b.Ctx("owner"), sharedEmail, "", isms.RoleViewer, false)
	var err error
	_, x.bShared, err = svc.CreateToken(service.WithActor(t.Context(), x.shared), "bravo consultant token")
	ok(err)

	// A has one person (P-001); B has three (P-001 to P-003), so P-002 and P-003 exist only in B.
	x.aPerson, err = svc.AddPerson(x.a.Ctx("editor"), service.PersonInput{Name: "Alpha Person", Email: "person@alpha.example"})
	ok(err)
	for i := 1; i <= 3; i++ {
		p, err := svc.AddPerson(x.b.Ctx("editor"), service.PersonInput{Name: fmt.Sprintf("Bravo Person %d", i),
			Email: fmt.Sprintf("p%d@bravo.example", i), Department: "Bravo Ops", JobTitle: "Bravo engineer"})
		ok(err)
		x.bPeople = append(x.bPeople, p)
	}
	x.aAsset, err = svc.AddAsset(x.a.Ctx("editor"), service.AssetInput{Name: "Alpha laptop", Type: "hardware", Owner: x.aPerson.Ref})
	ok(err)
	aRisk, err := svc.AddRisk(x.a.Ctx("editor"), service.RiskInput{Title: "Alpha laptop theft", Assets: []string{x.aAsset.Ref},
		Owner: x.aPerson.Ref, Likelihood: 2, Impact: 2, Treatment: "modify"})
	ok(err)
	x.aRisk = aRisk.Risk
	_, err = svc.AddAction(x.a.Ctx("editor"), x.aRisk.Ref, service.ActionInput{Title: "Alpha disk encryption"})
	ok(err)
	for i := 1; i <= 2; i++ {
		as, err := svc.AddAsset(x.b.Ctx("editor"), service.AssetInput{Name: fmt.Sprintf("Bravo server %d", i), Type: "hardware",
			Owner: x.bPeople[0].Ref, Location: "Bravo DC"})
		ok(err)
		x.bAssets = append(x.bAssets, as)
		r, err := svc.AddRisk(x.b.Ctx("editor"), service.RiskInput{Title: fmt.Sprintf("Bravo outage %d", i), Assets: []string{as.Ref},
			Owner: x.bPeople[i].Ref, Threat: "Bravo flood", Likelihood: 3, Impact: 4, Treatment: "modify", Controls: []string{"8.13"}})
		ok(err)
		x.bRisks = append(x.bRisks, r.Risk)
		ac, err := svc.AddAction(x.b.Ctx("editor"), r.Ref, service.ActionInput{Title: fmt.Sprintf("Bravo backup site %d", i), Owner: x.bPeople[0].Ref})
		ok(err)
		x.bActions = append(x.bActions, ac)
	}
	// Both have an approved SoA; B's names B's people and says Bravo in every justification.
	for _, soa := range []struct {
		org testutil.Org
		set service.SoAInput
	}{
		{x.a, service.SoAInput{Applicable: new(bool), Justification: "Alpha does not need it", Reasons: []string{}}},
		{x.b, service.SoAInput{Applicable: &[]bool{true}[0], Justification: "Bravo needs it", Status: "planned", Owner: x.bPeople[0].Ref, Reasons: []string{"business"}}},
	} {
		_, err = svc.BulkSetSoA(soa.org.Ctx("editor"), service.BulkSoAInput{Filter: service.SoAFilter{Applicable: "undecided"}, Set: soa.set})
		ok(err)
		_, err = svc.ApproveSoA(soa.org.Ctx("owner"), "first")
		ok(err)
	}
	transitionTenants(t, svc, x.a, x.b)
	_, x.bToken, err = svc.CreateToken(x.b.Ctx("viewer"), "bravo viewer token")
	ok(err)
	victim := testutil.Join(t, svc, x.b.Ctx("owner"), "victim@bravo.example", "Bravo Victim", isms.RoleEditor, false)
	members0, err := svc.ListMembers(x.b.Ctx("owner"), service.Page{Limit: 500})
	ok(err)
	for _, m := range members0.Items {
		if m.UserID == victim.UserID {
			x.bVictim = m
		}
	}
	// An open invitation of B, which A must neither see nor revoke.
	_, x.bInvitation, err = svc.CreateInvitation(x.b.Ctx("owner"), service.InviteInput{Email: "invitee@bravo.example", Role: isms.RoleViewer})
	ok(err)
	x.addDocuments(t)

	x.lead = addLeadershipTenants(t, x)
	x.train = addTrainingTenants(t, x)
	x.bContext = setupContext(t, x)
	x.tasks = addTaskTenants(t, x)
	x.bEvidence = setupEvidence(t, x)
	x.audits = setupAudits(t, x)
	x.bCorrective = setupCorrective(t, x)
	x.bCert = setupCertification(t, x)
	x.perf = setupPerformance(t, x)
	setupLint(t, x)

	// B's secrets.
	org, err := svc.Organisation(x.b.Ctx("owner"))
	ok(err)
	x.secrets = append(x.secrets, org.ID)
	members, err := svc.ListMembers(x.b.Ctx("owner"), service.Page{Limit: 500})
	ok(err)
	for _, m := range members.Items {
		if m.UserID != x.shared.UserID {
			x.secrets = append(x.secrets, m.UserID)
		}
	}
	for _, p := range x.bPeople {
		x.secrets = append(x.secrets, p.ID)
	}
	invitations, err := svc.ListInvitations(x.b.Ctx("owner"), "", service.Page{Limit: 500})
	ok(err)
	for _, inv := range invitations.Items {
		x.secrets = append(x.secrets, inv.ID)
	}
	for i := range x.bAssets {
		x.secrets = append(x.secrets, x.bAssets[i].ID, x.bRisks[i].ID, x.bActions[i].ID)
	}
	tokens, err := svc.ListTokens(x.b.Ctx("owner"), service.Page{Limit: 500})
	ok(err)
	for _, tk := range tokens.Items {
		x.secrets = append(x.secrets, tk.ID, tk.Prefix)
	}
	events, err := svc.ListAudit(x.b.Ctx("owner"), service.AuditFilter{}, service.Page{Limit: 500})
	ok(err)
	for _, e := range events.Items {
		x.secrets = append(x.secrets, e.ID, e.Hash)
	}
	if len(x.secrets) < 20 {
		t.Fatalf("only %d secrets of B", len(x.secrets))
	}
	x.bSnapshots = x.snapshotB(t)
	return x
}

// snapshotB reads B's registers through B's own owner token.
func (x *tenants) snapshotB(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range []string{"/members?limit=500", "/invitations?limit=500", "/people?limit=500", "/tokens?limit=500", "/audit-events?limit=500", "/organisation",
		"/assets?limit=500", "/risks?limit=500", "/treatment-actions?limit=500", "/risk-method", "/soa", "/soa/versions"} {
		a := api(t, x.srv, x.bTok, http.MethodGet, p, nil)
		want(t, a, http.StatusOK, "B reads "+p)
		out[p] = string(a.Body)
	}
	for _, p := range x.bPeople {
		a := api(t, x.srv, x.bTok, http.MethodGet, "/people/"+p.ID, nil)
		want(t, a, http.StatusOK, "B reads "+p.Ref)
		out[p.Ref] = string(a.Body)
	}
	leadershipSnapshot(t, x, out)
	taskSnapshot(t, x, out)
	trainingSnapshot(t, x, out)
	performanceSnapshot(t, x, out)
	for i := range x.bAssets {
		for _, p := range []string{"/assets/" + x.bAssets[i].ID, "/risks/" + x.bRisks[i].ID} {
			a := api(t, x.srv, x.bTok, http.MethodGet, p, nil)
			want(t, a, http.StatusOK, "B reads "+p)
			out[p] = string(a.Body)
		}
	}
	return out
}

// clean fails if an answer to A carries anything of B. An error may repeat the id that A itself sent (asked),
// nothing else.
func (x *tenants) clean(t *testing.T, what string, a answer, asked ...string) {
	t.Helper()
	body := string(a.Body)
	for _, s := range asked {
		body = strings.ReplaceAll(body, s, "")
	}
	if strings.Contains(strings.ToLower(body), "bravo") {
		t.Errorf("%s: the answer to A mentions B: %.500s", what, body)
		return
	}
	for _, s := range x.secrets {
		if strings.Contains(body, s) {
			t.Errorf("%s: the answer to A contains B's %q", what, s)
			return
		}
	}
}

// unchanged fails if B's data changed, and B's own credentials must still work.
func (x *tenants) unchanged(t *testing.T) {
	t.Helper()
	now := x.snapshotB(t)
	for k, before := range x.bSnapshots {
		if now[k] != before {
			t.Errorf("B's %s changed:\nbefore %s\nafter  %s", k, before, now[k])
		}
	}
}

func TestIsolationAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			srv := x.srv
			// A's owner is the member shared with B, A's admin is not: both must see only A.
			reads := []string{"/members?limit=500", "/invitations?limit=500", "/invitations?status=open", "/people?limit=500", "/people?search=bravo", "/people?department=Bravo%20Ops", "/people/export",
				"/people?leavers=open-access", "/people/leavers/open-access",
				"/tokens?limit=500", "/audit-events?limit=500", "/audit-events?ref=P-003", "/audit-events?actor=owner@bravo.example",
				"/audit-events?entity=person", "/audit-events/export.csv", "/audit-events/checkpoint", "/auditor-pack", "/organisation",
				"/assets?limit=500", "/assets?search=bravo", "/assets/export", "/risks?limit=500", "/risks?control=8.13",
				"/risks?asset=A-002", "/risks/export", "/risks/heatmap", "/risks/heatmap?residual=true",
				"/treatment-actions?limit=500", "/treatment-actions/export", "/risk-method", "/risk-method/methodology",
				"/soa", "/soa?theme=technological", "/soa/8.13", "/soa/versions", "/soa/versions/1", "/soa/diff?from=1&to=draft",
				"/soa/export?format=csv", "/soa/export?format=md&version=1",
				documentReads[0], documentReads[1], documentReads[2], documentReads[3], documentReads[4], documentReads[5], documentReads[6], documentReads[7], documentReads[8],
				"/catalog/controls", "/catalog/controls/8.13", "/catalog/controls-2013/A.12.3.1", "/catalog/clauses", "/catalog/clauses/6.1.2",
				"/catalog/coverage/control_type", "/catalog/export", "/catalog/mandatory-documents", "/catalog/mapping", "/catalog/threats"}
			reads = append(reads, leadershipReads(false)...)
			reads = append(reads, taskReads(false)...)
			reads = append(reads, trainingReads(false)...)
			reads = append(reads, contextReads...)
			reads = append(reads, evidenceReads(false)...)
			reads = append(reads, transitionAPIReads...)
			reads = append(reads, auditReads(false)...)
			reads = append(reads, correctiveReads...)
			reads = append(reads, certificationReads(false)...)
			reads = append(reads, performanceReads...)
			reads = append(reads, lintReads...)
			for who, tok := range map[string]string{"A's owner (also in B)": x.aTok, "A's admin": token(t, srv, x.a, "admin")} {
				for _, p := range reads {
					a := api(t, srv, tok, http.MethodGet, p, nil)
					want(t, a, http.StatusOK, who+" GET "+p)
					x.clean(t, who+" GET "+p, a)
				}
			}
			// A's lists do hold A's own data (so the checks above looked at real answers).
			a := api(t, srv, x.aTok, http.MethodGet, "/people", nil)
			var people service.List[isms.Person]
			decode(t, a, &people)
			if people.Total != 1 || people.Items[0].ID != x.aPerson.ID {
				t.Fatalf("A's people: %s", a)
			}
			a = api(t, srv, x.aTok, http.MethodGet, "/tokens", nil)
			var tokens service.List[isms.APIToken]
			decode(t, a, &tokens)
			for _, tk := range tokens.Items {
				if tk.ID == x.bShared.ID {
					t.Fatal("A's token list shows the shared member's token in B")
				}
			}

			victim := x.bPeople[2] // P-003: that ref exists only in B
			cases := []struct {
				name, method, path string
				body               any
			}{
				{"get B's person by id", http.MethodGet, "/people/" + victim.ID, nil},
				{"get a ref only B has", http.MethodGet, "/people/" + victim.Ref, nil},
				{"update B's person by id", http.MethodPut, "/people/" + victim.ID, service.PersonInput{Name: "Hijacked", Version: victim.Version}},
				{"update a ref only B has", http.MethodPut, "/people/" + victim.Ref, service.PersonInput{Name: "Hijacked", Version: victim.Version}},
				{"change B's member", http.MethodPatch, "/members/" + x.bVictim.UserID, service.UpdateMemberInput{Role: isms.RoleViewer, Version: x.bVictim.Version}},
				{"remove B's member", http.MethodDelete, "/members/" + x.bVictim.UserID, nil},
				{"remove B's owner", http.MethodDelete, "/members/" + x.b.Actors["owner"].UserID, nil},
				{"revoke B's invitation", http.MethodDelete, "/invitations/" + x.bInvitation.ID, nil},
				{"revoke B's token", http.MethodDelete, "/tokens/" + x.bToken.ID, nil},
				{"revoke the shared member's own token in B", http.MethodDelete, "/tokens/" + x.bShared.ID, nil},
				{"get B's asset by id", http.MethodGet, "/assets/" + x.bAssets[1].ID, nil},
				{"get an asset ref only B has", http.MethodGet, "/assets/" + x.bAssets[1].Ref, nil},
				{"update B's asset", http.MethodPut, "/assets/" + x.bAssets[1].ID, service.AssetInput{Name: "Hijacked", Type: "hardware", Version: x.bAssets[1].Version}},
				{"delete B's asset", http.MethodDelete, "/assets/" + x.bAssets[1].ID, nil},
				{"get B's risk by id", http.MethodGet, "/risks/" + x.bRisks[1].ID, nil},
				{"get a risk ref only B has", http.MethodGet, "/risks/" + x.bRisks[1].Ref, nil},
				{"update B's risk", http.MethodPut, "/risks/" + x.bRisks[1].ID, service.RiskInput{Title: "Hijacked", Likelihood: 1, Impact: 1,
					Treatment: "retain", Version: x.bRisks[1].Version}},
				{"accept B's risk (A's owner is an approver in A)", http.MethodPost, "/risks/" + x.bRisks[1].ID + "/accept",
					service.AcceptRiskInput{Comment: "Hijacked", Version: x.bRisks[1].Version}},
				{"delete B's risk", http.MethodDelete, "/risks/" + x.bRisks[1].ID, nil},
				{"add an action to B's risk", http.MethodPost, "/risks/" + x.bRisks[1].ID + "/actions", service.ActionInput{Title: "Hijacked"}},
				{"update B's action", http.MethodPut, "/treatment-actions/" + x.bActions[1].ID, service.ActionInput{Title: "Hijacked", Status: "done",
					Version: x.bActions[1].Version}},
				{"update an action ref only B has", http.MethodPut, "/treatment-actions/" + x.bActions[1].Ref, service.ActionInput{Title: "Hijacked",
					Status: "done", Version: x.bActions[1].Version}},
				{"change the status of B's action", http.MethodPatch, "/treatment-actions/" + x.bActions[1].ID, map[string]any{"status": "done",
					"version": x.bActions[1].Version}},
				{"change the status of an action ref only B has", http.MethodPatch, "/treatment-actions/" + x.bActions[1].Ref, map[string]any{"status": "done",
					"version": x.bActions[1].Version}},
			}
			cases = append(cases, x.bContext.cases()...)
			cases = append(cases, x.bEvidence.cases()...)
			for _, p := range x.bEvidence.lookups() {
				cases = append(cases, struct {
					name, method, path string
					body               any
				}{"A reads B's evidence " + p, http.MethodGet, p, nil})
			}
			cases = append(cases, x.train.cases()...)
			cases = append(cases, x.bCorrective.cases()...)
			cases = append(cases, x.bCert.cases()...)
			cases = append(cases, lintCases()...)
			for _, c := range cases {
				a := api(t, srv, x.aTok, c.method, c.path, c.body)
				wantProblem(t, a, http.StatusNotFound, "A: "+c.name)
				x.clean(t, "A: "+c.name, a, strings.Split(c.path, "/")...)
				if c.method == http.MethodGet {
					reads = append(reads, c.path)
				}
			}
			// An import naming a reference only B has is refused, and B's row is untouched.
			for path, file := range map[string]string{"/people/import": "ref,name\n" + victim.Ref + ",Hijacked\n",
				"/assets/import": "ref,name,type\n" + x.bAssets[1].Ref + ",Hijacked,hardware\n",
				"/roles/import":  "ref,name\n" + x.lead.bRoles[1].Ref + ",Hijacked\n", "/objectives/import": "ref,title\n" + x.lead.bObjectives[1].Ref + ",Hijacked\n",
				"/training/import": "ref,completed_on\n" + x.train.bRecords[1].Ref + ",2026-01-01\n"} {
				a := api(t, srv, x.aTok, http.MethodPost, path, raw{"text/csv", file})
				wantProblem(t, a, http.StatusUnprocessableEntity, "A imports over B's rows: "+path)
				if !strings.Contains(string(a.Body), "in this organisation") {
					t.Errorf("A imports over B's rows: %s", a.Body)
				}
			}
			if p, err := srv.Svc.Person(x.b.Ctx("owner"), victim.Ref); err != nil || p.Name != victim.Name || p.Version != victim.Version {
				t.Fatalf("B's %s after A's import: %+v %v", victim.Ref, p, err)
			}
			// The shared member's /me rightly lists B among its organisations; A's admin's names A alone.
			me := api(t, srv, token(t, srv, x.a, "admin"), http.MethodGet, "/me", nil)
			want(t, me, http.StatusOK, "A's admin GET /me")
			x.clean(t, "A's admin GET /me", me)
			// Owners only: A's owner (also in B) sees A's members' security events, none of B's members.
			ownerReads := []string{"/security-events?limit=500"}
			for _, p := range ownerReads {
				a := api(t, srv, x.aTok, http.MethodGet, p, nil)
				want(t, a, http.StatusOK, "A's owner GET "+p)
				x.clean(t, "A's owner GET "+p, a)
			}
			readsCovered(t, "API", apiReads(t, srv), append(append(reads, ownerReads...), "/me"))

			// A cannot link B's people or assets into its own records, by id, reference or email.
			links := []struct {
				name string
				body any
			}{
				{"a risk owned by B's person", service.RiskInput{Title: "Cross link", Owner: x.bPeople[2].ID, Likelihood: 1, Impact: 1, Treatment: "retain"}},
				{"a risk owned by B's person (email)", service.RiskInput{Title: "Cross link", Owner: x.bPeople[2].Email, Likelihood: 1, Impact: 1, Treatment: "retain"}},
				{"a risk on B's asset", service.RiskInput{Title: "Cross link", Assets: []string{x.bAssets[1].ID}, Likelihood: 1, Impact: 1, Treatment: "retain"}},
				{"a risk on an asset ref only B has", service.RiskInput{Title: "Cross link", Assets: []string{x.bAssets[1].Ref}, Likelihood: 1, Impact: 1, Treatment: "retain"}},
			}
			for _, l := range links {
				a := api(t, srv, x.aTok, http.MethodPost, "/risks", l.body)
				wantProblem(t, a, http.StatusUnprocessableEntity, "A: "+l.name)
				x.clean(t, "A: "+l.name, a, x.bPeople[2].ID, x.bPeople[2].Email, x.bAssets[1].ID)
			}
			a = api(t, srv, x.aTok, http.MethodPost, "/assets", service.AssetInput{Name: "Cross link", Type: "hardware", Owner: x.bPeople[2].ID})
			wantProblem(t, a, http.StatusUnprocessableEntity, "A: an asset owned by B's person")
			for _, owner := range []string{x.bPeople[2].ID, x.bPeople[2].Ref, x.bPeople[2].Email} {
				a = api(t, srv, x.aTok, http.MethodPatch, "/soa/8.13", map[string]any{"owner": owner, "version": 2})
				wantProblem(t, a, http.StatusUnprocessableEntity, "A: an SoA entry owned by B's person")
				x.clean(t, "A: an SoA entry owned by B's person", a, owner)
				a = api(t, srv, x.aTok, http.MethodPatch, "/soa", map[string]any{"controls": []string{"8.13"}, "set": map[string]any{"owner": owner}})
				wantProblem(t, a, http.StatusUnprocessableEntity, "A: SoA entries owned by B's person")
			}
			a = api(t, srv, x.aTok, http.MethodPost, "/risks/import", raw{"text/csv", "title,likelihood,impact,treatment,owner,assets\n" +
				"Cross link,1,1,retain," + x.bPeople[2].Email + "," + x.bAssets[1].Ref + "\n"})
			if a.Status != http.StatusUnprocessableEntity {
				t.Fatalf("A imports a risk linked to B's person and asset: status %d: %s", a.Status, a)
			}
			x.clean(t, "A: import linking B", a, x.bPeople[2].Email)
			var risks service.List[isms.Risk]
			decode(t, api(t, srv, x.aTok, http.MethodGet, "/risks", nil), &risks)
			if risks.Total != 1 {
				t.Fatalf("A has %d risks after refused cross links, want 1", risks.Total)
			}
			// A changes its own risk method: B's stays as it was (checked with the rest of B below).
			var method isms.RiskMethod
			decode(t, api(t, srv, x.aTok, http.MethodGet, "/risk-method", nil), &method)
			want(t, api(t, srv, x.aTok, http.MethodPut, "/risk-method", service.RiskMethodInput{Likelihood: method.Likelihood, Impact: method.Impact,
				Scoring: method.Scoring, AcceptanceThreshold: method.AcceptanceThreshold + 1, HighThreshold: method.HighThreshold,
				Version: method.Version}), http.StatusOK, "A changes its risk method")

			x.unchanged(t)
			want(t, api(t, srv, token(t, srv, x.b, "viewer"), http.MethodGet, "/people", nil), http.StatusOK, "B's viewer still works")
			tb, _, err := srv.Svc.CreateToken(service.WithActor(t.Context(), x.shared), "check")
			if err != nil {
				t.Fatal(err)
			}
			want(t, api(t, srv, tb, http.MethodGet, "/people/"+victim.ID, nil), http.StatusOK, "the shared member reads B through a B token")

			// The same requests on A's own objects work: the 404s above come from the organisation, not the shape.
			mine := x.a.Actors["viewer"]
			m, err := srv.Svc.ListMembers(x.a.Ctx("owner"), service.Page{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			version := 0
			for _, it := range m.Items {
				if it.UserID == mine.UserID {
					version = it.Version
				}
			}
			want(t, api(t, srv, x.aTok, http.MethodGet, "/people/"+x.aPerson.Ref, nil), http.StatusOK, "A reads its person")
			want(t, api(t, srv, x.aTok, http.MethodPut, "/people/"+x.aPerson.ID,
				service.PersonInput{Name: "Alpha Person", Version: x.aPerson.Version}), http.StatusOK, "A updates its person")
			want(t, api(t, srv, x.aTok, http.MethodPatch, "/members/"+mine.UserID,
				service.UpdateMemberInput{Role: isms.RoleViewer, Approver: true, Version: version}), http.StatusOK, "A changes its member")
			want(t, api(t, srv, x.aTok, http.MethodDelete, "/members/"+mine.UserID, nil), http.StatusNoContent, "A removes its member")
		})
	}
}

func TestIsolationWeb(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			srv := x.srv
			// The web checks run as A's admin: A's owner is also in B, so the organisation switcher rightly
			// names B on every page they see.
			c := srv.Login(t, x.a.Actors["admin"].Email, testutil.Password)
			reads := []string{"/", "/members", "/people", "/settings/tokens", "/audit", "/audit?ref=P-003",
				"/audit/export.csv", "/audit/checkpoint.json", "/auditor-pack", "/auditor-pack.zip", "/people/suggest?q=", "/people/suggest?q=bravo", "/assets/suggest?q=", "/assets/suggest?q=bravo", "/assets", "/assets/export.csv", "/assets/import", "/people/import", "/people/export.csv", "/risks", "/risks?asset=A-002", "/risks/heatmap",
				"/risks/plan", "/risks/method", "/risks/export.csv", "/risks/export.csv?excel=1", "/risks/plan/export.csv", "/risks/new", "/risks/import", "/orgs/new", "/password", "/orgs/choose", "/settings/two-factor",
				"/catalog", "/catalog/controls/8.13", "/catalog/clauses", "/catalog/clauses/6.1.2", "/catalog/coverage", "/catalog/mapping", "/catalog/documents",
				"/soa", "/soa?theme=physical", "/soa/8.28", "/soa/versions", "/soa/diff", "/soa/export?format=csv", "/soa/versions/1",
				documentReads[0], documentReads[1], documentReads[3], documentReads[4], documentReads[6], documentReads[8]}
			reads = append(reads, leadershipReads(true)...)
			reads = append(reads, taskReads(true)...)
			reads = append(reads, trainingReads(true)...)
			reads = append(reads, contextWebReads...)
			reads = append(reads, evidenceReads(true)...)
			reads = append(reads, auditReads(true)...)
			reads = append(reads, correctiveWebReads...)
			reads = append(reads, certificationReads(true)...)
			reads = append(reads, performanceWebReads...)
			reads = append(reads, "/readiness")
			reads = append(reads, transitionWebReads...)
			for _, p := range reads {
				a := call(t, c, http.MethodGet, srv.URL+p, nil)
				want(t, a, http.StatusOK, "A's admin GET "+p)
				x.clean(t, "A's admin GET "+p, a)
			}
			want(t, call(t, c, http.MethodGet, srv.URL+"/people/"+x.aPerson.Ref, nil), http.StatusOK, "A's own person page")

			victim := x.bPeople[2]
			lookups := []string{"/people/" + victim.ID, "/people/" + victim.Ref, "/assets/" + x.bAssets[1].ID, "/assets/" + x.bAssets[1].Ref,
				"/risks/" + x.bRisks[1].ID, "/risks/" + x.bRisks[1].Ref}
			lookups = append(lookups, x.bContext.webLookups()...)
			lookups = append(lookups, x.bEvidence.lookups()...)
			lookups = append(lookups, x.train.paths()...)
			lookups = append(lookups, x.bCorrective.webLookups()...)
			lookups = append(lookups, x.bCert.webLookups()...)
			// Owners only, as A's owner (who is also in B, so the organisation switcher rightly names B: only
			// the table is checked).
			owner := srv.Login(t, x.a.Actors["owner"].Email, testutil.Password)
			want(t, post(t, srv, owner, "/orgs/switch", url.Values{"org": {x.a.Slug}}), http.StatusSeeOther, "A's owner works in A")
			sec := call(t, owner, http.MethodGet, srv.URL+"/security", nil)
			want(t, sec, http.StatusOK, "A's owner GET /security")
			if _, table, ok := strings.Cut(string(sec.Body), "<table>"); ok {
				x.clean(t, "A's owner GET /security", answer{Body: []byte(table)})
			} else {
				t.Fatalf("A's security page lists no events: %.500s", sec)
			}
			// Pages of the login itself show nothing of any organisation.
			loginPages := []string{"/security", "/login/code", "/reset/made-up-token"}
			readsCovered(t, "web", webReads(t), append(append(reads, lookups...), loginPages...))
			for _, p := range lookups {
				a := call(t, c, http.MethodGet, srv.URL+p, nil)
				want(t, a, http.StatusNotFound, "A's admin GET "+p)
				x.clean(t, "GET "+p, a, strings.Split(p, "/")...)
			}
			posts := []struct {
				path string
				form url.Values
			}{
				{"/people/" + victim.ID, url.Values{"name": {"Hijacked"}, "version": {fmt.Sprint(victim.Version)}}},
				{"/people/" + victim.Ref, url.Values{"name": {"Hijacked"}, "version": {fmt.Sprint(victim.Version)}}},
				{"/members/" + x.bVictim.UserID, url.Values{"role": {"viewer"}, "version": {fmt.Sprint(x.bVictim.Version)}}},
				{"/members/" + x.bVictim.UserID + "/remove", nil},
				{"/members/" + x.b.Actors["owner"].UserID + "/remove", nil},
				{"/members/invitations/" + x.bInvitation.ID + "/revoke", nil},
				{"/settings/tokens/" + x.bToken.ID + "/revoke", nil},
				{"/settings/tokens/" + x.bShared.ID + "/revoke", nil},
				{"/assets/" + x.bAssets[1].ID, url.Values{"name": {"Hijacked"}, "type": {"hardware"}, "version": {fmt.Sprint(x.bAssets[1].Version)}}},
				{"/assets/" + x.bAssets[1].ID + "/delete", nil},
				{"/risks/" + x.bRisks[1].ID, url.Values{"title": {"Hijacked"}, "likelihood": {"1"}, "impact": {"1"}, "treatment": {"retain"},
					"version": {fmt.Sprint(x.bRisks[1].Version)}}},
				{"/risks/" + x.bRisks[1].ID + "/accept", url.Values{"comment": {"Hijacked"}, "version": {fmt.Sprint(x.bRisks[1].Version)}}},
				{"/risks/" + x.bRisks[1].ID + "/delete", nil},
				{"/risks/" + x.bRisks[1].ID + "/actions", url.Values{"title": {"Hijacked"}}},
				{"/risks/" + x.bRisks[1].ID + "/actions/" + x.bActions[1].ID, url.Values{"title": {"Hijacked"}, "status": {"done"},
					"version": {fmt.Sprint(x.bActions[1].Version)}}},
				{"/risks/" + x.aRisk.Ref + "/actions/" + x.bActions[1].ID, url.Values{"title": {"Hijacked"}, "status": {"done"},
					"version": {fmt.Sprint(x.bActions[1].Version)}}},
				{"/risks/" + x.aRisk.Ref + "/actions/" + x.bActions[1].ID + "/status", url.Values{"status": {"done"},
					"version": {fmt.Sprint(x.bActions[1].Version)}}},
			}
			for _, p := range posts {
				a := post(t, srv, c, p.path, p.form)
				want(t, a, http.StatusNotFound, "A's admin POST "+p.path)
				x.clean(t, "POST "+p.path, a, strings.Split(p.path, "/")...)
			}
			// Switching to an organisation one is not a member of is refused too.
			sw := post(t, srv, c, "/orgs/switch", url.Values{"org": {x.b.Slug}})
			if sw.Status != http.StatusNotFound && sw.Status != http.StatusForbidden {
				t.Fatalf("switch to B by a non-member: status %d", sw.Status)
			}
			want(t, call(t, c, http.MethodGet, srv.URL+"/api/v1/organisation", nil), http.StatusOK, "A's admin still in A")
			x.unchanged(t)

			// The shared member, once switched to B in the browser, sees B and no longer A.
			s := srv.Login(t, x.shared.Email, testutil.Password)
			want(t, post(t, srv, s, "/orgs/switch", url.Values{"org": {x.b.Slug}}), http.StatusSeeOther, "switch to B")
			want(t, call(t, s, http.MethodGet, srv.URL+"/people/"+victim.Ref, nil), http.StatusOK, "B's person in B")
			want(t, call(t, s, http.MethodGet, srv.URL+"/people/"+x.aPerson.ID, nil), http.StatusNotFound, "A's person from B")
		})
	}
}

// readsCovered fails for every registered GET route that none of the requested paths reaches: a new page or
// API read must be added to the isolation checks above.
func readsCovered(t *testing.T, door string, registered []string, requested []string) {
	t.Helper()
	for _, pattern := range registered {
		re := patternRE(pattern)
		reached := slices.ContainsFunc(requested, func(p string) bool {
			path, _, _ := strings.Cut(p, "?")
			return re.MatchString(path)
		})
		if !reached {
			t.Errorf("%s read GET %s is not checked for isolation: add a request of it to the isolation test", door, pattern)
		}
	}
}

// patternRE turns a mux or OpenAPI pattern into a regular expression of the paths it serves.
func patternRE(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	rest := pattern
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		j := strings.IndexByte(rest, '}')
		switch name := rest[i+1 : j]; {
		case name == "$":
		case strings.HasSuffix(name, "..."):
			b.WriteString(".*")
		default:
			b.WriteString("[^/]+")
		}
		rest = rest[j+1:]
	}
	if strings.HasSuffix(pattern, ".") { // a pattern registered per format ("/risks/export."+f)
		b.WriteString("[a-z]+")
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// apiReads lists the GET operations of the OpenAPI document, without the document itself.
func apiReads(t *testing.T, srv *testutil.Server) []string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	decode(t, call(t, nil, http.MethodGet, srv.URL+"/api/v1/openapi.json", nil), &doc)
	var out []string
	for p, item := range doc.Paths {
		if _, ok := item["get"]; ok && p != "/openapi.json" && p != "/openapi.yaml" {
			out = append(out, p)
		}
	}
	return out
}

// webReads lists the GET routes of the web UI that need a login.
func webReads(t *testing.T) []string {
	t.Helper()
	var out []string
	for r := range webRoutes(t) {
		// (GET /catalog/{$} only redirects to /catalog.)
		if p, ok := strings.CutPrefix(r, "GET "); ok && !slices.Contains(webPublic, r) && r != "GET /catalog/{$}" {
			out = append(out, p)
		}
	}
	return out
}
