package isms

import (
	"strings"
	"testing"
	"time"
)

func TestRiskMethodScoreAndBands(t *testing.T) {
	m := DefaultRiskMethod()
	if err := m.Validate(); err != nil {
		t.Fatalf("default method invalid: %v", err)
	}
	cases := []struct {
		l, i, score int
		band        string
	}{
		{1, 1, 1, "low"}, {2, 3, 6, "low"}, {3, 3, 9, "medium"}, {3, 5, 15, "high"}, {5, 5, 25, "high"}, {0, 3, 0, ""},
	}
	for _, c := range cases {
		s := m.Score(c.l, c.i)
		if s != c.score || m.Band(s) != c.band {
			t.Errorf("L%d x I%d = %d (%s), want %d (%s)", c.l, c.i, s, m.Band(s), c.score, c.band)
		}
	}
	m.Scoring = ScoreAdd
	if m.Score(2, 3) != 5 || m.MaxScore() != 10 {
		t.Errorf("additive scoring: %d, max %d", m.Score(2, 3), m.MaxScore())
	}
	if !DefaultRiskMethod().NeedsAcceptanceComment(8) || DefaultRiskMethod().NeedsAcceptanceComment(6) {
		t.Error("acceptance comment must be required above the threshold only")
	}
}

func TestRiskMethodValidateReportsEveryProblem(t *testing.T) {
	m := DefaultRiskMethod()
	m.Likelihood = m.Likelihood[:2]
	m.Impact[1].Label = " "
	m.Scoring = "divide"
	e, ok := AsError(m.Validate())
	if !ok || len(e.Fields) != 3 {
		t.Fatalf("want 3 field errors, got %v", m.Validate())
	}
	m = DefaultRiskMethod()
	m.AcceptanceThreshold, m.HighThreshold = 30, 2
	e, ok = AsError(m.Validate())
	if !ok || len(e.Fields) != 2 {
		t.Fatalf("thresholds: %v", m.Validate())
	}
}

func TestRescaleKeepsEnds(t *testing.T) {
	for _, c := range []struct{ level, from, to, want int }{
		{1, 5, 3, 1}, {5, 5, 3, 3}, {3, 5, 3, 2}, {2, 5, 3, 2}, {4, 5, 3, 3}, {1, 3, 5, 1}, {2, 3, 5, 3}, {3, 3, 5, 5}, {0, 5, 3, 0}, {4, 4, 4, 4},
	} {
		if got := Rescale(c.level, c.from, c.to); got != c.want {
			t.Errorf("Rescale(%d, %d->%d) = %d, want %d", c.level, c.from, c.to, got, c.want)
		}
	}
}

func TestActionOverdue(t *testing.T) {
	a := TreatmentAction{Due: "2026-03-01", Status: "planned"}
	if !a.Overdue("2026-03-02") || a.Overdue("2026-03-01") {
		t.Error("overdue must start the day after the due date")
	}
	a.Status = "done"
	if a.Overdue("2027-01-01") {
		t.Error("a done action is never overdue")
	}
}

