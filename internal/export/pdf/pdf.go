// Package pdf writes documents an auditor reads as PDF with fpdf and the Go fonts (embedded as TrueType, so
// every Latin, Greek and Cyrillic character prints): a title block (organisation, title, when and by whom it
// was generated, and facts such as the filter, the sort and the risk method), tables whose headers are in words
// and whose cells wrap at spaces (a word too long for its column shrinks the font of its cell, never breaks),
// score cells in the colour of their band, heat maps, and a footer with "page x of y". Pages are A4 portrait
// unless a table needs the width of landscape or the document asks for landscape (Meta.Landscape).
package pdf

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/praxis-isms/praxis/internal/export/table"
)

// Meta is what the title block and the footer say.
type Meta struct {
	Organisation string
	Title        string    // the document title; WriteTable uses the sheet's title when empty
	Date         time.Time // when the document was made (the service's clock); shown as date and time in UTC
	GeneratedBy  string    // the person who exported it
	Facts        []Fact    // further lines of the title block: the filter, the sort, the risk method, a version
	// Landscape starts the document and every table on landscape pages, for tables with long text that read
	// better in wide rows.
	Landscape bool
	// Uncompressed leaves the page content streams readable (tests look for text in them).
	Uncompressed bool
}

// Fact is one labelled line of the title block, e.g. {"Filter", "treatment is modify"}.
type Fact struct{ Label, Value string }

const (
	family      = "go"
	margin      = 12.0 // mm
	footerGap   = 12.0 // room kept at the bottom of each page for the footer
	fontSize    = 7.0  // pt, table text
	minFontSize = 4.5  // pt, the smallest a cell shrinks to so that its longest word fits
	lineH       = 3.1  // mm per table line at fontSize
	padX        = 1.0  // mm cell padding
	padY        = 0.9
	// maxWordWidth caps how wide a column grows for the longest word of its sample rows, so that one long
	// address cannot take the page; longer words shrink their cell's font instead.
	maxWordWidth = 42.0
)

var a4 = fpdf.SizeType{Wd: 210, Ht: 297}

// Doc is a PDF document being built. Its first page (with the title block) is added with the first content,
// so that a document that starts with a wide table starts in landscape.
type Doc struct {
	f       *fpdf.Fpdf
	meta    Meta
	started bool
	orient  string // "P" or "L": the orientation of the current page
}

// New starts a document with the Go fonts and the footer; the title block opens its first page.
func New(m Meta) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	// Each document gets its own copy of the font files: while subsetting them fpdf appends to slices of the
	// bytes it was given (utf8FontFile.getMetrics, for glyphs past the font's horizontal metrics), which wrote
	// into the shared embedded fonts when two documents were written at once (a data race seen in CI).
	f.AddUTF8FontFromBytes(family, "", slices.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(family, "B", slices.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(family, "I", slices.Clone(goitalic.TTF))
	f.SetCompression(!m.Uncompressed)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, footerGap+2)
	f.SetTitle(clean(m.Title), true)
	f.SetAuthor(clean(m.Organisation), true)
	f.SetCreator("praxis", false)
	if !m.Date.IsZero() {
		f.SetCreationDate(m.Date.UTC())
		f.SetModificationDate(m.Date.UTC())
	}
	f.AliasNbPages("{nb}")
	d := &Doc{f: f, meta: m, orient: "P"}
	if m.Landscape {
		d.orient = "L"
	}
	f.SetFooterFunc(d.footer)
	return d
}

// begin opens the first page, in the orientation given, with the title block; later calls do nothing.
func (d *Doc) begin(orient string) {
	if d.started {
		return
	}
	d.started = true
	d.newPage(orient)
	d.titleBlock()
}

// newPage adds an A4 page in the orientation given.
func (d *Doc) newPage(orient string) {
	d.orient = orient
	d.f.AddPageFormat(orient, a4)
}

// width is the width between the margins of the current page.
func (d *Doc) width() float64 {
	w, _ := d.f.GetPageSize()
	return w - 2*margin
}

