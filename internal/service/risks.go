package service

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

type (
	AssetFilter  = store.AssetFilter
	RiskFilter   = store.RiskFilter
	ActionFilter = store.ActionFilter
	HeatCell     = store.HeatCell
)

// RiskMethod returns the organisation's risk method (the default until someone saves one).
func (s *Service) RiskMethod(ctx context.Context) (isms.RiskMethod, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.RiskMethod, error) {
		return tx.RiskMethod(ctx, a.OrgID)
	})
}

// RiskMethodInput changes the risk method. Version is the version read (0 if the default was shown).
// Rescale must be true to change the size of a scale while risks exist: each risk's levels are then mapped
// proportionally onto the new scales and the change is recorded in every risk's history.
type RiskMethodInput struct {
	Likelihood          []isms.Level `json:"likelihood"`
	Impact              []isms.Level `json:"impact"`
	Scoring             isms.Scoring `json:"scoring"`
	AcceptanceThreshold int          `json:"acceptance_threshold"`
	HighThreshold       int          `json:"high_threshold"`
	Version             int          `json:"version"`
	Rescale             bool         `json:"rescale"`
}

// RiskMethodResult is the saved method and what the change did to the register.
type RiskMethodResult struct {
	Method isms.RiskMethod
	// Rescored counts the risks re-scored on new scales or a new scoring; each got a history entry.
	Rescored int
	// Withdrawn lists the risks (refs) whose acceptance was withdrawn: the score it accepted changed, or is now
	// above the acceptance threshold when it was not before.
	Withdrawn []string
}

// SetRiskMethod saves the method and re-scores every risk when the scales or the scoring change. It never
// drops or invalidates an assessment silently: a change of scale size needs Rescale; each re-scored risk gets a
// history entry that names its previous levels and scores; an acceptance that no longer holds (isms.AcceptanceLapse)
// is withdrawn, in the risk's history and in the audit trail. The work is set-based: a few statements, whatever
// the size of the register.
func (s *Service) SetRiskMethod(ctx context.Context, in RiskMethodInput) (RiskMethodResult, error) {
	var res RiskMethodResult
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return res, err
	}
	next := isms.RiskMethod{Likelihood: in.Likelihood, Impact: in.Impact, Scoring: in.Scoring, AcceptanceThreshold: in.AcceptanceThreshold,
		HighThreshold: in.HighThreshold, Version: in.Version, UpdatedAt: s.now()}
	if next.Scoring == "" {
		next.Scoring = isms.ScoreMultiply
	}
	if err := next.Validate(); err != nil {
		return res, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		res = RiskMethodResult{Withdrawn: []string{}}
		before, err := tx.RiskMethod(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return isms.StaleVersion("risk method", "")
		}
		resized := len(before.Likelihood) != len(next.Likelihood) || len(before.Impact) != len(next.Impact)
		if resized && !in.Rescale {
			n, err := tx.CountRisks(ctx, a.OrgID)
			if err != nil {
				return err
			}
			if n > 0 {
				return isms.Conflict("%d risks are assessed on the current %dx%d scales: confirm re-scaling to map each onto the new %dx%d scales (recorded in every risk's history)",
					n, len(before.Likelihood), len(before.Impact), len(next.Likelihood), len(next.Impact))
			}
		}
		if err := tx.SaveRiskMethod(ctx, a.OrgID, next); err != nil {
			return err
		}
		res.Method = next
		res.Method.Version = in.Version + 1
		if err := s.audit(ctx, tx, a, "update", "risk method", a.OrgID, "risk method", before, res.Method); err != nil {
			return err
		}
		if err := s.reassessForMethod(ctx, tx, a, before, res.Method, &res); err != nil {
			return err
		}
		return s.redraftMethodology(ctx, tx, a)
	})
	return res, err
}

