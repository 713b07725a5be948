package httpserver_test

import (
	"net/http"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// Clauses 9.3 and 10.2 in the isolation tests: B's nonconformity, corrective actions, reviews and review actions
// all say Bravo; A has one of each (CA-001 on the audits' F-001, MR-001, RA-001), so CA-002, MR-002 and RA-002 exist only in B.
// A's review inputs are assembled from A's registers alone.
type correctiveOfB struct {
	finding isms.Finding
	ca      isms.CorrectiveAction
	review  isms.Review
	action  isms.ReviewAction
}

// correctiveReads are A's reads, which must show nothing of B.
var correctiveReads = []string{"/corrective?limit=500", "/corrective?search=bravo", "/corrective?overdue=true", "/corrective/CA-001",
	"/reviews?limit=500", "/reviews?search=bravo", "/reviews/MR-001", "/reviews/MR-001/inputs", "/reviews/MR-002/inputs",
	"/reviews/MR-001/actions", "/reviews/MR-001/minutes?format=md", "/review-actions/RA-001", "/corrective/oscal", "/findings/oscal"}

// correctiveWebReads are A's pages and downloads.
var correctiveWebReads = []string{"/corrective", "/corrective?overdue=1", "/corrective/CA-001", "/reviews", "/reviews/MR-001",
	"/reviews/MR-002", "/reviews/MR-001/minutes.md"}

func setupCorrective(t *testing.T, x *tenants) correctiveOfB {
	t.Helper()
	svc := x.srv.Svc
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var b correctiveOfB
	for org, word := range map[string]string{"a": "Alpha", "b": "Bravo"} {
		who := x.a
		if org == "b" {
			who = x.b
		}
		ctx := who.Ctx("owner")
		n := 1
		if org == "b" {
			n = 2
		}
		for i := 0; i < n; i++ {
			f, err := svc.Finding(ctx, "F-001") // A's is the audits' F-001 (a minor nonconformity): A has no other finding
			if org == "b" {
				f, err = svc.AddFinding(ctx, service.FindingInput{Title: word + " leavers keep access", Grade: "major-nc", Clause: "8.1"})
			}
			ok(err)
			ca, err := svc.AddCorrective(ctx, service.CorrectiveInput{Finding: f.Ref, Title: word + " leaver removal", RootCause: word + " cause", Due: "2000-01-01"})
			ok(err)
			r, err := svc.AddReview(ctx, service.ReviewInput{Title: word + " review", Attendees: word + " board"})
			ok(err)
			ra, err := svc.AddReviewAction(ctx, service.ReviewActionInput{Review: r.Ref, Kind: "resource", Decision: word + " decision"})
			ok(err)
			if org == "b" {
				b.finding, b.ca, b.review, b.action = f, ca, r, ra
			}
		}
		if org == "a" { // a second review of A, planned, whose inputs show A's earlier decision
			_, err := svc.HoldReview(ctx, "MR-001", "", 1)
			ok(err)
			_, err = svc.AddReview(ctx, service.ReviewInput{Title: "Alpha next review"})
			ok(err)
		}
	}
	x.secrets = append(x.secrets, b.finding.ID, b.ca.ID, b.review.ID, b.action.ID)
	return b
}

// cases are A's attempts at B's rows, by id and by a reference only B has: each must be a 404.
func (b correctiveOfB) cases() []struct {
	name, method, path string
	body               any
} {
	return []struct {
		name, method, path string
		body               any
	}{
		{"get B's corrective action by id", http.MethodGet, "/corrective/" + b.ca.ID, nil},
		{"get a corrective ref only B has", http.MethodGet, "/corrective/" + b.ca.Ref, nil},
		{"patch B's corrective action", http.MethodPatch, "/corrective/" + b.ca.ID, map[string]any{"title": "Hijacked", "version": 1}},
		{"verify B's corrective action", http.MethodPost, "/corrective/" + b.ca.Ref + "/verify", map[string]any{"result": "effective", "version": 1}},
		{"close B's corrective action", http.MethodPost, "/corrective/" + b.ca.ID + "/close", map[string]any{"version": 1}},
		{"delete B's corrective action", http.MethodDelete, "/corrective/" + b.ca.ID, nil},
		{"get B's review by id", http.MethodGet, "/reviews/" + b.review.ID, nil},
		{"get the inputs of B's review", http.MethodGet, "/reviews/" + b.review.ID + "/inputs", nil},
		{"get the actions of B's review", http.MethodGet, "/reviews/" + b.review.ID + "/actions", nil},
		{"hold B's review", http.MethodPost, "/reviews/" + b.review.ID + "/hold", map[string]any{"version": 1}},
		{"add an action to B's review", http.MethodPost, "/reviews/" + b.review.ID + "/actions", map[string]any{"kind": "change", "decision": "Hijacked"}},
		{"patch B's review", http.MethodPatch, "/reviews/" + b.review.ID, map[string]any{"discussion": "Hijacked", "version": 1}},
		{"delete B's review", http.MethodDelete, "/reviews/" + b.review.ID, nil},
		{"get B's review action", http.MethodGet, "/review-actions/" + b.action.ID, nil},
		{"get a review action ref only B has", http.MethodGet, "/review-actions/" + b.action.Ref, nil},
		{"patch B's review action", http.MethodPatch, "/review-actions/" + b.action.ID, map[string]any{"status": "done", "version": 1}},
		{"get the minutes of B's review", http.MethodGet, "/reviews/" + b.review.ID + "/minutes?format=md", nil},
	}
}

// webLookups are B's pages asked for from A: each must be a 404.
func (b correctiveOfB) webLookups() []string {
	return []string{"/corrective/" + b.ca.ID, "/corrective/" + b.ca.Ref, "/reviews/" + b.review.ID, "/reviews/" + b.review.ID + "/minutes.md"}
}
