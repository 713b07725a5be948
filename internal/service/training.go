package service

import (
	"context"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Training and awareness (6.3, 7.2, 7.3): courses, training records, and who in each course's audience is
// current, due soon, overdue or never trained, counted in SQL.

type (
	// CourseFilter narrows the course list.
	CourseFilter = store.CourseFilter
	// TrainingFilter narrows the training records.
	TrainingFilter = store.TrainingFilter
	// AttendanceFilter narrows the list of who stands where on which course.
	AttendanceFilter = store.AttendanceFilter
	// Attendance is where one person stands on one course.
	Attendance = store.Attendance
	// TrainingCounts counts the people of an audience by status.
	TrainingCounts = store.TrainingCounts
)

// CourseRegister and TrainingRegister are the declarations of the two registers.
var (
	CourseRegister   = store.Courses
	TrainingRegister = store.TrainingRecords
)

// CourseInput is the editable part of a course. Owner is a person's reference, name or email; Controls are
// Annex A control ids.
type CourseInput struct {
	Title            string   `json:"title" doc:"The course's title"`
	Description      string   `json:"description" doc:"What it covers"`
	Audience         string   `json:"audience" doc:"Who must take it: all (the default), team or role"`
	AudienceValue    string   `json:"audience_value" doc:"The team (audience team), or a word of the job title such as engineer (audience role)"`
	RecurrenceMonths int      `json:"recurrence_months" doc:"Taken again every so many months (12: yearly); 0 once"`
	Owner            string   `json:"owner" doc:"Who owns it: a person's reference, name or email"`
	Controls         []string `json:"controls" doc:"The Annex A controls it serves (6.3, 8.28)"`
	Version          int      `json:"version" doc:"The version read; required for a change"`
	Sent             Sent     `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *CourseInput) UnmarshalJSON(b []byte) error {
	type plain CourseInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// apply validates in and copies it onto c, the owner found among people.
func (in CourseInput) apply(s *Service, p *isms.Problems, people map[string]store.Target, c *isms.Course) {
	isms.CheckText(p, "title", in.Title, 200)
	audience := strings.ToLower(strings.TrimSpace(in.Audience))
	if audience == "" {
		audience = "all"
	}
	value := strings.TrimSpace(in.AudienceValue)
	switch {
	case !isms.OneOf(audience, isms.CourseAudiences):
		p.Add("audience", "must be one of %s", strings.Join(isms.CourseAudiences, ", "))
	case audience == "all":
		value = ""
	case value == "":
		p.Add("audience_value", "is required for audience %s: name the %s", audience, map[string]string{"team": "team", "role": "word of the job title"}[audience])
	case strings.ContainsAny(value, "%_"):
		p.Add("audience_value", "must not contain %% or _")
	case len(value) > 100:
		p.Add("audience_value", "must be at most 100 characters")
	}
	if in.RecurrenceMonths < 0 || in.RecurrenceMonths > isms.MaxRecurrenceMonths {
		p.Add("recurrence_months", "must be between 0 (once) and %d", isms.MaxRecurrenceMonths)
	}
	checkLong(p, map[string]string{"description": in.Description})
	controls := []string{}
	for _, id := range in.Controls {
		id = strings.TrimPrefix(strings.TrimSpace(id), "A.")
		if id == "" {
			continue
		}
		ctl, ok := s.cat.Control(id)
		if !ok {
			p.Add("controls", "%s", s.notAControl(id))
			continue
		}
		if !isms.OneOf(ctl.ID, controls) {
			controls = append(controls, ctl.ID)
		}
	}
	owner := resolveTarget(p, "owner", in.Owner, people, "person")
	c.Title, c.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	c.Audience, c.AudienceValue, c.RecurrenceMonths, c.Controls = audience, value, in.RecurrenceMonths, controls
	c.OwnerID, c.Owner, c.OwnerName = owner.ID, owner.Ref, owner.Name
}

// ListCourses lists the training and awareness courses.
func (s *Service) ListCourses(ctx context.Context, f CourseFilter, p Page) (List[isms.Course], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Course], error) {
		return store.Courses.List(ctx, tx, a.OrgID, f, p)
	})
}

// Course returns one course by reference (C-001) or id.
func (s *Service) Course(ctx context.Context, ref string) (isms.Course, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Course, error) {
		return store.Courses.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddCourse records a course.
func (s *Service) AddCourse(ctx context.Context, in CourseInput) (isms.Course, error) {
	return s.writeCourse(ctx, "", in, false)
}

// UpdateCourse changes a course as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateCourse(ctx context.Context, ref string, in CourseInput) (isms.Course, error) {
	return s.writeCourse(ctx, ref, in, false)
}

// PatchCourse changes only the fields in.Sent names.
func (s *Service) PatchCourse(ctx context.Context, ref string, in CourseInput) (isms.Course, error) {
	return s.writeCourse(ctx, ref, in, true)
}

// DeleteCourse removes a course that has no training records: the records are the proof that people were
// trained, so they are never deleted as a side effect.
func (s *Service) DeleteCourse(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Courses, ref, func(tx *store.Tx, a Actor, c *isms.Course) error {
		l, err := store.TrainingRecords.List(ctx, tx, a.OrgID, TrainingFilter{Course: c.Ref}, Page{Limit: 1})
		if err != nil {
			return err
		}
		if l.Total > 0 {
			return isms.Conflict("course %s has %d training records: delete them first", c.Ref, l.Total)
		}
		return nil
	})
}

func (s *Service) writeCourse(ctx context.Context, ref string, in CourseInput, patch bool) (isms.Course, error) {
	return writeRow(ctx, s, store.Courses, "C", ref, in, in.Version, in.Sent, []string{"title"}, patch,
		func(tx *store.Tx, a Actor, in CourseInput, c *isms.Course) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(s, &p, people, c)
			s.stampTimes(&c.CreatedAt, &c.UpdatedAt, ref == "")
			return p.Err()
		})
}

// TrainingInput is the editable part of a training record: the course by reference or exact title, the person
// by reference, name or email, the certificate as a piece of evidence (E-001).
type TrainingInput struct {
	Course      string `json:"course" doc:"The course: its reference (C-001) or exact title"`
	Person      string `json:"person" doc:"Who took it: a person's reference, name or email"`
	CompletedOn string `json:"completed_on" doc:"The day it was completed, YYYY-MM-DD"`
	Result      string `json:"result" doc:"completed (the default), passed or failed"`
	Evidence    string `json:"evidence" doc:"The certificate: a piece of evidence's reference (E-001)"`
	Notes       string `json:"notes" doc:"Notes"`
	Version     int    `json:"version" doc:"The version read; required for a change"`
	Sent        Sent   `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *TrainingInput) UnmarshalJSON(b []byte) error {
	type plain TrainingInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// trainingFound are the rows a training record names, by lower-cased value.
type trainingFound struct{ courses, people, evidence map[string]store.Target }

// apply validates in and copies it onto r; today bounds the completion day.
func (in TrainingInput) apply(p *isms.Problems, found trainingFound, today string, r *isms.TrainingRecord) {
	if strings.TrimSpace(in.Course) == "" {
		p.Add("course", "is required")
	}
	if strings.TrimSpace(in.Person) == "" {
		p.Add("person", "is required")
	}
	course := resolveTarget(p, "course", in.Course, found.courses, "course")
	person := resolveTarget(p, "person", in.Person, found.people, "person")
	evidence := resolveTarget(p, "evidence", in.Evidence, found.evidence, "evidence")
	done := strings.TrimSpace(in.CompletedOn)
	if _, err := time.Parse(time.DateOnly, done); done == "" {
		p.Add("completed_on", "is required")
	} else if err != nil {
		p.Add("completed_on", "must be a date as YYYY-MM-DD")
	} else if done > today {
		p.Add("completed_on", "must not be in the future")
	}
	result := strings.ToLower(strings.TrimSpace(in.Result))
	if result == "" {
		result = "completed"
	}
	if !isms.OneOf(result, isms.TrainingResults) {
		p.Add("result", "must be one of %s", strings.Join(isms.TrainingResults, ", "))
	}
	checkLong(p, map[string]string{"notes": in.Notes})
	r.CourseID, r.Course, r.CourseTitle = course.ID, course.Ref, course.Name
	r.PersonID, r.Person, r.PersonName = person.ID, person.Ref, person.Name
	r.EvidenceID, r.Evidence, r.EvidenceTitle = evidence.ID, evidence.Ref, evidence.Name
	r.CompletedOn, r.Result, r.Notes = done, result, strings.TrimSpace(in.Notes)
}

// resolveTraining finds the course, person and evidence that inputs name, with one scoped query per kind.
func resolveTraining(ctx context.Context, tx *store.Tx, orgID string, courses, people, evidence []string) (trainingFound, error) {
	var f trainingFound
	var err error
	if f.courses, err = tx.Resolve(ctx, orgID, store.CourseLookup, courses); err != nil {
		return f, err
	}
	if f.people, err = tx.Resolve(ctx, orgID, store.PeopleLookup, people); err != nil {
		return f, err
	}
	f.evidence, err = tx.Resolve(ctx, orgID, store.EvidenceLookup, evidence)
	return f, err
}

// ListTraining lists the training records; the status filter is judged on today.
func (s *Service) ListTraining(ctx context.Context, f TrainingFilter, p Page) (List[isms.TrainingRecord], error) {
	f.Today = s.Today()
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.TrainingRecord], error) {
		return store.TrainingRecords.List(ctx, tx, a.OrgID, f, p)
	})
}

