package service_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// staff adds a person with a job title, a team and an end date ("" still employed), returning the reference.
// The team and end date are set in SQL: the people register's own fields for them come from another branch.
func staff(t *testing.T, e *env, ctx context.Context, name, job, team, end string) string {
	t.Helper()
	p, err := e.svc.AddPerson(ctx, service.PersonInput{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.com", JobTitle: job})
	ok(t, err)
	_, err = e.db.W.Exec("UPDATE people SET team = $1, end_date = $2 WHERE id = $3", team, end, p.ID)
	ok(t, err)
	return p.Ref
}

// who lists the people of a course's audience with their status, "P-001 current".
func who(t *testing.T, e *env, ctx context.Context, course string) []string {
	t.Helper()
	l, err := e.svc.TrainingAttendance(ctx, service.AttendanceFilter{Course: course}, service.Page{Limit: 100})
	ok(t, err)
	out := []string{}
	for _, a := range l.Items {
		out = append(out, a.Person+" "+a.Status)
	}
	slices.Sort(out)
	return out
}

func addCourse(t *testing.T, e *env, ctx context.Context, in service.CourseInput) string {
	t.Helper()
	c, err := e.svc.AddCourse(ctx, in)
	ok(t, err)
	return c.Ref
}

func train(t *testing.T, e *env, ctx context.Context, course, person, on, result string) isms.TrainingRecord {
	t.Helper()
	r, err := e.svc.AddTraining(ctx, service.TrainingInput{Course: course, Person: person, CompletedOn: on, Result: result})
	ok(t, err)
	return r
}

// A course's audience: everyone, one team, or the people whose job title holds a word (any case); people who
// left before today are in none, someone leaving today still is.
func TestTrainingAudience(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		alice := staff(t, e, ctx, "Alice Coder", "Software Engineer", "platform", "")
		bob := staff(t, e, ctx, "Bob Seller", "Sales manager", "sales", "")
		carol := staff(t, e, ctx, "Carol Gone", "Data engineer", "platform", "2026-03-01")
		dave := staff(t, e, ctx, "Dave Lead", "ENGINEERING manager", "data", "")
		erin := staff(t, e, ctx, "Erin Leaving", "Analyst", "platform", "2026-03-02")
		all := addCourse(t, e, ctx, service.CourseInput{Title: "Awareness", RecurrenceMonths: 12})
		team := addCourse(t, e, ctx, service.CourseInput{Title: "Platform runbook", Audience: "team", AudienceValue: "platform"})
		role := addCourse(t, e, ctx, service.CourseInput{Title: "Secure coding", Audience: "role", AudienceValue: "Engineer", RecurrenceMonths: 12})
		want := map[string][]string{all: {alice, bob, dave, erin}, team: {alice, erin}, role: {alice, dave}}
		for course, people := range want {
			var exp []string
			for _, p := range people {
				exp = append(exp, p+" never")
			}
			slices.Sort(exp)
			if got := who(t, e, o.Ctx("viewer"), course); !slices.Equal(got, exp) {
				t.Errorf("%s: audience %v, want %v", course, got, exp)
			}
		}
		_ = carol
		// Someone outside the audience who took the course anyway does not join it.
		train(t, e, ctx, team, bob, "2026-01-10", "completed")
		if got := who(t, e, ctx, team); len(got) != 2 {
			t.Fatalf("a record put %v into the team's audience", got)
		}
		// Bad audiences are refused, naming the field.
		for _, in := range []service.CourseInput{{Title: "X", Audience: "team"}, {Title: "X", Audience: "everyone"},
			{Title: "X", Audience: "role", AudienceValue: "eng%"}, {Title: "X", RecurrenceMonths: 61}, {Title: "X", Controls: []string{"9.99"}}, {}} {
			_, err := e.svc.AddCourse(ctx, in)
			wantKind(t, err, isms.KindInvalid, "course "+in.Title+" "+in.Audience)
		}
	})
}