// reassessForMethod brings the register in line with a changed method: it re-scores every risk when the scales
// or the scoring changed, withdraws the acceptances that no longer hold, and records both in each risk's history
// and in the audit trail (one event for the re-scoring, one per withdrawn acceptance with the risk before and after).
func (s *Service) reassessForMethod(ctx context.Context, tx *store.Tx, a Actor, was, now isms.RiskMethod, res *RiskMethodResult) error {
	rescore := len(was.Likelihood) != len(now.Likelihood) || len(was.Impact) != len(now.Impact) || was.Scoring != now.Scoring
	if !rescore && was.AcceptanceThreshold == now.AcceptanceThreshold {
		return nil
	}
	before, err := tx.RiskScores(ctx, a.OrgID)
	if err != nil || len(before) == 0 {
		return err
	}
	at := s.now()
	after := before
	if rescore {
		if _, err := tx.RescaleRisks(ctx, a.OrgID, levelMap(len(was.Likelihood), len(now.Likelihood)), levelMap(len(was.Impact), len(now.Impact)),
			now.Scoring, at); err != nil {
			return err
		}
		if after, err = tx.RiskScores(ctx, a.OrgID); err != nil {
			return err
		}
		if len(after) != len(before) {
			return fmt.Errorf("re-scoring read %d risks after and %d before", len(after), len(before))
		}
	}
	change := fmt.Sprintf("%dx%d %s to %dx%d %s", len(was.Likelihood), len(was.Impact), was.Scoring, len(now.Likelihood), len(now.Impact), now.Scoring)
	var history []isms.RiskAssessment
	var withdrawn []string         // ids
	var changed []string           // refs whose levels or scores moved
	prev := map[string]isms.Risk{} // the withdrawn risks as they were, by id
	for i, b := range before {
		r := after[i]
		if r.ID != b.ID {
			return fmt.Errorf("re-scoring read risk %s after %s", r.ID, b.ID)
		}
		var notes []string
		if rescore {
			notes = append(notes, fmt.Sprintf("re-scored after the risk method changed (%s); was %s", change, scoreText(b)))
			if scoreText(b) != scoreText(r) {
				changed = append(changed, r.Ref)
			}
		}
		if why := isms.AcceptanceLapse(b, r, was, now); why != "" {
			withdrawn = append(withdrawn, r.ID)
			res.Withdrawn = append(res.Withdrawn, r.Ref)
			prev[r.ID] = b
			notes = append(notes, fmt.Sprintf("acceptance by %s on %s withdrawn: %s", b.AcceptedBy, b.AcceptedAt.Format(time.DateOnly), why))
		}
		if len(notes) > 0 {
			history = append(history, assessmentOf(r, now, a, at, strings.Join(notes, "; ")))
		}
	}
	if rescore {
		res.Rescored = len(before)
	}
	if err := tx.WithdrawAcceptances(ctx, a.OrgID, withdrawn, at); err != nil {
		return err
	}
	if err := tx.AddAssessments(ctx, a.OrgID, history); err != nil {
		return err
	}
	var events []*isms.AuditEvent
	if rescore {
		ev, err := s.auditEvent(a, "rescore", "risk", a.OrgID, "all risks", nil, map[string]any{"method_version": now.Version, "change": change,
			"risks": res.Rescored, "changed": len(changed), "changed_refs": changed, "withdrawn": res.Withdrawn})
		if err != nil {
			return err
		}
		events = append(events, ev)
	}
	// The risks as they are now, and as they were: the same but for the fields a method change touches.
	full, err := tx.RisksByID(ctx, a.OrgID, withdrawn)
	if err != nil {
		return err
	}
	for _, r := range full {
		b, old := prev[r.ID], r
		old.Likelihood, old.Impact, old.Score, old.ResidualLikelihood, old.ResidualImpact, old.ResidualScore = b.Likelihood, b.Impact, b.Score,
			b.ResidualLikelihood, b.ResidualImpact, b.ResidualScore
		old.AcceptedAt, old.AcceptedBy, old.AcceptedByID, old.AcceptanceComment = b.AcceptedAt, b.AcceptedBy, b.AcceptedByID, b.AcceptanceComment
		old.UpdatedAt, old.Version = b.UpdatedAt, b.Version
		ev, err := s.auditEvent(a, "withdraw acceptance", "risk", r.ID, r.Ref, old, r)
		if err != nil {
			return err
		}
		events = append(events, ev)
	}
	return tx.AppendAuditBatch(ctx, a.OrgID, events)
}

// RefList names references for a message: all of up to ten, else the first ten and how many more.
func RefList(refs []string) string {
	if len(refs) <= 10 {
		return strings.Join(refs, ", ")
	}
	return strings.Join(refs[:10], ", ") + fmt.Sprintf(" and %d more", len(refs)-10)
}

// scoreText is a risk's assessment in a few characters: "4x5 = 20, residual 2x4 = 8".
func scoreText(r isms.Risk) string {
	t := fmt.Sprintf("%dx%d = %d", r.Likelihood, r.Impact, r.Score)
	if r.ResidualScore > 0 {
		t += fmt.Sprintf(", residual %dx%d = %d", r.ResidualLikelihood, r.ResidualImpact, r.ResidualScore)
	}
	return t
}

// levelMap maps every level of a scale of size from to a scale of size to; index 0 is unused.
func levelMap(from, to int) []int {
	m := make([]int, from+1)
	for l := 1; l <= from; l++ {
		m[l] = isms.Rescale(l, from, to)
	}
	return m
}

// --- assets

