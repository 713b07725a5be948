package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ControlWork is everything one Annex A control asks of the organisation, on one page: the catalog's guidance,
// the SoA decision, the risks it treats, its tasks, its evidence, the documents that name it, and what is still
// missing.
type ControlWork struct {
	Control   catalog.Control       `json:"control"` // with its guidance: purpose, steps, evidence an auditor asks for
	SoA       isms.SoAEntry         `json:"soa"`
	Risks     List[isms.Risk]       `json:"risks" doc:"The risks whose treatment names the control, highest residual score first (a page)"`
	Tasks     List[isms.Task]       `json:"tasks" doc:"Its tasks, soonest due first (a page)"`
	Evidence  List[ControlEvidence] `json:"evidence" doc:"Evidence that shows it at work, newest first (a page)"`
	Documents []DocumentLink        `json:"documents" doc:"The documents (not retired) that name it"`
	Missing   []ControlGap          `json:"missing" doc:"What is still missing, computed from the above; empty when nothing is"`
}

// ControlEvidence is a piece of evidence on a control's page. (A type of its own because the API's schema name
// Evidence is the mandatory list's.)
type ControlEvidence struct{ isms.Evidence }

// ControlGap is one thing still missing for a control: a code scripts can test and a sentence for people.
type ControlGap struct {
	Code    string `json:"code" doc:"undecided, no-justification, no-status, no-owner, no-task, overdue-task, no-evidence, implemented-without-evidence or evidence-expired"`
	Message string `json:"message"`
}

// controlWorkPage is how many rows of each list the page shows.
const controlWorkPage = 50

// ControlWork gathers the work page of one control (2022 id; "A.8.28" works too).
func (s *Service) ControlWork(ctx context.Context, id string) (ControlWork, error) {
	var w ControlWork
	ctl, ok := s.cat.Control(controlID(id))
	if !ok {
		return w, isms.NotFound("there is no Annex A control %q: the 2022 controls run from 5.1 to 8.34", strings.TrimSpace(id))
	}
	w.Control = ctl
	var err error
	if w.SoA, err = s.SoAEntry(ctx, ctl.ID); err != nil {
		return w, err
	}
	if w.Risks, err = s.ListRisks(ctx, RiskFilter{Control: ctl.ID, Sort: "-residual"}, Page{Limit: 10}); err != nil {
		return w, err
	}
	if w.Tasks, err = s.ListTasks(ctx, TaskFilter{Control: ctl.ID, Sort: "due"}, Page{Limit: controlWorkPage}); err != nil {
		return w, err
	}
	evidence, err := s.EvidenceFor(ctx, ctl.ID, Page{Limit: controlWorkPage})
	if err != nil {
		return w, err
	}
	w.Evidence = List[ControlEvidence]{Items: make([]ControlEvidence, len(evidence.Items)), Total: evidence.Total, Limit: evidence.Limit, Offset: evidence.Offset}
	for i, e := range evidence.Items {
		w.Evidence.Items[i] = ControlEvidence{e}
	}
	w.Documents, err = readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]DocumentLink, error) {
		docs, err := tx.DocumentsNaming(ctx, a.OrgID, ctl.ID)
		out := make([]DocumentLink, len(docs))
		for i, d := range docs {
			out[i] = DocumentLink{Ref: d.Ref, Title: d.Title, Status: d.Status, InForce: d.Version > 0}
		}
		return out, err
	})
	w.Missing = controlGaps(w)
	return w, err
}

// controlGaps is what is still missing for a control, from its SoA entry, tasks and evidence: the decision and
// its reasons first, then the work, then the proof. A control decided not applicable, with its reason, misses
// nothing.
func controlGaps(w ControlWork) []ControlGap {
	out := []ControlGap{}
	add := func(code, format string, args ...any) {
		out = append(out, ControlGap{Code: code, Message: fmt.Sprintf(format, args...)})
	}
	e := w.SoA
	switch {
	case e.Applicable == nil:
		add("undecided", "The Statement of Applicability does not say yet whether %s applies.", e.Control)
		return out
	case strings.TrimSpace(e.Justification) == "" && !*e.Applicable:
		add("no-justification", "The SoA excludes %s without saying why.", e.Control)
	case strings.TrimSpace(e.Justification) == "":
		add("no-justification", "The SoA includes %s without saying why.", e.Control)
	}
	if !*e.Applicable {
		return out
	}
	if e.Status == "" {
		add("no-status", "The SoA does not say how far %s is implemented.", e.Control)
	}
	if e.Owner == "" {
		add("no-owner", "Nobody owns %s in the SoA.", e.Control)
	}
	working, overdue := 0, 0
	for _, t := range w.Tasks.Items {
		if t.Status != "cancelled" {
			working++
		}
		if t.Overdue {
			overdue++
		}
	}
	if working == 0 {
		add("no-task", "No open or done task implements %s.", e.Control)
	}
	if overdue > 0 {
		add("overdue-task", "%d task(s) of %s are overdue.", overdue, e.Control)
	}
	current, expired := 0, []string{}
	for _, ev := range w.Evidence.Items {
		if ev.Status == "expired" {
			expired = append(expired, ev.Ref)
		} else {
			current++
		}
	}
	switch {
	case len(w.Evidence.Items) == 0 && e.Status == isms.SoAImplemented:
		add("implemented-without-evidence", "The SoA says %s is implemented, but no evidence shows it.", e.Control)
	case current == 0:
		add("no-evidence", "No current evidence shows %s at work.", e.Control)
	}
	if len(expired) > 0 {
		add("evidence-expired", "Evidence past its validity: %s; collect it again.", strings.Join(expired, ", "))
	}
	return out
}
