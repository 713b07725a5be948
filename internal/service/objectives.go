package service

import (
	"context"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ObjectiveFilter narrows the objective list.
type ObjectiveFilter = store.ObjectiveFilter

// ObjectiveRegister is the declaration of the objectives register.
var ObjectiveRegister = store.Objectives

// ObjectiveInput is the editable part of an information security objective. Owner is a person's reference,
// name or email; Risks are risk references.
type ObjectiveInput struct {
	Title   string   `json:"title" doc:"What is to be achieved"`
	Measure string   `json:"measure" doc:"How it is measured"`
	Target  string   `json:"target" doc:"The value that counts as achieved"`
	Owner   string   `json:"owner" doc:"Who owns it: a person's reference, name or email"`
	Due     string   `json:"due" doc:"Due date, YYYY-MM-DD"`
	Status  string   `json:"status" doc:"planned (the default), on-track, at-risk, achieved or missed"`
	Policy  string   `json:"policy" doc:"The policy statement it serves"`
	Risks   []string `json:"risks" doc:"The references of the risks it serves (R-001)"`
	Notes   string   `json:"notes" doc:"Notes"`
	Version int      `json:"version" doc:"The version read; required for a change"`
	Sent    Sent     `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *ObjectiveInput) UnmarshalJSON(b []byte) error {
	type plain ObjectiveInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// apply validates in and copies it onto o: the owner found among people, each risk among risks.
func (in ObjectiveInput) apply(p *isms.Problems, people, risks map[string]store.Target, o *isms.Objective) {
	isms.CheckText(p, "title", in.Title, 200)
	for field, v := range map[string]string{"measure": in.Measure, "target": in.Target} {
		if len(v) > 1000 {
			p.Add(field, "must be at most 1000 characters")
		}
	}
	status := strings.ToLower(strings.TrimSpace(in.Status))
	if status == "" {
		status = "planned"
	}
	if !isms.OneOf(status, isms.ObjectiveStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.ObjectiveStatuses, ", "))
	}
	due := strings.TrimSpace(in.Due)
	checkDate(p, "due", due)
	checkLong(p, map[string]string{"policy": in.Policy, "notes": in.Notes})
	owner := resolveTarget(p, "owner", in.Owner, people, "person")
	refs := []string{}
	for _, v := range in.Risks {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if r := resolveTarget(p, "risks", v, risks, "risk"); r.Ref != "" && !isms.OneOf(r.Ref, refs) {
			refs = append(refs, r.Ref)
		}
	}
	o.Title, o.Measure, o.Target = strings.TrimSpace(in.Title), strings.TrimSpace(in.Measure), strings.TrimSpace(in.Target)
	o.OwnerID, o.Owner, o.OwnerName = owner.ID, owner.Ref, owner.Name
	o.Due, o.Status, o.Policy, o.Risks, o.Notes = due, status, strings.TrimSpace(in.Policy), refs, strings.TrimSpace(in.Notes)
}

// ListObjectives lists the information security objectives.
func (s *Service) ListObjectives(ctx context.Context, f ObjectiveFilter, p Page) (List[isms.Objective], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Objective], error) {
		return store.Objectives.List(ctx, tx, a.OrgID, f, p)
	})
}

// Objective returns one objective by reference (OBJ-001) or id.
func (s *Service) Objective(ctx context.Context, ref string) (isms.Objective, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Objective, error) {
		return store.Objectives.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddObjective records an information security objective.
func (s *Service) AddObjective(ctx context.Context, in ObjectiveInput) (isms.Objective, error) {
	return s.writeObjective(ctx, "", in, false)
}

// UpdateObjective changes an objective as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateObjective(ctx context.Context, ref string, in ObjectiveInput) (isms.Objective, error) {
	return s.writeObjective(ctx, ref, in, false)
}

// PatchObjective changes only the fields in.Sent names, like PatchAsset: a status change sends the status and
// the version.
func (s *Service) PatchObjective(ctx context.Context, ref string, in ObjectiveInput) (isms.Objective, error) {
	return s.writeObjective(ctx, ref, in, true)
}

// DeleteObjective removes an objective.
func (s *Service) DeleteObjective(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Objectives, ref, nil)
}

func (s *Service) writeObjective(ctx context.Context, ref string, in ObjectiveInput, patch bool) (isms.Objective, error) {
	return writeRow(ctx, s, store.Objectives, "OBJ", ref, in, in.Version, in.Sent, []string{"title"}, patch,
		func(tx *store.Tx, a Actor, in ObjectiveInput, o *isms.Objective) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			risks, err := tx.Resolve(ctx, a.OrgID, store.RiskLookup, in.Risks)
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(&p, people, risks, o)
			s.stampTimes(&o.CreatedAt, &o.UpdatedAt, ref == "")
			return p.Err()
		})
}
