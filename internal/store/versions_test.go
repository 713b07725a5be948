package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Approved versions number per organisation and subject, keep their content and approver, list newest first
// without content, and refuse a number taken already with a Conflict.
func TestApprovedVersionsNumberPerSubject(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			st.SetAuditKey(testutil.TestKey.Audit())
			org, u := newOrg(t, st, "versions")
			other, _ := newOrg(t, st, "other")
			version := func(subject string, n int) isms.ApprovedVersion {
				return isms.ApprovedVersion{Subject: subject, Number: n, ApprovedBy: "Owner", ApprovedByID: u.ID, ApprovedAt: t0, Comment: "ok",
					Hash: isms.ContentHash([]byte(subject)), Summary: json.RawMessage(`{"n":1}`), Content: json.RawMessage(`{"text":"` + subject + `"}`)}
			}
			write(t, st, func(ctx context.Context, tx *store.Tx) error {
				for _, v := range []isms.ApprovedVersion{version("soa", 1), version("soa", 2), version("scope", 1)} {
					if err := tx.InsertApprovedVersion(ctx, org.ID, v); err != nil {
						return err
					}
				}
				return nil
			})
			err := st.Write(t.Context(), func(tx *store.Tx) error { return tx.InsertApprovedVersion(t.Context(), org.ID, version("scope", 1)) })
			if isms.ErrorKind(err) != isms.KindConflict {
				t.Errorf("a second scope version 1 = %v, want a Conflict", err)
			}
			ok(t, st.Read(t.Context(), func(tx *store.Tx) error {
				ctx := t.Context()
				for _, c := range []struct {
					org, subject string
					last         int
				}{{org.ID, "soa", 2}, {org.ID, "scope", 1}, {org.ID, "policy", 0}, {other.ID, "soa", 0}} {
					if n, err := tx.LastApprovedVersion(ctx, c.org, c.subject); err != nil || n != c.last {
						t.Errorf("last %s version = %d (%v), want %d", c.subject, n, err, c.last)
					}
				}
				l, err := tx.ApprovedVersions(ctx, org.ID, "soa")
				if err != nil || len(l) != 2 || l[0].Number != 2 || l[0].Content != nil || string(l[0].Summary) != `{"n":1}` {
					t.Errorf("soa versions = %+v (%v), want 2 then 1, without content", l, err)
				}
				v, err := tx.ApprovedVersion(ctx, org.ID, "scope", 1, "Scope")
				if err != nil || string(v.Content) != `{"text":"scope"}` || v.ApprovedByID != u.ID || !v.ApprovedAt.Equal(t0) || v.Hash != isms.ContentHash([]byte("scope")) {
					t.Errorf("scope version 1 = %+v (%v)", v, err)
				}
				if _, err := tx.ApprovedVersion(ctx, other.ID, "scope", 1, "Scope"); isms.ErrorKind(err) != isms.KindNotFound {
					t.Errorf("another organisation's scope version 1 = %v, want NotFound", err)
				}
				return nil
			}))
		})
	}
}
