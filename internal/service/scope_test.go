package service_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The scope starts empty at version 0; the first save sends 0, later ones the version read (stale, or 0 from a
// form read before the first save, is a 409; a request without a version a 422); lists are trimmed and an exclusion without a justification is refused. A patch keeps
// the parts it does not name. Every save is an audit event.
func TestScopeDraft(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		v, err := e.svc.Scope(ctx)
		ok(t, err)
		if v.Version != 0 || v.Status != service.ScopeDraft || v.Approval != nil || v.Units == nil {
			t.Fatalf("empty scope: %+v", v)
		}
		v, err = e.svc.SetScope(ctx, service.ScopeInput{Statement: "  The SaaS platform and its support  ", Units: []string{" Engineering ", "", "Support"},
			Exclusions: []isms.Exclusion{{Item: "Office cafeteria", Justification: "No information is processed there"}}})
		ok(t, err)
		if v.Version != 1 || v.Statement != "The SaaS platform and its support" || !slices.Equal(v.Units, []string{"Engineering", "Support"}) {
			t.Fatalf("saved scope: %+v", v)
		}
		_, err = e.svc.SetScope(ctx, service.ScopeInput{Statement: "No version sent", Sent: service.SentOf("statement")})
		wantKind(t, err, isms.KindInvalid, "no version once saved")
		_, err = e.svc.SetScope(ctx, service.ScopeInput{Statement: "Read before the first save", Version: 0})
		wantKind(t, err, isms.KindConflict, "version 0 once saved")
		_, err = e.svc.SetScope(ctx, service.ScopeInput{Statement: "Stale", Version: 7})
		wantKind(t, err, isms.KindConflict, "stale version")
		_, err = e.svc.SetScope(ctx, service.ScopeInput{Statement: "x", Units: []string{"two\nlines"}, Version: 1,
			Exclusions: []isms.Exclusion{{Item: "Printers"}}})
		wantKind(t, err, isms.KindInvalid, "bad lists")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"exclusions", "units"}) {
			t.Fatalf("fields: %v (%v)", got, err)
		}
		v, err = e.svc.PatchScope(ctx, service.ScopeInput{Locations: []string{"Remote, EU"}, Version: 1, Sent: service.SentOf("locations")})
		ok(t, err)
		if v.Version != 2 || v.Statement != "The SaaS platform and its support" || len(v.Exclusions) != 1 || v.Locations[0] != "Remote, EU" {
			t.Fatalf("patched scope: %+v", v)
		}
		_, err = e.svc.SetScope(o.Ctx("viewer"), service.ScopeInput{Statement: "x", Version: 2})
		wantKind(t, err, isms.KindForbidden, "viewer")
		if n := len(events(t, e, o, "scope")); n != 2 {
			t.Fatalf("scope audit events: %d, want 2", n)
		}
	})
}

