package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// addLeadershipRows gives an organisation (whose P-001 exists) a sponsor role RL-001, a commitment LC-001 and an
// objective OBJ-001, for the pages that show one.
func addLeadershipRows(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	if _, err := svc.AddRole(ctx, service.RoleInput{Name: "Sponsor", Kind: "sponsor", Person: "P-001", Responsibilities: "Approves the policy"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCommitment(ctx, service.CommitmentInput{Title: "Approved the policy", Date: "2026-01-15", Person: "P-001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddObjective(ctx, service.ObjectiveInput{Title: "Encrypt every laptop", Owner: "P-001", Due: "2026-06-30"}); err != nil {
		t.Fatal(err)
	}
}

// The roles page warns while no ISMS owner is named and stops once one is; the add form takes a role and its
// holder; an edit on an old version shows the stale notice and keeps the other change.
func TestRolesPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Maya Patel"}); err != nil {
		t.Fatal(err)
	}
	addLeadershipRows(t, srv.Svc, ctx)
	a := get(t, srv, c["viewer"], "/roles")
	expect(t, "roles without an owner", a, http.StatusOK, "No role is marked as the ISMS owner", "Maya Patel")
	expect(t, "a role without an owner", get(t, srv, c["viewer"], "/roles/RL-001"), http.StatusOK, "No role is marked as the ISMS owner")
	refuse(t, "roles as a viewer", a, `method="post" action="/roles"`)

	a = post(t, srv, c["editor"], "/roles", url.Values{"name": {""}, "kind": {"owner"}, "person": {"P-404"}})
	expect(t, "bad role", a, http.StatusUnprocessableEntity, "is required", "must be one of isms-owner, sponsor, other", `no person &#34;P-404&#34;`)
	a = post(t, srv, c["editor"], "/roles", url.Values{"name": {"CISO"}, "kind": {"isms-owner"}, "person": {"P-001"}, "responsibilities": {"Runs the ISMS"}})
	redirected(t, "add role", a, "/roles/RL-002")
	expect(t, "roles with an owner", get(t, srv, c["viewer"], "/roles"), http.StatusOK, "ISMS owner")
	refuse(t, "roles with one owner and one sponsor", get(t, srv, c["viewer"], "/roles"), "No role is marked", "roles are marked")

	// Someone else changes RL-002 meanwhile: saving the old version is refused with the stale notice.
	if _, err := srv.Svc.PatchRole(ctx, "RL-002", service.RoleInput{Notes: "Reviewed", Version: 1, Sent: service.SentOf("notes")}); err != nil {
		t.Fatal(err)
	}
	a = post(t, srv, c["editor"], "/roles/RL-002", url.Values{"name": {"CISO"}, "kind": {"isms-owner"}, "version": {"1"}})
	expect(t, "stale role", a, http.StatusConflict, "Reviewed")
	r, err := srv.Svc.Role(ctx, "RL-002")
	if err != nil || r.Notes != "Reviewed" || r.Person != "P-001" {
		t.Fatalf("after a stale save: %+v %v", r, err)
	}
	a = post(t, srv, c["editor"], "/roles/RL-002/delete", nil)
	redirected(t, "delete role", a, "/roles")
	expect(t, "after the delete", get(t, srv, c["editor"], "/roles"), http.StatusOK, "RL-002 is deleted.")
}

// The objectives list marks the overdue ones, and its filters (status, owner, overdue) narrow it; a risk the
// form names must exist.
func TestObjectivesPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor")
	ctx := org.Ctx("owner")
	if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Daniel Kim"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddRisk(ctx, service.RiskInput{Title: "Laptop theft", Likelihood: 2, Impact: 3, Treatment: isms.TreatRetain}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []service.ObjectiveInput{
		{Title: "Late objective", Due: "2020-01-31", Status: "at-risk", Owner: "P-001"},
		{Title: "Reached objective", Due: "2020-01-31", Status: "achieved"},
		{Title: "Future objective", Due: "2999-12-31", Status: "on-track"},
	} {
		if _, err := srv.Svc.AddObjective(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	a := get(t, srv, c["editor"], "/objectives")
	expect(t, "objectives", a, http.StatusOK, `<tr data-ref="OBJ-001" class="overdue">`, `<tr data-ref="OBJ-002">`, `<tr data-ref="OBJ-003">`)
	a = get(t, srv, c["editor"], "/objectives?overdue=1")
	expect(t, "overdue only", a, http.StatusOK, "OBJ-001", "1 objective.")
	refuse(t, "overdue only", a, "OBJ-002", "OBJ-003")
	a = get(t, srv, c["editor"], "/objectives?status=on-track")
	expect(t, "on track", a, http.StatusOK, "OBJ-003")
	refuse(t, "on track", a, "OBJ-001", "OBJ-002")
	a = get(t, srv, c["editor"], "/objectives?owner=P-001")
	expect(t, "by owner", a, http.StatusOK, "OBJ-001", "1 objective.")
	expect(t, "bad status filter", get(t, srv, c["editor"], "/objectives?status=done"), http.StatusUnprocessableEntity, "must be one of planned")

	a = post(t, srv, c["editor"], "/objectives", url.Values{"title": {"Train staff"}, "risks": {"R-001, R-009"}})
	expect(t, "unknown risk", a, http.StatusUnprocessableEntity, `no risk &#34;R-009&#34;`)
	a = post(t, srv, c["editor"], "/objectives", url.Values{"title": {"Train staff"}, "risks": {"r-001"}, "owner": {"P-001"}})
	redirected(t, "add objective", a, "/objectives/OBJ-004")
	expect(t, "added objective", get(t, srv, c["editor"], "/objectives/OBJ-004"), http.StatusOK, "OBJ-004 Train staff is added.",
		`href="/risks/R-001"`, `value="R-001"`)
}

// redirected fails unless a is the redirect (303) to location that follows a successful form.
func redirected(t *testing.T, what string, a answer, location string) {
	t.Helper()
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != location {
		t.Fatalf("%s: status %d, Location %q, want 303 to %s\n%s", what, a.Status, a.Header.Get("Location"), location, a.Body)
	}
}
