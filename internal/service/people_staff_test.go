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

// personRefs lists the references of people, in order.
func personRefs(people []isms.Person) []string {
	out := []string{}
	for _, p := range people {
		out = append(out, p.Ref)
	}
	return out
}

// The staff fields are saved and checked: the manager is found by reference or email, never the person
// themself nor someone they manage; days are days and the end is not before the start; the employment is one
// of its kinds. A refused change changes nothing; a partial change keeps the manager.
func TestPersonStaffFields(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		boss, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Grace Hopper", Email: "grace@acme.example", Team: "Platform"})
		ok(t, err)
		ada, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Ada Lovelace", Team: " Platform ", Manager: "GRACE@acme.example",
			Employment: "Contractor", StartDate: "2025-01-06", EndDate: "2026-06-30", ScreenedOn: "2024-12-20", TermsSignedOn: "2025-01-06"})
		ok(t, err)
		if ada.Manager != boss.Ref || ada.ManagerName != "Grace Hopper" || ada.Team != "Platform" || ada.Employment != "contractor" ||
			ada.EndDate != "2026-06-30" || ada.ScreenedOn != "2024-12-20" || ada.TermsSignedOn != "2025-01-06" {
			t.Fatalf("added: %+v", ada)
		}
		for _, c := range []struct {
			name   string
			in     service.PersonInput
			fields []string
		}{
			{"self", service.PersonInput{Manager: ada.Ref, Sent: service.SentOf("manager")}, []string{"manager"}},
			{"loop", service.PersonInput{Manager: ada.Ref, Sent: service.SentOf("manager")}, []string{"manager"}}, // on boss
			{"unknown manager", service.PersonInput{Manager: "P-999", Sent: service.SentOf("manager")}, []string{"manager"}},
			{"bad day", service.PersonInput{ScreenedOn: "20/12/2024", TermsSignedOn: "2025-02-30", Sent: service.SentOf("screened_on", "terms_signed_on")},
				[]string{"screened_on", "terms_signed_on"}},
			{"end before start", service.PersonInput{EndDate: "2024-12-31", Sent: service.SentOf("end_date")}, []string{"end_date"}},
			{"employment", service.PersonInput{Employment: "intern", Sent: service.SentOf("employment")}, []string{"employment"}},
		} {
			target := ada
			if c.name == "loop" {
				target = boss
			}
			c.in.Version = target.Version
			_, err := e.svc.PatchPerson(ctx, target.Ref, c.in)
			wantKind(t, err, isms.KindInvalid, c.name)
			if got := fieldsOf(t, err); !slices.Equal(got, c.fields) {
				t.Fatalf("%s: fields %v, want %v", c.name, got, c.fields)
			}
			saved, err := e.svc.Person(ctx, target.Ref)
			ok(t, err)
			if saved.Version != target.Version {
				t.Fatalf("%s changed %s: %+v", c.name, target.Ref, saved)
			}
		}
		// A loop through a third person is found too: Grace -> Ada -> Alan, then Alan's manager may not be Grace's
		// report... set Grace's manager to Alan, who reports to Ada, who reports to Grace.
		alan, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Alan Turing", Manager: ada.Ref})
		ok(t, err)
		_, err = e.svc.PatchPerson(ctx, boss.Ref, service.PersonInput{Manager: alan.Ref, Version: boss.Version, Sent: service.SentOf("manager")})
		wantKind(t, err, isms.KindInvalid, "a loop of three")
		ada, err = e.svc.PatchPerson(ctx, ada.Ref, service.PersonInput{Notes: "Reviewed", Version: ada.Version, Sent: service.SentOf("notes")})
		ok(t, err)
		if ada.Manager != boss.Ref || ada.Team != "Platform" {
			t.Fatalf("a change of the notes lost the manager or team: %+v", ada)
		}
		ada, err = e.svc.PatchPerson(ctx, ada.Ref, service.PersonInput{Manager: "", Version: ada.Version, Sent: service.SentOf("manager")})
		ok(t, err)
		if ada.Manager != "" || ada.ManagerName != "" {
			t.Fatalf("manager cleared: %+v", ada)
		}
	})
}

