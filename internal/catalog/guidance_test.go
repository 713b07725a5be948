package catalog

import (
	"strings"
	"testing"
)

// normText makes copy-paste duplicates visible despite case, spacing and a final full stop.
func normText(s string) string {
	return strings.TrimRight(strings.Join(strings.Fields(strings.ToLower(s)), " "), ".")
}

// TestGuidanceQuality holds the guidance to the bar the product promises: every control has specific,
// actionable guidance of its own. It fails until all guidance files exist.
func TestGuidanceQuality(t *testing.T) {
	c := MustLoad()
	firstSeen := map[string]string{} // normalised purpose or step -> control id
	missing := []string{}
	for _, ctl := range c.Controls() {
		g := ctl.Guidance
		if g == nil {
			missing = append(missing, ctl.ID)
			continue
		}
		if strings.TrimSpace(g.Purpose) == "" {
			t.Errorf("%s: empty purpose", ctl.ID)
		}
		if n := len(g.Steps); n < 4 || n > 8 {
			t.Errorf("%s: %d steps, want 4 to 8", ctl.ID, n)
		}
		if n := len(g.Evidence); n < 3 || n > 6 {
			t.Errorf("%s: %d evidence items, want 3 to 6", ctl.ID, n)
		}
		if strings.TrimSpace(g.Owner) == "" {
			t.Errorf("%s: no owner", ctl.ID)
		}
		if n := len(g.Related); n < 1 || n > 6 {
			t.Errorf("%s: %d related controls, want 1 to 6", ctl.ID, n)
		}
		for _, r := range g.Related {
			if _, ok := c.Control(r); !ok || r == ctl.ID {
				t.Errorf("%s: related %q is unknown or itself", ctl.ID, r)
			}
		}
		if ctl.NewIn2022 && strings.TrimSpace(g.ChangesIn2022) == "" {
			t.Errorf("%s is new in 2022 but changes_2022 is empty", ctl.ID)
		}
		texts := append([]string{g.Purpose}, g.Steps...)
		for _, e := range g.Evidence {
			if strings.TrimSpace(e) == "" {
				t.Errorf("%s: empty evidence item", ctl.ID)
			}
		}
		for _, s := range texts {
			key := normText(s)
			if key == "" {
				t.Errorf("%s: empty step", ctl.ID)
				continue
			}
			if prev, dup := firstSeen[key]; dup {
				t.Errorf("%s: text also in %s: %q", ctl.ID, prev, s)
				continue
			}
			firstSeen[key] = ctl.ID
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of 93 controls have no guidance: %s", len(missing), strings.Join(missing, " "))
	}
}

// TestClauseGuidance: every clause and sub-clause of the reference (4 to 10) has an own-words summary and at
// least two things an auditor checks, none copied from another clause.
func TestClauseGuidance(t *testing.T) {
	var ref []struct {
		ID string `json:"id"`
	}
	readRef(t, "clauses-2022.json", &ref)
	c := MustLoad()
	summaryOf := map[string]string{} // normalised summary -> clause id
	checkOf := map[string]string{}   // normalised auditor check -> clause id
	for _, r := range ref {
		cl, ok := c.Clause(r.ID)
		if !ok {
			t.Errorf("clause %s missing", r.ID)
			continue
		}
		key := normText(cl.Summary)
		switch prev, dup := summaryOf[key]; {
		case key == "":
			t.Errorf("clause %s: no summary", cl.ID)
		case dup:
			t.Errorf("clause %s: same summary as %s", cl.ID, prev)
		default:
			summaryOf[key] = cl.ID
		}
		if len(cl.AuditorChecks) < 2 {
			t.Errorf("clause %s: %d auditor checks, want at least 2", cl.ID, len(cl.AuditorChecks))
		}
		for _, ch := range cl.AuditorChecks {
			key := normText(ch)
			if prev, dup := checkOf[key]; key == "" || dup {
				t.Errorf("clause %s: auditor check %q is empty or also in %s", cl.ID, ch, prev)
				continue
			}
			checkOf[key] = cl.ID
		}
	}
	if len(ref) != 41 {
		t.Errorf("the reference has %d clauses, want 41", len(ref))
	}
}
