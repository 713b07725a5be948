package cli

import (
	"fmt"
	"os"
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
			t := table{headers: []string{"id", "title", "theme", "new_in_2022", "control_type", "concepts", "replaces"}, value: list}
			for _, c := range list {
				t.rows = append(t.rows, []string{c.ID, c.Title, c.Theme, yesNo(c.NewIn2022), strings.Join(c.Attributes.ControlType, ","),
					strings.Join(c.Attributes.Concepts, ","), strings.Join(c.Replaces, ",")})
			}
			return e.print(t)
		},
	}
	controls.Flags().StringVar(&theme, "theme", "", "organizational, people, physical or technological")
	controls.Flags().BoolVar(&newOnly, "new", false, "only the controls new in 2022")
	controls.Flags().StringArrayVar(&attrs, "attr", nil, "KEY=VALUE, repeatable, AND-ed (keys: control_type, properties, concepts, capabilities, domains)")
	controls.Flags().StringVar(&search, "search", "", "words to find in ids, titles and guidance")

	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show a control with its guidance; a 2013 id (A.14.2.1) shows what it became",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := catalog.MustLoad()
			id := strings.TrimSpace(args[0])
			if ctl, ok := c.Control(id); ok && strings.Count(strings.TrimPrefix(id, "A."), ".") == 1 {
				if e.format == "json" {
					return writeJSON(e.stdout, ctl)
				}
				printControl(e, ctl)
				return nil
			}
			if v, err := service.Became(c, id); err == nil {
				if e.format == "json" {
					return writeJSON(e.stdout, v)
				}
				fmt.Fprintf(e.stdout, "%s %s (ISO/IEC 27001:2013)\nbecame in 2022:\n", v.ID, v.Title)
				for _, b := range v.BecameControls {
					fmt.Fprintf(e.stdout, "  %s %s (%s)\n", b.ID, b.Title, b.Theme)
				}
				return nil
			}
			return isms.NotFound("no control %q in the 2022 or 2013 Annex A", id)
		},
	}

	clauses := &cobra.Command{
		Use:   "clauses",
		Short: "List clauses 4 to 10 and their sub-clauses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list := catalog.MustLoad().Clauses()
			t := table{headers: []string{"id", "title", "parent", "level", "summary"}, value: list}
			for _, c := range list {
				t.rows = append(t.rows, []string{c.ID, strings.Repeat("  ", c.Level-1) + c.Title, c.Parent, fmt.Sprint(c.Level), c.Summary})
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
			t := table{headers: []string{"id_2013", "title_2013", "became", "title_2022"}, value: list}
			for _, o := range list {
				var titles []string
				for _, id := range o.BecameIDs {
					ctl, _ := c.Control(id)
					titles = append(titles, ctl.Title)
				}
				t.rows = append(t.rows, []string{o.ID, o.Title, strings.Join(o.BecameIDs, ","), strings.Join(titles, " + ")})
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
	cmd.AddCommand(controls, show, clauses, mapping, export, coverage, threats)
	return cmd
}

func printControl(e *env, c catalog.Control) {
	w := e.stdout
	fmt.Fprintf(w, "%s %s\n", c.ID, c.Title)
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
