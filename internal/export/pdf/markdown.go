package pdf

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/gomono"

	"github.com/praxis-isms/praxis/internal/export/table"
)

// DocMeta is what the title block of a controlled document says.
type DocMeta struct {
	Organisation string
	Title        string
	Ref          string // the document's reference, e.g. "DOC-004"
	Version      int    // 0: not shown
	Status       string // draft, in review, approved, retired
	Owner        string
	Approver     string
	Approved     time.Time // zero when not approved
	// SHA256 is the hex SHA-256 of the content as stored; empty computes it from the Markdown given.
	SHA256      string
	Date        time.Time // when the PDF was made
	GeneratedBy string
	// Uncompressed leaves the page content streams readable (tests look for text in them).
	Uncompressed bool
}

// Body text sizes of a Markdown document.
const (
	mdSize    = 10.0 // pt
	mdLineH   = 5.0  // mm
	mdCode    = 8.5  // pt, code blocks and inline code
	mdIndent  = 6.0  // mm per list or quote level
	mdMaxNest = 4    // deeper lists and quotes indent no further, so that text keeps room on the page
	monoFont  = "gomono"
	// mdKeep is the room a heading keeps below it for the first lines of what follows (a table's first rows
	// are measured); with less left on the page the heading starts the next page.
	mdKeep = 16.0 // mm
)

var headingSizes = []float64{16, 13, 11.5, 10.5}

// markdownParser reads GitHub-flavoured Markdown (tables, strikethrough, autolinks). It keeps raw HTML as
// nodes, which the renderer prints as text and never interprets.
var markdownParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify)).Parser()

// Markdown writes a controlled document as PDF: a title block with its reference, version, status, owner,
// approver, approval date and the SHA-256 of its content, then the Markdown rendered (headings, paragraphs
// with bold, italic and code, lists, tables, code blocks, quotes, links as text with their URL), never as raw
// Markdown, with "page x of y" in the footer.
func Markdown(w io.Writer, meta DocMeta, markdown string) error {
	hash := meta.SHA256
	if hash == "" {
		sum := sha256.Sum256([]byte(markdown))
		hash = hex.EncodeToString(sum[:])
	}
	var facts []Fact
	if meta.Ref != "" {
		facts = append(facts, Fact{"Reference", meta.Ref})
	}
	if meta.Version > 0 {
		facts = append(facts, Fact{"Version", strconv.Itoa(meta.Version)})
	}
	facts = append(facts, Fact{"Status", meta.Status}, Fact{"Owner", meta.Owner}, Fact{"Approved by", meta.Approver})
	if !meta.Approved.IsZero() {
		facts = append(facts, Fact{"Approved on", meta.Approved.UTC().Format("2 January 2006")})
	}
	facts = append(facts, Fact{"SHA-256", hash})
	d := New(Meta{Organisation: meta.Organisation, Title: meta.Title, Date: meta.Date, GeneratedBy: meta.GeneratedBy,
		Facts: facts, Uncompressed: meta.Uncompressed})
	d.f.AddUTF8FontFromBytes(family, "BI", gobolditalic.TTF)
	d.f.AddUTF8FontFromBytes(monoFont, "", gomono.TTF)
	d.begin("P")
	src := []byte(markdown)
	r := &mdRenderer{d: d, src: src}
	r.blocks(markdownParser.Parse(text.NewReader(src)), 0)
	return d.Write(w)
}

// mdRenderer walks goldmark's syntax tree and draws each block at the current position.
type mdRenderer struct {
	d   *Doc
	src []byte
	rgb [3]int // the colour of body text here: darker in headings, greyer in quotes
}

// ink sets the text colour of the current block.
func (r *mdRenderer) ink() { r.d.f.SetTextColor(r.rgb[0], r.rgb[1], r.rgb[2]) }

// run is a piece of inline text in one style.
type run struct {
	text  string
	style string // "", "B", "I", "BI"
	code  bool
	link  string
}

// bottom is the lowest y body text may reach on the current page.
func (r *mdRenderer) bottom() float64 {
	_, h := r.d.f.GetPageSize()
	return h - footerGap - 2
}

// room starts a new page unless h mm are left on this one.
func (r *mdRenderer) room(h float64) {
	if r.d.f.GetY()+h > r.bottom() {
		r.d.newPage(r.d.orient)
	}
}

