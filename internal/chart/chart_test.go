package chart

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"time"
)

// node is any XML element with its attributes, text and children.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) num(t *testing.T, name string) float64 {
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("%s %s=%q: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

// all are the elements named local with class class ("" any), in document order.
func (n node) all(local, class string) []node {
	var out []node
	for _, c := range n.Nodes {
		if c.XMLName.Local == local && (class == "" || c.attr("class") == class) {
			out = append(out, c)
		}
		out = append(out, c.all(local, class)...)
	}
	return out
}

func parse(t *testing.T, svg string) node {
	t.Helper()
	var n node
	if err := xml.Unmarshal([]byte(svg), &n); err != nil {
		t.Fatalf("not XML: %v\n%s", err, svg)
	}
	if n.XMLName.Local != "svg" || n.attr("role") != "img" {
		t.Fatalf("root: %+v", n.XMLName)
	}
	return n
}

func day(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

// The points follow the data: later days further right, higher values higher up (smaller y); the dashed
// target line lies between the values below and above it; the month ticks are in words; the title and the
// description name the chart and say it in words, escaped.
func TestTrendFollowsTheData(t *testing.T) {
	c := Trend{ID: "m-1", Title: "Patch <compliance> & more", Unit: "%", HasTarget: true, Target: 95, Points: []Point{
		{day("2026-01-31"), 90}, {day("2026-02-28"), 97.5}, {day("2026-03-31"), 93}, {day("2026-04-30"), 99}}}
	n := parse(t, c.SVG())
	points := n.all("circle", "point")
	if len(points) != 4 {
		t.Fatalf("%d points", len(points))
	}
	for i := 1; i < len(points); i++ {
		if points[i].num(t, "cx") <= points[i-1].num(t, "cx") {
			t.Errorf("point %d is not right of point %d", i, i-1)
		}
	}
	y := func(i int) float64 { return points[i].num(t, "cy") }
	if !(y(3) < y(1) && y(1) < y(2) && y(2) < y(0)) {
		t.Errorf("heights do not follow the values: %v %v %v %v", y(0), y(1), y(2), y(3))
	}
	target := n.all("line", "target")
	if len(target) != 1 || target[0].attr("stroke-dasharray") == "" {
		t.Fatalf("target line: %+v", target)
	}
	ty := target[0].num(t, "y1")
	if !(ty > y(1) && ty < y(2) && ty == target[0].num(t, "y2")) {
		t.Errorf("the target (95) at y %v is not between 97.5 (%v) and 93 (%v)", ty, y(1), y(2))
	}
	if got := points[1].attr("data-value"); got != "97.5" {
		t.Errorf("data-value %q", got)
	}
	var months []string
	for _, x := range n.all("text", "xtick") {
		months = append(months, x.Text)
	}
	if strings.Join(months, ",") != "Feb 2026,Mar 2026,Apr 2026" {
		t.Errorf("month ticks: %v", months)
	}
	if len(n.all("text", "ytick")) < 3 {
		t.Errorf("value ticks: %v", n.all("text", "ytick"))
	}
	title, desc := n.all("title", ""), n.all("desc", "")
	if title[0].Text != "Patch <compliance> & more" || !strings.Contains(desc[0].Text, "4 measurements, Jan 2026 to Apr 2026. Latest 99 % on 30 Apr 2026. Target 95 %.") {
		t.Errorf("title %q desc %q", title[0].Text, desc[0].Text)
	}
	// the polyline goes through the points in order
	line := n.all("polyline", "values")[0].attr("points")
	if first := strings.Fields(line)[0]; first != points[0].attr("cx")+","+points[0].attr("cy") {
		t.Errorf("polyline starts at %s, the first point is %s,%s", first, points[0].attr("cx"), points[0].attr("cy"))
	}
}

// With no measurements the chart says so; one measurement is one point in the middle; a sparkline needs two.
func TestTrendEdges(t *testing.T) {
	n := parse(t, Trend{ID: "e", Title: "Empty", Target: 5, HasTarget: true}.SVG())
	if len(n.all("circle", "")) != 0 || n.all("text", "empty")[0].Text != "No measurements yet" {
		t.Fatalf("empty state: %+v", n)
	}
	one := Trend{ID: "o", Title: "One", Points: []Point{{day("2026-05-10"), 3}}}
	n = parse(t, one.SVG())
	if p := n.all("circle", "point"); len(p) != 1 || p[0].num(t, "cx") != float64(left+width-right)/2 {
		t.Fatalf("one point: %+v", p)
	}
	if one.Sparkline() != "" {
		t.Fatalf("a sparkline of one value")
	}
	two := Trend{ID: "s", Title: "Two", HasTarget: true, Target: 10, Points: []Point{{day("2026-05-10"), 3}, {day("2026-06-10"), 12}}}
	n = parse(t, two.Sparkline())
	pts := strings.Fields(n.all("polyline", "values")[0].attr("points"))
	if len(pts) != 2 || len(n.all("line", "target")) != 1 || len(n.all("text", "")) != 0 {
		t.Fatalf("sparkline: %+v", n)
	}
}
