package service

import (
	"context"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The filters of the leadership registers (clause 5).
type (
	RoleFilter       = store.RoleFilter
	CommitmentFilter = store.CommitmentFilter
)

// RoleRegister and CommitmentRegister are the declarations of the role and commitment registers.
var (
	RoleRegister       = store.Roles
	CommitmentRegister = store.Commitments
)

// RoleInput is the editable part of an ISMS role. Person is a person's reference, name or email.
type RoleInput struct {
	Name             string `json:"name" doc:"Name of the role, e.g. Information security officer"`
	Kind             string `json:"kind" doc:"isms-owner, sponsor (top-management sponsor) or other (the default)"`
	Person           string `json:"person" doc:"Who holds the role: a person's reference, name or email"`
	Responsibilities string `json:"responsibilities" doc:"What the role is responsible for"`
	Authorities      string `json:"authorities" doc:"What the role may decide or approve"`
	Notes            string `json:"notes" doc:"Notes"`
	Version          int    `json:"version" doc:"The version read; required for a change"`
	Sent             Sent   `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *RoleInput) UnmarshalJSON(b []byte) error {
	type plain RoleInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// apply validates in and copies it onto r, the person found among people.
func (in RoleInput) apply(p *isms.Problems, people map[string]store.Target, r *isms.ISMSRole) {
	isms.CheckText(p, "name", in.Name, 120)
	kind := strings.ToLower(strings.TrimSpace(in.Kind))
	if kind == "" {
		kind = "other"
	}
	if !isms.OneOf(kind, isms.RoleKinds) {
		p.Add("kind", "must be one of %s", strings.Join(isms.RoleKinds, ", "))
	}
	checkLong(p, map[string]string{"responsibilities": in.Responsibilities, "authorities": in.Authorities, "notes": in.Notes})
	person := resolveTarget(p, "person", in.Person, people, "person")
	r.Name, r.Kind = strings.TrimSpace(in.Name), kind
	r.PersonID, r.Person, r.PersonName = person.ID, person.Ref, person.Name
	r.Responsibilities, r.Authorities, r.Notes = strings.TrimSpace(in.Responsibilities), strings.TrimSpace(in.Authorities), strings.TrimSpace(in.Notes)
}

// RoleList is a page of roles with the warnings about the organisation's roles as a whole (isms.RoleWarnings).
type RoleList struct {
	List[isms.ISMSRole]
	Warnings []string `json:"warnings" doc:"What looks wrong in the roles as a whole: no ISMS owner or sponsor, or several"`
}

// ListRoles lists the ISMS roles, with the warnings about the owner and sponsor roles.
func (s *Service) ListRoles(ctx context.Context, f RoleFilter, p Page) (RoleList, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (RoleList, error) {
		l, err := store.Roles.List(ctx, tx, a.OrgID, f, p)
		if err != nil {
			return RoleList{}, err
		}
		w, err := roleWarnings(ctx, tx, a.OrgID)
		return RoleList{List: l, Warnings: w}, err
	})
}

// RoleWarnings says what looks wrong in the organisation's roles as a whole (isms.RoleWarnings), for the doors
// to show after a role is saved.
func (s *Service) RoleWarnings(ctx context.Context) ([]string, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]string, error) {
		return roleWarnings(ctx, tx, a.OrgID)
	})
}

func roleWarnings(ctx context.Context, tx *store.Tx, orgID string) ([]string, error) {
	n, err := tx.RoleKindCounts(ctx, orgID)
	return isms.RoleWarnings(n["isms-owner"], n["sponsor"]), err
}

// Role returns one role by reference (RL-001) or id.
func (s *Service) Role(ctx context.Context, ref string) (isms.ISMSRole, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.ISMSRole, error) {
		return store.Roles.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddRole records a role of the ISMS.
func (s *Service) AddRole(ctx context.Context, in RoleInput) (isms.ISMSRole, error) {
	return s.writeRole(ctx, "", in, false)
}

// UpdateRole changes a role as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateRole(ctx context.Context, ref string, in RoleInput) (isms.ISMSRole, error) {
	return s.writeRole(ctx, ref, in, false)
}

// PatchRole changes only the fields in.Sent names, like PatchAsset.
func (s *Service) PatchRole(ctx context.Context, ref string, in RoleInput) (isms.ISMSRole, error) {
	return s.writeRole(ctx, ref, in, true)
}

// DeleteRole removes a role.
func (s *Service) DeleteRole(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Roles, ref, nil)
}

func (s *Service) writeRole(ctx context.Context, ref string, in RoleInput, patch bool) (isms.ISMSRole, error) {
	return writeRow(ctx, s, store.Roles, "RL", ref, in, in.Version, in.Sent, []string{"name"}, patch,
		func(tx *store.Tx, a Actor, in RoleInput, r *isms.ISMSRole) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Person})
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(&p, people, r)
			s.stampTimes(&r.CreatedAt, &r.UpdatedAt, ref == "")
			return p.Err()
		})
}

// CommitmentInput is the editable part of a leadership commitment. Person is a person's reference, name or email.
type CommitmentInput struct {
	Title    string `json:"title" doc:"What was committed, e.g. approval of the information security policy"`
	Person   string `json:"person" doc:"Who committed (normally the top-management sponsor): a person's reference, name or email"`
	Date     string `json:"date" doc:"When, YYYY-MM-DD"`
	Evidence string `json:"evidence" doc:"Where the proof is: a link, minutes, an email"`
	Document string `json:"document" doc:"The reference of a document it concerns (text)"`
	Notes    string `json:"notes" doc:"Notes"`
	Version  int    `json:"version" doc:"The version read; required for a change"`
	Sent     Sent   `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *CommitmentInput) UnmarshalJSON(b []byte) error {
	type plain CommitmentInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// apply validates in and copies it onto c, the person found among people.
func (in CommitmentInput) apply(p *isms.Problems, people map[string]store.Target, c *isms.Commitment) {
	isms.CheckText(p, "title", in.Title, 200)
	date := strings.TrimSpace(in.Date)
	if date == "" {
		p.Add("date", "is required")
	}
	checkDate(p, "date", date)
	if len(strings.TrimSpace(in.Document)) > 120 {
		p.Add("document", "must be at most 120 characters")
	}
	checkLong(p, map[string]string{"evidence": in.Evidence, "notes": in.Notes})
	person := resolveTarget(p, "person", in.Person, people, "person")
	c.Title, c.Date, c.Document = strings.TrimSpace(in.Title), date, strings.TrimSpace(in.Document)
	c.PersonID, c.Person, c.PersonName = person.ID, person.Ref, person.Name
	c.Evidence, c.Notes = strings.TrimSpace(in.Evidence), strings.TrimSpace(in.Notes)
}

// ListCommitments lists the leadership commitments.
func (s *Service) ListCommitments(ctx context.Context, f CommitmentFilter, p Page) (List[isms.Commitment], error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Commitment], error) {
		return store.Commitments.List(ctx, tx, a.OrgID, f, p)
	})
}

