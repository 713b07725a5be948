package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A new organisation has nothing that satisfies any mandatory item: each is a gap that says what is missing
// and links to where to create it. Approving a document that serves 5.2 closes the policy item.
func TestMandatoryDocumentsOfNewOrganisation(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		items, err := e.svc.MandatoryDocuments(o.Ctx("viewer"))
		ok(t, err)
		if want := len(catalog.MustLoad().MandatoryDocuments()); len(items) != want || want < 16 {
			t.Fatalf("%d items, want every one of the catalog's %d", len(items), want)
		}
		for _, it := range items {
			if it.Satisfied || len(it.Evidence) != 0 || it.Gap == "" || !strings.HasPrefix(it.CreateLink, "/") {
				t.Errorf("%s %s in a new organisation: %+v", it.Clause, it.Item, it)
			}
		}

		ed := o.Ctx("editor")
		d, err := e.svc.AddDocument(ed, service.DocumentInput{Title: "Security policy", Type: "policy", Clauses: []string{"5.2"}, Content: "# Policy\n"})
		ok(t, err)
		d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
		ok(t, err)
		items, err = e.svc.MandatoryDocuments(o.Ctx("viewer"))
		ok(t, err)
		if policy := item(items, "5.2", "e"); policy.Satisfied {
			t.Errorf("a policy in review satisfies 5.2: %+v", policy)
		}
		_, err = e.svc.ApproveDocument(o.Ctx("approver"), d.Ref, d.Version)
		ok(t, err)
		items, err = e.svc.MandatoryDocuments(o.Ctx("viewer"))
		ok(t, err)
		policy := item(items, "5.2", "e")
		if !policy.Satisfied || len(policy.Evidence) != 1 || policy.Evidence[0].Ref != d.Ref || policy.Evidence[0].Link != "/documents/"+d.Ref || policy.Gap != "" {
			t.Errorf("the approved policy does not satisfy 5.2: %+v", policy)
		}
		if register := item(items, "7.5.1", "b"); !register.Satisfied {
			t.Errorf("a document in force does not count for 7.5.1 b: %+v", register)
		}
		if scope := item(items, "4.3", ""); scope.Satisfied || scope.CreateLink != "/scope" {
			t.Errorf("scope: %+v", scope)
		}

		_, err = e.svc.MandatoryDocuments(context.Background())
		wantKind(t, err, isms.KindUnauthenticated, "no actor")
	})
}

// The sample organisation satisfies most items from its records and documents.
func TestMandatoryDocumentsOfDemo(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		items, err := e.svc.MandatoryDocuments(service.WithActor(context.Background(), a))
		ok(t, err)
		satisfied := 0
		for _, it := range items {
			if it.Satisfied {
				satisfied++
			}
		}
		for _, want := range [][2]string{{"4.3", ""}, {"5.2", "e"}, {"6.1.2", ""}, {"6.1.3", ""}, {"7.5.1", "b"}, {"6.1.3", "d"}, {"6.1.3", "e"}, {"6.2", ""}, {"8.2", ""}, {"8.3", ""}} {
			if it := item(items, want[0], want[1]); !it.Satisfied {
				t.Errorf("the demo does not satisfy %s %s: %s", want[0], want[1], it.Gap)
			}
		}
		t.Logf("the demo satisfies %d of %d items", satisfied, len(items))
		if satisfied*2 <= len(items) {
			t.Errorf("the demo satisfies %d of %d items", satisfied, len(items))
		}
	})
}

func item(items []service.MandatoryItem, clause, letter string) service.MandatoryItem {
	for _, it := range items {
		if it.Clause == clause && it.Item == letter {
			return it
		}
	}
	return service.MandatoryItem{}
}

// A document drafted from a template names the organisation's real scope statement and role holders, from
// the scope and the roles register, instead of placeholders.
func TestTemplateFilledFromScopeAndRoles(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ed := o.Ctx("editor")
		for _, name := range []string{"Olga Owner", "Sam Sponsor", "Ivan Admin"} {
			_, err := e.svc.AddPerson(ed, service.PersonInput{Name: name})
			ok(t, err)
		}
		_, err := e.svc.SetScope(ed, service.ScopeInput{Statement: "The Acme shop and its warehouse systems."})
		ok(t, err)
		for _, r := range []service.RoleInput{{Name: "ISMS owner", Kind: "isms-owner", Person: "Olga Owner"},
			{Name: "CEO", Kind: "sponsor", Person: "Sam Sponsor"}, {Name: "IT lead", Person: "Ivan Admin"}} {
			_, err := e.svc.AddRole(ed, r)
			ok(t, err)
		}
		d, err := e.svc.AddDocument(ed, service.DocumentInput{Template: "information-security"})
		ok(t, err)
		v, err := e.svc.DocumentVersion(ed, d.Ref, 0)
		ok(t, err)
		for _, want := range []string{"> The Acme shop and its warehouse systems.", "Olga Owner", "Sam Sponsor", "| IT lead | Ivan Admin |"} {
			if !strings.Contains(v.Content, want) {
				t.Errorf("the draft lacks %q:\n%s", want, v.Content)
			}
		}
		for _, gone := range []string{"ISMS owner not yet named", "sponsor not yet named", "scope statement not yet written", "IT lead not yet named"} {
			if strings.Contains(v.Content, gone) {
				t.Errorf("the draft still says %q", gone)
			}
		}
	})
}

