package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Search reads the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL), which must follow every insert,
// bulk insert, update and delete, match any part of reference, title, threat or vulnerability in any case,
// and stay inside the organisation.
func TestRiskSearchIndex(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			org, _ := newOrg(t, st, "search")
			other, _ := newOrg(t, st, "search-other")
			risk := func(ref, title, threat string) isms.Risk {
				return isms.Risk{ID: store.NewID(), Ref: ref, Title: title, Threat: threat, Vulnerability: "Weak passwords",
					Likelihood: 2, Impact: 2, Score: 4, Treatment: isms.TreatModify, CreatedAt: t0, UpdatedAt: t0, Version: 1}
			}
			phishing, outage := risk("R-001", "Phishing of finance staff", "Social engineering"), risk("R-002", "Datacentre outage", "Power cut")
			write(t, st, func(ctx context.Context, tx *store.Tx) error {
				if err := tx.CreateRisk(ctx, org.ID, "", phishing); err != nil {
					return err
				}
				if err := tx.InsertRisks(ctx, org.ID, []store.NewRisk{{Risk: outage, History: isms.RiskAssessment{RiskID: outage.ID, At: t0}}}); err != nil {
					return err
				}
				return tx.CreateRisk(ctx, other.ID, "", risk("R-001", "Phishing elsewhere", ""))
			})
			search := func(s string) []string {
				t.Helper()
				var refs []string
				ok(t, st.Read(context.Background(), func(tx *store.Tx) error {
					l, err := tx.ListRisks(context.Background(), org.ID, store.RiskFilter{Search: s}, store.Page{})
					for _, r := range l.Items {
						refs = append(refs, r.Ref)
					}
					return err
				}))
				return refs
			}
			for s, want := range map[string][]string{"PHISH": {"R-001"}, "centre out": {"R-002"}, "power": {"R-002"}, "r-00": {"R-001", "R-002"},
				"ak passw": {"R-001", "R-002"}, "at": {"R-002"}, "nothing like it": nil} {
				if got := search(s); !slices.Equal(got, want) {
					t.Errorf("search %q: %v, want %v", s, got, want)
				}
			}
			write(t, st, func(ctx context.Context, tx *store.Tx) error {
				phishing.Title = "Vishing of finance staff"
				if err := tx.UpdateRisk(ctx, org.ID, "", phishing); err != nil {
					return err
				}
				return tx.DeleteRisk(ctx, org.ID, outage.ID)
			})
			if got := search("phish"); got != nil {
				t.Errorf("search after the title changed finds %v", got)
			}
			if got := search("vishing"); !slices.Equal(got, []string{"R-001"}) {
				t.Errorf("search for the new title: %v", got)
			}
			if got := search("outage"); got != nil {
				t.Errorf("search finds a deleted risk: %v", got)
			}
		})
	}
}

// A list's total is remembered until the organisation's audit trail moves on: the second page costs no count,
// and an audited change shows in the next total at once.
func TestRiskCountFollowsTheAuditTrail(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			org, u := newOrg(t, st, "count")
			add := func(ref string) {
				write(t, st, func(ctx context.Context, tx *store.Tx) error {
					r := isms.Risk{ID: store.NewID(), Ref: ref, Title: "Risk " + ref, Likelihood: 1, Impact: 1, Score: 1,
						Treatment: isms.TreatRetain, CreatedAt: t0, UpdatedAt: t0, Version: 1}
					if err := tx.CreateRisk(ctx, org.ID, "", r); err != nil {
						return err
					}
					return tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: org.ID, At: t0, ActorID: u.ID, Actor: u.Email, Via: "cli",
						Action: "create", Entity: "risk", EntityID: r.ID, Ref: ref})
				})
			}
			list := func() (total int, statements int64) {
				t.Helper()
				before := st.Statements()
				ok(t, st.Read(context.Background(), func(tx *store.Tx) error {
					l, err := tx.ListRisks(context.Background(), org.ID, store.RiskFilter{Treatment: "retain"}, store.Page{Limit: 1})
					total = l.Total
					return err
				}))
				return total, st.Statements() - before
			}
			add("R-001")
			first, cold := list()
			again, warm := list()
			if first != 1 || again != 1 || warm != cold-1 {
				t.Fatalf("totals %d then %d; statements %d then %d (the second list should skip the count)", first, again, cold, warm)
			}
			add("R-002")
			if n, _ := list(); n != 2 {
				t.Fatalf("after an audited change the total is %d, want 2", n)
			}
		})
	}
}
