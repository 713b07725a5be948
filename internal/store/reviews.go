package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// ReviewLookup resolves a management review named by its reference (MR-001, any case).
var ReviewLookup = Lookup{Table: "management_reviews", Name: "title"}

// Reviews is the register of management reviews (clause 9.3).
var Reviews = &Register[isms.Review, ReviewFilter]{
	Entity: "management review", Table: "management_reviews", Alias: "mr",
	ID:      func(r *isms.Review) *string { return &r.ID },
	Ref:     func(r *isms.Review) *string { return &r.Ref },
	Version: func(r *isms.Review) *int { return &r.Version },
	Columns: []Column[isms.Review]{
		Text("title", func(r *isms.Review) *string { return &r.Title }),
		Text("planned_on", func(r *isms.Review) *string { return &r.PlannedOn }),
		Text("held_on", func(r *isms.Review) *string { return &r.HeldOn }),
		Text("status", func(r *isms.Review) *string { return &r.Status }),
		Text("attendees", func(r *isms.Review) *string { return &r.Attendees }),
		Text("discussion", func(r *isms.Review) *string { return &r.Discussion }),
		JSON("inputs_json", func(r *isms.Review) **isms.ReviewInputs { return &r.Inputs }),
		JSON("input_notes_json", func(r *isms.Review) *map[string]string { return &r.InputNotes }),
		Time("created_at", func(r *isms.Review) *time.Time { return &r.CreatedAt }).InsertOnly(),
		Time("updated_at", func(r *isms.Review) *time.Time { return &r.UpdatedAt }),
	},
	Refs: []Reference[isms.Review]{{Column: "chair_id", Target: PeopleLookup, Alias: "p",
		ID:   func(r *isms.Review) *string { return &r.ChairID },
		Ref:  func(r *isms.Review) *string { return &r.Chair },
		Name: func(r *isms.Review) *string { return &r.ChairName }}},
	ListColumns: []ListColumn[isms.Review]{
		{Header: "ref", Value: func(r *isms.Review) string { return r.Ref }},
		{Header: "title", Width: 50, Value: func(r *isms.Review) string { return r.Title }},
		{Header: "planned", Value: func(r *isms.Review) string { return r.PlannedOn }},
		{Header: "held", Value: func(r *isms.Review) string { return r.HeldOn }},
		{Header: "status", Value: func(r *isms.Review) string { return r.Status }},
		{Header: "chair", Value: func(r *isms.Review) string { return r.ChairName }},
	},
	Filters: []Filter[ReviewFilter]{
		{Name: "status", Kind: FilterEnum, Values: isms.ReviewStatuses, Cond: "mr.status = ?", Doc: "only this status",
			Field: func(f *ReviewFilter) *string { return &f.Status }},
	},
	// By date by default: the day held, else the day planned.
	Sorts: []Sort{{"date", "CASE WHEN mr.held_on <> '' THEN mr.held_on ELSE mr.planned_on END"}, {"ref", "mr.ref"},
		{"title", "lower(mr.title)"}, {"status", "mr.status"}},
	Search:    []string{"lower(mr.title)", "lower(mr.ref)", "lower(mr.discussion)"},
	SearchDoc: "reference, title or discussion contains",
	SearchOf:  func(f *ReviewFilter) *string { return &f.Search },
	SortOf:    func(f *ReviewFilter) *string { return &f.Sort },
}

// ReviewFilter narrows the list of management reviews.
type ReviewFilter struct {
	Search, Status string
	Sort           string // date (default), ref, title or status; "-" prefix for descending
}

