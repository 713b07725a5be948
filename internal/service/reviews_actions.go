package service

import (
	"context"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ReviewActionFilter narrows the list of review actions; ReviewActionRegister declares it.
type ReviewActionFilter = store.ReviewActionFilter

// ReviewActionRegister is the declaration of the review actions register.
var ReviewActionRegister = store.ReviewActions

// ReviewActionInput is an output of a management review (9.3.3).
type ReviewActionInput struct {
	Review   string `json:"review" doc:"The review that decided it (MR-001)"`
	Kind     string `json:"kind" doc:"improvement, change or resource"`
	Decision string `json:"decision" doc:"What was decided"`
	Owner    string `json:"owner" doc:"Who carries it out: a person's reference, name or email"`
	Due      string `json:"due" doc:"Due date, YYYY-MM-DD"`
	Status   string `json:"status" doc:"open (the default), in-progress, done or cancelled"`
	Notes    string `json:"notes" doc:"Notes"`
	Version  int    `json:"version" doc:"The version read; required for a change"`
	Sent     Sent   `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *ReviewActionInput) UnmarshalJSON(b []byte) error {
	type plain ReviewActionInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// ListReviewActions lists the outputs of management reviews.
func (s *Service) ListReviewActions(ctx context.Context, f ReviewActionFilter, p Page) (List[isms.ReviewAction], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.ReviewAction], error) {
		return store.ReviewActions.List(ctx, tx, a.OrgID, f, p)
	})
}

// ReviewAction returns one review action by reference (RA-001) or id.
func (s *Service) ReviewAction(ctx context.Context, ref string) (isms.ReviewAction, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.ReviewAction, error) {
		return store.ReviewActions.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddReviewAction records a decision of a review.
func (s *Service) AddReviewAction(ctx context.Context, in ReviewActionInput) (isms.ReviewAction, error) {
	return s.writeReviewAction(ctx, "", in, false)
}

// UpdateReviewAction changes a review action as a whole.
func (s *Service) UpdateReviewAction(ctx context.Context, ref string, in ReviewActionInput) (isms.ReviewAction, error) {
	return s.writeReviewAction(ctx, ref, in, false)
}

// PatchReviewAction changes only the fields sent (a status change: status and version).
func (s *Service) PatchReviewAction(ctx context.Context, ref string, in ReviewActionInput) (isms.ReviewAction, error) {
	return s.writeReviewAction(ctx, ref, in, true)
}

// DeleteReviewAction removes a review action.
func (s *Service) DeleteReviewAction(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.ReviewActions, ref, nil)
}

func (s *Service) writeReviewAction(ctx context.Context, ref string, in ReviewActionInput, patch bool) (isms.ReviewAction, error) {
	return writeRow(ctx, s, store.ReviewActions, "RA", ref, in, in.Version, in.Sent, []string{"review", "kind", "decision"}, patch,
		func(tx *store.Tx, a Actor, in ReviewActionInput, ra *isms.ReviewAction) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			reviews, err := tx.Resolve(ctx, a.OrgID, store.ReviewLookup, []string{in.Review})
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(&p, people, reviews, ra)
			s.stampTimes(&ra.CreatedAt, &ra.UpdatedAt, ref == "")
			return p.Err()
		})
}

func (in ReviewActionInput) apply(p *isms.Problems, people, reviews map[string]store.Target, ra *isms.ReviewAction) {
	if strings.TrimSpace(in.Review) == "" {
		p.Add("review", "is required: the review that decided it (MR-001)")
	}
	review := resolveTarget(p, "review", in.Review, reviews, "management review")
	kind := strings.ToLower(strings.TrimSpace(in.Kind))
	if !isms.OneOf(kind, isms.ReviewActionKinds) {
		p.Add("kind", "must be one of %s", strings.Join(isms.ReviewActionKinds, ", "))
	}
	isms.CheckText(p, "decision", in.Decision, 1000)
	status := strings.ToLower(strings.TrimSpace(in.Status))
	if status == "" {
		status = "open"
	}
	if !isms.OneOf(status, isms.ReviewActionStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.ReviewActionStatuses, ", "))
	}
	due := strings.TrimSpace(in.Due)
	checkDate(p, "due", due)
	checkLong(p, map[string]string{"notes": in.Notes})
	owner := resolveTarget(p, "owner", in.Owner, people, "person")
	ra.ReviewID, ra.Review = review.ID, review.Ref
	ra.Kind, ra.Decision, ra.Due, ra.Status, ra.Notes = kind, strings.TrimSpace(in.Decision), due, status, strings.TrimSpace(in.Notes)
	ra.OwnerID, ra.Owner, ra.OwnerName = owner.ID, owner.Ref, owner.Name
}
