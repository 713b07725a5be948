package service

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ReviewRecord is a review with what its minutes and its page show: its inputs (frozen, or as they stand for a planned
// review) and its actions.
type ReviewRecord struct {
	Review  isms.Review
	Inputs  isms.ReviewInputs
	Actions []isms.ReviewAction
	actor   Actor
}

// ReviewRecord reads a review, its inputs and its actions in one transaction.
func (s *Service) ReviewRecord(ctx context.Context, ref string) (ReviewRecord, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (ReviewRecord, error) {
		r, err := store.Reviews.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return ReviewRecord{}, err
		}
		rec := ReviewRecord{Review: r, actor: a}
		if r.Inputs != nil {
			rec.Inputs = *r.Inputs
		} else if rec.Inputs, err = s.assembleInputs(ctx, tx, a, r.ID, s.Today()); err != nil {
			return rec, err
		}
		err = store.ReviewActions.Each(ctx, tx, a.OrgID, store.ReviewActionFilter{Review: r.Ref}, func(ra isms.ReviewAction) error {
			rec.Actions = append(rec.Actions, ra)
			return nil
		})
		return rec, err
	})
}

// ReviewActionsOf lists the actions a review decided, for its page.
func (s *Service) ReviewActionsOf(ctx context.Context, ref string) ([]isms.ReviewAction, error) {
	rec, err := s.ReviewRecord(ctx, ref)
	return rec.Actions, err
}

// ReviewMinutes writes the minutes of a review as Markdown ("md") or PDF ("pdf"): attendees, each input with its
// figures, items and notes, the discussion and the decisions.
func (s *Service) ReviewMinutes(ctx context.Context, ref, format string, w io.Writer) error {
	if !slices.Contains(DocumentExportFormats, format) {
		return isms.Invalid(isms.FieldError{Field: "format", Message: "must be md or pdf"})
	}
	rec, err := s.ReviewRecord(ctx, ref)
	if err != nil {
		return err
	}
	md := reviewMarkdown(rec)
	if format == "md" {
		_, err := io.WriteString(w, md)
		return err
	}
	// The PDF's title block names the review: the Markdown's title line would say it twice.
	_, md, _ = strings.Cut(md, "\n\n")
	return pdf.Markdown(w, pdf.DocMeta{Organisation: rec.actor.OrgName, Title: "Minutes: " + rec.Review.Title, Ref: rec.Review.Ref,
		Status: rec.Review.Status, Owner: rec.Review.ChairName, Date: s.now(), GeneratedBy: firstNonEmpty(rec.actor.Name, rec.actor.Email)}, md)
}

// reviewMarkdown is the minutes of a review in Markdown.
func reviewMarkdown(rec ReviewRecord) string {
	r, in := rec.Review, rec.Inputs
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# %s", r.Title)
	line("")
	line("%s, %s. Planned for %s; held on %s. Chaired by %s.", r.Ref, r.Status, orNone(r.PlannedOn), orNone(r.HeldOn), orNone(r.ChairName))
	line("")
	line("## Who attended")
	line("")
	for _, a := range r.AttendeeList() {
		line("- %s", a)
	}
	if len(r.AttendeeList()) == 0 {
		line("Nobody is recorded.")
	}
	line("")
	line("## What the review considered")
	line("")
	since := "everything on record (the first review)"
	if in.Since != "" {
		since = "what changed since the review of " + in.Since
	}
	if r.Inputs != nil {
		line("The inputs as they stood on %s, covering %s.", in.AssembledOn, since)
	} else {
		line("The inputs as they stand today (%s), covering %s; they are frozen when the review is held.", in.AssembledOn, since)
	}
	for _, key := range isms.ReviewSectionKeys {
		s := in.Section(key)
		line("")
		line("### %s", s.Title)
		line("")
		if len(s.Figures) > 0 {
			var figs []string
			for _, f := range s.Figures {
				figs = append(figs, fmt.Sprintf("%s: %d", f.Label, f.Count))
			}
			line("In figures: %s.", strings.Join(figs, "; "))
			line("")
		}
		for _, it := range s.Items {
			extra := it.State
			if it.Detail != "" {
				extra += "; " + it.Detail
			}
			late := ""
			if it.Late {
				late = " **late**"
			}
			line("- %s %s: %s (%s)%s", it.Kind, it.Ref, it.Title, extra, late)
		}
		if len(s.Items) == 0 && key != isms.InputFeedback {
			line("Nothing to report.")
		}
		if note := r.InputNotes[key]; note != "" {
			line("")
			line("Noted: %s", note)
		}
	}
	line("")
	line("## Discussion")
	line("")
	line("%s", orNone(r.Discussion))
	line("")
	line("## Decisions and actions")
	line("")
	for _, a := range rec.Actions {
		line("- %s (%s): %s. Owner %s, due %s, %s.", a.Ref, a.Kind, a.Decision, orNone(a.OwnerName), orNone(a.Due), a.Status)
	}
	if len(rec.Actions) == 0 {
		line("No actions were decided.")
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