// resolveRef finds the id of a reference, name or email in an index, adding a problem when it is unknown.
func resolveRef(p *isms.Problems, field, v string, index map[string]string, what string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	id, ok := index[strings.ToLower(v)]
	if !ok {
		p.Add(field, "no %s %q", what, v)
	}
	return id
}

// DeleteAsset removes an asset from the inventory and from the risks that name it.
func (s *Service) DeleteAsset(ctx context.Context, ref string) error {
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.AssetByRef(ctx, a.OrgID, ref)
		if err != nil {
			return err
		}
		ids, err := tx.RiskIDsOfAsset(ctx, a.OrgID, before.ID)
		if err != nil {
			return err
		}
		risks, err := tx.RisksByID(ctx, a.OrgID, ids) // as they were, for their audit events
		if err != nil {
			return err
		}
		if err := tx.DeleteAsset(ctx, a.OrgID, before.ID); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "delete", "asset", before.ID, before.Ref, before, nil); err != nil {
			return err
		}
		return s.assetLeftRisks(ctx, tx, a, before, risks)
	})
}

// assetLeftRisks records that a deleted asset no longer belongs to the risks that named it (before, as they
// were, in id order): each gets a new version (so an edit made on the old one is refused as stale), a history
// entry and an audit event with the risk before and after. A few statements per 500 risks, whatever their number.
func (s *Service) assetLeftRisks(ctx context.Context, tx *store.Tx, a Actor, asset isms.Asset, before []isms.Risk) error {
	if len(before) == 0 {
		return nil
	}
	ids := make([]string, len(before))
	for i, r := range before {
		ids[i] = r.ID
	}
	now := s.now()
	if err := tx.TouchRisks(ctx, a.OrgID, ids, now); err != nil {
		return err
	}
	after, err := tx.RisksByID(ctx, a.OrgID, ids)
	if err != nil {
		return err
	}
	m, err := tx.RiskMethod(ctx, a.OrgID)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("asset %s %s was deleted; the risk no longer names it", asset.Ref, asset.Name)
	history := make([]isms.RiskAssessment, len(after))
	events := make([]*isms.AuditEvent, len(after))
	if len(after) != len(before) {
		return fmt.Errorf("asset deletion read %d risks after and %d before", len(after), len(before))
	}
	for i, r := range after {
		if r.ID != before[i].ID {
			return fmt.Errorf("asset deletion read risk %s after %s", r.ID, before[i].ID)
		}
		history[i] = assessmentOf(r, m, a, now, note)
		if events[i], err = s.auditEvent(a, "update", "risk", r.ID, r.Ref, before[i], r); err != nil {
			return err
		}
	}
	if err := tx.AddAssessments(ctx, a.OrgID, history); err != nil {
		return err
	}
	return tx.AppendAuditBatch(ctx, a.OrgID, events)
}

// --- risks

// RiskInput is the editable part of a risk. Assets are asset references; Owner a person's reference, name or
// email; Controls Annex A 2022 ids. Residual levels are optional (0) but go in pairs. Note goes into the
// risk's history with this assessment.
type RiskInput struct {
	Title              string         `json:"title"`
	Description        string         `json:"description"`
	Assets             []string       `json:"assets"`
	Threat             string         `json:"threat"`
	Vulnerability      string         `json:"vulnerability"`
	Owner              string         `json:"owner"`
	Likelihood         int            `json:"likelihood"`
	Impact             int            `json:"impact"`
	Treatment          isms.Treatment `json:"treatment"`
	Controls           []string       `json:"controls"`
	ResidualLikelihood int            `json:"residual_likelihood"`
	ResidualImpact     int            `json:"residual_impact"`
	Note               string         `json:"note,omitempty"`
	Version            int            `json:"version"`
	Sent               Sent           `json:"-"` // the fields a request carried (patch.go)
}

// riskRefs are the indexes a risk's references resolve against: lower-cased reference, name (or email) to id.
// byID holds the rows a single write resolved, to name them in the saved risk without reading it back.
type riskRefs struct {
	people, assets map[string]string
	byID           map[string]store.Target
}

// resolveRefs finds exactly the people and assets that owners and assets name, with one scoped query per kind
// that is named (tx.Resolve), however many rows the organisation holds.
func resolveRefs(ctx context.Context, tx *store.Tx, orgID string, owners, assets []string) (riskRefs, error) {
	refs := riskRefs{people: map[string]string{}, assets: map[string]string{}, byID: map[string]store.Target{}}
	for _, k := range []struct {
		lookup store.Lookup
		values []string
		index  map[string]string
	}{{store.PeopleLookup, owners, refs.people}, {store.AssetLookup, assets, refs.assets}} {
		if !slices.ContainsFunc(k.values, func(v string) bool { return strings.TrimSpace(v) != "" }) {
			continue
		}
		found, err := tx.Resolve(ctx, orgID, k.lookup, k.values)
		if err != nil {
			return refs, err
		}
		for v, t := range found {
			k.index[v], refs.byID[t.ID] = t.ID, t
		}
	}
	return refs, nil
}