// keep is the room the start of block n needs: its first lines, or a table's header and first two rows
// (estimated with equal columns), at most half a page.
func (r *mdRenderer) keep(n ast.Node) float64 {
	t, ok := n.(*east.Table)
	if !ok {
		return mdKeep
	}
	f := r.d.f
	_, ph := f.GetPageSize()
	f.SetFont(family, "B", fontSize)
	need, rows := 2.0, 0
	for row := t.FirstChild(); row != nil && rows < 3; row = row.NextSibling() {
		rows++
		tallest := 1.0
		ncol := max(row.ChildCount(), 1)
		w := r.d.width()/float64(ncol) - 2*padX
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			tallest = max(tallest, math.Ceil(f.GetStringWidth(plain(r.runs(c, "", "")))/w))
		}
		need += tallest*lineH + 2*padY
	}
	return min(need, (ph-2*margin)/2)
}

// indentTo sets the left margin for a nesting depth and moves there.
func (r *mdRenderer) indentTo(depth int) {
	left := margin + float64(min(depth, mdMaxNest))*mdIndent
	r.d.f.SetLeftMargin(left)
	r.d.f.SetX(left)
}

// blocks draws the children of n at the nesting depth given.
func (r *mdRenderer) blocks(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.block(c, depth)
	}
}

func (r *mdRenderer) block(n ast.Node, depth int) {
	f := r.d.f
	switch n := n.(type) {
	case *ast.Heading:
		level := min(max(n.Level, 1), len(headingSizes)) - 1
		if f.GetY() > margin+1 {
			f.Ln(2.5 - float64(level)*0.5)
		}
		r.room(headingSizes[level]*0.5 + 1 + r.keep(n.NextSibling()))
		r.indentTo(depth)
		saved := r.rgb
		r.rgb = [3]int{20, 28, 40}
		r.inline(r.runs(n, "B", ""), headingSizes[level], headingSizes[level]*0.5)
		r.rgb = saved
		f.Ln(headingSizes[level]*0.5 + 1)
	case *ast.Paragraph:
		r.indentTo(depth)
		r.inline(r.runs(n, "", ""), mdSize, mdLineH)
		f.Ln(mdLineH + 1.5)
	case *ast.TextBlock: // the text of a tight list item: no gap after it
		r.indentTo(depth)
		r.inline(r.runs(n, "", ""), mdSize, mdLineH)
		f.Ln(mdLineH)
	case *ast.List:
		r.list(n, depth)
		if depth == 0 {
			f.Ln(1.5)
		}
	case *ast.Blockquote:
		r.quote(n, depth)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		r.code(n, depth)
	case *ast.HTMLBlock:
		// Raw HTML is shown as the text it is, never interpreted.
		r.codeText(r.lines(n), depth)
	case *ast.ThematicBreak:
		r.room(6)
		f.Ln(2)
		f.SetDrawColor(180, 186, 196)
		w, _ := f.GetPageSize()
		f.Line(margin, f.GetY(), w-margin, f.GetY())
		f.Ln(4)
	case *east.Table:
		r.table(n)
	default:
		if n.Type() == ast.TypeBlock {
			r.blocks(n, depth)
		}
	}
	r.indentTo(0)
}

// list draws a bullet or numbered list; items' blocks are indented past their marker.
func (r *mdRenderer) list(n *ast.List, depth int) {
	f := r.d.f
	num := n.Start
	if num == 0 {
		num = 1
	}
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "•"
		if n.IsOrdered() {
			marker = strconv.Itoa(num) + "."
			num++
		}
		r.room(mdLineH)
		r.indentTo(depth)
		f.SetFont(family, "", mdSize)
		r.ink()
		// The marker stays on the line; the item's first block goes on from its right (block indents to it).
		f.CellFormat(mdIndent, mdLineH, marker, "", 0, "L", false, 0, "")
		if item.FirstChild() == nil {
			f.Ln(mdLineH)
		}
		r.blocks(item, depth+1)
	}
}

// quote draws a block quote indented with a bar on its left.
func (r *mdRenderer) quote(n ast.Node, depth int) {
	f := r.d.f
	r.room(mdLineH)
	page, y0 := f.PageNo(), f.GetY()
	saved := r.rgb
	r.rgb = [3]int{70, 76, 88}
	r.blocks(n, depth+1)
	r.rgb = saved
	if f.PageNo() != page {
		y0 = margin
	}
	x := margin + float64(min(depth, mdMaxNest))*mdIndent + 1.5
	f.SetDrawColor(170, 178, 190)
	f.SetLineWidth(0.8)
	f.Line(x, y0, x, f.GetY()-1.5)
	f.SetLineWidth(0.2)
}

// lines is the text of a block's source lines.
func (r *mdRenderer) lines(n ast.Node) string {
	var b strings.Builder
	segs := n.Lines()
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		b.Write(seg.Value(r.src))
	}
	return b.String()
}