// ReviewActions is the register of the outputs of management reviews (9.3.3).
var ReviewActions = &Register[isms.ReviewAction, ReviewActionFilter]{
	Entity: "review action", Table: "review_actions", Alias: "ra",
	ID:      func(a *isms.ReviewAction) *string { return &a.ID },
	Ref:     func(a *isms.ReviewAction) *string { return &a.Ref },
	Version: func(a *isms.ReviewAction) *int { return &a.Version },
	Columns: []Column[isms.ReviewAction]{
		Text("kind", func(a *isms.ReviewAction) *string { return &a.Kind }),
		Text("decision", func(a *isms.ReviewAction) *string { return &a.Decision }),
		Text("due", func(a *isms.ReviewAction) *string { return &a.Due }),
		Text("status", func(a *isms.ReviewAction) *string { return &a.Status }),
		Text("notes", func(a *isms.ReviewAction) *string { return &a.Notes }),
		Time("created_at", func(a *isms.ReviewAction) *time.Time { return &a.CreatedAt }).InsertOnly(),
		Time("updated_at", func(a *isms.ReviewAction) *time.Time { return &a.UpdatedAt }),
	},
	Refs: []Reference[isms.ReviewAction]{
		{Column: "review_id", Target: ReviewLookup, Alias: "mr",
			ID:   func(a *isms.ReviewAction) *string { return &a.ReviewID },
			Ref:  func(a *isms.ReviewAction) *string { return &a.Review },
			Name: func(a *isms.ReviewAction) *string { return new(string) }},
		{Column: "owner_id", Target: PeopleLookup, Alias: "p",
			ID:   func(a *isms.ReviewAction) *string { return &a.OwnerID },
			Ref:  func(a *isms.ReviewAction) *string { return &a.Owner },
			Name: func(a *isms.ReviewAction) *string { return &a.OwnerName }}},
	ListColumns: []ListColumn[isms.ReviewAction]{
		{Header: "ref", Value: func(a *isms.ReviewAction) string { return a.Ref }},
		{Header: "review", Value: func(a *isms.ReviewAction) string { return a.Review }},
		{Header: "kind", Value: func(a *isms.ReviewAction) string { return a.Kind }},
		{Header: "decision", Width: 50, Value: func(a *isms.ReviewAction) string { return a.Decision }},
		{Header: "owner", Value: func(a *isms.ReviewAction) string { return a.OwnerName }},
		{Header: "due", Value: func(a *isms.ReviewAction) string { return a.Due }},
		{Header: "status", Value: func(a *isms.ReviewAction) string { return a.Status }},
	},
	Filters: []Filter[ReviewActionFilter]{
		{Name: "review", Kind: FilterRef, Cond: "mr.ref = ?", Doc: "only the actions of this review (MR-001)",
			Field: func(f *ReviewActionFilter) *string { return &f.Review }},
		{Name: "status", Kind: FilterEnum, Values: isms.ReviewActionStatuses, Cond: "ra.status = ?", Doc: "only this status",
			Field: func(f *ReviewActionFilter) *string { return &f.Status }},
	},
	Sorts:     []Sort{{"ref", "ra.ref"}, {"due", "ra.due"}, {"status", "ra.status"}},
	Search:    []string{"lower(ra.decision)", "lower(ra.ref)"},
	SearchDoc: "reference or decision contains",
	SearchOf:  func(f *ReviewActionFilter) *string { return &f.Search },
	SortOf:    func(f *ReviewActionFilter) *string { return &f.Sort },
}

// ReviewActionFilter narrows the list of review actions.
type ReviewActionFilter struct {
	Search, Review, Status string
	Sort                   string
}

