package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// PeopleLookup resolves a person named by reference, name or email (one scoped query, Tx.Resolve).
var PeopleLookup = Lookup{Table: "people", Name: "name", Match: []string{"lower(name)", "lower(email)"}}

// Leavers are the values of the people list's leavers filter.
var Leavers = []string{"left", "current", "open-access"}

// The conditions of the leavers filter; every ? is the time of the request (isms.TimeFormat), whose first ten
// characters are today. A person's account is the one linked to them (user_id), else the one with their email.
// A leaver has access still while that account is a member of the organisation or holds one of its API tokens
// that is neither revoked nor expired.
const (
	accountOf      = "COALESCE(pp.user_id, (SELECT u.id FROM users u WHERE pp.email <> '' AND u.email = pp.email))"
	leftCond       = "(pp.end_date <> '' AND pp.end_date < substr(?, 1, 10))"
	liveTokens     = "FROM api_tokens t WHERE t.org_id = pp.org_id AND t.user_id = " + accountOf + " AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)"
	openAccessCond = "(EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = pp.org_id AND m.user_id = " + accountOf + ") OR EXISTS (SELECT 1 " + liveTokens + "))"
)

// People is the staff register (clauses 6 and 7) declared once.
var People = &Register[isms.Person, PersonFilter]{
	Entity: "person", Table: "people", Alias: "pp",
	ID:      func(p *isms.Person) *string { return &p.ID },
	Ref:     func(p *isms.Person) *string { return &p.Ref },
	Version: func(p *isms.Person) *int { return &p.Version },
	Columns: []Column[isms.Person]{
		Text("name", func(p *isms.Person) *string { return &p.Name }),
		Text("email", func(p *isms.Person) *string { return &p.Email }),
		Text("job_title", func(p *isms.Person) *string { return &p.JobTitle }),
		Text("department", func(p *isms.Person) *string { return &p.Department }),
		Text("team", func(p *isms.Person) *string { return &p.Team }),
		Text("employment", func(p *isms.Person) *string { return &p.Employment }),
		Text("start_date", func(p *isms.Person) *string { return &p.StartDate }),
		Text("end_date", func(p *isms.Person) *string { return &p.EndDate }),
		Text("screened_on", func(p *isms.Person) *string { return &p.ScreenedOn }),
		Text("terms_signed_on", func(p *isms.Person) *string { return &p.TermsSignedOn }),
		Text("notes", func(p *isms.Person) *string { return &p.Notes }),
		OptText("user_id", func(p *isms.Person) *string { return &p.UserID }),
		Time("created_at", func(p *isms.Person) *time.Time { return &p.CreatedAt }).InsertOnly(),
	},
	Refs: []Reference[isms.Person]{{Column: "manager_id", Target: PeopleLookup, Alias: "mg",
		ID:   func(p *isms.Person) *string { return &p.ManagerID },
		Ref:  func(p *isms.Person) *string { return &p.Manager },
		Name: func(p *isms.Person) *string { return &p.ManagerName }}},
	ListColumns: []ListColumn[isms.Person]{
		{Header: "ref", Value: func(p *isms.Person) string { return p.Ref }},
		{Header: "name", Value: func(p *isms.Person) string { return p.Name }},
		{Header: "email", Value: func(p *isms.Person) string { return p.Email }},
		{Header: "job_title", Value: func(p *isms.Person) string { return p.JobTitle }},
		{Header: "department", Value: func(p *isms.Person) string { return p.Department }},
		{Header: "team", Value: func(p *isms.Person) string { return p.Team }},
		{Header: "manager", Value: func(p *isms.Person) string { return p.ManagerName }},
		{Header: "employment", Value: func(p *isms.Person) string { return p.Employment }},
		{Header: "start_date", Value: func(p *isms.Person) string { return p.StartDate }},
		{Header: "end_date", Value: func(p *isms.Person) string { return p.EndDate }},
		{Header: "screened_on", Value: func(p *isms.Person) string { return p.ScreenedOn }},
		{Header: "terms_signed_on", Value: func(p *isms.Person) string { return p.TermsSignedOn }},
	},
	Filters: []Filter[PersonFilter]{
		{Name: "department", Kind: FilterText, Cond: "pp.department = ?", Doc: "only this department",
			Field: func(f *PersonFilter) *string { return &f.Department }},
		{Name: "team", Kind: FilterText, Cond: "pp.team = ?", Doc: "only this team",
			Field: func(f *PersonFilter) *string { return &f.Team }},
		{Name: "manager", Kind: FilterRef, Cond: "mg.ref = ?", Doc: "only the people this person manages (reference, P-001)",
			Field: func(f *PersonFilter) *string { return &f.Manager }},
		{Name: "employment", Kind: FilterEnum, Values: isms.Employments, Cond: "pp.employment = ?", Doc: "only this employment type",
			Field: func(f *PersonFilter) *string { return &f.Employment }},
		{Name: "leavers", Kind: FilterEnum, Values: Leavers,
			Doc:   "left: the end date has passed; current: it has not; open-access: left, with a membership or API token still open",
			Field: func(f *PersonFilter) *string { return &f.Leavers }, Where: leaversWhere},
		{Name: "screened", Kind: FilterBool, Cond: "pp.screened_on <> ''", Doc: "yes: screening recorded; no: not screened",
			Field: func(f *PersonFilter) *string { return &f.Screened }},
		{Name: "terms", Kind: FilterBool, Cond: "pp.terms_signed_on <> ''", Doc: "yes: terms signed; no: terms missing",
			Field: func(f *PersonFilter) *string { return &f.Terms }},
	},
	Sorts:     []Sort{{"name", "lower(pp.name)"}, {"ref", "pp.ref"}, {"department", "lower(pp.department)"}, {"team", "lower(pp.team)"}},
	Search:    []string{"lower(pp.name)", "lower(pp.email)", "lower(pp.job_title)"},
	SearchDoc: "name, email or job title contains",
	SearchOf:  func(f *PersonFilter) *string { return &f.Search },
	SortOf:    func(f *PersonFilter) *string { return &f.Sort },
}

