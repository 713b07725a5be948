package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// What the title block of an exported register says, in words: the filter, the sort and the risk method; and
// the heat maps the risk register PDF ends with.

// filterWords joins the parts of a filter; no part means the whole register.
func filterWords(parts []string, all string) string {
	if len(parts) == 0 {
		return "none: " + all
	}
	return strings.Join(parts, "; ")
}

// personWords names a person by name and reference, or by the reference alone when it names no one.
func personWords(ctx context.Context, tx *store.Tx, orgID, ref string) string {
	if p, err := tx.PersonByRef(ctx, orgID, ref); err == nil && p.Name != "" {
		return p.Name + " (" + p.Ref + ")"
	}
	return ref
}

// levelWords names a level of a scale by number and label: "3 (Possible)".
func levelWords(scale []isms.Level, n int) string {
	if n >= 1 && n <= len(scale) {
		return fmt.Sprintf("%d (%s)", n, scale[n-1].Label)
	}
	return strconv.Itoa(n)
}

// rangeWords says a range of scores: "5 to 10", "at least 5", "at most 10"; "" when open at both ends.
func rangeWords(from, to int) string {
	switch {
	case from > 0 && to > 0:
		return fmt.Sprintf("%d to %d", from, to)
	case from > 0:
		return fmt.Sprintf("at least %d", from)
	case to > 0:
		return fmt.Sprintf("at most %d", to)
	}
	return ""
}

func describeRiskFilter(ctx context.Context, tx *store.Tx, orgID string, m isms.RiskMethod, f RiskFilter) string {
	var parts []string
	add := func(format, v string) {
		if v != "" {
			parts = append(parts, fmt.Sprintf(format, v))
		}
	}
	add("text contains %q", f.Search)
	if f.Owner != "" {
		add("owner is %s", personWords(ctx, tx, orgID, f.Owner))
	}
	add("treatment is %s", f.Treatment)
	add("control %s is applied", f.Control)
	add("asset %s is affected", f.Asset)
	add("inherent score %s", scoreRangeWords(m, f.MinScore, f.MaxScore))
	add("residual score %s", scoreRangeWords(m, f.MinResidual, f.MaxResidual))
	add("current score (residual once assessed, else inherent) %s", scoreRangeWords(m, f.MinCurrent, f.MaxCurrent))
	for _, c := range []struct {
		name  string
		scale []isms.Level
		v     int
	}{{"inherent likelihood", m.Likelihood, f.Likelihood}, {"inherent impact", m.Impact, f.Impact},
		{"residual likelihood", m.Likelihood, f.ResidualLikelihood}, {"residual impact", m.Impact, f.ResidualImpact}} {
		if c.v != 0 {
			add(c.name+" is %s", levelWords(c.scale, c.v))
		}
	}
	switch f.Accepted {
	case "yes":
		parts = append(parts, "residual risk accepted")
	case "no":
		parts = append(parts, "residual risk not accepted")
	}
	return filterWords(parts, "every risk")
}

func describeActionFilter(ctx context.Context, tx *store.Tx, orgID string, f ActionFilter) string {
	var parts []string
	if f.Risk != "" {
		parts = append(parts, "risk "+f.Risk)
	}
	if f.Owner != "" {
		parts = append(parts, "owner is "+personWords(ctx, tx, orgID, f.Owner))
	}
	if f.Status != "" {
		parts = append(parts, "status is "+f.Status)
	}
	if f.OverdueOn != "" {
		parts = append(parts, "overdue only")
	}
	if f.Search != "" {
		parts = append(parts, fmt.Sprintf("text contains %q", f.Search))
	}
	return filterWords(parts, "every treatment action")
}

func describeAssetFilter(ctx context.Context, tx *store.Tx, orgID string, f AssetFilter) string {
	var parts []string
	if f.Search != "" {
		parts = append(parts, fmt.Sprintf("text contains %q", f.Search))
	}
	if f.Type != "" {
		parts = append(parts, "type is "+f.Type)
	}
	if f.Owner != "" {
		parts = append(parts, "owner is "+personWords(ctx, tx, orgID, f.Owner))
	}
	if f.Classification != "" {
		parts = append(parts, "classification is "+f.Classification)
	}
	return filterWords(parts, "every asset")
}

// sortWords names a register's sort keys and how each reads ascending and descending.
type sortWords map[string][3]string

var (
	riskSortWords = sortWords{"ref": {"reference", "ascending", "descending"}, "title": {"title", "A to Z", "Z to A"},
		"score": {"inherent score", "lowest first", "highest first"}, "residual": {"residual score", "lowest first", "highest first"},
		"current": {"current score (residual once assessed, else inherent)", "lowest first", "highest first"},
		"owner":   {"owner's name", "A to Z", "Z to A"}, "treatment": {"treatment", "A to Z", "Z to A"},
		"updated": {"last change", "oldest first", "newest first"}}
	assetSortWords = sortWords{"ref": {"reference", "ascending", "descending"}, "name": {"name", "A to Z", "Z to A"},
		"type": {"type", "A to Z", "Z to A"}, "owner": {"owner's name", "A to Z", "Z to A"}, "updated": {"last change", "oldest first", "newest first"}}
)