// The list filters by team, manager, employment, screening and signed terms, and the gaps count the current
// staff without screening or terms.
func TestPeopleFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		add := func(in service.PersonInput) isms.Person {
			p, err := e.svc.AddPerson(ctx, in)
			ok(t, err)
			return p
		}
		boss := add(service.PersonInput{Name: "A Boss", Team: "Ops", Employment: "employee", ScreenedOn: "2020-01-01", TermsSignedOn: "2020-01-01"})
		c := add(service.PersonInput{Name: "B Contractor", Team: "Ops", Manager: boss.Ref, Employment: "contractor", TermsSignedOn: "2021-01-01"})
		d := add(service.PersonInput{Name: "C Dev", Team: "Dev", Manager: boss.Ref, ScreenedOn: "2021-01-01"})
		add(service.PersonInput{Name: "D Gone", Team: "Dev", StartDate: "2019-01-01", EndDate: "2025-01-01"}) // left: not in the gaps
		for _, c := range []struct {
			f    service.PersonFilter
			want []string
		}{
			{service.PersonFilter{Team: "Ops"}, []string{boss.Ref, c.Ref}},
			{service.PersonFilter{Manager: boss.Ref}, []string{c.Ref, d.Ref}},
			{service.PersonFilter{Employment: "contractor"}, []string{c.Ref}},
			{service.PersonFilter{Screened: "no", Leavers: "current"}, []string{c.Ref}},
			{service.PersonFilter{Terms: "no", Leavers: "current"}, []string{d.Ref}},
			{service.PersonFilter{Leavers: "left"}, []string{"P-004"}},
		} {
			l, err := e.svc.ListPeople(ctx, c.f, service.Page{})
			ok(t, err)
			if got := personRefs(l.Items); !slices.Equal(got, c.want) {
				t.Fatalf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
		_, err := e.svc.ListPeople(ctx, service.PersonFilter{Leavers: "gone"}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "unknown leavers value")
		g, err := e.svc.StaffOverview(ctx, 5)
		ok(t, err)
		if g.NotScreened != 1 || g.NoTerms != 1 {
			t.Fatalf("gaps: %+v", g)
		}
	})
}

// A leaver stands out while their account can still get in: a member (with the role) or the holder of working
// API tokens here. A revoked token does not count, nor a membership of another organisation, nor a leaver whose
// membership was removed, nor someone whose last day is today.
func TestLeaversWithOpenAccess(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		b := testutil.NewOrg(t, e.svc, "Beta")
		ctx := o.Ctx("editor")
		_, _, err := e.svc.CreateToken(o.Ctx("auditor"), "one")
		ok(t, err)
		_, tok, err := e.svc.CreateToken(o.Ctx("auditor"), "two")
		ok(t, err)
		ok(t, e.svc.RevokeToken(o.Ctx("auditor"), tok.ID))
		_, _, err = e.svc.CreateToken(o.Ctx("auditor"), "three")
		ok(t, err)
		ok(t, e.svc.RemoveMember(o.Ctx("owner"), o.Actors["viewer"].UserID))
		today := e.clock.Now().Format("2006-01-02") // 2026-03-02
		for _, in := range []service.PersonInput{
			{Name: "Ed Editor", Email: "editor@acme.example", EndDate: "2026-02-27"},       // P-001 member as editor
			{Name: "Audrey Auditor", Email: "auditor@acme.example", EndDate: "2026-01-31"}, // P-002 member as auditor, 2 tokens
			{Name: "Vic Viewer", Email: "viewer@acme.example", EndDate: "2026-01-15"},      // P-003 removed: nothing open
			{Name: "Bea of Beta", Email: "editor@beta.example", EndDate: "2026-01-10"},     // P-004 member of Beta only
			{Name: "Al Admin", Email: "admin@acme.example", EndDate: today},                // P-005 still here today
			{Name: "Nob Account", Email: "nobody@acme.example", EndDate: "2025-12-31"},     // P-006 no account
		} {
			_, err := e.svc.AddPerson(ctx, in)
			ok(t, err)
		}
		open, err := e.svc.LeaversWithOpenAccess(ctx)
		ok(t, err)
		var got []string
		for _, x := range open {
			got = append(got, x.Ref+": "+x.What())
		}
		want := []string{"P-002: member as auditor, 2 API tokens", "P-001: member as editor"}
		if !slices.Equal(got, want) {
			t.Fatalf("open access:\n got %q\nwant %q", got, want)
		}
		l, err := e.svc.ListPeople(ctx, service.PersonFilter{Leavers: "open-access", Sort: "ref"}, service.Page{})
		ok(t, err)
		if refs := personRefs(l.Items); !slices.Equal(refs, []string{"P-001", "P-002"}) {
			t.Fatalf("leavers=open-access: %v", refs)
		}
		l, err = e.svc.ListPeople(ctx, service.PersonFilter{Leavers: "left", Sort: "ref"}, service.Page{})
		ok(t, err)
		if refs := personRefs(l.Items); !slices.Equal(refs, []string{"P-001", "P-002", "P-003", "P-004", "P-006"}) {
			t.Fatalf("leavers=left: %v", refs)
		}
		ov, err := e.svc.StaffOverview(ctx, 1)
		ok(t, err)
		if len(ov.OpenAccess) != 1 || ov.OpenAccess[0].Ref != "P-002" || ov.OpenAccess[0].Tokens != 2 || ov.NotScreened != 1 {
			t.Fatalf("overview naming one leaver: %+v", ov) // Al Admin is the one current person, not screened
		}
		if x, found, err := e.svc.PersonOpenAccess(ctx, "P-001"); err != nil || !found || x.Role != "editor" {
			t.Fatalf("P-001: %+v %v %v", x, found, err)
		}
		if _, found, err := e.svc.PersonOpenAccess(ctx, "P-005"); err != nil || found {
			t.Fatalf("P-005 leaves today: %v %v", found, err)
		}
		// Beta sees none of Acme's leavers.
		if open, err := e.svc.LeaversWithOpenAccess(b.Ctx("owner")); err != nil || len(open) != 0 {
			t.Fatalf("Beta: %+v %v", open, err)
		}
		// Once the editor's membership ends, they drop off.
		ok(t, e.svc.RemoveMember(o.Ctx("owner"), o.Actors["editor"].UserID))
		open, err = e.svc.LeaversWithOpenAccess(o.Ctx("owner"))
		ok(t, err)
		if len(open) != 1 || open[0].Ref != "P-002" {
			t.Fatalf("after the editor left: %+v", open)
		}
	})
}

