package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// CourseLookup resolves a course named by its reference (C-001) or its exact title (any case).
var CourseLookup = Lookup{Table: "courses", Name: "title", Match: []string{"lower(title)"}}

// EvidenceLookup resolves a piece of evidence named by its reference (E-001): a certificate of a training.
var EvidenceLookup = Lookup{Table: "evidence", Name: "title"}

// Courses is the register of training and awareness courses (6.3, 7.2, 7.3) declared once.
var Courses = &Register[isms.Course, CourseFilter]{
	Entity: "course", Table: "courses", Alias: "co",
	ID:      func(c *isms.Course) *string { return &c.ID },
	Ref:     func(c *isms.Course) *string { return &c.Ref },
	Version: func(c *isms.Course) *int { return &c.Version },
	Columns: []Column[isms.Course]{
		Text("title", func(c *isms.Course) *string { return &c.Title }),
		Text("description", func(c *isms.Course) *string { return &c.Description }),
		Text("audience", func(c *isms.Course) *string { return &c.Audience }),
		Text("audience_value", func(c *isms.Course) *string { return &c.AudienceValue }),
		Int("recurrence_months", func(c *isms.Course) *int { return &c.RecurrenceMonths }),
		textList("controls", func(c *isms.Course) *[]string { return &c.Controls }),
		Time("created_at", func(c *isms.Course) *time.Time { return &c.CreatedAt }).InsertOnly(),
		Time("updated_at", func(c *isms.Course) *time.Time { return &c.UpdatedAt }),
	},
	Refs: []Reference[isms.Course]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(c *isms.Course) *string { return &c.OwnerID },
		Ref:  func(c *isms.Course) *string { return &c.Owner },
		Name: func(c *isms.Course) *string { return &c.OwnerName }}},
	ListColumns: []ListColumn[isms.Course]{
		{Header: "ref", Value: func(c *isms.Course) string { return c.Ref }},
		{Header: "title", Width: 40, Value: func(c *isms.Course) string { return c.Title }},
		{Header: "audience", Width: 24, Value: func(c *isms.Course) string { return c.AudienceText() }},
		{Header: "every", Value: func(c *isms.Course) string { return c.Every() }},
		{Header: "owner", Value: func(c *isms.Course) string { return c.OwnerName }},
		{Header: "controls", Value: func(c *isms.Course) string { return strings.Join(c.Controls, ", ") }},
	},
	Filters: []Filter[CourseFilter]{
		{Name: "audience", Kind: FilterEnum, Values: isms.CourseAudiences, Cond: "co.audience = ?", Doc: "only this audience",
			Field: func(f *CourseFilter) *string { return &f.Audience }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *CourseFilter) *string { return &f.Owner }},
	},
	Sorts:     []Sort{{"ref", "co.ref"}, {"title", "lower(co.title)"}, {"owner", "COALESCE(lower(p.name), '')"}},
	Search:    []string{"lower(co.title)", "lower(co.ref)", "lower(co.description)"},
	SearchDoc: "reference, title or description contains",
	SearchOf:  func(f *CourseFilter) *string { return &f.Search },
	SortOf:    func(f *CourseFilter) *string { return &f.Sort },
}

// CourseFilter narrows the course list; Courses.Filters declares each field.
type CourseFilter struct {
	Search   string
	Audience string
	Owner    string // person ref
	Sort     string // ref (default), title or owner; "-" prefix for descending
}

