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

// docMethodologyCmd shows the risk methodology document's state, or drafts it from the risk method.
func (e *env) docMethodologyCmd() *cobra.Command {
	var draft bool
	cmd := &cobra.Command{
		Use:   "methodology",
		Short: "Show the risk methodology document (clauses 6.1.2, 6.1.3); --draft drafts it from the risk method",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			get := svc.RiskMethodology
			if draft {
				get = svc.DraftRiskMethodology
			}
			m, err := get(ctx)
			if err != nil {
				return err
			}
			if e.format == "json" {
				return writeJSON(e.stdout, m)
			}
			switch {
			case m.Ref == "":
				printf(e.stdout, "No risk methodology yet: draft it with praxis doc methodology --draft, then submit and approve it.\n")
			case m.Pending:
				printf(e.stdout, "%s version %d is %s and waits for approval (version in force: %d).\n", m.Ref, m.Latest, m.Status, m.Approved)
			default:
				printf(e.stdout, "%s version %d is approved and in force.\n", m.Ref, m.Approved)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&draft, "draft", false, "draft the document from the risk method when there is none")
	return cmd
}
