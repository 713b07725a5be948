package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// CorrectiveFilter narrows the list of corrective actions; CorrectiveRegister declares it.
type CorrectiveFilter = store.CorrectiveFilter

// CorrectiveRegister is the declaration of the corrective actions register.
var CorrectiveRegister = store.CorrectiveActions

// CorrectiveInput is the editable part of a corrective action. The effectiveness check is not part of it: it is
// recorded by VerifyCorrective.
type CorrectiveInput struct {
	Finding    string `json:"finding" doc:"The nonconformity it answers (F-001): a finding graded major-nc or minor-nc"`
	Title      string `json:"title" doc:"What is to be done, in a line"`
	Correction string `json:"correction" doc:"The immediate fix of the nonconformity"`
	RootCause  string `json:"root_cause" doc:"Why the nonconformity happened"`
	Action     string `json:"action" doc:"What removes the cause so that it does not happen again"`
	Owner      string `json:"owner" doc:"Who carries it out: a person's reference, name or email"`
	Due        string `json:"due" doc:"Due date, YYYY-MM-DD"`
	Status     string `json:"status" doc:"open (the default), in-progress, done or closed; closing needs an effective check"`
	Version    int    `json:"version" doc:"The version read; required for a change"`
	Sent       Sent   `json:"-"`
}

// UnmarshalJSON records the fields sent.
func (in *CorrectiveInput) UnmarshalJSON(b []byte) error {
	type plain CorrectiveInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// CheckInput is an effectiveness check: whether the action removed the cause, and what was looked at.
type CheckInput struct {
	Result  string `json:"result" doc:"effective or not-effective; not-effective reopens the action"`
	Notes   string `json:"notes" doc:"What was checked and seen" maxLength:"4000"`
	Version int    `json:"version" doc:"The version read"`
}

// ListCorrective lists the corrective actions.
func (s *Service) ListCorrective(ctx context.Context, f CorrectiveFilter, p Page) (List[isms.CorrectiveAction], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.CorrectiveAction], error) {
		return store.CorrectiveActions.List(ctx, tx, a.OrgID, f, p)
	})
}

// Corrective returns one corrective action by reference (CA-001) or id.
func (s *Service) Corrective(ctx context.Context, ref string) (isms.CorrectiveAction, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.CorrectiveAction, error) {
		return store.CorrectiveActions.Get(ctx, tx, a.OrgID, ref)
	})
}

// CorrectiveCounts are the figures of the dashboard card: actions not closed, and of those the overdue ones.
type CorrectiveCounts struct {
	Open, Overdue int
}

// CorrectiveSummary counts the open and overdue corrective actions today (one statement).
func (s *Service) CorrectiveSummary(ctx context.Context) (CorrectiveCounts, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (CorrectiveCounts, error) {
		open, overdue, err := tx.CorrectiveCounts(ctx, a.OrgID, s.Today())
		return CorrectiveCounts{Open: open, Overdue: overdue}, err
	})
}

// AddCorrective records a corrective action for a nonconformity.
func (s *Service) AddCorrective(ctx context.Context, in CorrectiveInput) (isms.CorrectiveAction, error) {
	return s.writeCorrective(ctx, "", in, false)
}

// UpdateCorrective changes a corrective action as a whole.
func (s *Service) UpdateCorrective(ctx context.Context, ref string, in CorrectiveInput) (isms.CorrectiveAction, error) {
	return s.writeCorrective(ctx, ref, in, false)
}

// PatchCorrective changes only the fields sent (a status change: status and version).
func (s *Service) PatchCorrective(ctx context.Context, ref string, in CorrectiveInput) (isms.CorrectiveAction, error) {
	return s.writeCorrective(ctx, ref, in, true)
}

// CloseCorrective closes a corrective action; refused until an effectiveness check found it effective. When
// every corrective action of its finding is closed, the finding closes.
func (s *Service) CloseCorrective(ctx context.Context, ref string, version int) (isms.CorrectiveAction, error) {
	return s.PatchCorrective(ctx, ref, CorrectiveInput{Status: "closed", Version: version, Sent: SentOf("status")})
}

// DeleteCorrective removes a corrective action; its finding's status follows the actions left.
func (s *Service) DeleteCorrective(ctx context.Context, ref string) error {
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := store.CorrectiveActions.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return err
		}
		if err := store.CorrectiveActions.Delete(ctx, tx, a.OrgID, before.ID); err != nil {
			return err
		}
		if err := s.syncFindingStatus(ctx, tx, a, before.FindingID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "delete", store.CorrectiveActions.Entity, before.ID, before.Ref, before, nil)
	})
}

