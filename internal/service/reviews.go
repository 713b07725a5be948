package service

import (
	"context"
	"maps"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ReviewFilter narrows the list of management reviews; ReviewRegister declares it.
type ReviewFilter = store.ReviewFilter

// ReviewRegister is the declaration of the management reviews register.
var ReviewRegister = store.Reviews

// ReviewInput is the editable part of a management review. Marking it held freezes its inputs.
type ReviewInput struct {
	Title      string `json:"title" doc:"What the review is (Management review 2026 H1)"`
	PlannedOn  string `json:"planned_on" doc:"The day it is planned for, YYYY-MM-DD"`
	HeldOn     string `json:"held_on" doc:"The day it was held, YYYY-MM-DD (default today when it is marked held)"`
	Status     string `json:"status" doc:"planned (the default) or held; held freezes the inputs and cannot be undone"`
	Chair      string `json:"chair" doc:"Who chairs it: a person's reference, name or email"`
	Attendees  string `json:"attendees" doc:"Who attended: one name or role a line"`
	Discussion string `json:"discussion" doc:"What was discussed and concluded"`
	// InputNotes are notes per input section; a key sent replaces that note and an empty text removes it.
	InputNotes map[string]string `json:"input_notes" doc:"Notes per input, keyed by section (previous-actions, context, parties, nonconformities, monitoring, audits, objectives, feedback, risks, improvement); a note sent replaces that one, an empty one removes it"`
	Version    int               `json:"version" doc:"The version read; required for a change"`
	Sent       Sent              `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *ReviewInput) UnmarshalJSON(b []byte) error {
	type plain ReviewInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// ListReviews lists the management reviews, newest first.
func (s *Service) ListReviews(ctx context.Context, f ReviewFilter, p Page) (List[isms.Review], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Review], error) {
		return store.Reviews.List(ctx, tx, a.OrgID, f, p)
	})
}

// Review returns one management review by reference (MR-001) or id.
func (s *Service) Review(ctx context.Context, ref string) (isms.Review, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Review, error) {
		return store.Reviews.Get(ctx, tx, a.OrgID, ref)
	})
}

// ReviewInputs returns the inputs of a review: as frozen when it was held, else as the registers stand today.
func (s *Service) ReviewInputs(ctx context.Context, ref string) (isms.ReviewInputs, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.ReviewInputs, error) {
		r, err := store.Reviews.Get(ctx, tx, a.OrgID, ref)
		if err != nil || r.Inputs != nil {
			return derefInputs(r.Inputs), err
		}
		return s.assembleInputs(ctx, tx, a, r.ID, s.Today())
	})
}

func derefInputs(in *isms.ReviewInputs) isms.ReviewInputs {
	if in == nil {
		return isms.ReviewInputs{}
	}
	return *in
}

// assembleInputs reads the inputs of review id as they stand on day, since the previous review held before it.
func (s *Service) assembleInputs(ctx context.Context, tx *store.Tx, a Actor, id, day string) (isms.ReviewInputs, error) {
	since, err := tx.PreviousReviewDay(ctx, a.OrgID, id, day)
	if err != nil {
		return isms.ReviewInputs{}, err
	}
	return tx.AssembleReviewInputs(ctx, a.OrgID, id, since, s.Today())
}

// AddReview plans a management review.
func (s *Service) AddReview(ctx context.Context, in ReviewInput) (isms.Review, error) {
	return s.writeReview(ctx, "", in, false)
}

// UpdateReview changes a review as a whole.
func (s *Service) UpdateReview(ctx context.Context, ref string, in ReviewInput) (isms.Review, error) {
	return s.writeReview(ctx, ref, in, false)
}

// PatchReview changes only the fields sent: {"status": "held", "version": 3} holds the review.
func (s *Service) PatchReview(ctx context.Context, ref string, in ReviewInput) (isms.Review, error) {
	return s.writeReview(ctx, ref, in, true)
}

// HoldReview marks a review held on day heldOn ("": today), freezing its inputs as they stand now.
func (s *Service) HoldReview(ctx context.Context, ref, heldOn string, version int) (isms.Review, error) {
	in := ReviewInput{Status: "held", HeldOn: heldOn, Version: version, Sent: SentOf("status")}
	if heldOn != "" {
		in.Sent["held_on"] = true
	}
	return s.PatchReview(ctx, ref, in)
}

// DeleteReview removes a planned review with its actions; a held review is a record and stays.
func (s *Service) DeleteReview(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Reviews, ref, func(_ *store.Tx, _ Actor, r *isms.Review) error {
		if r.Status == "held" {
			return isms.Conflict("cannot delete %s: it was held, and its minutes are a record", r.Ref)
		}
		return nil
	})
}

func (s *Service) writeReview(ctx context.Context, ref string, in ReviewInput, patch bool) (isms.Review, error) {
	return writeRow(ctx, s, store.Reviews, "MR", ref, in, in.Version, in.Sent, []string{"title"}, patch,
		func(tx *store.Tx, a Actor, in ReviewInput, r *isms.Review) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Chair})
			if err != nil {
				return err
			}
			var p isms.Problems
			wasHeld := r.Status == "held"
			in.apply(&p, people, r, s.Today())
			if wasHeld && r.Status != "held" {
				p.Add("status", "%s was held: its inputs are frozen and it cannot go back to planned", r.Ref)
			}
			if err := p.Err(); err != nil {
				return err
			}
			if r.Status == "held" && !wasHeld {
				inputs, err := s.assembleInputs(ctx, tx, a, r.ID, r.HeldOn)
				if err != nil {
					return err
				}
				r.Inputs = &inputs
			}
			s.stampTimes(&r.CreatedAt, &r.UpdatedAt, ref == "")
			return nil
		})
}

// apply validates in and copies it onto r; a review marked held without a day is held today.
func (in ReviewInput) apply(p *isms.Problems, people map[string]store.Target, r *isms.Review, today string) {
	isms.CheckText(p, "title", in.Title, 200)
	status := strings.ToLower(strings.TrimSpace(in.Status))
	if status == "" {
		status = "planned"
	}
	if !isms.OneOf(status, isms.ReviewStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.ReviewStatuses, ", "))
	}
	planned, held := strings.TrimSpace(in.PlannedOn), strings.TrimSpace(in.HeldOn)
	checkDate(p, "planned_on", planned)
	checkDate(p, "held_on", held)
	if status == "held" && held == "" {
		held = today
	}
	if status == "planned" && held != "" {
		p.Add("held_on", "is set when the review is held (status held)")
	}
	if status == "held" && held > today {
		p.Add("held_on", "cannot be after today (%s)", today)
	}
	checkLong(p, map[string]string{"attendees": in.Attendees, "discussion": in.Discussion})
	notes := maps.Clone(r.InputNotes)
	if notes == nil {
		notes = map[string]string{}
	}
	for k, v := range in.InputNotes {
		switch {
		case !isms.OneOf(k, isms.ReviewSectionKeys):
			p.Add("input_notes", "no input %q: the inputs are %s", k, strings.Join(isms.ReviewSectionKeys, ", "))
		case len(v) > 4000:
			p.Add("input_notes", "the note on %s must be at most 4000 characters", k)
		case strings.TrimSpace(v) == "":
			delete(notes, k)
		default:
			notes[k] = strings.TrimSpace(v)
		}
	}
	chair := resolveTarget(p, "chair", in.Chair, people, "person")
	r.Title, r.PlannedOn, r.HeldOn, r.Status = strings.TrimSpace(in.Title), planned, held, status
	r.ChairID, r.Chair, r.ChairName = chair.ID, chair.Ref, chair.Name
	r.Attendees, r.Discussion, r.InputNotes = strings.TrimSpace(in.Attendees), strings.TrimSpace(in.Discussion), notes
}
