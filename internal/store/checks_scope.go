package store

import "context"

// ContextFacts are what the checks of clauses 4.1 and 4.2 count. A ref field names one record of its count
// (the first by reference), for the message when the count is one.
type ContextFacts struct {
	InternalIssues, ExternalIssues int
	Parties                        int
	PartiesBare                    int // parties with no requirement recorded
	BareRef                        string
	Requirements                   int
	Unaddressed                    int // requirements with nothing said about how they are met
	UnaddressedRef                 string
}

// ContextFacts counts the issues, interested parties and their requirements in one statement.
func (tx *Tx) ContextFacts(ctx context.Context, orgID string) (ContextFacts, error) {
	var f ContextFacts
	err := tx.tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM context_issues WHERE org_id = $1 AND kind = 'internal'),
		(SELECT COUNT(*) FROM context_issues WHERE org_id = $1 AND kind = 'external'),
		(SELECT COUNT(*) FROM interested_parties WHERE org_id = $1),
		(SELECT COUNT(*) FROM interested_parties p WHERE p.org_id = $1
			AND NOT EXISTS (SELECT 1 FROM party_requirements q WHERE q.party_id = p.id)),
		(SELECT COALESCE(MIN(p.ref), '') FROM interested_parties p WHERE p.org_id = $1
			AND NOT EXISTS (SELECT 1 FROM party_requirements q WHERE q.party_id = p.id)),
		(SELECT COUNT(*) FROM party_requirements WHERE org_id = $1),
		(SELECT COUNT(*) FROM party_requirements WHERE org_id = $1 AND trim(addressed) = ''),
		(SELECT COALESCE(MIN(ref), '') FROM party_requirements WHERE org_id = $1 AND trim(addressed) = '')`,
		orgID).Scan(&f.InternalIssues, &f.ExternalIssues, &f.Parties, &f.PartiesBare, &f.BareRef,
		&f.Requirements, &f.Unaddressed, &f.UnaddressedRef)
	return f, err
}
