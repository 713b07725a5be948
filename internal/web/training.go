package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// trainingRoutes registers the training and awareness pages (6.3, 7.2, 7.3): courses with their completion,
// the training records, the import of records and who needs training.
func (h *Handler) trainingRoutes() {
	courses := h.coursePages()
	h.mux.HandleFunc("GET /courses", courses.list)
	h.mux.HandleFunc("POST /courses", courses.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /courses/export."+f, courses.export)
	}
	h.mux.HandleFunc("GET /courses/{ref}", courses.show)
	h.mux.HandleFunc("POST /courses/{ref}", courses.update)
	h.mux.HandleFunc("POST /courses/{ref}/delete", courses.delete)
	records := h.trainingPages()
	h.mux.HandleFunc("GET /training", records.list)
	h.mux.HandleFunc("GET /training/import", records.importForm)
	h.mux.HandleFunc("POST /training/import", records.importFile)
	h.mux.HandleFunc("GET /training/overdue", h.trainingOverdue)
	h.mux.HandleFunc("POST /training", records.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /training/export."+f, records.export)
	}
	h.mux.HandleFunc("GET /training/{ref}", records.show)
	h.mux.HandleFunc("POST /training/{ref}", records.update)
	h.mux.HandleFunc("POST /training/{ref}/delete", records.delete)
}

// TrainingTab is a tab of the training pages.
type TrainingTab = RiskTab