// A training runs out as many months after it was taken as the course recurs, on the same day: on that day
// it is overdue, within 30 days before it due soon. A failed attempt counts for nothing, a once course never
// runs out. The SQL says what isms.TrainingStatus says, and the record's status filter agrees.
func TestTrainingStatusBoundaries(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		today := e.svc.Today() // 2026-03-02
		annual := addCourse(t, e, ctx, service.CourseInput{Title: "Awareness", RecurrenceMonths: 12})
		once := addCourse(t, e, ctx, service.CourseInput{Title: "Induction"})
		cases := []struct{ name, on, result, want string }{
			{"Exactly a year", "2025-03-02", "passed", "overdue"},
			{"A year less a day", "2025-03-03", "completed", "due-soon"},
			{"Runs out in 30 days", "2025-04-01", "completed", "due-soon"},
			{"Runs out in 31 days", "2025-04-02", "completed", "current"},
			{"Failed only", "2026-02-01", "failed", "never"},
			{"Older then newer", "2024-01-01", "completed", "current"},
		}
		for _, c := range cases {
			p := staff(t, e, ctx, c.name, "Staff", "", "")
			train(t, e, ctx, annual, p, c.on, c.result)
			if c.name == "Older then newer" {
				train(t, e, ctx, annual, p, "2026-01-15", "completed")
			}
		}
		l, err := e.svc.TrainingAttendance(ctx, service.AttendanceFilter{Course: annual}, service.Page{Limit: 100})
		ok(t, err)
		got := map[string]string{}
		for _, a := range l.Items {
			got[a.PersonName] = a.Status
			if s := isms.TrainingStatus(a.LastDone, 12, today); s != a.Status {
				t.Errorf("%s: SQL says %s, isms.TrainingStatus %s", a.PersonName, a.Status, s)
			}
		}
		for _, c := range cases {
			if got[c.name] != c.want {
				t.Errorf("%s (%s %s): %s, want %s", c.name, c.on, c.result, got[c.name], c.want)
			}
		}
		// A once course taken long ago is still current.
		old := staff(t, e, ctx, "Old Hand", "Staff", "", "")
		train(t, e, ctx, once, old, "2019-05-05", "completed")
		if s := who(t, e, ctx, once); !slices.Contains(s, old+" current") {
			t.Fatalf("once course: %v", s)
		}
		// The record's own status and expiry, and the status filter of the records.
		r := train(t, e, ctx, annual, old, "2025-03-02", "completed")
		if r.ExpiresOn() != "2026-03-02" || r.Status(today) != "expired" {
			t.Fatalf("record expires %s, status %s", r.ExpiresOn(), r.Status(today))
		}
		for status, want := range map[string]int{"expired": 3, "due-soon": 2, "current": 3, "failed": 1} {
			l, err := e.svc.ListTraining(ctx, service.TrainingFilter{Status: status}, service.Page{Limit: 100})
			ok(t, err)
			if l.Total != want {
				t.Errorf("status %s: %d records, want %d", status, l.Total, want)
			}
			for _, r := range l.Items {
				if r.Status(today) != status {
					t.Errorf("status %s lists %s (%s)", status, r.Ref, r.Status(today))
				}
			}
		}
		_, err = e.svc.ListTraining(ctx, service.TrainingFilter{Status: "late"}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "bad status filter")
	})
}

// TrainingCounts counts a course's audience by status, in all and by team; the overdue list names who needs
// training now.
func TestTrainingCompletion(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		course := addCourse(t, e, ctx, service.CourseInput{Title: "Awareness", RecurrenceMonths: 12})
		a := staff(t, e, ctx, "Ann A", "Staff", "ops", "")
		b := staff(t, e, ctx, "Ben B", "Staff", "ops", "")
		c := staff(t, e, ctx, "Cat C", "Staff", "sales", "")
		staff(t, e, ctx, "Dan D", "Staff", "sales", "")
		train(t, e, ctx, course, a, "2026-01-05", "passed")
		train(t, e, ctx, course, b, "2024-11-01", "completed")
		train(t, e, ctx, course, c, "2025-03-20", "completed")
		cc, err := e.svc.CourseCompletion(o.Ctx("viewer"), course)
		ok(t, err)
		want := service.TrainingCounts{Key: course, Title: "Awareness", Current: 1, DueSoon: 1, Overdue: 1, Never: 1, Audience: 4, Percent: 50}
		if cc.Total != want {
			t.Fatalf("total %+v, want %+v", cc.Total, want)
		}
		if len(cc.Teams) != 2 || cc.Teams[0].Key != "ops" || cc.Teams[0].Current != 1 || cc.Teams[0].Overdue != 1 || cc.Teams[0].Percent != 50 ||
			cc.Teams[1].Key != "sales" || cc.Teams[1].DueSoon != 1 || cc.Teams[1].Never != 1 {
			t.Fatalf("by team %+v", cc.Teams)
		}
		all, err := e.svc.TrainingCompletion(ctx)
		ok(t, err)
		if len(all) != 1 || all[0] != want {
			t.Fatalf("by course %+v", all)
		}
		due, err := e.svc.TrainingAttendance(ctx, service.AttendanceFilter{Statuses: service.OverdueStatuses}, service.Page{})
		ok(t, err)
		if due.Total != 2 || due.Items[0].PersonName != "Ben B" || due.Items[0].ExpiresOn != "2025-11-01" || due.Items[1].Status != "never" {
			t.Fatalf("overdue %+v", due)
		}
		sales, err := e.svc.TrainingAttendance(ctx, service.AttendanceFilter{Statuses: service.OverdueStatuses, Team: "sales"}, service.Page{})
		ok(t, err)
		if sales.Total != 1 {
			t.Fatalf("overdue in sales %+v", sales)
		}
		_, err = e.svc.TrainingAttendance(ctx, service.AttendanceFilter{Statuses: []string{"late"}}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "bad status")
	})
}

