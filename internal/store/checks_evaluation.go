package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

// What the lint and readiness checks of clauses 9 and 10 read: each figure comes with the smallest reference it
// counts, so that a finding about one record can name it. One aggregate query per register.

// Counted is how many rows a condition holds for, and the smallest reference among them ("" when none).
type Counted struct {
	N     int
	First string
}

// scanCounted is the scan destinations of counts with their references, and what fills them in after the scan.
func scanCounted(cs ...*Counted) ([]any, func()) {
	var dest []any
	refs := make([]*sql.NullString, len(cs))
	for i, c := range cs {
		refs[i] = new(sql.NullString)
		dest = append(dest, &c.N, refs[i])
	}
	return dest, func() {
		for i, c := range cs {
			c.First = refs[i].String
		}
	}
}

// countRef is the two select expressions of a Counted: the rows where cond holds, and the smallest ref of
// them (alias.ref).
func countRef(alias, cond string) string {
	return "COALESCE(SUM(CASE WHEN " + cond + " THEN 1 ELSE 0 END), 0), MIN(CASE WHEN " + cond + " THEN " + alias + ".ref END)"
}

// AuditFacts are the internal audits as the checks see them.
type AuditFacts struct {
	CompletedSince Counted // audits completed after the day given (the last twelve months)
	LastCompleted  string  // the day the latest completed audit ended; "" none
	Late           Counted // audits still planned whose planned start has passed
}

// EvaluationAudits reads the audit facts on day today, counting completed audits that ended after since.
func (tx *Tx) EvaluationAudits(ctx context.Context, orgID, today, since string) (AuditFacts, error) {
	var f AuditFacts
	dest, done := scanCounted(&f.CompletedSince, &f.Late)
	dest = append(dest, &f.LastCompleted)
	err := tx.tx.QueryRowContext(ctx, `SELECT `+countRef("au", "au.status = 'completed' AND au.actual_end > $3")+`,
		`+countRef("au", "au.status = 'planned' AND au.planned_start <> '' AND au.planned_start < $2")+`,
		COALESCE(MAX(CASE WHEN au.status = 'completed' THEN au.actual_end END), '')
		FROM audits au WHERE au.org_id = $1`, orgID, today, since).Scan(dest...)
	done()
	if err != nil {
		return f, fmt.Errorf("read audit facts: %w", err)
	}
	return f, nil
}

// ReviewFacts are the management reviews and their actions as the checks see them.
type ReviewFacts struct {
	Latest   *isms.Review // the latest review held (inputs and notes), nil when none
	Upcoming int          // reviews planned for today or later
	Open     int          // review actions open or in progress
	Overdue  Counted      // of those, the ones overdue (isms.ReviewAction.Overdue)
	// OverdueReview is the review of the overdue actions when they all come from one ("" otherwise).
	OverdueReview string
}

// ReviewActionOverdueSQL is isms.ReviewAction.Overdue in SQL (alias ra; $2 is today).
const ReviewActionOverdueSQL = "ra.due <> '' AND ra.due < $2 AND ra.status IN ('open', 'in-progress')"

