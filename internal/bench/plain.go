package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// plainInserts is the baseline of API create throughput: the least a durable, audited create needs, written
// straight in database/sql on the server's own pools and pragmas. Each insert is one transaction with a risk
// row and an audit event that extends the organisation's keyed chain, so the trail still verifies afterwards.
type plainInserts struct {
	db    *sqldb.DB
	key   []byte
	orgID string
	run   int64
	n     atomic.Int64
}

func (p *plainInserts) insert(ctx context.Context) error {
	tx, err := p.db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UTC().Truncate(time.Microsecond)
	id, at := uuid.Must(uuid.NewV7()).String(), now.Format(isms.TimeFormat)
	// Z- sorts after the sample's R- references on both engines, so that the risks of a run stay off the first
	// page of the register that the next run measures.
	ref := fmt.Sprintf("Z-%d-%d", p.run, p.n.Add(1))
	if _, err := tx.ExecContext(ctx, `INSERT INTO risks (id, org_id, ref, title, threat, vulnerability, likelihood, impact, score, treatment,
		created_at, updated_at, version) VALUES ($1, $2, $3, 'Benchmark risk', 'Phishing', 'No training', 3, 4, 12, 'modify', $4, $4, 1)`,
		id, p.orgID, ref, at); err != nil {
		return err
	}
	lock := ""
	if p.db.Engine == sqldb.Postgres {
		lock = " FOR NO KEY UPDATE"
	}
	e := isms.AuditEvent{ID: uuid.Must(uuid.NewV7()).String(), OrgID: p.orgID, At: now, ActorID: "bench", Actor: "bench", Via: "bench",
		Action: "create", Entity: "risk", EntityID: id, Ref: ref, After: []byte(`{"title":"Benchmark risk"}`)}
	if err := tx.QueryRowContext(ctx, "SELECT audit_seq, audit_head FROM organisations WHERE id = $1"+lock, p.orgID).Scan(&e.Seq, &e.PrevHash); err != nil {
		return err
	}
	e.Seq++
	e.Hash = e.ComputeHash(p.key)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_events (id, org_id, seq, at, actor_id, actor, via, action, entity, entity_id, ref,
		before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', $12, $13, $14)`,
		e.ID, e.OrgID, e.Seq, at, e.ActorID, e.Actor, e.Via, e.Action, e.Entity, e.EntityID, e.Ref, string(e.After), e.PrevHash, e.Hash); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE organisations SET audit_seq = $1, audit_head = $2 WHERE id = $3", e.Seq, e.Hash, p.orgID); err != nil {
		return err
	}
	return tx.Commit()
}

// dropOrganisation deletes an organisation the bench created, with everything in it (every table refers to
// organisations with ON DELETE CASCADE).
func dropOrganisation(ctx context.Context, db *sqldb.DB, orgID string) error {
	if orgID == "" {
		return nil
	}
	_, err := db.W.ExecContext(ctx, "DELETE FROM organisations WHERE id = $1", orgID)
	return err
}
