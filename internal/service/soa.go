package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The Statement of Applicability (clause 6.1.3 d): one entry per Annex A control, edited one at a time or in
// bulk, and approved into immutable numbered versions that can be compared with each other and with the draft.

// SoAFilter narrows the SoA's list. All 93 entries are read at once, so the filter applies in Go.
type SoAFilter struct {
	Theme      string   `json:"theme,omitempty"`      // organizational, people, physical, technological
	Attrs      []string `json:"attrs,omitempty"`      // ISO/IEC 27002 attributes as key=value, all must hold
	Status     string   `json:"status,omitempty"`     // one of isms.SoAStatuses, or "none"
	Applicable string   `json:"applicable,omitempty"` // yes, no, undecided
	Owner      string   `json:"owner,omitempty"`      // person reference (P-001)
}

// SoAStatusNone filters the entries without an implementation status.
const SoAStatusNone = "none"

// empty reports whether f selects every entry.
func (f SoAFilter) empty() bool {
	return f.Theme == "" && len(f.Attrs) == 0 && f.Status == "" && f.Applicable == "" && f.Owner == ""
}

// matcher checks f and returns the test an entry must pass. Every door's filter is checked here.
func (f SoAFilter) matcher(cat *catalog.Catalog) (func(isms.SoAEntry) bool, error) {
	var p isms.Problems
	cf := catalog.Filter{Theme: f.Theme, Attrs: map[string][]string{}}
	for _, a := range f.Attrs {
		k, v, err := catalog.ParseAttr(a)
		if err != nil {
			p.Add("attr", "%s", err.Error())
			continue
		}
		cf.Attrs[k] = append(cf.Attrs[k], v)
	}
	var inCatalog map[string]bool
	if p.Err() == nil {
		controls, err := cat.Filter(cf)
		if fe, ok := err.(*catalog.FilterError); ok {
			p.Add(fe.Field, "%s", fe.Msg)
		} else if err != nil {
			return nil, err
		}
		inCatalog = map[string]bool{}
		for _, c := range controls {
			inCatalog[c.ID] = true
		}
	}
	if f.Status != "" && f.Status != SoAStatusNone && !isms.OneOf(f.Status, isms.SoAStatuses) {
		p.Add("status", "must be one of %s, %s", strings.Join(isms.SoAStatuses, ", "), SoAStatusNone)
	}
	if f.Applicable != "" && !isms.OneOf(f.Applicable, isms.SoAApplicable) {
		p.Add("applicable", "must be one of %s", strings.Join(isms.SoAApplicable, ", "))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return func(e isms.SoAEntry) bool {
		status := e.Status
		if status == "" {
			status = SoAStatusNone
		}
		return inCatalog[e.Control] && (f.Status == "" || status == f.Status) &&
			(f.Applicable == "" || e.Applicability() == f.Applicable) && (f.Owner == "" || strings.EqualFold(e.Owner, f.Owner))
	}, nil
}

// SoAView is the SoA as its page shows it: the entries the filter selects, and the summary and issues of all.
type SoAView struct {
	Entries     []isms.SoAEntry `json:"entries"`
	Summary     isms.SoASummary `json:"summary"`
	Issues      []isms.SoAIssue `json:"issues"`
	LastVersion int             `json:"last_version"` // the latest approved version, 0 when none
}

// SoA lists the organisation's entries that f selects, in the catalog's order, with the summary and the issues
// of the whole SoA.
func (s *Service) SoA(ctx context.Context, f SoAFilter) (SoAView, error) {
	match, err := f.matcher(s.cat)
	if err != nil {
		return SoAView{Entries: []isms.SoAEntry{}, Issues: []isms.SoAIssue{}}, err
	}
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (SoAView, error) {
		all, err := tx.SoA(ctx, a.OrgID)
		if err != nil {
			return SoAView{}, err
		}
		v := SoAView{Entries: []isms.SoAEntry{}, Issues: []isms.SoAIssue{}}
		v.Summary, v.Issues = isms.Summarise(all)
		if v.Issues == nil {
			v.Issues = []isms.SoAIssue{}
		}
		for _, e := range all {
			if match(e) {
				v.Entries = append(v.Entries, e)
			}
		}
		v.LastVersion, err = soaVersions.last(ctx, tx, a)
		return v, err
	})
}

// controlID is a control as users write it ("A.8.28", " 8.28") in the catalog's form.
func controlID(c string) string {
	return strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(c), "A."), "a.")
}

// SoAEntry returns the entry of one control.
func (s *Service) SoAEntry(ctx context.Context, control string) (isms.SoAEntry, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.SoAEntry, error) {
		return tx.SoAEntry(ctx, a.OrgID, controlID(control))
	})
}

