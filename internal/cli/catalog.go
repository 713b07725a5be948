package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The catalog is the same embedded data for everyone, so these commands need no database.
func (e *env) catalogCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "catalog", Short: "ISO/IEC 27001:2022 clauses, Annex A controls with ISO/IEC 27002 attributes and guidance, 2013 mapping"}
	var theme, search string
	var newOnly bool
	var attrs []string
	controls := &cobra.Command{
		Use:   "controls",
		Short: "List Annex A controls, filtered by theme, attribute and text",
		Example: "  praxis catalog controls --theme technological --attr control_type=detective\n" +
			"  praxis catalog controls --new --format json\n  praxis catalog controls --search \"secure coding\"",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := service.ControlFilter(theme, newOnly, attrs, search)
			if err != nil {
				return err
			}
			list, err := service.FilterControls(catalog.MustLoad(), f)
			if err != nil {
				return err
			}
			t := table{headers: controlHeaders, value: list}
			for _, c := range list {
				t.rows = append(t.rows, controlRow(c))
			}
			return e.print(t)
		},
	}
	controls.Flags().StringVar(&theme, "theme", "", "organizational, people, physical or technological")
	controls.Flags().BoolVar(&newOnly, "new", false, "only the controls new in 2022")
	controls.Flags().StringArrayVar(&attrs, "attr", nil, "KEY=VALUE, repeatable, AND-ed (keys: control_type, properties, concepts, capabilities, domains)")
	controls.Flags().StringVar(&search, "search", "", "words to find in titles, guidance and 2013 ids; an id (8.1, A.14.2.1) matches exactly")

	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show a control with its guidance; a 2013 id (A.14.2.1) shows what it became",
		Long: "Show an Annex A control of 2022 (8.28) with its attributes and guidance, or what a 2013 control (A.14.2.1) became.\n" +
			"Clauses 4 to 10 are shown by `praxis catalog clauses ID` (for example 6.1.2).\n" +
			"--format table (the default) reads as text; json and csv carry every field.",
		Example: "  praxis catalog show 8.28\n  praxis catalog show A.14.2.1 --format json\n  praxis catalog clauses 6.1.2",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := catalog.MustLoad()
			id := strings.TrimSpace(args[0])
			text := e.format == "table" || e.format == ""
			if ctl, ok := c.Control(id); ok {
				if text {
					printControl(e, ctl)
					return nil
				}
				return e.print(table{headers: controlDetailHeaders, rows: [][]string{controlDetailRow(ctl)}, value: ctl})
			}
			_, isClause := c.Clause(id)
			v, err := service.Became(c, id)
			if err != nil {
				if isClause {
					return isms.NotFound("no control %q in the 2022 or 2013 Annex A; for clause %s run: praxis catalog clauses %s", id, id, id)
				}
				return isms.NotFound("no control %q in the 2022 or 2013 Annex A: 2022 ids run from 5.1 to 8.34, 2013 ids from A.5.1.1 to A.18.2.3", id)
			}
			if !text {
				return e.print(table{headers: mappingHeaders, rows: [][]string{mappingRow(c, v.Control2013)}, value: v})
			}
			fmt.Fprintf(e.stdout, "%s %s (ISO/IEC 27001:2013)\nbecame in 2022:\n", v.ID, v.Title)
			for _, b := range v.BecameControls {
				fmt.Fprintf(e.stdout, "  %s %s (%s)\n", b.ID, b.Title, b.Theme)
			}
			if isClause {
				fmt.Fprintf(e.stdout, "For clause %s run: praxis catalog clauses %s\n", id, id)
			}
			return nil
		},
	}

	clauses := &cobra.Command{
		Use:   "clauses [ID]",
		Short: "List clauses 4 to 10 and their sub-clauses, or show one clause (6.1.2) with what auditors check",
		Long: "Without an id, list clauses 4 to 10 and their sub-clauses. With an id, show that clause: our summary, what\n" +
			"auditors check, its sub-clauses and the documented information it (or a sub-clause) requires.",
		Example: "  praxis catalog clauses\n  praxis catalog clauses 6.1.2\n  praxis catalog clauses 9 --format json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := catalog.MustLoad()
			if len(args) == 1 {
				v, err := service.ClauseOf(c, args[0])
				if err != nil {
					return err
				}
				if e.format == "table" || e.format == "" {
					printClause(e, v)
					return nil
				}
				return e.print(clauseTable(v))
			}
			list := c.Clauses()
			t := table{headers: []string{"id", "title", "parent", "level", "summary"}, value: list}
			for _, c := range list {
				t.rows = append(t.rows, []string{c.ID, strings.Repeat("  ", c.Level-1) + c.Title, c.Parent, fmt.Sprint(c.Level), c.Summary})
			}
			return e.print(t)
		},
	}
	documents := &cobra.Command{
		Use:   "documents",
		Short: "The documented information clauses 4 to 10 explicitly require, with the clause that requires each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list := catalog.MustLoad().MandatoryDocuments()
			t := table{headers: []string{"clause", "item", "clause_title", "description", "wording", "note"}, value: list}
			for _, d := range list {
				t.rows = append(t.rows, []string{d.Clause, d.Item, d.ClauseTitle, d.Description, d.Wording, d.Note})
			}
			return e.print(t)
		},
	}
	mapping := &cobra.Command{
		Use:   "mapping",
		Short: "The 114 controls of 2013 and the 2022 control(s) each became",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c := catalog.MustLoad()
			list := c.Controls2013()
			t := table{headers: mappingHeaders, value: list}
			for _, o := range list {
				t.rows = append(t.rows, mappingRow(c, o))
			}
			return e.print(t)
		},
	}
	var exportFormat, out string
	export := &cobra.Command{
		Use:   "export",
		Short: "Export the whole catalog as JSON or as an OSCAL 1.1.3 catalog (schema-validated)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c := catalog.MustLoad()
			var data []byte
			var err error
			switch exportFormat {
			case "oscal":
				v, _, _ := Version()
				data, err = oscal.Catalog(c, time.Now().UTC(), v)
			case "json":
				data, err = jsonIndent(map[string]any{"controls": c.Controls(), "clauses": c.Clauses(), "controls_2013": c.Controls2013(),
					"mandatory_documents": c.MandatoryDocuments(), "threats": c.Threats(), "vulnerabilities": c.Vulnerabilities()})
			default:
				return isms.Invalid(isms.FieldError{Field: "format", Message: "must be json or oscal"})
			}
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = e.stdout.Write(data)
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "Wrote %s (%d bytes).\n", out, len(data))
			return nil
		},
	}
	export.Flags().StringVar(&exportFormat, "format", "json", "json or oscal")
	export.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")

	coverage := &cobra.Command{
		Use:   "coverage KEY",
		Short: "Count controls per value of an attribute (control_type, properties, concepts, capabilities, domains)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rows, err := catalog.MustLoad().Coverage(args[0])
			if err != nil {
				return isms.Invalid(isms.FieldError{Field: "key", Message: err.Error()})
			}
			t := table{headers: []string{"value", "count", "controls"}, value: rows}
			for _, r := range rows {
				t.rows = append(t.rows, []string{r.Value, fmt.Sprint(r.Count), strings.Join(r.Controls, ",")})
			}
			return e.print(t)
		},
	}
	var vulns bool
	threats := &cobra.Command{
		Use:   "threats",
		Short: "The threat library (or --vulnerabilities) with the controls that usually treat each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c := catalog.MustLoad()
			list := c.Threats()
			if vulns {
				list = c.Vulnerabilities()
			}
			t := table{headers: []string{"id", "name", "category", "controls", "description"}, value: list}
			for _, x := range list {
				t.rows = append(t.rows, []string{x.ID, x.Name, x.Category, strings.Join(x.Controls, ","), x.Description})
			}
			return e.print(t)
		},
	}
	threats.Flags().BoolVar(&vulns, "vulnerabilities", false, "list the vulnerabilities instead")
	cmd.AddCommand(controls, show, clauses, documents, mapping, export, coverage, threats)
	return cmd
}

