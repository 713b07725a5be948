package store

import "context"

// servesClause is a condition on a documents row (alias d): its comma list of clauses names the clause $N.
func servesClause(param string) string {
	return "(',' || d.clauses || ',') LIKE ('%,' || " + param + " || ',%')"
}

// LeadershipFacts are what the checks of clause 5 and 6.2 count. A ref field names one record of its count
// (the first by reference), for the message when the count is one.
type LeadershipFacts struct {
	Policies         int // documents in use that serve clause 5.2 (the information security policy)
	PoliciesApproved int // of those, with a version in force
	PolicyRef        string
	PoliciesOverdue  int // approved and past their next review
	PolicyOverdueRef string

	Roles           int
	RolesUnassigned int // roles no person holds
	UnassignedRef   string
	Owners          int // ISMS owner roles held by a person
	Sponsors        int // top-management sponsor roles held by a person
	Commitments     int

	Objectives           int
	ObjectivesIncomplete int // without a measure, a target or an owner
	IncompleteRef        string
	ObjectivesOverdue    int // isms.Objective.Overdue
	OverdueRef           string
}

// LeadershipFacts counts the policy, roles, commitments and objectives of the organisation in one statement
// over small registers; today is YYYY-MM-DD.
func (tx *Tx) LeadershipFacts(ctx context.Context, orgID, today string) (LeadershipFacts, error) {
	var f LeadershipFacts
	err := tx.tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND `+servesClause("'5.2'")+`),
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND d.approved_version > 0 AND `+servesClause("'5.2'")+`),
		(SELECT COALESCE(MIN(d.ref), '') FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND `+servesClause("'5.2'")+`),
		(SELECT COUNT(*) FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND d.approved_version > 0
			AND d.next_review <> '' AND d.next_review < $2 AND `+servesClause("'5.2'")+`),
		(SELECT COALESCE(MIN(d.ref), '') FROM documents d WHERE d.org_id = $1 AND d.status <> 'retired' AND d.approved_version > 0
			AND d.next_review <> '' AND d.next_review < $2 AND `+servesClause("'5.2'")+`),
		(SELECT COUNT(*) FROM isms_roles WHERE org_id = $1),
		(SELECT COUNT(*) FROM isms_roles WHERE org_id = $1 AND person_id IS NULL),
		(SELECT COALESCE(MIN(ref), '') FROM isms_roles WHERE org_id = $1 AND person_id IS NULL),
		(SELECT COUNT(*) FROM isms_roles WHERE org_id = $1 AND kind = 'isms-owner' AND person_id IS NOT NULL),
		(SELECT COUNT(*) FROM isms_roles WHERE org_id = $1 AND kind = 'sponsor' AND person_id IS NOT NULL),
		(SELECT COUNT(*) FROM leadership_commitments WHERE org_id = $1),
		(SELECT COUNT(*) FROM objectives WHERE org_id = $1),
		(SELECT COUNT(*) FROM objectives WHERE org_id = $1 AND (trim(measure) = '' OR trim(target) = '' OR owner_id IS NULL)),
		(SELECT COALESCE(MIN(ref), '') FROM objectives WHERE org_id = $1 AND (trim(measure) = '' OR trim(target) = '' OR owner_id IS NULL)),
		(SELECT COUNT(*) FROM objectives WHERE org_id = $1 AND due <> '' AND status <> 'achieved' AND due < $2),
		(SELECT COALESCE(MIN(ref), '') FROM objectives WHERE org_id = $1 AND due <> '' AND status <> 'achieved' AND due < $2)`,
		orgID, today).Scan(&f.Policies, &f.PoliciesApproved, &f.PolicyRef, &f.PoliciesOverdue, &f.PolicyOverdueRef,
		&f.Roles, &f.RolesUnassigned, &f.UnassignedRef, &f.Owners, &f.Sponsors, &f.Commitments,
		&f.Objectives, &f.ObjectivesIncomplete, &f.IncompleteRef, &f.ObjectivesOverdue, &f.OverdueRef)
	return f, err
}