// A training record names its course, person and certificate; each must exist, in this organisation. A course
// with records is not deleted (the records are the proof); a viewer writes nothing.
func TestTrainingRecordRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		course := addCourse(t, e, ctx, service.CourseInput{Title: "Awareness", RecurrenceMonths: 12, Controls: []string{"A.6.3"}})
		p := staff(t, e, ctx, "Ann A", "Staff", "", "")
		_, err := e.db.W.Exec(`INSERT INTO evidence (id, org_id, ref, title, kind, created_at, updated_at) VALUES ('ev1', $1, 'E-001', 'Certificate', 'note', '', '')`, o.Actors["owner"].OrgID)
		ok(t, err)
		r, err := e.svc.AddTraining(ctx, service.TrainingInput{Course: "awareness", Person: "ann@example.com", CompletedOn: "2026-02-01", Evidence: "e-001"})
		ok(t, err)
		if r.Course != course || r.Person != p || r.Evidence != "E-001" || r.EvidenceTitle != "Certificate" || r.Result != "completed" || r.ExpiresOn() != "2027-02-01" {
			t.Fatalf("record %+v", r)
		}
		for name, in := range map[string]service.TrainingInput{
			"no course":      {Person: p, CompletedOn: "2026-01-01"},
			"unknown course": {Course: "C-999", Person: p, CompletedOn: "2026-01-01"},
			"unknown person": {Course: course, Person: "P-999", CompletedOn: "2026-01-01"},
			"unknown cert":   {Course: course, Person: p, CompletedOn: "2026-01-01", Evidence: "E-404"},
			"future":         {Course: course, Person: p, CompletedOn: "2026-04-01"},
			"bad date":       {Course: course, Person: p, CompletedOn: "01/02/2026"},
			"bad result":     {Course: course, Person: p, CompletedOn: "2026-01-01", Result: "great"},
		} {
			_, err := e.svc.AddTraining(ctx, in)
			wantKind(t, err, isms.KindInvalid, name)
		}
		_, err = e.svc.AddTraining(o.Ctx("viewer"), service.TrainingInput{Course: course, Person: p, CompletedOn: "2026-01-01"})
		wantKind(t, err, isms.KindForbidden, "viewer adds")
		// A patch changes the result only, and the version must be the one read.
		r2, err := e.svc.PatchTraining(ctx, r.Ref, service.TrainingInput{Result: "passed", Version: r.Version, Sent: service.SentOf("result")})
		ok(t, err)
		if r2.Result != "passed" || r2.Course != course || r2.Evidence != "E-001" || r2.Version != r.Version+1 {
			t.Fatalf("patched %+v", r2)
		}
		_, err = e.svc.PatchTraining(ctx, r.Ref, service.TrainingInput{Result: "failed", Version: r.Version, Sent: service.SentOf("result")})
		wantKind(t, err, isms.KindConflict, "stale version")
		wantKind(t, e.svc.DeleteCourse(ctx, course), isms.KindConflict, "course with records")
		ok(t, e.svc.DeleteTraining(ctx, r.Ref))
		ok(t, e.svc.DeleteCourse(ctx, course))
		// Every change is in the audit trail.
		events, err := e.svc.ListAudit(o.Ctx("owner"), service.AuditFilter{}, service.Page{Limit: 100})
		ok(t, err)
		var kinds []string
		for _, ev := range events.Items {
			if ev.Entity == "course" || ev.Entity == "training record" {
				kinds = append(kinds, ev.Action+" "+ev.Entity)
			}
		}
		if len(kinds) != 5 {
			t.Fatalf("audit events %v", kinds)
		}
	})
}

