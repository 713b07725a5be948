package isms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The transition from ISO/IEC 27001:2013 to 2022: an organisation's 2013 Statement of Applicability is
// imported and laid over the 2022 SoA through the official mapping. What is clear is taken over; what is not
// (sources that disagree, controls new in 2022) is left undecided and marked for a decision.

// What the import makes of a 2022 control.
const (
	TransitionTaken      = "taken"      // one 2013 source: its answers
	TransitionMerged     = "merged"     // several 2013 sources that agree: their justifications combined
	TransitionConflict   = "conflict"   // the sources disagree: left for a decision
	TransitionNew        = "new"        // new in 2022: left for a decision
	TransitionUnanswered = "unanswered" // the file answers for none of its sources: left for a decision
)

// TransitionOutcomes lists the outcomes; TransitionOutcomeNames says each in words.
var (
	TransitionOutcomes     = []string{TransitionTaken, TransitionMerged, TransitionConflict, TransitionNew, TransitionUnanswered}
	TransitionOutcomeNames = map[string]string{
		TransitionTaken:      "Takes the 2013 answer",
		TransitionMerged:     "Merged from several 2013 controls",
		TransitionConflict:   "Conflict: the 2013 answers disagree",
		TransitionNew:        "New in 2022",
		TransitionUnanswered: "No 2013 answer in the file",
	}
)

// Transition2013Row is one row of an imported 2013 SoA.
type Transition2013Row struct {
	Control       string    `json:"control"` // the 2013 id as the catalog writes it, "A.5.1.1"
	Line          int       `json:"line"`
	Applicable    *bool     `json:"applicable"` // nil: the row gives no answer
	Justification string    `json:"justification"`
	Status        string    `json:"status"` // one of SoAStatuses, or ""
	Notes         string    `json:"notes"`
	ImportedAt    time.Time `json:"imported_at"`
	Title         string    `json:"title,omitempty"`  // from the catalog
	Became        []string  `json:"became,omitempty"` // the 2022 controls it became, from the catalog
}

// Answer says the row's answer in words: "applicable (implemented)", "not applicable", "no answer".
func (r Transition2013Row) Answer() string {
	switch {
	case r.Applicable == nil:
		return "no answer"
	case *r.Applicable && r.Status != "":
		return "applicable (" + strings.ToLower(SoAStatusNames[r.Status]) + ")"
	case *r.Applicable:
		return "applicable"
	}
	return "not applicable"
}

// TransitionControl is what the import made of one 2022 control.
type TransitionControl struct {
	Control string   `json:"control"` // 2022 id, "8.28"
	Title   string   `json:"title"`
	Outcome string   `json:"outcome"` // one of TransitionOutcomes
	Sources []string `json:"sources"` // the 2013 controls that became it, "A.14.2.1"
	// Marked: left undecided for a decision in the 2022 SoA. Kept: the entry was decided already and the import
	// left it as it was.
	Marked bool   `json:"marked"`
	Kept   bool   `json:"kept"`
	Note   string `json:"note"` // what happened, in words
}

// Action is what the import does to the control, in one word: the outcome, or "kept" for an entry it leaves.
func (c TransitionControl) Action() string {
	if c.Kept {
		return "kept"
	}
	return c.Outcome
}

// TransitionTarget is a 2022 control with the 2013 controls that became it, as the catalog maps them.
type TransitionTarget struct {
	Control, Title string
	Sources        []string
}

// PlanTransition lays the imported 2013 rows (by 2013 id) over the current 2022 SoA (by control): for each
// target what happens, and the entries to save. One answering source gives its answers; several that agree
// are merged, each justification under its control's id; sources that disagree, controls new in 2022 and
// controls none of whose sources the file answers are marked for a decision and left undecided. An entry
// decided already is kept unless overwrite is set, and an undecidable result (a control that treats risks,
// excluded in 2013) is marked instead of saved.
func PlanTransition(targets []TransitionTarget, rows map[string]Transition2013Row, current map[string]SoAEntry, overwrite bool) ([]TransitionControl, []SoAEntry) {
	var plan []TransitionControl
	var writes []SoAEntry
	for _, t := range targets {
		c := TransitionControl{Control: t.Control, Title: t.Title, Sources: slices.Clone(t.Sources)}
		if c.Sources == nil {
			c.Sources = []string{}
		}
		e, has := current[t.Control]
		decided := has && e.Decided()
		var answered, missing []Transition2013Row
		for _, src := range t.Sources {
			if r, ok := rows[src]; ok && r.Applicable != nil {
				answered = append(answered, r)
			} else {
				missing = append(missing, Transition2013Row{Control: src})
			}
		}
		switch {
		case len(t.Sources) == 0:
			c.Outcome, c.Marked = TransitionNew, true
			c.Note = "New in ISO/IEC 27001:2022: decide whether it applies."
		case len(answered) == 0:
			c.Outcome, c.Marked = TransitionUnanswered, true
			c.Note = fmt.Sprintf("The imported file gives no answer for %s: decide whether it applies.", strings.Join(t.Sources, ", "))
		case !agree(answered):
			c.Outcome, c.Marked = TransitionConflict, true
			var said []string
			for _, r := range answered {
				said = append(said, r.Control+" says "+r.Answer())
			}
			c.Note = "The 2013 answers disagree: " + strings.Join(said, "; ") + ". Decide whether it applies."
		default:
			c.Outcome = TransitionTaken
			if len(t.Sources) > 1 {
				c.Outcome = TransitionMerged
			}
			next := e
			next.Control = t.Control
			mergeAnswers(&next, answered)
			c.Note = "Takes the answer of " + strings.Join(controlsOf(answered), " and ") + "."
			if len(missing) > 0 {
				c.Note += fmt.Sprintf(" The file has no answer for %s.", strings.Join(controlsOf(missing), ", "))
			}
			if decided && !overwrite {
				break
			}
			if err := next.Check(); err != nil {
				c.Marked = true
				c.Note = fmt.Sprintf("The 2013 answer cannot be taken (%s): decide whether it applies.", Describe(err))
				break
			}
			writes = append(writes, next)
		}
		if decided && (!overwrite || c.Marked) {
			c.Marked, c.Kept = false, true
			c.Note = "Already decided in the 2022 SoA (" + e.Applicability() + "): left as it is. " + c.Note
		}
		plan = append(plan, c)
	}
	return plan, writes
}