func (r *mdRenderer) code(n ast.Node, depth int) {
	r.codeText(r.lines(n), depth)
}

// codeText draws preformatted text in the monospaced font on a grey ground, lines kept as typed (tabs as
// four spaces) and wrapped only when too long for the page.
func (r *mdRenderer) codeText(s string, depth int) {
	f := r.d.f
	s = strings.TrimRight(strings.ReplaceAll(s, "\t", "    "), "\n")
	r.indentTo(depth)
	w, _ := f.GetPageSize()
	width := w - margin - f.GetX()
	f.SetFont(monoFont, "", mdCode)
	f.SetFillColor(242, 244, 247)
	cm := f.GetCellMargin()
	f.SetCellMargin(2)
	defer f.SetCellMargin(cm)
	for _, line := range strings.Split(clean(s), "\n") {
		r.room(4.2)
		r.ink()
		f.MultiCell(width, 4.2, line, "", "L", true)
		r.indentTo(depth)
	}
	f.Ln(2)
}

// table draws a Markdown table with the register tables' layout: header row, cells wrapped at spaces, rows
// kept whole, the header repeated on every page. Columns share the width by the length of their text.
func (r *mdRenderer) table(n *east.Table) {
	var rows [][]string
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, plain(r.runs(c, "", "")))
		}
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		return
	}
	ncol := len(n.Alignments)
	for _, row := range rows {
		ncol = max(ncol, len(row))
	}
	cols := make([]table.Column, ncol)
	for i := range cols {
		cols[i].Label = " " // a header cell left empty stays empty rather than showing the column's key
		if i < len(rows[0]) && strings.TrimSpace(rows[0][i]) != "" {
			cols[i].Label = rows[0][i]
		}
		cols[i].Width = 4
		for _, row := range rows {
			if i < len(row) {
				cols[i].Width = max(cols[i].Width, min(float64(len([]rune(row[i]))), 60))
			}
		}
	}
	fitPortrait(r.d, cols, rows)
	body := rows[1:]
	sheet := &table.Sheet{Columns: cols, Rows: func(emit func(table.Row) error) error {
		for _, row := range body {
			out := make(table.Row, ncol)
			for i := range out {
				if i < len(row) {
					out[i] = row[i]
				}
			}
			if err := emit(out); err != nil {
				return err
			}
		}
		return nil
	}}
	r.d.f.Ln(1)
	_ = r.d.Table(sheet) // an error stays on the document and Write reports it
	r.d.f.Ln(1)
}

// fitPortrait scales the columns' Width (their share of the page) down until the table fits a portrait
// page with every column as wide as its longest word, as Doc.Table measures them; only words too long for
// portrait then turn the page.
func fitPortrait(d *Doc, cols []table.Column, rows [][]string) {
	f := d.f
	f.SetFont(family, "", fontSize)
	digit := f.GetStringWidth("0")
	mins := make([]float64, len(cols))
	for _, row := range rows {
		for i := range min(len(row), len(cols)) {
			for _, word := range strings.Fields(clean(row[i])) {
				mins[i] = max(mins[i], min(f.GetStringWidth(word)*1.1, maxWordWidth)) // 1.1: headers are bold
			}
		}
	}
	for range 40 {
		need := 0.0
		for i, c := range cols {
			need += max(mins[i]+2*padX+0.5, max(c.Width, 1)*digit)
		}
		if need <= a4.Wd-2*margin {
			return
		}
		for i := range cols {
			cols[i].Width *= 0.9
		}
	}
}

// plain is the text of runs, links with their URL.
func plain(runs []run) string {
	var b strings.Builder
	for _, x := range runs {
		b.WriteString(x.text)
	}
	return strings.TrimSpace(b.String())
}

