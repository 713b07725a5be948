package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// SupportCounts is the state of clause 7 and the people controls: staff and their screening and terms (current
// staff only), leavers and their access, and the documents and their reviews.
type SupportCounts struct {
	Staff, NotScreened, NoTerms int
	Leavers, OpenAccess         int
	InForce, Overdue, Drafts    int    // documents in force, in force past their review date, never approved
	FirstOverdue, FirstDraft    string // refs, for a finding about a single one
}

// SupportCounts reads the counts on at (whose day is today) in one statement; the leaver conditions are the
// people filter's and the overdue condition the documents filter's.
func (tx *Tx) SupportCounts(ctx context.Context, orgID string, at time.Time) (SupportCounts, error) {
	var c SupportCounts
	left := strings.ReplaceAll(leftCond, "?", "$2")
	const overdue = "FROM documents WHERE org_id = $1 AND approved_version > 0 AND status <> 'retired' AND next_review <> '' AND next_review < substr($2, 1, 10)"
	const drafts = "FROM documents WHERE org_id = $1 AND approved_version = 0 AND status <> 'retired'"
	err := tx.tx.QueryRowContext(ctx, `SELECT g.staff, g.not_screened, g.no_terms, g.leavers,
		(SELECT COUNT(*) FROM (`+leaversSelect("")+`) l),
		(SELECT COUNT(*) FROM documents WHERE org_id = $1 AND approved_version > 0 AND status <> 'retired'),
		(SELECT COUNT(*) `+overdue+`), (SELECT COUNT(*) `+drafts+`),
		(SELECT COALESCE(MIN(ref), '') `+overdue+`), (SELECT COALESCE(MIN(ref), '') `+drafts+`)
		FROM (SELECT COALESCE(SUM(CASE WHEN `+left+` THEN 0 ELSE 1 END), 0) AS staff,
			COALESCE(SUM(CASE WHEN `+left+` OR pp.screened_on <> '' THEN 0 ELSE 1 END), 0) AS not_screened,
			COALESCE(SUM(CASE WHEN `+left+` OR pp.terms_signed_on <> '' THEN 0 ELSE 1 END), 0) AS no_terms,
			COALESCE(SUM(CASE WHEN `+left+` THEN 1 ELSE 0 END), 0) AS leavers
			FROM people pp WHERE pp.org_id = $1) g`, orgID, ts(at)).
		Scan(&c.Staff, &c.NotScreened, &c.NoTerms, &c.Leavers, &c.OpenAccess, &c.InForce, &c.Overdue, &c.Drafts, &c.FirstOverdue, &c.FirstDraft)
	if err != nil {
		return c, fmt.Errorf("count staff and documents: %w", err)
	}
	return c, nil
}

// TrainingReach is how far a kind of course reaches: how many courses, how many people must take at least one,
// and how many of those are current (or due soon) on every one they must take.
type TrainingReach struct {
	Courses, People, Current int
}

// TrainingReach reads, on today, the reach of the courses for all staff (awareness) and of the others (role and
// team courses): one query over the attendance table and one count of the courses.
func (tx *Tx) TrainingReach(ctx context.Context, orgID, today string) (awareness, other TrainingReach, err error) {
	status := statusSQL("a.done", "a.months", today, "overdue")
	rows, err := tx.tx.QueryContext(ctx, `SELECT aw, COUNT(*), SUM(ok) FROM (SELECT CASE WHEN c.audience = 'all' THEN 1 ELSE 0 END AS aw, a.person_id,
			MIN(CASE WHEN `+status+` IN ('current', 'due-soon') THEN 1 ELSE 0 END) AS ok
			FROM `+attendanceSQL()+` a JOIN courses c ON c.id = a.course_id GROUP BY CASE WHEN c.audience = 'all' THEN 1 ELSE 0 END, a.person_id) p
		GROUP BY aw`, orgID, today)
	if err != nil {
		return awareness, other, fmt.Errorf("count training reach: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aw int
		var r TrainingReach
		if err := rows.Scan(&aw, &r.People, &r.Current); err != nil {
			return awareness, other, err
		}
		if aw == 1 {
			awareness = r
		} else {
			other = r
		}
	}
	if err := rows.Err(); err != nil {
		return awareness, other, err
	}
	// A course with nobody in its audience still counts as a course.
	err = tx.tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN audience = 'all' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN audience = 'all' THEN 0 ELSE 1 END), 0) FROM courses WHERE org_id = $1`, orgID).Scan(&awareness.Courses, &other.Courses)
	return awareness, other, err
}
