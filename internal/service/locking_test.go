package service_test

import (
	"fmt"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// testUpdatePersonStaleVersion: two people edit the same record; the second, working from the old version, gets a
// Conflict, and neither the record nor the audit trail changes.
func testUpdatePersonStaleVersion(t *testing.T, e *env) {
	o := testutil.NewOrg(t, e.svc, "Person Locking Org")
	p, err := e.svc.AddPerson(o.Ctx("editor"), service.PersonInput{Name: "Ann", Department: "IT"})
	ok(t, err)
	if p.Version != 1 {
		t.Fatalf("new person has version %d", p.Version)
	}
	// Both read version 1; the admin saves first.
	saved, err := e.svc.UpdatePerson(o.Ctx("admin"), p.Ref, service.PersonInput{Name: "Ann Lee", Department: "IT", Version: p.Version})
	ok(t, err)
	if saved.Version != 2 || saved.Name != "Ann Lee" {
		t.Fatalf("first update returned %+v", saved)
	}
	events := len(trail(t, e, orgID(o)))
	for _, version := range []int{1, 3} {
		_, err = e.svc.UpdatePerson(o.Ctx("editor"), p.Ref, service.PersonInput{Name: "Ann Smith", Department: "HR", Version: version})
		wantKind(t, err, isms.KindConflict, fmt.Sprintf("update with version %d", version))
	}
	// No version at all is a mistake of the caller, named as such.
	_, err = e.svc.UpdatePerson(o.Ctx("editor"), p.Ref, service.PersonInput{Name: "Ann Smith", Department: "HR"})
	wantKind(t, err, isms.KindInvalid, "update without a version")
	if fe, _ := isms.AsError(err); len(fe.Fields) != 1 || fe.Fields[0].Field != "version" {
		t.Errorf("update without a version reported %+v, want the version field", fe.Fields)
	}
	got, err := e.svc.Person(o.Ctx("viewer"), p.Ref)
	ok(t, err)
	if got.Name != "Ann Lee" || got.Department != "IT" || got.Version != 2 {
		t.Fatalf("after stale updates the person is %+v, want Ann Lee in IT at version 2", got)
	}
	if n := len(trail(t, e, orgID(o))); n != events {
		t.Fatalf("stale updates wrote %d audit events", n-events)
	}
	// Reloading and applying again works.
	again, err := e.svc.UpdatePerson(o.Ctx("editor"), p.ID, service.PersonInput{Name: "Ann Smith", Department: "HR", Version: got.Version})
	ok(t, err)
	if again.Version != 3 || again.Department != "HR" {
		t.Fatalf("update after reload returned %+v", again)
	}
	// A missing person is NotFound, not a conflict.
	_, err = e.svc.UpdatePerson(o.Ctx("editor"), "P-999", service.PersonInput{Name: "Nobody", Version: 1})
	wantKind(t, err, isms.KindNotFound, "updating P-999")
	// Invalid input is reported field by field before any version check.
	_, err = e.svc.UpdatePerson(o.Ctx("editor"), p.Ref, service.PersonInput{Name: "", Email: "not-an-email", StartDate: "2024-13-01", Version: 3})
	wantKind(t, err, isms.KindInvalid, "invalid update")
	if fe, _ := isms.AsError(err); len(fe.Fields) != 3 {
		t.Errorf("invalid update reported %+v, want name, email and start_date", fe.Fields)
	}
}

// testUpdateMemberStaleVersion: the same for a member's role.
func testUpdateMemberStaleVersion(t *testing.T, e *env) {
	o := testutil.NewOrg(t, e.svc, "Member Locking Org")
	m, ok1 := memberByEmail(t, e, o.Ctx("owner"), o.Actors["viewer"].Email)
	if !ok1 || m.Version != 1 || m.Role != isms.RoleViewer {
		t.Fatalf("viewer membership = %+v", m)
	}
	up, err := e.svc.UpdateMember(o.Ctx("admin"), m.UserID, service.UpdateMemberInput{Role: isms.RoleEditor, Version: m.Version})
	ok(t, err)
	if up.Version != 2 || up.Role != isms.RoleEditor {
		t.Fatalf("first update returned %+v", up)
	}
	events := len(trail(t, e, orgID(o)))
	_, err = e.svc.UpdateMember(o.Ctx("owner"), m.UserID, service.UpdateMemberInput{Role: isms.RoleAuditor, Approver: true, Version: m.Version})
	wantKind(t, err, isms.KindConflict, "stale member update")
	got, _ := memberByEmail(t, e, o.Ctx("owner"), m.Email)
	if got.Role != isms.RoleEditor || got.Approver || got.Version != 2 {
		t.Fatalf("after the stale update the member is %+v", got)
	}
	if n := len(trail(t, e, orgID(o))); n != events {
		t.Fatalf("the stale update wrote %d audit events", n-events)
	}
	// The member's access follows the stored role, not the refused one.
	a, err := e.svc.OperatorActor(t.Context(), o.Slug, m.Email)
	ok(t, err)
	if a.Role != isms.RoleEditor {
		t.Fatalf("member acts as %s", a.Role)
	}
	_, err = e.svc.UpdateMember(o.Ctx("owner"), m.UserID, service.UpdateMemberInput{Role: "superuser", Version: 2})
	wantKind(t, err, isms.KindInvalid, "unknown role")
	_, err = e.svc.UpdateMember(o.Ctx("owner"), "no-such-user", service.UpdateMemberInput{Role: isms.RoleViewer, Version: 1})
	wantKind(t, err, isms.KindNotFound, "updating a non-member")
}
