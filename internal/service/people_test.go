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

// A person's notes are saved, kept by a partial change of another field, changed by one that sends them, and
// bounded: too long is a 422 naming notes that changes nothing; every change is one audit event.
func TestPersonNotes(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		p, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Ada Lovelace", Notes: "  Awareness training 2026  "})
		ok(t, err)
		if p.Notes != "Awareness training 2026" {
			t.Fatalf("added notes: %q", p.Notes)
		}
		p, err = e.svc.PatchPerson(ctx, p.Ref, service.PersonInput{Department: "IT", Version: 1, Sent: service.SentOf("department")})
		ok(t, err)
		if p.Notes != "Awareness training 2026" || p.Department != "IT" {
			t.Fatalf("after a change of the department: %+v", p)
		}
		p, err = e.svc.PatchPerson(ctx, p.Ref, service.PersonInput{Notes: "Access review due", Version: 2, Sent: service.SentOf("notes")})
		ok(t, err)
		_, err = e.svc.PatchPerson(ctx, p.Ref, service.PersonInput{Notes: strings.Repeat("x", 4001), Version: 3, Sent: service.SentOf("notes")})
		wantKind(t, err, isms.KindInvalid, "notes too long")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"notes"}) {
			t.Fatalf("notes too long: fields %v", got)
		}
		saved, err := e.svc.Person(ctx, p.Ref)
		ok(t, err)
		if saved.Notes != "Access review due" || saved.Version != 3 {
			t.Fatalf("saved: %+v", saved)
		}
		l, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{Entity: "person", Ref: p.Ref}, service.Page{})
		ok(t, err)
		if l.Total != 3 {
			t.Fatalf("audit events of %s: %d, want 3", p.Ref, l.Total)
		}
	})
}

// An exported staff list imports back with the notes: the round trip changes no one, and a file's notes column
// changes them.
func TestPersonNotesRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		_, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Ada Lovelace", Notes: "Awareness training 2026"})
		ok(t, err)
		var b bytes.Buffer
		ok(t, e.svc.ExportPeople(ctx, service.PersonFilter{}, "csv", &b))
		res, err := e.svc.ImportPeople(ctx, "csv", bytes.NewReader(b.Bytes()))
		ok(t, err)
		p, err := e.svc.Person(ctx, "P-001")
		ok(t, err)
		if res.Unchanged != 1 || p.Notes != "Awareness training 2026" || p.Version != 1 {
			t.Fatalf("round trip: %+v, person %+v", res, p)
		}
		_, err = e.svc.ImportPeople(ctx, "csv", strings.NewReader("ref,name,notes\nP-001,Ada Lovelace,Access review due\n"))
		ok(t, err)
		p, err = e.svc.Person(ctx, "P-001")
		ok(t, err)
		if p.Notes != "Access review due" {
			t.Fatalf("notes after an import: %q", p.Notes)
		}
	})
}
