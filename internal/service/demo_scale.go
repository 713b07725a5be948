package service

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// SampleSize is what a larger sample adds to the demo organisation, for measuring praxis at scale.
type SampleSize struct {
	Assets      int
	Risks       int // each with one to three assets, the controls of its threat and about one treatment action
	AuditEvents int // the organisation's trail is filled up to this many events
}

// SampleScales are the sizes `praxis demo --scale` knows; "small" is the demo alone.
var SampleScales = map[string]SampleSize{
	"small":  {},
	"medium": {Assets: 1_000, Risks: 10_000, AuditEvents: 100_000},
	"large":  {Assets: 10_000, Risks: 100_000, AuditEvents: 1_000_000},
}

// Progress is told how far a long task has come: done of total units of what.
type Progress func(what string, done, total int)

// sampleBatch is how many rows one transaction of the sample writes: big enough to amortise the commit, small
// enough that a reader never waits long.
const sampleBatch = 2_000

// DemoSample creates the demo organisation (Demo) and, when it created it, adds size on top of it through the
// store's multi-row inserts, a batch per transaction, with every row audited in the organisation's keyed chain.
func (s *Service) DemoSample(ctx context.Context, size SampleSize, progress Progress) (created bool, logins []DemoLogin, err error) {
	created, logins, err = s.Demo(ctx)
	if err != nil || !created || size == (SampleSize{}) {
		return created, logins, err
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	owner, err := s.OperatorActor(ctx, DemoOrgSlug, "")
	if err != nil {
		return created, logins, err
	}
	g := &sampler{s: s, a: owner, rnd: rand.New(rand.NewPCG(9, 27)), progress: progress}
	for _, step := range []func(context.Context, SampleSize) error{g.loadOwners, g.addAssets, g.addRisks, g.fillTrail} {
		if err := step(ctx, size); err != nil {
			return created, logins, fmt.Errorf("sample: %w", err)
		}
	}
	return created, logins, nil
}

// sampler writes the sample: what it wrote so far is what later rows refer to.
type sampler struct {
	s        *Service
	a        Actor
	rnd      *rand.Rand
	progress Progress
	owners   []personRef // risk and action owners
	assetIDs []string    // asset ids
	assetRef map[string]string
	riskRefs []string
	riskIDs  []string
}

type personRef struct{ id, ref, name string }

// loadOwners loads the demo's staff as owners.
func (g *sampler) loadOwners(ctx context.Context, _ SampleSize) error {
	return g.s.store.Read(ctx, func(tx *store.Tx) error {
		names, err := tx.RefNames(ctx, g.a.OrgID, "people")
		if err != nil {
			return err
		}
		for id, rn := range names {
			g.owners = append(g.owners, personRef{id, rn[0], rn[1]})
		}
		sort.Slice(g.owners, func(i, j int) bool { return g.owners[i].ref < g.owners[j].ref }) // same sample every run
		return nil
	})
}

func (g *sampler) owner() personRef { return g.owners[g.rnd.IntN(len(g.owners))] }

// inBatches calls write for each batch of n units in its own write transaction, reporting progress as what.
func (g *sampler) inBatches(ctx context.Context, what string, n int, write func(tx *store.Tx, from, to int) error) error {
	for from := 0; from < n; from += sampleBatch {
		to := min(n, from+sampleBatch)
		if err := g.s.store.Write(ctx, func(tx *store.Tx) error { return write(tx, from, to) }); err != nil {
			return fmt.Errorf("%s %d-%d: %w", what, from+1, to, err)
		}
		g.progress(what, to, n)
	}
	return nil
}

var sampleAssetKinds = []struct{ typ, name string }{
	{"information", "Customer records"}, {"software", "Internal tool"}, {"hardware", "Laptop"}, {"service", "SaaS service"},
	{"people", "Team"}, {"site", "Office"}, {"supplier", "Supplier"},
}

func (g *sampler) addAssets(ctx context.Context, size SampleSize) error {
	g.assetRef = map[string]string{}
	return g.inBatches(ctx, "assets", size.Assets, func(tx *store.Tx, from, to int) error {
		refs, err := tx.NextRefs(ctx, g.a.OrgID, "A", to-from)
		if err != nil {
			return err
		}
		now := g.s.now()
		rows := make([]store.NewAsset, len(refs))
		events := make([]*isms.AuditEvent, len(refs))
		for i, ref := range refs {
			k, o := sampleAssetKinds[g.rnd.IntN(len(sampleAssetKinds))], g.owner()
			a := isms.Asset{ID: store.NewID(), Ref: ref, Name: fmt.Sprintf("%s %d", k.name, from+i+1), Type: k.typ, Owner: o.ref, OwnerName: o.name,
				Classification: isms.Classifications[g.rnd.IntN(len(isms.Classifications))], Confidentiality: 1 + g.rnd.IntN(5),
				Integrity: 1 + g.rnd.IntN(5), Availability: 1 + g.rnd.IntN(5), Location: fmt.Sprintf("Site %d", 1+g.rnd.IntN(40)),
				CreatedAt: now, UpdatedAt: now, Version: 1}
			rows[i] = store.NewAsset{Asset: a, OwnerID: o.id}
			if events[i], err = g.s.auditEvent(g.a, "create", "asset", a.ID, a.Ref, nil, a); err != nil {
				return err
			}
			g.assetIDs = append(g.assetIDs, a.ID)
			g.assetRef[a.ID] = a.Ref
		}
		if err := tx.InsertAssetsBulk(ctx, g.a.OrgID, rows); err != nil {
			return err
		}
		return tx.AppendAuditBatch(ctx, g.a.OrgID, events)
	})
}

var sampleTreatments = []isms.Treatment{isms.TreatModify, isms.TreatModify, isms.TreatModify, isms.TreatRetain, isms.TreatShare, isms.TreatAvoid}

func (g *sampler) addRisks(ctx context.Context, size SampleSize) error {
	m, err := g.s.RiskMethod(WithActor(ctx, g.a))
	if err != nil {
		return err
	}
	threats, vulns := g.s.cat.Threats(), g.s.cat.Vulnerabilities()
	// A risk cannot name a control the SoA excludes (the sample organisation's physical ones): leave them out.
	excluded, err := g.s.SoA(WithActor(ctx, g.a), SoAFilter{Applicable: "no"})
	if err != nil {
		return err
	}
	isExcluded := func(c string) bool {
		return slices.ContainsFunc(excluded.Entries, func(e isms.SoAEntry) bool { return e.Control == c })
	}
	today := g.s.now()
	return g.inBatches(ctx, "risks", size.Risks, func(tx *store.Tx, from, to int) error {
		refs, err := tx.NextRefs(ctx, g.a.OrgID, "R", to-from)
		if err != nil {
			return err
		}
		now := g.s.now()
		risks := make([]store.NewRisk, len(refs))
		var actions []store.NewAction
		var events []*isms.AuditEvent
		for i, ref := range refs {
			th, vu, o := threats[g.rnd.IntN(len(threats))], vulns[g.rnd.IntN(len(vulns))], g.owner()
			r := isms.Risk{ID: store.NewID(), Ref: ref, Title: fmt.Sprintf("%s through %s (%d)", th.Name, lowerFirst(vu.Name), from+i+1),
				Description: th.Description, Threat: th.Name, Vulnerability: vu.Name, Owner: o.ref, OwnerName: o.name,
				Likelihood: 1 + g.rnd.IntN(len(m.Likelihood)), Impact: 1 + g.rnd.IntN(len(m.Impact)),
				Treatment: sampleTreatments[g.rnd.IntN(len(sampleTreatments))], Controls: slices.DeleteFunc(slices.Clone(th.Controls), isExcluded),
				CreatedAt: now, UpdatedAt: now, Version: 1}
			if r.Controls == nil {
				r.Controls = []string{}
			}
			r.Score = m.Score(r.Likelihood, r.Impact)
			if r.Treatment == isms.TreatModify || g.rnd.IntN(2) == 0 {
				r.ResidualLikelihood, r.ResidualImpact = 1+g.rnd.IntN(r.Likelihood), r.Impact
				r.ResidualScore = m.Score(r.ResidualLikelihood, r.ResidualImpact)
			}
			if r.ResidualScore > 0 && g.rnd.IntN(4) == 0 {
				at := now
				r.AcceptedAt, r.AcceptedByID, r.AcceptedBy, r.AcceptanceComment = &at, g.a.UserID, g.a.Name, "Within appetite."
			}
			var assetIDs []string
			for range 1 + g.rnd.IntN(3) {
				if id := g.assetIDs[g.rnd.IntN(len(g.assetIDs))]; !slices.Contains(assetIDs, id) {
					assetIDs = append(assetIDs, id)
				}
			}
			for _, id := range assetIDs {
				r.Assets = append(r.Assets, g.assetRef[id])
			}
			risks[i] = store.NewRisk{Risk: r, OwnerID: o.id, AssetIDs: assetIDs, History: assessmentOf(r, m, g.a, now, "first assessment")}
			e, err := g.s.auditEvent(g.a, "create", "risk", r.ID, r.Ref, nil, r)
			if err != nil {
				return err
			}
			events = append(events, e)
			for range g.rnd.IntN(3) { // 0, 1 or 2: about one action per risk
				ao := g.owner()
				due := today.AddDate(0, 0, g.rnd.IntN(365)-120).Format("2006-01-02")
				actions = append(actions, store.NewAction{OwnerID: ao.id, Action: isms.TreatmentAction{ID: store.NewID(), RiskID: r.ID, RiskRef: r.Ref,
					Title: "Apply control " + firstNonEmpty(append(slices.Clone(r.Controls), "5.1")...) + " to " + r.Ref, Owner: ao.ref, OwnerName: ao.name,
					Due: due, Status: isms.ActionStatuses[g.rnd.IntN(len(isms.ActionStatuses))], CreatedAt: now, Version: 1}})
			}
			g.riskRefs, g.riskIDs = append(g.riskRefs, r.Ref), append(g.riskIDs, r.ID)
		}
		actionRefs, err := tx.NextRefs(ctx, g.a.OrgID, "TA", len(actions))
		if err != nil {
			return err
		}
		for i := range actions {
			t := &actions[i].Action
			t.Ref = actionRefs[i]
			e, err := g.s.auditEvent(g.a, "create", "treatment action", t.ID, t.Ref, nil, t)
			if err != nil {
				return err
			}
			events = append(events, e)
		}
		if err := tx.InsertRisks(ctx, g.a.OrgID, risks); err != nil {
			return err
		}
		if err := tx.InsertActionsBulk(ctx, g.a.OrgID, actions); err != nil {
			return err
		}
		return tx.AppendAuditBatch(ctx, g.a.OrgID, events)
	})
}

// sampleReview is the state an update event of the filled-up trail records: a periodic review of a risk.
type sampleReview struct {
	Ref        string `json:"ref"`
	Likelihood int    `json:"likelihood"`
	Note       string `json:"note"`
}

// fillTrail adds periodic reviews of the sample's risks to the audit trail until it holds size.AuditEvents.
func (g *sampler) fillTrail(ctx context.Context, size SampleSize) error {
	var seq int64
	if err := g.s.store.Read(ctx, func(tx *store.Tx) (err error) {
		seq, _, err = tx.AuditHead(ctx, g.a.OrgID)
		return err
	}); err != nil {
		return err
	}
	n := size.AuditEvents - int(seq)
	if n <= 0 || len(g.riskIDs) == 0 {
		return nil
	}
	return g.inBatches(ctx, "audit events", n, func(tx *store.Tx, from, to int) error {
		events := make([]*isms.AuditEvent, to-from)
		for i := range events {
			k := g.rnd.IntN(len(g.riskIDs))
			l := 1 + g.rnd.IntN(5)
			e, err := g.s.auditEvent(g.a, "update", "risk", g.riskIDs[k], g.riskRefs[k],
				sampleReview{g.riskRefs[k], l, ""}, sampleReview{g.riskRefs[k], max(1, l-1), "quarterly review"})
			if err != nil {
				return err
			}
			events[i] = e
		}
		return tx.AppendAuditBatch(ctx, g.a.OrgID, events)
	})
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
