package pdf_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/policy"
)

var docMeta = pdf.DocMeta{Organisation: "Acme Ltd", Title: "Secure development policy", Ref: "DOC-007", Version: 3,
	Status: "approved", Owner: "Olivia Owner", Approver: "Sam Sponsor", Approved: time.Date(2026, 2, 20, 10, 0, 0, 0, time.UTC),
	Date: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), GeneratedBy: "Eddie Editor", Uncompressed: true}

func markdown(t testing.TB, m pdf.DocMeta, md string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pdf.Markdown(&buf, m, md); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[len(b)-20:], []byte("%%EOF")) {
		t.Fatal("not a complete PDF")
	}
	return b
}

var pageRE = regexp.MustCompile(`/Type /Page\b`)

// pages splits an uncompressed PDF into its pages' content: fpdf writes each page object just before the page's
// content stream.
func pages(b []byte) [][]byte {
	idx := pageRE.FindAllIndex(b, -1)
	out := make([][]byte, len(idx))
	for i, at := range idx {
		end := len(b)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		out[i] = b[at[1]:end]
	}
	return out
}

const sample = `# Secure development

Our rules apply to **every change**, to *every* engineer and to ` + "`main`" + `.
A second line of the same paragraph, and a [guide](https://owasp.org/cheats) link.

## Rules

1. Review every change
2. Scan in CI
   - static analysis
   - dependency scan
3. Train every year

- first bullet
- second bullet

| Environment | Who may write | Data |
| --- | --- | --- |
| Production | operations only | real customer data |
| Test | engineers | synthetic data |

> Quoted advice that matters.

` + "```" + `
go vet ./...
	staticcheck ./...
` + "```" + `

---

### Last words
`

func TestMarkdownTitleBlockAndContent(t *testing.T) {
	b := markdown(t, docMeta, sample)
	sum := sha256.Sum256([]byte(sample))
	for _, want := range []string{
		// the title block
		"Acme Ltd", "Secure development policy", "Reference", "DOC-007", "Version", "3", "Status", "approved",
		"Owner", "Olivia Owner", "Approved by", "Sam Sponsor", "Approved on", "20 February 2026", "SHA-256",
		hex.EncodeToString(sum[:]), "page 1 of 1",
		// headings, emphasis, code, links with their URL
		"Secure development", "Rules", "Last words", "every change", "every", "main", "guide", "https://owasp.org/cheats",
		// lists with their markers, nested
		"1.", "Review every change", "3.", "Train every year", "•", "static analysis", "second bullet",
		// the table's header and cells
		"Environment", "Who may write", "Production", "operations only", "synthetic data",
		// the quote and the code block as typed
		"Quoted advice that matters.", "go vet ./...", "    staticcheck ./...",
	} {
		if !bytes.Contains(b, utf16Text(want)) {
			t.Errorf("the PDF has no %q", want)
		}
	}
	for _, raw := range []string{"**", "# ", "| ---", "```", "[guide]", "](", "- first", "> Quoted"} {
		if bytes.Contains(b, utf16Text(raw)) {
			t.Errorf("raw Markdown %q printed", raw)
		}
	}
	if !bytes.Contains(b, []byte("/URI (https://owasp.org/cheats)")) {
		t.Error("the link is not clickable")
	}
}

func TestMarkdownHashGivenAndDraft(t *testing.T) {
	m := docMeta
	m.SHA256, m.Status, m.Approver, m.Approved, m.Version = "abc123stored", "draft", "", time.Time{}, 0
	b := markdown(t, m, "text")
	if !bytes.Contains(b, utf16Text("abc123stored")) {
		t.Error("the stored hash is not shown")
	}
	for _, absent := range []string{"Approved on", "Approved by", "Version"} {
		if bytes.Contains(b, utf16Text(absent)) {
			t.Errorf("a draft shows %q", absent)
		}
	}
}

// TestMarkdownHeadingKeptWithTable: however much text comes before it, a heading is on the same page as the
// first row of the table below it.
func TestMarkdownHeadingKeptWithTable(t *testing.T) {
	para := strings.Repeat("A paragraph of ordinary policy text that fills some of the page before the heading comes. ", 2)
	// Each paragraph takes two lines: from 10 to 22 of them the heading passes the bottom of the first page.
	for n := 10; n <= 22; n++ {
		md := strings.Repeat(para+"\n\n", n) + "## Handling rules\n\n| Level | Storage |\n| --- | --- |\n| " +
			strings.Repeat("tall cell text ", 150) + " | first row |\n"
		b := markdown(t, docMeta, md)
		ps := pages(b)
		if len(ps) < 2 && n == 22 {
			t.Fatal("the heading never reached the end of the first page")
		}
		for i, p := range ps {
			if bytes.Contains(p, utf16Text("Handling rules")) && !bytes.Contains(p, utf16Text("first row")) {
				t.Fatalf("with %d paragraphs the heading is alone at the bottom of page %d", n, i+1)
			}
		}
	}
}

