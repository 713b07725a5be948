package service

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// AssetRegister is the declaration of the asset inventory: the doors read its filters, sorts and enum values.
var AssetRegister = store.Assets

// AssetInput is the editable part of an asset. Owner is a person's reference, name or email.
type AssetInput struct {
	Name            string `json:"name" doc:"Name"`
	Type            string `json:"type" doc:"information, software, hardware, service, people, site or supplier"`
	Owner           string `json:"owner" doc:"Owner: a person's reference (P-001), name or email"`
	Classification  string `json:"classification" doc:"public, internal, confidential or restricted"`
	Confidentiality int    `json:"confidentiality" doc:"Confidentiality value, 1 (low) to 5 (very high); 0 when not rated"`
	Integrity       int    `json:"integrity" doc:"Integrity value, 1 to 5; 0 when not rated"`
	Availability    int    `json:"availability" doc:"Availability value, 1 to 5; 0 when not rated"`
	Location        string `json:"location" doc:"Where it is"`
	Notes           string `json:"notes" doc:"Notes"`
	Version         int    `json:"version" doc:"The version read; required for a change"`
	Sent            Sent   `json:"-"` // the fields a request carried (patch.go)
}

// validate checks in, finding its owner among people (resolved by value, lower-cased: tx.Resolve).
func (in *AssetInput) validate(p *isms.Problems, prefix string, people map[string]store.Target) (owner store.Target) {
	isms.CheckText(p, prefix+"name", in.Name, 200)
	in.Type = strings.ToLower(strings.TrimSpace(in.Type))
	if !isms.OneOf(in.Type, isms.AssetTypes) {
		p.Add(prefix+"type", "must be one of %s", strings.Join(isms.AssetTypes, ", "))
	}
	in.Classification = strings.ToLower(strings.TrimSpace(in.Classification))
	if in.Classification != "" && !isms.OneOf(in.Classification, isms.Classifications) {
		p.Add(prefix+"classification", "must be one of %s", strings.Join(isms.Classifications, ", "))
	}
	for field, v := range map[string]int{"confidentiality": in.Confidentiality, "integrity": in.Integrity, "availability": in.Availability} {
		if v < 0 || v > 5 {
			p.Add(prefix+field, "must be from 1 (low) to 5 (very high), or empty")
		}
	}
	if len(in.Notes) > 4000 {
		p.Add(prefix+"notes", "must be at most 4000 characters")
	}
	return resolveTarget(p, prefix+"owner", in.Owner, people, "person")
}

// apply copies a valid input onto an asset.
func (in AssetInput) apply(a *isms.Asset, owner store.Target) {
	a.Name, a.Type, a.Classification = strings.TrimSpace(in.Name), in.Type, in.Classification
	a.Confidentiality, a.Integrity, a.Availability = in.Confidentiality, in.Integrity, in.Availability
	a.Location, a.Notes = strings.TrimSpace(in.Location), strings.TrimSpace(in.Notes)
	a.OwnerID, a.Owner, a.OwnerName = owner.ID, owner.Ref, owner.Name
}

// resolveTarget finds a value (reference, name or email) among the targets resolved for it, adding a
// problem when it is unknown.
func resolveTarget(p *isms.Problems, field, v string, targets map[string]store.Target, what string) store.Target {
	v = strings.TrimSpace(v)
	if v == "" {
		return store.Target{}
	}
	t, ok := targets[strings.ToLower(v)]
	if !ok {
		p.Add(field, "no %s %q", what, v)
	}
	return t
}

// ListAssets lists the asset inventory.
func (s *Service) ListAssets(ctx context.Context, f AssetFilter, p Page) (List[isms.Asset], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Asset], error) {
		return store.Assets.List(ctx, tx, a.OrgID, f, p)
	})
}