// named sets the owner and the links of r from the ids a write resolved (refs.byID), as RiskByRef would read them.
func (refs riskRefs) named(r *isms.Risk, ownerID string, assetIDs, controls []string) {
	owner := refs.byID[ownerID]
	r.Owner, r.OwnerName = owner.Ref, owner.Name
	assets := make([]string, len(assetIDs))
	for i, id := range assetIDs {
		assets[i] = refs.byID[id].Ref
	}
	store.WithLinks(r, assets, controls)
}

// validate checks a risk input against the method, the catalog and the organisation's people and assets,
// reporting every problem under prefix (e.g. "line 4: "). It returns the owner's person id and the asset ids.
func (s *Service) validateRisk(in *RiskInput, m isms.RiskMethod, refs riskRefs, prefix string) (ownerID string, assetIDs []string, err error) {
	var p isms.Problems
	isms.CheckText(&p, prefix+"title", in.Title, 200)
	if len(in.Description) > 4000 {
		p.Add(prefix+"description", "must be at most 4000 characters")
	}
	isms.CheckLevel(&p, prefix+"likelihood", in.Likelihood, len(m.Likelihood), false)
	isms.CheckLevel(&p, prefix+"impact", in.Impact, len(m.Impact), false)
	isms.CheckLevel(&p, prefix+"residual_likelihood", in.ResidualLikelihood, len(m.Likelihood), true)
	isms.CheckLevel(&p, prefix+"residual_impact", in.ResidualImpact, len(m.Impact), true)
	if (in.ResidualLikelihood == 0) != (in.ResidualImpact == 0) {
		p.Add(prefix+"residual_impact", "residual likelihood and impact go together: give both or neither")
	}
	in.Treatment = isms.Treatment(strings.ToLower(strings.TrimSpace(string(in.Treatment))))
	if !in.Treatment.Valid() {
		p.Add(prefix+"treatment", "must be one of modify, retain, avoid, share")
	}
	controls := make([]string, 0, len(in.Controls))
	for _, c := range in.Controls {
		c = strings.TrimPrefix(strings.TrimSpace(c), "A.")
		if c == "" {
			continue
		}
		ctl, ok := s.cat.Control(c)
		if !ok {
			p.Add(prefix+"controls", "%s", s.notAControl(c))
			continue
		}
		if !slices.Contains(controls, ctl.ID) {
			controls = append(controls, ctl.ID)
		}
	}
	in.Controls = controls
	ownerID = resolveRef(&p, prefix+"owner", in.Owner, refs.people, "person")
	for _, ref := range in.Assets {
		if strings.TrimSpace(ref) == "" {
			continue
		}
		if id := resolveRef(&p, prefix+"assets", ref, refs.assets, "asset"); id != "" && !slices.Contains(assetIDs, id) {
			assetIDs = append(assetIDs, id)
		}
	}
	return ownerID, assetIDs, p.Err()
}

// RiskDetail is a risk with its history and treatment actions.
type RiskDetail struct {
	isms.Risk
	Band         string                 `json:"band"`
	ResidualBand string                 `json:"residual_band"`
	History      []isms.RiskAssessment  `json:"history"`
	Actions      []isms.TreatmentAction `json:"actions"`
}

// ListRisks lists the risk register.
func (s *Service) ListRisks(ctx context.Context, f RiskFilter, p Page) (List[isms.Risk], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Risk], error) {
		return tx.ListRisks(ctx, a.OrgID, f, p)
	})
}

// BandFilter narrows f to the scores of a band (low, medium, high) of the method, inherent or residual.
func BandFilter(f RiskFilter, m isms.RiskMethod, band string, residual bool) (RiskFilter, error) {
	var lo, hi int
	switch band {
	case "":
		return f, nil
	case "low":
		lo, hi = 1, m.AcceptanceThreshold
	case "medium":
		lo, hi = m.AcceptanceThreshold+1, m.HighThreshold-1
	case "high":
		lo, hi = m.HighThreshold, m.MaxScore()
	default:
		return f, isms.Invalid(isms.FieldError{Field: "band", Message: "must be low, medium or high"})
	}
	if residual {
		f.MinResidual, f.MaxResidual = lo, hi
	} else {
		f.MinScore, f.MaxScore = lo, hi
	}
	return f, nil
}

