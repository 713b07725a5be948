package httpserver_test

import (
	"net/http"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// Clause 4 in the isolation tests: B's issues, party, requirement and approved scope all say Bravo; A has one
// issue (I-001) and an approved scope of its own, so I-002, IP-001 and REQ-001 exist only in B.
type contextOfB struct {
	issue isms.Issue
	party isms.Party
	req   isms.Requirement
}

// contextReads are A's clause 4 reads, which must show nothing of B.
var contextReads = []string{"/issues?limit=500", "/issues?search=bravo", "/issues/export", "/parties?limit=500", "/parties?search=bravo",
	"/parties/export", "/requirements?limit=500", "/requirements?type=contractual", "/scope", "/scope/versions", "/scope/versions/1",
	"/scope/diff?from=1&to=draft", "/scope/export?format=md&version=1", "/scope/export?format=pdf"}

func setupContext(t *testing.T, x *tenants) contextOfB {
	t.Helper()
	svc := x.srv.Svc
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var b contextOfB
	_, err := svc.AddIssue(x.a.Ctx("editor"), service.IssueInput{Title: "Alpha growth", Kind: "internal", Owner: x.aPerson.Ref})
	ok(err)
	for _, title := range []string{"Bravo market", "Bravo regulation"} {
		b.issue, err = svc.AddIssue(x.b.Ctx("editor"), service.IssueInput{Title: title, Kind: "external", Owner: x.bPeople[0].Ref, Effect: "Bravo effect"})
		ok(err)
	}
	b.party, err = svc.AddParty(x.b.Ctx("editor"), service.PartyInput{Name: "Bravo customers", Kind: "customer"})
	ok(err)
	b.req, err = svc.AddRequirement(x.b.Ctx("editor"), service.RequirementInput{Party: b.party.Ref, Text: "Bravo contract clause", Type: "contractual",
		Addressed: "Bravo reviews", Controls: []string{"5.20"}})
	ok(err)
	for org, statement := range map[string]string{"a": "Alpha's platform", "b": "Bravo's platform in Bravo DC"} {
		who := x.a
		if org == "b" {
			who = x.b
		}
		_, err = svc.SetScope(who.Ctx("editor"), service.ScopeInput{Statement: statement, Units: []string{statement + " team"}})
		ok(err)
		_, err = svc.ApproveScope(who.Ctx("owner"), "first")
		ok(err)
	}
	x.secrets = append(x.secrets, b.issue.ID, b.party.ID, b.req.ID)
	return b
}

// cases are A's attempts at B's clause 4 rows, by id and by a reference only B has: each must be a 404.
func (b contextOfB) cases() []struct {
	name, method, path string
	body               any
} {
	return []struct {
		name, method, path string
		body               any
	}{
		{"get B's issue by id", http.MethodGet, "/issues/" + b.issue.ID, nil},
		{"get an issue ref only B has", http.MethodGet, "/issues/" + b.issue.Ref, nil},
		{"update B's issue", http.MethodPut, "/issues/" + b.issue.ID, service.IssueInput{Title: "Hijacked", Kind: "internal", Version: 1}},
		{"patch an issue ref only B has", http.MethodPatch, "/issues/" + b.issue.Ref, map[string]any{"title": "Hijacked", "version": 1}},
		{"delete B's issue", http.MethodDelete, "/issues/" + b.issue.ID, nil},
		{"get B's party by id", http.MethodGet, "/parties/" + b.party.ID, nil},
		{"get a party ref only B has", http.MethodGet, "/parties/" + b.party.Ref, nil},
		{"update B's party", http.MethodPut, "/parties/" + b.party.ID, service.PartyInput{Name: "Hijacked", Kind: "other", Version: 1}},
		{"delete B's party", http.MethodDelete, "/parties/" + b.party.ID, nil},
		{"add a requirement to B's party", http.MethodPost, "/parties/" + b.party.ID + "/requirements", map[string]any{"text": "Hijacked", "type": "other"}},
		{"get B's requirement by id", http.MethodGet, "/requirements/" + b.req.ID, nil},
		{"get a requirement ref only B has", http.MethodGet, "/requirements/" + b.req.Ref, nil},
		{"update B's requirement", http.MethodPut, "/requirements/" + b.req.ID, map[string]any{"party": "IP-001", "text": "Hijacked", "type": "other", "version": 1}},
		{"delete B's requirement", http.MethodDelete, "/requirements/" + b.req.ID, nil},
	}
}

// contextWebReads are A's clause 4 pages and downloads, which must show nothing of B.
var contextWebReads = []string{"/issues", "/issues?kind=external", "/issues/export.csv", "/issues/I-001", "/parties", "/parties/export.xlsx", "/issues/import", "/parties/import",
	"/scope", "/scope/versions", "/scope/versions/1", "/scope/diff", "/scope/export?format=md&version=1", "/scope/export?format=pdf"}

// webLookups are B's clause 4 pages asked for from A: each must be a 404.
func (b contextOfB) webLookups() []string {
	return []string{"/issues/" + b.issue.ID, "/issues/" + b.issue.Ref, "/parties/" + b.party.ID, "/parties/" + b.party.Ref}
}
