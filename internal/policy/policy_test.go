package policy_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/policy"
)

var full = policy.Facts{
	OrgName:        "Northwind Traders Ltd",
	ScopeStatement: "The Northwind ordering platform and the people who build and run it.\nOffices in Leeds and Lyon.",
	ISMSOwner:      "Olivia Owner",
	Sponsor:        "Sam Sponsor",
	Roles:          map[string]string{"it lead": "Ian Tech", "Engineering lead": "Erin Code", "HR lead": "Hana People", "Incident lead": "Ivan Alert"},
	Method:         isms.DefaultRiskMethod(),
	Applicable:     map[string]bool{},
	Today:          time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
}

// placeholder matches a fact left to fill in.
var placeholder = regexp.MustCompile(`\[[^\]]*(not yet|date\])`)

func render(t *testing.T, key string, f policy.Facts) string {
	t.Helper()
	md, err := policy.Render(key, f)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	if strings.Contains(md, "<no value>") || strings.Contains(md, "{{") {
		t.Errorf("%s: template text left in the draft:\n%s", key, md)
	}
	return md
}

func TestTheTemplatesTheIssueAsksFor(t *testing.T) {
	var keys []string
	for _, tp := range policy.Templates() {
		keys = append(keys, tp.Key)
	}
	for _, want := range []string{"information-security", "secure-development", "access-control", "acceptable-use",
		"supplier-security", "cloud-services", "incident-management", "business-continuity", "classification", "backup",
		"cryptography", "logging-monitoring", "remote-working", "change-management", "data-protection", "risk-methodology"} {
		if !slices.Contains(keys, want) {
			t.Errorf("no template %q", want)
		}
	}
	want := map[string][]string{
		"information-security": {"5.1", "5.2"}, "secure-development": {"8.25", "8.26", "8.27", "8.28", "8.29", "8.30", "8.31"},
		"access-control": {"5.15", "5.16", "5.17", "5.18", "8.2", "8.3", "8.4", "8.5"}, "acceptable-use": {"5.10"},
		"supplier-security": {"5.19", "5.20", "5.21", "5.22"}, "cloud-services": {"5.23"},
		"incident-management": {"5.24", "5.25", "5.26", "5.27", "5.28"}, "business-continuity": {"5.29", "5.30"},
		"classification": {"5.12", "5.13", "5.14"}, "backup": {"8.13"}, "cryptography": {"8.24"},
		"logging-monitoring": {"8.15", "8.16"}, "remote-working": {"6.7"}, "change-management": {"8.32"},
		"data-protection": {"8.10", "8.11", "8.12"},
	}
	for key, ids := range want {
		tp, ok := policy.Lookup(key)
		if !ok || !slices.Equal(tp.Controls, ids) {
			t.Errorf("%s serves %v, want %v", key, tp.Controls, ids)
		}
	}
	rm, _ := policy.Lookup("risk-methodology")
	if !slices.Contains(rm.Clauses, "6.1.2") || !slices.Contains(rm.Clauses, "6.1.3") {
		t.Errorf("the risk methodology serves clauses %v, want 6.1.2 and 6.1.3", rm.Clauses)
	}
}

func TestTemplatesNameCatalogControlsAndClauses(t *testing.T) {
	cat := catalog.MustLoad()
	seen := map[string]bool{}
	for _, tp := range policy.Templates() {
		if seen[tp.Key] {
			t.Errorf("template %s twice", tp.Key)
		}
		seen[tp.Key] = true
		if tp.Title == "" || tp.Summary == "" || !slices.Contains([]string{"policy", "procedure", "standard", "plan"}, tp.Type) {
			t.Errorf("%s: title %q, type %q, summary %q", tp.Key, tp.Title, tp.Type, tp.Summary)
		}
		for _, id := range tp.Controls {
			if _, ok := cat.Control(id); !ok {
				t.Errorf("%s names control %s, which is not in Annex A", tp.Key, id)
			}
		}
		for _, id := range tp.Clauses {
			if _, ok := cat.Clause(id); !ok {
				t.Errorf("%s names clause %s, which is not in the standard", tp.Key, id)
			}
		}
		if len(tp.Controls)+len(tp.Clauses) == 0 {
			t.Errorf("%s serves nothing", tp.Key)
		}
	}
}