// leaversWhere is the condition of the leavers filter at the filter's time.
func leaversWhere(f *PersonFilter, v string) (string, []any) {
	cond := map[string]string{"left": leftCond, "current": "NOT " + leftCond, "open-access": leftCond + " AND " + openAccessCond}[v]
	return cond, repeatArg(cond, ts(f.AsOf))
}

// PersonFilter narrows the people list; People.Filters declares each field.
type PersonFilter struct {
	Search     string // name, email or job title contains
	Department string
	Team       string
	Manager    string // the manager's reference
	Employment string
	Leavers    string // left, current or open-access
	Screened   string // yes or no
	Terms      string // yes or no
	Sort       string // name (default), ref, department or team; "-" prefix for descending
	// AsOf is the time the leavers filter compares end dates and token expiry with; the service sets it.
	AsOf time.Time
}

// OpenAccess is a leaver whose access is still open: the role their account has in the organisation ("" when
// not a member) and how many of its API tokens still work.
type OpenAccess struct {
	PersonID string `json:"-"`
	Ref      string `json:"ref"`
	Name     string `json:"name"`
	EndDate  string `json:"end_date"`
	Role     string `json:"role,omitempty" doc:"The account's role here; empty when it is not a member"`
	Tokens   int    `json:"api_tokens" doc:"API tokens of the account here that are neither revoked nor expired"`
}

// What is the open access in words: "member as editor, 2 API tokens".
func (o OpenAccess) What() string {
	var parts []string
	if o.Role != "" {
		parts = append(parts, "member as "+o.Role)
	}
	switch o.Tokens {
	case 0:
	case 1:
		parts = append(parts, "1 API token")
	default:
		parts = append(parts, fmt.Sprintf("%d API tokens", o.Tokens))
	}
	return strings.Join(parts, ", ")
}

// leaversSelect reads the leavers with open access of organisation $1 at time $2 (isms.TimeFormat), longest gone
// first; extra adds conditions with later placeholders. The conditions are the leavers filter's.
func leaversSelect(extra string) string {
	at2 := func(cond string) string { return strings.ReplaceAll(cond, "?", "$2") }
	return "SELECT pp.id, pp.ref, pp.name, pp.end_date, COALESCE(m.role, '') AS role, (SELECT COUNT(*) " + at2(liveTokens) + ") AS tokens" +
		" FROM people pp LEFT JOIN memberships m ON m.org_id = pp.org_id AND m.user_id = " + accountOf +
		" WHERE pp.org_id = $1 AND " + at2(leftCond) + " AND " + at2(openAccessCond) + extra + " ORDER BY pp.end_date, pp.ref"
}

