// Package service holds the use cases. It is the only API that the web UI, the REST API and the CLI call.
// Each method checks the caller's role, runs in one transaction and writes the audit trail in that same
// transaction, so that a change and its record commit or fail together.
package service

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/store"
)

// Config tunes the service. The zero value of each field means its default.
type Config struct {
	Now             func() time.Time // the clock; tests inject a fake one
	PasswordParams  auth.Params
	SessionIdle     time.Duration // a session unused this long ends (default 2h)
	SessionAbsolute time.Duration // a session ends this long after login whatever happens (default 12h)
	BlobDir         string        // where evidence files live (content-addressed)
	MaxUpload       int64         // the largest evidence file accepted, in bytes (default DefaultMaxUpload)
	Logger          *slog.Logger
	Catalog         *catalog.Catalog // the standards; loaded from the embedded data when nil
	Key             keys.Key         // the installation key: keys the audit trail, backups and checkpoints
	KeySource       string           // where Key came from (PRAXIS_AUDIT_KEY or the key file), for messages
	// KeyOldTrails allows keying audit trails written before praxis keyed them. It is set only when the key is
	// new (an upgrade creates the key file) or the operator asks (praxis migrate --key-audit-trail): otherwise
	// someone who deleted the key's fingerprint from the database could plant a trail recomputed without the key
	// and have it keyed at the next start.
	KeyOldTrails bool
}

// Service is the application.
type Service struct {
	store   *store.Store
	cat     *catalog.Catalog
	cfg     Config
	limiter *loginLimiter
	// dummyHash is what an unknown email's password is checked against (see newDummyHash).
	dummyHash func() string
}

// New builds the service over st.
func New(st *store.Store, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PasswordParams == (auth.Params{}) {
		cfg.PasswordParams = auth.DefaultParams
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.SessionAbsolute == 0 {
		cfg.SessionAbsolute = 12 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Catalog == nil {
		cfg.Catalog = catalog.MustLoad()
	}
	if !cfg.Key.IsZero() {
		st.SetAuditKey(cfg.Key.Audit())
	}
	return &Service{store: st, cat: cfg.Catalog, cfg: cfg, limiter: newLoginLimiter(st),
		dummyHash: newDummyHash(cfg.PasswordParams)}
}

// Open builds the service and checks that its installation key is the one the database's audit trail is keyed
// with (keying an older, unkeyed trail on first use). Every door opens the service this way.
func Open(ctx context.Context, st *store.Store, cfg Config) (*Service, error) {
	s := New(st, cfg)
	if err := s.openAuditKey(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Now is the service's clock, for the doors that stamp what they produce (exports).
func (s *Service) Now() time.Time { return s.now() }

// Actor is who is acting, in which organisation, with which role, through which door.
type Actor struct {
	UserID             string    `json:"user_id"`
	Email              string    `json:"email"`
	Name               string    `json:"name"`
	OrgID              string    `json:"org_id"`
	OrgSlug            string    `json:"org_slug"`
	OrgName            string    `json:"org_name"`
	Role               isms.Role `json:"role"`
	Approver           bool      `json:"approver"`
	Via                string    `json:"via"` // web, api, cli
	MustChangePassword bool      `json:"must_change_password"`
	ReadOnly           bool      `json:"read_only,omitempty"` // a read-scoped API token: reads only
	// MustSetUpTwoFactor: the organisation requires two-factor and this browser session's user has none yet.
	MustSetUpTwoFactor bool `json:"must_set_up_two_factor"`
	sessionHash        string
	revision           string // the organisation's revision as the request's credentials were read, when known
}

type actorKey struct{}

// WithActor returns a context that carries the actor; every use case reads it from there.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// require returns the actor if it may exercise perm in its organisation.
func require(ctx context.Context, perm isms.Permission) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return a, isms.Unauthenticated("log in first")
	}
	if a.OrgID == "" {
		return a, isms.Forbidden("select an organisation first")
	}
	if a.MustChangePassword {
		return a, isms.Forbidden("change your one-time password first")
	}
	if a.MustSetUpTwoFactor {
		return a, isms.Forbidden("%s requires two-factor authentication: turn it on under Settings, Two-factor, first", a.OrgName)
	}
	if !a.Role.Can(perm) {
		return a, isms.Forbidden("your role (%s) may not %s", a.Role, perm)
	}
	if a.ReadOnly && !readPermission(perm) {
		return a, errReadOnlyToken
	}
	return a, nil
}

// readAs runs fn in one read transaction for a caller allowed perm: the shape of every read use case.
func readAs[T any](ctx context.Context, s *Service, perm isms.Permission, fn func(tx *store.Tx, a Actor) (T, error)) (T, error) {
	var out T
	a, err := require(ctx, perm)
	if err != nil {
		return out, err
	}
	err = s.store.Read(ctx, func(tx *store.Tx) (err error) { out, err = fn(tx, a); return err })
	return out, err
}

// audit appends one event for a change made by a in tx. before and after are encoded as JSON.
func (s *Service) audit(ctx context.Context, tx *store.Tx, a Actor, action, entity, entityID, ref string, before, after any) error {
	// Every change is audited, so refusing here keeps a read-only token from changing anything, even through a
	// use case whose permission is a reading one (accepting a risk, creating a token).
	if caller, _ := ActorFrom(ctx); caller.ReadOnly {
		return errReadOnlyToken
	}
	e, err := s.auditEvent(a, action, entity, entityID, ref, before, after)
	if err != nil {
		return err
	}
	if err := tx.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return nil
}

// auditEvent builds an event for a change made by a, for audit or for a batch (tx.AppendAuditBatch).
func (s *Service) auditEvent(a Actor, action, entity, entityID, ref string, before, after any) (*isms.AuditEvent, error) {
	e := &isms.AuditEvent{
		OrgID: a.OrgID, At: s.now(), ActorID: a.UserID, Actor: a.Email, Via: a.Via,
		Action: action, Entity: entity, EntityID: entityID, Ref: ref,
	}
	var err error
	if e.Before, err = encodeState(before); err != nil {
		return nil, err
	}
	if e.After, err = encodeState(after); err != nil {
		return nil, err
	}
	return e, nil
}

func encodeState(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode audit state: %w", err)
	}
	return b, nil
}

// Store exposes the store for operator tasks (health checks, migrations).
func (s *Service) Store() *store.Store { return s.store }

// Page and List are the paging types every list use case takes and returns.
type (
	Page         = store.Page
	List[T any]  = store.List[T]
	AuditFilter  = store.AuditFilter
	PersonFilter = store.PersonFilter
)

// Catalog returns the standards catalog; every member may read it.
func (s *Service) Catalog(ctx context.Context) (*catalog.Catalog, error) {
	if _, err := require(ctx, isms.PermReadContent); err != nil {
		return nil, err
	}
	return s.cat, nil
}