// TrainingRecord returns one training record by reference (TR-001) or id.
func (s *Service) TrainingRecord(ctx context.Context, ref string) (isms.TrainingRecord, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.TrainingRecord, error) {
		return store.TrainingRecords.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddTraining records that a person took a course.
func (s *Service) AddTraining(ctx context.Context, in TrainingInput) (isms.TrainingRecord, error) {
	return s.writeTraining(ctx, "", in, false)
}

// UpdateTraining changes a training record as a whole.
func (s *Service) UpdateTraining(ctx context.Context, ref string, in TrainingInput) (isms.TrainingRecord, error) {
	return s.writeTraining(ctx, ref, in, false)
}

// PatchTraining changes only the fields in.Sent names.
func (s *Service) PatchTraining(ctx context.Context, ref string, in TrainingInput) (isms.TrainingRecord, error) {
	return s.writeTraining(ctx, ref, in, true)
}

// DeleteTraining removes a training record.
func (s *Service) DeleteTraining(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.TrainingRecords, ref, nil)
}

func (s *Service) writeTraining(ctx context.Context, ref string, in TrainingInput, patch bool) (isms.TrainingRecord, error) {
	today := s.Today()
	r, err := writeRow(ctx, s, store.TrainingRecords, "TR", ref, in, in.Version, in.Sent, []string{"course", "person", "completed_on"}, patch,
		func(tx *store.Tx, a Actor, in TrainingInput, r *isms.TrainingRecord) error {
			found, err := resolveTraining(ctx, tx, a.OrgID, []string{in.Course}, []string{in.Person}, []string{in.Evidence})
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(&p, found, today, r)
			s.stampTimes(&r.CreatedAt, &r.UpdatedAt, ref == "")
			return p.Err()
		})
	if err != nil {
		return r, err
	}
	// The course's recurrence is read with the record: read it back for the expiry the caller shows.
	return s.TrainingRecord(ctx, r.Ref)
}