func TestAcceptanceLapse(t *testing.T) {
	m := DefaultRiskMethod() // acceptance threshold 6
	lower := m
	lower.AcceptanceThreshold = 4
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	accepted := Risk{Likelihood: 4, Impact: 5, Score: 20, ResidualLikelihood: 2, ResidualImpact: 3, ResidualScore: 6, AcceptedAt: &now, AcceptedBy: "Dana"}
	inherentOnly := Risk{Likelihood: 1, Impact: 3, Score: 3, AcceptedAt: &now}
	with := func(r Risk, f func(*Risk)) Risk { f(&r); return r }
	for _, c := range []struct {
		name          string
		before, after Risk
		was, now      RiskMethod
		lapses        string // part of the reason; "" when the acceptance holds
	}{
		{"nothing changed", accepted, accepted, m, m, ""},
		{"inherent changed, residual kept", accepted, with(accepted, func(r *Risk) { r.Likelihood, r.Score = 3, 15 }), m, m, ""},
		{"residual score changed", accepted, with(accepted, func(r *Risk) { r.ResidualLikelihood, r.ResidualScore = 1, 3 }), m, m, "residual risk it accepted (2x3 = 6) is now residual 1x3 = 3"},
		{"residual levels swapped, same score", accepted, with(accepted, func(r *Risk) { r.ResidualLikelihood, r.ResidualImpact = 3, 2 }), m, m, "is now residual 3x2 = 6"},
		{"residual removed", accepted, with(accepted, func(r *Risk) { r.ResidualLikelihood, r.ResidualImpact, r.ResidualScore = 0, 0, 0 }), m, m, "is now inherent 4x5 = 20"},
		{"threshold lowered below the score", accepted, accepted, m, lower, "residual score 6 is now above the acceptance threshold 4 (was 6)"},
		{"threshold raised", accepted, accepted, lower, m, ""},
		{"already above before", with(accepted, func(r *Risk) { r.ResidualScore = 8; r.ResidualImpact = 4 }), with(accepted, func(r *Risk) { r.ResidualScore = 8; r.ResidualImpact = 4 }), m, lower, ""},
		{"inherent-only acceptance, inherent changed", inherentOnly, with(inherentOnly, func(r *Risk) { r.Impact, r.Score = 4, 4 }), m, m, "inherent risk it accepted (1x3 = 3) is now inherent 1x4 = 4"},
		{"not accepted", with(accepted, func(r *Risk) { r.AcceptedAt = nil }), with(accepted, func(r *Risk) { r.ResidualScore = 3 }), m, lower, ""},
	} {
		got := AcceptanceLapse(c.before, c.after, c.was, c.now)
		if (got == "") != (c.lapses == "") || !strings.Contains(got, c.lapses) {
			t.Errorf("%s: lapse %q, want %q", c.name, got, c.lapses)
		}
	}
}

func TestStaleVersionMessage(t *testing.T) {
	for _, c := range []struct{ entity, ref, want string }{
		{"risk", "R-001", "risk R-001 was changed by someone else; reload it and apply your change again"},
		{"risk method", "", "risk method was changed by someone else; reload it and apply your change again"},
	} {
		if got := StaleVersion(c.entity, c.ref).Error(); got != c.want {
			t.Errorf("StaleVersion(%q, %q) = %q, want %q", c.entity, c.ref, got, c.want)
		}
	}
}

// A risk stands at its residual score once assessed, else at its inherent score; acceptance follows it.
func TestCurrentLevelsAndAcceptance(t *testing.T) {
	m := DefaultRiskMethod() // threshold 6
	cases := []struct {
		name    string
		r       Risk
		score   int
		kind    string
		above   bool
		blocked bool
	}{
		{"residual assessed", Risk{Ref: "R-1", Likelihood: 5, Impact: 5, Score: 25, ResidualLikelihood: 1, ResidualImpact: 2, ResidualScore: 2, Treatment: TreatModify}, 2, "residual", false, false},
		{"retained, no residual", Risk{Ref: "R-2", Likelihood: 3, Impact: 3, Score: 9, Treatment: TreatRetain}, 9, "inherent", true, false},
		{"modified, no residual", Risk{Ref: "R-3", Likelihood: 4, Impact: 4, Score: 16, Treatment: TreatModify}, 16, "inherent", true, true},
	}
	for _, c := range cases {
		_, _, score, kind := c.r.CurrentLevels()
		a := m.AcceptanceOf(c.r)
		if score != c.score || kind != c.kind || c.r.CurrentScore() != c.score || m.AboveAppetite(c.r) != c.above ||
			a.Score != c.score || a.Kind != c.kind || a.NeedsComment != c.above || (a.Blocked != "") != c.blocked {
			t.Errorf("%s: current %d %s, above %v, acceptance %+v", c.name, score, kind, m.AboveAppetite(c.r), a)
		}
	}
	e, _ := AsError(m.CheckAcceptance(cases[2].r, "a comment"))
	if e == nil || e.Kind != KindInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "residual_score" ||
		!strings.Contains(e.Fields[0].Message, "R-3") || !strings.Contains(e.Fields[0].Message, "assess the residual risk first") {
		t.Errorf("accepting a modified risk without residual: %v", e)
	}
	if e, _ := AsError(m.CheckAcceptance(cases[1].r, " ")); e == nil || e.Fields[0].Field != "comment" {
		t.Errorf("above the threshold without comment: %v", e)
	}
	if err := m.CheckAcceptance(cases[0].r, ""); err != nil {
		t.Errorf("within the threshold: %v", err)
	}
}
