package isms

import "strings"

// DiffLine is one line of a line diff: kept (" "), removed ("-") or added ("+"), with its line number on each
// side (0 where it has none).
type DiffLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
	Old  int    `json:"old,omitempty"`
	New  int    `json:"new,omitempty"`
}

// maxDiffCells bounds the LCS table (lines of a times lines of b, after the common head and tail are set
// aside); beyond it the middle is shown as removed then added, which is still a correct diff.
const maxDiffCells = 16 << 20

// DiffLines compares two texts line by line with a longest common subsequence, so that a changed paragraph
// shows as its removed and added lines and the rest as kept.
func DiffLines(a, b string) []DiffLine {
	x, y := splitLines(a), splitLines(b)
	head := 0
	for head < len(x) && head < len(y) && x[head] == y[head] {
		head++
	}
	tail := 0
	for tail < len(x)-head && tail < len(y)-head && x[len(x)-1-tail] == y[len(y)-1-tail] {
		tail++
	}
	out := make([]DiffLine, 0, len(x)+len(y))
	for i := 0; i < head; i++ {
		out = append(out, DiffLine{Op: " ", Text: x[i], Old: i + 1, New: i + 1})
	}
	mx, my := x[head:len(x)-tail], y[head:len(y)-tail]
	out = append(out, lcsDiff(mx, my, head, head)...)
	for i := 0; i < tail; i++ {
		oi, ni := len(x)-tail+i, len(y)-tail+i
		out = append(out, DiffLine{Op: " ", Text: x[oi], Old: oi + 1, New: ni + 1})
	}
	return out
}

// lcsDiff diffs the middle parts x and y, whose first lines are lines offX+1 and offY+1 of their texts.
func lcsDiff(x, y []string, offX, offY int) []DiffLine {
	var out []DiffLine
	if len(x)*len(y) > maxDiffCells {
		for i, l := range x {
			out = append(out, DiffLine{Op: "-", Text: l, Old: offX + i + 1})
		}
		for j, l := range y {
			out = append(out, DiffLine{Op: "+", Text: l, New: offY + j + 1})
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of x[i:] and y[j:].
	w := len(y) + 1
	lcs := make([]int32, (len(x)+1)*w)
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out = append(out, DiffLine{Op: " ", Text: x[i], Old: offX + i + 1, New: offY + j + 1})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i*w+j+1] > lcs[(i+1)*w+j]):
			out = append(out, DiffLine{Op: "+", Text: y[j], New: offY + j + 1})
			j++
		default:
			out = append(out, DiffLine{Op: "-", Text: x[i], Old: offX + i + 1})
			i++
		}
	}
	return out
}

// splitLines splits text into lines without their endings (\n or \r\n); an empty text has no lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// UnifiedDiff writes lines as a unified diff body: each line with its mark (" ", "-", "+").
func UnifiedDiff(lines []DiffLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.Op + l.Text + "\n")
	}
	return b.String()
}

// DiffRow is one row of a side-by-side diff: the old line on the left, the new on the right; a removed line
// pairs with the added line at the same position of its change.
type DiffRow struct {
	Left, Right *DiffLine
}

// SideBySide pairs the lines of a diff into rows: kept lines face themselves, and each run of removals faces
// the run of additions that follows it.
func SideBySide(lines []DiffLine) []DiffRow {
	var rows []DiffRow
	for i := 0; i < len(lines); {
		if lines[i].Op == " " {
			rows = append(rows, DiffRow{Left: &lines[i], Right: &lines[i]})
			i++
			continue
		}
		var del, add []*DiffLine
		for i < len(lines) && lines[i].Op == "-" {
			del = append(del, &lines[i])
			i++
		}
		for i < len(lines) && lines[i].Op == "+" {
			add = append(add, &lines[i])
			i++
		}
		for k := 0; k < max(len(del), len(add)); k++ {
			var r DiffRow
			if k < len(del) {
				r.Left = del[k]
			}
			if k < len(add) {
				r.Right = add[k]
			}
			rows = append(rows, r)
		}
	}
	return rows
}