func trainingTabs(current string) []TrainingTab {
	tabs := []TrainingTab{{Href: "/courses", Label: "Courses"}, {Href: "/training", Label: "Training records"}, {Href: "/training/overdue", Label: "Who needs training"}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

// courseInput reads the course form: the fields by JSON name, the controls separated by commas or spaces.
func courseInput(f url.Values) service.CourseInput {
	in := formInput[service.CourseInput](f)
	in.Controls = strings.FieldsFunc(f.Get("controls"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	return in
}

// courseForm fills the edit form from a saved course.
func courseForm(c isms.Course) url.Values {
	v := formValues(&c)
	v.Set("controls", strings.Join(c.Controls, ", "))
	return v
}

// CourseMore is what a course's page shows beyond the course: where its audience stands, in all and by team,
// and the first of those who need training.
type CourseMore struct {
	Total Completion
	Teams []Completion
	Due   service.List[service.Attendance]
}

// Completion is one line of completion counts with its bar.
type Completion struct {
	service.TrainingCounts
	Bar template.HTML
}

// completions are counts with their bars.
func completions(counts []service.TrainingCounts) []Completion {
	out := make([]Completion, len(counts))
	for i, c := range counts {
		out[i] = Completion{TrainingCounts: c, Bar: completionBar(c)}
	}
	return out
}

// completionBar draws the shares of an audience that are current, due soon, overdue and never trained as one
// line of inline SVG (the page's Content-Security-Policy allows no inline style): widths out of 100.
func completionBar(c service.TrainingCounts) template.HTML {
	if c.Audience == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="completion-bar" viewBox="0 0 100 8" width="120" height="10" preserveAspectRatio="none" role="img"><title>%d%% trained: %d current, %d due soon, %d overdue, %d never trained</title>`,
		c.Percent, c.Current, c.DueSoon, c.Overdue, c.Never)
	x := 0.0
	for _, part := range []struct {
		n    int
		fill string
	}{{c.Current, "#2e7d32"}, {c.DueSoon, "#f9a825"}, {c.Overdue, "#c62828"}, {c.Never, "#bdbdbd"}} {
		w := float64(part.n) * 100 / float64(c.Audience)
		if w > 0 {
			fmt.Fprintf(&b, `<rect x="%.2f" y="0" width="%.2f" height="8" fill="%s"/>`, x, w, part.fill)
		}
		x += w
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // numbers and fixed colours only
}

func (h *Handler) coursePages() registerPages[isms.Course, service.CourseInput, service.CourseFilter] {
	return registerPages[isms.Course, service.CourseInput, service.CourseFilter]{h: h, path: "/courses", listPage: "courses", rowPage: "course",
		title: "Training and awareness courses", nav: "training", tabs: trainingTabs, choices: isms.CourseAudiences,
		parse:    func(q url.Values) (service.CourseFilter, error) { return service.CourseRegister.Parse("q", q.Get) },
		values:   func(f service.CourseFilter) url.Values { return service.CourseRegister.Values("q", f) },
		filtered: service.CourseRegister.Filtered,
		personOf: func(f service.CourseFilter) string { return f.Owner },
		holder:   func(c isms.Course) (string, string) { return c.Owner, c.OwnerName },
		label:    func(c isms.Course) string { return c.Ref + " " + c.Title },
		lister:   unwarned(h.svc.ListCourses),
		extra: func(ctx context.Context, c isms.Course) (any, error) {
			cc, err := h.svc.CourseCompletion(ctx, c.Ref)
			if err != nil {
				return nil, err
			}
			m := CourseMore{Total: completions([]service.TrainingCounts{cc.Total})[0], Teams: completions(cc.Teams)}
			m.Due, err = h.svc.TrainingAttendance(ctx, service.AttendanceFilter{Course: c.Ref, Statuses: []string{"overdue", "never", "due-soon"}}, service.Page{Limit: 50})
			return m, err
		},
		get: h.svc.Course, addRow: h.svc.AddCourse, updateRow: h.svc.UpdateCourse, deleteRow: h.svc.DeleteCourse,
		exportRows: h.svc.ExportCourses, input: courseInput, form: courseForm,
	}
}

func (h *Handler) trainingPages() registerPages[isms.TrainingRecord, service.TrainingInput, service.TrainingFilter] {
	return registerPages[isms.TrainingRecord, service.TrainingInput, service.TrainingFilter]{h: h, path: "/training", listPage: "training", rowPage: "training_record",
		title: "Training records", nav: "training", tabs: trainingTabs, choices: isms.TrainingResults,
		parse:    func(q url.Values) (service.TrainingFilter, error) { return service.TrainingRegister.Parse("q", q.Get) },
		values:   func(f service.TrainingFilter) url.Values { return service.TrainingRegister.Values("q", f) },
		filtered: service.TrainingRegister.Filtered,
		personOf: func(f service.TrainingFilter) string { return f.Person },
		holder:   func(r isms.TrainingRecord) (string, string) { return r.Person, r.PersonName },
		label:    func(r isms.TrainingRecord) string { return r.Ref + " " + r.CourseTitle + ", " + r.PersonName },
		lister:   unwarned(h.svc.ListTraining),
		get:      h.svc.TrainingRecord, addRow: h.svc.AddTraining, updateRow: h.svc.UpdateTraining, deleteRow: h.svc.DeleteTraining,
		exportRows: h.svc.ExportTraining, importRows: h.svc.ImportTraining,
		input: formInput[service.TrainingInput], form: func(r isms.TrainingRecord) url.Values { return formValues(&r) },
	}
}

// TrainingOverdue is the data of the page of who needs training.
type TrainingOverdue struct {
	Tabs     []TrainingTab
	Course   string
	Team     string
	Status   string // one of isms.TrainingStatuses, or "" for overdue and never
	Statuses []string
	Counts   []Completion // by course
	List     service.List[service.Attendance]
	Pager    Pager
}

// trainingOverdue shows how complete each course is and who needs training (overdue and never trained, or one
// status), filtered by course and team.
func (h *Handler) trainingOverdue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := TrainingOverdue{Tabs: trainingTabs("/training/overdue"), Course: strings.TrimSpace(q.Get("course")), Team: strings.TrimSpace(q.Get("team")),
		Status: q.Get("status"), Statuses: isms.TrainingStatuses}
	f := service.AttendanceFilter{Course: d.Course, Team: d.Team, Statuses: service.OverdueStatuses}
	if d.Status != "" {
		f.Statuses = []string{d.Status}
	}
	counts, err := h.svc.TrainingCompletion(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Counts = completions(counts)
	if d.List, err = h.svc.TrainingAttendance(r.Context(), f, page(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Pager = pager(r, d.List.Total, d.List.Limit, d.List.Offset)
	h.render(w, r, http.StatusOK, "training_overdue", View{Title: "Who needs training", Nav: "training", Data: d})
}
