package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Without the installation key the store writes no audit event at all, rather than an unkeyed one.
func TestAppendAuditRefusesWithoutAKey(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			st := store.New(testutil.NewDB(t, engine))
			ctx := context.Background()
			err := st.Write(ctx, func(tx *store.Tx) error {
				org := isms.Organisation{ID: store.NewID(), Name: "Keyless", Slug: "keyless", CreatedAt: time.Now()}
				if err := tx.CreateOrg(ctx, org); err != nil {
					return err
				}
				return tx.AppendAudit(ctx, &isms.AuditEvent{OrgID: org.ID, At: time.Now(), Actor: "x", Via: "cli", Action: "create", Entity: "organisation"})
			})
			if err == nil || !strings.Contains(err.Error(), "no audit key") {
				t.Fatalf("append without a key: %v", err)
			}
		})
	}
}
