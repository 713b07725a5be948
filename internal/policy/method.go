package policy

import (
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

// ScaleLevel is one numbered level of a scale, for the methodology's tables.
type ScaleLevel struct {
	N                  int
	Label, Description string
}

// Band is one band of risk scores with the range it covers.
type Band struct{ Name, Range, Meaning string }

// Likelihood is the likelihood scale, numbered from 1.
func (v view) Likelihood() []ScaleLevel { return numbered(v.M.Likelihood) }

// Impact is the impact scale, numbered from 1.
func (v view) Impact() []ScaleLevel { return numbered(v.M.Impact) }

func numbered(levels []isms.Level) []ScaleLevel {
	out := make([]ScaleLevel, len(levels))
	for i, l := range levels {
		out[i] = ScaleLevel{N: i + 1, Label: cell(or(l.Label, fmt.Sprintf("[level %d not yet named]", i+1))),
			Description: cell(or(l.Description, "[description not yet written]"))}
	}
	return out
}

// Formula says how a score is computed.
func (v view) Formula() string {
	if v.M.Scoring == isms.ScoreAdd {
		return "likelihood + impact"
	}
	return "likelihood × impact"
}

// MinScore and MaxScore are the lowest and highest scores the method gives.
func (v view) MinScore() int { return v.M.Score(1, 1) }
func (v view) MaxScore() int { return v.M.MaxScore() }

// Bands are the low, medium and high bands with their score ranges.
func (v view) Bands() []Band {
	span := func(lo, hi int) string {
		switch {
		case lo > hi:
			return "none"
		case lo == hi:
			return fmt.Sprint(lo)
		}
		return fmt.Sprintf("%d to %d", lo, hi)
	}
	return []Band{
		{"Low", span(v.MinScore(), v.M.AcceptanceThreshold), "within our risk appetite: the risk owner may accept it"},
		{"Medium", span(v.M.AcceptanceThreshold+1, v.M.HighThreshold-1), "above appetite: treat it, or accept it with a written justification"},
		{"High", span(v.M.HighThreshold, v.MaxScore()), "well above appetite: treat it with priority and report it to top management"},
	}
}

// Matrix is the score of every likelihood and impact pair with its band, most likely first, as a Markdown
// table.
func (v view) Matrix() string {
	var b strings.Builder
	b.WriteString("| Likelihood \\ Impact |")
	for i, l := range v.M.Impact {
		fmt.Fprintf(&b, " %d %s |", i+1, cell(l.Label))
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(v.M.Impact)) + "\n")
	for l := len(v.M.Likelihood); l >= 1; l-- {
		fmt.Fprintf(&b, "| %d %s |", l, cell(v.M.Likelihood[l-1].Label))
		for i := 1; i <= len(v.M.Impact); i++ {
			s := v.M.Score(l, i)
			fmt.Fprintf(&b, " %d %s |", s, v.M.Band(s))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// MethodDate is when the method was last changed; "" when it never was.
func (v view) MethodDate() string {
	if v.DefaultMethod || v.M.UpdatedAt.IsZero() {
		return ""
	}
	return v.M.UpdatedAt.Format("2 January 2006")
}