// TrainingAttendance lists who must take which course and where they stand today.
func (s *Service) TrainingAttendance(ctx context.Context, f AttendanceFilter, p Page) (List[Attendance], error) {
	if err := checkStatuses(f); err != nil {
		return List[Attendance]{Items: []Attendance{}}, err
	}
	today := s.Today()
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[Attendance], error) {
		return tx.TrainingAttendance(ctx, a.OrgID, today, f, p)
	})
}

// CountTrainingAttendance counts who TrainingAttendance would list, with one query (the dashboard's card).
func (s *Service) CountTrainingAttendance(ctx context.Context, f AttendanceFilter) (int, error) {
	if err := checkStatuses(f); err != nil {
		return 0, err
	}
	today := s.Today()
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (int, error) {
		return tx.CountAttendance(ctx, a.OrgID, today, f)
	})
}

func checkStatuses(f AttendanceFilter) error {
	for _, st := range f.Statuses {
		if !isms.OneOf(st, isms.TrainingStatuses) {
			return isms.Invalid(isms.FieldError{Field: "status", Message: "must be one of " + strings.Join(isms.TrainingStatuses, ", ")})
		}
	}
	return nil
}

// OverdueStatuses are the statuses of the people who need training now: expired or never trained.
var OverdueStatuses = []string{"overdue", "never"}

