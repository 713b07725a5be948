package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

func TestTokenExpiryScopeAndPasswordChange(t *testing.T) {
	t.Parallel()
	eachEngineParallel(t, func(t *testing.T, e *env) {
		t.Run("Expiry", func(t *testing.T) { testTokenExpiry(t, e) })
		t.Run("ReadOnly", func(t *testing.T) { testReadOnlyToken(t, e) })
		t.Run("PasswordChangeRevokes", func(t *testing.T) { testPasswordChangeRevokesTokens(t, e) })
	})
}

func testTokenExpiry(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Expiry Org")
	viewer := o.Ctx("viewer")
	created := e.clock.Now()

	_, def, err := e.svc.CreateToken(viewer, "default")
	ok(t, err)
	if def.Scope != isms.ScopeWrite || !def.ExpiresAt.Equal(created.AddDate(0, 0, 90)) {
		t.Fatalf("a token by default is write and lives 90 days: %+v", def)
	}

	// Out-of-range lifetimes and unknown scopes are refused, every field named, and nothing is created.
	before, err := e.svc.ListTokens(viewer, service.Page{})
	ok(t, err)
	_, _, err = e.svc.IssueToken(viewer, service.TokenInput{Name: "forever", ExpiresInDays: 366, Scope: "admin"})
	wantKind(t, err, isms.KindInvalid, "a 366-day token with scope admin")
	if got := fieldsOf(t, err); !slices.Equal(got, []string{"expires_in_days", "scope"}) {
		t.Fatalf("field errors = %v", got)
	}
	_, _, err = e.svc.IssueToken(viewer, service.TokenInput{Name: "past", ExpiresInDays: -1})
	wantKind(t, err, isms.KindInvalid, "a token expiring in the past")
	after, err := e.svc.ListTokens(viewer, service.Page{})
	ok(t, err)
	if after.Total != before.Total {
		t.Fatalf("refused tokens were stored: %d tokens, want %d", after.Total, before.Total)
	}

	secret, tok, err := e.svc.IssueToken(viewer, service.TokenInput{Name: "month", ExpiresInDays: 30})
	ok(t, err)
	if !tok.ExpiresAt.Equal(created.AddDate(0, 0, 30)) {
		t.Fatalf("30-day token expires at %s", tok.ExpiresAt)
	}
	e.clock.Advance(30*24*time.Hour - time.Second)
	_, err = e.svc.TokenActor(ctx, secret)
	ok(t, err)
	e.clock.Advance(time.Second)
	_, err = e.svc.TokenActor(ctx, secret)
	wantKind(t, err, isms.KindUnauthenticated, "a token on its expiry")
	if want := "this API token expired on " + created.AddDate(0, 0, 30).Format(time.DateOnly); err.Error() != want {
		t.Fatalf("expired token: %q, want %q", err, want)
	}

	// A token made before tokens expired (no expiry stored) lives at most the longest lifetime.
	legacy, old, err := e.svc.CreateToken(viewer, "legacy")
	ok(t, err)
	if _, err := e.db.W.ExecContext(ctx, "UPDATE api_tokens SET expires_at = NULL WHERE id = $1", old.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.TokenActor(ctx, legacy)
	ok(t, err)
	e.clock.Advance(365 * 24 * time.Hour)
	_, err = e.svc.TokenActor(ctx, legacy)
	wantKind(t, err, isms.KindUnauthenticated, "a legacy token a year on")

	l, err := e.svc.ListTokens(viewer, service.Page{})
	ok(t, err)
	i := slices.IndexFunc(l.Items, func(x isms.APIToken) bool { return x.ID == tok.ID })
	if i < 0 || !l.Items[i].Expired(e.clock.Now()) || !l.Items[i].ExpiresAt.Equal(tok.ExpiresAt) || l.Items[i].Scope != isms.ScopeWrite {
		t.Fatalf("listed token: %+v", l.Items)
	}
}

func testReadOnlyToken(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Read Token Org")
	owner := o.Ctx("owner")
	secret, tok, err := e.svc.IssueToken(owner, service.TokenInput{Name: "dashboard", Scope: isms.ScopeRead})
	ok(t, err)
	if tok.Scope != isms.ScopeRead {
		t.Fatalf("scope = %q", tok.Scope)
	}
	a, err := e.svc.TokenActor(ctx, secret)
	ok(t, err)
	if !a.ReadOnly || a.Role != isms.RoleOwner {
		t.Fatalf("read token acts as %+v", a)
	}
	rctx := service.WithActor(ctx, a)
	orgsBefore, err := e.svc.MyOrganisations(rctx)
	ok(t, err)

	// Reads work, with the owner's role: content, members, the audit trail.
	_, err = e.svc.ListPeople(rctx, service.PersonFilter{}, service.Page{})
	ok(t, err)
	_, err = e.svc.ListMembers(rctx, service.Page{})
	ok(t, err)
	trail, err := e.svc.ListAudit(rctx, service.AuditFilter{}, service.Page{})
	ok(t, err)

	// Every change is refused, including those a reading role may make (tokens, acceptance, organisations).
	refused := map[string]func() error{
		"AddPerson":          func() error { _, err := e.svc.AddPerson(rctx, service.PersonInput{Name: "Via read token"}); return err },
		"CreateToken":        func() error { _, _, err := e.svc.CreateToken(rctx, "another"); return err },
		"RevokeToken":        func() error { return e.svc.RevokeToken(rctx, tok.ID) },
		"CreateOrganisation": func() error { _, err := e.svc.CreateOrganisation(rctx, "Sneaky Ltd"); return err },
		"RemoveMember":       func() error { return e.svc.RemoveMember(rctx, o.Actors["viewer"].UserID) },
	}
	for name, fn := range refused {
		err := fn()
		wantKind(t, err, isms.KindForbidden, name+" with a read token")
		if err.Error() != "this API token is read-only" {
			t.Fatalf("%s: %q", name, err)
		}
	}
	after, err := e.svc.ListAudit(owner, service.AuditFilter{}, service.Page{})
	ok(t, err)
	if after.Total != trail.Total {
		t.Fatalf("a read token changed something: the audit trail grew from %d to %d", trail.Total, after.Total)
	}
	orgsAfter, err := e.svc.MyOrganisations(owner)
	ok(t, err)
	if len(orgsAfter) != len(orgsBefore) {
		t.Fatalf("a read token created an organisation: %d, want %d", len(orgsAfter), len(orgsBefore))
	}
	if _, err := e.svc.TokenActor(ctx, secret); err != nil {
		t.Fatalf("the read token revoked itself: %v", err)
	}
}

func testPasswordChangeRevokesTokens(t *testing.T, e *env) {
	ctx := context.Background()
	o := testutil.NewOrg(t, e.svc, "Password Token Org")
	admin := o.Actors["admin"]
	second, err := e.svc.CreateOrganisation(o.Ctx("admin"), "Second Client Ltd")
	ok(t, err)
	inSecond, err := e.svc.OperatorActor(ctx, second.Slug, admin.Email)
	ok(t, err)
	sctx := service.WithActor(ctx, inSecond)

	secretA, tokA, err := e.svc.CreateToken(o.Ctx("admin"), "laptop")
	ok(t, err)
	secretB, tokB, err := e.svc.IssueToken(sctx, service.TokenInput{Name: "ci", Scope: isms.ScopeRead})
	ok(t, err)
	othersSecret, _, err := e.svc.CreateToken(o.Ctx("viewer"), "someone else's")
	ok(t, err)

	ok(t, e.svc.ChangePassword(o.Ctx("admin"), testutil.Password, "a brand new passphrase"))
	for _, s := range []string{secretA, secretB} {
		_, err := e.svc.TokenActor(ctx, s)
		wantKind(t, err, isms.KindUnauthenticated, "a token after its owner changed password")
	}
	if _, err := e.svc.TokenActor(ctx, othersSecret); err != nil {
		t.Fatalf("another member's token stopped working: %v", err)
	}
	// Each organisation's trail says which token was revoked and why.
	for _, c := range []struct {
		ctx context.Context
		tok isms.APIToken
	}{{o.Ctx("owner"), tokA}, {sctx, tokB}} {
		l, err := e.svc.ListAudit(c.ctx, service.AuditFilter{Entity: "api token", EntityID: c.tok.ID, Action: "revoke"}, service.Page{})
		ok(t, err)
		if len(l.Items) != 1 || l.Items[0].ActorID != admin.UserID || !strings.Contains(string(l.Items[0].After), `"reason":"password changed"`) {
			t.Fatalf("audit of the revocation of %s: %+v", c.tok.Name, l.Items)
		}
	}
}
