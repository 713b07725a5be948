package httpserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// trainingRoutes are the matrix rows of the courses and training records, in the API and the web UI.
func trainingRoutes() []route {
	newCourse := func(t *testing.T, m *matrix) string {
		c, err := m.srv.Svc.AddCourse(m.org.Ctx("owner"), service.CourseInput{Title: fmt.Sprintf("Course %d", m.next()), RecurrenceMonths: 12})
		m.ok(t, err)
		return c.Ref
	}
	courses := registerRows("/courses", newCourse, func(m *matrix, version int) map[string]any {
		return map[string]any{"title": fmt.Sprintf("Course %d", m.next()), "audience": "role", "audience_value": "engineer",
			"recurrence_months": 12, "owner": m.person.Ref, "version": version}
	})
	for i, r := range courses { // a course has no notes: its PATCH changes the description
		if r.method == "PATCH" {
			courses[i].prep = func(t *testing.T, m *matrix, role string) target {
				return target{path: "/courses/" + newCourse(t, m), body: map[string]any{"description": "Patched by " + role, "version": 1}}
			}
		}
	}
	records := registerRows("/training", func(t *testing.T, m *matrix) string {
		r, err := m.srv.Svc.AddTraining(m.org.Ctx("owner"), service.TrainingInput{Course: newCourse(t, m), Person: m.person.Ref, CompletedOn: "2026-01-05"})
		m.ok(t, err)
		return r.Ref
	}, func(m *matrix, version int) map[string]any {
		c, err := m.srv.Svc.AddCourse(m.org.Ctx("owner"), service.CourseInput{Title: fmt.Sprintf("Course %d", m.next())})
		if err != nil {
			panic(err)
		}
		return map[string]any{"course": c.Ref, "person": m.person.Ref, "completed_on": "2026-01-06", "result": "passed", "version": version}
	})
	for i := range records {
		if records[i].pattern == "/training" && records[i].method == "GET" && !records[i].web {
			records[i].prep = fixed("/training?status=current&sort=-completed_on")
		}
	}
	file := func(m *matrix) string {
		c, err := m.srv.Svc.AddCourse(m.org.Ctx("owner"), service.CourseInput{Title: fmt.Sprintf("Imported course %d", m.next())})
		if err != nil {
			panic(err)
		}
		return "course,person,completed_on\n" + c.Ref + "," + m.person.Ref + ",2026-01-07\n"
	}
	rows := append(courses, records...)
	rows = append(rows,
		route{method: "GET", pattern: "/courses/completion", allowed: everyone},
		route{method: "GET", pattern: "/courses/{ref}/completion", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/courses/" + newCourse(t, m) + "/completion"}
		}},
		route{method: "GET", pattern: "/training/overdue", allowed: everyone, prep: fixed("/training/overdue?status=never&status=overdue")},
		route{web: true, method: "GET", pattern: "/training/overdue", allowed: everyone},
		route{web: true, method: "GET", pattern: "/training/import", allowed: everyone},
		route{web: true, method: "POST", pattern: "/training/import", allowed: contentEdit,
			prep: withBody("/training/import", func(m *matrix) any { return upload{field: "file", filename: "training.csv", data: file(m)} })})
	for _, variant := range []string{"", "dry run"} {
		url := "/training/import"
		if variant != "" {
			url += "?dry_run=true"
		}
		rows = append(rows, route{method: "POST", pattern: "/training/import", variant: variant, allowed: contentEdit,
			prep: withBody(url, func(m *matrix) any { return raw{"text/csv", file(m)} })})
	}
	return rows
}

// trainingTenants are the courses and records of the isolation test: A has C-001 and TR-001; B has two of
// each (so the second refs exist only in B), each saying Bravo.
type trainingTenants struct {
	bCourses []isms.Course
	bRecords []isms.TrainingRecord
}