func TestRenderFillsTheFacts(t *testing.T) {
	cat := catalog.MustLoad()
	for _, tp := range policy.Templates() {
		md := render(t, tp.Key, full)
		for _, want := range []string{"Northwind Traders Ltd", "Olivia Owner", "Sam Sponsor", "2 March 2026",
			"> The Northwind ordering platform and the people who build and run it.", "> Offices in Leeds and Lyon."} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: the draft lacks %q", tp.Key, want)
			}
		}
		if placeholder.MatchString(md) {
			t.Errorf("%s: a placeholder is left although every fact is known:\n%s", tp.Key, md)
		}
		for _, id := range tp.Controls {
			c, _ := cat.Control(id)
			if !strings.Contains(md, "| "+id+" "+c.Title+" | not yet decided") && !strings.Contains(md, "| "+id+" "+c.Title+" | applicable") {
				t.Errorf("%s: the draft does not name control %s in its controls table", tp.Key, id)
			}
		}
		if tp.Key != "risk-methodology" && !strings.Contains(md, "## Ownership and review") {
			t.Errorf("%s: no ownership and review section", tp.Key)
		}
	}
	// Role names match whatever their case; a role held by nobody shows which role is missing.
	md := render(t, "access-control", full)
	if !strings.Contains(md, "Ian Tech") || !strings.Contains(md, "Hana People") {
		t.Errorf("the access control policy does not name the IT and HR leads:\n%s", md)
	}
	f := full
	f.Roles = map[string]string{"IT lead": "  "}
	if md := render(t, "access-control", f); !strings.Contains(md, "[IT lead not yet named]") {
		t.Error("a role held by a blank name does not print the placeholder")
	}
}

func TestRenderWithoutFactsShowsPlaceholders(t *testing.T) {
	for _, tp := range policy.Templates() {
		md := render(t, tp.Key, policy.Facts{})
		for _, want := range []string{"[organisation name not yet set]", "[ISMS owner not yet named]",
			"[top-management sponsor not yet named]", "[scope statement not yet written", "[date]"} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: with no facts the draft lacks the placeholder %q", tp.Key, want)
			}
		}
		if strings.Contains(md, "()") || strings.Contains(md, "  ") {
			t.Errorf("%s: empty text where a fact should be:\n%s", tp.Key, md)
		}
	}
}

func TestExcludedControlsAreSaidToBeExcluded(t *testing.T) {
	cat := catalog.MustLoad()
	for _, tp := range policy.Templates() {
		all := full
		all.Applicable = map[string]bool{}
		for _, id := range tp.Controls {
			all.Applicable[id] = true
		}
		if md := render(t, tp.Key, all); strings.Contains(md, "Not required") || strings.Contains(md, "not yet decided") {
			t.Errorf("%s: a control is called excluded or undecided although the SoA includes them all", tp.Key)
		}
		for _, id := range tp.Controls {
			f := all
			f.Applicable = map[string]bool{id: false}
			c, _ := cat.Control(id)
			md := render(t, tp.Key, f)
			if n := strings.Count(md, "*Not required:* our Statement of Applicability excludes control "+id+" "+c.Title); n != 1 {
				t.Errorf("%s: with %s excluded the draft says so %d times, want once", tp.Key, id, n)
			}
			if !strings.Contains(md, "| "+id+" "+c.Title+" | excluded |") {
				t.Errorf("%s: the controls table does not show %s as excluded", tp.Key, id)
			}
			if strings.Count(md, "*Not required:*") != 1 {
				t.Errorf("%s: excluding %s excludes other sections too", tp.Key, id)
			}
		}
	}
	// The rules of the excluded control are gone, not merely flagged.
	f := full
	f.Applicable = map[string]bool{"8.28": false}
	if md := render(t, "secure-development", f); strings.Contains(md, "OWASP") {
		t.Error("the secure coding rules are still required although the SoA excludes 8.28")
	}
}

