package store

import (
	"context"
	"fmt"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

const orgCols = "id, slug, name, created_at, version, require_two_factor"

func scanOrg(row interface{ Scan(...any) error }) (isms.Organisation, error) {
	var o isms.Organisation
	var created string
	var require2FA int
	if err := row.Scan(&o.ID, &o.Slug, &o.Name, &created, &o.Version, &require2FA); err != nil {
		return o, err
	}
	o.RequireTwoFactor = require2FA == 1
	var err error
	o.CreatedAt, err = parseTS(created)
	return o, err
}

// CountOrgs tells whether the database is still empty (first-run setup).
func (tx *Tx) CountOrgs(ctx context.Context) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM organisations").Scan(&n)
	return n, err
}

// LockOrgsForSetup keeps other writers from creating an organisation until tx ends, so that two first-run
// setups at once cannot both find the database empty. (SQLite writers are serialised already.)
func (tx *Tx) LockOrgsForSetup(ctx context.Context) error {
	if tx.engine != sqldb.Postgres {
		return nil
	}
	_, err := tx.tx.ExecContext(ctx, "LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE")
	return err
}

// CreateOrg inserts o; a taken slug is a Conflict.
func (tx *Tx) CreateOrg(ctx context.Context, o isms.Organisation) error {
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO organisations (id, slug, name, created_at, version) VALUES ($1, $2, $3, $4, 1)",
		o.ID, o.Slug, o.Name, ts(o.CreatedAt))
	if isUniqueViolation(err) {
		return isms.Conflict("an organisation with the short name %q exists already", o.Slug)
	}
	if err != nil {
		return err
	}
	return tx.createSoA(ctx, o.ID, o.CreatedAt)
}

// SlugTaken reports whether an organisation uses slug.
func (tx *Tx) SlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, "SELECT count(*) FROM organisations WHERE slug = $1", slug).Scan(&n)
	return n > 0, err
}

// Org loads an organisation by id.
func (tx *Tx) Org(ctx context.Context, id string) (isms.Organisation, error) {
	o, err := scanOrg(tx.tx.QueryRowContext(ctx, "SELECT "+orgCols+" FROM organisations WHERE id = $1", id))
	if err != nil {
		return o, notFound(err, "organisation %s", id)
	}
	return o, nil
}

// OrgBySlug loads an organisation by its short name.
func (tx *Tx) OrgBySlug(ctx context.Context, slug string) (isms.Organisation, error) {
	o, err := scanOrg(tx.tx.QueryRowContext(ctx, "SELECT "+orgCols+" FROM organisations WHERE slug = $1", slug))
	if err != nil {
		return o, notFound(err, "organisation %q", slug)
	}
	return o, nil
}

// AllOrgs lists every organisation (operator commands only; there are few).
func (tx *Tx) AllOrgs(ctx context.Context) ([]isms.Organisation, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT "+orgCols+" FROM organisations ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []isms.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// UserOrgs lists the organisations a user belongs to, with the user's role in each.
func (tx *Tx) UserOrgs(ctx context.Context, userID string) ([]isms.OrgMembership, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT o.id, o.slug, o.name, o.created_at, o.version, m.role, m.approver
		FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = $1 ORDER BY o.name`, userID)
	if err != nil {
		return nil, fmt.Errorf("list organisations of user: %w", err)
	}
	defer rows.Close()
	var out []isms.OrgMembership
	for rows.Next() {
		var m isms.OrgMembership
		var created string
		var approver int
		if err := rows.Scan(&m.ID, &m.Slug, &m.Name, &created, &m.Version, &m.Role, &approver); err != nil {
			return nil, err
		}
		if m.CreatedAt, err = parseTS(created); err != nil {
			return nil, err
		}
		m.Approver = approver == 1
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetRequireTwoFactor turns the organisation's two-factor requirement on or off.
func (tx *Tx) SetRequireTwoFactor(ctx context.Context, id string, on bool) error {
	_, err := tx.tx.ExecContext(ctx, "UPDATE organisations SET require_two_factor = $1, version = version + 1 WHERE id = $2", boolInt(on), id)
	return err
}

// RenameOrg changes an organisation's name with optimistic locking.
func (tx *Tx) RenameOrg(ctx context.Context, id, name string, version int) error {
	res, err := tx.tx.ExecContext(ctx, "UPDATE organisations SET name = $1, version = version + 1 WHERE id = $2 AND version = $3", name, id, version)
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	if n != 1 {
		return isms.StaleVersion("organisation", name)
	}
	return nil
}
