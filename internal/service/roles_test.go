package service_test

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

var everyone = []string{"owner", "admin", "editor", "auditor", "viewer", "approver"}

// roleMatrix is DESIGN.md section 5 applied to every use case: the roles that may run it. Every other role gets
// Forbidden. "approver" is an editor with the approver flag, which grants nothing here.
var roleMatrix = map[string][]string{
	"ListMembers":      {"owner", "admin", "auditor"},
	"CreateInvitation": {"owner", "admin"},
	"ListInvitations":  {"owner", "admin", "auditor"},
	"RevokeInvitation": {"owner", "admin"},
	"UpdateMember":     {"owner", "admin"},
	"RemoveMember":     {"owner", "admin"},
	"CreateToken":      everyone,
	"ListTokens":       everyone,
	"RevokeToken":      everyone, // one's own token
	"ListAudit":        {"owner", "admin", "auditor"},
	"ExportAuditCSV":   {"owner", "admin", "auditor"},
	"AuditFacets":      {"owner", "admin", "auditor"},
	"ListPeople":       everyone,
	"Person":           everyone,
	"AddPerson":        {"owner", "admin", "editor", "approver"},
	"UpdatePerson":     {"owner", "admin", "editor", "approver"},
	"Organisation":     everyone,
}

// matrixCall prepares one run of a use case (as the organisation's owner, or as prep, the acting context, where
// the use case works on the actor's own objects) and returns the call to make as the actor under test. It also
// tells whether the call changes something, which must then show as exactly one audit event.
type matrixCall func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (call func(ctx context.Context) error, changes bool)

var matrixCalls = map[string]matrixCall{
	"ListMembers": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			l, err := e.svc.ListMembers(ctx, service.Page{})
			if err == nil && (l.Total < 6 || len(l.Items) < 6) {
				t.Errorf("ListMembers returned %d of %d members, want the 6 of NewOrg at least", len(l.Items), l.Total)
			}
			return err
		}, false
	},
	"CreateInvitation": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		email := s.next("new") + "@example.org"
		return func(ctx context.Context) error {
			_, _, err := e.svc.CreateInvitation(ctx, service.InviteInput{Email: email, Role: isms.RoleViewer})
			return err
		}, true
	},
	"ListInvitations": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			_, err := e.svc.ListInvitations(ctx, "", service.Page{})
			return err
		}, false
	},
	"RevokeInvitation": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		_, inv, err := e.svc.CreateInvitation(o.Ctx("owner"), service.InviteInput{Email: s.next("revoked") + "@example.org", Role: isms.RoleViewer})
		ok(t, err)
		return func(ctx context.Context) error { return e.svc.RevokeInvitation(ctx, inv.ID) }, true
	},
	"UpdateMember": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		m := joinAsViewer(t, e, o, s)
		return func(ctx context.Context) error {
			_, err := e.svc.UpdateMember(ctx, m.UserID, service.UpdateMemberInput{Role: isms.RoleEditor, Version: m.Version})
			return err
		}, true
	},
	"RemoveMember": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		m := joinAsViewer(t, e, o, s)
		return func(ctx context.Context) error { return e.svc.RemoveMember(ctx, m.UserID) }, true
	},
	"CreateToken": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		name := s.next("token ")
		return func(ctx context.Context) error {
			_, _, err := e.svc.CreateToken(ctx, name)
			return err
		}, true
	},
	"ListTokens": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			_, err := e.svc.ListTokens(ctx, service.Page{})
			return err
		}, false
	},
	"RevokeToken": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		_, tok, err := e.svc.CreateToken(prep, s.next("own "))
		ok(t, err)
		return func(ctx context.Context) error { return e.svc.RevokeToken(ctx, tok.ID) }, true
	},
	"ListAudit": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			l, err := e.svc.ListAudit(ctx, service.AuditFilter{}, service.Page{})
			if err == nil && len(l.Items) == 0 {
				t.Error("ListAudit allowed but empty")
			}
			return err
		}, false
	},
	"ExportAuditCSV": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			var b bytes.Buffer
			err := e.svc.ExportAuditCSV(ctx, service.AuditFilter{}, &b)
			if err != nil && b.Len() > 0 {
				t.Errorf("a refused export wrote %q", b.String())
			}
			if err == nil && strings.Count(b.String(), "\n") < 2 {
				t.Errorf("export allowed but without events: %q", b.String())
			}
			return err
		}, false
	},
	"AuditFacets": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			_, _, _, err := e.svc.AuditFacets(ctx)
			return err
		}, false
	},
	"ListPeople": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			_, err := e.svc.ListPeople(ctx, service.PersonFilter{}, service.Page{})
			return err
		}, false
	},
	"Person": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		p, err := e.svc.AddPerson(o.Ctx("owner"), service.PersonInput{Name: s.next("Person ")})
		ok(t, err)
		return func(ctx context.Context) error {
			got, err := e.svc.Person(ctx, p.Ref)
			if err == nil && got.ID != p.ID {
				t.Errorf("Person(%s) = %+v", p.Ref, got)
			}
			return err
		}, false
	},
	"AddPerson": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		name := s.next("Person ")
		return func(ctx context.Context) error {
			_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: name})
			return err
		}, true
	},
	"UpdatePerson": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		p, err := e.svc.AddPerson(o.Ctx("owner"), service.PersonInput{Name: s.next("Person ")})
		ok(t, err)
		return func(ctx context.Context) error {
			_, err := e.svc.UpdatePerson(ctx, p.Ref, service.PersonInput{Name: p.Name + " changed", Version: p.Version})
			return err
		}, true
	},
	"Organisation": func(t *testing.T, e *env, o testutil.Org, prep context.Context, s *seq) (func(context.Context) error, bool) {
		return func(ctx context.Context) error {
			org, err := e.svc.Organisation(ctx)
			if err == nil && org.Slug != o.Slug {
				t.Errorf("Organisation() = %+v, want %s", org, o.Slug)
			}
			return err
		}, false
	},
}