// LeaversWithOpenAccess are the people of orgID whose end date has passed at now while their account still has
// a membership or a working API token, longest gone first; personRef, when set, asks about that person alone.
func (tx *Tx) LeaversWithOpenAccess(ctx context.Context, orgID string, now time.Time, personRef string) ([]OpenAccess, error) {
	q, args := leaversSelect(""), []any{orgID, ts(now)}
	if personRef != "" {
		q, args = leaversSelect(" AND pp.ref = $3"), append(args, personRef)
	}
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("leavers with open access: %w", err)
	}
	defer rows.Close()
	out := []OpenAccess{}
	for rows.Next() {
		var o OpenAccess
		if err := rows.Scan(&o.PersonID, &o.Ref, &o.Name, &o.EndDate, &o.Role, &o.Tokens); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// StaffOverview is what stands out in the staff register: the first leavers with open access, and how many of
// the current staff (end date not passed) have no screening and no signed terms.
type StaffOverview struct {
	OpenAccess  []OpenAccess `json:"open_access"`
	NotScreened int          `json:"not_screened"`
	NoTerms     int          `json:"no_terms"`
}

// StaffOverview reads the overview of orgID at now, naming at most limit leavers, in one statement (the counts on
// every row, joined to the leavers: one row without a leaver when there is none), so that the people page and the
// dashboard stay one statement each for it.
func (tx *Tx) StaffOverview(ctx context.Context, orgID string, now time.Time, limit int) (StaffOverview, error) {
	q := `SELECT g.not_screened, g.no_terms, COALESCE(l.id, ''), COALESCE(l.ref, ''), COALESCE(l.name, ''), COALESCE(l.end_date, ''),
		COALESCE(l.role, ''), COALESCE(l.tokens, 0)
		FROM (SELECT COALESCE(SUM(CASE WHEN pp.screened_on = '' THEN 1 ELSE 0 END), 0) AS not_screened,
			COALESCE(SUM(CASE WHEN pp.terms_signed_on = '' THEN 1 ELSE 0 END), 0) AS no_terms
			FROM people pp WHERE pp.org_id = $1 AND NOT ` + strings.ReplaceAll(leftCond, "?", "$2") + `) g
		LEFT JOIN (` + leaversSelect("") + ` LIMIT $3) l ON 1 = 1 ORDER BY l.end_date, l.ref`
	out := StaffOverview{OpenAccess: []OpenAccess{}}
	rows, err := tx.tx.QueryContext(ctx, q, orgID, ts(now), limit)
	if err != nil {
		return out, fmt.Errorf("staff overview: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o OpenAccess
		if err := rows.Scan(&out.NotScreened, &out.NoTerms, &o.PersonID, &o.Ref, &o.Name, &o.EndDate, &o.Role, &o.Tokens); err != nil {
			return out, err
		}
		if o.PersonID != "" {
			out.OpenAccess = append(out.OpenAccess, o)
		}
	}
	return out, rows.Err()
}

// ManagersAbove maps each person above the given people in the chain of managers (the people themselves
// included) to their manager's id, with one recursive query, so that a change of manager can be checked for a
// loop (isms.ManagerCycle) without reading the whole register.
func (tx *Tx) ManagersAbove(ctx context.Context, orgID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{orgID}
	for _, id := range ids {
		args = append(args, id)
	}
	q := `WITH RECURSIVE up(id, manager_id) AS (
		SELECT id, manager_id FROM people WHERE org_id = $1 AND id IN (` + placeholders(2, len(ids)) + `)
		UNION SELECT p.id, p.manager_id FROM people p JOIN up ON p.id = up.manager_id WHERE p.org_id = $1)
		SELECT id, COALESCE(manager_id, '') FROM up`
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("managers above: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, m string
		if err := rows.Scan(&id, &m); err != nil {
			return nil, err
		}
		out[id] = m
	}
	return out, rows.Err()
}

// CreatePerson inserts p (Ref already assigned) into p.OrgID.
func (tx *Tx) CreatePerson(ctx context.Context, p isms.Person) error {
	return People.Insert(ctx, tx, p.OrgID, &p)
}

// PersonByRef loads a person by reference (P-003) or id.
func (tx *Tx) PersonByRef(ctx context.Context, orgID, ref string) (isms.Person, error) {
	p, err := People.Get(ctx, tx, orgID, ref)
	p.OrgID = orgID
	return p, err
}

// ListPeople lists people by name.
func (tx *Tx) ListPeople(ctx context.Context, orgID string, f PersonFilter, p Page) (List[isms.Person], error) {
	return People.List(ctx, tx, orgID, f, p)
}

// UpdatePerson saves p with optimistic locking on p.Version.
func (tx *Tx) UpdatePerson(ctx context.Context, p isms.Person) error {
	return People.Update(ctx, tx, p.OrgID, &p)
}

// DeletePerson removes a person.
func (tx *Tx) DeletePerson(ctx context.Context, orgID, id string) error {
	return People.Delete(ctx, tx, orgID, id)
}
