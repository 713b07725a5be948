package web

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// svgCell is what the heat map draws for one cell, read back from the SVG.
type svgCell struct {
	likelihood, impact, count string
	fill, href, title, text   string
}

// parseHeatMap decodes the SVG as XML (failing on anything not well-formed) and returns its cells in order.
func parseHeatMap(t *testing.T, svg string) (root xml.StartElement, cells []svgCell, texts []string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var stack []string
	var href, title string
	inTitle, inText := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				root = el
			}
			stack = append(stack, el.Name.Local)
			attr := func(name string) string {
				for _, a := range el.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch el.Name.Local {
			case "a":
				href = attr("href")
			case "g":
				href = ""
			case "title":
				inTitle = true
			case "text":
				inText = true
			case "rect":
				cells = append(cells, svgCell{likelihood: attr("data-likelihood"), impact: attr("data-impact"), count: attr("data-count"),
					fill: attr("fill"), href: href, title: title})
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch el.Name.Local {
			case "title":
				inTitle = false
			case "text":
				inText = false
			case "a", "g":
				href, title = "", ""
			}
		case xml.CharData:
			switch {
			case inTitle && len(stack) > 1 && stack[len(stack)-2] != "svg":
				title += string(el)
			case inText:
				if len(cells) > 0 && len(stack) > 1 && (stack[len(stack)-2] == "a" || stack[len(stack)-2] == "g") {
					cells[len(cells)-1].text += string(el)
				} else {
					texts = append(texts, string(el))
				}
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements %v", stack)
	}
	return root, cells, texts
}

func method3x3() isms.RiskMethod {
	return isms.RiskMethod{
		Likelihood:          []isms.Level{{Label: "Low"}, {Label: "Medium"}, {Label: "High"}},
		Impact:              []isms.Level{{Label: "Minor"}, {Label: "Moderate & <visible>"}, {Label: `Major "quoted"`}},
		Scoring:             isms.ScoreMultiply,
		AcceptanceThreshold: 2,
		HighThreshold:       6,
	}
}

func TestHeatMap3x3(t *testing.T) {
	m := method3x3()
	cells := []service.HeatCell{{Likelihood: 3, Impact: 3, Count: 4}, {Likelihood: 1, Impact: 2, Count: 1}, {Likelihood: 2, Impact: 3, Count: 2},
		{Likelihood: 4, Impact: 1, Count: 9}} // outside the scales: ignored
	svg := string(heatMapSVG(m, cells, false))
	root, got, texts := parseHeatMap(t, svg)
	if root.Name.Local != "svg" || root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root element %v", root.Name)
	}
	if len(got) != 9 || strings.Count(svg, "<rect") != 9 {
		t.Fatalf("%d cells, want 9", len(got))
	}
	// Rows go from the highest likelihood down; columns from the lowest impact.
	order := []string{"3/1", "3/2", "3/3", "2/1", "2/2", "2/3", "1/1", "1/2", "1/3"}
	want := map[string]string{"3/3": "4", "1/2": "1", "2/3": "2"}
	bands := map[string]string{"1/1": "low", "1/2": "low", "2/1": "low", "1/3": "medium", "3/1": "medium", "2/2": "medium",
		"2/3": "high", "3/2": "high", "3/3": "high"}
	links := 0
	for i, c := range got {
		key := c.likelihood + "/" + c.impact
		if key != order[i] {
			t.Fatalf("cell %d is %s, want %s", i, key, order[i])
		}
		n := want[key]
		if n == "" {
			n = "0"
		}
		if c.count != n || c.text != n {
			t.Errorf("cell %s: count %q, text %q, want %s", key, c.count, c.text, n)
		}
		if c.fill != bandFill[bands[key]] {
			t.Errorf("cell %s: fill %s, want the %s band's %s", key, c.fill, bands[key], bandFill[bands[key]])
		}
		if n != "0" {
			links++
			if wantHref := "/risks?impact=" + c.impact + "&likelihood=" + c.likelihood; c.href != wantHref {
				t.Errorf("cell %s: link %q, want %q", key, c.href, wantHref)
			}
		} else if c.href != "" {
			t.Errorf("empty cell %s links to %q", key, c.href)
		}
		if !strings.Contains(c.title, "Likelihood "+c.likelihood) || !strings.Contains(c.title, "impact "+c.impact) {
			t.Errorf("cell %s: title %q", key, c.title)
		}
	}
	if links != 3 {
		t.Errorf("%d links, want 3", links)
	}
	for _, c := range got {
		if c.likelihood == "3" && c.impact == "3" && !strings.Contains(c.title, "score 9, high. 4 risks.") {
			t.Errorf("title of 3/3: %q", c.title)
		}
		if c.likelihood == "1" && c.impact == "2" && !strings.Contains(c.title, "Moderate & <visible>") {
			t.Errorf("title of 1/2 lost the label: %q", c.title)
		}
	}
	all := strings.Join(texts, "|")
	for _, w := range []string{"3 High", "2 Medium", "1 Low", "Minor", "Moderate &…", "Impact →", "Likelihood →"} {
		if !strings.Contains(all, w) {
			t.Errorf("axis labels %q lack %q", all, w)
		}
	}
	if strings.Contains(svg, "style=") || strings.Contains(svg, "<script") || strings.Contains(svg, "<visible>") {
		t.Error("inline style, script or unescaped text in the SVG")
	}
	if !strings.Contains(svg, `<title id="heat-inherent-title">Inherent risk heat map: 7 risks</title>`) {
		t.Errorf("no accessible title for the map\n%s", svg)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func TestHeatMap5x5Residual(t *testing.T) {
	m := isms.DefaultRiskMethod()
	var cells []service.HeatCell
	total := 0
	for l := 1; l <= 5; l++ {
		for i := 1; i <= 5; i++ {
			if (l+i)%3 == 0 {
				cells = append(cells, service.HeatCell{Likelihood: l, Impact: i, Count: l*10 + i})
				total += l*10 + i
			}
		}
	}
	svg := string(heatMapSVG(m, cells, true))
	root, got, _ := parseHeatMap(t, svg)
	if len(got) != 25 {
		t.Fatalf("%d cells, want 25", len(got))
	}
	for _, a := range root.Attr {
		if a.Name.Local == "data-total" && a.Value != strconv.Itoa(total) {
			t.Errorf("data-total %s, want %d", a.Value, total)
		}
	}
	if got[0].likelihood != "5" || got[0].impact != "1" || got[24].likelihood != "1" || got[24].impact != "5" {
		t.Fatalf("corners: %+v %+v", got[0], got[24])
	}
	links := 0
	for _, c := range got {
		l, i := atoi(c.likelihood), atoi(c.impact)
		want := 0
		if (l+i)%3 == 0 {
			want = l*10 + i
		}
		if atoi(c.count) != want || atoi(c.text) != want {
			t.Errorf("cell %d/%d: count %s, text %s, want %d", l, i, c.count, c.text, want)
		}
		if want > 0 {
			links++
			if w := "/risks?residual_impact=" + c.impact + "&residual_likelihood=" + c.likelihood; c.href != w {
				t.Errorf("cell %d/%d: link %q, want %q", l, i, c.href, w)
			}
		}
		if band := m.Band(m.Score(l, i)); c.fill != bandFill[band] {
			t.Errorf("cell %d/%d: fill %s, want %s (%s)", l, i, c.fill, bandFill[band], band)
		}
	}
	if links != len(cells) {
		t.Errorf("%d links, want %d", links, len(cells))
	}
	if !strings.Contains(svg, `id="heat-residual-title">Residual risk heat map`) {
		t.Error("residual map is not labelled as residual")
	}
}

func TestHeatMapEmpty(t *testing.T) {
	svg := string(heatMapSVG(isms.DefaultRiskMethod(), nil, false))
	_, got, _ := parseHeatMap(t, svg)
	if len(got) != 25 || strings.Contains(svg, "<a ") {
		t.Fatalf("empty map: %d cells, links: %v", len(got), strings.Contains(svg, "<a "))
	}
	if !strings.Contains(svg, "heat map: no risks") {
		t.Error("empty map title")
	}
}
