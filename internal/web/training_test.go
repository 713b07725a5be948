package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The training pages: a course's page shows its completion in all and by team (with a bar drawn as SVG) and
// who needs training; the records list filters by status; the record form refuses bad input and records
// training; who needs training lists the overdue and the never trained; a viewer gets no forms.
func TestTrainingPages(t *testing.T) {
	srv, org, c := startOrg(t, "editor", "viewer")
	ctx := org.Ctx("owner")
	for _, p := range []struct{ name, team string }{{"Maya Patel", "ops"}, {"Noor Khan", "ops"}, {"Omar Diaz", "sales"}} {
		person, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: p.name})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.DB.W.Exec("UPDATE people SET team = $1 WHERE id = $2", p.team, person.ID); err != nil {
			t.Fatal(err)
		}
	}
	today := srv.Svc.Today()
	if _, err := srv.Svc.AddCourse(ctx, service.CourseInput{Title: "Security awareness", RecurrenceMonths: 12, Controls: []string{"6.3"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddTraining(ctx, service.TrainingInput{Course: "C-001", Person: "Maya Patel", CompletedOn: today}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Svc.AddTraining(ctx, service.TrainingInput{Course: "C-001", Person: "Noor Khan", CompletedOn: "2020-01-01"}); err != nil {
		t.Fatal(err)
	}
	a := get(t, srv, c["viewer"], "/courses/C-001")
	expect(t, "course page", a, http.StatusOK, "<strong>33%</strong> of 3 trained: 1 current, 0 due soon, 1 overdue, 1 never trained",
		`<svg class="completion-bar"`, `data-team="ops"`, `data-team="sales"`, "Noor Khan", "Omar Diaz", "never trained")
	refuse(t, "course page as a viewer", a, `action="/courses/C-001"`)
	expect(t, "courses", get(t, srv, c["viewer"], "/courses"), http.StatusOK, "Security awareness", "all staff", "every year")
	a = get(t, srv, c["viewer"], "/training?status=expired")
	expect(t, "expired records", a, http.StatusOK, "TR-002", "Noor Khan")
	refuse(t, "expired records", a, "TR-001")
	expect(t, "bad status", get(t, srv, c["viewer"], "/training?status=late"), http.StatusUnprocessableEntity, "must be one of")
	expect(t, "who needs training", get(t, srv, c["viewer"], "/training/overdue"), http.StatusOK, "Noor Khan", "Omar Diaz", "overdue", "never trained")
	expect(t, "dashboard", get(t, srv, c["viewer"], "/"), http.StatusOK, `<span class="num">2</span> trainings overdue or never taken`)
	refuse(t, "who needs training", get(t, srv, c["viewer"], "/training/overdue"), `data-person="P-001"`)

	a = post(t, srv, c["editor"], "/training", url.Values{"course": {"C-404"}, "person": {"P-003"}, "completed_on": {"tomorrow"}})
	expect(t, "bad record", a, http.StatusUnprocessableEntity, `no course &#34;C-404&#34;`, "must be a date as YYYY-MM-DD")
	a = post(t, srv, c["editor"], "/training", url.Values{"course": {"Security awareness"}, "person": {"P-003"}, "completed_on": {today}, "result": {"passed"}})
	redirected(t, "record training", a, "/training/TR-003")
	expect(t, "record page", get(t, srv, c["editor"], "/training/TR-003"), http.StatusOK, "Omar Diaz", "passed", "current")
	expect(t, "import page", get(t, srv, c["editor"], "/training/import"), http.StatusOK, "Import")
	a = post(t, srv, c["editor"], "/courses", url.Values{"title": {"Secure coding"}, "audience": {"role"}, "recurrence_months": {"12"}})
	expect(t, "course without its role word", a, http.StatusUnprocessableEntity, "is required for audience role")
}

// trainingSample gives an organisation with a person named Ada Lovelace a yearly course C-001 that she took,
// TR-001, for the pages that show one.
func trainingSample(t *testing.T, svc *service.Service, ctx context.Context) {
	t.Helper()
	if _, err := svc.AddCourse(ctx, service.CourseInput{Title: "Security awareness", RecurrenceMonths: 12}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddTraining(ctx, service.TrainingInput{Course: "C-001", Person: "Ada Lovelace", CompletedOn: svc.Today()}); err != nil {
		t.Fatal(err)
	}
}
