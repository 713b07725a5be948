package isms

import "testing"

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