// AppetiteFilter narrows f to the risks whose current score (isms.Risk.CurrentScore) is above the method's
// acceptance threshold ("above") or within it ("within").
func AppetiteFilter(f RiskFilter, m isms.RiskMethod, appetite string) (RiskFilter, error) {
	switch appetite {
	case "":
	case "above":
		f.MinCurrent, f.MaxCurrent = m.AcceptanceThreshold+1, 0
	case "within":
		f.MinCurrent, f.MaxCurrent = 1, m.AcceptanceThreshold
	default:
		return f, isms.Invalid(isms.FieldError{Field: "appetite", Message: "must be above or within"})
	}
	return f, nil
}

// Risk returns one risk with its history and actions.
func (s *Service) Risk(ctx context.Context, ref string) (RiskDetail, error) {
	var out RiskDetail
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return out, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		r, err := tx.RiskByRef(ctx, a.OrgID, ref)
		if err != nil {
			return err
		}
		m, err := tx.RiskMethod(ctx, a.OrgID)
		if err != nil {
			return err
		}
		out = RiskDetail{Risk: r, Band: m.Band(r.Score), ResidualBand: m.Band(r.ResidualScore)}
		if out.History, err = tx.RiskHistory(ctx, a.OrgID, r.ID); err != nil {
			return err
		}
		actions, err := tx.ListActions(ctx, a.OrgID, store.ActionFilter{Risk: r.Ref}, store.Page{Limit: store.MaxPageSize})
		out.Actions = actions.Items
		return err
	})
	return out, err
}

// FromLibrary starts a risk from the threat and vulnerability library: a threat or vulnerability given as a
// library id (T09, V18) becomes its name, and what in leaves empty comes from the library: the title and the
// description of the threat (else of the vulnerability) and the controls both suggest. An id the library does
// not hold is Invalid; other text is kept as it is. AddRisk applies it, so every door may name library ids; the
// web's new-risk form is filled with it.
func (s *Service) FromLibrary(in RiskInput) (RiskInput, error) {
	var p isms.Problems
	var picked []catalog.Threat
	for _, pick := range []struct {
		field   string
		value   *string
		library []catalog.Threat
	}{
		{"threat", &in.Threat, s.cat.Threats()},
		{"vulnerability", &in.Vulnerability, s.cat.Vulnerabilities()},
	} {
		v := strings.TrimSpace(*pick.value)
		i := slices.IndexFunc(pick.library, func(t catalog.Threat) bool { return strings.EqualFold(t.ID, v) })
		switch {
		case i >= 0:
			*pick.value = pick.library[i].Name
			picked = append(picked, pick.library[i])
		case libraryID.MatchString(v):
			p.Add(pick.field, "%s is not in the %s library (see praxis catalog threats)", v, pick.field)
		}
	}
	if len(picked) == 0 {
		return in, p.Err()
	}
	if strings.TrimSpace(in.Title) == "" {
		in.Title = picked[0].Name
	}
	if strings.TrimSpace(in.Description) == "" {
		in.Description = picked[0].Description
	}
	if len(in.Controls) == 0 {
		for _, t := range picked {
			for _, c := range t.Controls {
				if !slices.Contains(in.Controls, c) {
					in.Controls = append(in.Controls, c)
				}
			}
		}
	}
	return in, p.Err()
}

// libraryID is what a threat or vulnerability id of the library looks like.
var libraryID = regexp.MustCompile(`^(?i)[TV]\d{1,3}$`)

// RiskResult is a saved risk with the warnings about it (isms.Risk.Warnings): saved anyway, shown by every door.
type RiskResult struct {
	isms.Risk
	Warnings []string `json:"warnings" doc:"What looks wrong but was saved, e.g. a residual score above the inherent one"`
}

func riskResult(r isms.Risk) RiskResult { return RiskResult{Risk: r, Warnings: r.Warnings()} }

// AddRisk adds a risk to the register and records its first assessment. Threat and vulnerability may be ids of
// the library (FromLibrary).
func (s *Service) AddRisk(ctx context.Context, in RiskInput) (RiskResult, error) {
	var out isms.Risk
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return RiskResult{}, err
	}
	in, libErr := s.FromLibrary(in)
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		m, err := tx.RiskMethod(ctx, a.OrgID)
		if err != nil {
			return err
		}
		refs, err := resolveRefs(ctx, tx, a.OrgID, []string{in.Owner}, in.Assets)
		if err != nil {
			return err
		}
		if libErr != nil { // report every problem, the library's and the rest
			_, _, err := s.validateRisk(&in, m, refs, "")
			return joinInvalid(libErr, err)
		}
		out, err = s.addRisk(ctx, tx, a, m, refs, in, "")
		return err
	})
	return riskResult(out), err
}

