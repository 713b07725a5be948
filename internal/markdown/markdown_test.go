package markdown

import (
	"strings"
	"testing"
)

// Nothing a document's author types can run in a reader's browser: raw HTML, script tags, event handlers and
// javascript: links do not survive; ordinary Markdown does.
func TestHTMLIsSafe(t *testing.T) {
	src := "# Policy\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) and " +
		"[data](data:text/html;base64,PHNjcmlwdD4=) and [ok](https://example.com/policy)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- **two**\n" +
		"\n<a href=\"javascript:alert(4)\">raw link</a>\n"
	got := string(HTML(src))
	for _, bad := range []string{"<script", "onerror", "javascript:", "alert(", "data:text/html", "<img"} {
		if strings.Contains(strings.ToLower(got), bad) {
			t.Errorf("%q survived:\n%s", bad, got)
		}
	}
	for _, good := range []string{"<h1>Policy</h1>", `<a href="https://example.com/policy">ok</a>`, "<table>", "<td>1</td>", "<li><strong>two</strong></li>"} {
		if !strings.Contains(got, good) {
			t.Errorf("%q missing:\n%s", good, got)
		}
	}
}
