package service

import (
	"context"
	"crypto/ed25519"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/store"
)

// ListAudit lists the audit trail, newest first. Owners, admins and auditors may read it.
func (s *Service) ListAudit(ctx context.Context, f AuditFilter, p Page) (List[isms.AuditEvent], error) {
	return readAs(ctx, s, isms.PermReadAuditTrail, func(tx *store.Tx, a Actor) (List[isms.AuditEvent], error) {
		return tx.ListAudit(ctx, a.OrgID, f, p)
	})
}

// ListAuditKeyset reads the page of the audit trail sk asks for by keyset (sequence numbers), newest first.
func (s *Service) ListAuditKeyset(ctx context.Context, f AuditFilter, sk Seek) (Keyset[isms.AuditEvent], error) {
	return readAs(ctx, s, isms.PermReadAuditTrail, func(tx *store.Tx, a Actor) (Keyset[isms.AuditEvent], error) {
		return tx.ListAuditKeyset(ctx, a.OrgID, f, sk)
	})
}

// AuditFacets returns the values the audit trail can be filtered by.
func (s *Service) AuditFacets(ctx context.Context) (entities, actions, actors []string, err error) {
	a, err := require(ctx, isms.PermReadAuditTrail)
	if err != nil {
		return nil, nil, nil, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) (err error) {
		entities, actions, actors, err = tx.AuditFacets(ctx, a.OrgID)
		return err
	})
	return entities, actions, actors, err
}

// AuditCSVHeader is the header row of the audit-trail CSV export.
var AuditCSVHeader = []string{"seq", "at", "actor", "via", "action", "entity", "ref", "entity_id", "before", "after", "prev_hash", "hash"}

// ExportAuditCSV streams the matching events, oldest first, as CSV (UTF-8 with a BOM so that Excel reads it).
func (s *Service) ExportAuditCSV(ctx context.Context, f AuditFilter, w io.Writer) error {
	a, err := require(ctx, isms.PermReadAuditTrail)
	if err != nil {
		return err
	}
	return s.store.Read(ctx, func(tx *store.Tx) error { return writeAuditCSV(ctx, tx, a.OrgID, f, w) })
}

// writeAuditCSV writes the events of an organisation that match f, oldest first, as tx sees them: the CSV of
// ExportAuditCSV and of the auditor pack.
func writeAuditCSV(ctx context.Context, tx *store.Tx, orgID string, f AuditFilter, w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(AuditCSVHeader); err != nil {
		return err
	}
	err := tx.EachAudit(ctx, orgID, f, func(e *isms.AuditEvent) error {
		return cw.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.Format(isms.TimeFormat), csvSafe(e.Actor), e.Via, e.Action, e.Entity,
			csvSafe(e.Ref), e.EntityID, csvSafe(string(e.Before)), csvSafe(string(e.After)), e.PrevHash, e.Hash})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formula injection: a cell that starts with = + - @ is prefixed with a quote.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// VerifyResult reports the check of one organisation's hash chain.
type VerifyResult struct {
	Org    string           `json:"org"`
	Events int64            `json:"events"`
	Intact bool             `json:"intact"`
	Break  *isms.ChainBreak `json:"break,omitempty"`
	KeyID  string           `json:"key_id"` // the installation key the chain was checked with
}

// AuditKeyID is the fingerprint of the installation key the audit trail is keyed with.
func (s *Service) AuditKeyID() string { return s.cfg.Key.ID() }

// VerifyAuditTrail recomputes every organisation's hash chain (operator task: the CLI has the database).
func (s *Service) VerifyAuditTrail(ctx context.Context, orgSlug string) ([]VerifyResult, error) {
	var out []VerifyResult
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = s.verifyChains(ctx, tx, orgSlug)
		return err
	})
	return out, err
}

// verifyChains checks the chains of every organisation (or of the one named) as tx sees them.
func (s *Service) verifyChains(ctx context.Context, tx *store.Tx, orgSlug string) ([]VerifyResult, error) {
	orgs, err := tx.AllOrgs(ctx)
	if err != nil {
		return nil, err
	}
	var out []VerifyResult
	for _, o := range orgs {
		if orgSlug != "" && o.Slug != orgSlug {
			continue
		}
		r, _, err := verifyChain(ctx, tx, o, isms.NewChainVerifier(s.cfg.Key.Audit()), 0)
		if err != nil {
			return nil, err
		}
		r.KeyID = s.cfg.Key.ID()
		out = append(out, r)
	}
	if len(out) == 0 && orgSlug != "" {
		return nil, isms.NotFound("organisation %q not found", orgSlug)
	}
	return out, nil
}

