package store

import "context"

// RiskFacts are what the checks of clauses 6.1.2, 6.1.3, 8.2 and 8.3 count. A ref field names the record of
// its count when the count is one (it is read only then), for the message.
type RiskFacts struct {
	Methodologies       int // documents in use that serve clause 6.1.2
	MethodologyApproved int // of those, with a version in force
	MethodologyPending  int // the methodology document drafted from the risk method, changed since its approval

	Risks      int
	Unowned    int
	UnownedRef string
	Stale      int // neither reassessed nor changed since the day given
	StaleRef   string

	Above        int // current score above the acceptance threshold
	Untreated    int // of those, to be modified but with neither a residual assessment, a control nor an action
	UntreatedRef string
	// SettledAbove counts the risks above the threshold whose current risk is the one that stays: residual
	// risk assessed, or retained as it is; NotAccepted those of them the risk owner has not accepted.
	SettledAbove   int
	NotAccepted    int
	NotAcceptedRef string

	Excluded        int // risks treated by a control the SoA marks not applicable
	ExcludedRef     string
	ExcludedControl string

	OpenActions    int
	OverdueActions int // isms.TreatmentAction.Overdue
	OverdueRef     string
}

// The conditions of the risks above the threshold (alias r), as the index risks_checks (migration 00030) serves
// them: the current score's range, then the treatment and acceptance read from the index.
const (
	riskAbove       = currentScore + " > $2"
	riskSettled     = "(r.residual_score > 0 OR r.treatment = 'retain')"
	riskNotAccepted = riskSettled + " AND r.accepted_at IS NULL"
	riskUntreated   = `r.treatment = 'modify' AND r.residual_score = 0 AND NOT EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.risk_id = r.id)
		AND NOT EXISTS (SELECT 1 FROM treatment_actions a WHERE a.risk_id = r.id)`
	openActionOverdue = "org_id = $1 AND status IN ('planned', 'in-progress') AND due <> '' AND due < $2"
)

// RiskFacts reads the risk checks' counts from indexes, whatever the size of the register: threshold is the
// acceptance threshold, since the YYYY-MM-DD day before which a risk not changed since is stale. The excluded
// controls are joined to the risks' controls with CROSS JOIN, which keeps SQLite to that order (the few
// excluded controls first) instead of reading every risk's controls.
func (tx *Tx) RiskFacts(ctx context.Context, orgID, today, since string, threshold int) (RiskFacts, error) {
	var f RiskFacts
	err := tx.tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND `+servesClause("'6.1.2'")+`),
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND d.approved_version > 0 AND `+servesClause("'6.1.2'")+`),
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND d.template = 'risk-methodology'
			AND d.approved_version > 0 AND d.latest_version <> d.approved_version),
		(SELECT COUNT(*) FROM risks WHERE org_id = $1),
		(SELECT COUNT(*) FROM risks WHERE org_id = $1 AND owner_id IS NULL),
		(SELECT COUNT(*) FROM risks WHERE org_id = $1 AND updated_at < $3),
		(SELECT COUNT(*) FROM treatment_actions WHERE org_id = $1 AND status IN ('planned', 'in-progress')),
		(SELECT COUNT(*) FROM treatment_actions WHERE `+openActionOverdue+`),
		(SELECT COUNT(DISTINCT rc.risk_id) FROM soa_entries s CROSS JOIN risk_controls rc
			WHERE s.org_id = $1 AND s.applicable = 0 AND rc.control_id = s.control_id AND rc.org_id = $1),
		(SELECT COALESCE(MIN(r.ref), '') FROM soa_entries s CROSS JOIN risk_controls rc CROSS JOIN risks r
			WHERE s.org_id = $1 AND s.applicable = 0 AND rc.control_id = s.control_id AND rc.org_id = $1 AND r.id = rc.risk_id),
		(SELECT COALESCE(MIN(s.control_id), '') FROM soa_entries s WHERE s.org_id = $1 AND s.applicable = 0
			AND EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.control_id = s.control_id AND rc.org_id = $1))`,
		orgID, today, since).Scan(&f.Methodologies, &f.MethodologyApproved, &f.MethodologyPending,
		&f.Risks, &f.Unowned, &f.Stale, &f.OpenActions, &f.OverdueActions, &f.Excluded, &f.ExcludedRef, &f.ExcludedControl)
	if err != nil {
		return f, err
	}
	count := func(cond string) string { return "COALESCE(SUM(CASE WHEN " + cond + " THEN 1 ELSE 0 END), 0)" }
	err = tx.tx.QueryRowContext(ctx, `SELECT COUNT(*), `+count(riskUntreated)+`, `+count(riskSettled)+`, `+count(riskNotAccepted)+`
		FROM risks r WHERE r.org_id = $1 AND `+riskAbove, orgID, threshold).
		Scan(&f.Above, &f.Untreated, &f.SettledAbove, &f.NotAccepted)
	if err != nil {
		return f, err
	}
	// The record of a count of one, each read only then.
	for _, q := range []struct {
		count int
		ref   *string
		query string
		arg   any
	}{
		{f.Unowned, &f.UnownedRef, "SELECT MIN(ref) FROM risks WHERE org_id = $1 AND owner_id IS NULL", nil},
		{f.Stale, &f.StaleRef, "SELECT MIN(ref) FROM risks WHERE org_id = $1 AND updated_at < $2", since},
		{f.Untreated, &f.UntreatedRef, "SELECT MIN(r.ref) FROM risks r WHERE r.org_id = $1 AND " + riskAbove + " AND " + riskUntreated, threshold},
		{f.NotAccepted, &f.NotAcceptedRef, "SELECT MIN(r.ref) FROM risks r WHERE r.org_id = $1 AND " + riskAbove + " AND " + riskNotAccepted, threshold},
		{f.OverdueActions, &f.OverdueRef, "SELECT MIN(ref) FROM treatment_actions WHERE " + openActionOverdue, today},
	} {
		if q.count != 1 {
			continue
		}
		args := []any{orgID}
		if q.arg != nil {
			args = append(args, q.arg)
		}
		if err := tx.tx.QueryRowContext(ctx, q.query, args...).Scan(q.ref); err != nil {
			return f, err
		}
	}
	return f, nil
}
