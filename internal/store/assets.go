package store

import (
	"context"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Assets is the asset inventory (5.9) declared once: columns, owner reference, filters, sorts and search.
var Assets = &Register[isms.Asset, AssetFilter]{
	Entity: "asset", Table: "assets", Alias: "a",
	ID:      func(a *isms.Asset) *string { return &a.ID },
	Ref:     func(a *isms.Asset) *string { return &a.Ref },
	Version: func(a *isms.Asset) *int { return &a.Version },
	Columns: []Column[isms.Asset]{
		Text("name", func(a *isms.Asset) *string { return &a.Name }),
		Text("type", func(a *isms.Asset) *string { return &a.Type }),
		Text("classification", func(a *isms.Asset) *string { return &a.Classification }),
		Int("confidentiality", func(a *isms.Asset) *int { return &a.Confidentiality }),
		Int("integrity", func(a *isms.Asset) *int { return &a.Integrity }),
		Int("availability", func(a *isms.Asset) *int { return &a.Availability }),
		Text("location", func(a *isms.Asset) *string { return &a.Location }),
		Text("notes", func(a *isms.Asset) *string { return &a.Notes }),
		Text("external_ref", func(a *isms.Asset) *string { return &a.ExternalRef }),
		Time("created_at", func(a *isms.Asset) *time.Time { return &a.CreatedAt }).InsertOnly(),
		Time("updated_at", func(a *isms.Asset) *time.Time { return &a.UpdatedAt }),
	},
	Refs: []Reference[isms.Asset]{{Column: "owner_id", Target: PeopleLookup, Alias: "p",
		ID:   func(a *isms.Asset) *string { return &a.OwnerID },
		Ref:  func(a *isms.Asset) *string { return &a.Owner },
		Name: func(a *isms.Asset) *string { return &a.OwnerName }}},
	ListColumns: []ListColumn[isms.Asset]{
		{Header: "ref", Value: func(a *isms.Asset) string { return a.Ref }},
		{Header: "name", Value: func(a *isms.Asset) string { return a.Name }},
		{Header: "type", Value: func(a *isms.Asset) string { return a.Type }},
		{Header: "owner", Value: func(a *isms.Asset) string { return a.OwnerName }},
		{Header: "classification", Value: func(a *isms.Asset) string { return a.Classification }},
		{Header: "confidentiality", Value: func(a *isms.Asset) string { return IntCell(a.Confidentiality) }},
		{Header: "integrity", Value: func(a *isms.Asset) string { return IntCell(a.Integrity) }},
		{Header: "availability", Value: func(a *isms.Asset) string { return IntCell(a.Availability) }},
		{Header: "location", Value: func(a *isms.Asset) string { return a.Location }},
	},
	Filters: []Filter[AssetFilter]{
		{Name: "type", Kind: FilterEnum, Values: isms.AssetTypes, Cond: "a.type = ?", Doc: "only this type",
			Field: func(f *AssetFilter) *string { return &f.Type }},
		{Name: "owner", Kind: FilterRef, Cond: "p.ref = ?", Doc: "only this owner (person reference, P-001)",
			Field: func(f *AssetFilter) *string { return &f.Owner }},
		{Name: "classification", Kind: FilterEnum, Values: isms.Classifications, Cond: "a.classification = ?", Doc: "only this classification",
			Field: func(f *AssetFilter) *string { return &f.Classification }},
	},
	Sorts: []Sort{{"ref", "a.ref"}, {"name", "lower(a.name)"}, {"type", "a.type"}, {"owner", "COALESCE(lower(p.name), '')"},
		{"updated", "a.updated_at"}},
	Search:    []string{"lower(a.name)", "lower(a.ref)", "lower(a.location)"},
	SearchDoc: "reference, name or location contains",
	SearchOf:  func(f *AssetFilter) *string { return &f.Search },
	SortOf:    func(f *AssetFilter) *string { return &f.Sort },
}

// AssetFilter narrows the asset list; Assets.Filters declares each field.
type AssetFilter struct {
	Search         string // reference, name or location contains
	Type           string
	Owner          string // person ref
	Classification string
	Sort           string // ref, name, type, owner, updated; "-" prefix for descending
}

// AssetByRef loads an asset by reference or id.
func (tx *Tx) AssetByRef(ctx context.Context, orgID, ref string) (isms.Asset, error) {
	return Assets.Get(ctx, tx, orgID, ref)
}

// ListAssets lists the inventory.
func (tx *Tx) ListAssets(ctx context.Context, orgID string, f AssetFilter, p Page) (List[isms.Asset], error) {
	return Assets.List(ctx, tx, orgID, f, p)
}

// DeleteAsset removes an asset (its links to risks go with it).
func (tx *Tx) DeleteAsset(ctx context.Context, orgID, id string) error {
	return Assets.Delete(ctx, tx, orgID, id)
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