// joinInvalid is one Invalid error with the field errors of both (either may be nil).
func joinInvalid(a, b error) error {
	var fields []isms.FieldError
	for _, err := range []error{a, b} {
		if err == nil {
			continue
		}
		e, ok := isms.AsError(err)
		if !ok || e.Kind != isms.KindInvalid {
			return err
		}
		fields = append(fields, e.Fields...)
	}
	if len(fields) == 0 {
		return nil
	}
	return isms.Invalid(fields...)
}

func (s *Service) addRisk(ctx context.Context, tx *store.Tx, a Actor, m isms.RiskMethod, refs riskRefs, in RiskInput, prefix string) (isms.Risk, error) {
	var r isms.Risk
	ownerID, assetIDs, err := s.validateRisk(&in, m, refs, prefix)
	if err != nil {
		return r, err
	}
	ref, err := tx.NextRef(ctx, a.OrgID, "R")
	if err != nil {
		return r, err
	}
	now := s.stamp()
	r = isms.Risk{ID: store.NewID(), Ref: ref, CreatedAt: now, Version: 1}
	applyRiskInput(&r, in, m, now)
	refs.named(&r, ownerID, assetIDs, in.Controls)
	// The risk, its links and its first assessment in one multi-row statement per table; not read back.
	if err := tx.InsertRisks(ctx, a.OrgID, []store.NewRisk{{Risk: r, OwnerID: ownerID, AssetIDs: assetIDs,
		History: assessmentOf(r, m, a, now, firstNonEmpty(in.Note, "first assessment"))}}); err != nil {
		return r, err
	}
	return r, s.audit(ctx, tx, a, "create", "risk", r.ID, r.Ref, nil, r)
}

func applyRiskInput(r *isms.Risk, in RiskInput, m isms.RiskMethod, now time.Time) {
	r.Title, r.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	r.Threat, r.Vulnerability = strings.TrimSpace(in.Threat), strings.TrimSpace(in.Vulnerability)
	r.Likelihood, r.Impact, r.Treatment = in.Likelihood, in.Impact, in.Treatment
	r.ResidualLikelihood, r.ResidualImpact = in.ResidualLikelihood, in.ResidualImpact
	r.Score = m.Score(r.Likelihood, r.Impact)
	r.ResidualScore = m.Score(r.ResidualLikelihood, r.ResidualImpact)
	r.UpdatedAt = now
}

// stamp is the service's clock to the microsecond, as times are stored: a write that returns what it saved
// without reading it back returns the same times a later read does.
func (s *Service) stamp() time.Time { return s.now().Truncate(time.Microsecond) }

// assessmentOf is the history entry of r as it is now, scored under m.
func assessmentOf(r isms.Risk, m isms.RiskMethod, a Actor, at time.Time, note string) isms.RiskAssessment {
	return isms.RiskAssessment{RiskID: r.ID, At: at, By: firstNonEmpty(a.Name, a.Email), Likelihood: r.Likelihood, Impact: r.Impact, Score: r.Score,
		ResidualLikelihood: r.ResidualLikelihood, ResidualImpact: r.ResidualImpact, ResidualScore: r.ResidualScore, Treatment: r.Treatment, Note: note,
		Method: m.Snapshot()}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// UpdateRisk changes a risk. A change of likelihood, impact, residual values or treatment is a reassessment:
// it goes into the risk's history, and a change of the residual risk withdraws an earlier acceptance.
func (s *Service) UpdateRisk(ctx context.Context, ref string, in RiskInput) (RiskResult, error) {
	var out isms.Risk
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return RiskResult{}, err
	}
	if err := in.Sent.require(riskRequired...); err != nil {
		return RiskResult{}, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.RiskByRef(ctx, a.OrgID, ref)
		if err != nil {
			return err
		}
		m, err := tx.RiskMethod(ctx, a.OrgID)
		if err != nil {
			return err
		}
		refs, err := resolveRefs(ctx, tx, a.OrgID, []string{in.Owner}, in.Assets)
		if err != nil {
			return err
		}
		ownerID, assetIDs, err := s.validateRisk(&in, m, refs, "")
		if err != nil {
			return err
		}
		now := s.stamp()
		next := before
		applyRiskInput(&next, in, m, now)
		refs.named(&next, ownerID, assetIDs, in.Controls)
		next.Version = in.Version
		if isms.AcceptanceLapse(before, next, m, m) != "" {
			next.WithdrawAcceptance()
		}
		if err := tx.UpdateRisk(ctx, a.OrgID, ownerID, next); err != nil {
			return err
		}
		next.Version++
		if !slices.Equal(next.Assets, before.Assets) || !slices.Equal(next.Controls, before.Controls) {
			if err := tx.SetRiskLinks(ctx, a.OrgID, next.ID, assetIDs, in.Controls); err != nil {
				return err
			}
		}
		reassessed := next.Likelihood != before.Likelihood || next.Impact != before.Impact || next.Treatment != before.Treatment ||
			next.ResidualLikelihood != before.ResidualLikelihood || next.ResidualImpact != before.ResidualImpact
		if reassessed || strings.TrimSpace(in.Note) != "" {
			if err := tx.AddAssessment(ctx, a.OrgID, assessmentOf(next, m, a, now, firstNonEmpty(in.Note, "reassessed"))); err != nil {
				return err
			}
		}
		out = next
		return s.audit(ctx, tx, a, "update", "risk", out.ID, out.Ref, before, out)
	})
	return riskResult(out), err
}

