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