// runs flattens the inline content of n into styled runs; a link's URL follows its text in brackets unless
// the text is the URL.
func (r *mdRenderer) runs(n ast.Node, style, link string) []run {
	var out []run
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			out = append(out, run{text: string(c.Segment.Value(r.src)), style: style, link: link})
			if c.HardLineBreak() {
				out = append(out, run{text: "\n", style: style})
			} else if c.SoftLineBreak() {
				out = append(out, run{text: " ", style: style})
			}
		case *ast.String:
			out = append(out, run{text: string(c.Value), style: style, link: link})
		case *ast.CodeSpan:
			out = append(out, run{text: plain(r.runs(c, "", "")), code: true, link: link})
		case *ast.Emphasis:
			out = append(out, r.runs(c, addStyle(style, c.Level), link)...)
		case *ast.Link:
			url := string(c.Destination)
			inner := r.runs(c, style, url)
			out = append(out, inner...)
			if t := plain(inner); url != "" && t != url && "mailto:"+t != url {
				out = append(out, run{text: " (" + url + ")", style: style, link: url})
			}
		case *ast.AutoLink:
			url := string(c.URL(r.src))
			out = append(out, run{text: string(c.Label(r.src)), style: style, link: url})
		case *ast.Image:
			alt := plain(r.runs(c, "", ""))
			out = append(out, run{text: fmt.Sprintf("[image: %s] (%s)", alt, c.Destination), style: style})
		case *ast.RawHTML:
			segs := c.Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				out = append(out, run{text: string(seg.Value(r.src)), style: style})
			}
		default:
			out = append(out, r.runs(c, style, link)...)
		}
	}
	return out
}

// addStyle adds italic (level 1) or bold (level 2 and more) to a style.
func addStyle(style string, level int) string {
	b, i := strings.Contains(style, "B"), strings.Contains(style, "I")
	if level >= 2 {
		b = true
	} else {
		i = true
	}
	switch {
	case b && i:
		return "BI"
	case b:
		return "B"
	case i:
		return "I"
	}
	return ""
}

// token is one word of inline text: what separates it from the word before (a space, a hard line break, or
// nothing inside a word whose styles change) and the style it is drawn in.
type token struct {
	word  string
	space bool
	br    bool
	run   run
}

// tokens splits runs into words.
func tokens(runs []run) []token {
	var out []token
	space := false
	for _, x := range runs {
		t := clean(x.text)
		x.text = "" // tokens of one style compare equal
		for i, line := range strings.Split(t, "\n") {
			if i > 0 {
				out, space = append(out, token{br: true}), false
			}
			for len(line) > 0 {
				trimmed := strings.TrimLeft(line, " ")
				space = space || len(trimmed) < len(line)
				if trimmed == "" {
					break
				}
				end := strings.IndexByte(trimmed, ' ')
				if end < 0 {
					end = len(trimmed)
				}
				out, space = append(out, token{word: trimmed[:end], space: space, run: x}), false
				line = trimmed[end:]
			}
		}
	}
	return out
}

// inline writes runs as flowing text from the current position, wrapping at spaces between the left margin
// and the right one (a word wider than the line is broken), and leaves the position after the last word.
// Each stretch of one style on one line is one piece of text in the PDF. Links are live and blue; code is
// monospaced. It lays out words itself, in time linear in the text, rather than with fpdf's Write.
func (r *mdRenderer) inline(runs []run, size, lineH float64) {
	f := r.d.f
	left, _, right, _ := f.GetMargins()
	pw, _ := f.GetPageSize()
	right = pw - right
	setFont := func(x run) {
		if x.code {
			f.SetFont(monoFont, "", size*0.9)
		} else {
			f.SetFont(family, x.style, size)
		}
	}
	x, y := f.GetX(), f.GetY()
	var seg strings.Builder
	var segRun run
	segX := x
	flush := func() {
		if seg.Len() == 0 {
			return
		}
		setFont(segRun)
		if segRun.link != "" {
			f.SetTextColor(30, 80, 160)
		} else {
			r.ink()
		}
		f.SetXY(segX, y)
		text := seg.String()
		f.CellFormat(f.GetStringWidth(text), lineH, text, "", 0, "L", false, 0, segRun.link)
		seg.Reset()
	}
	newline := func() {
		flush()
		x, y = left, y+lineH
		if y+lineH > r.bottom() {
			r.d.newPage(r.d.orient)
			y = f.GetY()
		}
		segX = x
	}
	atStart := func() bool { return x <= left+0.01 }
	for _, t := range tokens(runs) {
		if t.br {
			newline()
			continue
		}
		setFont(t.run)
		sp := ""
		if t.space && !atStart() {
			sp = " "
		}
		if x+f.GetStringWidth(sp+t.word) > right && !atStart() {
			newline()
			sp = ""
		}
		if t.run != segRun {
			flush()
			segRun, segX = t.run, x
		}
		setFont(t.run) // flush and newline draw in the font of the stretch before
		word := sp + t.word
		for f.GetStringWidth(word) > right-x {
			cut := r.d.fit(word, right-x)
			seg.WriteString(word[:cut])
			word = word[cut:]
			newline()
			setFont(t.run)
		}
		seg.WriteString(word)
		x += f.GetStringWidth(word)
	}
	flush()
	f.SetXY(x, y)
}
