package service

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// SettingOrgCreation is the installation setting that says who may create organisations.
const SettingOrgCreation = "org_creation"

// Values of SettingOrgCreation.
const (
	OrgCreationOwners   = "owners"   // owners and admins of at least one organisation (the default)
	OrgCreationAnyone   = "anyone"   // any signed-in user
	OrgCreationOperator = "operator" // only the command line (praxis org create, praxis init)
)

// OrgCreationValues lists the values of SettingOrgCreation, the default first.
var OrgCreationValues = []string{OrgCreationOwners, OrgCreationAnyone, OrgCreationOperator}

// Settings are the installation's settings (not any organisation's).
type Settings struct {
	OrgCreation string `json:"org_creation"`
}

// InstallationSettings reads the installation settings (operator command: the CLI has the database).
func (s *Service) InstallationSettings(ctx context.Context) (Settings, error) {
	var out Settings
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out.OrgCreation, err = tx.Setting(ctx, SettingOrgCreation, OrgCreationOwners)
		return err
	})
	return out, err
}

// SetOrgCreation changes who may create organisations and returns the previous value (operator command). No
// organisation's audit trail owns an installation setting, so the change goes to the log.
func (s *Service) SetOrgCreation(ctx context.Context, value string) (before string, err error) {
	if !validOrgCreation(value) {
		return "", isms.Invalid(isms.FieldError{Field: "org-creation", Message: "must be one of owners, anyone, operator"})
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if before, err = tx.Setting(ctx, SettingOrgCreation, OrgCreationOwners); err != nil {
			return err
		}
		return tx.SetSetting(ctx, SettingOrgCreation, value)
	})
	if err == nil {
		s.cfg.Logger.Info("installation setting changed", "key", SettingOrgCreation, "from", before, "to", value)
	}
	return before, err
}

func validOrgCreation(v string) bool {
	for _, x := range OrgCreationValues {
		if v == x {
			return true
		}
	}
	return false
}

// MayCreateOrganisation tells whether the caller may create an organisation (nil) or why not (Forbidden), by
// the org_creation setting. The command line acts for the operator, who may always.
func (s *Service) MayCreateOrganisation(ctx context.Context) error {
	a, ok := ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return isms.Unauthenticated("log in first")
	}
	return s.store.Read(ctx, func(tx *store.Tx) error { return s.mayCreateOrg(ctx, tx, a) })
}

func (s *Service) mayCreateOrg(ctx context.Context, tx *store.Tx, a Actor) error {
	if a.Via == "cli" {
		return nil
	}
	setting, err := tx.Setting(ctx, SettingOrgCreation, OrgCreationOwners)
	if err != nil {
		return err
	}
	switch setting {
	case OrgCreationAnyone:
		return nil
	case OrgCreationOperator:
		return isms.Forbidden("new organisations are created by the operator (setting org_creation = operator): ask them to run `praxis org create`")
	}
	ok, err := tx.HasManagingRole(ctx, a.UserID)
	if err != nil || ok {
		return err
	}
	return isms.Forbidden("only owners and admins of an organisation may create one (setting org_creation = owners)")
}