func TestMarkdownEveryTemplate(t *testing.T) {
	f := policy.Facts{OrgName: "Acme Ltd", ISMSOwner: "Olivia Owner", Sponsor: "Sam Sponsor", Method: isms.DefaultRiskMethod()}
	for _, tp := range policy.Templates() {
		md, err := policy.Render(tp.Key, f)
		if err != nil {
			t.Fatal(err)
		}
		m := docMeta
		m.Title = tp.Title
		b := markdown(t, m, md)
		n := len(pages(b))
		if n < 1 || n > 4 {
			t.Errorf("%s: %d pages", tp.Key, n)
		}
		if !bytes.Contains(b, utf16Text(fmt.Sprintf("page %d of %d", n, n))) {
			t.Errorf("%s: no footer \"page %d of %d\"", tp.Key, n, n)
		}
		if !bytes.Contains(b, []byte("/MediaBox [0 0 595.28 841.89]")) || bytes.Contains(b, []byte("/MediaBox [0 0 841.89 595.28]")) {
			t.Errorf("%s: not all pages are A4 portrait", tp.Key)
		}
		for _, h := range regexp.MustCompile(`(?m)^#+ (.+)$`).FindAllStringSubmatch(md, -1) {
			if !bytes.Contains(b, utf16Text(h[1])) {
				t.Errorf("%s: heading %q missing", tp.Key, h[1])
			}
		}
		if bytes.Contains(b, utf16Text("**")) || bytes.Contains(b, utf16Text("| ---")) {
			t.Errorf("%s: raw Markdown printed", tp.Key)
		}
	}
}

func TestMarkdownOddInput(t *testing.T) {
	var deep strings.Builder
	for i := range 30 {
		fmt.Fprintf(&deep, "%s- level %d\n", strings.Repeat("  ", i), i)
	}
	wide := "|" + strings.Repeat(" h |", 30) + "\n|" + strings.Repeat(" --- |", 30) + "\n|" + strings.Repeat(" cell |", 30) + "\n"
	odd := map[string]string{
		"empty":          "",
		"blank":          " \n\n\t\n",
		"deep lists":     deep.String(),
		"deep quotes":    strings.Repeat(">", 40) + " deep",
		"long word":      strings.Repeat("x", 5000) + "\n\n- " + strings.Repeat("y", 3000) + "\n\n| a |\n| - |\n| " + strings.Repeat("z", 2000) + " |\n",
		"ragged table":   "| a | b | c |\n| - | - | - |\n| 1 |\n| 1 | 2 | 3 | 4 |\n",
		"header only":    "| a | b |\n| - | - |\n",
		"wide table":     wide,
		"html":           "<script>alert(1)</script>\n\nText <b>bold</b> <!-- c -->\n",
		"bad utf8":       "caf\xe9 \x00 \x1b[31m 😀 text",
		"image":          "![a diagram](https://example.com/d.png)",
		"all headings":   "# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\nSetext\n===\n",
		"nested styles":  "***both*** **bold *and italic* `code`** ~~gone~~ <https://x.example> line  \nbreak\\\nagain",
		"numbered start": "7. seven\n8. eight\n\n   loose paragraph\n",
		"long code line": "```\n" + strings.Repeat("a = 1; ", 200) + "\n```\n    indented code\n",
		"empty items":    "-\n-\n1.\n",
	}
	for name, md := range odd {
		t.Run(name, func(t *testing.T) {
			m := docMeta
			m.Title = name
			b := markdown(t, m, md)
			if n := len(pages(b)); n < 1 || n > 20 {
				t.Errorf("%d pages", n)
			}
		})
	}
	b := markdown(t, docMeta, odd["html"])
	if !bytes.Contains(b, utf16Text("<script>alert")) || !bytes.Contains(b, utf16Text("<b>bold</b>")) {
		t.Error("raw HTML is not shown as the text it is")
	}
}

func BenchmarkMarkdown(b *testing.B) {
	md, err := policy.Render("risk-methodology", policy.Facts{OrgName: "Acme Ltd", Method: isms.DefaultRiskMethod()})
	if err != nil {
		b.Fatal(err)
	}
	md += sample
	m := docMeta
	m.Uncompressed = false
	b.ReportAllocs()
	for b.Loop() {
		if err := pdf.Markdown(io.Discard, m, md); err != nil {
			b.Fatal(err)
		}
	}
}
