package cli

import (
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// scopeCmd is `praxis scope show|set|approve|versions|diff|export` (4.3).
func (e *env) scopeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "scope", Short: "The ISMS scope (4.3): show, set, approve, versions, diff, export"}
	show := &cobra.Command{Use: "show", Short: "Show the scope, its status (draft, approved, changed) and its latest approval", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			v, err := svc.Scope(ctx)
			if err != nil {
				return err
			}
			return e.print(scopeTable(v))
		}}
	var in service.ScopeInput
	var exclusions []string
	set := &cobra.Command{Use: "set", Short: "Change the scope's draft (only the flags given change)", Args: cobra.NoArgs,
		Example: "  praxis scope set --statement \"The design, development and operation of the Northwind platform\"\n" +
			"  praxis scope set --units Engineering --units Support --exclusions \"Office cafeteria: no information is processed there\"",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			in.Exclusions = isms.ParseExclusions(strings.Join(exclusions, "\n"))
			v, err := patchLatest(func() (int, error) {
				v, err := svc.Scope(ctx)
				return v.Version, err
			}, func(version int) (service.ScopeView, error) {
				in.Version, in.Sent = version, sentFlags(cmd, nil)
				return svc.PatchScope(ctx, in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Saved the scope (version %d, %s).\n", v.Version, v.Status)
			return nil
		}}
	set.Flags().StringVar(&in.Statement, "statement", "", "the scope statement")
	set.Flags().StringArrayVar(&in.Units, "units", nil, "an organisational unit in scope (repeat the flag for each; all of them replace the list)")
	set.Flags().StringArrayVar(&in.Locations, "locations", nil, "a location in scope (repeat the flag for each)")
	set.Flags().StringArrayVar(&in.Systems, "systems", nil, "a system or service in scope (repeat the flag for each)")
	set.Flags().StringVar(&in.Boundaries, "boundaries", "", "boundaries and interfaces")
	set.Flags().StringArrayVar(&exclusions, "exclusions", nil, `an exclusion as "what: why it is left out" (repeat the flag for each)`)
	var comment string
	approve := &cobra.Command{Use: "approve", Short: "Approve the scope's draft as the next version (approvers only; refused without a statement)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			v, err := svc.ApproveScope(ctx, comment)
			if err != nil {
				return err
			}
			printf(e.stdout, "Approved scope version %d (SHA-256 %s).\n", v.Number, v.Hash)
			return nil
		}}
	approve.Flags().StringVar(&comment, "comment", "", "what this version changes, or why it is approved")
	versions := &cobra.Command{Use: "versions", Short: "List the approved versions, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			vs, err := svc.ScopeVersions(ctx)
			if err != nil {
				return err
			}
			t := table{headers: []string{"number", "approved_at", "approved_by", "comment", "hash"}, value: vs}
			for _, v := range vs {
				t.rows = append(t.rows, []string{strconv.Itoa(v.Number), v.ApprovedAt.Format("2006-01-02 15:04"), v.ApprovedBy, v.Comment, v.Hash})
			}
			return e.print(t)
		}}
	diff := &cobra.Command{Use: "diff FROM TO", Short: "What changed between two versions, or a version and the draft", Args: cobra.ExactArgs(2),
		Example: "  praxis scope diff 1 2\n  praxis scope diff 1 draft",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.DiffScope(ctx, args[0], args[1])
			if err != nil {
				return err
			}
			if len(d.Changes) == 0 && e.format != "json" {
				printf(e.stdout, "No differences between %s and %s.\n", d.From, d.To)
				return nil
			}
			t := table{headers: []string{"part", d.From, d.To}, widths: []int{0, 60, 60}, value: d}
			for _, c := range d.Changes {
				t.rows = append(t.rows, []string{c.Field, c.Before, c.After})
			}
			return e.print(t)
		}}
	var format, out, version string
	export := &cobra.Command{Use: "export", Short: "Export the scope (the draft, or --version N) as Markdown or PDF", Args: cobra.NoArgs,
		Example: "  praxis scope export --version 1 -o scope-v1.pdf",
		RunE: func(cmd *cobra.Command, args []string) error {
			f := format
			if f == "" && (out == "" || out == "-") {
				f = "md"
			}
			f, err := fileFormat(f, out, service.ScopeExportFormats)
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return svc.ExportScope(ctx, version, f, w) })
		}}
	export.Flags().StringVar(&format, "format", "", "md or pdf (default from the file's extension; md on standard output)")
	export.Flags().StringVar(&version, "version", "", "an approved version's number (default: the draft)")
	export.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	cmd.AddCommand(show, set, approve, versions, diff, export)
	return cmd
}

// scopeTable is the scope as part/value rows; JSON prints the view itself (with status and approval).
func scopeTable(v service.ScopeView) table {
	approval := ""
	if a := v.Approval; a != nil {
		approval = "version " + strconv.Itoa(a.Number) + " by " + a.ApprovedBy + " on " + a.ApprovedAt.Format("2006-01-02") + " (SHA-256 " + a.Hash + ")"
	}
	t := table{headers: []string{"part", "value"}, widths: []int{0, 100}, value: v}
	for _, r := range [][2]string{{"status", v.Status}, {"approval", approval}, {"version", strconv.Itoa(v.Version)}, {"statement", v.Statement},
		{"units", strings.Join(v.Units, "\n")}, {"locations", strings.Join(v.Locations, "\n")}, {"systems", strings.Join(v.Systems, "\n")},
		{"boundaries", v.Boundaries}, {"exclusions", isms.ExclusionLines(v.Exclusions)}} {
		t.rows = append(t.rows, []string{r[0], r[1]})
	}
	return t
}
