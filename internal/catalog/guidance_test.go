package catalog

import (
	"strings"
	"testing"
	"unicode"
)

// normText makes copy-paste duplicates visible despite case, spacing and a final full stop.
func normText(s string) string {
	return strings.TrimRight(strings.Join(strings.Fields(strings.ToLower(s)), " "), ".")
}

// changedIn2022 reports whether a control changed from 2013 to 2022: it is new, it merges several 2013 controls
// (or takes part of one that was split), or its title differs from the one 2013 control it continues.
func changedIn2022(c *Catalog, ctl Control) bool {
	if ctl.NewIn2022 || len(ctl.Replaces) != 1 {
		return true
	}
	old, _ := c.Control2013(ctl.Replaces[0])
	return len(old.BecameIDs) > 1 || !strings.EqualFold(old.Title, ctl.Title)
}

// sentences counts the sentences of s: full stops, question or exclamation marks that end s or a word.
func sentences(s string) int {
	n := 0
	for i, r := range s {
		if strings.ContainsRune(".!?", r) && (i == len(s)-1 || s[i+1] == ' ') {
			n++
		}
	}
	return n
}

// stopWords carry no meaning of their own; leaving them out makes the word sets below compare content.
var stopWords = map[string]bool{"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true,
	"by": true, "for": true, "from": true, "in": true, "into": true, "is": true, "it": true, "its": true, "of": true,
	"on": true, "or": true, "that": true, "the": true, "their": true, "them": true, "they": true, "this": true,
	"to": true, "with": true}

// contentWords is the set of meaningful words of s, lower-cased, with a plural s dropped.
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if stopWords[w] {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") {
			w = w[:len(w)-1]
		}
		out[w] = true
	}
	return out
}

// jaccard is the share of words two sets have in common: 1 for the same words, 0 for none in common.
func jaccard(a, b map[string]bool) float64 {
	common := 0
	for w := range a {
		if b[w] {
			common++
		}
	}
	if all := len(a) + len(b) - common; all > 0 {
		return float64(common) / float64(all)
	}
	return 0
}

// Near-duplicate thresholds, on content words. Steps and notes are sentences: sharing 40% of their content words
// means one was adapted from the other (every pair in the data is well below). Evidence items are a few words long,
// where a few shared words come naturally, so only near-copies (65%) fail.
const (
	nearSameText     = 0.4
	nearSameEvidence = 0.65
)

type guidanceText struct{ id, kind, text string }

// TestGuidanceQuality holds the guidance to the bar the product promises: every control has specific,
// actionable guidance of its own, says which policies it feeds and, where the control changed in 2022, what
// is new compared with the 2013 controls it replaces.
func TestGuidanceQuality(t *testing.T) {
	c := MustLoad()
	firstSeen := map[string]string{} // kind + normalised text -> control id
	var texts []guidanceText         // every step, evidence item and note, for the near-duplicate check
	missing := []string{}
	for _, ctl := range c.Controls() {
		g := ctl.Guidance
		if g == nil {
			missing = append(missing, ctl.ID)
			continue
		}
		if strings.TrimSpace(g.Purpose) == "" {
			t.Errorf("%s: empty purpose", ctl.ID)
		} else if n := sentences(g.Purpose); n < 1 || n > 2 || !strings.HasSuffix(g.Purpose, ".") {
			t.Errorf("%s: purpose has %d sentences, want one or two ending in a full stop: %q", ctl.ID, n, g.Purpose)
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
		if len(g.Feeds) == 0 {
			t.Errorf("%s: feeds no policy or document", ctl.ID)
		}
		for _, f := range g.Feeds {
			if strings.TrimSpace(f) == "" {
				t.Errorf("%s: empty feeds entry", ctl.ID)
			}
		}
		note := strings.TrimSpace(g.ChangesIn2022)
		if note == "" && changedIn2022(c, ctl) {
			t.Errorf("%s changed in 2022 (new, merged or retitled; replaces %v) but changes_2022 is empty", ctl.ID, ctl.Replaces)
		}
		if note != "" {
			for _, old := range ctl.Replaces { // what is new is said against the 2013 controls it replaces
				if !strings.Contains(note, old) {
					t.Errorf("%s: changes_2022 does not name %s, which it replaces: %q", ctl.ID, old, note)
				}
			}
		}

		all := []guidanceText{{ctl.ID, "purpose", g.Purpose}}
		for _, s := range g.Steps {
			all = append(all, guidanceText{ctl.ID, "step", s})
		}
		for _, e := range g.Evidence {
			all = append(all, guidanceText{ctl.ID, "evidence item", e})
		}
		if note != "" {
			all = append(all, guidanceText{ctl.ID, "changes_2022 note", note})
		}
		for _, x := range all {
			key := normText(x.text)
			if key == "" {
				t.Errorf("%s: empty %s", ctl.ID, x.kind)
				continue
			}
			if prev, dup := firstSeen[x.kind+":"+key]; dup {
				t.Errorf("%s: %s also in %s: %q", ctl.ID, x.kind, prev, x.text)
				continue
			}
			firstSeen[x.kind+":"+key] = ctl.ID
			if x.kind != "purpose" {
				texts = append(texts, x)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of 93 controls have no guidance: %s", len(missing), strings.Join(missing, " "))
	}

	words := make([]map[string]bool, len(texts))
	for i, x := range texts {
		words[i] = contentWords(x.text)
	}
	for i, a := range texts {
		for j := i + 1; j < len(texts); j++ {
			b := texts[j]
			if a.id == b.id || a.kind != b.kind {
				continue
			}
			limit := nearSameText
			if a.kind == "evidence item" {
				limit = nearSameEvidence
			}
			if s := jaccard(words[i], words[j]); s >= limit {
				t.Errorf("%s and %s have near-identical %ss (%.0f%% of their words in common): make each specific to its control\n  %s: %q\n  %s: %q",
					a.id, b.id, a.kind, 100*s, a.id, a.text, b.id, b.text)
			}
		}
	}
}

// The helpers of the quality test must themselves work, or the test proves nothing.
func TestGuidanceQualityHelpers(t *testing.T) {
	c := MustLoad()
	for id, want := range map[string]bool{"5.7": true, "5.1": true, "8.8": true, "5.36": true, "8.1": true, "5.21": true,
		"8.17": true, "7.3": false, "6.1": false, "5.3": false} {
		ctl, _ := c.Control(id)
		if got := changedIn2022(c, ctl); got != want {
			t.Errorf("changedIn2022(%s) = %v, want %v", id, got, want)
		}
	}
	for s, n := range map[string]int{"One.": 1, "One. Two.": 2, "Three, in 8.28. Four? Five!": 3, "none": 0} {
		if got := sentences(s); got != n {
			t.Errorf("sentences(%q) = %d, want %d", s, got, n)
		}
	}
	a := contentWords("Place production in its own cloud accounts, separate from staging.")
	b := contentWords("Run production in a dedicated cloud account, separate from development.")
	if s := jaccard(a, b); s < nearSameText || s > 0.6 {
		t.Errorf("jaccard of two adapted steps = %.2f, want it flagged (>= %.2f)", s, nearSameText)
	}
	if s := jaccard(contentWords("Enforce MFA for administrators."), contentWords("Keep a key inventory.")); s != 0 {
		t.Errorf("jaccard of unrelated steps = %.2f, want 0", s)
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