func TestSecureDevelopmentHasTheSecureCodingRules(t *testing.T) {
	md := render(t, "secure-development", full)
	for _, want := range []string{"OWASP", "Static analysis in CI", "secure coding training", "every year",
		"Development, test and production are separate environments", "No production data outside production"} {
		if !strings.Contains(md, want) {
			t.Errorf("the secure development policy lacks %q", want)
		}
	}
}

func TestRiskMethodologyFollowsTheMethod(t *testing.T) {
	m := isms.RiskMethod{
		Likelihood: []isms.Level{{Label: "Seldom", Description: "Less than once in ten years."}, {Label: "Sometimes", Description: "About once a year | or so."}, {Label: "Often", Description: "Monthly."}},
		Impact:     []isms.Level{{Label: "Low", Description: "A nuisance."}, {Label: "Medium", Description: "Costs a week."}, {Label: "High", Description: "Costs a customer."}, {Label: "Critical", Description: "Costs the company."}},
		Scoring:    isms.ScoreAdd, AcceptanceThreshold: 3, HighThreshold: 6, Version: 4,
		UpdatedAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
	}
	f := full
	f.Method = m
	md := render(t, "risk-methodology", f)
	for _, want := range []string{
		"| 1 | Seldom | Less than once in ten years. |", `| 2 | Sometimes | About once a year \| or so. |`,
		"| 4 | Critical | Costs the company. |", "**likelihood + impact**, from 2 to 7",
		"| Low | 2 to 3 |", "| Medium | 4 to 5 |", "| High | 6 to 7 |",
		"**3 or less**", "**above 3**", "**6 or more**", "risk owner or an approver", "written comment",
		"**Modify**", "**Retain**", "**Avoid**", "**Share**", "at least once a year",
		"version 4, last changed 1 February 2026", "| 3 Often | 4 medium | 5 medium | 6 high | 7 high |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the methodology lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "default five-by-five") {
		t.Error("the methodology calls an organisation's own method the default")
	}
	md = render(t, "risk-methodology", policy.Facts{})
	for _, want := range []string{"default five-by-five method", "**likelihood × impact**, from 1 to 25", "| Low | 1 to 6 |", "| 5 | Almost certain |"} {
		if !strings.Contains(md, want) {
			t.Errorf("with no method the methodology lacks %q", want)
		}
	}
}

func TestUnknownTemplate(t *testing.T) {
	_, err := policy.Render("no-such-policy", full)
	if isms.ErrorKind(err) != isms.KindInvalid || !strings.Contains(err.Error(), "secure-development") {
		t.Errorf("unknown template: %v, want an invalid-input error listing the templates", err)
	}
}

// TestFactsInTablesKeepTheColumns: a name with a pipe is escaped in table cells, so that it cannot add a column.
func TestFactsInTablesKeepTheColumns(t *testing.T) {
	f := full
	f.ISMSOwner, f.Sponsor = "Olivia | Owner", "Sam | Sponsor"
	f.Roles = map[string]string{"IT lead": "Ian | Tech"}
	for _, tp := range policy.Templates() {
		md := render(t, tp.Key, f)
		for _, line := range strings.Split(md, "\n") {
			if strings.HasPrefix(line, "|") && (strings.Contains(line, "Olivia | Owner") || strings.Contains(line, "Sam | Sponsor") || strings.Contains(line, "Ian | Tech")) {
				t.Errorf("%s: a name splits a table row: %s", tp.Key, line)
			}
		}
		if !strings.Contains(md, `| Owner | Olivia \| Owner |`) {
			t.Errorf("%s: the owner's row lacks the escaped name", tp.Key)
		}
	}
}

// TestRoleNamesCoverTheTemplates: RoleNames lists every role a template asks for, so that a register with
// those roles leaves no role placeholder.
func TestRoleNamesCoverTheTemplates(t *testing.T) {
	asked := regexp.MustCompile(`\[([^\]]+) not yet named\]`)
	for _, tp := range policy.Templates() {
		for _, m := range asked.FindAllStringSubmatch(render(t, tp.Key, policy.Facts{}), -1) {
			if m[1] != "ISMS owner" && m[1] != "top-management sponsor" && !slices.Contains(policy.RoleNames(), m[1]) {
				t.Errorf("%s asks for role %q, which RoleNames lacks", tp.Key, m[1])
			}
		}
	}
}
