package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
)

// settingsCmd shows and changes the installation's settings (operator commands: they act on the database,
// not as any member).
func (e *env) settingsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "settings", Short: "Installation settings: show, set"}
	show := &cobra.Command{
		Use:   "show",
		Short: "Show the installation settings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			st, err := svc.InstallationSettings(cmd.Context())
			if err != nil {
				return err
			}
			t := table{headers: []string{"setting", "value", "meaning"}, value: st}
			t.rows = append(t.rows, []string{"org-creation", st.OrgCreation, orgCreationMeaning[st.OrgCreation]})
			return e.print(t)
		},
	}
	set := &cobra.Command{
		Use:   "set org-creation owners|anyone|operator",
		Short: "Change a setting: org-creation says who may create organisations in the web UI and API",
		Long: "org-creation: owners (default) lets owners and admins of an organisation create more; anyone lets every " +
			"signed-in user; operator leaves it to the command line (praxis org create, praxis init).",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "org-creation" {
				return isms.Invalid(isms.FieldError{Field: "setting", Message: "must be org-creation"})
			}
			svc, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			value := strings.ToLower(strings.TrimSpace(args[1]))
			before, err := svc.SetOrgCreation(cmd.Context(), value)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "org-creation: %s -> %s (%s)\n", before, value, orgCreationMeaning[value])
			return nil
		},
	}
	cmd.AddCommand(show, set)
	return cmd
}

var orgCreationMeaning = map[string]string{
	"owners":   "owners and admins of an organisation may create organisations",
	"anyone":   "every signed-in user may create organisations",
	"operator": "only the command line creates organisations",
}