// controlHeaders are the columns of a control in lists: every field of the list but the guidance.
var controlHeaders = []string{"id", "title", "theme", "new_in_2022", "control_type", "properties", "concepts", "capabilities", "domains", "replaces"}

func controlRow(c catalog.Control) []string {
	row := []string{c.ID, c.Title, c.Theme, yesNo(c.NewIn2022)}
	for _, k := range catalog.AttributeKeys() {
		row = append(row, strings.Join(c.Attributes.Values(k), ","))
	}
	return append(row, strings.Join(c.Replaces, ","))
}

// controlDetailHeaders are the columns of one control with its guidance; lists of sentences go one per line.
var controlDetailHeaders = append(slices.Clone(controlHeaders), "title_variants", "purpose", "steps", "evidence", "owner", "related", "feeds", "changes_2022")

func controlDetailRow(c catalog.Control) []string {
	row := append(controlRow(c), strings.Join(c.TitleVariants, "\n"))
	g := c.Guidance
	if g == nil {
		g = &catalog.Guidance{}
	}
	return append(row, g.Purpose, strings.Join(g.Steps, "\n"), strings.Join(g.Evidence, "\n"), g.Owner,
		strings.Join(g.Related, ","), strings.Join(g.Feeds, "\n"), g.ChangesIn2022)
}