// addTrainingTenants adds those rows, and B's ids to the secrets no answer to A may hold.
func addTrainingTenants(t *testing.T, x *tenants) trainingTenants {
	t.Helper()
	svc := x.srv.Svc
	var tr trainingTenants
	_, err := svc.AddCourse(x.a.Ctx("editor"), service.CourseInput{Title: "Alpha awareness", RecurrenceMonths: 12, Owner: x.aPerson.Ref})
	noErr(t, err)
	_, err = svc.AddTraining(x.a.Ctx("editor"), service.TrainingInput{Course: "C-001", Person: x.aPerson.Ref, CompletedOn: "2020-01-01"})
	noErr(t, err)
	for i := range 2 {
		c, err := svc.AddCourse(x.b.Ctx("editor"), service.CourseInput{Title: fmt.Sprintf("Bravo course %d", i), Description: "Bravo only",
			Audience: "team", AudienceValue: "Bravo team", Owner: x.bPeople[i].Ref})
		noErr(t, err)
		r, err := svc.AddTraining(x.b.Ctx("editor"), service.TrainingInput{Course: c.Ref, Person: x.bPeople[i].Ref, CompletedOn: "2020-01-01",
			Notes: "Bravo notes"})
		noErr(t, err)
		tr.bCourses, tr.bRecords = append(tr.bCourses, c), append(tr.bRecords, r)
		x.secrets = append(x.secrets, c.ID, r.ID)
	}
	return tr
}

// paths are B's second rows, by id and by the reference only B has.
func (tr trainingTenants) paths() []string {
	c, r := tr.bCourses[1], tr.bRecords[1]
	return []string{"/courses/" + c.ID, "/courses/" + c.Ref, "/training/" + r.ID, "/training/" + r.Ref}
}

// trainingReads are the reads of A in the isolation tests, API or web: each must answer A's own rows only.
func trainingReads(web bool) []string {
	if web {
		return []string{"/courses", "/courses/C-001", "/courses/export.csv", "/training", "/training/TR-001", "/training/export.csv",
			"/training/import", "/training/overdue", "/training/overdue?status=current", "/training?person=P-001"}
	}
	return []string{"/courses", "/courses/C-001", "/courses/export", "/courses/completion", "/courses/C-001/completion", "/training",
		"/training?search=bravo", "/training?status=expired", "/training/TR-001", "/training/export", "/training/overdue",
		"/training/overdue?team=Bravo%20team", "/training?course=C-002"}
}

// trainingCases are A's attempts on B's rows through the API: each must be a 404 that changes nothing.
func (tr trainingTenants) cases() []struct {
	name, method, path string
	body               any
} {
	c, r := tr.bCourses[1], tr.bRecords[1]
	return []struct {
		name, method, path string
		body               any
	}{
		{"get B's course", http.MethodGet, "/courses/" + c.ID, nil},
		{"get a course ref only B has", http.MethodGet, "/courses/" + c.Ref, nil},
		{"completion of B's course", http.MethodGet, "/courses/" + c.Ref + "/completion", nil},
		{"change B's course", http.MethodPatch, "/courses/" + c.ID, map[string]any{"title": "Hijacked", "version": c.Version}},
		{"delete B's course", http.MethodDelete, "/courses/" + c.Ref, nil},
		{"get B's record", http.MethodGet, "/training/" + r.ID, nil},
		{"change B's record", http.MethodPatch, "/training/" + r.Ref, map[string]any{"result": "failed", "version": r.Version}},
		{"delete B's record", http.MethodDelete, "/training/" + r.ID, nil},
	}
}

// trainingSnapshot adds B's rows, read through B's token, to the snapshot that must not change.
func trainingSnapshot(t *testing.T, x *tenants, out map[string]string) {
	t.Helper()
	for _, p := range append(x.train.paths(), "/courses?limit=500", "/training?limit=500") {
		a := api(t, x.srv, x.bTok, http.MethodGet, p, nil)
		want(t, a, http.StatusOK, "B reads "+p)
		out[p] = string(a.Body)
	}
}

