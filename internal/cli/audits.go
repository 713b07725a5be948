package cli

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) auditCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.Audit, service.AuditInput, service.InternalAuditFilter]{use: "audit", noun: "audit",
		plural: "audits", short: "Internal audits (9.2): list, show, add, set, delete, checklist, report, programme",
		reg:  service.AuditRegister,
		list: (*service.Service).ListAudits, get: (*service.Service).Audit, add: (*service.Service).AddAudit,
		patch: (*service.Service).PatchAudit, delete: (*service.Service).DeleteAudit,
		label: func(a isms.Audit) string { return a.Ref + " " + a.Title },
		stamp: func(in *service.AuditInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		show: func(e *env, a isms.Audit) error {
			e.warn(a.Warnings)
			return e.print(listTable(service.AuditRegister.ListColumns, []isms.Audit{a}, a))
		},
		// --clause, --control and --team (repeatable, or comma-separated); an empty value clears them.
		more: func(c *cobra.Command, in *service.AuditInput) map[string]string {
			c.Flags().StringSliceVar(&in.Clauses, "clause", nil, "a clause in scope (9.2); repeat or separate by commas")
			c.Flags().StringSliceVar(&in.Controls, "control", nil, "an Annex A control in scope (8.28); repeat or separate by commas")
			c.Flags().StringSliceVar(&in.Team, "team", nil, "an auditor of the team (reference, name or email); repeat or separate by commas")
			return map[string]string{"clause": "clauses", "control": "controls", "team": "team"}
		},
	})
	cmd.AddCommand(e.auditChecklistCmd(), e.auditReportCmd(), e.auditProgrammeCmd())
	return cmd
}

// auditChecklistCmd shows an audit's checklist or, with --item, records a result against one item (and with
// --raise, raises a finding from it).
func (e *env) auditChecklistCmd() *cobra.Command {
	var item, raise, grade string
	var in service.AuditItemInput
	c := &cobra.Command{Use: "checklist REF", Short: "Show an audit's checklist, or record a result with --item", Args: cobra.ExactArgs(1),
		Example: `  praxis audit checklist AU-001
  praxis audit checklist AU-001 --item 8.28 --result nonconformity --evidence "Two merges without review"
  praxis audit checklist AU-001 --item 8.28 --raise "Code review skipped" --grade major-nc`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if item == "" {
				cl, err := svc.Checklist(ctx, args[0])
				if err != nil {
					return err
				}
				e.warn(cl.Audit.Warnings)
				t := table{headers: []string{"#", "item", "title", "result", "evidence seen", "notes"}, widths: []int{0, 0, 40, 0, 40, 30}, value: cl}
				for _, it := range cl.Items {
					t.rows = append(t.rows, []string{strconv.Itoa(it.Position), it.Label(), it.Title, it.Result, it.EvidenceSeen, it.Notes})
				}
				return e.print(t)
			}
			sent := service.Sent{}
			for flag, field := range map[string]string{"result": "result", "evidence": "evidence_seen", "notes": "notes"} {
				if cmd.Flags().Changed(flag) {
					sent[field] = true
				}
			}
			if len(sent) > 0 {
				in.Sent = sent
				it, err := svc.SetAuditItem(ctx, args[0], item, in)
				if err != nil {
					return err
				}
				printf(e.stdout, "Recorded %s: %s.\n", it.Label(), orDash(it.Result))
			}
			if raise != "" || cmd.Flags().Changed("grade") {
				f, err := svc.RaiseFinding(ctx, args[0], item, service.FindingInput{Title: raise, Grade: grade})
				if err != nil {
					return err
				}
				printf(e.stdout, "Raised %s %s (%s).\n", f.Ref, f.Title, f.GradeWords())
			}
			return nil
		}}
	c.Flags().StringVar(&item, "item", "", "the item to record: A.8.28 or 8.28 (a control), 9.2 (a clause), clause 8.2 where an id is both")
	c.Flags().StringVar(&in.Result, "result", "", "conforms, nonconformity, observation or not-audited")
	c.Flags().StringVar(&in.EvidenceSeen, "evidence", "", "the evidence seen")
	c.Flags().StringVar(&in.Notes, "notes", "", "notes")
	c.Flags().StringVar(&raise, "raise", "", "raise a finding from the item with this title (default: the item's)")
	c.Flags().StringVar(&grade, "grade", "", "the raised finding's grade (default minor-nc for a nonconformity, else observation)")
	return c
}

func orDash(s string) string {
	if s == "" {
		return "no result"
	}
	return s
}

func (e *env) auditReportCmd() *cobra.Command {
	var format, out string
	c := &cobra.Command{Use: "report REF", Short: "Write an audit's report as Markdown or PDF (format from --format or the file's extension)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := format
			if f == "" && (out == "" || out == "-") {
				f = "md"
			}
			f, err := fileFormat(f, out, []string{"md", "pdf"})
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return svc.WriteAuditReport(ctx, args[0], f, w) })
		}}
	c.Flags().StringVar(&format, "format", "", "md or pdf (default from the file's extension, md on standard output)")
	c.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	return c
}

// auditProgrammeCmd shows the programme's coverage per year, or sets its cycle with --cycle-start.
func (e *env) auditProgrammeCmd() *cobra.Command {
	var in service.ProgrammeInput
	c := &cobra.Command{Use: "programme", Short: "Show the audit programme's coverage of clauses 4 to 10 and the applicable controls per cycle year, or set its cycle",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			p, err := svc.AuditProgramme(ctx)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("cycle-start") || cmd.Flags().Changed("notes") {
				if !cmd.Flags().Changed("cycle-start") {
					in.CycleStart = p.Programme.CycleStart
				}
				in.Version = p.Programme.Version
				if p, err = svc.SetAuditProgramme(ctx, in); err != nil {
					return err
				}
				printf(e.stdout, "Programme cycle from %s (version %s).\n", p.Programme.CycleStart, strconv.Itoa(p.Programme.Version))
				return nil
			}
			return e.printProgramme(ctx, p)
		}}
	c.Flags().StringVar(&in.CycleStart, "cycle-start", "", "set the first day of the three-year certification cycle, YYYY-MM-DD")
	c.Flags().StringVar(&in.Notes, "notes", "", "set the programme's notes")
	return c
}

// printProgramme prints one row per clause and applicable control with the audits of each year, and what is
// not yet covered on stderr.
func (e *env) printProgramme(_ context.Context, p service.Programme) error {
	cov := p.Coverage
	if cov.CycleStart == "" {
		printf(e.stderr, "praxis: the programme has no cycle yet: set one with praxis audit programme --cycle-start YYYY-MM-DD\n")
	}
	t := table{headers: []string{"item", "title"}, widths: []int{0, 40}, value: p}
	for _, y := range cov.Years {
		t.headers = append(t.headers, "year "+strconv.Itoa(y.Year)+" ("+y.From+")")
	}
	t.headers = append(t.headers, "done")
	for _, r := range cov.Rows {
		row := []string{r.Label(), r.Title}
		for _, refs := range r.Years {
			row = append(row, strings.Join(refs, " "))
		}
		t.rows = append(t.rows, append(row, yesNo(r.Done)))
	}
	if len(cov.Missing) > 0 {
		e.warn([]string{"not covered in this cycle: " + strings.Join(cov.Missing, ", ")})
	}
	return e.print(t)
}