// The import of training records: all or nothing, every bad row reported by line; a row with a ref updates
// that record; the person by email, the course by title; a dry run writes nothing.
func TestImportTraining(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		course := addCourse(t, e, ctx, service.CourseInput{Title: "Awareness", RecurrenceMonths: 12})
		p := staff(t, e, ctx, "Ann A", "Staff", "", "")
		staff(t, e, ctx, "Ben B", "Staff", "", "")
		r := train(t, e, ctx, course, p, "2025-01-01", "completed")
		count := func() int {
			l, err := e.svc.ListTraining(ctx, service.TrainingFilter{}, service.Page{})
			ok(t, err)
			return l.Total
		}
		bad := "course,person,completed_on,result\n" +
			"C-001,ben@example.com,2026-01-10,passed\n" +
			"Nope,ben@example.com,2026-01-10,passed\n" +
			"Awareness,nobody@example.com,2026-13-01,great\n"
		_, err := e.svc.ImportTraining(ctx, "csv", strings.NewReader(bad), false)
		wantKind(t, err, isms.KindInvalid, "bad rows")
		msg := err.Error()
		for _, want := range []string{"line 3: course", "line 4: person", "line 4: completed_on", "line 4: result"} {
			if !strings.Contains(msg, want) {
				t.Errorf("problems %q lack %q", msg, want)
			}
		}
		if count() != 1 {
			t.Fatalf("a refused import wrote records")
		}
		// An export, edited, imports back: the row with a ref updates it, a new row adds one.
		var b bytes.Buffer
		ok(t, e.svc.ExportTraining(ctx, service.TrainingFilter{}, "csv", &b))
		if !strings.Contains(b.String(), "2026-01-01,expired") {
			t.Fatalf("export lacks the expiry and status:\n%s", b.String())
		}
		edited := strings.Replace(b.String(), "2025-01-01,completed", "2025-06-01,passed", 1) +
			",Awareness,,,ben@example.com,2026-02-20,completed,,,,,\n"
		res, err := e.svc.ImportTraining(ctx, "csv", strings.NewReader(edited), true)
		ok(t, err)
		if res.Added != 1 || res.Updated != 1 || count() != 1 {
			t.Fatalf("dry run %+v, %d records", res, count())
		}
		res, err = e.svc.ImportTraining(ctx, "csv", strings.NewReader(edited), false)
		ok(t, err)
		if res.Added != 1 || res.Updated != 1 || count() != 2 {
			t.Fatalf("import %+v, %d records", res, count())
		}
		got, err := e.svc.TrainingRecord(ctx, r.Ref)
		ok(t, err)
		if got.CompletedOn != "2025-06-01" || got.Result != "passed" || got.Version != 2 {
			t.Fatalf("updated %+v", got)
		}
	})
}

// Completion and the list of who needs training are counted in SQL: the same few statements for 3 people as
// for 60, and the import of 60 records resolves their courses and people with one query per kind.
func TestTrainingQueriesDoNotGrowWithPeople(t *testing.T) {
	e := newEnv(t, testutil.Engines[0])
	o := testutil.NewOrg(t, e.svc, "Acme")
	ctx := o.Ctx("editor")
	course := addCourse(t, e, ctx, service.CourseInput{Title: "Awareness", RecurrenceMonths: 12})
	statements := func() int64 {
		before := e.svc.Store().Statements()
		_, err := e.svc.CourseCompletion(ctx, course)
		ok(t, err)
		_, err = e.svc.TrainingAttendance(ctx, service.AttendanceFilter{Statuses: service.OverdueStatuses}, service.Page{Limit: 500})
		ok(t, err)
		return e.svc.Store().Statements() - before
	}
	var file strings.Builder
	file.WriteString("course,person,completed_on\n")
	add := func(from, to int) {
		for i := from; i < to; i++ {
			p := staff(t, e, ctx, fmt.Sprintf("Person%d X", i), "Staff", fmt.Sprintf("team%d", i%5), "")
			fmt.Fprintf(&file, "Awareness,%s,2025-0%d-10\n", p, 1+i%9)
		}
	}
	add(0, 3)
	few := statements()
	add(3, 60)
	before := e.svc.Store().Statements()
	res, err := e.svc.ImportTraining(ctx, "csv", strings.NewReader(file.String()), false)
	ok(t, err)
	if ran := e.svc.Store().Statements() - before; res.Added != 60 || ran > 12 { // begin, counters, lookups, insert, audit
		t.Fatalf("import of 60 records: %+v in %d statements", res, ran)
	}
	if many := statements(); many != few || few > 8 {
		t.Fatalf("completion and overdue: %d statements, then %d after 60 records", few, many)
	}
}