// Asset returns one asset by reference or id.
func (s *Service) Asset(ctx context.Context, ref string) (isms.Asset, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Asset, error) {
		return store.Assets.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddAsset adds an asset to the inventory.
func (s *Service) AddAsset(ctx context.Context, in AssetInput) (isms.Asset, error) {
	return s.writeAsset(ctx, "", in, nil)
}

// UpdateAsset changes an asset as a whole; a stale version is a Conflict.
func (s *Service) UpdateAsset(ctx context.Context, ref string, in AssetInput) (isms.Asset, error) {
	return s.writeAsset(ctx, ref, in, nil)
}

// writeAsset adds (ref "") or changes an asset, resolving its owner with one scoped query. merge, when not nil,
// makes the whole input of a partial update from the saved asset.
func (s *Service) writeAsset(ctx context.Context, ref string, in AssetInput, merge func(isms.Asset) AssetInput) (isms.Asset, error) {
	var check func() error
	if merge == nil && ref != "" {
		check = func() error { return in.Sent.require(assetRequired...) }
	}
	return writeAs(ctx, s, isms.PermWriteContent, store.Assets, change[isms.Asset]{Ref: ref, Version: in.Version, Kind: "A", Check: check,
		Apply: func(tx *store.Tx, a Actor, row *isms.Asset) error {
			if merge != nil {
				in = merge(*row)
			}
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			var p isms.Problems
			owner := in.validate(&p, "", people)
			if err := p.Err(); err != nil {
				return err
			}
			in.apply(row, owner)
			now := s.now()
			if ref == "" {
				row.CreatedAt = now
			}
			row.UpdatedAt = now
			return nil
		}})
}

// ImportAssets reads an asset inventory (csv or xlsx) in one transaction, all or nothing: a row with the ref of
// an asset updates it, a row without a ref adds one, an unchanged row is left alone (importRows). The owners
// the file names are resolved with one scoped query, and new assets are written with a few multi-row
// statements and one batch of audit events. Confidentiality, integrity and availability take 1 to 5 or
// nothing; the owner a person's reference, name or email.
func (s *Service) ImportAssets(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, assetImport, format, r, false)
}

// PreviewAssetImport checks an asset file as ImportAssets does and says what it would add, update and leave
// unchanged, writing nothing.
func (s *Service) PreviewAssetImport(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, assetImport, format, r, true)
}

var assetImport = kitImport(store.Assets, registerImport[isms.Asset]{kind: "A", fields: assetFields,
	lookups: []importLookup[isms.Asset]{{lookup: store.PeopleLookup, values: func(row *importer.Row, saved *isms.Asset) []string {
		return ownerNames(row, func() string { return saved.Owner }, saved != nil)
	}}},
	apply: func(p *isms.Problems, row *importer.Row, found importFound, a *isms.Asset) {
		people := found["people"]
		f := assetFile{prefix: row.Prefix()}
		if a.Ref != "" { // an update: the columns the file lacks keep their saved values
			f.in = inputOf[AssetInput](*a)
		}
		readFileRow(assetFileColumns, row, &f)
		if hasOwner(row) {
			f.in.Owner = ownerOf(p, row, people)
		}
		var vp isms.Problems
		owner := f.in.validate(&vp, f.prefix, people)
		*p = append(*p, f.p...)
		skip := fieldSet(f.p) // a value that is not a number is not also out of range
		for _, e := range vp {
			if !skip[e.Field] {
				*p = append(*p, e)
			}
		}
		f.in.apply(a, owner)
		if f.externalRef != nil {
			a.ExternalRef = *f.externalRef
		}
	},
	stamp: func(a *isms.Asset, now time.Time, isNew bool) {
		if isNew {
			a.CreatedAt = now
		}
		a.UpdatedAt = now
	},
})

// ownerNames are the owner a row names, by owner_ref and by owner (the name, as exports write both); when the
// file has neither column, the saved owner of the row it updates (hasSaved), so that it is kept.
func ownerNames(row *importer.Row, saved func() string, hasSaved bool) []string {
	if hasOwner(row) || !hasSaved {
		return []string{row.Get("owner_ref"), row.Get("owner")}
	}
	return []string{saved()}
}

// hasOwner says whether a file has a column for the owner.
func hasOwner(row *importer.Row) bool { return row.Has("owner_ref") || row.Has("owner") }

// ownerOf is the owner a row names: by owner_ref, else by owner (the name, as exports write both). When both
// are given and name different people, the row is wrong: an edit of one of the two cells would be lost.
func ownerOf(p *isms.Problems, row *importer.Row, people map[string]store.Target) string {
	ref, name := row.Get("owner_ref"), row.Get("owner")
	if ref == "" || name == "" {
		return firstNonEmpty(ref, name)
	}
	byRef, okRef := people[strings.ToLower(ref)]
	byName, okName := people[strings.ToLower(name)]
	if okRef && okName && byRef.ID != byName.ID && !strings.EqualFold(byRef.Name, name) {
		p.Add(row.Prefix()+"owner", "%q is not %s (owner_ref): change both cells, or empty one of them", name, byRef.Ref)
	}
	return ref
}

// parseCIA reads a confidentiality, integrity or availability value: empty (0) or a whole number; the range is
// AssetInput.validate's to check.
func parseCIA(p *isms.Problems, field, v string) int {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == float64(int(f)) {
		return int(f)
	}
	p.Add(field, "%q is not a number from 1 (low) to 5 (very high)", v)
	return -1
}