// An export imports back unchanged, new fields and the manager included; a file updates by reference, names a
// manager by reference or email, and a row that would close a loop of managers fails the whole file by line.
func TestPeopleImportStaffFields(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		boss, err := e.svc.AddPerson(ctx, service.PersonInput{Name: "Grace Hopper", Email: "grace@acme.example", Team: "Platform",
			Employment: "employee", ScreenedOn: "2020-01-01", TermsSignedOn: "2020-01-02"})
		ok(t, err)
		_, err = e.svc.AddPerson(ctx, service.PersonInput{Name: "Ada Lovelace", Team: "Platform", Manager: boss.Ref, Employment: "contractor",
			StartDate: "2025-01-06", EndDate: "2026-01-31"})
		ok(t, err)
		for _, format := range []string{"csv", "xlsx"} {
			var b bytes.Buffer
			ok(t, e.svc.ExportPeople(ctx, service.PersonFilter{}, format, &b))
			res, err := e.svc.ImportPeople(ctx, format, bytes.NewReader(b.Bytes()))
			ok(t, err)
			if res.Unchanged != 2 || res.Added != 0 || res.Updated != 0 {
				t.Fatalf("%s round trip: %+v", format, res)
			}
		}
		file := "ref,name,manager,team,screened_on\n" +
			"P-002,Ada Lovelace,,Data,2026-01-05\n" + // update by ref: no manager now
			",Alan Turing,grace@acme.example,Data,\n" // new, manager by email
		res, err := e.svc.ImportPeople(ctx, "csv", strings.NewReader(file))
		ok(t, err)
		if res.Added != 1 || res.Updated != 1 {
			t.Fatalf("import: %+v", res)
		}
		ada, err := e.svc.Person(ctx, "P-002")
		ok(t, err)
		alan, err := e.svc.Person(ctx, "P-003")
		ok(t, err)
		if ada.Manager != "" || ada.Team != "Data" || ada.ScreenedOn != "2026-01-05" || ada.Employment != "contractor" || ada.EndDate != "2026-01-31" {
			t.Fatalf("updated: %+v", ada)
		}
		if alan.Manager != boss.Ref || alan.Team != "Data" {
			t.Fatalf("added: %+v", alan)
		}
		// Grace under Alan, who is under Grace: refused by line, nothing written; a dry run says so too.
		bad := "ref,name,manager,end_date,start_date\nP-002,Ada Lovelace,P-003,,\nP-001,Grace Hopper,P-003,,\nP-003,Alan Turing,,2020-01-01,2021-01-01\n"
		for _, dry := range []bool{true, false} {
			run := e.svc.ImportPeople
			if dry {
				run = e.svc.PreviewPeopleImport
			}
			_, err = run(ctx, "csv", strings.NewReader(bad))
			wantKind(t, err, isms.KindInvalid, "a loop of managers")
			if got := fieldsOf(t, err); !slices.Equal(got, []string{"line 4: end_date"}) {
				t.Fatalf("dry %v: fields %v", dry, got)
			}
		}
		loop := "ref,name,manager\nP-001,Grace Hopper,P-003\n"
		_, err = e.svc.ImportPeople(ctx, "csv", strings.NewReader(loop))
		wantKind(t, err, isms.KindInvalid, "a loop of managers")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"line 2: manager"}) {
			t.Fatalf("loop: fields %v", got)
		}
		grace, err := e.svc.Person(ctx, "P-001")
		ok(t, err)
		if grace.Manager != "" || grace.Version != boss.Version {
			t.Fatalf("a refused import changed %+v", grace)
		}
	})
}
