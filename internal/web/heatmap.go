package web

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The heat map is drawn on the server as plain SVG: a grid of likelihood (rows, highest on top) by impact
// (columns), each cell filled with the colour of its band and showing how many risks sit in it. It uses
// presentation attributes only (fill, stroke, font-size...), never style attributes or scripts, so that the
// page's Content-Security-Policy (style-src 'self') allows it; app.css adds only focus and hover outlines.

// Heat-map geometry in SVG user units.
const (
	hmLeft   = 150 // room for the likelihood labels
	hmTop    = 8
	hmCellW  = 80
	hmCellH  = 56
	hmBottom = 72 // room for the impact labels and the axis title
	hmRight  = 8
)

// bandFill is the fill of a cell per band; the dark text on these light colours has a contrast above 7:1.
var bandFill = map[string]string{"low": "#bfe5cc", "medium": "#fbe3a1", "high": "#f3b0aa"}

// heatMapSVG draws the heat map of cells under method m. residual chooses which levels the cells count and
// which filter their links set on the register (/risks?likelihood=L&impact=I or residual_likelihood=L&residual_impact=I).
// Every piece of text from the method is escaped; the result is well-formed XML.
func heatMapSVG(m isms.RiskMethod, cells []service.HeatCell, residual bool) template.HTML {
	rows, cols := len(m.Likelihood), len(m.Impact)
	count := make(map[[2]int]int, len(cells))
	total := 0
	for _, c := range cells {
		if c.Likelihood >= 1 && c.Likelihood <= rows && c.Impact >= 1 && c.Impact <= cols && c.Count > 0 {
			count[[2]int{c.Likelihood, c.Impact}] += c.Count
			total += c.Count
		}
	}
	kind, id, lKey, iKey := "Inherent", "heat-inherent", "likelihood", "impact"
	if residual {
		kind, id, lKey, iKey = "Residual", "heat-residual", "residual_likelihood", "residual_impact"
	}
	width := hmLeft + cols*hmCellW + hmRight
	height := hmTop + rows*hmCellH + hmBottom
	gridBottom := hmTop + rows*hmCellH

	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-labelledby="%s-title %s-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" data-residual="%t" data-total="%d">`,
		width, height, width, height, id, id, residual, total)
	fmt.Fprintf(&b, `<title id="%s-title">%s risk heat map: %s</title>`, id, kind, e(countWord(total, "risk")))
	fmt.Fprintf(&b, `<desc id="%s-desc">Likelihood in rows (highest on top) by impact in columns; each cell is coloured by its band and shows how many risks it holds. A cell with risks links to them in the register.</desc>`, id)

	for r := 0; r < rows; r++ {
		l := rows - r // highest likelihood on top
		y := hmTop + r*hmCellH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="13" fill="#1d2430">%s</text>`,
			hmLeft-8, y+hmCellH/2+5, e(hmLabel(l, m.Likelihood[l-1].Label, 18)))
		for i := 1; i <= cols; i++ {
			x := hmLeft + (i-1)*hmCellW
			n := count[[2]int{l, i}]
			score := m.Score(l, i)
			band := m.Band(score)
			title := fmt.Sprintf("Likelihood %d (%s) × impact %d (%s): score %d, %s. %s.", l, m.Likelihood[l-1].Label, i,
				m.Impact[i-1].Label, score, band, countWord(n, "risk"))
			opacity, textFill, weight := "1", "#1d2430", "700"
			if n == 0 {
				opacity, textFill, weight = "0.5", "#5a6577", "400"
			}
			if n > 0 {
				href := "/risks?" + url.Values{lKey: {strconv.Itoa(l)}, iKey: {strconv.Itoa(i)}}.Encode()
				fmt.Fprintf(&b, `<a href="%s" class="cell-link">`, e(href))
				title += " Show them in the register."
			} else {
				b.WriteString(`<g>`)
			}
			fmt.Fprintf(&b, `<title>%s</title>`, e(title))
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" fill-opacity="%s" stroke="#ffffff" stroke-width="2" class="cell band-%s" data-likelihood="%d" data-impact="%d" data-count="%d"></rect>`,
				x, y, hmCellW, hmCellH, bandFill[band], opacity, band, l, i, n)
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="18" font-weight="%s" fill="%s">%d</text>`,
				x+hmCellW/2, y+hmCellH/2+6, weight, textFill, n)
			if n > 0 {
				b.WriteString(`</a>`)
			} else {
				b.WriteString(`</g>`)
			}
		}
	}
	for i := 1; i <= cols; i++ {
		x := hmLeft + (i-1)*hmCellW + hmCellW/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="13" font-weight="600" fill="#1d2430">%d</text>`, x, gridBottom+18, i)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="#1d2430">%s</text>`, x, gridBottom+34, e(hmShorten(m.Impact[i-1].Label, 12)))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="13" font-weight="600" fill="#5a6577">Impact →</text>`,
		hmLeft+cols*hmCellW/2, gridBottom+60)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="13" font-weight="600" fill="#5a6577" transform="rotate(-90)">Likelihood →</text>`,
		-(hmTop + rows*hmCellH/2), 16)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// hmLabel is "4 Likely", shortened to at most n characters of label.
func hmLabel(level int, label string, n int) string {
	return strconv.Itoa(level) + " " + hmShorten(label, n)
}

// hmShorten shortens s to at most n runes, marking the cut with an ellipsis.
func hmShorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// countWord is "1 risk", "3 risks", "no risks".
func countWord(n int, word string) string {
	switch n {
	case 0:
		return "no " + word + "s"
	case 1:
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
