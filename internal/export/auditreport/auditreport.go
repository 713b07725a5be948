// Package auditreport writes the report of an internal audit (9.2.2) as Markdown, which the PDF renderer
// (pdf.Markdown) turns into the PDF: scope, criteria, team, dates, a summary of the results, the findings by
// grade, the checklist and the conclusion.
package auditreport

import (
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Report is what the report shows.
type Report struct {
	Organisation string
	Audit        isms.Audit
	Items        []isms.AuditItem
	Findings     []isms.Finding
}

// Markdown is the report as Markdown, its title the first line (a PDF's title block says it instead: Body).
func Markdown(r Report) string {
	var b strings.Builder
	a := r.Audit
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Internal audit report: %s %s\n\n", a.Ref, inline(a.Title))
	p("## Audit\n\n")
	for _, row := range [][2]string{
		{"Organisation", r.Organisation}, {"Status", a.Status}, {"Area audited", a.Area},
		{"Lead auditor", a.LeadName}, {"Audit team", strings.Join(a.TeamNames, ", ")},
		{"Planned", span(a.PlannedStart, a.PlannedEnd)}, {"Held", span(a.ActualStart, a.ActualEnd)},
		{"Clauses and controls in scope", scope(a)},
	} {
		p("- **%s:** %s\n", row[0], inline(orNone(row[1])))
	}
	p("\n## Scope\n\n%s\n\n## Criteria\n\n%s\n\n", orNone(a.Scope), orNone(a.Criteria))
	if len(a.Warnings) > 0 {
		p("## Independence\n\n")
		for _, w := range a.Warnings {
			p("- %s\n", inline(w))
		}
		p("\n")
	}
	p("## Summary of results\n\n| Result | Items |\n|---|---|\n")
	counts := map[string]int{}
	for _, it := range r.Items {
		counts[it.Result]++
	}
	for _, res := range append(append([]string{}, isms.ItemResults...), "") {
		if n := counts[res]; n > 0 || res != "" {
			p("| %s | %d |\n", resultWords(res), n)
		}
	}
	p("\n## Findings by grade\n\n")
	if len(r.Findings) == 0 {
		p("No findings were raised.\n\n")
	}
	for _, g := range isms.FindingGrades {
		var of []isms.Finding
		for _, f := range r.Findings {
			if f.Grade == g {
				of = append(of, f)
			}
		}
		if len(of) == 0 {
			continue
		}
		p("### %s (%d)\n\n| Ref | Finding | Against | Evidence seen | Status |\n|---|---|---|---|---|\n", isms.GradeWords(g), len(of))
		for _, f := range of {
			p("| %s | %s | %s | %s | %s |\n", f.Ref, cell(f.Title), cell(against(f)), cell(f.EvidenceSeen), f.Status)
		}
		p("\n")
	}
	p("## Checklist\n\n| # | Item | Result | Evidence seen | Notes |\n|---|---|---|---|---|\n")
	for _, it := range r.Items {
		p("| %d | %s | %s | %s | %s |\n", it.Position, cell(it.Label()+" "+it.Title), resultWords(it.Result), cell(it.EvidenceSeen), cell(it.Notes))
	}
	p("\n## Conclusion\n\n%s\n", orNone(a.Conclusion))
	return b.String()
}

// ResultWords is a checklist result as people read it.
func resultWords(r string) string {
	switch r {
	case "":
		return "Not yet audited"
	case "not-audited":
		return "Not audited"
	case "nonconformity":
		return "Nonconformity"
	}
	return strings.ToUpper(r[:1]) + r[1:]
}

func against(f isms.Finding) string {
	var parts []string
	if f.Clause != "" {
		parts = append(parts, "Clause "+f.Clause)
	}
	if f.Control != "" {
		parts = append(parts, "A."+f.Control)
	}
	return strings.Join(parts, ", ")
}

func scope(a isms.Audit) string {
	parts := append([]string{}, a.Clauses...)
	for _, c := range a.Controls {
		parts = append(parts, "A."+c)
	}
	return strings.Join(parts, ", ")
}

func span(from, to string) string {
	switch {
	case from == "" && to == "":
		return ""
	case to == "" || to == from:
		return from
	}
	return from + " to " + to
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "None recorded."
	}
	return s
}

// inline keeps text on one line.
func inline(s string) string { return strings.Join(strings.Fields(s), " ") }

// cell is text fit for a table cell: one line, pipes escaped.
func cell(s string) string { return strings.ReplaceAll(inline(s), "|", `\|`) }

// Body is md without its title line.
func Body(md string) string {
	_, body, _ := strings.Cut(md, "\n\n")
	return body
}