// VerifyCorrective records the effectiveness check of a corrective action as the signed-in user, now. Auditors
// may do this (and nothing else with corrective actions). A not-effective check reopens the action, so that
// the work goes on; an effective one lets it be closed.
func (s *Service) VerifyCorrective(ctx context.Context, ref string, in CheckInput) (isms.CorrectiveAction, error) {
	var p isms.Problems
	result := strings.ToLower(strings.TrimSpace(in.Result))
	if !isms.OneOf(result, isms.CheckResults) {
		p.Add("result", "must be one of %s", strings.Join(isms.CheckResults, ", "))
	}
	checkLong(&p, map[string]string{"notes": in.Notes})
	if err := p.Err(); err != nil {
		return isms.CorrectiveAction{}, err
	}
	return writeAs(ctx, s, isms.PermWriteAudits, store.CorrectiveActions, change[isms.CorrectiveAction]{Ref: ref, Version: in.Version,
		Apply: func(tx *store.Tx, a Actor, c *isms.CorrectiveAction) error {
			if c.Status == "closed" {
				return isms.Conflict("%s is closed: reopen it before checking it again", c.Ref)
			}
			now := s.now()
			c.CheckedByID, c.CheckedBy, c.CheckedAt = a.UserID, firstNonEmpty(a.Name, a.Email), &now
			c.CheckResult, c.CheckNotes, c.UpdatedAt = result, strings.TrimSpace(in.Notes), now
			if result == "not-effective" {
				c.Status = "open"
			}
			return nil
		},
		Saved: func(tx *store.Tx, a Actor, c *isms.CorrectiveAction) error {
			return s.syncFindingStatus(ctx, tx, a, c.FindingID)
		}})
}

func (s *Service) writeCorrective(ctx context.Context, ref string, in CorrectiveInput, patch bool) (isms.CorrectiveAction, error) {
	var before string // the finding the action answered before the change, whose status may change too
	return writeRowAs(ctx, s, isms.PermWriteContent, store.CorrectiveActions, "CA", ref, in, in.Version, in.Sent, []string{"finding", "title"}, patch,
		func(tx *store.Tx, a Actor, in CorrectiveInput, c *isms.CorrectiveAction) error {
			before = c.FindingID
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Owner})
			if err != nil {
				return err
			}
			finding, err := s.nonconformity(ctx, tx, a, in.Finding)
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(&p, people, finding, c, s.now())
			s.stampTimes(&c.CreatedAt, &c.UpdatedAt, ref == "")
			return p.Err()
		}, rowHooks[isms.CorrectiveAction]{Saved: func(tx *store.Tx, a Actor, c *isms.CorrectiveAction) error {
			if before != "" && before != c.FindingID {
				if err := s.syncFindingStatus(ctx, tx, a, before); err != nil {
					return err
				}
			}
			return s.syncFindingStatus(ctx, tx, a, c.FindingID)
		}})
}

// nonconformity loads the finding ref names (one scoped query); a finding that is not a nonconformity, or none,
// is an input problem.
func (s *Service) nonconformity(ctx context.Context, tx *store.Tx, a Actor, ref string) (isms.Finding, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return isms.Finding{}, isms.Invalid(isms.FieldError{Field: "finding", Message: "is required: the nonconformity it answers (F-001)"})
	}
	f, err := store.Findings.Get(ctx, tx, a.OrgID, strings.ToUpper(ref))
	if isms.ErrorKind(err) == isms.KindNotFound {
		return f, isms.Invalid(isms.FieldError{Field: "finding", Message: fmt.Sprintf("no finding %q", ref)})
	}
	if err == nil && !isms.Nonconformity(f.Grade) {
		return f, isms.Invalid(isms.FieldError{Field: "finding", Message: fmt.Sprintf(
			"%s is graded %s: a corrective action answers a nonconformity (major-nc or minor-nc)", f.Ref, f.Grade)})
	}
	return f, err
}

// apply validates in and copies it onto c. Closing needs an effective check; leaving closed clears the closing.
func (in CorrectiveInput) apply(p *isms.Problems, people map[string]store.Target, f isms.Finding, c *isms.CorrectiveAction, now time.Time) {
	isms.CheckText(p, "title", in.Title, 200)
	status := strings.ToLower(strings.TrimSpace(in.Status))
	if status == "" {
		status = "open"
	}
	if !isms.OneOf(status, isms.CorrectiveStatuses) {
		p.Add("status", "must be one of %s", strings.Join(isms.CorrectiveStatuses, ", "))
	}
	if status == "closed" && c.Status != "closed" {
		switch {
		case c.CheckResult == "":
			p.Add("status", "cannot close %s: no effectiveness check yet", orNone(c.Ref))
		case c.CheckResult != "effective":
			p.Add("status", "cannot close %s: its last effectiveness check found it %s", c.Ref, c.CheckResult)
		default:
			c.ClosedAt = &now
		}
	}
	if status != "closed" {
		c.ClosedAt = nil
	}
	due := strings.TrimSpace(in.Due)
	checkDate(p, "due", due)
	checkLong(p, map[string]string{"correction": in.Correction, "root_cause": in.RootCause, "action": in.Action})
	owner := resolveTarget(p, "owner", in.Owner, people, "person")
	c.FindingID, c.Finding, c.FindingTitle = f.ID, f.Ref, f.Title
	c.Title, c.Correction, c.RootCause, c.Action = strings.TrimSpace(in.Title), strings.TrimSpace(in.Correction), strings.TrimSpace(in.RootCause), strings.TrimSpace(in.Action)
	c.OwnerID, c.Owner, c.OwnerName, c.Due, c.Status = owner.ID, owner.Ref, owner.Name, due, status
}