// Commitment returns one commitment by reference (LC-001) or id.
func (s *Service) Commitment(ctx context.Context, ref string) (isms.Commitment, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Commitment, error) {
		return store.Commitments.Get(ctx, tx, a.OrgID, ref)
	})
}

// AddCommitment records evidence of leadership commitment.
func (s *Service) AddCommitment(ctx context.Context, in CommitmentInput) (isms.Commitment, error) {
	return s.writeCommitment(ctx, "", in, false)
}

// UpdateCommitment changes a commitment as a whole; a stale version is a Conflict and changes nothing.
func (s *Service) UpdateCommitment(ctx context.Context, ref string, in CommitmentInput) (isms.Commitment, error) {
	return s.writeCommitment(ctx, ref, in, false)
}

// PatchCommitment changes only the fields in.Sent names, like PatchAsset.
func (s *Service) PatchCommitment(ctx context.Context, ref string, in CommitmentInput) (isms.Commitment, error) {
	return s.writeCommitment(ctx, ref, in, true)
}

// DeleteCommitment removes a commitment.
func (s *Service) DeleteCommitment(ctx context.Context, ref string) error {
	return deleteAs(ctx, s, isms.PermWriteContent, store.Commitments, ref, nil)
}

func (s *Service) writeCommitment(ctx context.Context, ref string, in CommitmentInput, patch bool) (isms.Commitment, error) {
	return writeRow(ctx, s, store.Commitments, "LC", ref, in, in.Version, in.Sent, []string{"title", "date"}, patch,
		func(tx *store.Tx, a Actor, in CommitmentInput, c *isms.Commitment) error {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Person})
			if err != nil {
				return err
			}
			var p isms.Problems
			in.apply(&p, people, c)
			s.stampTimes(&c.CreatedAt, &c.UpdatedAt, ref == "")
			return p.Err()
		})
}
