package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// lintCmd is `praxis lint`: what a certification auditor would raise today, with an exit status for CI, and
// `lint ack` / `lint unack` to accept a known gap for a while.
func (e *env) lintCmd() *cobra.Command {
	var severity string
	var rules bool
	cmd := &cobra.Command{Use: "lint", Short: "What a certification auditor would raise today; exit status 1 when a major finding is not acknowledged",
		Long: "Check the organisation's data the way a certification auditor would. Every finding has a severity (major,\n" +
			"minor, info), a rule, the clause, control or record it is about (ref), what to do, and a link to fix it.\n" +
			"The exit status is 1 when any major finding is not acknowledged (whatever --severity shows), 0 otherwise.",
		Example: "  praxis lint\n  praxis lint --severity major --format json\n  praxis lint --rules\n" +
			"  praxis lint ack scope-changed --reason \"New scope goes to the board on 12 May\" --until 2026-05-31",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if severity != "" && isms.Severity(severity).Rank() >= len(isms.Severities) {
				return isms.Invalid(isms.FieldError{Field: "severity", Message: "must be major, minor or info"})
			}
			if rules {
				return e.print(rulesTable(isms.Severity(severity)))
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			r, err := svc.Lint(ctx)
			if err != nil {
				return err
			}
			if err := e.print(lintTable(r, isms.Severity(severity))); err != nil {
				return err
			}
			if e.format == "table" || e.format == "" {
				fmt.Fprintf(e.stdout, "%d major, %d minor, %d info%s\n", r.Major, r.Minor, r.Info, acknowledgedNote(r))
			}
			if r.Failed() {
				return ExitError{Code: 1}
			}
			return nil
		}}
	cmd.Flags().StringVar(&severity, "severity", "", "show only findings (or rules) of this severity: major, minor or info")
	cmd.Flags().BoolVar(&rules, "rules", false, "list every rule instead of running them")
	cmd.AddCommand(e.lintAckCmd(), e.lintUnackCmd())
	return cmd
}

// lintTable is the findings of severity (all when empty); JSON gets the findings themselves.
func lintTable(r isms.LintReport, severity isms.Severity) table {
	t := table{headers: []string{"severity", "rule", "ref", "message", "link", "acknowledged"}, widths: []int{8, 30, 12, 120, 40, 60},
		value: []isms.LintFinding{}}
	var shown []isms.LintFinding
	for _, f := range r.Findings {
		if severity != "" && f.Severity != severity {
			continue
		}
		shown = append(shown, f)
		ack := ""
		if k := f.Acknowledged; k != nil {
			ack = fmt.Sprintf("until %s by %s: %s", k.ExpiresOn, k.By, k.Reason)
		}
		t.rows = append(t.rows, []string{string(f.Severity), f.Rule, f.Ref, f.Message, f.Link, ack})
	}
	if shown != nil {
		t.value = shown
	}
	return t
}

// acknowledgedNote says how many findings the counts leave out because they are acknowledged.
func acknowledgedNote(r isms.LintReport) string {
	n := 0
	for _, f := range r.Findings {
		if f.Acknowledged != nil {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (and %d acknowledged)", n)
}

// rulesTable is every declared rule of severity (all when empty).
func rulesTable(severity isms.Severity) table {
	t := table{headers: []string{"rule", "step", "severity", "ref", "title"}, widths: []int{30, 4, 8, 12, 80}}
	rules := []isms.Rule{}
	for _, r := range service.Rules() {
		if severity != "" && r.Severity != severity {
			continue
		}
		rules = append(rules, r)
		t.rows = append(t.rows, []string{r.ID, strconv.Itoa(r.Step), string(r.Severity), r.Ref, r.Title})
	}
	t.value = rules
	return t
}

func (e *env) lintAckCmd() *cobra.Command {
	var reason, until string
	cmd := &cobra.Command{Use: "ack RULE [REF]", Short: "Acknowledge a finding until a day: it stays listed but does not fail the lint (owners, admins, approvers)",
		Long: "Acknowledge the finding of RULE about REF (the record or clause the finding names; left out, the rule's\n" +
			"own ref) with a reason, until a day at most a year ahead. Acknowledging it again replaces the reason and day.",
		Example: "  praxis lint ack scope-changed --reason \"New scope goes to the board on 12 May\" --until 2026-05-31",
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			k, err := svc.AcknowledgeFinding(ctx, args[0], argOr(args, 1), reason, until)
			if err != nil {
				return err
			}
			printf(e.stdout, "Acknowledged %s %s until %s.\n", k.Rule, k.Ref, k.ExpiresOn)
			return nil
		}}
	cmd.Flags().StringVar(&reason, "reason", "", "why the finding is accepted for now (required)")
	cmd.Flags().StringVar(&until, "until", "", "the last day the acknowledgement holds, YYYY-MM-DD (required, at most a year ahead)")
	return cmd
}

func (e *env) lintUnackCmd() *cobra.Command {
	return &cobra.Command{Use: "unack RULE [REF]", Short: "Withdraw an acknowledgement: the finding counts again", Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if err := svc.RemoveAcknowledgement(ctx, args[0], argOr(args, 1)); err != nil {
				return err
			}
			printf(e.stdout, "Removed the acknowledgement of %s.\n", strings.TrimSpace(args[0]+" "+argOr(args, 1)))
			return nil
		}}
}

// argOr is args[i], or "" when it was not given.
func argOr(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}