// TrainingRecords is the register of who took which course when, declared once.
var TrainingRecords = &Register[isms.TrainingRecord, TrainingFilter]{
	Entity: "training record", Table: "training_records", Alias: "tr",
	ID:      func(r *isms.TrainingRecord) *string { return &r.ID },
	Ref:     func(r *isms.TrainingRecord) *string { return &r.Ref },
	Version: func(r *isms.TrainingRecord) *int { return &r.Version },
	Columns: []Column[isms.TrainingRecord]{
		Text("completed_on", func(r *isms.TrainingRecord) *string { return &r.CompletedOn }),
		Text("result", func(r *isms.TrainingRecord) *string { return &r.Result }),
		Text("notes", func(r *isms.TrainingRecord) *string { return &r.Notes }),
		Time("created_at", func(r *isms.TrainingRecord) *time.Time { return &r.CreatedAt }).InsertOnly(),
		Time("updated_at", func(r *isms.TrainingRecord) *time.Time { return &r.UpdatedAt }),
		JoinedInt("co.recurrence_months", func(r *isms.TrainingRecord) *int { return &r.Months }),
	},
	Refs: []Reference[isms.TrainingRecord]{
		{Column: "course_id", Target: CourseLookup, Alias: "co",
			ID:   func(r *isms.TrainingRecord) *string { return &r.CourseID },
			Ref:  func(r *isms.TrainingRecord) *string { return &r.Course },
			Name: func(r *isms.TrainingRecord) *string { return &r.CourseTitle }},
		{Column: "person_id", Target: PeopleLookup, Alias: "pe",
			ID:   func(r *isms.TrainingRecord) *string { return &r.PersonID },
			Ref:  func(r *isms.TrainingRecord) *string { return &r.Person },
			Name: func(r *isms.TrainingRecord) *string { return &r.PersonName }},
		{Column: "evidence_id", Target: EvidenceLookup, Alias: "ev",
			ID:   func(r *isms.TrainingRecord) *string { return &r.EvidenceID },
			Ref:  func(r *isms.TrainingRecord) *string { return &r.Evidence },
			Name: func(r *isms.TrainingRecord) *string { return &r.EvidenceTitle }},
	},
	ListColumns: []ListColumn[isms.TrainingRecord]{
		{Header: "ref", Value: func(r *isms.TrainingRecord) string { return r.Ref }},
		{Header: "course", Width: 30, Value: func(r *isms.TrainingRecord) string { return r.Course + " " + r.CourseTitle }},
		{Header: "person", Width: 24, Value: func(r *isms.TrainingRecord) string { return r.Person + " " + r.PersonName }},
		{Header: "completed_on", Value: func(r *isms.TrainingRecord) string { return r.CompletedOn }},
		{Header: "result", Value: func(r *isms.TrainingRecord) string { return r.Result }},
		{Header: "expires_on", Value: func(r *isms.TrainingRecord) string { return r.ExpiresOn() }},
		{Header: "evidence", Value: func(r *isms.TrainingRecord) string { return r.Evidence }},
	},
	Filters: []Filter[TrainingFilter]{
		{Name: "course", Kind: FilterRef, Cond: "co.ref = ?", Doc: "only this course (reference, C-001)",
			Field: func(f *TrainingFilter) *string { return &f.Course }},
		{Name: "person", Kind: FilterRef, Cond: "pe.ref = ?", Doc: "only this person (reference, P-001)",
			Field: func(f *TrainingFilter) *string { return &f.Person }},
		{Name: "team", Kind: FilterText, Cond: "pe.team = ?", Doc: "only people of this team",
			Field: func(f *TrainingFilter) *string { return &f.Team }},
		{Name: "result", Kind: FilterEnum, Values: isms.TrainingResults, Cond: "tr.result = ?", Doc: "only this result",
			Field: func(f *TrainingFilter) *string { return &f.Result }},
		{Name: "status", Kind: FilterEnum, Values: isms.RecordStatuses, Doc: "only records that stand so today: current, due-soon, expired or failed",
			Where: func(f *TrainingFilter, v string) (string, []any) {
				return recordStatusSQL("tr.result", "tr.completed_on", "co.recurrence_months", f.Today) + " = ?", []any{v}
			},
			Field: func(f *TrainingFilter) *string { return &f.Status }},
	},
	Sorts: []Sort{{"ref", "tr.ref"}, {"completed_on", "tr.completed_on"}, {"person", "COALESCE(lower(pe.name), '')"},
		{"course", "COALESCE(co.ref, '')"}},
	Search:    []string{"lower(tr.ref)", "lower(tr.notes)", "COALESCE(lower(pe.name), '')", "COALESCE(lower(co.title), '')"},
	SearchDoc: "reference, notes, person's name or course title contains",
	SearchOf:  func(f *TrainingFilter) *string { return &f.Search },
	SortOf:    func(f *TrainingFilter) *string { return &f.Sort },
}

