// Package markdown renders the Markdown of documents as HTML for the web UI, safely: raw HTML in the source is
// left out (goldmark's default; html.WithUnsafe stays off) and links or images with a dangerous scheme
// (javascript:, vbscript:, data: other than images) lose their target.
package markdown

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))

// HTML renders source as HTML safe to put into a page. A render error (which goldmark does not produce for
// text) shows the source escaped.
func HTML(source string) template.HTML {
	var b bytes.Buffer
	if err := md.Convert([]byte(source), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(source))
	}
	return template.HTML(b.String()) // #nosec: goldmark escapes raw HTML and unsafe link targets without WithUnsafe
}
