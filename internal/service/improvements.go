package service

import (
	"context"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ImprovementFilter narrows the improvement log.
type ImprovementFilter = store.ImprovementFilter

// ImprovementRegister is the declaration of the improvement log.
var ImprovementRegister = store.Improvements

// ImprovementInput is the editable part of an improvement. Owner is a person's reference, name or email.
type ImprovementInput struct {
	Title       string `json:"title" doc:"The change in a few words"`
	Description string `json:"description" doc:"What changed in the ISMS"`
	Reason      string `json:"reason" doc:"Why it changed"`
	Source      string `json:"source" doc:"Where it came from: review, corrective, audit, risk or other (the default)"`
	SourceRef   string `json:"source_ref" doc:"The reference there: MR-001 (review), CA-001 (corrective), AU-001 (audit), R-001 (risk)"`
	Owner       string `json:"owner" doc:"Who made it: a person's reference, name or email"`
	MadeOn      string `json:"made_on" doc:"The day it was made, YYYY-MM-DD; today when empty"`
	Version     int    `json:"version" doc:"The version read; required for a change"`
	Sent        Sent   `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *ImprovementInput) UnmarshalJSON(b []byte) error {
	type plain ImprovementInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// apply validates in on day today and copies it onto m, the owner found among people.
func (in ImprovementInput) apply(p *isms.Problems, today string, people map[string]store.Target, m *isms.Improvement) {
	isms.CheckText(p, "title", in.Title, 200)
	checkLong(p, map[string]string{"description": in.Description, "reason": in.Reason})
	m.Source = choice(p, "source", in.Source, "other", isms.ImprovementSources)
	m.SourceRef = strings.ToUpper(strings.TrimSpace(in.SourceRef))
	isms.CheckSourceRef(p, "source_ref", m.Source, m.SourceRef)
	m.MadeOn = strings.TrimSpace(in.MadeOn)
	if m.MadeOn == "" {
		m.MadeOn = today
	}
	checkDate(p, "made_on", m.MadeOn)
	owner := resolveTarget(p, "owner", in.Owner, people, "person")
	m.Title, m.Description, m.Reason = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.Reason)
	m.OwnerID, m.Owner, m.OwnerName = owner.ID, owner.Ref, owner.Name
}

// ListImprovements lists the improvement log.
func (s *Service) ListImprovements(ctx context.Context, f ImprovementFilter, p Page) (List[isms.Improvement], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Improvement], error) {
		return store.Improvements.List(ctx, tx, a.OrgID, f, p)
	})
}

// Improvement returns one improvement by reference (IMP-001) or id.
func (s *Service) Improvement(ctx context.Context, ref string) (isms.Improvement, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Improvement, error) {
		return store.Improvements.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddImprovement records an improvement.
func (s *Service) AddImprovement(ctx context.Context, in ImprovementInput) (isms.Improvement, error) {
	return s.writeImprovement(ctx, "", in, false)
}

// UpdateImprovement changes an improvement as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateImprovement(ctx context.Context, ref string, in ImprovementInput) (isms.Improvement, error) {
	return s.writeImprovement(ctx, ref, in, false)
}

// PatchImprovement changes only the fields in.Sent names.
func (s *Service) PatchImprovement(ctx context.Context, ref string, in ImprovementInput) (isms.Improvement, error) {
	return s.writeImprovement(ctx, ref, in, true)
}

// DeleteImprovement removes an improvement.
func (s *Service) DeleteImprovement(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Improvements, ref, nil)
}

func (s *Service) writeImprovement(ctx context.Context, ref string, in ImprovementInput, patch bool) (isms.Improvement, error) {
	return writeRow(ctx, s, store.Improvements, "IMP", ref, in, in.Version, in.Sent, []string{"title"}, patch,
		func(tx *store.Tx, a Actor, in ImprovementInput, m *isms.Improvement) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(&p, s.Today(), people, m)
			s.stampTimes(&m.CreatedAt, &m.UpdatedAt, ref == "")
			return p.Err()
		})
}

// ExportImprovements writes the matching improvements as csv, xlsx or pdf (or csv-excel).
func (s *Service) ExportImprovements(ctx context.Context, f ImprovementFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Improvements", Title: "Improvement log (10.1)", Columns: []table.Column{
		col("ref", 9, false), col("made_on", 11, false), col("title", 34, true), col("description", 40, true),
		col("reason", 34, true), col("source", 11, false), col("source_ref", 10, false), col("owner_ref", 9, false),
		col("owner", 20, true), col("version", 7, false)}}
	sheet.Columns[5].Allowed = isms.ImprovementSources
	return exportRegister(ctx, s, store.Improvements, f, format, w, sheet, func(m isms.Improvement) table.Row {
		return table.Row{m.Ref, m.MadeOn, m.Title, m.Description, m.Reason, m.Source, m.SourceRef, m.Owner, m.OwnerName, m.Version}
	}, exportFacts(store.Improvements, f, "every improvement"))
}