// TrainingFilter narrows the training records; TrainingRecords.Filters declares each field.
type TrainingFilter struct {
	Search string
	Course string // course ref
	Person string // person ref
	Team   string
	Result string
	Status string // one of isms.RecordStatuses, judged on Today
	Today  string // YYYY-MM-DD, set by the service
	Sort   string // ref (default), completed_on, person or course; "-" prefix for descending
}

// windowsSQL is the TrainingWindows of today as an inline table w(m, expired, soon). The days come from
// isms.TrainingWindows (dates formatted by Go, never user input), so the SQL judges by the one rule.
func windowsSQL(today string) string {
	var rows []string
	for _, w := range isms.TrainingWindows(today) {
		rows = append(rows, fmt.Sprintf("(%d, '%s', '%s')", w.Months, w.Expired, w.Soon))
	}
	return "(VALUES " + strings.Join(rows, ", ") + ")"
}

// statusSQL is isms.TrainingStatus in SQL over a last completion day last (NULL: never) and a recurrence
// months, judged on today; expired names the status of a completion that has run out.
func statusSQL(last, months, today, expired string) string {
	window := func(col int) string {
		return fmt.Sprintf("(SELECT w.column%d FROM %s w WHERE w.column1 = %s)", col, windowsSQL(today), months)
	}
	return fmt.Sprintf("CASE WHEN %[1]s IS NULL OR %[1]s = '' THEN 'never' WHEN %[2]s = 0 THEN 'current' "+
		"WHEN %[1]s <= %[3]s THEN '%[5]s' WHEN %[1]s <= %[4]s THEN 'due-soon' ELSE 'current' END", last, months, window(2), window(3), expired)
}

// recordStatusSQL is isms.TrainingRecord.Status in SQL.
func recordStatusSQL(result, completed, months, today string) string {
	return "CASE WHEN " + result + " = 'failed' THEN 'failed' ELSE " + statusSQL(completed, months, today, "expired") + " END"
}

// attendanceSQL is the inline table of who must take which course and where they stand on today: every
// course of the organisation ($1) with every person in its audience who has not left by today ($2), their last
// completed or passed training of it (done, empty for never) and their status.
func attendanceSQL() string {
	return `(SELECT c.id AS course_id, c.ref AS course_ref, c.title AS course_title, c.recurrence_months AS months,
		pe.id AS person_id, pe.ref AS person_ref, pe.name AS person_name, pe.team AS team, COALESCE(l.done, '') AS done
	FROM courses c
	JOIN people pe ON pe.org_id = c.org_id AND (pe.end_date = '' OR pe.end_date >= $2)
		AND (c.audience = 'all' OR (c.audience = 'team' AND pe.team = c.audience_value)
			OR (c.audience = 'role' AND lower(pe.job_title) LIKE '%' || lower(c.audience_value) || '%'))
	LEFT JOIN (SELECT course_id, person_id, MAX(completed_on) AS done FROM training_records
		WHERE org_id = $1 AND result IN ('completed', 'passed') GROUP BY course_id, person_id) l
		ON l.course_id = c.id AND l.person_id = pe.id
	WHERE c.org_id = $1)`
}

// Attendance is where one person stands on one course.
type Attendance struct {
	Course      string `json:"course"` // reference
	CourseTitle string `json:"course_title"`
	Person      string `json:"person"` // reference
	PersonName  string `json:"person_name"`
	Team        string `json:"team"`
	LastDone    string `json:"last_completed"` // YYYY-MM-DD, "" for never
	ExpiresOn   string `json:"expires_on"`
	Status      string `json:"status"` // one of isms.TrainingStatuses
}

// AttendanceFilter narrows the attendance list.
type AttendanceFilter struct {
	Course   string   // course ref
	Team     string   // only people of this team
	Statuses []string // only these statuses (none: all)
}

// TrainingCounts counts the people of an audience by status.
type TrainingCounts struct {
	Key      string `json:"key"`   // course ref or team
	Title    string `json:"title"` // course title ("" for a team)
	Current  int    `json:"current"`
	DueSoon  int    `json:"due_soon"`
	Overdue  int    `json:"overdue"`
	Never    int    `json:"never"`
	Audience int    `json:"audience"`
	Percent  int    `json:"percent"` // current and due soon, of the audience, rounded down
}