// Only approvers approve; an empty statement is refused; versions are numbered 1, 2 with the approver and the
// hash of the content; the status follows the draft (approved, then changed); a diff names the parts changed,
// against a version or the draft; the exports carry the version's facts.
func TestScopeApproval(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx, approver := o.Ctx("editor"), o.Ctx("approver")
		_, err := e.svc.ApproveScope(approver, "")
		wantKind(t, err, isms.KindInvalid, "empty statement")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"statement"}) {
			t.Fatalf("fields: %v", got)
		}
		v, err := e.svc.SetScope(ctx, service.ScopeInput{Statement: "The SaaS platform", Systems: []string{"Billing"}})
		ok(t, err)
		_, err = e.svc.ApproveScope(ctx, "I am no approver")
		wantKind(t, err, isms.KindForbidden, "editor approves")
		v1, err := e.svc.ApproveScope(approver, "First scope")
		ok(t, err)
		if v1.Number != 1 || v1.ApprovedBy != "approver of Acme" || v1.Hash != v.Hash || len(v1.Hash) != 64 {
			t.Fatalf("version 1: %+v (draft hash %s)", v1, v.Hash)
		}
		view, err := e.svc.Scope(ctx)
		ok(t, err)
		if view.Status != service.ScopeApproved || view.Approval == nil || view.Approval.Number != 1 {
			t.Fatalf("after approval: %+v", view)
		}
		_, err = e.svc.PatchScope(ctx, service.ScopeInput{Systems: []string{"Billing", "Support desk"}, Version: view.Version, Sent: service.SentOf("systems")})
		ok(t, err)
		view, err = e.svc.Scope(ctx)
		ok(t, err)
		if view.Status != service.ScopeChanged || view.Hash == v1.Hash {
			t.Fatalf("after a change: %+v", view)
		}
		d, err := e.svc.DiffScope(ctx, "1", "draft")
		ok(t, err)
		if len(d.Changes) != 1 || d.Changes[0].Field != "systems" || d.Changes[0].After != "Billing\nSupport desk" {
			t.Fatalf("diff: %+v", d)
		}
		v2, err := e.svc.ApproveScope(o.Ctx("owner"), "")
		ok(t, err)
		if v2.Number != 2 {
			t.Fatalf("version 2: %+v", v2)
		}
		d, err = e.svc.DiffScope(ctx, "v2", "1")
		ok(t, err)
		if len(d.Changes) != 1 {
			t.Fatalf("diff 2 to 1: %+v", d)
		}
		_, err = e.svc.DiffScope(ctx, "latest", "0")
		wantKind(t, err, isms.KindInvalid, "bad sides")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"from", "to"}) {
			t.Fatalf("diff fields: %v", got)
		}
		old, err := e.svc.ScopeVersion(ctx, 1)
		ok(t, err)
		if old.Scope.Statement != "The SaaS platform" || len(old.Scope.Systems) != 1 || old.Hash != v1.Hash {
			t.Fatalf("version 1 as approved: %+v", old)
		}
		l, err := e.svc.ScopeVersions(ctx)
		ok(t, err)
		if len(l) != 2 || l[0].Number != 2 {
			t.Fatalf("versions: %+v", l)
		}
		var md bytes.Buffer
		ok(t, e.svc.ExportScope(ctx, "1", "md", &md))
		for _, want := range []string{"# ISMS scope: Acme", "**Version:** 1", "**Approved by:** approver of Acme", v1.Hash, "## Systems and services", "- Billing", "Nothing is excluded."} {
			if !strings.Contains(md.String(), want) {
				t.Fatalf("markdown lacks %q:\n%s", want, md.String())
			}
		}
		var pdf bytes.Buffer
		ok(t, e.svc.ExportScope(ctx, "", "pdf", &pdf))
		if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
			t.Fatalf("not a PDF")
		}
		wantKind(t, e.svc.ExportScope(ctx, "", "docx", &pdf), isms.KindInvalid, "unknown format")
		wantKind(t, e.svc.ExportScope(ctx, "9", "md", &pdf), isms.KindNotFound, "unknown version")
	})
}

// The registers export as CSV with their references and versions; parties carry their requirements.
func TestContextExports(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		_, err := e.svc.AddIssue(ctx, service.IssueInput{Title: "New privacy law", Kind: "external", Effect: "More records of processing"})
		ok(t, err)
		_, err = e.svc.AddParty(ctx, service.PartyInput{Name: "Data protection authority", Kind: "regulator"})
		ok(t, err)
		_, err = e.svc.AddRequirement(ctx, service.RequirementInput{Party: "IP-001", Text: "Report breaches within 72 hours", Type: "legal", Controls: []string{"5.26"}})
		ok(t, err)
		var b bytes.Buffer
		ok(t, e.svc.ExportIssues(ctx, service.IssueFilter{Kind: "external"}, "csv", &b))
		if !strings.Contains(b.String(), "I-001,New privacy law,external") {
			t.Fatalf("issues csv:\n%s", b.String())
		}
		b.Reset()
		ok(t, e.svc.ExportParties(ctx, service.PartyFilter{}, "csv", &b))
		if !strings.Contains(b.String(), "REQ-001 (legal): Report breaches within 72 hours [5.26]") {
			t.Fatalf("parties csv:\n%s", b.String())
		}
		b.Reset()
		ok(t, e.svc.ExportParties(ctx, service.PartyFilter{}, "xlsx", &b))
		if b.Len() == 0 {
			t.Fatal("empty xlsx")
		}
	})
}
