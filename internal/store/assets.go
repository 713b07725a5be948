package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

const assetSelect = `SELECT a.id, a.ref, a.name, a.type, COALESCE(p.ref, ''), COALESCE(p.name, ''), a.classification,
	a.confidentiality, a.integrity, a.availability, a.location, a.notes, a.created_at, a.updated_at, a.version`
const assetFrom = "assets a LEFT JOIN people p ON p.id = a.owner_id"

func scanAsset(row interface{ Scan(...any) error }) (isms.Asset, error) {
	var a isms.Asset
	var created, updated string
	if err := row.Scan(&a.ID, &a.Ref, &a.Name, &a.Type, &a.Owner, &a.OwnerName, &a.Classification, &a.Confidentiality, &a.Integrity,
		&a.Availability, &a.Location, &a.Notes, &created, &updated, &a.Version); err != nil {
		return a, err
	}
	var err error
	if a.CreatedAt, err = parseTS(created); err != nil {
		return a, err
	}
	a.UpdatedAt, err = parseTS(updated)
	return a, err
}

// CreateAsset inserts a; ownerID is the owner's person id or "".
func (tx *Tx) CreateAsset(ctx context.Context, orgID, ownerID string, a isms.Asset) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO assets (id, org_id, ref, name, type, owner_id, classification, confidentiality, integrity,
		availability, location, notes, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)`,
		a.ID, orgID, a.Ref, a.Name, a.Type, nullString(ownerID), a.Classification, a.Confidentiality, a.Integrity, a.Availability,
		a.Location, a.Notes, ts(a.CreatedAt), ts(a.UpdatedAt))
	return err
}

// AssetByRef loads an asset by reference or id.
func (tx *Tx) AssetByRef(ctx context.Context, orgID, ref string) (isms.Asset, error) {
	a, err := scanAsset(tx.tx.QueryRowContext(ctx, assetSelect+" FROM "+assetFrom+" WHERE a.org_id = $1 AND (a.ref = $2 OR a.id = $2)", orgID, ref))
	if err != nil {
		return a, notFound(err, "asset %s", ref)
	}
	return a, nil
}

// AssetFilter narrows the asset list.
type AssetFilter struct {
	Search         string
	Type           string
	Owner          string // person ref
	Classification string
	Sort           string // ref, name, type, owner; "-" prefix for descending
}

var assetSorts = map[string]string{"ref": "a.ref", "name": "lower(a.name)", "type": "a.type", "owner": "lower(p.name)", "updated": "a.updated_at"}

// ListAssets lists the inventory.
func (tx *Tx) ListAssets(ctx context.Context, orgID string, f AssetFilter, p Page) (List[isms.Asset], error) {
	w := where{org: orgID} // the total is remembered while nothing changes (countCache)
	w.add("a.org_id = ?", orgID)
	if f.Type != "" {
		w.add("a.type = ?", f.Type)
	}
	if f.Classification != "" {
		w.add("a.classification = ?", f.Classification)
	}
	if f.Owner != "" {
		w.add("p.ref = ?", f.Owner)
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		w.add("(lower(a.name) LIKE ? OR lower(a.ref) LIKE ? OR lower(a.location) LIKE ?)", "%"+strings.ToLower(s)+"%")
	}
	return listPage(ctx, tx, assetSelect, assetFrom, w, orderBy(f.Sort, assetSorts, "a.ref"), p,
		func(r *sql.Rows) (isms.Asset, error) { return scanAsset(r) })
}

// UpdateAsset saves a with optimistic locking on a.Version.
func (tx *Tx) UpdateAsset(ctx context.Context, orgID, ownerID string, a isms.Asset) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE assets SET name = $1, type = $2, owner_id = $3, classification = $4, confidentiality = $5,
		integrity = $6, availability = $7, location = $8, notes = $9, updated_at = $10, version = version + 1
		WHERE org_id = $11 AND id = $12 AND version = $13`,
		a.Name, a.Type, nullString(ownerID), a.Classification, a.Confidentiality, a.Integrity, a.Availability, a.Location, a.Notes,
		ts(a.UpdatedAt), orgID, a.ID, a.Version)
	if err != nil {
		return err
	}
	return tx.checkUpdated(ctx, res, "assets", orgID, a.ID, "asset", a.Ref, a.Version)
}

// DeleteAsset removes an asset (its links to risks go with it).
func (tx *Tx) DeleteAsset(ctx context.Context, orgID, id string) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM assets WHERE org_id = $1 AND id = $2", orgID, id)
	return err
}

// RefIndex maps the references (and, for people, names and emails) of an organisation's rows to ids, so that
// imports resolve every row without a query per row.
func (tx *Tx) RefIndex(ctx context.Context, orgID, table string) (map[string]string, error) {
	q := map[string]string{
		"assets": "SELECT id, ref, lower(name), '' FROM assets WHERE org_id = $1",
		"people": "SELECT id, ref, lower(name), lower(email) FROM people WHERE org_id = $1",
		"risks":  "SELECT id, ref, '', '' FROM risks WHERE org_id = $1",
	}[table]
	if q == "" {
		return nil, isms.NotFound("no reference index for %s", table)
	}
	rows, err := tx.tx.QueryContext(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, ref, name, email string
		if err := rows.Scan(&id, &ref, &name, &email); err != nil {
			return nil, err
		}
		out[strings.ToLower(ref)] = id
		for _, k := range []string{name, email} {
			if k != "" {
				if _, dup := out[k]; !dup {
					out[k] = id
				}
			}
		}
	}
	return out, rows.Err()
}

// orderBy turns a user's sort key ("score", "-score") into a safe ORDER BY from an allow-list.
func orderBy(key string, allowed map[string]string, def string) string {
	desc := strings.HasPrefix(key, "-")
	col, ok := allowed[strings.TrimPrefix(key, "-")]
	if !ok {
		return def
	}
	if desc {
		return col + " DESC, " + def
	}
	return col + ", " + def
}