// describeSort says a sort ("-score") in words ("inherent score, highest first"); an unknown or empty key is the
// registers' default, the reference.
func describeSort(sort string, words sortWords) string {
	w, ok := words[strings.TrimPrefix(sort, "-")]
	if !ok {
		w, sort = words["ref"], ""
	}
	if strings.HasPrefix(sort, "-") {
		return w[0] + ", " + w[2]
	}
	return w[0] + ", " + w[1]
}

// describeMethod says the risk method: its size, how it scores, its thresholds.
func describeMethod(m isms.RiskMethod) string {
	how := "likelihood × impact"
	if m.Scoring == isms.ScoreAdd {
		how = "likelihood + impact"
	}
	return fmt.Sprintf("%d×%d (likelihood by impact); score = %s, from %d to %d; acceptance threshold %d (residual scores up to %d are within appetite); high from %d",
		len(m.Likelihood), len(m.Impact), how, m.Score(1, 1), m.MaxScore(), m.AcceptanceThreshold, m.AcceptanceThreshold, m.HighThreshold)
}

// bandRange is a band of the method with the scores it holds.
type bandRange struct {
	band     string
	from, to int
}

// bandRangesOf are the method's bands, lowest first; a band without scores is left out.
func bandRangesOf(m isms.RiskMethod) []bandRange {
	var out []bandRange
	for _, b := range []bandRange{{"low", m.Score(1, 1), m.AcceptanceThreshold}, {"medium", m.AcceptanceThreshold + 1, m.HighThreshold - 1},
		{"high", m.HighThreshold, m.MaxScore()}} {
		if b.from <= b.to {
			out = append(out, b)
		}
	}
	return out
}

// bandRanges is the legend of the bands: "low 1 to 6 (within appetite)".
func bandRanges(m isms.RiskMethod) []pdf.Swatch {
	var out []pdf.Swatch
	for _, b := range bandRangesOf(m) {
		text := fmt.Sprintf("%s %d to %d", b.band, b.from, b.to)
		if b.band == "low" {
			text += " (within appetite)"
		}
		out = append(out, pdf.Swatch{Band: b.band, Text: text})
	}
	return out
}

// scoreRangeWords says a filter's score range, naming the band when it is exactly one: "15 to 25 (high band)".
func scoreRangeWords(m isms.RiskMethod, from, to int) string {
	for _, b := range bandRangesOf(m) {
		if b.from == from && b.to == to {
			return fmt.Sprintf("%d to %d (%s band)", from, to, b.band)
		}
	}
	return rangeWords(from, to)
}

func describeBands(m isms.RiskMethod) string {
	var parts []string
	for _, s := range bandRanges(m) {
		parts = append(parts, s.Text)
	}
	return strings.Join(parts, ", ")
}

// heatCounts counts the risks of an export per cell of the inherent and the residual heat map.
type heatCounts struct {
	m                  isms.RiskMethod
	inherent, residual [][]int
	total, unassessed  int
}

func newHeatCounts(m isms.RiskMethod) *heatCounts {
	grid := func() [][]int {
		g := make([][]int, len(m.Likelihood))
		for i := range g {
			g[i] = make([]int, len(m.Impact))
		}
		return g
	}
	return &heatCounts{m: m, inherent: grid(), residual: grid()}
}

func (h *heatCounts) add(r isms.Risk) {
	h.total++
	count := func(g [][]int, l, i int) {
		if l >= 1 && l <= len(h.m.Likelihood) && i >= 1 && i <= len(h.m.Impact) {
			g[l-1][i-1]++
		}
	}
	count(h.inherent, r.Likelihood, r.Impact)
	if r.ResidualLikelihood == 0 || r.ResidualImpact == 0 {
		h.unassessed++
		return
	}
	count(h.residual, r.ResidualLikelihood, r.ResidualImpact)
}

// draw puts the two heat maps on a page of their own, in the method's size and bands.
func (h *heatCounts) draw(d *pdf.Doc) {
	labels := func(scale []isms.Level) []string {
		out := make([]string, len(scale))
		for i, l := range scale {
			out[i] = l.Label
		}
		return out
	}
	bands := make([][]string, len(h.m.Likelihood))
	for l := range bands {
		bands[l] = make([]string, len(h.m.Impact))
		for i := range bands[l] {
			bands[l][i] = h.m.Band(h.m.Score(l+1, i+1))
		}
	}
	base := pdf.HeatMap{RowTitle: "Likelihood", ColTitle: "Impact", Rows: labels(h.m.Likelihood), Cols: labels(h.m.Impact), Bands: bands}
	inherent, residual := base, base
	inherent.Title, inherent.Counts = "Inherent risk", h.inherent
	inherent.Note = fmt.Sprintf("%d risks, before treatment.", h.total)
	residual.Title, residual.Counts = "Residual risk", h.residual
	residual.Note = fmt.Sprintf("%d risks after treatment.", h.total-h.unassessed)
	if h.unassessed > 0 {
		residual.Note += fmt.Sprintf(" %d without a residual assessment are not shown.", h.unassessed)
	}
	d.HeatMaps("Heat maps of the risks listed", bandRanges(h.m), inherent, residual)
}
