package isms

import (
	"testing"
	"time"
)

func TestDiffLines(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"", "", ""},
		{"a\nb\n", "a\nb\n", " a\n b\n"},
		{"", "new\n", "+new\n"},
		{"a\nb\nc\nd\n", "a\nx\nc\nd\ne\n", " a\n-b\n+x\n c\n d\n+e\n"},
		{"a\r\nb\r\n", "a\nb", " a\n b\n"}, // line endings and the last newline do not make a change
		{"x\ny\nz", "z\ny\nx", "-x\n-y\n z\n+y\n+x\n"},
	} {
		if got := UnifiedDiff(DiffLines(c.a, c.b)); got != c.want {
			t.Errorf("DiffLines(%q, %q) =\n%s\nwant\n%s", c.a, c.b, got, c.want)
		}
	}
	rows := SideBySide(DiffLines("a\nb\nc\n", "a\nB\nB2\nc\n"))
	if len(rows) != 4 || rows[1].Left.Text != "b" || rows[1].Right.Text != "B" || rows[2].Left != nil || rows[2].Right.Text != "B2" || rows[3].Left.Old != 3 || rows[3].Right.New != 4 {
		t.Errorf("side by side: %+v", rows)
	}
}

func TestAddMonths(t *testing.T) {
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{{"2026-01-31", 1, "2026-02-28"}, {"2026-03-03", 12, "2027-03-03"}, {"2024-02-29", 12, "2025-02-28"}, {"2026-11-15", 3, "2027-02-15"}} {
		from, _ := time.Parse(time.DateOnly, c.from)
		if got := AddMonths(from, c.months).Format(time.DateOnly); got != c.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", c.from, c.months, got, c.want)
		}
	}
}
