package soa

import (
	"bufio"
	"fmt"
	"io"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
)

// Markdown writes the SoA as Markdown: the title, the approval facts, the summary, the open issues and one table
// per theme.
func Markdown(w io.Writer, d Document) error {
	bw := bufio.NewWriter(w)
	md := table.MarkdownCell
	fmt.Fprintf(bw, "# %s\n\n", md(Title+": "+d.Org.Name))
	for _, f := range d.facts() {
		if f[1] != "" {
			fmt.Fprintf(bw, "- **%s:** %s\n", f[0], md(f[1]))
		}
	}
	generated := dateTime(d.GeneratedAt)
	if d.GeneratedBy != "" {
		generated += " by " + d.GeneratedBy
	}
	fmt.Fprintf(bw, "- **Generated:** %s\n\n", md(generated))
	sum, issues := isms.Summarise(d.Entries)
	fmt.Fprintf(bw, "## Summary\n\n| Controls | Decided | Applicable | Excluded | Implemented | Incomplete | Contradictory |\n"+
		"| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| %d | %d | %d | %d | %d | %d | %d |\n\n",
		sum.Controls, sum.Decided, sum.Applicable, sum.Excluded, sum.Implemented, sum.Incomplete, sum.Contradictory)
	if len(issues) > 0 {
		fmt.Fprintf(bw, "## Open issues (%d)\n\n", len(issues))
		for _, is := range issues {
			fmt.Fprintf(bw, "- %s: %s\n", is.Kind, md(is.Message))
		}
		bw.WriteString("\n")
	}
	themes, entries := d.byTheme()
	for _, t := range themes {
		fmt.Fprintf(bw, "## %s\n\n", md(themeHeading(t, entries[t])))
		if err := table.WriteMarkdown(bw, themeSheet(t, entries[t])); err != nil {
			return err
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// themeHeading names a theme and the controls it spans: "Physical controls (7.1 to 7.14)".
func themeHeading(theme string, entries []isms.SoAEntry) string {
	name := ThemeName(theme)
	if len(entries) == 0 {
		return name
	}
	return fmt.Sprintf("%s (%s to %s)", name, entries[0].Control, entries[len(entries)-1].Control)
}
