package service

import (
	"context"
	"slices"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Internal audits (9.2): planned by editors and auditors (PermPlanAudits); run, that is the checklist filled in,
// started and completed, by the audit roles only (PermWriteAudits: owner, admin, auditor).

// InternalAuditFilter narrows the audit list (AuditFilter is the audit trail's).
type InternalAuditFilter = store.InternalAuditFilter

// AuditRegister is the declaration of the audits register.
var AuditRegister = store.Audits

// AuditInput is the editable part of an audit. Lead and Team name people (reference, name or email); Clauses
// are clause ids (9.2) and Controls 2022 control ids (8.28): the checklist follows them.
type AuditInput struct {
	Title        string   `json:"title" doc:"What the audit is, in a line"`
	Scope        string   `json:"scope" doc:"What the audit covers: processes, locations, systems"`
	Criteria     string   `json:"criteria" doc:"What it is audited against: ISO/IEC 27001:2022, the policies ..."`
	Area         string   `json:"area" doc:"The team or department audited (auditors from it are warned about)"`
	Clauses      []string `json:"clauses" doc:"The clauses in scope (9.2); each becomes a checklist item"`
	Controls     []string `json:"controls" doc:"The Annex A controls in scope (8.28); each becomes a checklist item"`
	Lead         string   `json:"lead" doc:"The lead auditor: a person's reference, name or email"`
	Team         []string `json:"team" doc:"The other auditors: people's references, names or emails"`
	PlannedStart string   `json:"planned_start" doc:"Planned first day, YYYY-MM-DD"`
	PlannedEnd   string   `json:"planned_end" doc:"Planned last day, YYYY-MM-DD"`
	ActualStart  string   `json:"actual_start" doc:"Actual first day, YYYY-MM-DD (default today when it starts)"`
	ActualEnd    string   `json:"actual_end" doc:"Actual last day, YYYY-MM-DD (default today when it completes)"`
	Status       string   `json:"status" doc:"planned (the default), in-progress, completed (every checklist item resulted and a conclusion) or cancelled"`
	Conclusion   string   `json:"conclusion" doc:"The audit's conclusion: is the ISMS conforming and effective in scope"`
	Version      int      `json:"version" doc:"The version read; required for a change"`
	Sent         Sent     `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *AuditInput) UnmarshalJSON(b []byte) error {
	type plain AuditInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// ListAudits lists the internal audits.
func (s *Service) ListAudits(ctx context.Context, f InternalAuditFilter, p Page) (List[isms.Audit], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Audit], error) {
		l, err := store.Audits.List(ctx, tx, a.OrgID, f, p)
		if err != nil {
			return l, err
		}
		return l, s.loadTeams(ctx, tx, a, l.Items)
	})
}

// Audit returns one audit by reference (AU-001) or id, with its team and the warnings about its independence.
func (s *Service) Audit(ctx context.Context, ref string) (isms.Audit, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Audit, error) {
		return s.loadAudit(ctx, tx, a, ref)
	})
}

func (s *Service) loadAudit(ctx context.Context, tx *store.Tx, a Actor, ref string) (isms.Audit, error) {
	au, err := store.Audits.Get(ctx, tx, a.OrgID, ref)
	if err != nil {
		return au, err
	}
	one := []isms.Audit{au}
	if err := s.loadTeams(ctx, tx, a, one); err != nil {
		return au, err
	}
	au = one[0]
	return au, s.warn(ctx, tx, a, &au)
}

// loadTeams fills the team of each audit with one query.
func (s *Service) loadTeams(ctx context.Context, tx *store.Tx, a Actor, audits []isms.Audit) error {
	ids := make([]string, len(audits))
	for i, au := range audits {
		ids[i] = au.ID
	}
	teams, err := tx.AuditTeams(ctx, a.OrgID, ids)
	if err != nil {
		return err
	}
	for i := range audits {
		audits[i].Team, audits[i].TeamNames = []string{}, []string{}
		for _, p := range teams[audits[i].ID] {
			audits[i].Team, audits[i].TeamNames = append(audits[i].Team, p.Ref), append(audits[i].TeamNames, p.Name)
		}
	}
	return nil
}

// warn sets the audit's warnings: an auditor who works in the area audited, or owns an SoA entry or a document in
// scope, audits their own work (9.2.2 c asks for objectivity). A warning, not a refusal: a small organisation
// may have no one else.
func (s *Service) warn(ctx context.Context, tx *store.Tx, a Actor, au *isms.Audit) error {
	au.Warnings = []string{}
	if au.LeadID == "" && len(au.Team) == 0 {
		return nil
	}
	ids, err := s.auditorIDs(ctx, tx, a, au)
	if err != nil {
		return err
	}
	w, err := tx.OwnAreaConflicts(ctx, a.OrgID, ids, au.Area, au.Clauses, au.Controls)
	if err != nil {
		return err
	}
	au.Warnings = append(au.Warnings, w...)
	return nil
}

// auditorIDs are the people ids of the lead and the team.
func (s *Service) auditorIDs(ctx context.Context, tx *store.Tx, a Actor, au *isms.Audit) ([]string, error) {
	var ids []string
	if au.LeadID != "" {
		ids = append(ids, au.LeadID)
	}
	if len(au.Team) > 0 {
		team, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, au.Team)
		if err != nil {
			return nil, err
		}
		for _, ref := range au.Team {
			if p, ok := team[strings.ToLower(ref)]; ok && !slices.Contains(ids, p.ID) {
				ids = append(ids, p.ID)
			}
		}
	}
	return ids, nil
}

// AddAudit plans an audit; its checklist is made from the clauses and controls in scope.
func (s *Service) AddAudit(ctx context.Context, in AuditInput) (isms.Audit, error) {
	return s.writeAudit(ctx, "", in, false)
}

// UpdateAudit changes an audit as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateAudit(ctx context.Context, ref string, in AuditInput) (isms.Audit, error) {
	return s.writeAudit(ctx, ref, in, false)
}

// PatchAudit changes only the fields in.Sent names: completing an audit sends the status, the conclusion and
// the version.
func (s *Service) PatchAudit(ctx context.Context, ref string, in AuditInput) (isms.Audit, error) {
	return s.writeAudit(ctx, ref, in, true)
}

// DeleteAudit removes an audit with its team and checklist; its findings stay, no longer linked.
func (s *Service) DeleteAudit(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermPlanAudits, store.Audits, ref, nil)
}

// writeAudit saves an audit and answers it with the warnings about its independence, so that whoever plans it
// sees them at once.
func (s *Service) writeAudit(ctx context.Context, ref string, in AuditInput, patch bool) (isms.Audit, error) {
	au, err := s.saveAudit(ctx, ref, in, patch)
	if err != nil {
		return au, err
	}
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Audit, error) {
		return au, s.warn(ctx, tx, a, &au)
	})
}

func (s *Service) saveAudit(ctx context.Context, ref string, in AuditInput, patch bool) (isms.Audit, error) {
	var teamIDs []string
	var before isms.Audit
	return writeRowAs(ctx, s, isms.PermPlanAudits, store.Audits, "AU", ref, in, in.Version, in.Sent, []string{"title"}, patch,
		func(tx *store.Tx, a Actor, in AuditInput, au *isms.Audit) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, append([]string{in.Lead}, in.Team...))
			if err != nil {
				return err
			}
			var p isms.Problems
			teamIDs = s.applyAudit(&p, in, people, au)
			if err := p.Err(); err != nil {
				return err
			}
			// Running an audit (starting, completing, concluding) is the audit roles' part.
			running := au.Status != before.Status && (au.Status == "in-progress" || au.Status == "completed") || au.Conclusion != before.Conclusion
			if running && !a.Role.Can(isms.PermWriteAudits) {
				return isms.Forbidden("your role (%s) may plan audits but not run them: %s", a.Role, isms.PermWriteAudits)
			}
			if au.Status == "in-progress" && au.ActualStart == "" {
				au.ActualStart = s.Today()
			}
			if au.Status == "completed" && au.ActualEnd == "" {
				au.ActualEnd = s.Today()
			}
			s.stampTimes(&au.CreatedAt, &au.UpdatedAt, ref == "")
			return nil
		}, rowHooks[isms.Audit]{
			Load: func(tx *store.Tx, a Actor, au *isms.Audit) error {
				one := []isms.Audit{*au}
				err := s.loadTeams(ctx, tx, a, one)
				*au, before = one[0], one[0]
				return err
			},
			Saved: func(tx *store.Tx, a Actor, au *isms.Audit) error {
				if err := tx.SetAuditTeam(ctx, a.OrgID, au.ID, teamIDs); err != nil {
					return err
				}
				items, err := s.syncChecklist(ctx, tx, a, au)
				if err != nil {
					return err
				}
				if au.Status == "completed" {
					if p := isms.CompletionProblems(items, au.Conclusion); len(p) > 0 {
						return p.Err()
					}
				}
				au.Warnings = nil // derived: kept out of the audit event
				return nil
			},
		})
}

// applyAudit validates in and copies it onto au; it returns the ids of the team.
func (s *Service) applyAudit(p *isms.Problems, in AuditInput, people map[string]store.Target, au *isms.Audit) []string {
	isms.CheckText(p, "title", in.Title, 200)
	isms.CheckText(p, "area", firstNonEmpty(in.Area, "-"), 200)
	status := firstNonEmpty(strings.ToLower(strings.TrimSpace(in.Status)), "planned")
	if !isms.OneOf(status, isms.AuditStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.AuditStatuses, ", "))
	}
	dates := map[string]string{"planned_start": in.PlannedStart, "planned_end": in.PlannedEnd, "actual_start": in.ActualStart, "actual_end": in.ActualEnd}
	for _, field := range []string{"actual_end", "actual_start", "planned_end", "planned_start"} {
		dates[field] = strings.TrimSpace(dates[field])
		checkDate(p, field, dates[field])
	}
	if dates["planned_end"] != "" && dates["planned_end"] < dates["planned_start"] {
		p.Add("planned_end", "must not be before the planned start")
	}
	if dates["actual_end"] != "" && dates["actual_end"] < dates["actual_start"] {
		p.Add("actual_end", "must not be before the actual start")
	}
	checkLong(p, map[string]string{"scope": in.Scope, "criteria": in.Criteria, "conclusion": in.Conclusion})
	clauses, controls := s.scopeIDs(p, in.Clauses, in.Controls)
	lead := resolveTarget(p, "lead", in.Lead, people, "person")
	var team []string
	au.Team, au.TeamNames = []string{}, []string{}
	for _, v := range in.Team {
		if t := resolveTarget(p, "team", v, people, "person"); t.ID != "" && t.ID != lead.ID && !slices.Contains(team, t.ID) {
			team = append(team, t.ID)
			au.Team, au.TeamNames = append(au.Team, t.Ref), append(au.TeamNames, t.Name)
		}
	}
	au.Title, au.Scope, au.Criteria, au.Area = strings.TrimSpace(in.Title), strings.TrimSpace(in.Scope), strings.TrimSpace(in.Criteria), strings.TrimSpace(in.Area)
	au.Clauses, au.Controls = clauses, controls
	au.LeadID, au.Lead, au.LeadName = lead.ID, lead.Ref, lead.Name
	au.PlannedStart, au.PlannedEnd, au.ActualStart, au.ActualEnd = dates["planned_start"], dates["planned_end"], dates["actual_start"], dates["actual_end"]
	au.Status, au.Conclusion = status, strings.TrimSpace(in.Conclusion)
	return team
}

// scopeIDs checks the clauses and controls of a scope against the catalog and puts them in the catalog's
// order, each once.
func (s *Service) scopeIDs(p *isms.Problems, clauses, controls []string) ([]string, []string) {
	pick := func(field string, vals []string, id func(*isms.Problems, string, string) string, all []string) []string {
		seen := map[string]bool{}
		for _, v := range vals {
			for _, part := range strings.Split(v, ",") {
				if x := id(p, field, part); x != "" {
					seen[x] = true
				}
			}
		}
		out := []string{}
		for _, x := range all {
			if seen[x] {
				out = append(out, x)
			}
		}
		return out
	}
	var clauseIDs, controlIDs []string
	for _, c := range s.cat.Clauses() {
		clauseIDs = append(clauseIDs, c.ID)
	}
	for _, c := range s.cat.Controls() {
		controlIDs = append(controlIDs, c.ID)
	}
	return pick("clauses", clauses, s.clauseID, clauseIDs), pick("controls", controls, s.controlID, controlIDs)
}

// syncChecklist makes the checklist follow the scope: one item per clause, then per control, in the catalog's
// order; an item still in scope keeps what was recorded against it.
func (s *Service) syncChecklist(ctx context.Context, tx *store.Tx, a Actor, au *isms.Audit) ([]isms.AuditItem, error) {
	saved, err := tx.AuditItems(ctx, a.OrgID, au.ID)
	if err != nil {
		return nil, err
	}
	old := map[string]isms.AuditItem{}
	for _, it := range saved {
		old[it.Kind+" "+it.Target] = it
	}
	var items []isms.AuditItem
	add := func(kind string, ids []string) {
		for _, id := range ids {
			it, ok := old[kind+" "+id]
			if !ok {
				it = isms.AuditItem{Kind: kind, Target: id}
			}
			it.Position = len(items) + 1
			items = append(items, it)
		}
	}
	add("clause", au.Clauses)
	add("control", au.Controls)
	same := len(items) == len(saved)
	for i := range items {
		same = same && items[i].Kind == saved[i].Kind && items[i].Target == saved[i].Target && items[i].Position == saved[i].Position
	}
	if same {
		return items, nil
	}
	return items, tx.SetAuditItems(ctx, a.OrgID, au.ID, items)
}