// SoAInput is the editable part of an entry. Only the fields Sent names change (applicable sent as null makes
// the entry undecided again); an input built in Go without Sent is taken whole.
type SoAInput struct {
	Applicable    *bool    `json:"applicable"`
	Justification string   `json:"justification"`
	Reasons       []string `json:"reasons"`
	Status        string   `json:"status"`
	Owner         string   `json:"owner"` // person reference, name or email; "" for none
	Notes         string   `json:"notes"`
	Version       int      `json:"version"`
	Sent          Sent     `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *SoAInput) UnmarshalJSON(b []byte) error {
	type plain SoAInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// applySoA lays the sent fields of in over entry e, resolves the owner (people, the organisation's only, named
// by owner) and checks the result against the SoA rules. prefix names the control in a bulk change's problems.
func applySoA(e *isms.SoAEntry, in SoAInput, owners map[string]store.Target, prefix string) error {
	merged := overlay(inputOf[SoAInput](*e), in, in.sent())
	var p isms.Problems
	e.Applicable, e.Notes = merged.Applicable, strings.TrimSpace(merged.Notes)
	e.Justification, e.Status = strings.TrimSpace(merged.Justification), strings.ToLower(strings.TrimSpace(merged.Status))
	e.Reasons = []string{}
	for _, r := range merged.Reasons {
		if r = strings.ToLower(strings.TrimSpace(r)); r != "" && !slices.Contains(e.Reasons, r) {
			e.Reasons = append(e.Reasons, r)
		}
	}
	if in.sent()["owner"] {
		owner := strings.TrimSpace(merged.Owner)
		t, ok := owners[strings.ToLower(owner)]
		switch {
		case owner == "":
			e.OwnerID, e.Owner, e.OwnerName = "", "", ""
		case !ok:
			p.Add(prefix+"owner", "no person %q", owner)
		default:
			e.OwnerID, e.Owner, e.OwnerName = t.ID, t.Ref, t.Name
		}
	}
	if err := e.Check(); err != nil {
		if ie, ok := isms.AsError(err); ok {
			for _, f := range ie.Fields {
				p.Add(prefix+f.Field, "%s", f.Message)
			}
		}
	}
	return p.Err()
}

// SetSoAEntry changes the fields of one entry that in.Sent names; the version read is required and a stale one
// is a Conflict. A decision needs a justification, an applicable control a status, and a control that treats
// risks cannot be excluded (isms.SoAEntry.Check).
func (s *Service) SetSoAEntry(ctx context.Context, control string, in SoAInput) (isms.SoAEntry, error) {
	return writeAs(ctx, s, isms.PermWriteContent, store.SoAEntries, change[isms.SoAEntry]{Ref: controlID(control), Version: in.Version,
		Load: func(tx *store.Tx, a Actor, e *isms.SoAEntry) error {
			// Locked before the risks are read, so that a risk linked to the control meanwhile is seen here.
			if err := tx.LockSoAEntries(ctx, a.OrgID, e.Control); err != nil {
				return err
			}
			return tx.DescribeSoAEntry(ctx, a.OrgID, e)
		},
		Apply: func(tx *store.Tx, a Actor, e *isms.SoAEntry) error {
			owners, err := soaOwners(ctx, tx, a, in)
			if err != nil {
				return err
			}
			if err := applySoA(e, in, owners, ""); err != nil {
				return err
			}
			e.UpdatedAt = s.stamp()
			return nil
		}})
}

// soaOwners resolves the owner a change names, with one scoped query (none when it names no one).
func soaOwners(ctx context.Context, tx *store.Tx, a Actor, in SoAInput) (map[string]store.Target, error) {
	if !in.sent()["owner"] || strings.TrimSpace(in.Owner) == "" {
		return nil, nil
	}
	return tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
}

// BulkSoAInput changes the same fields of several entries: those named by Controls, or else those the Filter
// selects.
type BulkSoAInput struct {
	Controls []string  `json:"controls,omitempty"`
	Filter   SoAFilter `json:"filter,omitempty"`
	Set      SoAInput  `json:"set"`
	// Versions are the versions the caller read, by control ("8.28": 3). Optional; when given for a selected
	// control that someone changed meanwhile, nothing changes and the 409 names every such control.
	Versions map[string]int `json:"versions,omitempty" doc:"The version read of each selected control, by control id (optional): a changed one refuses the whole change with 409"`
}

// BulkSetSoA changes the fields in.Set sends on every selected entry, all or nothing: when any entry would break
// a rule, nothing changes and the error lists every refused control ("8.28: justification: ...").
func (s *Service) BulkSetSoA(ctx context.Context, in BulkSoAInput) ([]isms.SoAEntry, error) {
	out := []isms.SoAEntry{}
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return out, err
	}
	var p isms.Problems
	if len(changedFields(in.Set.sent())) == 0 {
		p.Add("set", "name at least one field to change (applicable, justification, reasons, status, owner, notes)")
	}
	if len(in.Controls) == 0 && in.Filter.empty() {
		p.Add("controls", "name the controls to change, or a filter that selects them")
	}
	match, err := in.Filter.matcher(s.cat)
	if err != nil {
		return out, err
	}
	if err := p.Err(); err != nil {
		return out, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.LockSoAEntries(ctx, a.OrgID); err != nil { // all 93, before their risks are read
			return err
		}
		all, err := tx.SoA(ctx, a.OrgID)
		if err != nil {
			return err
		}
		chosen, err := selectEntries(all, in.Controls, match)
		if err != nil {
			return err
		}
		if err := staleEntries(chosen, in.Versions); err != nil {
			return err
		}
		owners, err := soaOwners(ctx, tx, a, in.Set)
		if err != nil {
			return err
		}
		var problems []isms.FieldError
		now := s.stamp()
		next := make([]isms.SoAEntry, len(chosen))
		for i, e := range chosen {
			next[i] = e
			if err := applySoA(&next[i], in.Set, owners, e.Control+": "); err != nil {
				ie, _ := isms.AsError(err)
				problems = append(problems, ie.Fields...)
			}
			next[i].UpdatedAt = now
		}
		if len(problems) > 0 {
			return isms.Invalid(problems...)
		}
		var events []*isms.AuditEvent
		for i := range next {
			if err := store.SoAEntries.Update(ctx, tx, a.OrgID, &next[i]); err != nil {
				return err
			}
			ev, err := s.auditEvent(a, "update", store.SoAEntries.Entity, next[i].Control, next[i].Control, chosen[i], next[i])
			if err != nil {
				return err
			}
			events = append(events, ev)
		}
		out = next
		return tx.AppendAuditBatch(ctx, a.OrgID, events)
	})
	if err != nil {
		return []isms.SoAEntry{}, err
	}
	return out, nil
}

// staleEntries refuses a bulk change when any chosen entry has moved on from the version the caller read
// (versions by control id, as users write them; controls without a version are not checked), naming them all.
func staleEntries(chosen []isms.SoAEntry, versions map[string]int) error {
	if len(versions) == 0 {
		return nil
	}
	read := make(map[string]int, len(versions))
	for c, v := range versions {
		read[controlID(c)] = v
	}
	var stale []string
	for _, e := range chosen {
		if v, ok := read[e.Control]; ok && v != e.Version {
			stale = append(stale, e.Control)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	them := "them"
	if len(stale) == 1 {
		them = "it"
	}
	return isms.Conflict("someone else changed %s since you read %s: reload, check their changes and apply yours again", strings.Join(stale, ", "), them)
}

// sent is the fields in changes: those sent, or every field of an input built in Go.
func (in SoAInput) sent() Sent {
	if in.Sent == nil {
		return SentOf("applicable", "justification", "reasons", "status", "owner", "notes")
	}
	return in.Sent
}

// changedFields lists the fields of a Sent set other than the version.
func changedFields(sent Sent) []string {
	var out []string
	for k := range sent {
		if k != "version" {
			out = append(out, k)
		}
	}
	return out
}

// selectEntries picks the named controls (every unknown one is a problem), or else those match accepts.
func selectEntries(all []isms.SoAEntry, controls []string, match func(isms.SoAEntry) bool) ([]isms.SoAEntry, error) {
	var out []isms.SoAEntry
	if len(controls) == 0 {
		for _, e := range all {
			if match(e) {
				out = append(out, e)
			}
		}
		if len(out) == 0 {
			return nil, isms.Invalid(isms.FieldError{Field: "filter", Message: "selects no control"})
		}
		return out, nil
	}
	byID := map[string]isms.SoAEntry{}
	for _, e := range all {
		byID[e.Control] = e
	}
	var p isms.Problems
	seen := map[string]bool{}
	for _, c := range controls {
		c = controlID(c)
		e, ok := byID[c]
		switch {
		case !ok:
			p.Add("controls", "%q is not an ISO/IEC 27001:2022 Annex A control", c)
		case !seen[c]:
			seen[c] = true
			out = append(out, e)
		}
	}
	return out, p.Err()
}

// soaVersions is the SoA as a document approved into numbered versions: its snapshot is the entries, its summary
// the counts of isms.Summarise.
var soaVersions = versioned{Subject: "soa", Entity: "SoA", Name: "the Statement of Applicability"}

// ApproveSoA turns the current SoA into the next numbered version, with the approver, the time, a comment and
// the SHA-256 of its canonical content. Only approvers may; an SoA with incomplete or contradictory entries is
// refused with every issue listed, each under its control.
func (s *Service) ApproveSoA(ctx context.Context, comment string) (isms.SoAVersion, error) {
	a, comment, err := soaVersions.approver(ctx, comment)
	if err != nil {
		return isms.SoAVersion{}, err
	}
	var out isms.SoAVersion
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		entries, err := tx.SoA(ctx, a.OrgID)
		if err != nil {
			return err
		}
		summary, issues := isms.Summarise(entries)
		if len(issues) > 0 {
			fe := make([]isms.FieldError, len(issues))
			for i, is := range issues {
				fe[i] = isms.FieldError{Field: is.Control, Message: is.Message}
			}
			return isms.Invalid(fe...)
		}
		// The version records the evidence each control had when it was approved (not part of its hash).
		evidence, err := tx.EvidenceRefsByControl(ctx, a.OrgID)
		if err != nil {
			return err
		}
		for i := range entries {
			entries[i].Evidence = evidence[entries[i].Control]
		}
		v, err := soaVersions.approve(ctx, s, tx, a, comment, approval{Canonical: isms.CanonicalSoA(entries), Content: entries, Summary: summary})
		if err != nil {
			return err
		}
		out = soaVersion(v, summary, entries)
		return nil
	})
	if err != nil {
		return isms.SoAVersion{}, err
	}
	return out, nil
}

// soaVersion is an approved version in the SoA's own form.
func soaVersion(v isms.ApprovedVersion, summary isms.SoASummary, entries []isms.SoAEntry) isms.SoAVersion {
	return isms.SoAVersion{Number: v.Number, ApprovedBy: v.ApprovedBy, ApprovedByID: v.ApprovedByID, ApprovedAt: v.ApprovedAt,
		Comment: v.Comment, Hash: v.Hash, Summary: summary, Entries: entries}
}

// decodeSoAVersion reads an approved version's summary and, when loaded, its entries.
func decodeSoAVersion(v isms.ApprovedVersion) (isms.SoAVersion, error) {
	var summary isms.SoASummary
	if len(v.Summary) > 0 {
		if err := json.Unmarshal(v.Summary, &summary); err != nil {
			return isms.SoAVersion{}, fmt.Errorf("read SoA version %d: %w", v.Number, err)
		}
	}
	var entries []isms.SoAEntry
	if len(v.Content) > 0 {
		var err error
		if entries, err = versionContent[[]isms.SoAEntry](v); err != nil {
			return isms.SoAVersion{}, err
		}
	}
	return soaVersion(v, summary, entries), nil
}

// SoAVersions lists the approved versions, newest first, without their entries.
func (s *Service) SoAVersions(ctx context.Context) ([]isms.SoAVersion, error) {
	out := []isms.SoAVersion{}
	l, err := soaVersions.versions(ctx, s)
	if err != nil {
		return out, err
	}
	for _, v := range l {
		sv, err := decodeSoAVersion(v)
		if err != nil {
			return []isms.SoAVersion{}, err
		}
		out = append(out, sv)
	}
	return out, nil
}

// SoAVersion returns one approved version with its entries as they were approved.
func (s *Service) SoAVersion(ctx context.Context, number int) (isms.SoAVersion, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.SoAVersion, error) {
		return loadSoAVersion(ctx, tx, a, number)
	})
}

func loadSoAVersion(ctx context.Context, tx *store.Tx, a Actor, number int) (isms.SoAVersion, error) {
	v, err := soaVersions.version(ctx, tx, a, number)
	if err != nil {
		return isms.SoAVersion{}, err
	}
	return decodeSoAVersion(v)
}

// SoADraft is what DiffSoA calls the current, unapproved SoA.
const SoADraft = DraftVersion

// SoADiff is what changed from one SoA to another.
type SoADiff struct {
	From    string           `json:"from"`
	To      string           `json:"to"`
	Changes []isms.SoAChange `json:"changes"`
}

// DiffSoA compares two SoAs, each a version number or "draft": which controls changed applicability,
// justification, reasons, status, owner, notes or risks.
func (s *Service) DiffSoA(ctx context.Context, from, to string) (SoADiff, error) {
	d := SoADiff{From: strings.TrimSpace(from), To: strings.TrimSpace(to), Changes: []isms.SoAChange{}}
	sides, err := compareSides(ctx, s, soaVersions, d.From, d.To, func(tx *store.Tx, a Actor) ([]isms.SoAEntry, error) {
		return tx.SoA(ctx, a.OrgID)
	})
	if err != nil {
		return d, err
	}
	if changes := isms.DiffSoA(sides[0], sides[1]); changes != nil {
		d.Changes = changes
	}
	return d, nil
}
