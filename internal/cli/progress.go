package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws "risks [=====>     ] 45,000/100,000 12s" on one line of w, redrawn at most five times a
// second, with a new line when a task ends.
type progressBar struct {
	w     io.Writer
	what  string
	start time.Time
	drawn time.Time
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w} }

// update is a service.Progress.
func (b *progressBar) update(what string, done, total int) {
	now := time.Now()
	if what != b.what {
		b.done()
		b.what, b.start = what, now
	}
	if done < total && now.Sub(b.drawn) < 200*time.Millisecond {
		return
	}
	b.drawn = now
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(b.w, "\r%-13s [%s%s] %s/%s %s", what, strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
		thousands(done), thousands(total), now.Sub(b.start).Round(time.Second))
}

// done ends the current line, if a task drew one.
func (b *progressBar) done() {
	if b.what != "" {
		fmt.Fprintln(b.w)
		b.what = ""
	}
}

// thousands writes n with commas: 100000 -> 100,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