// PreviousReviewDay is the day the last review held before day was held, other than the review reviewID; ""
// when there is none.
func (tx *Tx) PreviousReviewDay(ctx context.Context, orgID, reviewID, day string) (string, error) {
	var since string
	err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(held_on), '') FROM management_reviews
		WHERE org_id = $1 AND status = 'held' AND id <> $2 AND held_on <> '' AND held_on <= $3`, orgID, reviewID, day).Scan(&since)
	return since, err
}

// reviewSection is how one input of a management review is read: one query, in which $org stands for the
// organisation, $since for the day of the previous review (” for none), $today for today and $review for the
// review's id, and how a row becomes an item.
type reviewSection struct {
	key  string
	sql  string
	item func(row *sql.Rows, today string) (isms.ReviewItem, error)
}

// plainItem reads kind, ref, title, state and detail.
func plainItem(row *sql.Rows, _ string) (isms.ReviewItem, error) {
	var it isms.ReviewItem
	err := row.Scan(&it.Kind, &it.Ref, &it.Title, &it.State, &it.Detail)
	return it, err
}

// dueItem reads kind, ref, title, state, detail and a due day, and marks the item late by the one rule of its
// register (late: due, state and today).
func dueItem(late func(kind, due, state, today string) bool) func(row *sql.Rows, today string) (isms.ReviewItem, error) {
	return func(row *sql.Rows, today string) (isms.ReviewItem, error) {
		var it isms.ReviewItem
		var due string
		err := row.Scan(&it.Kind, &it.Ref, &it.Title, &it.State, &it.Detail, &due)
		it.Late = late(it.Kind, due, it.State, today)
		if due != "" {
			it.Detail = joinDetail(it.Detail, "due "+due)
		}
		return it, err
	}
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// changed is the condition "created or updated after the day of the previous review" of a table alias (what
// changed on that day, that review saw); everything counts at the first review.
func changed(alias string) string {
	return "($since = '' OR substr(" + alias + ".updated_at, 1, 10) > $since)"
}

// newOrChanged is the state of a row changed since $since: new when it was created after that day.
func newOrChanged(alias string) string {
	return "CASE WHEN $since <> '' AND substr(" + alias + ".created_at, 1, 10) <= $since THEN 'changed' ELSE 'new' END"
}

// reviewSections reads each input of clause 9.3.2 with one query. Inputs read from registers of other parts
// (metrics, audits, findings, improvements) read their tables directly.
var reviewSections = []reviewSection{
	{key: isms.InputPreviousActions, sql: `SELECT 'action', ra.ref, ra.decision, ra.status, 'from ' || mr.ref, ra.due
		FROM review_actions ra JOIN management_reviews mr ON mr.id = ra.review_id AND mr.org_id = ra.org_id
		WHERE ra.org_id = $org AND ra.review_id <> $review AND (ra.status IN ('open', 'in-progress') OR ` + changed("ra") + `) ORDER BY ra.ref`,
		item: dueItem(func(_, due, state, today string) bool {
			return isms.ReviewAction{Due: due, Status: state}.Overdue(today)
		})},
	{key: isms.InputContext, sql: `SELECT 'issue', ci.ref, ci.title, ` + newOrChanged("ci") + `, ci.kind
		FROM context_issues ci WHERE ci.org_id = $org AND ` + changed("ci") + ` ORDER BY ci.ref`, item: plainItem},
	{key: isms.InputParties, sql: `SELECT 'party', ip.ref, ip.name, ` + newOrChanged("ip") + `, ip.kind
		FROM interested_parties ip WHERE ip.org_id = $org AND ` + changed("ip") + `
		UNION ALL SELECT 'requirement', pr.ref, pr.text, ` + newOrChanged("pr") + `, 'of ' || ip.ref
		FROM party_requirements pr JOIN interested_parties ip ON ip.id = pr.party_id AND ip.org_id = pr.org_id
		WHERE pr.org_id = $org AND ` + changed("pr") + ` ORDER BY 1, 2`, item: plainItem},
	// Nonconformities still open or raised since, and corrective actions not closed or changed since.
	{key: isms.InputNonconformities, sql: `SELECT 'nonconformity', f.ref, f.title, f.status, f.grade, ''
		FROM findings f WHERE f.org_id = $org AND f.grade IN ('major-nc', 'minor-nc') AND (f.status <> 'closed' OR ` + changed("f") + `) AND $review <> ''
		UNION ALL SELECT 'corrective action', ca.ref, ca.title, ca.status, COALESCE(f.ref, ''), ca.due
		FROM corrective_actions ca LEFT JOIN findings f ON f.id = ca.finding_id AND f.org_id = ca.org_id
		WHERE ca.org_id = $org AND (ca.status <> 'closed' OR ` + changed("ca") + `) ORDER BY 1 DESC, 2`,
		item: dueItem(func(kind, due, state, today string) bool {
			return kind == "corrective action" && isms.CorrectiveOverdue(due, state, today)
		})},
	{key: isms.InputMonitoring, sql: `SELECT m.ref, m.title, m.direction, m.target, m.unit, m.frequency, m.last_taken,
		COALESCE((SELECT ms.value FROM measurements ms WHERE ms.metric_id = m.id ORDER BY ms.taken_on DESC LIMIT 1), '')
		FROM metrics m WHERE m.org_id = $org AND $since = $since ORDER BY m.ref`,
		item: func(row *sql.Rows, today string) (isms.ReviewItem, error) {
			it := isms.ReviewItem{Kind: "metric"}
			var direction, target, unit, frequency, last, value string
			err := row.Scan(&it.Ref, &it.Title, &direction, &target, &unit, &frequency, &last, &value)
			it.State = isms.MetricState(direction, target, value)
			it.Late = isms.MetricLate(frequency, last, today)
			if value != "" {
				it.Detail = "latest " + value + " " + unit + " on " + last + ", target " + direction + " " + target
			}
			return it, err
		}},
	// Audits finished since, with how many findings each raised.
	{key: isms.InputAudits, sql: `SELECT 'audit', au.ref, au.title, au.status,
		'ended ' || au.actual_end || ', ' || (SELECT COUNT(*) FROM findings f WHERE f.audit_id = au.id) || ' findings'
		FROM audits au WHERE au.org_id = $org AND au.actual_end <> '' AND ($since = '' OR au.actual_end > $since)
		ORDER BY au.actual_end, au.ref`, item: plainItem},
	{key: isms.InputObjectives, sql: `SELECT 'objective', ob.ref, ob.title, ob.status, ob.target, ob.due
		FROM objectives ob WHERE ob.org_id = $org AND $since = $since ORDER BY ob.ref`,
		item: dueItem(func(_, due, state, today string) bool { return isms.Objective{Due: due, Status: state}.Overdue(today) })},
	// Risks above the acceptance threshold (the residual score once assessed), risks accepted, and treatment
	// actions overdue.
	{key: isms.InputRisks, sql: `SELECT 'risk', r.ref, r.title,
		CASE WHEN r.accepted_at IS NOT NULL THEN 'accepted' ELSE 'above threshold' END,
		'score ' || CASE WHEN r.residual_score > 0 THEN r.residual_score ELSE r.score END, ''
		FROM risks r LEFT JOIN risk_methods rm ON rm.org_id = r.org_id
		WHERE r.org_id = $org AND (r.accepted_at IS NOT NULL OR CASE WHEN r.residual_score > 0 THEN r.residual_score ELSE r.score END > COALESCE(rm.acceptance_threshold, 6))
		AND $since = $since AND $review <> ''
		UNION ALL SELECT 'treatment action', ta.ref, ta.title, ta.status, 'for ' || r.ref, ta.due
		FROM treatment_actions ta JOIN risks r ON r.id = ta.risk_id AND r.org_id = ta.org_id
		WHERE ta.org_id = $org AND ta.status IN ('planned', 'in-progress') AND ta.due <> '' AND ta.due < $today ORDER BY 1, 2`,
		item: dueItem(func(kind, due, state, today string) bool {
			return kind == "treatment action" && isms.TreatmentAction{Due: due, Status: state}.Overdue(today)
		})},
	{key: isms.InputImprovement, sql: `SELECT 'opportunity', f.ref, f.title, f.status, f.raised_on
		FROM findings f WHERE f.org_id = $org AND f.grade = 'ofi' AND (f.status <> 'closed' OR ($since = '' OR f.raised_on > $since))
		UNION ALL SELECT 'improvement', im.ref, im.title, 'made', im.made_on
		FROM improvements im WHERE im.org_id = $org AND ($since = '' OR im.made_on > $since) ORDER BY 1 DESC, 2`, item: plainItem},
}

// AssembleReviewInputs reads the inputs of the review reviewID (for a new one, "") from the registers, one query
// per section, counting as changed what changed since day since ("" for everything) and as late what is late on
// day today. The feedback of interested parties has no register: its section is the notes taken.
func (tx *Tx) AssembleReviewInputs(ctx context.Context, orgID, reviewID, since, today string) (isms.ReviewInputs, error) {
	out := isms.ReviewInputs{Since: since, AssembledOn: today}
	named := map[string]string{"$org": orgID, "$since": since, "$today": today, "$review": reviewID}
	read := map[string][]isms.ReviewItem{}
	for _, s := range reviewSections {
		q, args := numbered(s.sql, named)
		items := []isms.ReviewItem{}
		err := tx.query(ctx, q, args, func(rows *sql.Rows) error {
			it, err := s.item(rows, today)
			items = append(items, it)
			return err
		})
		if err != nil {
			return out, fmt.Errorf("review input %s: %w", s.key, err)
		}
		read[s.key] = items
	}
	for _, key := range isms.ReviewSectionKeys {
		out.Sections = append(out.Sections, isms.NewReviewSection(key, read[key]))
	}
	return out, nil
}

// namedParam is a named placeholder of the review queries ($org, $since, ...).
var namedParam = regexp.MustCompile(`\$[a-z]+`)

// numbered turns the named placeholders of q into $1, $2 ... in the order they first appear, with their values.
func numbered(q string, values map[string]string) (string, []any) {
	var args []any
	at := map[string]string{}
	return namedParam.ReplaceAllStringFunc(q, func(name string) string {
		if n, ok := at[name]; ok {
			return n
		}
		args = append(args, values[name])
		at[name] = "$" + strconv.Itoa(len(args))
		return at[name]
	}), args
}