// A's course, named in a record, never reaches B's people: A records training for a person only B has.
func TestTrainingNamesOnlyOwnRows(t *testing.T) {
	x := setupTenants(t, "sqlite")
	a := api(t, x.srv, x.aTok, http.MethodPost, "/training", map[string]any{"course": "C-001", "person": x.bPeople[1].Ref, "completed_on": "2026-01-01"})
	wantProblem(t, a, http.StatusUnprocessableEntity, "A names B's person")
	a = api(t, x.srv, x.aTok, http.MethodPost, "/training", map[string]any{"course": x.train.bCourses[1].Ref, "person": x.aPerson.Ref, "completed_on": "2026-01-01"})
	wantProblem(t, a, http.StatusUnprocessableEntity, "A names B's course")
	if !strings.Contains(string(a.Body), "no course") {
		t.Fatalf("A names B's course: %s", a.Body)
	}
}

// Through the API: a course with a bad audience is a 422 naming the field; a record shows its course and person
// by reference and name with its expiry and status; the completion counts the audience; a course with records
// is not deleted (409); a bad import row is a 422 by line and writes nothing.
func TestTrainingAPI(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok := token(t, srv, org, "editor")
	for _, name := range []string{"Ann Lee", "Ben Ode"} {
		want(t, api(t, srv, tok, http.MethodPost, "/people", map[string]any{"name": name}), http.StatusCreated, "add "+name)
	}
	p := wantProblem(t, api(t, srv, tok, http.MethodPost, "/courses", map[string]any{"title": "Runbook", "audience": "team"}),
		http.StatusUnprocessableEntity, "team course without a team")
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Location, "audience_value") {
		t.Fatalf("problem %+v", p)
	}
	want(t, api(t, srv, tok, http.MethodPost, "/courses", map[string]any{"title": "Awareness", "recurrence_months": 12, "controls": []string{"6.3"}}),
		http.StatusCreated, "add a course")
	a := api(t, srv, tok, http.MethodPost, "/training", map[string]any{"course": "Awareness", "person": "Ann Lee", "completed_on": "2025-03-02"})
	want(t, a, http.StatusCreated, "record training")
	var r service.TrainingView
	decode(t, a, &r)
	if r.Ref != "TR-001" || r.Course != (service.CourseName{Ref: "C-001", Title: "Awareness"}) || r.Person.Name != "Ann Lee" ||
		r.ExpiresOn != "2026-03-02" || r.Status != "expired" || r.Result != "completed" {
		t.Fatalf("record %s", a)
	}
	var list service.List[service.TrainingView]
	decode(t, api(t, srv, tok, http.MethodGet, "/training?status=expired&course=C-001", nil), &list)
	if list.Total != 1 || list.Items[0].Person.Ref != r.Person.Ref {
		t.Fatalf("expired records %+v", list)
	}
	var cc service.CourseCompletion
	decode(t, api(t, srv, tok, http.MethodGet, "/courses/C-001/completion", nil), &cc)
	if cc.Total.Audience != 2 || cc.Total.Overdue != 1 || cc.Total.Never != 1 || cc.Total.Percent != 0 {
		t.Fatalf("completion %+v", cc)
	}
	var due service.List[service.Attendance]
	decode(t, api(t, srv, tok, http.MethodGet, "/training/overdue", nil), &due)
	if due.Total != 2 {
		t.Fatalf("who needs training %+v", due)
	}
	wantProblem(t, api(t, srv, tok, http.MethodDelete, "/courses/C-001", nil), http.StatusConflict, "delete a course with records")
	a = api(t, srv, tok, http.MethodPost, "/training/import", raw{"text/csv", "course,person,completed_on\nAwareness,Ben Ode,2026-01-01\nC-404,Ben Ode,2026-01-01\n"})
	wantProblem(t, a, http.StatusUnprocessableEntity, "import with a bad row")
	if !strings.Contains(string(a.Body), "line 3") {
		t.Errorf("import problem %s", a)
	}
	decode(t, api(t, srv, tok, http.MethodGet, "/training", nil), &list)
	if list.Total != 1 {
		t.Fatalf("a refused import wrote records: %d", list.Total)
	}
}
