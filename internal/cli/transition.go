package cli

import (
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// transitionCmd is `transition import|status|report`: the move from ISO/IEC 27001:2013 to 2022.
func (e *env) transitionCmd() *cobra.Command {
	c := &cobra.Command{Use: "transition", Short: "Move a 2013 Statement of Applicability to ISO/IEC 27001:2022: import it, decide what is open, report"}
	c.AddCommand(e.transitionImportCmd(), e.transitionStatusCmd(), e.transitionReportCmd())
	return c
}

// transitionImportCmd is `transition import FILE [--dry-run] [--overwrite]`.
func (e *env) transitionImportCmd() *cobra.Command {
	var format string
	var in service.TransitionImportInput
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a 2013 SoA (CSV or XLSX) into the 2022 SoA through the official mapping (all or nothing; every bad row as line N: field: problem)",
		Long: "Each 2022 control takes the answer of its one 2013 source, merges the answers of several that agree (each justification\n" +
			"under its 2013 id), or is left undecided and marked for a decision: sources that disagree, controls new in 2022.\n" +
			"Entries already decided in the 2022 SoA are kept, and reported as kept, unless --overwrite is given.",
		Example: "  praxis transition import soa-2013.xlsx --dry-run\n  praxis transition import soa-2013.csv",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := fileFormat(format, args[0], service.ImportFormats)
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			var r io.Reader = os.Stdin
			if args[0] != "-" {
				file, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer file.Close()
				r = file
			}
			res, err := svc.ImportTransition(ctx, f, r, in)
			if err != nil {
				return err
			}
			n := res.Counts
			verb := "Imported"
			if res.DryRun {
				verb = "Dry run, nothing written:"
			}
			printf(e.stdout, "%s %d rows of the 2013 SoA: %d controls take one answer, %d merged, %d conflicts, %d new, %d without an answer, %d kept as decided; %d entries decided, %d left for a decision.\n",
				verb, n.Rows, n.Taken, n.Merged, n.Conflict, n.New, n.Unanswered, n.Kept, n.Saved, n.Marked)
			if len(res.Ignored) > 0 {
				printf(e.stdout, "Columns not read: %s.\n", strings.Join(res.Ignored, ", "))
			}
			t := table{headers: []string{"control", "action", "sources", "note"}, widths: []int{7, 10, 30, 100}, value: res}
			for _, ctl := range res.Controls {
				t.rows = append(t.rows, []string{ctl.Control, ctl.Action(), strings.Join(ctl.Sources, ", "), ctl.Note})
			}
			return e.print(t)
		},
	}
	c.Flags().StringVar(&format, "format", "", "csv or xlsx (default from the file's extension)")
	c.Flags().BoolVar(&in.DryRun, "dry-run", false, "say what the import would do for each 2022 control, writing nothing")
	c.Flags().BoolVar(&in.Overwrite, "overwrite", false, "replace entries already decided in the 2022 SoA with the 2013 answers (default: keep them)")
	return c
}

// transitionStatusCmd is `transition status [--open]`: what the import made of every control, then the
// decisions still open, each with what the control is for and how to decide it.
func (e *env) transitionStatusCmd() *cobra.Command {
	var onlyOpen bool
	c := &cobra.Command{
		Use:   "status",
		Short: "Show the transition: the decisions the import left open (n of m decided) and every 2022 control",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			st, err := svc.TransitionStatus(ctx)
			if err != nil {
				return err
			}
			if onlyOpen {
				st.Controls = st.Open()
			}
			plain := e.format == "table" || e.format == ""
			if plain {
				if !st.Imported {
					printf(e.stdout, "No 2013 SoA imported yet: praxis transition import FILE.\n")
					return nil
				}
				printf(e.stdout, "Decisions the import left open: %d of %d decided.\n", st.Decided, st.Marked)
			}
			if err := e.print(transitionTable(st)); err != nil || !plain {
				return err
			}
			open := st.Open()
			if len(open) == 0 {
				printf(e.stdout, "\nNo decision is open: every control the import marked is decided in the SoA.\n")
				return nil
			}
			printf(e.stdout, "\nStill to decide (%d):\n", len(open))
			cat := catalog.MustLoad()
			for _, it := range open {
				printf(e.stdout, "\n%s  %s\n  %s\n", it.Control, it.Title, it.Note)
				if ctl, ok := cat.Control(it.Control); ok && ctl.Guidance != nil {
					printf(e.stdout, "  What it is for: %s\n", ctl.Guidance.Purpose)
				}
			}
			printf(e.stdout, "\nDecide with: praxis soa set CONTROL --applicable=yes|no --justification TEXT [--status S]; guidance: praxis control show CONTROL\n")
			return nil
		},
	}
	c.Flags().BoolVar(&onlyOpen, "open", false, "list only the controls still waiting for a decision")
	return c
}

// transitionTable is every control of the status: what the import made of it, its 2013 answers, its decision.
func transitionTable(st service.TransitionStatus) table {
	t := table{headers: []string{"control", "title", "import", "open", "answers", "decision"}, widths: []int{7, 30, 10, 4, 50, 40}, value: st}
	for _, it := range st.Controls {
		var answers []string
		for _, a := range it.Answers {
			answers = append(answers, a.Control+": "+a.Answer())
		}
		open := ""
		if it.Open() {
			open = "yes"
		}
		t.rows = append(t.rows, []string{it.Control, it.Title, it.Action(), open, strings.Join(answers, "; "), decisionWords(it.Entry)})
	}
	return t
}

// decisionWords is an entry's decision in a few words: "yes, implemented", "no", "undecided".
func decisionWords(e isms.SoAEntry) string {
	if e.Applicability() == "yes" && e.Status != "" {
		return "yes, " + e.Status
	}
	return e.Applicability()
}

// transitionReportCmd is `transition report --format md|pdf|xlsx -o FILE`.
func (e *env) transitionReportCmd() *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:     "report",
		Short:   "Write the transition report (Markdown, PDF or XLSX): each 2022 control, each 2013 control, the new controls",
		Example: "  praxis transition report -o transition.pdf\n  praxis transition report --format md",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := format
			if f == "" && (out == "" || out == "-") {
				f = "md"
			}
			f, err := fileFormat(f, out, service.TransitionReportFormats)
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return svc.ExportTransition(ctx, f, w) })
		},
	}
	c.Flags().StringVar(&format, "format", "", "md, pdf or xlsx (default from the file's extension; md on standard output)")
	c.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	return c
}