// testRoleMatrix runs every use case as every role and checks allow or Forbidden; a refused call changes nothing
// and an allowed change writes exactly one audit event.
func testRoleMatrix(t *testing.T, e *env) {
	names := make([]string, 0, len(roleMatrix))
	for name := range roleMatrix {
		names = append(names, name)
		if matrixCalls[name] == nil {
			t.Fatalf("use case %s is in the matrix but has no call", name)
		}
	}
	for name := range matrixCalls {
		if roleMatrix[name] == nil {
			t.Fatalf("use case %s has a call but no row in the matrix", name)
		}
	}
	sort.Strings(names)
	{
		o := testutil.NewOrg(t, e.svc, "Matrix Org")
		var s seq
		for _, name := range names {
			for _, role := range everyone {
				t.Run(name+"/"+role, func(t *testing.T) {
					call, changes := matrixCalls[name](t, e, o, o.Ctx(role), &s)
					before := len(trail(t, e, orgID(o)))
					err := call(o.Ctx(role))
					written := len(trail(t, e, orgID(o))) - before
					if slices.Contains(roleMatrix[name], role) {
						if err != nil {
							t.Fatalf("%s as %s: %v, want allowed", name, role, err)
						}
						if want := map[bool]int{true: 1, false: 0}[changes]; written != want {
							t.Fatalf("%s as %s wrote %d audit events, want %d", name, role, written, want)
						}
						return
					}
					wantKind(t, err, isms.KindForbidden, name+" as "+role)
					if written != 0 {
						t.Fatalf("refused %s as %s wrote %d audit events", name, role, written)
					}
				})
			}
		}
		// Callers that are not a usable member are refused by every use case.
		owner := o.Actors["owner"]
		mustChange := owner
		mustChange.MustChangePassword = true
		noOrg := owner
		noOrg.OrgID, noOrg.OrgSlug, noOrg.Role = "", "", ""
		noUser := owner
		noUser.UserID = ""
		for _, c := range []struct {
			who  string
			ctx  context.Context
			kind isms.Kind
		}{
			{"no actor", context.Background(), isms.KindUnauthenticated},
			{"actor without user", service.WithActor(context.Background(), noUser), isms.KindUnauthenticated},
			{"one-time password not changed", service.WithActor(context.Background(), mustChange), isms.KindForbidden},
			{"no organisation selected", service.WithActor(context.Background(), noOrg), isms.KindForbidden},
		} {
			for _, name := range names {
				t.Run(name+"/"+c.who, func(t *testing.T) {
					call, _ := matrixCalls[name](t, e, o, o.Ctx("owner"), &s)
					before := len(trail(t, e, orgID(o)))
					wantKind(t, call(c.ctx), c.kind, name+" with "+c.who)
					if written := len(trail(t, e, orgID(o))) - before; written != 0 {
						t.Fatalf("refused %s wrote %d audit events", name, written)
					}
				})
			}
		}
		t.Run("RevokeAnotherMembersToken", func(t *testing.T) { testRevokeAnotherMembersToken(t, e) })
	}
}

// testRevokeAnotherMembersToken: a member may revoke only their own tokens; owners and admins may revoke any.
func testRevokeAnotherMembersToken(t *testing.T, e *env) {
	o := testutil.NewOrg(t, e.svc, "Tokens Org")
	for _, role := range everyone {
		secret, tok, err := e.svc.CreateToken(o.Ctx("viewer"), "viewer token for "+role)
		ok(t, err)
		err = e.svc.RevokeToken(o.Ctx(role), tok.ID)
		mayRevoke := role == "owner" || role == "admin" || role == "viewer"
		if mayRevoke {
			ok(t, err)
			_, aerr := e.svc.TokenActor(context.Background(), secret)
			wantKind(t, aerr, isms.KindUnauthenticated, "token revoked by "+role)
			continue
		}
		wantKind(t, err, isms.KindForbidden, role+" revoking the viewer's token")
		if _, err := e.svc.TokenActor(context.Background(), secret); err != nil {
			t.Fatalf("token still works after a refused revocation by %s: %v", role, err)
		}
	}
	// Members see only their own tokens; owners and admins see everyone's.
	_, own, err := e.svc.CreateToken(o.Ctx("editor"), "editor token")
	ok(t, err)
	for _, role := range everyone {
		l, err := e.svc.ListTokens(o.Ctx(role), service.Page{})
		ok(t, err)
		seesEditors := slices.ContainsFunc(l.Items, func(x isms.APIToken) bool { return x.ID == own.ID })
		wantSee := role == "owner" || role == "admin" || role == "editor"
		if seesEditors != wantSee {
			t.Errorf("%s sees the editor's token: %v, want %v", role, seesEditors, wantSee)
		}
		if role != "owner" && role != "admin" {
			for _, x := range l.Items {
				if x.UserID != o.Actors[role].UserID {
					t.Errorf("%s sees token %q of another member", role, x.Name)
				}
			}
		}
	}
}

// joinAsViewer makes a new member, a viewer, through an invitation the owner creates.
func joinAsViewer(t *testing.T, e *env, o testutil.Org, s *seq) isms.Membership {
	t.Helper()
	a := testutil.Join(t, e.svc, o.Ctx("owner"), s.next("target")+"@example.org", "", isms.RoleViewer, false)
	m, found := memberByEmail(t, e, o.Ctx("owner"), a.Email)
	if !found {
		t.Fatalf("%s did not join", a.Email)
	}
	return m
}
