package service

import (
	"context"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The exports of the courses and training records, and the import of training records: an edited export
// imports back, a row with a ref updating that record.

// ExportCourses writes the matching courses as csv, xlsx or pdf (or csv-excel).
func (s *Service) ExportCourses(ctx context.Context, f CourseFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Courses", Title: "Training and awareness courses", Columns: []table.Column{
		col("ref", 8, false), col("title", 36, true), col("description", 40, true), col("audience", 9, false), col("audience_value", 16, true),
		col("recurrence_months", 10, false), col("owner_ref", 9, false), col("owner", 20, true), col("controls", 16, true), col("version", 7, false)}}
	sheet.Columns[3].Allowed = isms.CourseAudiences
	return exportRegister(ctx, s, store.Courses, f, format, w, sheet, func(c isms.Course) table.Row {
		return table.Row{c.Ref, c.Title, c.Description, c.Audience, c.AudienceValue, c.RecurrenceMonths, c.Owner, c.OwnerName,
			strings.Join(c.Controls, ", "), c.Version}
	}, exportFacts(store.Courses, f, "every course"))
}

// trainingColumns are the columns of the training records' export, in order; expires_on and status are
// computed and course_title shown, and an import ignores them: course holds the course's reference (an
// exact title works too).
var trainingColumns = []string{"ref", "course", "course_title", "person_ref", "person", "completed_on", "result", "expires_on", "status",
	"evidence", "notes", "version"}

// ExportTraining writes the matching training records as csv, xlsx or pdf (or csv-excel), each with its expiry
// and status today.
func (s *Service) ExportTraining(ctx context.Context, f TrainingFilter, format string, w io.Writer) error {
	f.Today = s.Today()
	widths := map[string]float64{"course_title": 30, "person": 22, "notes": 30}
	sheet := table.Sheet{Name: "Training", Title: "Training records"}
	for _, c := range trainingColumns {
		w := widths[c]
		sheet.Columns = append(sheet.Columns, col(c, max(w, 10), w > 0))
	}
	sheet.Columns[6].Allowed = isms.TrainingResults
	return exportRegister(ctx, s, store.TrainingRecords, f, format, w, sheet, func(r isms.TrainingRecord) table.Row {
		return table.Row{r.Ref, r.Course, r.CourseTitle, r.Person, r.PersonName, r.CompletedOn, r.Result, r.ExpiresOn(), r.Status(f.Today),
			r.Evidence, r.Notes, r.Version}
	}, exportFacts(store.TrainingRecords, f, "every training record"))
}

// ImportTraining reads training records (csv or xlsx), all or nothing: the course by reference or exact title
// (course), the person by reference (person_ref) or name or email (person), the certificate by
// evidence reference. A row with a ref updates that record; with dryRun nothing is written.
func (s *Service) ImportTraining(ctx context.Context, format string, r io.Reader, dryRun bool) (ImportResult, error) {
	return importRows(ctx, s, s.trainingImport(), format, r, dryRun)
}

func (s *Service) trainingImport() registerImport[isms.TrainingRecord] {
	var fields []importer.Field
	for _, c := range trainingColumns {
		fields = append(fields, importer.Field{Name: c, Ignored: c == "course_title" || c == "expires_on" || c == "status"})
	}
	// named is the value of the column col, or the saved row's where the file has no such column.
	named := func(col string, saved func(*isms.TrainingRecord) string) func(*importer.Row, *isms.TrainingRecord) []string {
		return func(row *importer.Row, t *isms.TrainingRecord) []string {
			if !row.Has(col) && t != nil {
				return []string{saved(t)}
			}
			return []string{row.Get(col)}
		}
	}
	today := s.Today()
	return rowImport(store.TrainingRecords, "TR", fields, personCols, []importLookup[isms.TrainingRecord]{
		{lookup: store.CourseLookup, values: named("course", func(t *isms.TrainingRecord) string { return t.Course })},
		{lookup: store.EvidenceLookup, values: named("evidence", func(t *isms.TrainingRecord) string { return t.Evidence })},
	}, func(p *isms.Problems, in TrainingInput, found importFound, row *isms.TrainingRecord) {
		in.apply(p, trainingFound{courses: found["courses"], people: found["people"], evidence: found["evidence"]}, today, row)
	})
}
