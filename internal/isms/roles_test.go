package isms_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
)

// TestRolePermissions checks every role against every permission, as DESIGN.md section 5 states them:
//
//	owner   everything, including members, deleting the organisation
//	admin   everything but ownership and deletion
//	editor  create and edit ISMS content; no approvals, no member management
//	auditor read everything including the audit trail; write audits, findings and audit evidence only
//	viewer  read ISMS content; not the audit trail or members
func TestRolePermissions(t *testing.T) {
	const Y, N = true, false
	perms := []isms.Permission{
		isms.PermReadContent, isms.PermWriteContent, isms.PermWriteAudits, isms.PermReadAuditTrail,
		isms.PermReadMembers, isms.PermManageMembers, isms.PermManageOwners, isms.PermDeleteOrg, isms.PermPlanAudits,
	}
	table := map[isms.Role][]bool{
		// plan: plan audits and record findings (editors plan audits and record findings from incidents too;
		// only the audit roles record an audit's results).
		//                read   write  audits trail  seeMem manMem owners delete plan
		isms.RoleOwner:   {Y, Y, Y, Y, Y, Y, Y, Y, Y},
		isms.RoleAdmin:   {Y, Y, Y, Y, Y, Y, N, N, Y},
		isms.RoleEditor:  {Y, Y, N, N, N, N, N, N, Y},
		isms.RoleAuditor: {Y, N, Y, Y, Y, N, N, N, Y},
		isms.RoleViewer:  {Y, N, N, N, N, N, N, N, N},
		"":               {N, N, N, N, N, N, N, N, N},
		"superuser":      {N, N, N, N, N, N, N, N, N},
		"Owner":          {N, N, N, N, N, N, N, N, N},
	}
	for role, want := range table {
		for i, p := range perms {
			t.Run(fmt.Sprintf("%s/%s", role, p), func(t *testing.T) {
				if got := role.Can(p); got != want[i] {
					t.Errorf("role %q Can(%q) = %v, want %v", role, p, got, want[i])
				}
			})
		}
	}
	// Every real role is in the table.
	for _, r := range isms.Roles {
		if _, ok := table[r]; !ok {
			t.Errorf("role %s has no row in the permission table", r)
		}
	}
}

func TestRolesValidAndOrdered(t *testing.T) {
	want := []isms.Role{isms.RoleOwner, isms.RoleAdmin, isms.RoleEditor, isms.RoleAuditor, isms.RoleViewer}
	if fmt.Sprint(isms.Roles) != fmt.Sprint(want) {
		t.Fatalf("Roles = %v, want %v (most to least powerful)", isms.Roles, want)
	}
	for _, r := range want {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
	}
	for _, r := range []isms.Role{"", "approver", "OWNER", " owner", "root"} {
		if r.Valid() {
			t.Errorf("%q accepted as a role", r)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Northwind Analytics Ltd", "northwind-analytics-ltd"},
		{"  Acme & Co.  ", "acme-co"},
		{"ACME", "acme"},
		{"2026 Plan", "2026-plan"},
		{"a--b__c", "a-b-c"},
		{"-leading and trailing-", "leading-and-trailing"},
		{"", "org"},
		{"   ", "org"},
		{"!!!", "org"},
		{"Ünïcode", "n-code"},
		{strings.Repeat("abcdefghij", 5), "abcdefghijabcdefghijabcdefghijabcdefghij"},
		// Cutting at 40 characters must not leave a trailing dash.
		{strings.Repeat("a", 39) + " tail", strings.Repeat("a", 39)},
	}
	for _, tt := range tests {
		if got := isms.Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FuzzSlugify checks the properties every slug has: URL- and CLI-safe, at most 40 bytes, stable.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Northwind Analytics Ltd", "", "---", "Ünïcode Café", strings.Repeat("x y", 30), "a\x00b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s := isms.Slugify(name)
		if !slugPattern.MatchString(s) {
			t.Fatalf("Slugify(%q) = %q, not of the form %s", name, s, slugPattern)
		}
		if len(s) > 40 {
			t.Fatalf("Slugify(%q) = %q, longer than 40", name, s)
		}
		if again := isms.Slugify(s); again != s {
			t.Fatalf("Slugify is not stable: %q -> %q -> %q", name, s, again)
		}
	})
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		err  error
		kind isms.Kind
	}{
		{isms.NotFound("person %s", "P-001"), isms.KindNotFound},
		{isms.Conflict("x"), isms.KindConflict},
		{isms.StaleVersion("person", "P-001"), isms.KindConflict},
		{isms.Forbidden("x"), isms.KindForbidden},
		{isms.Unauthenticated("x"), isms.KindUnauthenticated},
		{isms.TooManyRequests("x"), isms.KindTooManyRequests},
		{isms.Unavailable("x"), isms.KindUnavailable},
		{isms.Invalid(isms.FieldError{Field: "name", Message: "is required"}), isms.KindInvalid},
		{errors.New("plain"), isms.KindInternal},
		{nil, isms.KindInternal},
		// Wrapping with context keeps the kind, as every layer wraps.
		{fmt.Errorf("load person: %w", isms.NotFound("person P-001 not found")), isms.KindNotFound},
	}
	for _, tt := range tests {
		if got := isms.ErrorKind(tt.err); got != tt.kind {
			t.Errorf("ErrorKind(%v) = %v, want %v", tt.err, got, tt.kind)
		}
	}
}

func TestProblemsReportEveryField(t *testing.T) {
	var p isms.Problems
	if p.Err() != nil {
		t.Fatal("no problems must be no error")
	}
	isms.CheckText(&p, "name", "  ", 10)
	isms.CheckText(&p, "title", strings.Repeat("é", 11), 10)
	isms.CheckText(&p, "ok", strings.Repeat("é", 10), 10)
	isms.CheckPassword(&p, "password", strings.Repeat("x", isms.MinPasswordLength-1))
	isms.CheckPassword(&p, "long", strings.Repeat("x", 257))
	isms.CheckPassword(&p, "good", strings.Repeat("é", isms.MinPasswordLength))
	e, ok := isms.AsError(p.Err())
	if !ok || e.Kind != isms.KindInvalid {
		t.Fatalf("Err() = %v, want an Invalid error", p.Err())
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	if got, want := strings.Join(fields, ","), "name,title,password,long"; got != want {
		t.Fatalf("fields = %s, want %s", got, want)
	}
	if !strings.Contains(e.Error(), "name: is required") {
		t.Errorf("message %q does not name the field and problem", e.Error())
	}
}

func TestValidEmail(t *testing.T) {
	for _, s := range []string{"a@example.org", "first.last+tag@sub.example.org"} {
		if !isms.ValidEmail(s) {
			t.Errorf("%q rejected", s)
		}
	}
	for _, s := range []string{"", "plain", "Ann <ann@example.org>", "ann@example.org ", "@example.org"} {
		if isms.ValidEmail(s) {
			t.Errorf("%q accepted", s)
		}
	}
	if got := isms.NormaliseEmail("  Ann@Example.ORG "); got != "ann@example.org" {
		t.Errorf("NormaliseEmail = %q", got)
	}
}