// CourseCompletion is where a course's audience stands today: the counts, and the counts by team.
type CourseCompletion struct {
	Course isms.Course      `json:"course"`
	Total  TrainingCounts   `json:"total"`
	Teams  []TrainingCounts `json:"teams" doc:"By team (key \"\" is people without a team)"`
}

// CourseCompletion counts where the people of a course's audience stand today, in all and by team.
func (s *Service) CourseCompletion(ctx context.Context, ref string) (CourseCompletion, error) {
	today := s.Today()
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (CourseCompletion, error) {
		var out CourseCompletion
		var err error
		if out.Course, err = store.Courses.Get(ctx, tx, a.OrgID, ref); err != nil {
			return out, err
		}
		out.Total = TrainingCounts{Key: out.Course.Ref, Title: out.Course.Title}
		if all, err := tx.TrainingCompletion(ctx, a.OrgID, today, "course", out.Course.Ref); err != nil {
			return out, err
		} else if len(all) == 1 {
			out.Total = all[0]
		}
		out.Teams, err = tx.TrainingCompletion(ctx, a.OrgID, today, "team", out.Course.Ref)
		return out, err
	})
}

// TrainingCompletion counts where each course's audience stands today, by course.
func (s *Service) TrainingCompletion(ctx context.Context) ([]TrainingCounts, error) {
	today := s.Today()
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]TrainingCounts, error) {
		return tx.TrainingCompletion(ctx, a.OrgID, today, "course", "")
	})
}

// TrainingView is a training record as the API and the CLI's JSON show it: the course and the person as
// reference and name, with the day it runs out and where it stands today.
type TrainingView struct {
	ID          string     `json:"id"`
	Ref         string     `json:"ref"`
	Course      CourseName `json:"course"`
	Person      PersonName `json:"person"`
	CompletedOn string     `json:"completed_on"`
	Result      string     `json:"result"`
	Evidence    string     `json:"evidence" doc:"The certificate: a piece of evidence's reference"`
	ExpiresOn   string     `json:"expires_on" doc:"The day it runs out; empty for a once course or a failed attempt"`
	Status      string     `json:"status" doc:"current, due-soon, expired or failed, today"`
	Notes       string     `json:"notes"`
	Version     int        `json:"version"`
}

// CourseName and PersonName name the course and the person of a training record.
type (
	CourseName struct {
		Ref   string `json:"ref"`
		Title string `json:"title"`
	}
	PersonName struct {
		Ref  string `json:"ref"`
		Name string `json:"name"`
	}
)

// ViewTraining is r as the API and the CLI show it on today.
func ViewTraining(r isms.TrainingRecord, today string) TrainingView {
	return TrainingView{ID: r.ID, Ref: r.Ref, Course: CourseName{r.Course, r.CourseTitle}, Person: PersonName{r.Person, r.PersonName},
		CompletedOn: r.CompletedOn, Result: r.Result, Evidence: r.Evidence, ExpiresOn: r.ExpiresOn(), Status: r.Status(today),
		Notes: r.Notes, Version: r.Version}
}