// agree reports whether every row gives the same applicability.
func agree(rows []Transition2013Row) bool {
	for _, r := range rows[1:] {
		if *r.Applicable != *rows[0].Applicable {
			return false
		}
	}
	return true
}

func controlsOf(rows []Transition2013Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Control
	}
	return out
}

// mergeAnswers gives e the answers of rows, which agree: their applicability, their justifications (each under
// the 2013 ids that gave it when there are several), the least advanced of their statuses when the control applies, and
// their notes.
func mergeAnswers(e *SoAEntry, rows []Transition2013Row) {
	applies := *rows[0].Applicable
	e.Applicable = &applies
	// named combines the rows' texts, each under the ids of the controls that gave it: a text several controls
	// share (2013 SoAs often repeat one sentence for a whole section) is written once, naming them all.
	named := func(text func(Transition2013Row) string) string {
		var texts []string
		from := map[string][]string{}
		for _, r := range rows {
			if v := strings.TrimSpace(text(r)); v != "" {
				if from[v] == nil {
					texts = append(texts, v)
				}
				from[v] = append(from[v], r.Control)
			}
		}
		if len(rows) == 1 {
			return strings.Join(texts, "")
		}
		for i, v := range texts {
			texts[i] = strings.Join(from[v], ", ") + ": " + v
		}
		return strings.Join(texts, "\n")
	}
	e.Justification = named(func(r Transition2013Row) string { return r.Justification })
	if notes := named(func(r Transition2013Row) string { return r.Notes }); notes != "" {
		e.Notes = notes
	}
	e.Status = ""
	if applies {
		least := len(SoAStatuses)
		for _, r := range rows {
			if i := slices.Index(SoAStatuses, r.Status); i >= 0 && i < least {
				least = i
			}
		}
		if least < len(SoAStatuses) {
			e.Status = SoAStatuses[least]
		}
	}
}

// Describe is an error's message without the field prefixes of Invalid: "justification: is required".
func Describe(err error) string {
	if ie, ok := AsError(err); ok && len(ie.Fields) > 0 {
		var parts []string
		for _, f := range ie.Fields {
			parts = append(parts, f.Field+": "+f.Message)
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// ParseControl2013 reads a 2013 Annex A control id as people write it ("A.5.1.1", "A 5.1.1", "a.05.01.01",
// "5.1.1", "Annex A.5.1.1") into the catalog's form "A.5.1.1". Whether the control exists is the caller's to
// check.
func ParseControl2013(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSpace(strings.TrimPrefix(s, "annex"))
	s = strings.TrimPrefix(s, "a")
	s = strings.TrimLeft(s, " .-_")
	s = strings.ReplaceAll(s, " ", "")
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return "", false
	}
	nums := make([]string, 3)
	for i, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return "", false
		}
		n, _ := strconv.Atoi(p)
		nums[i] = strconv.Itoa(n)
	}
	return "A." + strings.Join(nums, "."), true
}

// ParseLooseApplicable reads an applicability as 2013 SoAs write it: yes/no/y/n/true/false/1/0 in any case, and
// "applicable", "included", "excluded", "not applicable", "n/a". An empty value is no answer (nil, true).
func ParseLooseApplicable(s string) (*bool, bool) {
	v := strings.Join(strings.Fields(strings.ToLower(s)), " ")
	yes, no := true, false
	switch v {
	case "":
		return nil, true
	case "yes", "y", "true", "1", "x", "applicable", "included", "include", "in scope":
		return &yes, true
	case "no", "n", "false", "0", "not applicable", "n/a", "na", "excluded", "exclude", "out of scope", "not included":
		return &no, true
	}
	return nil, false
}

// ParseLooseStatus reads an implementation status in the words people use into one of SoAStatuses; "" for
// none.
func ParseLooseStatus(s string) (string, bool) {
	v := strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '.' || r == '/'
	}), " ")
	switch v {
	case "":
		return "", true
	case "implemented", "fully implemented", "done", "complete", "completed", "in place", "in operation", "operational", "yes", "full", "fully":
		return SoAImplemented, true
	case "partial", "partially", "partly", "partially implemented", "partly implemented", "in progress", "ongoing", "wip", "started", "implementing":
		return SoAPartial, true
	case "planned", "plan", "to do", "todo", "scheduled", "intended", "not yet", "future":
		return SoAPlanned, true
	case "not started", "not implemented", "none", "no", "open", "missing", "not done":
		return SoANotStarted, true
	}
	return "", false
}

// TransitionItem is one 2022 control in the transition workspace and report: what the import made of it, the
// answers of its 2013 sources as the file gave them (a source the file lacks has no answer), and its SoA entry
// now, where the decision is made.
type TransitionItem struct {
	TransitionControl
	Answers []Transition2013Row `json:"answers"`
	Entry   SoAEntry            `json:"entry"`
}

// Open reports whether the control waits for a decision: marked by the import and still undecided.
func (it TransitionItem) Open() bool { return it.Marked && !it.Entry.Decided() }
