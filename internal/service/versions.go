package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Approved versions: a document approved as a whole (the SoA, the ISMS scope) is turned by an approver into an
// immutable numbered version (number = last + 1) with the approver's id and name as they were, the time, a comment,
// the SHA-256 of its canonical content and the snapshot as JSON. A document declares itself once as a versioned
// value and uses its methods; the table is approved_versions, keyed by (organisation, subject, number).

// versioned declares a document that is approved into numbered versions.
type versioned struct {
	Subject string // the key in approved_versions: "soa", "scope"; never changed once used
	Entity  string // what the audit trail and messages call it: "SoA"
	Name    string // in words, for the approver-only refusal: "the Statement of Applicability"
}

// DraftVersion names the current, unapproved content where a version number is expected (diffs, exports).
const DraftVersion = "draft"

// approval is the content an approval stores.
type approval struct {
	Canonical []byte // what the hash vouches for: the decisions, not bookkeeping (versions, times, names)
	Content   any    // the snapshot, stored as JSON
	Summary   any    // a few counts for the list of versions; nil for none
}

// approver checks that the caller may approve the document (an approver of the organisation) and that the comment
// is short enough; it returns the caller and the trimmed comment. Nothing is read or written.
func (d versioned) approver(ctx context.Context, comment string) (Actor, string, error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return a, "", err
	}
	if !a.Approver {
		return a, "", isms.Forbidden("only an approver may approve %s", d.Name)
	}
	comment = strings.TrimSpace(comment)
	if len(comment) > isms.MaxJustification {
		return a, "", isms.Invalid(isms.FieldError{Field: "comment", Message: fmt.Sprintf("must be at most %d characters", isms.MaxJustification)})
	}
	return a, comment, nil
}

// approve stores the next version of the document in tx and records the approval in the audit trail (with the
// hash and summary, not the snapshot). Call it inside the write transaction that read the content, after
// approver and after the document's own checks. Two approvals at once: the second is a Conflict.
func (d versioned) approve(ctx context.Context, s *Service, tx *store.Tx, a Actor, comment string, ap approval) (isms.ApprovedVersion, error) {
	var v isms.ApprovedVersion
	content, err := json.Marshal(ap.Content)
	if err != nil {
		return v, err
	}
	var summary []byte
	if ap.Summary != nil {
		if summary, err = json.Marshal(ap.Summary); err != nil {
			return v, err
		}
	}
	last, err := tx.LastApprovedVersion(ctx, a.OrgID, d.Subject)
	if err != nil {
		return v, err
	}
	v = isms.ApprovedVersion{Subject: d.Subject, Number: last + 1, ApprovedBy: firstNonEmpty(a.Name, a.Email), ApprovedByID: a.UserID,
		ApprovedAt: s.stamp(), Comment: comment, Hash: isms.ContentHash(ap.Canonical), Summary: summary, Content: content}
	if err := tx.InsertApprovedVersion(ctx, a.OrgID, v); err != nil {
		return v, err
	}
	record := v
	record.Content = nil
	return v, s.audit(ctx, tx, a, "approve", d.Entity, strconv.Itoa(v.Number), fmt.Sprintf("%s version %d", d.Entity, v.Number), nil, record)
}

// versions lists the document's approved versions, newest first, without their content.
func (d versioned) versions(ctx context.Context, s *Service) ([]isms.ApprovedVersion, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]isms.ApprovedVersion, error) {
		return tx.ApprovedVersions(ctx, a.OrgID, d.Subject)
	})
}

// version loads one approved version with its content (NotFound when there is no such number).
func (d versioned) version(ctx context.Context, tx *store.Tx, a Actor, number int) (isms.ApprovedVersion, error) {
	return tx.ApprovedVersion(ctx, a.OrgID, d.Subject, number, d.Entity)
}

// last is the number of the latest approved version, 0 before the first approval.
func (d versioned) last(ctx context.Context, tx *store.Tx, a Actor) (int, error) {
	return tx.LastApprovedVersion(ctx, a.OrgID, d.Subject)
}

// versionNumber reads a version as users write it ("2", "v2"); field names it in the problem.
func versionNumber(field, value string) (int, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(value)), "v"))
	if err != nil || n < 1 {
		return 0, isms.Invalid(isms.FieldError{Field: field, Message: fmt.Sprintf("must be a version number or %q", DraftVersion)})
	}
	return n, nil
}

// versionContent decodes a version's snapshot into the document's own type.
func versionContent[C any](v isms.ApprovedVersion) (C, error) {
	var c C
	if err := json.Unmarshal(v.Content, &c); err != nil {
		return c, fmt.Errorf("read %s version %d: %w", v.Subject, v.Number, err)
	}
	return c, nil
}

// compareSides loads the two sides of a comparison, each a version number or DraftVersion (the current content,
// which draft reads), in one read transaction. Bad sides are reported together, under "from" and "to"; the caller
// compares the two contents its own way.
func compareSides[C any](ctx context.Context, s *Service, d versioned, from, to string, draft func(tx *store.Tx, a Actor) (C, error)) ([2]C, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([2]C, error) {
		var sides [2]C
		var p isms.Problems
		numbers := [2]int{}
		for i, side := range [2]struct{ field, v string }{{"from", from}, {"to", to}} {
			if strings.TrimSpace(side.v) == DraftVersion {
				continue
			}
			n, err := versionNumber(side.field, side.v)
			if ie, ok := isms.AsError(err); ok {
				p = append(p, ie.Fields...)
			}
			numbers[i] = n
		}
		if err := p.Err(); err != nil {
			return sides, err
		}
		for i, n := range numbers {
			var err error
			if n == 0 {
				sides[i], err = draft(tx, a)
			} else {
				var v isms.ApprovedVersion
				if v, err = d.version(ctx, tx, a, n); err == nil {
					sides[i], err = versionContent[C](v)
				}
			}
			if err != nil {
				return sides, err
			}
		}
		return sides, nil
	})
}
