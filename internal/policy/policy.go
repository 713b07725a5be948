// Package policy drafts the organisation's policies and its risk methodology as Markdown, from embedded
// templates written in praxis's own words and filled with the organisation's facts: its name, scope, the people
// in its roles, its risk method and its Statement of Applicability decisions. A fact not yet known prints as a
// bracketed placeholder to fill in, never as empty text; a control the SoA excludes is said to be excluded
// rather than required. It does no I/O.
package policy

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Template describes one policy template: its key (as `praxis doc add --template KEY` names it), the title
// and document type a draft gets, the Annex A controls and the clauses the document serves, and a line on
// what it covers.
type Template struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	Type     string   `json:"type"` // a document type: policy, procedure, ...
	Controls []string `json:"controls"`
	Clauses  []string `json:"clauses"`
	Summary  string   `json:"summary"`
}

// Facts are what a draft is filled from. Any of them may be missing.
type Facts struct {
	OrgName        string
	ScopeStatement string
	ISMSOwner      string // name of the person who owns the ISMS
	Sponsor        string // name of the top-management sponsor
	// Roles maps a role name (as the roles register has it, e.g. "IT lead") to the name of the person in it;
	// role names match whatever their case.
	Roles  map[string]string
	Method isms.RiskMethod
	// Applicable holds the SoA decisions by control id: false for a control the SoA excludes. A control
	// without a decision counts as applicable, since a draft should ask for too much rather than too little.
	Applicable map[string]bool
	Today      time.Time
}

//go:embed templates/*.md
var files embed.FS

// parsed holds every template, each defined under its key, plus the shared blocks of _common.md.
var parsed = template.Must(template.New("").Option("missingkey=error").ParseFS(files, "templates/*.md"))

// Templates lists the templates in the order a new organisation would write them.
func Templates() []Template {
	out := make([]Template, len(catalogue))
	for i, t := range catalogue {
		t.Controls, t.Clauses = slices.Clone(t.Controls), slices.Clone(t.Clauses)
		out[i] = t
	}
	return out
}

// RoleNames are the roles (besides the ISMS owner and the sponsor) that the templates name, so that a roles
// register holding them fills every draft.
func RoleNames() []string {
	return []string{"IT lead", "Engineering lead", "HR lead", "Incident lead"}
}

// Lookup finds a template by key.
func Lookup(key string) (Template, bool) {
	for _, t := range catalogue {
		if t.Key == key {
			return t, true
		}
	}
	return Template{}, false
}

// Render drafts the document of template key from the facts, as Markdown that starts with its first section
// (the title is the document's own field) and ends with the controls it serves and their SoA status.
func Render(key string, f Facts) (string, error) {
	t, ok := Lookup(key)
	if !ok {
		keys := make([]string, len(catalogue))
		for i, t := range catalogue {
			keys[i] = t.Key
		}
		return "", isms.Invalid(isms.FieldError{Field: "template",
			Message: fmt.Sprintf("no template %q; the templates are %s", key, strings.Join(keys, ", "))})
	}
	var buf bytes.Buffer
	if err := parsed.ExecuteTemplate(&buf, t.Key+".md", newView(t, f)); err != nil {
		return "", fmt.Errorf("policy template %s: %w", key, err)
	}
	return tidy(buf.String()), nil
}

// tidy collapses the runs of blank lines that template actions leave and ends the text with one newline.
func tidy(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	blank := true // drops blank lines at the start
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}
