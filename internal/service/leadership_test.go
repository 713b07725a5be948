package service_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Roles: added with the holder resolved from the people register, changed in part or whole, deleted; each change
// one audit event; a stale version is a 409 and an unknown person a 422 naming it, changing nothing. The list
// warns while there is no ISMS owner or sponsor, or several, and never refuses.
func TestRolesRegister(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		ceo, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Maya Patel", Email: "maya@acme.example"})
		ok(t, err)
		l, err := e.svc.ListRoles(ctx, service.RoleFilter{}, service.Page{})
		ok(t, err)
		if len(l.Warnings) != 2 {
			t.Fatalf("no roles yet: warnings %q, want one for the owner and one for the sponsor", l.Warnings)
		}
		r, err := e.svc.AddRole(ctx, service.RoleInput{Name: " Sponsor ", Kind: "sponsor", Person: "maya@acme.example", Responsibilities: "Approves the policy"})
		ok(t, err)
		if r.Ref != "RL-001" || r.Name != "Sponsor" || r.Person != ceo.Ref || r.PersonName != "Maya Patel" || r.Version != 1 {
			t.Fatalf("added: %+v", r)
		}
		other, err := e.svc.AddRole(ctx, service.RoleInput{Name: "Engineering lead"})
		ok(t, err)
		if other.Kind != "other" {
			t.Fatalf("kind left out: %q, want other", other.Kind)
		}
		_, err = e.svc.AddRole(ctx, service.RoleInput{Name: "Second sponsor", Kind: "sponsor"})
		ok(t, err) // several sponsors: saved, with a warning
		l, err = e.svc.ListRoles(ctx, service.RoleFilter{}, service.Page{})
		ok(t, err)
		if l.Total != 3 || len(l.Warnings) != 2 || !strings.Contains(l.Warnings[0], "No role is marked as the ISMS owner") ||
			!strings.Contains(l.Warnings[1], "2 roles are marked as the top-management sponsor") {
			t.Fatalf("warnings with two sponsors and no owner: %q", l.Warnings)
		}
		_, err = e.svc.PatchRole(ctx, "RL-003", service.RoleInput{Kind: "isms-owner", Version: 1, Sent: service.SentOf("kind")})
		ok(t, err)
		l, err = e.svc.ListRoles(ctx, service.RoleFilter{Kind: "sponsor"}, service.Page{})
		ok(t, err)
		if l.Total != 1 || len(l.Warnings) != 0 {
			t.Fatalf("one owner, one sponsor: %d sponsors, warnings %q", l.Total, l.Warnings)
		}

		// A partial change keeps the other fields; a stale one is a Conflict; bad input names its fields.
		r, err = e.svc.PatchRole(ctx, r.Ref, service.RoleInput{Authorities: "Signs the budget", Version: 1, Sent: service.SentOf("authorities")})
		ok(t, err)
		if r.Responsibilities != "Approves the policy" || r.Person != ceo.Ref || r.Authorities != "Signs the budget" || r.Version != 2 {
			t.Fatalf("after a patch: %+v", r)
		}
		_, err = e.svc.PatchRole(ctx, r.Ref, service.RoleInput{Notes: "late", Version: 1, Sent: service.SentOf("notes")})
		wantKind(t, err, isms.KindConflict, "stale role")
		_, err = e.svc.UpdateRole(ctx, r.Ref, service.RoleInput{Name: "Sponsor", Kind: "boss", Person: "P-404", Version: 2,
			Sent: service.SentOf("name", "kind", "person")})
		wantKind(t, err, isms.KindInvalid, "bad role")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"kind", "person"}) {
			t.Fatalf("bad role: fields %v", got)
		}
		if !strings.Contains(err.Error(), `no person "P-404"`) {
			t.Fatalf("unknown person: %v", err)
		}
		_, err = e.svc.UpdateRole(ctx, r.Ref, service.RoleInput{Kind: "sponsor", Version: 2, Sent: service.SentOf("kind")})
		wantKind(t, err, isms.KindInvalid, "PUT without name")
		saved, err := e.svc.Role(ctx, r.Ref)
		ok(t, err)
		if saved.Version != 2 || saved.Kind != "sponsor" {
			t.Fatalf("after refused changes: %+v", saved)
		}
		_, err = e.svc.AddRole(o.Ctx("viewer"), service.RoleInput{Name: "Sneaky"})
		wantKind(t, err, isms.KindForbidden, "viewer adds a role")

		ok(t, e.svc.DeleteRole(ctx, other.Ref))
		_, err = e.svc.Role(ctx, other.Ref)
		wantKind(t, err, isms.KindNotFound, "deleted role")
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "role"}, service.Page{})
		ok(t, err)
		if events.Total != 6 { // 3 creates, 2 updates, 1 delete
			t.Fatalf("audit events of roles: %d, want 6", events.Total)
		}
	})
}

// Commitments: the date is required and must be a date, the person must exist; changes are audited and
// versioned; the export lists them.
func TestCommitmentsRegister(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Maya Patel"})
		ok(t, err)
		_, err = e.svc.AddCommitment(ctx, service.CommitmentInput{Title: "", Date: "2026-13-01", Person: "Nobody"})
		wantKind(t, err, isms.KindInvalid, "bad commitment")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"date", "person", "title"}) {
			t.Fatalf("bad commitment: fields %v", got)
		}
		c, err := e.svc.AddCommitment(ctx, service.CommitmentInput{Title: "Approved the security budget", Date: "2026-03-02",
			Person: "Maya Patel", Evidence: "Board minutes 2026-03", Document: "DOC-001"})
		ok(t, err)
		if c.Ref != "LC-001" || c.Person != "P-001" || c.Document != "DOC-001" {
			t.Fatalf("added: %+v", c)
		}
		c, err = e.svc.PatchCommitment(ctx, c.Ref, service.CommitmentInput{Evidence: "https://intranet.example/board/2026-03", Version: 1, Sent: service.SentOf("evidence")})
		ok(t, err)
		if c.Date != "2026-03-02" || c.Version != 2 {
			t.Fatalf("after a patch: %+v", c)
		}
		_, err = e.svc.PatchCommitment(ctx, c.Ref, service.CommitmentInput{Notes: "x", Version: 1, Sent: service.SentOf("notes")})
		wantKind(t, err, isms.KindConflict, "stale commitment")
		var b bytes.Buffer
		ok(t, e.svc.ExportCommitments(ctx, service.CommitmentFilter{}, "csv", &b))
		if !strings.Contains(b.String(), "LC-001,2026-03-02,Approved the security budget,P-001,Maya Patel,https://intranet.example/board/2026-03,DOC-001") {
			t.Fatalf("export:\n%s", b.String())
		}
		ok(t, e.svc.DeleteCommitment(ctx, c.Ref))
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "commitment"}, service.Page{})
		ok(t, err)
		if events.Total != 3 {
			t.Fatalf("audit events of commitments: %d, want 3", events.Total)
		}
	})
}
