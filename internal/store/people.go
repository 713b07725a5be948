package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

const personCols = "id, org_id, ref, name, email, job_title, department, start_date, user_id, created_at, version"

func scanPerson(row interface{ Scan(...any) error }) (isms.Person, error) {
	var p isms.Person
	var user sql.NullString
	var created string
	if err := row.Scan(&p.ID, &p.OrgID, &p.Ref, &p.Name, &p.Email, &p.JobTitle, &p.Department, &p.StartDate, &user, &created, &p.Version); err != nil {
		return p, err
	}
	p.UserID = user.String
	var err error
	p.CreatedAt, err = parseTS(created)
	return p, err
}

// CreatePerson inserts p (Ref already assigned).
func (tx *Tx) CreatePerson(ctx context.Context, p isms.Person) error {
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO people ("+personCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)",
		p.ID, p.OrgID, p.Ref, p.Name, p.Email, p.JobTitle, p.Department, p.StartDate, nullString(p.UserID), ts(p.CreatedAt))
	return err
}

// PersonByRef loads a person by reference (P-003) or id.
func (tx *Tx) PersonByRef(ctx context.Context, orgID, ref string) (isms.Person, error) {
	p, err := scanPerson(tx.tx.QueryRowContext(ctx, "SELECT "+personCols+" FROM people WHERE org_id = $1 AND (ref = $2 OR id = $2)", orgID, ref))
	if err != nil {
		return p, notFound(err, "person %s", ref)
	}
	return p, nil
}

// PersonFilter narrows the people list.
type PersonFilter struct {
	Search     string // name, email or job title contains
	Department string
}

// ListPeople lists people by name.
func (tx *Tx) ListPeople(ctx context.Context, orgID string, f PersonFilter, p Page) (List[isms.Person], error) {
	var w where
	w.add("org_id = ?", orgID)
	if f.Department != "" {
		w.add("department = ?", f.Department)
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		w.add("(lower(name) LIKE ? OR lower(email) LIKE ? OR lower(job_title) LIKE ?)", "%"+strings.ToLower(s)+"%")
	}
	return listPage(ctx, tx, "SELECT "+personCols, "people", w, "lower(name), ref", p,
		func(r *sql.Rows) (isms.Person, error) { return scanPerson(r) })
}

// UpdatePerson saves p with optimistic locking on p.Version.
func (tx *Tx) UpdatePerson(ctx context.Context, p isms.Person) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE people SET name = $1, email = $2, job_title = $3, department = $4, start_date = $5,
		user_id = $6, version = version + 1 WHERE org_id = $7 AND id = $8 AND version = $9`,
		p.Name, p.Email, p.JobTitle, p.Department, p.StartDate, nullString(p.UserID), p.OrgID, p.ID, p.Version)
	if err != nil {
		return err
	}
	return tx.checkUpdated(ctx, res, "people", p.OrgID, p.ID, "person", p.Ref, p.Version)
}

// DeletePerson removes a person.
func (tx *Tx) DeletePerson(ctx context.Context, orgID, id string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM people WHERE org_id = $1 AND id = $2", orgID, id)
	return err
}