// verifyChain checks one organisation's chain from genesis to its recorded head with v. It also returns the
// hash of the event at sequence at (0: none wanted), for comparing with a checkpoint.
func verifyChain(ctx context.Context, tx *store.Tx, o isms.Organisation, v *isms.ChainVerifier, at int64) (VerifyResult, string, error) {
	var brk *isms.ChainBreak
	var hashAt string
	err := tx.EachAudit(ctx, o.ID, store.AuditFilter{}, func(e *isms.AuditEvent) error {
		if brk == nil {
			brk = v.Next(e)
		}
		if e.Seq == at {
			hashAt = e.Hash
		}
		return nil
	})
	if err != nil {
		return VerifyResult{}, "", err
	}
	if brk == nil {
		seq, head, err := tx.AuditHead(ctx, o.ID)
		if err != nil {
			return VerifyResult{}, "", err
		}
		brk = v.Finish(seq, head)
	}
	return VerifyResult{Org: o.Slug, Events: v.Checked, Intact: brk == nil, Break: brk}, hashAt, nil
}

// auditKeySetting holds the fingerprint of the key the audit trail is keyed with (never the key).
const auditKeySetting = "audit_key_id"

// openAuditKey checks the installation key against the database. The first time a key meets a database, the
// key's fingerprint is recorded and any trail written before the chain was keyed is verified with the old
// plain hash and re-hashed with the key, all in one transaction. A different key is refused.
func (s *Service) openAuditKey(ctx context.Context) error {
	if s.cfg.Key.IsZero() {
		return errors.New("no installation key: set " + keys.EnvVar + " or keep " + keys.FileName + " in the data folder")
	}
	id := s.cfg.Key.ID()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		first, err := tx.ClaimSetting(ctx, auditKeySetting, id)
		if err != nil {
			return err
		}
		if first {
			return s.keyOldTrails(ctx, tx, id)
		}
		stored, err := tx.Setting(ctx, auditKeySetting, "")
		if err != nil {
			return err
		}
		if stored == id {
			return nil
		}
		// A database without organisations has no trail to protect (a restore target opened with the wrong key
		// first, say): it takes the new key.
		empty, err := tx.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if empty {
			return tx.SetSetting(ctx, auditKeySetting, id)
		}
		return fmt.Errorf("this database's audit trail is keyed with installation key %s, but the key from %s is %s: "+
			"start praxis with that installation's key (%s, or the key file %s in the data folder); every server of one database needs the same key",
			stored, s.keySource(), id, keys.EnvVar, keys.FileName)
	})
}

func (s *Service) keySource() string {
	if s.cfg.KeySource == "" {
		return "the configuration"
	}
	return s.cfg.KeySource
}

// rekeyPage is how many events keying an old trail reads at a time: memory stays flat for any trail length.
const rekeyPage = 2000

// keyOldTrails re-hashes every organisation's unkeyed trail with the audit key, after verifying it with the old
// hash, and records the change in each trail. A broken old chain is refused: keying it would hide the break.
func (s *Service) keyOldTrails(ctx context.Context, tx *store.Tx, id string) error {
	orgs, err := tx.AllOrgs(ctx)
	if err != nil {
		return err
	}
	if len(orgs) > 0 && !s.cfg.KeyOldTrails {
		return fmt.Errorf("this database holds audit trails but no record of the installation key %s they are keyed with. "+
			"If it comes from a praxis version before keyed trails, run `praxis migrate --key-audit-trail` once with the key "+
			"it is to use; otherwise somebody removed the record, and the trails must be checked against the auditors' checkpoints first", id)
	}
	for _, o := range orgs {
		seq, err := rehashTrail(ctx, tx, o, isms.NewUnkeyedChainVerifier())
		if err != nil || seq == 0 {
			if err != nil {
				return fmt.Errorf("cannot key the audit trail of %s: %w", o.Slug, err)
			}
			continue
		}
		// The trail says when it was keyed: anything before this event was checked only with the plain hash.
		e := &isms.AuditEvent{OrgID: o.ID, At: s.now(), Actor: "system", Via: "system", Action: "key", Entity: "audit_trail",
			After: json.RawMessage(fmt.Sprintf(`{"key_id":%q,"events":%d}`, s.cfg.Key.ID(), seq))}
		if err := tx.AppendAudit(ctx, e); err != nil {
			return err
		}
		s.cfg.Logger.Info("audit trail keyed", "org", o.Slug, "events", seq, "key_id", s.cfg.Key.ID())
	}
	return nil
}