// AcceptRiskInput accepts the residual risk. Version is the version read.
type AcceptRiskInput struct {
	Comment string `json:"comment"`
	Version int    `json:"version"`
}

// AcceptRisk records that the risk owner or an approver accepts the risk as it stands (isms.RiskMethod.AcceptanceOf:
// the residual risk, or the inherent risk when no residual is assessed and the risk is not being modified). Above
// the method's acceptance threshold a comment is required.
func (s *Service) AcceptRisk(ctx context.Context, ref string, in AcceptRiskInput) (isms.Risk, error) {
	var out isms.Risk
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return out, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.RiskByRef(ctx, a.OrgID, ref)
		if err != nil {
			return err
		}
		may, err := s.mayAccept(ctx, tx, a, before)
		if err != nil {
			return err
		}
		if !may {
			return isms.Forbidden("only the risk owner (%s) or an approver may accept risk %s", firstNonEmpty(before.OwnerName, "none set"), before.Ref)
		}
		m, err := tx.RiskMethod(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if err := m.CheckAcceptance(before, in.Comment); err != nil {
			return err
		}
		now := s.stamp()
		next := before
		next.AcceptedAt, next.AcceptedBy, next.AcceptedByID, next.AcceptanceComment = &now, firstNonEmpty(a.Name, a.Email), a.UserID, strings.TrimSpace(in.Comment)
		next.Version, next.UpdatedAt = in.Version, now
		if err := tx.SaveAcceptance(ctx, a.OrgID, next); err != nil {
			return err
		}
		next.Version++
		out = next
		return s.audit(ctx, tx, a, "accept", "risk", out.ID, out.Ref, before, out)
	})
	return out, err
}

// MayAccept reports whether the caller may accept risk r, for a door that offers the acceptance only to those
// who may: AcceptRisk enforces the same rule.
func (s *Service) MayAccept(ctx context.Context, r isms.Risk) (bool, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (bool, error) {
		return s.mayAccept(ctx, tx, a, r)
	})
}

// mayAccept is who may accept a risk: an approver, or the person who owns it (linked account or same email).
func (s *Service) mayAccept(ctx context.Context, tx *store.Tx, a Actor, r isms.Risk) (bool, error) {
	if a.Approver {
		return true, nil
	}
	if r.Owner == "" {
		return false, nil
	}
	p, err := tx.PersonByRef(ctx, a.OrgID, r.Owner)
	if err != nil {
		return false, err
	}
	return p.UserID == a.UserID || (p.Email != "" && strings.EqualFold(p.Email, a.Email)), nil
}

// DeleteRisk removes a risk with its history and actions; the audit trail keeps its last state.
func (s *Service) DeleteRisk(ctx context.Context, ref string) error {
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.RiskByRef(ctx, a.OrgID, ref)
		if err != nil {
			return err
		}
		if err := tx.DeleteRisk(ctx, a.OrgID, before.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "delete", "risk", before.ID, before.Ref, before, nil)
	})
}

// HeatMap is the data of a risk heat map: the method (scales, bands) and the count per cell.
type HeatMap struct {
	Method   isms.RiskMethod `json:"method"`
	Residual bool            `json:"residual"`
	Cells    []HeatCell      `json:"cells"`
	Total    int             `json:"total"`
}

// RiskHeatMap counts risks per likelihood and impact, inherent or residual.
func (s *Service) RiskHeatMap(ctx context.Context, residual bool) (HeatMap, error) {
	out := HeatMap{Residual: residual}
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return out, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if out.Method, err = tx.RiskMethod(ctx, a.OrgID); err != nil {
			return err
		}
		if out.Cells, err = tx.RiskHeatMap(ctx, a.OrgID, residual); err != nil {
			return err
		}
		for _, c := range out.Cells {
			out.Total += c.Count
		}
		return nil
	})
	return out, err
}

// --- treatment plan

// ActionInput is the editable part of a treatment action.
type ActionInput struct {
	Title   string `json:"title"`
	Owner   string `json:"owner"`
	Due     string `json:"due"`
	Status  string `json:"status"`
	Notes   string `json:"notes"`
	Version int    `json:"version"`
	Sent    Sent   `json:"-"` // the fields a request carried (patch.go)
}

