package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// SetupInput is what the first page asks on an empty database.
type SetupInput struct {
	OrgName   string `json:"org_name"`
	OwnerName string `json:"owner_name"`
	Email     string `json:"email"`
	Password  string `json:"password"`
}

// NeedsSetup reports whether the database has no organisation yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	var n int
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) { n, err = tx.CountOrgs(ctx); return err })
	return n == 0, err
}

// Setup creates the first organisation and its owner, and logs the owner in. It works only on an empty
// database; afterwards new organisations come from logged-in users or `praxis init`.
func (s *Service) Setup(ctx context.Context, in SetupInput, client Client) (token string, a Actor, err error) {
	var p isms.Problems
	isms.CheckText(&p, "org_name", in.OrgName, 120)
	isms.CheckText(&p, "owner_name", in.OwnerName, 120)
	email := isms.NormaliseEmail(in.Email)
	if !isms.ValidEmail(email) {
		p.Add("email", "must be an email address")
	}
	isms.CheckPassword(&p, "password", in.Password)
	if err := p.Err(); err != nil {
		return "", a, err
	}
	hash, err := auth.HashPassword(in.Password, s.cfg.PasswordParams)
	if err != nil {
		return "", a, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.LockOrgsForSetup(ctx); err != nil {
			return err
		}
		n, err := tx.CountOrgs(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Conflict("praxis is set up already: log in instead")
		}
		u := isms.User{ID: store.NewID(), Email: email, Name: strings.TrimSpace(in.OwnerName), PasswordHash: hash, CreatedAt: s.now()}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		org, err := s.createOrg(ctx, tx, strings.TrimSpace(in.OrgName), u, "web")
		if err != nil {
			return err
		}
		token, a, err = s.newSession(ctx, tx, u, org.ID, client)
		return err
	})
	return token, a, err
}

// createOrg creates an organisation with u as its owner and approver, and opens its audit trail.
func (s *Service) createOrg(ctx context.Context, tx *store.Tx, name string, u isms.User, via string) (isms.Organisation, error) {
	org := isms.Organisation{ID: store.NewID(), Name: name, CreatedAt: s.now(), Version: 1}
	slug := isms.Slugify(name)
	for i := 2; ; i++ {
		taken, err := tx.SlugTaken(ctx, slug)
		if err != nil {
			return org, err
		}
		if !taken {
			break
		}
		slug = fmt.Sprintf("%s-%d", isms.Slugify(name), i)
	}
	org.Slug = slug
	if err := tx.CreateOrg(ctx, org); err != nil {
		return org, err
	}
	m := isms.Membership{OrgID: org.ID, UserID: u.ID, Email: u.Email, Name: u.Name, Role: isms.RoleOwner, Approver: true, CreatedAt: s.now(), Version: 1}
	if err := tx.AddMembership(ctx, m); err != nil {
		return org, err
	}
	a := Actor{UserID: u.ID, Email: u.Email, OrgID: org.ID, Via: via}
	if err := s.audit(ctx, tx, a, "create", "organisation", org.ID, org.Slug, nil, org); err != nil {
		return org, err
	}
	return org, s.audit(ctx, tx, a, "add", "member", u.ID, u.Email, nil, m)
}

// InitInput is what `praxis init` takes.
type InitInput struct {
	OrgName    string
	OwnerEmail string
	OwnerName  string
}

// Init creates an organisation and its owner from the command line. A new owner gets a one-time password that
// must be changed at first login; an existing user keeps theirs and password is empty. An organisation of the
// same name existing already is a Conflict (running init twice makes no second one).
func (s *Service) Init(ctx context.Context, in InitInput) (org isms.Organisation, password string, err error) {
	var p isms.Problems
	isms.CheckText(&p, "org", in.OrgName, 120)
	email := isms.NormaliseEmail(in.OwnerEmail)
	if !isms.ValidEmail(email) {
		p.Add("owner", "must be an email address")
	}
	if err := p.Err(); err != nil {
		return org, "", err
	}
	name := strings.TrimSpace(in.OrgName)
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		// Running init twice must not make a second organisation of the same name (acme-ltd-2).
		same, err := tx.OrgBySlug(ctx, isms.Slugify(name))
		if err == nil && strings.EqualFold(same.Name, name) {
			return isms.Conflict("organisation %s exists already (%s)", same.Name, same.Slug)
		}
		if err != nil && isms.ErrorKind(err) != isms.KindNotFound {
			return err
		}
		var u isms.User
		if u, password, err = s.userOrInvite(ctx, tx, email, in.OwnerName); err != nil {
			return err
		}
		org, err = s.createOrg(ctx, tx, name, u, "cli")
		return err
	})
	return org, password, err
}