var mappingHeaders = []string{"id_2013", "title_2013", "became", "title_2022"}

func mappingRow(c *catalog.Catalog, o catalog.Control2013) []string {
	var titles []string
	for _, id := range o.BecameIDs {
		ctl, _ := c.Control(id)
		titles = append(titles, ctl.Title)
	}
	return []string{o.ID, o.Title, strings.Join(o.BecameIDs, ","), strings.Join(titles, " + ")}
}

func clauseTable(v service.ClauseView) table {
	var subs, docs []string
	for _, s := range v.SubClauses {
		subs = append(subs, s.ID)
	}
	for _, d := range v.MandatoryDocuments {
		docs = append(docs, d.Clause+": "+d.Description)
	}
	return table{headers: []string{"id", "title", "parent", "level", "summary", "auditor_checks", "sub_clauses", "mandatory_documents"},
		rows: [][]string{{v.ID, v.Title, v.Parent, fmt.Sprint(v.Level), v.Summary, strings.Join(v.AuditorChecks, "\n"),
			strings.Join(subs, ","), strings.Join(docs, "\n")}}, value: v}
}

func printClause(e *env, v service.ClauseView) {
	w := e.stdout
	fmt.Fprintf(w, "Clause %s %s\n", v.ID, v.Title)
	if p, ok := catalog.MustLoad().Clause(v.Parent); ok {
		fmt.Fprintf(w, "part of clause %s %s\n", p.ID, p.Title)
	}
	fmt.Fprintf(w, "\nSummary\n  %s\n\nWhat auditors check\n", v.Summary)
	for _, s := range v.AuditorChecks {
		fmt.Fprintf(w, "  - %s\n", s)
	}
	if len(v.SubClauses) > 0 {
		fmt.Fprintf(w, "\nSub-clauses\n")
		for _, s := range v.SubClauses {
			fmt.Fprintf(w, "  %s %s\n", s.ID, s.Title)
		}
	}
	fmt.Fprintf(w, "\nMandatory documents\n")
	if len(v.MandatoryDocuments) == 0 {
		fmt.Fprintf(w, "  none named by clause %s\n", v.ID)
	}
	for _, d := range v.MandatoryDocuments {
		ref := d.Clause
		if d.Item != "" {
			ref += " " + d.Item + ")"
		}
		fmt.Fprintf(w, "  - %s (%s: %s)\n", d.Description, ref, d.Wording)
	}
}

func printControl(e *env, c catalog.Control) {
	w := e.stdout
	fmt.Fprintf(w, "%s %s\n", c.ID, c.Title)
	for _, v := range c.TitleVariants {
		fmt.Fprintf(w, "also titled (ISO/IEC 27002): %s\n", v)
	}
	fmt.Fprintf(w, "theme: %s   new in 2022: %s\n", c.Theme, yesNo(c.NewIn2022))
	for _, k := range catalog.AttributeKeys() {
		fmt.Fprintf(w, "%-13s %s\n", k+":", strings.Join(c.Attributes.Values(k), ", "))
	}
	if len(c.Replaces) > 0 {
		fmt.Fprintf(w, "replaces (2013): %s\n", strings.Join(c.Replaces, ", "))
	}
	g := c.Guidance
	if g == nil {
		return
	}
	fmt.Fprintf(w, "\nPurpose\n  %s\n\nHow to implement\n", g.Purpose)
	for i, s := range g.Steps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, s)
	}
	fmt.Fprintf(w, "\nEvidence an auditor asks for\n")
	for _, s := range g.Evidence {
		fmt.Fprintf(w, "  - %s\n", s)
	}
	fmt.Fprintf(w, "\nTypical owner: %s\nRelated controls: %s\nFeeds: %s\n", g.Owner, strings.Join(g.Related, ", "), strings.Join(g.Feeds, "; "))
	if g.ChangesIn2022 != "" {
		fmt.Fprintf(w, "What changed in 2022: %s\n", g.ChangesIn2022)
	}
}
