package cli

import (
	"github.com/spf13/cobra"
)

// controlCmd is `praxis control show ID`: the work page of one Annex A control.
func (e *env) controlCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "control", Short: "The work on one Annex A control: guidance, SoA entry, risks, tasks, evidence, documents, what is missing"}
	show := &cobra.Command{Use: "show ID", Short: "Show the work on a control (8.28) and what is still missing", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			w, err := svc.ControlWork(ctx, args[0])
			if err != nil {
				return err
			}
			if e.format != "table" {
				if e.format == "csv" { // the list a script acts on
					t := table{headers: []string{"code", "message"}, value: w}
					for _, g := range w.Missing {
						t.rows = append(t.rows, []string{g.Code, g.Message})
					}
					return e.print(t)
				}
				return writeJSON(e.stdout, w)
			}
			out := e.stdout
			c, soa := w.Control, w.SoA
			printf(out, "%s  %s\n", c.ID, c.Title)
			if g := c.Guidance; g != nil {
				printf(out, "\n%s\n", g.Purpose)
			}
			printf(out, "\nSoA: applicable %s", soa.Applicability())
			if soa.Status != "" {
				printf(out, ", %s", soa.Status)
			}
			if soa.OwnerName != "" {
				printf(out, ", owner %s", soa.OwnerName)
			}
			printf(out, "\n")
			if soa.Justification != "" {
				printf(out, "  %s\n", soa.Justification)
			}
			printf(out, "\nRisks it treats: %d\n", w.Risks.Total)
			for _, r := range w.Risks.Items {
				printf(out, "  %s  %s\n", r.Ref, r.Title)
			}
			printf(out, "\nTasks: %d\n", w.Tasks.Total)
			for _, t := range w.Tasks.Items {
				late := ""
				if t.Overdue {
					late = " (overdue)"
				}
				printf(out, "  %s  %s  %s  due %s%s\n", t.Ref, t.Status, t.Title, t.Due, late)
			}
			printf(out, "\nEvidence: %d\n", w.Evidence.Total)
			for _, ev := range w.Evidence.Items {
				printf(out, "  %s  %s  %s\n", ev.Ref, ev.Status, ev.Title)
			}
			printf(out, "\nDocuments naming it: %d\n", len(w.Documents))
			for _, d := range w.Documents {
				printf(out, "  %s  %s\n", d.Ref, d.Title)
			}
			if len(w.Missing) == 0 {
				printf(out, "\nNothing is missing.\n")
				return nil
			}
			printf(out, "\nStill missing:\n")
			for _, g := range w.Missing {
				printf(out, "  - %s\n", g.Message)
			}
			return nil
		}}
	cmd.AddCommand(show)
	return cmd
}