// DocumentsByControl maps each control to the documents serving it; a retired document drops out.
func TestDocumentsByControl(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ed := o.Ctx("editor")
		a, err := e.svc.AddDocument(ed, service.DocumentInput{Title: "Crypto", Type: "policy", Controls: []string{"8.24", "5.31"}, Content: "# C\n"})
		ok(t, err)
		_, err = e.svc.AddDocument(ed, service.DocumentInput{Title: "Keys", Type: "standard", Controls: []string{"8.24"}, Content: "# K\n"})
		ok(t, err)
		a, err = e.svc.SubmitDocument(ed, a.Ref, a.Version)
		ok(t, err)
		a, err = e.svc.ApproveDocument(o.Ctx("approver"), a.Ref, a.Version)
		ok(t, err)
		m, err := e.svc.DocumentsByControl(o.Ctx("viewer"))
		ok(t, err)
		if got := m["8.24"]; len(got) != 2 || got[0].Ref != "DOC-001" || !got[0].InForce || got[1].InForce || got[1].Status != isms.DocDraft {
			t.Errorf("8.24: %+v", got)
		}
		if len(m["5.31"]) != 1 || len(m["5.1"]) != 0 {
			t.Errorf("map: %+v", m)
		}
		_, err = e.svc.RetireDocument(ed, a.Ref, a.Version)
		ok(t, err)
		m, err = e.svc.DocumentsByControl(o.Ctx("viewer"))
		ok(t, err)
		if len(m["8.24"]) != 1 || len(m["5.31"]) != 0 {
			t.Errorf("after retiring DOC-001: %+v", m)
		}
	})
}

// Acknowledging as yourself links your account to your person of the register (found by email) by user id,
// audited once: after the person's email changes, you still acknowledge as yourself.
func TestAcknowledgingLinksAccountToPerson(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		viewer := o.Actors["viewer"]
		ed := o.Ctx("editor")
		p, err := e.svc.AddPerson(ed, service.PersonInput{Name: "Vera Viewer", Email: viewer.Email})
		ok(t, err)
		if p.UserID != "" {
			t.Fatalf("a new person is linked: %+v", p)
		}
		publish := func(title string) string {
			d, err := e.svc.AddDocument(ed, service.DocumentInput{Title: title, Type: "policy", Content: "# " + title + "\n"})
			ok(t, err)
			d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
			ok(t, err)
			d, err = e.svc.ApproveDocument(o.Ctx("approver"), d.Ref, d.Version)
			ok(t, err)
			_, err = e.svc.PublishDocument(ed, d.Ref, service.PublishInput{All: true})
			ok(t, err)
			return d.Ref
		}
		first := publish("Use")
		_, err = e.svc.AcknowledgeDocument(o.Ctx("viewer"), first, service.AckInput{})
		ok(t, err)
		p, err = e.svc.Person(ed, p.Ref)
		ok(t, err)
		if p.UserID != viewer.UserID {
			t.Fatalf("acknowledging did not link the account: %+v", p)
		}
		_, err = e.svc.UpdatePerson(ed, p.Ref, service.PersonInput{Name: p.Name, Email: "vera.private@example.net", Version: p.Version})
		ok(t, err)
		second := publish("Remote")
		acks, err := e.svc.AcknowledgeDocument(o.Ctx("viewer"), second, service.AckInput{})
		ok(t, err)
		if acks.Done != 1 {
			t.Errorf("acknowledged as yourself after the email changed: %+v", acks)
		}
		trail, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "person", Action: "link"}, service.Page{})
		ok(t, err)
		if trail.Total != 1 || trail.Items[0].Ref != p.Ref {
			t.Errorf("links in the audit trail: %d %+v", trail.Total, trail.Items)
		}
	})
}

// The demo's members are linked to their people by user id.
func TestDemoMembersLinked(t *testing.T) {
	e := demoEnv(t, "sqlite")
	_, logins, err := e.svc.Demo(context.Background()) // the logins; the sample is there already
	ok(t, err)
	a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
	ok(t, err)
	ctx := service.WithActor(context.Background(), a)
	for _, l := range logins {
		m, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, l.Email)
		ok(t, err)
		people, err := e.svc.ListPeople(ctx, service.PersonFilter{Search: l.Email}, service.Page{Limit: 5})
		ok(t, err)
		linked := false
		for _, p := range people.Items {
			linked = linked || (p.Email == l.Email && p.UserID == m.UserID)
		}
		if !linked {
			t.Errorf("%s: people %+v, want linked to %s", l.Email, people.Items, m.UserID)
		}
	}
}