// EvaluationReviews reads the latest held review (one row), the planned ones and the actions (one aggregate).
func (tx *Tx) EvaluationReviews(ctx context.Context, orgID, today string) (ReviewFacts, error) {
	var f ReviewFacts
	var id string
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM management_reviews WHERE org_id = $1 AND status = 'held'
		ORDER BY held_on DESC, ref DESC LIMIT 1`, orgID).Scan(&id)
	switch {
	case err == nil:
		latest, err := Reviews.Get(ctx, tx, orgID, id)
		if err != nil {
			return f, err
		}
		f.Latest = &latest
	case err != sql.ErrNoRows:
		return f, fmt.Errorf("read the latest review: %w", err)
	}
	dest, done := scanCounted(&f.Overdue)
	var minReview, maxReview sql.NullString
	dest = append(dest, &f.Open, &minReview, &maxReview, &f.Upcoming)
	err = tx.tx.QueryRowContext(ctx, `SELECT `+countRef("ra", ReviewActionOverdueSQL)+`,
		COALESCE(SUM(CASE WHEN ra.status IN ('open', 'in-progress') THEN 1 ELSE 0 END), 0),
		MIN(CASE WHEN `+ReviewActionOverdueSQL+` THEN mr.ref END), MAX(CASE WHEN `+ReviewActionOverdueSQL+` THEN mr.ref END),
		(SELECT COUNT(*) FROM management_reviews up WHERE up.org_id = $1 AND up.status = 'planned' AND up.planned_on >= $2)
		FROM review_actions ra JOIN management_reviews mr ON mr.id = ra.review_id AND mr.org_id = ra.org_id
		WHERE ra.org_id = $1`, orgID, today).Scan(dest...)
	done()
	if err != nil {
		return f, fmt.Errorf("read review facts: %w", err)
	}
	if minReview.String == maxReview.String {
		f.OverdueReview = minReview.String
	}
	return f, nil
}

// MetricFacts are the metrics as the checks see them.
type MetricFacts struct {
	All     int
	Late    Counted // next measurement late today (the register's late_on filter)
	NoOwner Counted
}

// EvaluationMetrics reads the metric facts on day today with one aggregate.
func (tx *Tx) EvaluationMetrics(ctx context.Context, orgID, today string) (MetricFacts, error) {
	var f MetricFacts
	dest, done := scanCounted(&f.Late, &f.NoOwner)
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*), `+countRef("mt", "mt.next_due < $2")+`, `+countRef("mt", "mt.owner_id IS NULL")+`
		FROM metrics mt WHERE mt.org_id = $1`, orgID, today).Scan(append([]any{&f.All}, dest...)...)
	done()
	if err != nil {
		return f, fmt.Errorf("read metric facts: %w", err)
	}
	return f, nil
}

// ImprovementFacts are the nonconformities (from any source, certification audits included) and the corrective
// actions as the checks see them.
type ImprovementFacts struct {
	OpenNC       int     // nonconformities open
	NoCorrective Counted // of those, the ones without any corrective action
	MajorOpen    Counted // major nonconformities open
	ClosedNC     int     // nonconformities closed
	Unchecked    Counted // of those, the ones no corrective action was found effective for
	Corrective   int     // corrective actions not closed
	Overdue      Counted // of those, the ones overdue (CorrectiveOverdueSQL)
}

// EvaluationImprovement reads the nonconformities and the corrective actions on day today: one aggregate each.
func (tx *Tx) EvaluationImprovement(ctx context.Context, orgID, today string) (ImprovementFacts, error) {
	var f ImprovementFacts
	hasAction := "EXISTS (SELECT 1 FROM corrective_actions ca WHERE ca.org_id = fi.org_id AND ca.finding_id = fi.id"
	dest, done := scanCounted(&f.NoCorrective, &f.MajorOpen, &f.Unchecked)
	err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN fi.status <> 'closed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN fi.status = 'closed' THEN 1 ELSE 0 END), 0),
		`+countRef("fi", "fi.status <> 'closed' AND NOT "+hasAction+")")+`,
		`+countRef("fi", "fi.status <> 'closed' AND fi.grade = 'major-nc'")+`,
		`+countRef("fi", "fi.status = 'closed' AND NOT "+hasAction+" AND ca.check_result = 'effective')")+`
		FROM findings fi WHERE fi.org_id = $1 AND fi.grade IN ('major-nc', 'minor-nc')`, orgID).
		Scan(append([]any{&f.OpenNC, &f.ClosedNC}, dest...)...)
	done()
	if err != nil {
		return f, fmt.Errorf("read nonconformity facts: %w", err)
	}
	dest, done = scanCounted(&f.Overdue)
	err = tx.tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN ca.status <> 'closed' THEN 1 ELSE 0 END), 0),
		`+countRef("ca", strings.Replace(CorrectiveOverdueSQL, "?", "$2", 1))+`
		FROM corrective_actions ca WHERE ca.org_id = $1`, orgID, today).Scan(append([]any{&f.Corrective}, dest...)...)
	done()
	if err != nil {
		return f, fmt.Errorf("read corrective action facts: %w", err)
	}
	return f, nil
}
