// Package chart draws small SVG charts on the server: the trend of a metric's measurements against its target,
// and a sparkline of the same for a list row. Plain string building; every text is XML-escaped.
package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"
)

// Point is one value on a day.
type Point struct {
	Day   time.Time
	Value float64
}

// Trend is what a trend chart shows: the points in time order, and the target when there is one.
type Trend struct {
	ID        string // unique on the page: the prefix of the ids of the title and description
	Title     string // what the chart is of ("Patch compliance")
	Unit      string // "%"
	Points    []Point
	Target    float64
	HasTarget bool
}

// The trend chart's canvas (it scales to its container: width 100%, the height following the view box).
const (
	width, height            = 640, 260
	left, right, top, bottom = 56, 16, 16, 36
	yTicks                   = 5 // about as many value ticks
	xTicks                   = 6 // at most as many month ticks
)

// Month is a day as its month in words: "Jan 2026".
func Month(t time.Time) string { return t.Format("Jan 2006") }

// Day is a day in words: "30 Nov 2026".
func Day(t time.Time) string { return t.Format("2 Jan 2006") }

// Number is a value as a label: at most two decimals, no trailing zeros.
func Number(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

func esc(s string) string { return html.EscapeString(s) }

func f1(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// scale maps the values of the points and the target onto the canvas.
type scale struct {
	t0, t1     float64 // days (Unix seconds) of the first and last points
	v0, v1     float64 // the value range shown, from round tick to round tick
	step       float64 // between value ticks
	x0, x1     float64
	y0, y1     float64 // y0 is the bottom
	singleTime bool
}

func (s scale) x(t time.Time) float64 {
	if s.singleTime {
		return (s.x0 + s.x1) / 2
	}
	return s.x0 + (float64(t.Unix())-s.t0)/(s.t1-s.t0)*(s.x1-s.x0)
}

func (s scale) y(v float64) float64 { return s.y0 - (v-s.v0)/(s.v1-s.v0)*(s.y0-s.y1) }

// niceStep is a round step (1, 2 or 5 times a power of ten) that cuts span into about n parts.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

func newScale(points []Point, target float64, hasTarget bool, x0, x1, y0, y1 float64) scale {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range points {
		lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
	}
	if hasTarget {
		lo, hi = math.Min(lo, target), math.Max(hi, target)
	}
	if lo == hi { // one level: give it room around
		pad := math.Max(math.Abs(lo)*0.1, 1)
		lo, hi = lo-pad, hi+pad
	}
	step := niceStep(hi-lo, yTicks)
	s := scale{v0: math.Floor(lo/step) * step, v1: math.Ceil(hi/step) * step, step: step, x0: x0, x1: x1, y0: y0, y1: y1}
	s.t0, s.t1 = float64(points[0].Day.Unix()), float64(points[len(points)-1].Day.Unix())
	s.singleTime = s.t0 == s.t1
	return s
}

// Summary is the chart in words, its text alternative: how many values over which months, the latest and the
// target.
func (c Trend) Summary() string {
	unit := ""
	if c.Unit != "" {
		unit = " " + c.Unit
	}
	target := ""
	if c.HasTarget {
		target = " Target " + Number(c.Target) + unit + "."
	}
	n := len(c.Points)
	if n == 0 {
		return "No measurements yet." + target
	}
	last := c.Points[n-1]
	span := Month(c.Points[0].Day)
	if m := Month(last.Day); m != span {
		span += " to " + m
	}
	plural := "s"
	if n == 1 {
		plural = ""
	}
	return fmt.Sprintf("%d measurement%s, %s. Latest %s%s on %s.%s", n, plural, span, Number(last.Value), unit, Day(last.Day), target)
}

// open starts an svg with its accessible name and description; size is its width and height attributes (the
// trend fills its container, a sparkline keeps its own size).
func open(b *strings.Builder, id, title, desc string, w, h int, class, size string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="%s" viewBox="0 0 %d %d" %s preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="%s-title %s-desc">`,
		class, w, h, size, esc(id), esc(id))
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// SVG draws the trend: the values as a line with a dot each (its own tooltip), the target as a dashed line,
// value ticks on the left and month ticks below. With no points it is an empty state that says so.
func (c Trend) SVG() string {
	var b strings.Builder
	open(&b, c.ID, c.Title, c.Summary(), width, height, "chart trend-chart", `width="100%"`)
	// presentation attributes, not a style element: the pages' content security policy refuses inline styles
	b.WriteString(`<g font-family="sans-serif" font-size="13" fill="#555">`)
	if len(c.Points) == 0 {
		fmt.Fprintf(&b, `<rect x="1" y="1" width="%d" height="%d" fill="none" stroke="#ccc" stroke-dasharray="4 4" rx="6"/>`, width-2, height-2)
		fmt.Fprintf(&b, `<text class="empty" x="%d" y="%d" text-anchor="middle">No measurements yet</text></g></svg>`, width/2, height/2)
		return b.String()
	}
	s := newScale(c.Points, c.Target, c.HasTarget, left, width-right, height-bottom, top)
	// value ticks and grid lines
	for v := s.v0; v <= s.v1+s.step/2; v += s.step {
		y := f1(s.y(v))
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%s" y2="%s" stroke="#e5e5e5"/>`, left, width-right, y, y)
		fmt.Fprintf(&b, `<text class="ytick" x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`, left-6, y, esc(Number(v)))
	}
	// month ticks: the first of each month in the range, thinned to at most xTicks
	first, last := c.Points[0].Day, c.Points[len(c.Points)-1].Day
	months := monthsBetween(first, last)
	stride := (len(months) + xTicks - 1) / xTicks
	for i := 0; i < len(months); i += max(stride, 1) {
		x := f1(s.x(months[i]))
		if s.singleTime {
			x = f1(s.x(first))
		}
		fmt.Fprintf(&b, `<text class="xtick" x="%s" y="%d" text-anchor="middle">%s</text>`, x, height-bottom+22, esc(Month(months[i])))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d" stroke="#888"/>`, left, width-right, height-bottom, height-bottom)
	if c.HasTarget {
		y := f1(s.y(c.Target))
		fmt.Fprintf(&b, `<line class="target" x1="%d" x2="%d" y1="%s" y2="%s" stroke="#b3261e" stroke-width="2" stroke-dasharray="8 5" data-value="%s"><title>Target %s</title></line>`,
			left, width-right, y, y, esc(Number(c.Target)), esc(Number(c.Target)+unitSuffix(c.Unit)))
	}
	pts := make([]string, len(c.Points))
	for i, p := range c.Points {
		pts[i] = f1(s.x(p.Day)) + "," + f1(s.y(p.Value))
	}
	fmt.Fprintf(&b, `<polyline class="values" fill="none" stroke="#1f5fbf" stroke-width="2.5" stroke-linejoin="round" points="%s"/>`, strings.Join(pts, " "))
	for _, p := range c.Points {
		fmt.Fprintf(&b, `<circle class="point" cx="%s" cy="%s" r="4" fill="#1f5fbf" data-day="%s" data-value="%s"><title>%s: %s</title></circle>`,
			f1(s.x(p.Day)), f1(s.y(p.Value)), p.Day.Format(time.DateOnly), esc(Number(p.Value)), esc(Day(p.Day)), esc(Number(p.Value)+unitSuffix(c.Unit)))
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}

func unitSuffix(unit string) string {
	if unit == "" {
		return ""
	}
	return " " + unit
}

// monthsBetween are the first days of the months after from up to to; from's own month when the range lies
// within one month.
func monthsBetween(from, to time.Time) []time.Time {
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if m.Before(from) {
		m = m.AddDate(0, 1, 0)
	}
	var out []time.Time
	for ; !m.After(to); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	if len(out) == 0 {
		out = append(out, from)
	}
	return out
}

// Sparkline draws the values as a small line with the target dashed behind it, for a list row; no axes. The
// title says what it shows in words. With fewer than two points it is empty.
func (c Trend) Sparkline() string {
	if len(c.Points) < 2 {
		return ""
	}
	const w, h = 100, 24
	var b strings.Builder
	open(&b, c.ID, c.Title, c.Summary(), w, h, "chart sparkline", fmt.Sprintf(`width="%d" height="%d"`, w, h))
	s := newScale(c.Points, c.Target, c.HasTarget, 2, w-2, h-2, 2)
	if c.HasTarget {
		y := f1(s.y(c.Target))
		fmt.Fprintf(&b, `<line class="target" x1="0" x2="%d" y1="%s" y2="%s" stroke="#b3261e" stroke-width="1" stroke-dasharray="3 2"/>`, w, y, y)
	}
	pts := make([]string, len(c.Points))
	for i, p := range c.Points {
		pts[i] = f1(s.x(p.Day)) + "," + f1(s.y(p.Value))
	}
	fmt.Fprintf(&b, `<polyline class="values" fill="none" stroke="#1f5fbf" stroke-width="1.5" points="%s"/></svg>`, strings.Join(pts, " "))
	return b.String()
}
