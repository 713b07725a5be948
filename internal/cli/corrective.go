package cli

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// correctiveCmd is praxis corrective: the register's commands, the effectiveness check and closing.
func (e *env) correctiveCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.CorrectiveAction, service.CorrectiveInput, service.CorrectiveFilter]{use: "corrective", noun: "corrective action",
		plural: "corrective actions", short: "Corrective actions (10.2): list, show, add, set, verify, close, delete, export",
		reg:  service.CorrectiveRegister,
		list: (*service.Service).ListCorrective, get: (*service.Service).Corrective, add: (*service.Service).AddCorrective,
		patch: (*service.Service).PatchCorrective, delete: (*service.Service).DeleteCorrective,
		label: func(c isms.CorrectiveAction) string { return c.Ref + " " + c.Title },
		stamp: func(in *service.CorrectiveInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		show:  func(e *env, c isms.CorrectiveAction) error { return e.showCorrective(c) },
		filters: func(c *cobra.Command, f *service.CorrectiveFilter) func(*service.Service) {
			var overdue bool
			c.Flags().BoolVar(&overdue, "overdue", false, "only actions past their due date and not closed")
			return func(svc *service.Service) {
				if overdue {
					f.OverdueOn = svc.Today()
				}
			}
		},
	})
	var check service.CheckInput
	verify := &cobra.Command{Use: "verify REF", Short: "Record the effectiveness check (as you, now): effective, or not-effective (reopens it)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			c, err := patchLatest(func() (int, error) {
				c, err := svc.Corrective(ctx, args[0])
				return c.Version, err
			}, func(version int) (isms.CorrectiveAction, error) {
				check.Version = version
				return svc.VerifyCorrective(ctx, args[0], check)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Checked %s: %s; it is %s.\n", c.Ref, c.CheckResult, c.Status)
			return nil
		}}
	verify.Flags().StringVar(&check.Result, "result", "", "effective or not-effective")
	verify.Flags().StringVar(&check.Notes, "notes", "", "what was checked and seen")
	closeCmd := &cobra.Command{Use: "close REF", Short: "Close a corrective action (needs an effective check)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			c, err := patchLatest(func() (int, error) {
				c, err := svc.Corrective(ctx, args[0])
				return c.Version, err
			}, func(version int) (isms.CorrectiveAction, error) { return svc.CloseCorrective(ctx, args[0], version) })
			if err != nil {
				return err
			}
			printf(e.stdout, "Closed %s.\n", c.Ref)
			return nil
		}}
	cmd.AddCommand(verify, closeCmd, e.oscalExportCmd("Export the corrective actions not closed as an OSCAL plan of action and milestones",
		func(ctx context.Context, svc *service.Service, w io.Writer) error {
			return svc.ExportCorrectiveOSCAL(ctx, w)
		}))
	return cmd
}

// showCorrective prints a corrective action with its check.
func (e *env) showCorrective(c isms.CorrectiveAction) error {
	if e.format != "table" {
		return e.print(listTable(service.CorrectiveRegister.ListColumns, []isms.CorrectiveAction{c}, c))
	}
	checked := ""
	if c.CheckedAt != nil {
		checked = c.CheckResult + ", by " + c.CheckedBy + " on " + c.CheckedAt.Format("2006-01-02")
	}
	detail(e.stdout, [][2]string{{"corrective action", c.Ref + " " + c.Title}, {"finding", c.Finding + " " + c.FindingTitle},
		{"status", c.Status}, {"owner", personLabel(c.OwnerName, c.Owner)}, {"due", c.Due}, {"correction", c.Correction},
		{"root cause", c.RootCause}, {"action", c.Action}, {"check", checked}, {"check notes", c.CheckNotes}, {"version", strconv.Itoa(c.Version)}})
	return nil
}

// oscalExportCmd is an export command writing an OSCAL JSON document (--format oscal, the only format).
func (e *env) oscalExportCmd(short string, write func(ctx context.Context, svc *service.Service, w io.Writer) error) *cobra.Command {
	var format, out string
	c := &cobra.Command{Use: "export", Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "oscal" {
				return isms.Invalid(isms.FieldError{Field: "format", Message: "must be oscal"})
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return write(ctx, svc, w) })
		}}
	c.Flags().StringVar(&format, "format", "oscal", "oscal (OSCAL 1.1.3 JSON)")
	c.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	return c
}

// withFindingsOSCAL lets the finding command's export write OSCAL assessment results with --format oscal (its
// other formats stay as they are).
func (e *env) withFindingsOSCAL(finding *cobra.Command) *cobra.Command {
	for _, c := range finding.Commands() {
		if c.Name() != "export" {
			continue
		}
		run := c.RunE
		c.Short += "; --format oscal writes OSCAL assessment results"
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if f, _ := cmd.Flags().GetString("format"); f != "oscal" {
				return run(cmd, args)
			}
			audit, _ := cmd.Flags().GetString("audit")
			out, _ := cmd.Flags().GetString("output")
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return svc.ExportFindingsOSCAL(ctx, audit, w) })
		}
	}
	return finding
}
