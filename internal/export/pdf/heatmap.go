package pdf

import (
	"strconv"

	"github.com/praxis-isms/praxis/internal/export/table"
)

// HeatMap is a grid of counts: the levels of one scale in rows (the highest on top) by those of another in
// columns, each cell in the colour of its band.
type HeatMap struct {
	Title              string     // e.g. "Inherent risk"
	RowTitle, ColTitle string     // the scales' names, e.g. "Likelihood" and "Impact"
	Rows, Cols         []string   // the level labels, lowest first
	Counts             [][]int    // Counts[row][col], lowest levels first
	Bands              [][]string // the band of each cell, as Counts
	Note               string     // a line under the grid, e.g. "2 risks have no residual assessment"
}

// Swatch is one entry of a colour legend: a band and what it means.
type Swatch struct{ Band, Text string }

// Heat-map geometry in mm.
const (
	hmLabelW = 30.0 // the row labels left of the grid
	hmMaxW   = 22.0 // the widest a cell gets
	hmCellH  = 15.0
	hmGap    = 10.0 // between two maps
)

// HeatMaps draws the maps side by side on a new landscape page under a heading, with a legend of the bands.
func (d *Doc) HeatMaps(heading string, legend []Swatch, maps ...HeatMap) {
	d.begin("L")
	if d.f.GetY() > margin+1 || d.orient != "L" {
		d.newPage("L")
	}
	f := d.f
	f.SetFont(family, "B", 13)
	f.MultiCell(d.width(), 7, clean(heading), "", "L", false)
	f.Ln(1)
	d.legend(legend)
	f.Ln(4)
	top := f.GetY()
	mapW := (d.width() - hmGap*float64(max(len(maps)-1, 0))) / float64(max(len(maps), 1))
	bottom := top
	for k, m := range maps {
		bottom = max(bottom, d.heatMap(m, margin+float64(k)*(mapW+hmGap), top, mapW))
	}
	f.SetXY(margin, bottom+2)
}

// legend draws a row of coloured swatches with their texts.
func (d *Doc) legend(items []Swatch) {
	f := d.f
	x, y := margin, f.GetY()
	f.SetFont(family, "", 8)
	for _, it := range items {
		c, ok := table.BandColours[it.Band]
		if !ok {
			continue
		}
		f.SetFillColor(hexRGB(c.Fill))
		f.SetDrawColor(140, 153, 171)
		f.Rect(x, y+0.6, 4, 3.2, "FD")
		text := clean(it.Text)
		w := f.GetStringWidth(text) + 2
		f.SetXY(x+5, y)
		f.CellFormat(w, 4.4, text, "", 0, "L", false, 0, "")
		x += 5 + w + 5
	}
	f.SetXY(margin, y+4.4)
}

// heatMap draws one map with its top-left corner at (x, y) within width w and returns its bottom.
func (d *Doc) heatMap(m HeatMap, x, y, w float64) float64 {
	f := d.f
	rows, cols := len(m.Rows), len(m.Cols)
	if rows == 0 || cols == 0 {
		return y
	}
	cellW := min(hmMaxW, (w-hmLabelW)/float64(cols))
	f.SetFont(family, "B", 10)
	f.SetXY(x, y)
	f.CellFormat(w, 5, clean(m.Title), "", 0, "L", false, 0, "")
	y += 6
	f.SetFont(family, "I", 7.5)
	f.SetTextColor(60, 66, 76)
	f.SetXY(x, y)
	f.CellFormat(hmLabelW, 4, clean(m.RowTitle)+" ↑", "", 0, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	y += 5
	gx := x + hmLabelW
	for r := rows - 1; r >= 0; r-- {
		cy := y + float64(rows-1-r)*hmCellH
		// The row's label: its level number and name, wrapped at spaces in the label column.
		f.SetFont(family, "", 7)
		lines := d.wrap(strconv.Itoa(r+1)+" "+clean(m.Rows[r]), hmLabelW-2)
		ly := cy + (hmCellH-float64(len(lines))*3)/2
		for i, l := range lines {
			f.SetXY(x, ly+float64(i)*3)
			f.CellFormat(hmLabelW-2, 3, l, "", 0, "R", false, 0, "")
		}
		for c := 0; c < cols; c++ {
			cx := gx + float64(c)*cellW
			f.SetDrawColor(255, 255, 255)
			f.SetLineWidth(0.6)
			ink := [3]int{0, 0, 0}
			if colours, ok := table.BandColours[at(m.Bands, r, c)]; ok {
				f.SetFillColor(hexRGB(colours.Fill))
				ink[0], ink[1], ink[2] = hexRGB(colours.Ink)
			} else {
				f.SetFillColor(236, 239, 243)
			}
			f.Rect(cx, cy, cellW, hmCellH, "FD")
			f.SetLineWidth(0.2)
			if n := at(m.Counts, r, c); n > 0 {
				f.SetFont(family, "B", 11)
				f.SetTextColor(ink[0], ink[1], ink[2])
				f.SetXY(cx, cy)
				f.CellFormat(cellW, hmCellH, strconv.Itoa(n), "", 0, "CM", false, 0, "")
				f.SetTextColor(0, 0, 0)
			}
		}
	}
	gridBottom := y + float64(rows)*hmCellH
	// The column labels under the grid, wrapped at spaces.
	f.SetFont(family, "", 7)
	labelsBottom := gridBottom
	for c := 0; c < cols; c++ {
		lines := d.wrap(strconv.Itoa(c+1)+" "+clean(m.Cols[c]), cellW-1)
		for i, l := range lines {
			f.SetXY(gx+float64(c)*cellW, gridBottom+1+float64(i)*3)
			f.CellFormat(cellW, 3, l, "", 0, "C", false, 0, "")
		}
		labelsBottom = max(labelsBottom, gridBottom+1+float64(len(lines))*3)
	}
	f.SetFont(family, "I", 7.5)
	f.SetTextColor(60, 66, 76)
	f.SetXY(gx, labelsBottom+1)
	f.CellFormat(cellW*float64(cols), 4, clean(m.ColTitle)+" →", "", 0, "C", false, 0, "")
	bottom := labelsBottom + 5
	if m.Note != "" {
		f.SetFont(family, "", 7.5)
		f.SetXY(x, bottom+1)
		f.MultiCell(w, 3.6, clean(m.Note), "", "L", false)
		bottom = f.GetY()
	}
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(200, 205, 212)
	return bottom
}

// at is grid[r][c], or the zero value when the grid is smaller.
func at[T any](grid [][]T, r, c int) (v T) {
	if r < len(grid) && c < len(grid[r]) {
		v = grid[r][c]
	}
	return v
}
