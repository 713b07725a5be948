package service

import (
	"context"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/praxis-isms/praxis/internal/export/transition"
	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The transition from ISO/IEC 27001:2013 to 2022 (issue 15): a 2013 Statement of Applicability is imported as
// people keep it, laid over the 2022 SoA through the catalog's mapping (isms.PlanTransition), and what is left
// to decide is decided on the SoA entries themselves; the workspace and the report read both.

// transitionEntity names the import in the audit trail.
const transitionEntity = "Transition"

// transitionFields are the columns of a 2013 SoA; headers no alias spells are matched by transitionHeader.
var transitionFields = []importer.Field{
	{Name: "control", Aliases: []string{"control id", "control ref", "control no", "ref", "reference", "id", "no", "number", "clause", "annex a"}, Required: true},
	{Name: "applicable", Aliases: []string{"applicability", "included", "include", "applies", "selected"}, Required: true},
	{Name: "justification", Aliases: []string{"reason", "reasons", "rationale"}},
	{Name: "status", Aliases: []string{"implementation", "implementation status", "implemented"}},
	{Name: "notes", Aliases: []string{"note", "comment", "comments", "remarks"}},
}

// transitionHeader names the field of a header by its words ("Applicable in scope?", "Reason for selection",
// "Implementation state"); "" for a column the import does not read, such as the control's title.
func transitionHeader(h string) string {
	words := strings.FieldsFunc(h, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	has := func(prefixes ...string) bool {
		for _, w := range words {
			for _, p := range prefixes {
				if strings.HasPrefix(w, p) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("title", "name", "descr", "objective", "text", "wording", "owner", "evidence", "2022"):
		return ""
	case has("justif", "reason", "rationale", "why"):
		return "justification"
	case has("note", "comment", "remark"):
		return "notes"
	case has("status", "implement", "progress", "state"):
		return "status"
	case has("applic", "includ", "select", "scope"):
		return "applicable"
	case has("control", "ref", "id", "clause", "number", "no"):
		return "control"
	}
	return ""
}

// maxTransitionRows bounds a 2013 SoA file: 114 controls, with room for repeated or commented rows.
const maxTransitionRows = 2000

// readTransition reads a 2013 SoA whole (it is small) and checks every row: a known 2013 control, given once,
// readable applicability and status, a justification for an answer and a status for an applicable control.
// Every bad row is reported as "line N: field: problem".
func (s *Service) readTransition(format string, r io.Reader) ([]isms.Transition2013Row, []string, error) {
	var rows []isms.Transition2013Row
	var ignored []string
	var p isms.Problems
	seen := map[string]int{}
	err := importer.Read(format, r, transitionFields, importer.Options{MaxRows: maxTransitionRows, IgnoreUnknown: true, Match: transitionHeader},
		func(row *importer.Row) error {
			ignored = row.Ignored()
			for _, f := range row.Problems {
				p.Add(f.Field, "%s", f.Message)
			}
			at := row.Prefix()
			out := isms.Transition2013Row{Line: row.Line, Justification: row.Get("justification"), Notes: row.Get("notes")}
			raw := row.Get("control")
			id, ok := isms.ParseControl2013(raw)
			old, known := s.cat.Control2013(id)
			switch {
			case raw == "":
				p.Add(at+"control", "is empty: give the 2013 Annex A control, such as A.5.1.1")
			case !ok || !known:
				p.Add(at+"control", "%q is not an ISO/IEC 27001:2013 Annex A control (they run from A.5.1.1 to A.18.2.3)", raw)
			case seen[old.ID] > 0:
				p.Add(at+"control", "%s appears twice (first on line %d)", old.ID, seen[old.ID])
			default:
				seen[old.ID] = row.Line
				out.Control = old.ID
			}
			if out.Applicable, ok = isms.ParseLooseApplicable(row.Get("applicable")); !ok {
				p.Add(at+"applicable", "%q is not a yes or no (yes, no, y, n, true, false, 1, 0)", row.Get("applicable"))
			}
			if out.Status, ok = isms.ParseLooseStatus(row.Get("status")); !ok {
				p.Add(at+"status", "%q is not an implementation status (implemented, partial, planned, not started)", row.Get("status"))
			}
			if out.Applicable != nil && out.Justification == "" {
				p.Add(at+"justification", "is required: say why the control applies or not")
			}
			if ok && out.Applicable != nil && *out.Applicable && out.Status == "" {
				p.Add(at+"status", "is required for an applicable control: say how far it is implemented")
			}
			for _, f := range [][2]string{{"justification", out.Justification}, {"notes", out.Notes}} {
				if utf8.RuneCountInString(f[1]) > isms.MaxJustification {
					p.Add(at+f[0], "must be at most %d characters", isms.MaxJustification)
				}
			}
			rows = append(rows, out)
			return nil
		})
	if err != nil {
		return nil, nil, err
	}
	return rows, ignored, p.Err()
}

// TransitionImportInput says how to import: DryRun writes nothing and says what would happen; Overwrite lets
// the 2013 answers replace entries already decided in the 2022 SoA (by default they are kept).
type TransitionImportInput struct {
	DryRun    bool `json:"dry_run" doc:"Say what the import would do and write nothing"`
	Overwrite bool `json:"overwrite" doc:"Replace entries already decided in the 2022 SoA with the 2013 answers (default: keep them)"`
}

// TransitionCounts counts what an import makes of the 93 controls.
type TransitionCounts struct {
	Rows       int `json:"rows"` // 2013 rows read
	Taken      int `json:"taken"`
	Merged     int `json:"merged"`
	Conflict   int `json:"conflict"`
	New        int `json:"new"`
	Unanswered int `json:"unanswered"`
	Kept       int `json:"kept"`   // entries already decided, left as they were
	Saved      int `json:"saved"`  // entries the import decides
	Marked     int `json:"marked"` // entries left for a decision
}

// TransitionImport is what an import did or, for a dry run, would do: per 2022 control, and counted.
type TransitionImport struct {
	DryRun   bool                     `json:"dry_run"`
	Counts   TransitionCounts         `json:"counts"`
	Controls []isms.TransitionControl `json:"controls"`
	Ignored  []string                 `json:"ignored_columns"` // columns of the file not read
}

// ImportTransition imports a 2013 SoA (CSV or XLSX) into the 2022 SoA through the mapping, all or nothing: a
// file with a bad row changes nothing. The import replaces the transition state, saves the entries it decides
// and records every change in the audit trail.
func (s *Service) ImportTransition(ctx context.Context, format string, r io.Reader, in TransitionImportInput) (TransitionImport, error) {
	out := TransitionImport{DryRun: in.DryRun, Controls: []isms.TransitionControl{}, Ignored: []string{}}
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return out, err
	}
	rows, ignored, err := s.readTransition(format, r)
	if err != nil {
		return out, err
	}
	if ignored != nil {
		out.Ignored = ignored
	}
	byID := make(map[string]isms.Transition2013Row, len(rows))
	for _, row := range rows {
		byID[row.Control] = row
	}
	run := func(tx *store.Tx) error {
		if !in.DryRun {
			if err := tx.LockSoAEntries(ctx, a.OrgID); err != nil {
				return err
			}
		}
		all, err := tx.SoA(ctx, a.OrgID)
		if err != nil {
			return err
		}
		current := make(map[string]isms.SoAEntry, len(all))
		for _, e := range all {
			current[e.Control] = e
		}
		plan, writes := isms.PlanTransition(s.transitionTargets(), byID, current, in.Overwrite)
		out.Controls, out.Counts = plan, countTransition(plan, len(rows), len(writes))
		if in.DryRun {
			return nil
		}
		now := s.stamp()
		var events []*isms.AuditEvent
		for i := range writes {
			writes[i].UpdatedAt = now
			if err := store.SoAEntries.Update(ctx, tx, a.OrgID, &writes[i]); err != nil {
				return err
			}
			ev, err := s.auditEvent(a, "update", store.SoAEntries.Entity, writes[i].Control, writes[i].Control, current[writes[i].Control], writes[i])
			if err != nil {
				return err
			}
			events = append(events, ev)
		}
		if err := tx.ReplaceTransition(ctx, a.OrgID, rows, plan, now); err != nil {
			return err
		}
		ev, err := s.auditEvent(a, "import", transitionEntity, "", "2013 SoA", nil, out.Counts)
		if err != nil {
			return err
		}
		return tx.AppendAuditBatch(ctx, a.OrgID, append(events, ev))
	}
	if in.DryRun {
		err = s.store.Read(ctx, run)
	} else {
		err = s.store.Write(ctx, run)
	}
	if err != nil {
		return TransitionImport{DryRun: in.DryRun, Controls: []isms.TransitionControl{}, Ignored: []string{}}, err
	}
	return out, nil
}

func countTransition(plan []isms.TransitionControl, rows, saved int) TransitionCounts {
	c := TransitionCounts{Rows: rows, Saved: saved}
	for _, p := range plan {
		switch {
		case p.Kept:
			c.Kept++
		case p.Outcome == isms.TransitionTaken:
			c.Taken++
		case p.Outcome == isms.TransitionMerged:
			c.Merged++
		case p.Outcome == isms.TransitionConflict:
			c.Conflict++
		case p.Outcome == isms.TransitionNew:
			c.New++
		case p.Outcome == isms.TransitionUnanswered:
			c.Unanswered++
		}
		if p.Marked {
			c.Marked++
		}
	}
	return c
}

// transitionTargets are the 93 controls with the 2013 controls that became each, in the catalog's order.
func (s *Service) transitionTargets() []isms.TransitionTarget {
	controls := s.cat.Controls()
	out := make([]isms.TransitionTarget, len(controls))
	for i, c := range controls {
		out[i] = isms.TransitionTarget{Control: c.ID, Title: c.Title, Sources: c.Replaces}
	}
	return out
}

// TransitionStatus is the state of the transition: every 2022 control with its sources' answers and its entry
// now, the 2013 rows as imported, and how many of the controls marked for a decision are decided.
type TransitionStatus struct {
	Imported   bool                     `json:"imported"`
	ImportedAt *time.Time               `json:"imported_at"`
	Marked     int                      `json:"marked"`  // controls the import left for a decision
	Decided    int                      `json:"decided"` // of those, decided since in the SoA
	Counts     TransitionCounts         `json:"counts"`
	Controls   []isms.TransitionItem    `json:"controls"`
	Rows       []isms.Transition2013Row `json:"rows"` // the 114 controls of 2013, each with its row of the file
}

// Open lists the controls that still wait for a decision, in the catalog's order.
func (st TransitionStatus) Open() []isms.TransitionItem {
	var out []isms.TransitionItem
	for _, it := range st.Controls {
		if it.Open() {
			out = append(out, it)
		}
	}
	return out
}

// TransitionStatus reads the transition: three queries (the SoA, the imported rows, the per-control state).
func (s *Service) TransitionStatus(ctx context.Context) (TransitionStatus, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (TransitionStatus, error) {
		st := TransitionStatus{Controls: []isms.TransitionItem{}, Rows: []isms.Transition2013Row{}}
		entries, err := tx.SoA(ctx, a.OrgID)
		if err != nil {
			return st, err
		}
		rows, err := tx.TransitionRows(ctx, a.OrgID)
		if err != nil {
			return st, err
		}
		state, err := tx.TransitionControls(ctx, a.OrgID)
		if err != nil {
			return st, err
		}
		st.Imported = len(state) > 0
		byID := map[string]isms.Transition2013Row{}
		for _, r := range rows {
			byID[r.Control] = r
			if st.ImportedAt == nil {
				at := r.ImportedAt
				st.ImportedAt = &at
			}
		}
		for _, old := range s.cat.Controls2013() {
			r, ok := byID[old.ID]
			if !ok {
				r = isms.Transition2013Row{Control: old.ID}
			}
			r.Title, r.Became = old.Title, old.BecameIDs
			st.Rows = append(st.Rows, r)
			byID[old.ID] = r
		}
		entryOf := map[string]isms.SoAEntry{}
		for _, e := range entries {
			entryOf[e.Control] = e
		}
		var plan []isms.TransitionControl
		for _, t := range s.transitionTargets() {
			c, ok := state[t.Control]
			if !ok {
				c = isms.TransitionControl{Control: t.Control, Outcome: ""}
			}
			c.Title, c.Sources = t.Title, t.Sources
			if c.Sources == nil {
				c.Sources = []string{}
			}
			it := isms.TransitionItem{TransitionControl: c, Entry: entryOf[t.Control], Answers: []isms.Transition2013Row{}}
			for _, src := range t.Sources {
				it.Answers = append(it.Answers, byID[src])
			}
			if it.Marked {
				st.Marked++
				if it.Entry.Decided() {
					st.Decided++
				}
			}
			plan = append(plan, c)
			st.Controls = append(st.Controls, it)
		}
		if st.Imported {
			saved := 0
			for _, c := range plan {
				if !c.Kept && !c.Marked && (c.Outcome == isms.TransitionTaken || c.Outcome == isms.TransitionMerged) {
					saved++
				}
			}
			st.Counts = countTransition(plan, len(rows), saved)
		}
		return st, nil
	})
}

// errNoTransition is the answer of a report before any import.
func errNoTransition() error {
	return isms.NotFound("no 2013 Statement of Applicability has been imported yet: import one first (praxis transition import FILE)")
}

// TransitionReportFormats are the formats of the transition report.
var TransitionReportFormats = []string{"md", "pdf", "xlsx"}

// TransitionReportName is the report's file name in a format.
func TransitionReportName(format string) string { return "transition-2013-2022." + format }

// ExportTransition writes the transition report as md, pdf or xlsx: every 2022 control with its 2013 sources,
// their imported answers and the decision taken, every 2013 control with where it went, and the new controls.
func (s *Service) ExportTransition(ctx context.Context, format string, w io.Writer) error {
	if !isms.OneOf(format, TransitionReportFormats) {
		return isms.Invalid(isms.FieldError{Field: "format", Message: "must be md, pdf or xlsx"})
	}
	st, err := s.TransitionStatus(ctx)
	if err != nil {
		return err
	}
	if !st.Imported {
		return errNoTransition()
	}
	a, _ := ActorFrom(ctx)
	r := transition.Report{Organisation: a.OrgName, ImportedAt: *st.ImportedAt, Marked: st.Marked, Decided: st.Decided, Controls: st.Controls, Rows: st.Rows}
	switch format {
	case "pdf":
		return transition.WritePDF(w, r, firstNonEmpty(a.Name, a.Email), s.now())
	case "xlsx":
		return transition.WriteXLSX(w, r)
	}
	md, err := transition.Markdown(r)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, md)
	return err
}
