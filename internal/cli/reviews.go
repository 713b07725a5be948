package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// reviewCmd is praxis review: the register's commands, holding, the inputs, the minutes and the actions.
func (e *env) reviewCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.Review, service.ReviewInput, service.ReviewFilter]{use: "review", noun: "management review",
		plural: "management reviews", short: "Management reviews (9.3): list, show, add, set, hold, inputs, minutes, action, delete",
		reg:  service.ReviewRegister,
		list: (*service.Service).ListReviews, get: (*service.Service).Review, add: (*service.Service).AddReview,
		patch: (*service.Service).PatchReview, delete: (*service.Service).DeleteReview,
		label: func(r isms.Review) string { return r.Ref + " " + r.Title },
		stamp: func(in *service.ReviewInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		// --note risks="Ransomware above appetite" (repeatable) notes against an input.
		more: func(c *cobra.Command, in *service.ReviewInput) map[string]string {
			c.Flags().StringToStringVar(&in.InputNotes, "note", nil, "a note against an input, section=text ("+strings.Join(isms.ReviewSectionKeys, ", ")+"); repeat for more")
			return map[string]string{"note": "input_notes"}
		},
	})
	var heldOn string
	hold := &cobra.Command{Use: "hold REF", Short: "Mark a review held, freezing its inputs as they stand now", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			r, err := patchLatest(func() (int, error) {
				r, err := svc.Review(ctx, args[0])
				return r.Version, err
			}, func(version int) (isms.Review, error) { return svc.HoldReview(ctx, args[0], heldOn, version) })
			if err != nil {
				return err
			}
			printf(e.stdout, "%s was held on %s; its inputs are frozen.\n", r.Ref, r.HeldOn)
			return nil
		}}
	hold.Flags().StringVar(&heldOn, "on", "", "the day it was held, YYYY-MM-DD (default today)")
	inputs := &cobra.Command{Use: "inputs REF", Short: "Show a review's inputs, one section per input of 9.3.2", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			in, err := svc.ReviewInputs(ctx, args[0])
			if err != nil {
				return err
			}
			var rows [][]string
			for _, s := range in.Sections {
				for _, it := range s.Items {
					late := ""
					if it.Late {
						late = "late"
					}
					rows = append(rows, []string{s.Key, it.Kind, it.Ref, it.Title, it.State, it.Detail, late})
				}
			}
			return e.print(table{headers: []string{"input", "kind", "ref", "title", "state", "detail", "late"}, rows: rows, value: in})
		}}
	var format, out string
	minutes := &cobra.Command{Use: "minutes REF", Short: "Write the minutes of a review as Markdown or PDF (format from --format or the file's extension)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := format
			if f == "" && (out == "" || out == "-") {
				f = "md"
			}
			f, err := fileFormat(f, out, service.DocumentExportFormats)
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return svc.ReviewMinutes(ctx, args[0], f, w) })
		}}
	minutes.Flags().StringVar(&format, "format", "", "md or pdf (default from the file's extension, md on standard output)")
	minutes.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	actions := registerCmd(e, registerSpec[isms.ReviewAction, service.ReviewActionInput, service.ReviewActionFilter]{use: "action", noun: "review action",
		plural: "review actions", short: "The decisions of management reviews (9.3.3): list, show, add, set, delete",
		reg:  service.ReviewActionRegister,
		list: (*service.Service).ListReviewActions, get: (*service.Service).ReviewAction, add: (*service.Service).AddReviewAction,
		patch: (*service.Service).PatchReviewAction, delete: (*service.Service).DeleteReviewAction,
		label: func(a isms.ReviewAction) string { return a.Ref + " " + a.Decision },
		stamp: func(in *service.ReviewActionInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	})
	cmd.AddCommand(hold, inputs, minutes, actions)
	return cmd
}
