package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// docMandatoryCmd lists mandatory documented information with what satisfies each item, or its gap.
func (e *env) docMandatoryCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "mandatory",
		Short: "List the documented information the clauses require: what satisfies each item, or the gap",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			items, err := svc.MandatoryDocuments(ctx)
			if err != nil {
				return err
			}
			t := table{headers: []string{"clause", "required", "status", "satisfied by or gap"}, widths: []int{0, 50, 0, 70}, value: items}
			for _, it := range items {
				clause, status, by := it.Clause, "gap", it.Gap
				if it.Item != "" {
					clause += " " + it.Item
				}
				if it.Satisfied {
					status = "satisfied"
					titles := make([]string, len(it.Evidence))
					for i, ev := range it.Evidence {
						titles[i] = strings.TrimSpace(ev.Ref + " " + ev.Title)
					}
					by = strings.Join(titles, "; ")
				}
				t.rows = append(t.rows, []string{clause, it.Description, status, by})
			}
			return e.print(t)
		},
	}
}
