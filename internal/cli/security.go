package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// resetPasswordCmd is `praxis user reset-password EMAIL`: the operator's way back into an account when there is
// no mail server. It prints a one-time link.
func (e *env) resetPasswordCmd() *cobra.Command {
	var baseURL string
	var clear2FA bool
	cmd := &cobra.Command{
		Use:   "reset-password EMAIL",
		Short: "Print a one-time password reset link (1 hour) for a user; --disable-two-factor also turns two-factor off",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			token, err := svc.OperatorResetLink(cmd.Context(), args[0], clear2FA)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s%s%s\n", strings.TrimSuffix(baseURL, "/"), service.ResetPath, token)
			fmt.Fprintf(e.stderr, "Give this link to %s: it works once, within %s, and ends every session of the account.\n",
				isms.NormaliseEmail(args[0]), service.ResetLinkTTL)
			return nil
		},
	}
	cmd.Flags().StringVar(&baseURL, "base-url", "http://127.0.0.1:8080", "the address users reach praxis at")
	cmd.Flags().BoolVar(&clear2FA, "disable-two-factor", false, "the link also turns the account's two-factor authentication off (a lost phone)")
	return cmd
}

// securityLogCmd is `praxis log security`: the members' logins and other security events.
func (e *env) securityLogCmd() *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "security",
		Short: "List the members' logins, failures and other security events, newest first (owners)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			l, err := svc.ListSecurityEvents(ctx, service.Page{Limit: limit})
			if err != nil {
				return err
			}
			t := table{headers: []string{"at", "kind", "email", "ip", "detail"}, value: l.Items}
			for _, ev := range l.Items {
				t.rows = append(t.rows, []string{ev.At.Format(time.RFC3339), ev.Kind, ev.Email, ev.IP, ev.Detail})
			}
			return e.print(t)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, "how many events")
	return cmd
}

// twoFactorOrgCmd is `praxis org two-factor required|optional`.
func (e *env) twoFactorOrgCmd() *cobra.Command {
	return &cobra.Command{
		Use:       "two-factor required|optional",
		Short:     "Require two-factor authentication of every member of the organisation, or not (owners)",
		Args:      cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"required", "optional"},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			o, err := svc.SetRequireTwoFactor(ctx, args[0] == "required")
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Two-factor authentication is %s in %s.\n", args[0], o.Name)
			return nil
		},
	}
}
