package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The ISMS scope (4.3): one per organisation, edited as a draft and approved into numbered versions like the SoA.
var scopeVersions = versioned{Subject: "scope", Entity: "scope", Name: "the ISMS scope"}

// The states of the scope against its approvals.
const (
	ScopeDraft    = "draft"    // never approved
	ScopeApproved = "approved" // the draft is the latest approved version
	ScopeChanged  = "changed"  // changed since the latest approval
)

// ScopeView is the scope as it is now, with where it stands: status is draft, approved or changed (since
// approval), and Approval the latest approved version (without its content), if any.
type ScopeView struct {
	isms.Scope
	Status   string                `json:"status" enum:"draft,approved,changed"`
	Hash     string                `json:"hash"` // of the draft as it is now; equal to the approval's when approved
	Approval *isms.ApprovedVersion `json:"approval,omitempty"`
}

// ScopeInput is the editable scope. Lists are one item each; Version is the one read (0 before the first save).
type ScopeInput struct {
	Statement  string           `json:"statement" doc:"The scope statement: what the ISMS covers, in a few sentences"`
	Units      []string         `json:"units" doc:"Organisational units in scope"`
	Locations  []string         `json:"locations" doc:"Locations and places of work in scope"`
	Systems    []string         `json:"systems" doc:"Systems and services in scope"`
	Boundaries string           `json:"boundaries" doc:"Boundaries and interfaces: where the ISMS ends and what it depends on"`
	Exclusions []isms.Exclusion `json:"exclusions" doc:"What is left out, each with its justification"`
	Version    int              `json:"version" doc:"The version read (0 before the first save); required once the scope is saved"`
	Sent       Sent             `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *ScopeInput) UnmarshalJSON(b []byte) error {
	type plain ScopeInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// Limits of the scope's parts.
const (
	maxScopeText  = 8000
	maxScopeItems = 200
	maxScopeItem  = 300
)

// normalise trims in and reports its problems: list items are one line each, blanks dropped; an exclusion
// needs both the item and its justification.
func (in *ScopeInput) normalise() error {
	var p isms.Problems
	in.Statement, in.Boundaries = strings.TrimSpace(in.Statement), strings.TrimSpace(in.Boundaries)
	for field, v := range map[string]string{"statement": in.Statement, "boundaries": in.Boundaries} {
		if utf8.RuneCountInString(v) > maxScopeText {
			p.Add(field, "must be at most %d characters", maxScopeText)
		}
	}
	for _, l := range []struct {
		field string
		list  *[]string
	}{{"units", &in.Units}, {"locations", &in.Locations}, {"systems", &in.Systems}} {
		*l.list = scopeList(&p, l.field, *l.list)
	}
	ex := []isms.Exclusion{}
	for _, e := range in.Exclusions {
		e.Item, e.Justification = strings.TrimSpace(e.Item), strings.TrimSpace(e.Justification)
		switch {
		case e.Item == "" && e.Justification == "":
			continue
		case e.Item == "":
			p.Add("exclusions", "an exclusion needs what is excluded (justification %q)", e.Justification)
		case e.Justification == "":
			p.Add("exclusions", "%q needs a justification: say why it is left out", e.Item)
		case utf8.RuneCountInString(e.Item) > maxScopeItem || utf8.RuneCountInString(e.Justification) > 2000:
			p.Add("exclusions", "%q is too long: at most %d characters, %d for the justification", e.Item, maxScopeItem, 2000)
		}
		ex = append(ex, e)
	}
	if len(ex) > maxScopeItems {
		p.Add("exclusions", "must be at most %d", maxScopeItems)
	}
	in.Exclusions = ex
	return p.Err()
}

// scopeList trims a list, dropping blanks; items must be single lines and short.
func scopeList(p *isms.Problems, field string, list []string) []string {
	out := []string{}
	for _, v := range list {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			continue
		case strings.ContainsAny(v, "\r\n"):
			p.Add(field, "%q: one item a line", v)
		case utf8.RuneCountInString(v) > maxScopeItem:
			p.Add(field, "items must be at most %d characters", maxScopeItem)
		}
		out = append(out, v)
	}
	if len(out) > maxScopeItems {
		p.Add(field, "must be at most %d items", maxScopeItems)
	}
	return out
}

// Scope returns the ISMS scope with its status and latest approval.
func (s *Service) Scope(ctx context.Context) (ScopeView, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (ScopeView, error) {
		return s.scopeView(ctx, tx, a)
	})
}

func (s *Service) scopeView(ctx context.Context, tx *store.Tx, a Actor) (ScopeView, error) {
	sc, err := tx.Scope(ctx, a.OrgID)
	if err != nil {
		return ScopeView{}, err
	}
	v := ScopeView{Scope: sc, Status: ScopeDraft, Hash: isms.ContentHash(isms.CanonicalScope(sc))}
	last, err := scopeVersions.last(ctx, tx, a)
	if err != nil || last == 0 {
		return v, err
	}
	ap, err := scopeVersions.version(ctx, tx, a, last)
	if err != nil {
		return v, err
	}
	ap.Content = nil
	v.Approval, v.Status = &ap, ScopeChanged
	if ap.Hash == v.Hash {
		v.Status = ScopeApproved
	}
	return v, nil
}

// SetScope replaces the scope's draft as a whole (a part left out is cleared).
func (s *Service) SetScope(ctx context.Context, in ScopeInput) (ScopeView, error) {
	return s.writeScope(ctx, in, false)
}

// PatchScope changes only the parts in.Sent names, keeping the others as saved.
func (s *Service) PatchScope(ctx context.Context, in ScopeInput) (ScopeView, error) {
	return s.writeScope(ctx, in, true)
}

// writeScope saves the scope's draft: the caller's role, the version check (required once a scope is saved;
// stale is a Conflict), and the save and its audit event in one transaction.
func (s *Service) writeScope(ctx context.Context, in ScopeInput, patch bool) (ScopeView, error) {
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return ScopeView{}, err
	}
	var out ScopeView
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Scope(ctx, a.OrgID)
		if err != nil {
			return err
		}
		switch {
		case before.Version > 0 && in.Version < 1 && in.Sent != nil && !in.Sent["version"]: // a request that left the version out
			return isms.VersionMismatch("scope", "", 0)
		case before.Version != in.Version: // a form read before the first save sends 0: stale too
			return isms.StaleVersion("the ISMS scope", "")
		}
		if patch {
			in = overlay(inputOf[ScopeInput](before), in, in.Sent)
		}
		if err := in.normalise(); err != nil {
			return err
		}
		after := isms.Scope{Statement: in.Statement, Units: in.Units, Locations: in.Locations, Systems: in.Systems, Boundaries: in.Boundaries,
			Exclusions: in.Exclusions, UpdatedAt: s.now(), Version: before.Version}
		if err := tx.SaveScope(ctx, a.OrgID, &after); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "update", "scope", a.OrgID, "ISMS scope", before, after); err != nil {
			return err
		}
		out, err = s.scopeView(ctx, tx, a)
		return err
	})
	return out, err
}

// ApproveScope turns the scope's draft into its next numbered version with the approver, the time, the comment
// and the SHA-256 of its content. Only approvers may; a scope without a statement is refused.
func (s *Service) ApproveScope(ctx context.Context, comment string) (isms.ApprovedVersion, error) {
	a, comment, err := scopeVersions.approver(ctx, comment)
	if err != nil {
		return isms.ApprovedVersion{}, err
	}
	var out isms.ApprovedVersion
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		sc, err := tx.Scope(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if strings.TrimSpace(sc.Statement) == "" {
			return isms.Invalid(isms.FieldError{Field: "statement", Message: "is required: write the scope statement before approving the scope"})
		}
		content := sc
		content.Version, content.UpdatedAt = 0, content.UpdatedAt.UTC()
		out, err = scopeVersions.approve(ctx, s, tx, a, comment, approval{Canonical: isms.CanonicalScope(sc), Content: content})
		return err
	})
	if err != nil {
		return isms.ApprovedVersion{}, err
	}
	out.Content = nil
	return out, nil
}

// ScopeVersions lists the scope's approved versions, newest first, without their content.
func (s *Service) ScopeVersions(ctx context.Context) ([]isms.ApprovedVersion, error) {
	return scopeVersions.versions(ctx, s)
}

// ScopeVersion is one approved version of the scope with the scope as it was approved.
type ScopeVersion struct {
	isms.ApprovedVersion
	Scope isms.Scope `json:"scope"`
}

// ScopeVersion returns approved version number with its content.
func (s *Service) ScopeVersion(ctx context.Context, number int) (ScopeVersion, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (ScopeVersion, error) {
		return loadScopeVersion(ctx, tx, a, number)
	})
}

func loadScopeVersion(ctx context.Context, tx *store.Tx, a Actor, number int) (ScopeVersion, error) {
	v, err := scopeVersions.version(ctx, tx, a, number)
	if err != nil {
		return ScopeVersion{}, err
	}
	sc, err := versionContent[isms.Scope](v)
	v.Content = nil
	return ScopeVersion{ApprovedVersion: v, Scope: sc}, err
}

// ScopeDiff is what changed from one scope to another.
type ScopeDiff struct {
	From    string             `json:"from"`
	To      string             `json:"to"`
	Changes []isms.ScopeChange `json:"changes"`
}

// DiffScope compares two scopes, each a version number or "draft": which parts changed, with before and after.
func (s *Service) DiffScope(ctx context.Context, from, to string) (ScopeDiff, error) {
	d := ScopeDiff{From: strings.TrimSpace(from), To: strings.TrimSpace(to), Changes: []isms.ScopeChange{}}
	sides, err := compareSides(ctx, s, scopeVersions, d.From, d.To, func(tx *store.Tx, a Actor) (isms.Scope, error) {
		return tx.Scope(ctx, a.OrgID)
	})
	if err != nil {
		return d, err
	}
	if ch := isms.DiffScope(sides[0], sides[1]); ch != nil {
		d.Changes = ch
	}
	return d, nil
}