func (d *Doc) footer() {
	f := d.f
	w, h := f.GetPageSize()
	f.SetFont(family, "", 7)
	f.SetTextColor(90, 98, 110)
	f.SetDrawColor(200, 205, 212)
	f.Line(margin, h-footerGap+1, w-margin, h-footerGap+1)
	f.SetXY(margin, h-footerGap+2)
	left := strings.TrimSpace(strings.Join(nonEmpty(clean(d.meta.Organisation), clean(d.meta.Title)), " · "))
	f.CellFormat((w-2*margin)/2, 4, left, "", 0, "L", false, 0, "")
	f.CellFormat((w-2*margin)/2, 4, fmt.Sprintf("page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// titleBlock writes the organisation, the title, then one labelled line per fact: when and by whom the
// document was generated first.
func (d *Doc) titleBlock() {
	f, m := d.f, d.meta
	width := d.width()
	if m.Organisation != "" {
		f.SetFont(family, "", 11)
		f.SetTextColor(90, 98, 110)
		f.MultiCell(width, 5, clean(m.Organisation), "", "L", false)
	}
	f.SetFont(family, "B", 18)
	f.SetTextColor(20, 28, 40)
	f.MultiCell(width, 8, clean(firstNonEmpty(m.Title, "Report")), "", "L", false)
	f.Ln(1)
	var facts []Fact
	if !m.Date.IsZero() {
		facts = append(facts, Fact{"Generated", m.Date.UTC().Format("2 January 2006, 15:04 UTC")})
	}
	if m.GeneratedBy != "" {
		facts = append(facts, Fact{"Generated by", m.GeneratedBy})
	}
	facts = append(facts, m.Facts...)
	// Labels share one column, 26 mm unless a label needs more.
	labelW := 26.0
	f.SetFont(family, "B", 8.5)
	for _, fact := range facts {
		labelW = max(labelW, f.GetStringWidth(clean(fact.Label))+3)
	}
	for _, fact := range facts {
		if strings.TrimSpace(fact.Value) == "" {
			continue
		}
		f.SetTextColor(60, 66, 76)
		f.SetFont(family, "B", 8.5)
		f.SetX(margin)
		f.CellFormat(labelW, 4.2, clean(fact.Label), "", 0, "L", false, 0, "")
		f.SetFont(family, "", 8.5)
		f.MultiCell(width-labelW, 4.2, clean(fact.Value), "", "L", false)
	}
	f.Ln(1.5)
	f.SetDrawColor(140, 153, 171)
	f.Line(margin, f.GetY(), margin+width, f.GetY())
	f.Ln(3)
	f.SetTextColor(0, 0, 0)
}

// headingKeep is the room a heading needs below it (its table's header and first rows): less than that left on
// the page moves the heading to the next page, so that it never stands alone at the bottom.
const headingKeep = 30.0 // mm

// Heading writes a section heading.
func (d *Doc) Heading(text string) {
	d.begin(d.orient)
	if _, ph := d.f.GetPageSize(); d.f.GetY()+headingKeep > ph-footerGap-2 {
		d.newPage(d.orient)
	}
	d.f.SetFont(family, "B", 11)
	d.f.MultiCell(d.width(), 6, clean(text), "", "L", false)
	d.f.Ln(1)
}

// Paragraph writes wrapped body text.
func (d *Doc) Paragraph(text string) {
	d.begin(d.orient)
	d.f.SetFont(family, "", 9)
	d.f.MultiCell(d.width(), 4.5, clean(text), "", "L", false)
	d.f.Ln(1.5)
}

// sampleRows is how many rows Table reads before it lays out the columns.
const sampleRows = 100

// cell is one table cell laid out: its lines, the font size they fit at, and the band that colours it.
type cell struct {
	lines []string
	size  float64
	band  string
}

func (c cell) height() float64 { return float64(len(c.lines)) * lineH * c.size / fontSize }

// Table writes s (but its DataOnly columns) as a table: headers in words, columns sharing the width in
// proportion to their Width, cells wrapped at spaces, rows never split across pages, the header row repeated at
// the top of every page, banded scores in their band's colour. A column is at least as wide as the longest word
// of its header and of its first rows (up to maxWordWidth) and, when NoWrap, as its widest value among them; a
// word still too wide shrinks its cell's font. The table goes landscape when its columns do not fit portrait.
// "(no rows)" stands in for an empty table.
func (d *Doc) Table(s *table.Sheet) error {
	f := d.f
	var shown []int
	for i, c := range s.Columns {
		if !c.DataOnly {
			shown = append(shown, i)
		}
	}
	headers := make([]string, len(shown))
	cols := make([]table.Column, len(shown))
	for k, i := range shown {
		cols[k], headers[k] = s.Columns[i], s.Columns[i].Title()
	}
	var widths []float64
	var head []cell
	var maxH float64 // the most a row may take: a page below the header; longer cells are cut with an ellipsis
	drawHeader := func() {
		f.SetFillColor(231, 236, 243)
		d.drawRow(head, widths, true, "B")
	}
	// layout sizes the columns from the header and the sample rows, chooses the orientation and starts the table.
	layout := func(sample [][]any) {
		mins, prefs := d.columnMins(cols, headers, sample, shown)
		need := 0.0
		for i := range cols {
			need += max(mins[i], prefs[i])
		}
		orient := "P"
		if need > a4.Wd-2*margin || d.meta.Landscape {
			orient = "L"
		}
		if !d.started {
			d.begin(orient)
		} else if orient == "L" && d.orient == "P" {
			d.newPage("L")
		}
		_, ph := f.GetPageSize()
		bottom := ph - footerGap - 2
		widths = columnWidths(cols, mins, d.width())
		f.SetFont(family, "B", fontSize)
		head = d.layoutRow(headers, nil, nil, widths, "B", 0)
		maxH = bottom - margin - rowHeight(head) - 2*padY
		if f.GetY()+rowHeight(head)+lineH+2*padY > bottom {
			d.newPage(d.orient)
		}
		drawHeader()
	}
	n := 0
	draw := func(row []any) error {
		texts, bands := cellTexts(row, shown)
		cells := d.layoutRow(texts, bands, cols, widths, "", maxH)
		_, ph := f.GetPageSize()
		if f.GetY()+rowHeight(cells) > ph-footerGap-2 {
			d.newPage(d.orient)
			drawHeader()
		}
		n++
		f.SetFillColor(246, 248, 251)
		d.drawRow(cells, widths, n%2 == 0, "")
		return f.Error()
	}
	var sample [][]any
	laidOut := false
	flush := func() error {
		layout(sample)
		laidOut = true
		for _, row := range sample {
			if err := draw(row); err != nil {
				return err
			}
		}
		sample = nil
		return nil
	}
	err := s.Each(func(r table.Row) error {
		if laidOut {
			return draw(r)
		}
		if sample = append(sample, append([]any(nil), r...)); len(sample) == sampleRows {
			return flush()
		}
		return nil
	})
	if err == nil && !laidOut {
		err = flush()
	}
	if err != nil {
		return err
	}
	if n == 0 {
		f.SetFont(family, "I", fontSize+1)
		f.CellFormat(d.width(), 6, "(no rows)", "", 1, "L", false, 0, "")
	}
	f.Ln(2)
	return f.Error()
}

// cellTexts gives the text and the band of the shown cells of a row: a Labelled reference shows its label.
func cellTexts(row []any, shown []int) (texts, bands []string) {
	texts, bands = make([]string, len(shown)), make([]string, len(shown))
	for k, i := range shown {
		switch v := row[i].(type) {
		case table.Labelled:
			texts[k] = firstNonEmpty(v.Label, v.Value)
		case table.Banded:
			texts[k], bands[k] = table.Text(v), v.Band
		default:
			texts[k] = table.Text(v)
		}
	}
	return texts, bands
}

// columnMins measures the columns: the least width each needs (its header's longest word, its sample's longest
// word up to maxWordWidth, its widest value when NoWrap) and the width its Width in characters asks for.
func (d *Doc) columnMins(cols []table.Column, headers []string, sample [][]any, shown []int) (mins, prefs []float64) {
	f := d.f
	mins, prefs = make([]float64, len(cols)), make([]float64, len(cols))
	f.SetFont(family, "B", fontSize)
	for i, h := range headers {
		for _, word := range strings.Fields(clean(h)) {
			mins[i] = max(mins[i], f.GetStringWidth(word))
		}
	}
	f.SetFont(family, "", fontSize)
	digit := f.GetStringWidth("0")
	for _, row := range sample {
		texts, _ := cellTexts(row, shown)
		for i, t := range texts {
			t = clean(t)
			if cols[i].NoWrap {
				mins[i] = max(mins[i], f.GetStringWidth(t))
				continue
			}
			for _, word := range strings.Fields(t) {
				mins[i] = max(mins[i], min(f.GetStringWidth(word), maxWordWidth))
			}
		}
	}
	for i, c := range cols {
		mins[i] += 2*padX + 0.5
		prefs[i] = max(c.Width, 1) * digit
	}
	return mins, prefs
}

// Write finishes the document and writes it to w.
func (d *Doc) Write(w io.Writer) error {
	d.begin(d.orient)
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return d.f.Output(w)
}

// WriteTable writes a whole document: the title block and s as one table.
func WriteTable(w io.Writer, s *table.Sheet, m Meta) error {
	if m.Title == "" {
		m.Title = s.Title
	}
	d := New(m)
	if err := d.Table(s); err != nil {
		return err
	}
	return d.Write(w)
}

// columnWidths shares total among the columns in proportion to their Width, giving every column at least its
// minimum when all minimums fit, and a share in proportion to its minimum when they do not.
func columnWidths(cols []table.Column, mins []float64, total float64) []float64 {
	sumMin := 0.0
	for _, m := range mins {
		sumMin += m
	}
	if sumMin > total {
		ws := make([]float64, len(cols))
		for i, m := range mins {
			ws[i] = m * total / sumMin
		}
		return ws
	}
	weights := make([]float64, len(cols))
	for i, c := range cols {
		weights[i] = c.Width
		if weights[i] <= 0 {
			weights[i] = 10
		}
	}
	fixed := make([]bool, len(cols))
	ws := make([]float64, len(cols))
	for {
		rest, sumW := total, 0.0
		for i := range cols {
			if fixed[i] {
				rest -= ws[i]
			} else {
				sumW += weights[i]
			}
		}
		changed := false
		for i := range cols {
			if fixed[i] {
				continue
			}
			ws[i] = weights[i] / sumW * rest
			if ws[i] < mins[i] {
				ws[i], fixed[i], changed = mins[i], true, true
			}
		}
		if !changed {
			return ws
		}
	}
}

func rowHeight(cells []cell) float64 {
	h := lineH
	for _, c := range cells {
		h = max(h, c.height())
	}
	return h + 2*padY
}

// layoutRow wraps every cell to its column width in the font style given (a NoWrap column's value counts as
// one word); maxH > 0 cuts cells taller than that with an ellipsis.
func (d *Doc) layoutRow(texts, bands []string, cols []table.Column, widths []float64, style string, maxH float64) []cell {
	out := make([]cell, len(texts))
	for i, t := range texts {
		c := d.layoutCell(clean(t), widths[i]-2*padX, style, cols != nil && cols[i].NoWrap)
		if maxH > 0 && c.height() > maxH {
			keep := max(int(maxH/(lineH*c.size/fontSize)), 1)
			c.lines = c.lines[:keep]
			c.lines[keep-1] = strings.TrimRight(c.lines[keep-1], " ") + " …"
		}
		if bands != nil {
			c.band = bands[i]
		}
		out[i] = c
	}
	return out
}

// layoutCell wraps text into lines no wider than w at spaces. When a word (all of the text when whole) is
// wider than w the cell's font shrinks until it fits (down to minFontSize); only a word too wide even then is
// broken.
func (d *Doc) layoutCell(text string, w float64, style string, whole bool) cell {
	f := d.f
	f.SetFont(family, style, fontSize)
	words := strings.Fields(text)
	if whole {
		words = []string{text}
	}
	widest := 0.0
	for _, word := range words {
		widest = max(widest, f.GetStringWidth(word))
	}
	size := fontSize
	if widest > w {
		// Text width grows with the font size; a little slack keeps rounding from breaking the word after all.
		size = max(minFontSize, fontSize*w/widest*0.98)
		size = float64(int(size*4)) / 4
		f.SetFont(family, style, size)
	}
	return cell{lines: d.wrap(text, w), size: size}
}

// drawRow draws one row of cells at the current position and moves below it: a banded cell in its band's
// colours, the others filled (fill) with the current fill colour or not at all.
func (d *Doc) drawRow(cells []cell, widths []float64, fill bool, style string) {
	f := d.f
	h := rowHeight(cells)
	x0, y0 := margin, f.GetY()
	// The cell's own padding is padX; fpdf's cell margin would come on top of it on the left, and a line wrapped
	// to the full width would then touch the right border.
	cm := f.GetCellMargin()
	f.SetCellMargin(0)
	defer f.SetCellMargin(cm)
	f.SetDrawColor(200, 205, 212)
	fr, fg, fb := f.GetFillColor()
	x := x0
	for i, c := range cells {
		colours, banded := table.BandColours[c.band]
		switch {
		case banded:
			f.SetFillColor(hexRGB(colours.Fill))
			f.Rect(x, y0, widths[i], h, "FD")
			f.SetFillColor(fr, fg, fb)
			f.SetTextColor(hexRGB(colours.Ink))
		case fill:
			f.Rect(x, y0, widths[i], h, "FD")
		default:
			f.Rect(x, y0, widths[i], h, "D")
		}
		f.SetFont(family, style, c.size)
		lh := lineH * c.size / fontSize
		for j, l := range c.lines {
			f.SetXY(x+padX, y0+padY+float64(j)*lh)
			f.CellFormat(widths[i]-2*padX, lh, l, "", 0, "L", false, 0, "")
		}
		f.SetTextColor(0, 0, 0)
		x += widths[i]
	}
	f.SetXY(x0, y0+h)
}

// hexRGB reads "RRGGBB".
func hexRGB(h string) (r, g, b int) {
	v, _ := strconv.ParseUint(h, 16, 32)
	return int(v >> 16 & 0xFF), int(v >> 8 & 0xFF), int(v & 0xFF)
}

// wrap breaks text into lines no wider than w with the current font: at spaces, and inside a word only when
// the word alone is wider than w.
func (d *Doc) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if d.f.GetStringWidth(cand) <= w {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
				line = ""
			}
			for d.f.GetStringWidth(word) > w {
				cut := d.fit(word, w)
				out = append(out, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		out = append(out, line)
	}
	for len(out) > 1 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// fit returns the byte length of the longest prefix of word (at least one rune) that fits in w. fpdf does
// not kern, so widths add up rune by rune.
func (d *Doc) fit(word string, w float64) int {
	cut, sum := 0, 0.0
	for i, r := range word {
		sum += d.f.GetStringWidth(string(r))
		if cut > 0 && sum > w {
			break
		}
		cut = i + utf8.RuneLen(r)
	}
	return cut
}

// clean makes text safe for the PDF fonts: valid UTF-8, no control characters but newlines, and nothing
// outside the Basic Multilingual Plane (which the font tables do not cover).
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case r > 0xFFFF:
			return '\uFFFD'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, strings.ReplaceAll(s, "\r\n", "\n"))
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

func firstNonEmpty(vals ...string) string {
	if v := nonEmpty(vals...); len(v) > 0 {
		return v[0]
	}
	return ""
}