func (in *ActionInput) validate(p *isms.Problems, people map[string]string) string {
	isms.CheckText(p, "title", in.Title, 200)
	if in.Status == "" {
		in.Status = "planned"
	}
	if !isms.OneOf(in.Status, isms.ActionStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.ActionStatuses, ", "))
	}
	if in.Due != "" {
		if _, err := time.Parse(time.DateOnly, in.Due); err != nil {
			p.Add("due", "must be a date as YYYY-MM-DD")
		}
	}
	if len(in.Notes) > 4000 {
		p.Add("notes", "must be at most 4000 characters")
	}
	return resolveRef(p, "owner", in.Owner, people, "person")
}

// ListActions lists the risk treatment plan.
func (s *Service) ListActions(ctx context.Context, f ActionFilter, p Page) (List[isms.TreatmentAction], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.TreatmentAction], error) {
		return tx.ListActions(ctx, a.OrgID, f, p)
	})
}

// Today is the current day as YYYY-MM-DD, for overdue checks.
func (s *Service) Today() string { return s.now().Format(time.DateOnly) }

// AddAction adds a treatment action to a risk.
func (s *Service) AddAction(ctx context.Context, riskRef string, in ActionInput) (isms.TreatmentAction, error) {
	var out isms.TreatmentAction
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return out, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		riskID, riskRef, err := tx.RiskID(ctx, a.OrgID, riskRef)
		if err != nil {
			return err
		}
		refs, err := resolveRefs(ctx, tx, a.OrgID, []string{in.Owner}, nil)
		if err != nil {
			return err
		}
		var p isms.Problems
		ownerID := in.validate(&p, refs.people)
		if err := p.Err(); err != nil {
			return err
		}
		ref, err := tx.NextRef(ctx, a.OrgID, "TA")
		if err != nil {
			return err
		}
		owner := refs.byID[ownerID]
		out = isms.TreatmentAction{ID: store.NewID(), Ref: ref, RiskID: riskID, RiskRef: riskRef, Title: strings.TrimSpace(in.Title),
			Owner: owner.Ref, OwnerName: owner.Name, Due: in.Due, Status: in.Status, Notes: strings.TrimSpace(in.Notes), CreatedAt: s.stamp(), Version: 1}
		if err := tx.CreateAction(ctx, a.OrgID, ownerID, out); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "create", "treatment action", out.ID, out.Ref, nil, out)
	})
	return out, err
}

// UpdateAction changes a treatment action; a stale version is a Conflict.
func (s *Service) UpdateAction(ctx context.Context, ref string, in ActionInput) (isms.TreatmentAction, error) {
	return s.writeAction(ctx, ref, func(isms.TreatmentAction) (ActionInput, error) { return in, nil })
}

// SetActionStatus changes only the status of a treatment action and keeps its other fields as they are saved. The
// version is still checked: a status set on a stale page is a Conflict, so the user sees the change made meanwhile.
func (s *Service) SetActionStatus(ctx context.Context, ref, status string, version int) (isms.TreatmentAction, error) {
	if strings.TrimSpace(status) == "" {
		return isms.TreatmentAction{}, isms.Invalid(isms.FieldError{Field: "status", Message: "is required"})
	}
	return s.PatchAction(ctx, ref, ActionInput{Status: status, Version: version, Sent: SentOf("status")})
}

// writeAction saves the input that edit makes of the action as it is saved, in one audited transaction.
func (s *Service) writeAction(ctx context.Context, ref string, edit func(saved isms.TreatmentAction) (ActionInput, error)) (isms.TreatmentAction, error) {
	var out isms.TreatmentAction
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return out, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.ActionByRef(ctx, a.OrgID, ref)
		if err != nil {
			return err
		}
		in, err := edit(before)
		if err != nil {
			return err
		}
		refs, err := resolveRefs(ctx, tx, a.OrgID, []string{in.Owner}, nil)
		if err != nil {
			return err
		}
		var p isms.Problems
		ownerID := in.validate(&p, refs.people)
		if err := p.Err(); err != nil {
			return err
		}
		next := before
		next.Title, next.Due, next.Status, next.Notes, next.Version = strings.TrimSpace(in.Title), in.Due, in.Status, strings.TrimSpace(in.Notes), in.Version
		owner := refs.byID[ownerID]
		next.Owner, next.OwnerName = owner.Ref, owner.Name
		if err := tx.UpdateAction(ctx, a.OrgID, ownerID, next, s.now()); err != nil {
			return err
		}
		next.Version++
		out = next
		return s.audit(ctx, tx, a, "update", "treatment action", out.ID, out.Ref, before, out)
	})
	return out, err
}
