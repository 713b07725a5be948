package policy

import (
	"fmt"
	"strings"
	"sync"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
)

var controlCatalog = sync.OnceValue(catalog.MustLoad)

// view is what a template sees: the facts with a placeholder for each missing one, and the helpers the
// templates share. Its methods are the templates' vocabulary.
type view struct {
	T Template
	f Facts
	// M is the organisation's risk method, or the default method when it has none yet (DefaultMethod says so).
	M             isms.RiskMethod
	DefaultMethod bool
}

func newView(t Template, f Facts) view {
	v := view{T: t, f: f, M: f.Method}
	if len(v.M.Likelihood) == 0 || len(v.M.Impact) == 0 {
		v.M, v.DefaultMethod = isms.DefaultRiskMethod(), true
	}
	if v.M.Scoring == "" {
		v.M.Scoring = isms.ScoreMultiply
	}
	return v
}

// or is s on one line, or the placeholder when s is blank.
func or(s, placeholder string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return placeholder
	}
	return s
}

// Org is the organisation's name.
func (v view) Org() string { return or(v.f.OrgName, "[organisation name not yet set]") }

// Owner is the name of the ISMS owner.
func (v view) Owner() string { return or(v.f.ISMSOwner, "[ISMS owner not yet named]") }

// Sponsor is the name of the top-management sponsor.
func (v view) Sponsor() string { return or(v.f.Sponsor, "[top-management sponsor not yet named]") }

// Scope is the scope statement as a block quote (it may have several paragraphs).
func (v view) Scope() string {
	s := strings.TrimSpace(strings.ReplaceAll(v.f.ScopeStatement, "\r\n", "\n"))
	if s == "" {
		return "> [scope statement not yet written: see the ISMS scope]"
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+strings.TrimSpace(l), " ")
	}
	return strings.Join(lines, "\n")
}

// Role is the name of the person in role name (matched whatever its case), or a placeholder naming the role.
func (v view) Role(name string) string {
	for role, person := range v.f.Roles {
		if strings.EqualFold(strings.TrimSpace(role), name) && strings.TrimSpace(person) != "" {
			return or(person, "")
		}
	}
	return "[" + name + " not yet named]"
}

// Date is the day the draft was made.
func (v view) Date() string {
	if v.f.Today.IsZero() {
		return "[date]"
	}
	return v.f.Today.Format("2 January 2006")
}

// Excluded reports whether the SoA excludes control id.
func (v view) Excluded(id string) bool {
	applies, decided := v.f.Applicable[id]
	return decided && !applies
}

// Ctl names a control: "8.28 Secure coding".
func (v view) Ctl(id string) string {
	c, ok := controlCatalog().Control(id)
	if !ok {
		panic(fmt.Sprintf("policy template %s names control %s, which is not in the catalog", v.T.Key, id))
	}
	return c.ID + " " + c.Title
}

// ExcludedNote is the paragraph that stands in for the rules of a control the SoA excludes.
func (v view) ExcludedNote(id string) string {
	return fmt.Sprintf("*Not required:* our Statement of Applicability excludes control %s, so this policy sets no "+
		"rule for it. If that decision changes, write the rules for it here before the policy is next approved.", v.Ctl(id))
}

// ControlsTable lists the controls the document serves with their SoA status.
func (v view) ControlsTable() string {
	if len(v.T.Controls) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| Control | Statement of Applicability |\n| --- | --- |\n")
	for _, id := range v.T.Controls {
		status := "applicable"
		if v.Excluded(id) {
			status = "excluded"
		} else if _, decided := v.f.Applicable[id]; !decided {
			status = "not yet decided (treated as applicable)"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", cell(v.Ctl(id)), status)
	}
	return b.String()
}

// Cell makes text safe for one Markdown table cell.
func (v view) Cell(s string) string { return cell(s) }

func cell(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
}
