package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// correctiveSample gives an organisation a nonconformity F-001 with a corrective action CA-001, and a planned
// review MR-001, for the pages that show one.
func correctiveSample(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	if _, err := svc.AddFinding(ctx, service.FindingInput{Title: "Leavers keep access", Grade: "major-nc", Clause: "8.1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCorrective(ctx, service.CorrectiveInput{Finding: "F-001", Title: "Automate leaver removal"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddReview(ctx, service.ReviewInput{Title: "Review 2026"}); err != nil {
		t.Fatal(err)
	}
}

// The corrective actions pages: the list marks an overdue action, the page of one shows its finding and the
// check form to an auditor (who has no edit form), closing before an effective check shows why it is refused,
// a not-effective check reopens it.
func TestCorrectivePages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "auditor", "viewer")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddFinding(ctx, service.FindingInput{Title: "Leavers keep access", Grade: "major-nc", Clause: "8.1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddCorrective(ctx, service.CorrectiveInput{Finding: "F-001", Title: "Automate leaver removal", Due: "2000-01-01"}); err != nil {
		t.Fatal(err)
	}
	a := get(t, srv, c["viewer"], "/corrective")
	expect(t, "list", a, http.StatusOK, "Automate leaver removal", `class="overdue"`, "overdue", "F-001")
	refuse(t, "list as a viewer", a, `method="post" action="/corrective"`)
	expect(t, "dashboard card", get(t, srv, c["viewer"], "/"), http.StatusOK, `href="/corrective?open=yes"`, `<span class="num">1</span> corrective actions open<span class="line">1 overdue`)
	a = get(t, srv, c["auditor"], "/corrective/CA-001")
	expect(t, "page as an auditor", a, http.StatusOK, "Leavers keep access", `action="/corrective/CA-001/verify"`, "not checked yet")
	refuse(t, "page as an auditor", a, `action="/corrective/CA-001/close"`, `aria-label="Edit CA-001"`)

	a = post(t, srv, c["editor"], "/corrective", url.Values{"title": {"No finding"}, "finding": {"F-404"}})
	expect(t, "bad add", a, http.StatusUnprocessableEntity, "no finding &#34;F-404&#34;")
	a = post(t, srv, c["editor"], "/corrective/CA-001/close", url.Values{"version": {"1"}})
	expect(t, "close without a check", a, http.StatusUnprocessableEntity, "cannot close CA-001: no effectiveness check yet")
	a = post(t, srv, c["auditor"], "/corrective/CA-001/verify", url.Values{"result": {"not-effective"}, "notes": {"Two still active"}, "version": {"1"}})
	redirected(t, "check", a, "/corrective/CA-001")
	expect(t, "after the check", get(t, srv, c["editor"], "/corrective/CA-001"), http.StatusOK, "not-effective", "Two still active", `action="/corrective/CA-001/close"`)
}

// The reviews pages: the list, a planned review with its inputs gathered live, holding it, adding a decision
// and the minutes downloads.
func TestReviewPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddIssue(ctx, service.IssueInput{Title: "New privacy law", Kind: "external"}); err != nil {
		t.Fatal(err)
	}
	a := post(t, srv, c["editor"], "/reviews", url.Values{"title": {"Review 2026"}, "attendees": {"CEO\nCISO"}, "planned_on": {"2026-01-10"}})
	redirected(t, "plan", a, "/reviews/MR-001")
	expect(t, "list", get(t, srv, c["viewer"], "/reviews"), http.StatusOK, "Review 2026", "planned")
	a = get(t, srv, c["editor"], "/reviews/MR-001")
	expect(t, "planned review", a, http.StatusOK, "New privacy law", "What changed in the internal and external issues", "CISO",
		`action="/reviews/MR-001/hold"`, "they are frozen when the review is marked held")
	a = post(t, srv, c["editor"], "/reviews/MR-001", url.Values{"title": {"Review 2026"}, "note-risks": {"Ransomware above appetite"}, "version": {"1"}})
	redirected(t, "notes", a, "/reviews/MR-001")
	redirected(t, "hold", post(t, srv, c["editor"], "/reviews/MR-001/hold", url.Values{"version": {"2"}}), "/reviews/MR-001")
	a = post(t, srv, c["editor"], "/reviews/MR-001/actions", url.Values{"kind": {"resource"}, "decision": {""}})
	expect(t, "bad action", a, http.StatusUnprocessableEntity, "is required")
	redirected(t, "action", post(t, srv, c["editor"], "/reviews/MR-001/actions", url.Values{"kind": {"resource"}, "decision": {"Hire an analyst"}}), "/reviews/MR-001")
	a = get(t, srv, c["viewer"], "/reviews/MR-001")
	expect(t, "held review", a, http.StatusOK, "held", "frozen when the review was held", "Ransomware above appetite", "RA-001", "Hire an analyst", "minutes.pdf")
	refuse(t, "held review as a viewer", a, `action="/reviews/MR-001/hold"`, `action="/reviews/MR-001/delete"`)
	expect(t, "minutes", get(t, srv, c["viewer"], "/reviews/MR-001/minutes.md"), http.StatusOK, "# Review 2026", "Hire an analyst")
	expect(t, "minutes PDF", get(t, srv, c["viewer"], "/reviews/MR-001/minutes.pdf"), http.StatusOK, "%PDF")
}
