package store

import "context"

// RiskFacts are what the checks of clauses 6.1.2, 6.1.3, 8.2 and 8.3 count. A ref field names one record of
// its count (the first by reference), for the message when the count is one.
type RiskFacts struct {
	Methodologies       int // documents in use that serve clause 6.1.2
	MethodologyApproved int // of those, with a version in force
	MethodologyPending  int // the methodology document drafted from the risk method, changed since its approval

	Risks        int
	Unowned      int
	UnownedRef   string
	Above        int // current score above the acceptance threshold
	Untreated    int // of those, to be modified but with neither a control nor an action
	UntreatedRef string
	// Settled counts the risks whose current risk is the one that stays: residual risk assessed, or retained
	// as it is; of those above the threshold, NotAccepted have no acceptance by the risk owner.
	SettledAbove   int
	NotAccepted    int
	NotAcceptedRef string
	Stale          int // no assessment since the day given
	StaleRef       string

	Excluded        int // risks treated by a control the SoA marks not applicable
	ExcludedRef     string
	ExcludedControl string

	OpenActions    int
	OverdueActions int // isms.TreatmentAction.Overdue
	OverdueRef     string
}

// RiskFacts reads the risk checks' counts: one pass over the risk register (threshold is the acceptance
// threshold, since a YYYY-MM-DD day before which an assessment is stale), one over the open treatment actions,
// and the methodology and SoA exclusions from their small tables.
func (tx *Tx) RiskFacts(ctx context.Context, orgID, today, since string, threshold int) (RiskFacts, error) {
	var f RiskFacts
	err := tx.tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND `+servesClause("'6.1.2'")+`),
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND d.approved_version > 0 AND `+servesClause("'6.1.2'")+`),
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND d.template = 'risk-methodology'
			AND d.approved_version > 0 AND d.latest_version <> d.approved_version),
		(SELECT COUNT(*) FROM treatment_actions WHERE org_id = $1 AND status IN ('planned', 'in-progress')),
		(SELECT COUNT(*) FROM treatment_actions WHERE org_id = $1 AND status IN ('planned', 'in-progress') AND due <> '' AND due < $2),
		(SELECT COALESCE(MIN(ref), '') FROM treatment_actions WHERE org_id = $1 AND status IN ('planned', 'in-progress') AND due <> '' AND due < $2),
		(SELECT COUNT(DISTINCT rc.risk_id) FROM soa_entries s JOIN risk_controls rc ON rc.control_id = s.control_id AND rc.org_id = $1
			WHERE s.org_id = $1 AND s.applicable = 0),
		(SELECT COALESCE(MIN(r.ref), '') FROM soa_entries s JOIN risk_controls rc ON rc.control_id = s.control_id AND rc.org_id = $1
			JOIN risks r ON r.id = rc.risk_id WHERE s.org_id = $1 AND s.applicable = 0),
		(SELECT COALESCE(MIN(s.control_id), '') FROM soa_entries s WHERE s.org_id = $1 AND s.applicable = 0
			AND EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.control_id = s.control_id AND rc.org_id = $1))`,
		orgID, today).Scan(&f.Methodologies, &f.MethodologyApproved, &f.MethodologyPending,
		&f.OpenActions, &f.OverdueActions, &f.OverdueRef, &f.Excluded, &f.ExcludedRef, &f.ExcludedControl)
	if err != nil {
		return f, err
	}
	// One pass over the register; the subqueries run only for the risks their CASE reaches.
	above := currentScore + " > $2"
	untreated := above + ` AND r.treatment = 'modify'
		AND NOT EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.risk_id = r.id)
		AND NOT EXISTS (SELECT 1 FROM treatment_actions a WHERE a.risk_id = r.id)`
	settledAbove := above + " AND (r.residual_score > 0 OR r.treatment = 'retain')"
	notAccepted := settledAbove + " AND r.accepted_at IS NULL"
	stale := "NOT EXISTS (SELECT 1 FROM risk_assessments h WHERE h.risk_id = r.id AND h.at >= $3)"
	count := func(cond string) string { return "COALESCE(SUM(CASE WHEN " + cond + " THEN 1 ELSE 0 END), 0)" }
	first := func(cond string) string { return "COALESCE(MIN(CASE WHEN " + cond + " THEN r.ref END), '')" }
	err = tx.tx.QueryRowContext(ctx, `SELECT COUNT(*), `+count("r.owner_id IS NULL")+`, `+first("r.owner_id IS NULL")+`,
		`+count(above)+`, `+count(untreated)+`, `+first(untreated)+`,
		`+count(settledAbove)+`, `+count(notAccepted)+`, `+first(notAccepted)+`,
		`+count(stale)+`, `+first(stale)+`
		FROM risks r WHERE r.org_id = $1`, orgID, threshold, since).
		Scan(&f.Risks, &f.Unowned, &f.UnownedRef, &f.Above, &f.Untreated, &f.UntreatedRef,
			&f.SettledAbove, &f.NotAccepted, &f.NotAcceptedRef, &f.Stale, &f.StaleRef)
	return f, err
}
