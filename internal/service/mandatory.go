package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Mandatory documented information: each item the clauses explicitly require (the catalog's list), with what
// in the organisation's own data satisfies it, or the gap and where to close it.

// Evidence is one document or record that satisfies a mandatory item.
type Evidence struct {
	Kind  string `json:"kind" doc:"document or record"`
	Ref   string `json:"ref,omitempty" doc:"The document's reference (DOC-001); empty for a record"`
	Title string `json:"title" doc:"What the evidence is"`
	Link  string `json:"link" doc:"The web page that shows it"`
}

// MandatoryItem is one item of mandatory documented information and its state in this organisation.
type MandatoryItem struct {
	Clause      string     `json:"clause"`
	Item        string     `json:"item,omitempty"`
	ClauseTitle string     `json:"clause_title"`
	Description string     `json:"description"`
	Wording     string     `json:"wording"`
	Satisfied   bool       `json:"satisfied"`
	Evidence    []Evidence `json:"evidence"`
	Gap         string     `json:"gap,omitempty" doc:"What is missing, when nothing satisfies the item"`
	CreateLink  string     `json:"create_link,omitempty" doc:"The web page where the missing information is created"`
}

// mandatoryRule says, for one clause (and item), which record of the organisation is the evidence besides a
// document in force that serves the clause, and where a gap is closed.
type mandatoryRule struct {
	record   func(ev store.MandatoryEvidence) (Evidence, bool)
	gap      string
	create   string
	template string // a policy template that drafts the missing document
}

// newDocument is where a document is started from a template.
func newDocument(template string) string {
	if template == "" {
		return "/documents#new"
	}
	return "/documents?template=" + template + "#new"
}

// mandatoryRules decides per item (clause, or clause and item letter) what counts as the evidence. An approved
// document that serves the clause satisfies any item; the records below satisfy theirs too.
var mandatoryRules = map[string]mandatoryRule{
	// The scope is its own versioned record: an approved version of it is the documented scope.
	"4.3": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("ISMS scope, approved version %d", ev.ScopeVersion), Link: "/scope/versions"}, ev.ScopeVersion > 0
	}, gap: "The ISMS scope has no approved version.", create: "/scope"},
	// The policy is a document: the information security policy, approved.
	"5.2 e": {gap: "No approved document serves clause 5.2 (the information security policy).", template: "information-security"},
	// The risk processes are documented by the methodology document; the risk method alone is settings, not a
	// document that has been reviewed and approved.
	"6.1.2": {gap: "No approved risk assessment methodology (a document serving clause 6.1.2).", template: "risk-methodology"},
	"6.1.3": {gap: "No approved risk treatment methodology (a document serving clause 6.1.3).", template: "risk-methodology"},
	// The SoA is satisfied by an approved version of it.
	"6.1.3 d": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Statement of Applicability, approved version %d", ev.SoAVersion), Link: "/soa/versions"}, ev.SoAVersion > 0
	}, gap: "The Statement of Applicability has no approved version.", create: "/soa"},
	// The treatment plan is the plan's actions.
	"6.1.3 e": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Risk treatment plan: %d actions", ev.Actions), Link: "/risks/plan"}, ev.Actions > 0
	}, gap: "The risk treatment plan has no actions.", create: "/risks/plan"},
	// The objectives register.
	"6.2": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Objectives register: %d objectives", ev.Objectives), Link: "/objectives"}, ev.Objectives > 0
	}, gap: "No information security objectives are recorded.", create: "/objectives"},
	// Competence: the training records of courses taken, or a document (a skills matrix) serving 7.2.
	"7.2 d": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Training records: %d courses completed", ev.Trainings), Link: "/training"}, ev.Trainings > 0
	}, gap: "No training is recorded and no approved document serves clause 7.2 (a record of competence).", create: "/training"},
	// The documents the organisation decided it needs: the register's documents in force, as one record.
	"7.5.1 b": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Document register: %d documents in force", len(ev.Documents)), Link: "/documents"}, len(ev.Documents) > 0
	}, gap: "No document of the register is approved.", create: "/documents#new"},
	// Operational control records: treatment actions carried out are the record that the plans were followed.
	"8.1": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Treatment actions done: %d", ev.DoneActions), Link: "/risks/plan"}, ev.DoneActions > 0
	}, gap: "No treatment action is done and no approved document serves clause 8.1.", create: "/risks/plan"},
	// Assessment results are the risk register's recorded assessments.
	"8.2": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Risk register: %d assessments recorded", ev.Assessments), Link: "/risks"}, ev.Assessments > 0
	}, gap: "No risk assessment is recorded.", create: "/risks/new"},
	// Treatment results are risks with actions or an acceptance.
	"8.3": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Risk register: %d risks treated or accepted", ev.TreatedRisks), Link: "/risks"}, ev.TreatedRisks > 0
	}, gap: "No risk has a treatment action or an acceptance.", create: "/risks"},
	// Monitoring, internal audit, management review and nonconformities are kept in their registers; a
	// record-type document serving the clause counts too.
	"9.1": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Metrics: %d measurements recorded", ev.Measurements), Link: "/metrics"}, ev.Measurements > 0
	}, gap: "No measurement of a metric is recorded (monitoring and measurement results, clause 9.1).", create: "/metrics"},
	"9.2.2": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Internal audits: %d completed", ev.Audits), Link: "/audits"}, ev.Audits > 0
	}, gap: "No internal audit is completed (the audit programme and its results, clause 9.2.2).", create: "/audits"},
	"9.3.3": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Management reviews: %d held", ev.Reviews), Link: "/reviews"}, ev.Reviews > 0
	}, gap: "No management review is held (its results, clause 9.3.3).", create: "/reviews"},
	"10.2": {record: func(ev store.MandatoryEvidence) (Evidence, bool) {
		return Evidence{Kind: "record", Title: fmt.Sprintf("Findings and their corrective actions: %d findings", ev.Findings), Link: "/findings"}, ev.Findings > 0
	}, gap: "No nonconformity or corrective action is recorded (clause 10.2).", create: "/findings"},
}

