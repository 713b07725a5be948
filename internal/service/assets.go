package service

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// AssetRegister is the declaration of the asset inventory: the doors read its filters, sorts and enum values.
var AssetRegister = store.Assets

// AssetInput is the editable part of an asset. Owner is a person's reference, name or email.
type AssetInput struct {
	Name            string `json:"name"`
	Type            string `json:"type"`
	Owner           string `json:"owner"`
	Classification  string `json:"classification"`
	Confidentiality int    `json:"confidentiality"`
	Integrity       int    `json:"integrity"`
	Availability    int    `json:"availability"`
	Location        string `json:"location"`
	Notes           string `json:"notes"`
	Version         int    `json:"version"`
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

// ImportAssets reads an asset inventory (csv or xlsx) and adds every row in one transaction, like ImportRisks:
// the owners the file names are resolved with one scoped query, every row is checked, and the good file is
// written with a few multi-row statements and one batch of audit events. Confidentiality, integrity and
// availability take 1 to 5 or nothing; the owner a person's reference, name or email.
func (s *Service) ImportAssets(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	res := ImportResult{Refs: []string{}}
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return res, err
	}
	if !isImportFormat(format) {
		return res, isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(ImportFormats, ", ")})
	}
	file, err := parseImport(ctx, format, r, assetFields)
	if err != nil {
		return res, err
	}
	owners := make([]string, len(file.rows))
	for i, row := range file.rows {
		owners[i] = firstNonEmpty(row.Get("owner_ref"), row.Get("owner"))
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, owners)
		if err != nil {
			return err
		}
		var p importProblems
		var assets []isms.Asset
		now := s.now()
		err = file.each(&p, func(row *importer.Row) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			p.add(row.Problems...)
			prefix := row.Prefix()
			var parsed isms.Problems
			in := AssetInput{Name: row.Get("name"), Type: row.Get("type"), Owner: firstNonEmpty(row.Get("owner_ref"), row.Get("owner")), Classification: row.Get("classification"),
				Location: row.Get("location"), Notes: row.Get("notes")}
			in.Confidentiality = parseCIA(&parsed, prefix+"confidentiality", row.Get("confidentiality"))
			in.Integrity = parseCIA(&parsed, prefix+"integrity", row.Get("integrity"))
			in.Availability = parseCIA(&parsed, prefix+"availability", row.Get("availability"))
			p.add(parsed...)
			var vp isms.Problems
			owner := in.validate(&vp, prefix, people)
			if err := p.merge(vp.Err(), fieldSet(parsed)); err != nil || p.failed() {
				return err
			}
			asset := isms.Asset{ID: store.NewID(), CreatedAt: now, UpdatedAt: now}
			in.apply(&asset, owner)
			assets = append(assets, asset)
			return nil
		})
		if err != nil {
			return err
		}
		if p.failed() {
			return p.err()
		}
		return s.insertImportedAssets(ctx, tx, a, assets, &res)
	})
	if err != nil {
		return ImportResult{Refs: []string{}}, err
	}
	return res, nil
}

// insertImportedAssets gives the checked assets their references and writes them and their audit events in a
// few multi-row statements.
func (s *Service) insertImportedAssets(ctx context.Context, tx *store.Tx, a Actor, assets []isms.Asset, res *ImportResult) error {
	refs, err := tx.NextRefs(ctx, a.OrgID, "A", len(assets))
	if err != nil {
		return err
	}
	events := make([]*isms.AuditEvent, len(assets))
	for i := range assets {
		assets[i].Ref, assets[i].Version = refs[i], 1
		if events[i], err = s.auditEvent(a, "create", "asset", assets[i].ID, refs[i], nil, assets[i]); err != nil {
			return err
		}
	}
	if err := store.Assets.InsertMany(ctx, tx, a.OrgID, assets); err != nil {
		return err
	}
	res.Added, res.Refs = len(assets), refs
	if res.Refs == nil {
		res.Refs = []string{}
	}
	return tx.AppendAuditBatch(ctx, a.OrgID, events)
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
