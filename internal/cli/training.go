package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

func (e *env) courseCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.Course, service.CourseInput, service.CourseFilter]{use: "course", noun: "course",
		plural: "courses", short: "Training and awareness courses (6.3, 7.2): list, show, add, set, delete, export",
		reg:  service.CourseRegister,
		list: (*service.Service).ListCourses, get: (*service.Service).Course, add: (*service.Service).AddCourse,
		patch: (*service.Service).PatchCourse, delete: (*service.Service).DeleteCourse, export: (*service.Service).ExportCourses,
		label: func(c isms.Course) string { return c.Ref + " " + c.Title },
		stamp: func(in *service.CourseInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		// --control 6.3 (repeatable, or comma-separated) sets the controls it serves.
		more: func(c *cobra.Command, in *service.CourseInput) map[string]string {
			c.Flags().StringSliceVar(&in.Controls, "control", nil, "an Annex A control it serves (6.3); repeat or separate by commas")
			return map[string]string{"control": "controls"}
		},
	})
}

// trainingColumns are the columns of the training list: a record with its expiry and status today.
var trainingColumns = []store.ListColumn[service.TrainingView]{
	{Header: "ref", Value: func(r *service.TrainingView) string { return r.Ref }},
	{Header: "course", Width: 30, Value: func(r *service.TrainingView) string { return r.Course.Ref + " " + r.Course.Title }},
	{Header: "person", Width: 24, Value: func(r *service.TrainingView) string { return r.Person.Ref + " " + r.Person.Name }},
	{Header: "completed_on", Value: func(r *service.TrainingView) string { return r.CompletedOn }},
	{Header: "result", Value: func(r *service.TrainingView) string { return r.Result }},
	{Header: "expires_on", Value: func(r *service.TrainingView) string { return r.ExpiresOn }},
	{Header: "status", Value: func(r *service.TrainingView) string { return r.Status }},
	{Header: "evidence", Value: func(r *service.TrainingView) string { return r.Evidence }},
}

// attendanceColumns are the columns of the overdue list.
var attendanceColumns = []store.ListColumn[service.Attendance]{
	{Header: "course", Width: 30, Value: func(a *service.Attendance) string { return a.Course + " " + a.CourseTitle }},
	{Header: "person", Width: 24, Value: func(a *service.Attendance) string { return a.Person + " " + a.PersonName }},
	{Header: "team", Value: func(a *service.Attendance) string { return a.Team }},
	{Header: "last_completed", Value: func(a *service.Attendance) string { return a.LastDone }},
	{Header: "expires_on", Value: func(a *service.Attendance) string { return a.ExpiresOn }},
	{Header: "status", Value: func(a *service.Attendance) string { return a.Status }},
}

func (e *env) trainingCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.TrainingRecord, service.TrainingInput, service.TrainingFilter]{use: "training", noun: "training record",
		plural: "training records", short: "Training records (7.2, 7.3): list, show, add, set, delete, import, export, overdue",
		reg:  service.TrainingRegister,
		list: (*service.Service).ListTraining, get: (*service.Service).TrainingRecord, add: (*service.Service).AddTraining,
		patch: (*service.Service).PatchTraining, delete: (*service.Service).DeleteTraining, export: (*service.Service).ExportTraining,
		imp:   (*service.Service).ImportTraining,
		label: func(r isms.TrainingRecord) string { return r.Ref + " " + r.Course + " " + r.PersonName },
		stamp: func(in *service.TrainingInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		rows: func(svc *service.Service, items []isms.TrainingRecord) table {
			today := svc.Today()
			views := make([]service.TrainingView, len(items))
			for i, r := range items {
				views[i] = service.ViewTraining(r, today)
			}
			return listTable(trainingColumns, views, views)
		},
	})
	cmd.AddCommand(e.overdueCmd())
	return cmd
}

// overdueCmd lists who needs training: the people of each course's audience whose training has run out or
// who never took it (or, with --status, those that stand so).
func (e *env) overdueCmd() *cobra.Command {
	var f service.AttendanceFilter
	var limit, offset int
	c := &cobra.Command{Use: "overdue", Short: "Who needs training: overdue or never trained, by course", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if len(f.Statuses) == 0 {
				f.Statuses = service.OverdueStatuses
			}
			items, total, err := listAll(limit, offset, func(p service.Page) (service.List[service.Attendance], error) {
				return svc.TrainingAttendance(ctx, f, p)
			})
			if err != nil {
				return err
			}
			e.shown(len(items), offset, total, "person")
			return e.print(listTable(attendanceColumns, items, items))
		}}
	c.Flags().StringVar(&f.Course, "course", "", "only this course (reference, C-001)")
	c.Flags().StringVar(&f.Team, "team", "", "only people of this team")
	c.Flags().StringSliceVar(&f.Statuses, "status", nil, "only these statuses: "+strings.Join(isms.TrainingStatuses, ", ")+" (default overdue, never)")
	listFlags(c, &limit, &offset)
	return c
}