// MandatoryDocuments lists every item of mandatory documented information with what satisfies it in this
// organisation, or its gap. It reads the evidence in one transaction of two queries.
func (s *Service) MandatoryDocuments(ctx context.Context) ([]MandatoryItem, error) {
	ev, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (store.MandatoryEvidence, error) {
		return tx.MandatoryEvidence(ctx, a.OrgID)
	})
	if err != nil {
		return nil, err
	}
	return s.mandatoryItems(ev), nil
}

// mandatoryItems judges every mandatory item against the evidence read (the lint's checks read it in their own
// transaction).
func (s *Service) mandatoryItems(ev store.MandatoryEvidence) []MandatoryItem {
	items := s.cat.MandatoryDocuments()
	out := make([]MandatoryItem, 0, len(items))
	for _, d := range items {
		it := MandatoryItem{Clause: d.Clause, Item: d.Item, ClauseTitle: d.ClauseTitle, Description: d.Description,
			Wording: d.Wording, Evidence: []Evidence{}}
		key := d.Clause
		if d.Item != "" {
			key += " " + d.Item
		}
		rule := mandatoryRules[key]
		for _, doc := range ev.Documents {
			if slices.Contains(doc.Clauses, d.Clause) {
				it.Evidence = append(it.Evidence, Evidence{Kind: "document", Ref: doc.Ref,
					Title: fmt.Sprintf("%s, version %d", doc.Title, doc.Version), Link: "/documents/" + doc.Ref})
			}
		}
		if rule.record != nil {
			if e, ok := rule.record(ev); ok {
				it.Evidence = append(it.Evidence, e)
			}
		}
		it.Satisfied = len(it.Evidence) > 0
		if !it.Satisfied {
			it.Gap = rule.gap
			if it.Gap == "" {
				it.Gap = "Nothing approved serves clause " + d.Clause + "."
			}
			it.CreateLink = rule.create
			if it.CreateLink == "" {
				it.CreateLink = newDocument(rule.template)
			}
		}
		out = append(out, it)
	}
	return out
}

// DocumentLink is a document that serves a control, as the SoA and the control pages list it.
type DocumentLink struct {
	Ref     string `json:"ref"`
	Title   string `json:"title"`
	Status  string `json:"status"`
	InForce bool   `json:"in_force" doc:"An approved version is in force"`
}

// DocumentsByControl maps each Annex A control to the documents (not retired) that serve it, from one query.
func (s *Service) DocumentsByControl(ctx context.Context) (map[string][]DocumentLink, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (map[string][]DocumentLink, error) {
		docs, err := tx.ServingDocuments(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		out := map[string][]DocumentLink{}
		for _, d := range docs {
			for _, c := range d.Controls {
				out[c] = append(out[c], DocumentLink{Ref: d.Ref, Title: d.Title, Status: d.Status, InForce: d.Version > 0})
			}
		}
		return out, nil
	})
}