func (c *TrainingCounts) add(status string, n int) {
	switch status {
	case "current":
		c.Current += n
	case "due-soon":
		c.DueSoon += n
	case "overdue":
		c.Overdue += n
	default:
		c.Never += n
	}
	c.Audience += n
	c.Percent = (c.Current + c.DueSoon) * 100 / c.Audience
}

// attendanceQuery is the FROM and WHERE of the attendance rows f selects on today, with its arguments and the
// status expression.
func attendanceQuery(orgID, today string, f AttendanceFilter) (from string, args []any, status string) {
	status = statusSQL("a.done", "a.months", today, "overdue")
	args = []any{orgID, today}
	conds := []string{"1 = 1"}
	if f.Course != "" {
		args = append(args, f.Course)
		conds = append(conds, fmt.Sprintf("a.course_ref = $%d", len(args)))
	}
	if f.Team != "" {
		args = append(args, f.Team)
		conds = append(conds, fmt.Sprintf("a.team = $%d", len(args)))
	}
	if len(f.Statuses) > 0 {
		var ph []string
		for _, s := range f.Statuses {
			args = append(args, s)
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
		}
		conds = append(conds, status+" IN ("+strings.Join(ph, ", ")+")")
	}
	return " FROM " + attendanceSQL() + " a WHERE " + strings.Join(conds, " AND "), args, status
}

// CountAttendance counts the attendance rows f selects on today, with one query.
func (tx *Tx) CountAttendance(ctx context.Context, orgID, today string, f AttendanceFilter) (int, error) {
	from, args, _ := attendanceQuery(orgID, today, f)
	var n int
	if err := tx.tx.QueryRowContext(ctx, "SELECT COUNT(*)"+from, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count attendance: %w", err)
	}
	return n, nil
}

// TrainingAttendance is one page of who must take which course and where they stand on today, by course and
// person's name, with the total; one query for the page and one for the count.
func (tx *Tx) TrainingAttendance(ctx context.Context, orgID, today string, f AttendanceFilter, p Page) (List[Attendance], error) {
	p = p.Normalise()
	out := List[Attendance]{Items: []Attendance{}, Limit: p.Limit, Offset: p.Offset}
	var err error
	if out.Total, err = tx.CountAttendance(ctx, orgID, today, f); err != nil {
		return out, err
	}
	from, args, status := attendanceQuery(orgID, today, f)
	q := "SELECT a.course_ref, a.course_title, a.months, a.person_ref, a.person_name, a.team, a.done, " + status + from +
		fmt.Sprintf(" ORDER BY a.course_ref, lower(a.person_name), a.person_id LIMIT %d OFFSET %d", p.Limit, p.Offset)
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return out, fmt.Errorf("read attendance: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Attendance
		var months int
		if err := rows.Scan(&a.Course, &a.CourseTitle, &months, &a.Person, &a.PersonName, &a.Team, &a.LastDone, &a.Status); err != nil {
			return out, err
		}
		a.ExpiresOn = isms.TrainingExpiry(a.LastDone, months)
		out.Items = append(out.Items, a)
	}
	return out, rows.Err()
}

// TrainingCompletion counts where the people of each audience stand on today, grouped by course (by = "course",
// in reference order) or by team within one course (by = "team", course given; in team order), with one query.
func (tx *Tx) TrainingCompletion(ctx context.Context, orgID, today, by, course string) ([]TrainingCounts, error) {
	status := statusSQL("a.done", "a.months", today, "overdue")
	args := []any{orgID, today}
	key, title, where := "a.course_ref", "a.course_title", ""
	if by == "team" {
		key, title = "a.team", "''"
	}
	if course != "" {
		args = append(args, course)
		where = " WHERE a.course_ref = $3"
	}
	q := "SELECT k, t, s, COUNT(*) FROM (SELECT " + key + " AS k, " + title + " AS t, " + status + " AS s FROM " + attendanceSQL() + " a" + where +
		") x GROUP BY k, t, s ORDER BY k, s"
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count completion: %w", err)
	}
	defer rows.Close()
	out := []TrainingCounts{}
	for rows.Next() {
		var k, t, s string
		var n int
		if err := rows.Scan(&k, &t, &s, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Key != k {
			out = append(out, TrainingCounts{Key: k, Title: t})
		}
		out[len(out)-1].add(s, n)
	}
	return out, rows.Err()
}
