package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
)

// readinessCmd is `praxis readiness`: the eight steps of the roadmap to certification as the data stands.
func (e *env) readinessCmd() *cobra.Command {
	return &cobra.Command{Use: "readiness", Short: "The roadmap to certification: each step's percentage, what it counts, and the next actions",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			rd, err := svc.Readiness(ctx)
			if err != nil {
				return err
			}
			switch e.format {
			case "json":
				return writeJSON(e.stdout, rd)
			case "table", "":
				writeReadiness(e, rd)
				return nil
			}
			return fmt.Errorf("unknown --format %q: use table or json", e.format)
		}}
}

// writeReadiness prints the roadmap as text: one block per step with its bar, its measures and next actions.
func writeReadiness(e *env, rd isms.Readiness) {
	printf(e.stdout, "Ready for certification: %d%%\n", rd.Percent)
	for _, s := range rd.Steps {
		printf(e.stdout, "\n%d. %-40s %s %3d%%   %s\n", s.Number, s.Name, bar(s.Percent, 20), s.Percent, s.Clauses)
		for _, m := range s.Measures {
			if m.Total == 0 {
				printf(e.stdout, "   - %s: does not apply yet\n", m.Label)
				continue
			}
			printf(e.stdout, "   - %s: %d of %d\n", m.Label, m.Done, m.Total)
		}
		for _, f := range s.Next {
			printf(e.stdout, "   next [%s] %s: %s (%s)\n", f.Severity, f.Rule, oneLine(f.Message, 200), f.Link)
		}
	}
}

// bar draws pct as a text bar of width cells.
func bar(pct, width int) string {
	n := max(0, min(width, pct*width/100))
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}
