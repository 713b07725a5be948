package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// CourseQuery filters the courses.
type CourseQuery struct {
	Search   string `query:"search" doc:"Reference, title or description contains" maxLength:"200"`
	Audience string `query:"audience" doc:"Only this audience"`
	Owner    string `query:"owner" doc:"Only this owner (person reference, P-001)" maxLength:"100"`
	Sort     string `query:"sort" doc:"ref, title or owner; prefix - for descending" maxLength:"100"`
}

func (q CourseQuery) filter() service.CourseFilter {
	return service.CourseFilter{Search: q.Search, Audience: q.Audience, Owner: q.Owner, Sort: q.Sort}
}

// TrainingQuery filters the training records.
type TrainingQuery struct {
	Search string `query:"search" doc:"Reference, notes, person's name or course title contains" maxLength:"200"`
	Course string `query:"course" doc:"Only this course (reference, C-001)" maxLength:"100"`
	Person string `query:"person" doc:"Only this person (reference, P-001)" maxLength:"100"`
	Team   string `query:"team" doc:"Only people of this team" maxLength:"100"`
	Result string `query:"result" doc:"Only this result"`
	Status string `query:"status" doc:"Only records that stand so today"`
	Sort   string `query:"sort" doc:"ref, completed_on, person or course; prefix - for descending" maxLength:"100"`
}

func (q TrainingQuery) filter() service.TrainingFilter {
	return service.TrainingFilter{Search: q.Search, Course: q.Course, Person: q.Person, Team: q.Team, Result: q.Result, Status: q.Status, Sort: q.Sort}
}

// AttendanceQuery filters the list of who needs training.
type AttendanceQuery struct {
	Course string   `query:"course" doc:"Only this course (reference, C-001)" maxLength:"100"`
	Team   string   `query:"team" doc:"Only people of this team" maxLength:"100"`
	Status []string `query:"status" doc:"Only these statuses (current, due-soon, overdue, never); default overdue and never"`
}

func (a *API) trainingRoutes() {
	tag := "Training"
	op(a, huma.Operation{OperationID: "list-courses", Method: http.MethodGet, Path: "/courses", Summary: "List the training and awareness courses", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			CourseQuery
		}) (*Body[service.List[isms.Course]], error) {
			l, err := a.svc.ListCourses(ctx, in.filter(), in.page())
			return body(l), err
		})
	op(a, exportOperation("export-courses", "/courses/export", "Download the courses as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			CourseQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "courses", in.Format, in.filter(), a.svc.ListCourses, a.svc.ExportCourses)
		})
	filterEnums(a, service.CourseRegister, "/courses", "/courses/export")
	op(a, huma.Operation{OperationID: "training-completion", Method: http.MethodGet, Path: "/courses/completion",
		Summary: "TrainingCounts of every course today: how many of its audience are current, due soon, overdue or never trained", Tags: []string{tag}},
		func(ctx context.Context, _ *struct{}) (*Body[[]service.TrainingCounts], error) {
			c, err := a.svc.TrainingCompletion(ctx)
			return body(c), err
		})
	op(a, huma.Operation{OperationID: "course-completion", Method: http.MethodGet, Path: "/courses/{ref}/completion",
		Summary: "TrainingCounts of one course today, in all and by team", Tags: []string{tag}},
		func(ctx context.Context, in *RefPath) (*Body[service.CourseCompletion], error) {
			c, err := a.svc.CourseCompletion(ctx, in.Ref)
			return body(c), err
		})
	rowRoutes(a, "/courses", "course", tag, rowOps[isms.Course, service.CourseInput]{
		get: a.svc.Course, add: a.svc.AddCourse, update: a.svc.UpdateCourse, patch: a.svc.PatchCourse,
		delete: a.svc.DeleteCourse, deletes: "Delete a course that has no training records"})

	op(a, huma.Operation{OperationID: "list-training", Method: http.MethodGet, Path: "/training", Summary: "List the training records",
		Description: "Each with the day it runs out and its status today.", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			TrainingQuery
		}) (*Body[service.List[service.TrainingView]], error) {
			l, err := a.svc.ListTraining(ctx, in.filter(), in.page())
			today := a.svc.Today()
			out := service.List[service.TrainingView]{Items: make([]service.TrainingView, len(l.Items)), Total: l.Total, Limit: l.Limit, Offset: l.Offset}
			for i, r := range l.Items {
				out.Items[i] = service.ViewTraining(r, today)
			}
			return body(out), err
		})
	op(a, exportOperation("export-training", "/training/export", "Download the training records as CSV, XLSX or PDF", tag),
		func(ctx context.Context, in *struct {
			ExportQuery
			TrainingQuery
		}) (*huma.StreamResponse, error) {
			return exportRows(ctx, "training", in.Format, in.filter(), a.svc.ListTraining, a.svc.ExportTraining)
		})
	filterEnums(a, service.TrainingRegister, "/training", "/training/export")
	op(a, huma.Operation{OperationID: "list-training-due", Method: http.MethodGet, Path: "/training/overdue",
		Summary: "Who needs training: the people of each course's audience by status today (overdue and never trained by default)", Tags: []string{tag}},
		func(ctx context.Context, in *struct {
			PageQuery
			AttendanceQuery
		}) (*Body[service.List[service.Attendance]], error) {
			f := service.AttendanceFilter{Course: in.Course, Team: in.Team, Statuses: in.Status}
			if len(f.Statuses) == 0 {
				f.Statuses = service.OverdueStatuses
			}
			l, err := a.svc.TrainingAttendance(ctx, f, in.page())
			return body(l), err
		})
	shown := func(r isms.TrainingRecord, err error) (service.TrainingView, error) {
		return service.ViewTraining(r, a.svc.Today()), err
	}
	rowRoutes(a, "/training", "training-record", tag, rowOps[service.TrainingView, service.TrainingInput]{
		get: func(ctx context.Context, ref string) (service.TrainingView, error) {
			return shown(a.svc.TrainingRecord(ctx, ref))
		},
		add: func(ctx context.Context, in service.TrainingInput) (service.TrainingView, error) {
			return shown(a.svc.AddTraining(ctx, in))
		},
		update: func(ctx context.Context, ref string, in service.TrainingInput) (service.TrainingView, error) {
			return shown(a.svc.UpdateTraining(ctx, ref, in))
		},
		patch: func(ctx context.Context, ref string, in service.TrainingInput) (service.TrainingView, error) {
			return shown(a.svc.PatchTraining(ctx, ref, in))
		},
		delete: a.svc.DeleteTraining, imp: a.svc.ImportTraining, a: "a training record", plural: "training records"})
}