// CreateOrganisation creates another organisation with the caller as owner (consultants run several), if the
// org_creation setting lets the caller (see MayCreateOrganisation).
func (s *Service) CreateOrganisation(ctx context.Context, name string) (isms.Organisation, error) {
	var org isms.Organisation
	a, ok := ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return org, isms.Unauthenticated("log in first")
	}
	var p isms.Problems
	isms.CheckText(&p, "name", name, 120)
	if err := p.Err(); err != nil {
		return org, err
	}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := s.mayCreateOrg(ctx, tx, a); err != nil {
			return err
		}
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		org, err = s.createOrg(ctx, tx, strings.TrimSpace(name), u, a.Via)
		return err
	})
	return org, err
}

// MyOrganisations lists the organisations the caller belongs to.
func (s *Service) MyOrganisations(ctx context.Context) ([]isms.OrgMembership, error) {
	a, ok := ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return nil, isms.Unauthenticated("log in first")
	}
	var out []isms.OrgMembership
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) { out, err = tx.UserOrgs(ctx, a.UserID); return err })
	return out, err
}

// Organisation returns the caller's current organisation.
func (s *Service) Organisation(ctx context.Context) (isms.Organisation, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Organisation, error) {
		return tx.Org(ctx, a.OrgID)
	})
}

// OperatorActor is how the CLI acts: the person running it has the database itself, so it acts as a member of
// the organisation (orgSlug, or the only one) — the member with email asEmail, or the first owner.
func (s *Service) OperatorActor(ctx context.Context, orgSlug, asEmail string) (Actor, error) {
	var a Actor
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		var org isms.Organisation
		var err error
		if orgSlug != "" {
			org, err = tx.OrgBySlug(ctx, orgSlug)
			if err != nil {
				return err
			}
		} else {
			orgs, err := tx.AllOrgs(ctx)
			if err != nil {
				return err
			}
			switch len(orgs) {
			case 0:
				return isms.NotFound("no organisation yet: run `praxis init --org NAME --owner EMAIL` or `praxis serve`")
			case 1:
				org = orgs[0]
			default:
				slugs := make([]string, len(orgs))
				for i, o := range orgs {
					slugs[i] = o.Slug
				}
				return isms.Invalid(isms.FieldError{Field: "org", Message: "several organisations exist; choose one with --org: " + strings.Join(slugs, ", ")})
			}
		}
		var m isms.Membership
		if asEmail != "" {
			u, err := tx.UserByEmail(ctx, isms.NormaliseEmail(asEmail))
			if err != nil {
				return err
			}
			if m, err = tx.Membership(ctx, org.ID, u.ID); err != nil {
				return isms.NotFound("%s is not a member of %s", asEmail, org.Slug)
			}
		} else {
			members, err := tx.ListMembers(ctx, org.ID, store.Page{Limit: store.MaxPageSize})
			if err != nil {
				return err
			}
			for _, x := range members.Items {
				if x.Role == isms.RoleOwner {
					m = x
					break
				}
			}
			if m.UserID == "" {
				return isms.NotFound("organisation %s has no owner", org.Slug)
			}
		}
		a = Actor{UserID: m.UserID, Email: m.Email, Name: m.Name, OrgID: org.ID, OrgSlug: org.Slug, OrgName: org.Name,
			Role: m.Role, Approver: m.Approver, Via: "cli"}
		return nil
	})
	return a, err
}

// AllOrganisations lists every organisation in the database (operator command: the CLI has the database).
func (s *Service) AllOrganisations(ctx context.Context) ([]isms.Organisation, error) {
	var out []isms.Organisation
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) { out, err = tx.AllOrgs(ctx); return err })
	return out, err
}

// userOrInvite returns the user with email, creating them when new with a one-time password (returned once,
// to pass on; it must be changed at the first login). An existing user keeps their password and password is "".
func (s *Service) userOrInvite(ctx context.Context, tx *store.Tx, email, name string) (u isms.User, password string, err error) {
	u, err = tx.UserByEmail(ctx, email)
	if isms.ErrorKind(err) != isms.KindNotFound {
		return u, "", err
	}
	if name = strings.TrimSpace(name); name == "" {
		name = strings.SplitN(email, "@", 2)[0]
	}
	password = auth.OneTimePassword()
	hash, err := auth.HashPassword(password, s.cfg.PasswordParams)
	if err != nil {
		return u, "", err
	}
	u = isms.User{ID: store.NewID(), Email: email, Name: name, PasswordHash: hash, MustChangePassword: true, CreatedAt: s.now()}
	return u, password, tx.CreateUser(ctx, u)
}