// rehashTrail checks an organisation's whole trail with v, page by page, and re-hashes it with the store's audit
// key, head included. It returns the trail's length; a break found by v is returned as an error and nothing kept.
func rehashTrail(ctx context.Context, tx *store.Tx, o isms.Organisation, v *isms.ChainVerifier) (int64, error) {
	var after int64
	prev := ""
	for {
		page, err := tx.AuditAfter(ctx, o.ID, after, rekeyPage)
		if err != nil {
			return 0, err
		}
		if len(page) == 0 {
			break
		}
		for i := range page {
			if b := v.Next(&page[i]); b != nil {
				return 0, fmt.Errorf("it is broken at %s", b)
			}
		}
		if prev, err = tx.RehashAudit(ctx, page, prev); err != nil {
			return 0, err
		}
		after = page[len(page)-1].Seq
	}
	seq, head, err := tx.AuditHead(ctx, o.ID)
	if err != nil {
		return 0, err
	}
	if b := v.Finish(seq, head); b != nil {
		return 0, fmt.Errorf("it is broken at %s", b)
	}
	if seq == 0 {
		return 0, nil
	}
	return seq, tx.SetAuditHead(ctx, o.ID, seq, prev)
}

// Checkpoint issues a signed statement of the actor's organisation's audit-trail head, after verifying the
// chain: an auditor keeps it and later proves with VerifyCheckpoint that the trail still extends it.
func (s *Service) Checkpoint(ctx context.Context) (isms.Checkpoint, error) {
	return readAs(ctx, s, isms.PermReadAuditTrail, func(tx *store.Tx, a Actor) (isms.Checkpoint, error) {
		o, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return isms.Checkpoint{}, err
		}
		r, _, err := verifyChain(ctx, tx, o, isms.NewChainVerifier(s.cfg.Key.Audit()), 0)
		if err != nil {
			return isms.Checkpoint{}, err
		}
		if !r.Intact {
			return isms.Checkpoint{}, isms.Conflict("the audit trail is broken at %s: no checkpoint can vouch for it", r.Break)
		}
		seq, head, err := tx.AuditHead(ctx, o.ID)
		if err != nil {
			return isms.Checkpoint{}, err
		}
		c := isms.Checkpoint{Format: isms.CheckpointFormat, Version: 1, OrgID: o.ID, OrgSlug: o.Slug, Seq: seq, Hash: head,
			At: s.now().Format(isms.TimeFormat), KeyID: s.cfg.Key.ID()}
		c.Sign(s.cfg.Key.Signer())
		return c, nil
	})
}

// VerifyCheckpoint checks a checkpoint's signature and that the present trail extends it: the chain verifies
// from genesis to the current head and the event at the checkpoint's sequence still has the checkpoint's hash.
// A signature that does not verify is an error; a trail that does not extend the checkpoint is a broken result.
func (s *Service) VerifyCheckpoint(ctx context.Context, c isms.Checkpoint) (VerifyResult, error) {
	if err := c.VerifySignature(s.cfg.Key.Signer().Public().(ed25519.PublicKey)); err != nil {
		return VerifyResult{}, isms.Invalid(isms.FieldError{Field: "checkpoint", Message: err.Error()})
	}
	var r VerifyResult
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		o, err := tx.Org(ctx, c.OrgID)
		if isms.ErrorKind(err) == isms.KindNotFound {
			r = VerifyResult{Org: c.OrgSlug, Break: &isms.ChainBreak{Seq: c.Seq, Problem: "the organisation and its trail are gone"}}
			return nil
		} else if err != nil {
			return err
		}
		var hashAt string
		if r, hashAt, err = verifyChain(ctx, tx, o, isms.NewChainVerifier(s.cfg.Key.Audit()), c.Seq); err != nil || !r.Intact {
			return err
		}
		seq, _, err := tx.AuditHead(ctx, o.ID)
		switch {
		case err != nil:
			return err
		case seq < c.Seq:
			r.Break = &isms.ChainBreak{Seq: c.Seq, Problem: fmt.Sprintf("the trail ends at sequence %d, before the checkpoint's sequence %d (events removed)", seq, c.Seq)}
		case hashAt != c.Hash:
			r.Break = &isms.ChainBreak{Seq: c.Seq, Problem: "the event differs from the checkpoint (the trail was rewritten)"}
		}
		r.Intact = r.Break == nil
		return nil
	})
	r.KeyID = s.cfg.Key.ID()
	return r, err
}

// Revision names the state of the caller's organisation: the sequence and hash of its audit trail's head.
// Every change of its records is audited in the transaction that makes it, so while the revision stays the
// same, so do the records, whichever server wrote them; readers may keep what they read until it moves on.
// An API token's request knows it already: the token's lookup reads it with the membership, saving a query.
func (s *Service) Revision(ctx context.Context) (string, error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil || a.revision != "" {
		return a.revision, err
	}
	var seq int64
	var head string
	err = s.store.Read(ctx, func(tx *store.Tx) (err error) { seq, head, err = tx.AuditHead(ctx, a.OrgID); return err })
	return store.Revision(seq, head), err
}
