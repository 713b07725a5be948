package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) userCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Members of the organisation: list, invite, set, remove; invitations"}
	var role, baseURL string
	var approver bool
	inviteFlags := func(c *cobra.Command) {
		c.Flags().StringVar(&role, "role", "viewer", "owner, admin, editor, auditor or viewer")
		c.Flags().BoolVar(&approver, "approver", false, "may approve (top management); only owners grant it")
		c.Flags().StringVar(&baseURL, "base-url", envOr("PRAXIS_BASE_URL", ""), "the site's address, to print the whole link (env PRAXIS_BASE_URL)")
	}
	invite := &cobra.Command{
		Use:   "invite EMAIL",
		Short: "Invite someone: prints a link, usable once for 7 days, to pass on privately",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.invite(cmd.Context(), args[0], isms.Role(role), approver, baseURL)
		},
	}
	inviteFlags(invite)
	var name string
	add := &cobra.Command{
		Use:   "add EMAIL",
		Short: "Deprecated: creates an invitation, as `praxis user invite` does",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(e.stderr, "praxis user add no longer adds anyone directly: it creates an invitation that the person accepts (see `praxis user invite`).")
			return e.invite(cmd.Context(), args[0], isms.Role(role), approver, baseURL)
		},
	}
	inviteFlags(add)
	add.Flags().StringVar(&name, "name", "", "ignored: the invitee gives their own name")

	var status string
	invitations := &cobra.Command{
		Use:   "invitations",
		Short: "List invitations (open, accepted, expired, revoked)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			l, err := svc.ListInvitations(ctx, status, service.Page{Limit: 500})
			if err != nil {
				return err
			}
			t := table{headers: []string{"id", "email", "role", "approver", "status", "invited_by", "created", "expires"}, value: l.Items}
			for _, i := range l.Items {
				t.rows = append(t.rows, []string{i.ID, i.Email, string(i.Role), yesNo(i.Approver), i.Status, i.CreatedBy,
					i.CreatedAt.Format(time.RFC3339), i.ExpiresAt.Format(time.RFC3339)})
			}
			return e.print(t)
		},
	}
	invitations.Flags().StringVar(&status, "status", "", "only open, accepted, expired or revoked")
	revokeInvitation := &cobra.Command{
		Use:   "revoke-invitation ID",
		Short: "Revoke an open invitation: its link stops working",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if err := svc.RevokeInvitation(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "Revoked.")
			return nil
		},
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "List members",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			l, err := svc.ListMembers(ctx, service.Page{Limit: 500})
			if err != nil {
				return err
			}
			t := table{headers: []string{"email", "name", "role", "approver", "since"}, value: l.Items}
			for _, m := range l.Items {
				t.rows = append(t.rows, []string{m.Email, m.Name, string(m.Role), yesNo(m.Approver), m.CreatedAt.Format(time.DateOnly)})
			}
			return e.print(t)
		},
	}

	var setRole string
	var setApprover string
	set := &cobra.Command{
		Use:   "set EMAIL",
		Short: "Change a member's role or approver flag",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			m, err := e.member(ctx, svc, args[0])
			if err != nil {
				return err
			}
			in := service.UpdateMemberInput{Role: m.Role, Approver: m.Approver, Version: m.Version}
			if setRole != "" {
				in.Role = isms.Role(setRole)
			}
			if setApprover != "" {
				if in.Approver, err = strconv.ParseBool(setApprover); err != nil {
					return isms.Invalid(isms.FieldError{Field: "approver", Message: "must be true or false"})
				}
			}
			m, err = svc.UpdateMember(ctx, m.UserID, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "%s is now %s%s.\n", m.Email, m.Role, map[bool]string{true: " and approver"}[m.Approver])
			return nil
		},
	}
	set.Flags().StringVar(&setRole, "role", "", "new role")
	set.Flags().StringVar(&setApprover, "approver", "", "true or false")

	remove := &cobra.Command{
		Use:   "remove EMAIL",
		Short: "Remove a member from the organisation (revokes their API tokens there)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			m, err := e.member(ctx, svc, args[0])
			if err != nil {
				return err
			}
			if err := svc.RemoveMember(ctx, m.UserID); err != nil {
				return err
			}
			printf(e.stdout, "Removed %s.\n", m.Email)
			return nil
		},
	}
	cmd.AddCommand(invite, add, invitations, revokeInvitation, list, set, remove, e.resetPasswordCmd())
	return cmd
}

// invite creates an invitation as the acting member and prints its link: whole when the site's address is
// known, else the path with a note.
func (e *env) invite(ctx context.Context, email string, role isms.Role, approver bool, baseURL string) error {
	ctx, svc, err := e.acting(ctx)
	if err != nil {
		return err
	}
	token, inv, err := svc.CreateInvitation(ctx, service.InviteInput{Email: email, Role: role, Approver: approver})
	if err != nil {
		return err
	}
	link := service.InvitationPath(token)
	if baseURL != "" {
		link = strings.TrimRight(baseURL, "/") + link
	}
	if e.format == "json" {
		return writeJSON(e.stdout, map[string]any{"invitation": inv, "token": token, "link": link})
	}
	fmt.Fprintln(e.stdout, link)
	if baseURL == "" {
		fmt.Fprintln(e.stderr, "Put the site's address (as people open it) before this path, or pass --base-url / set PRAXIS_BASE_URL.")
	}
	printf(e.stderr, "Invitation for %s as %s%s, usable once until %s. Pass the link on privately: it is not shown again.\n",
		inv.Email, inv.Role, map[bool]string{true: " and approver"}[inv.Approver], inv.ExpiresAt.Format(time.RFC3339))
	return nil
}

// member finds a member by email.
func (e *env) member(ctx context.Context, svc *service.Service, email string) (isms.Membership, error) {
	l, err := svc.ListMembers(ctx, service.Page{Limit: 500})
	if err != nil {
		return isms.Membership{}, err
	}
	for _, m := range l.Items {
		if m.Email == isms.NormaliseEmail(email) {
			return m, nil
		}
	}
	return isms.Membership{}, isms.NotFound("%s is not a member", email)
}

func (e *env) tokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "API tokens: create, list, revoke"}
	var name, expires, scope string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token (printed once) for the acting member",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			days, err := parseDays(expires)
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			secret, t, err := svc.IssueToken(ctx, service.TokenInput{Name: name, ExpiresInDays: days, Scope: isms.TokenScope(scope)})
			if err != nil {
				return err
			}
			if e.format == "json" {
				return writeJSON(e.stdout, map[string]any{"token": secret, "detail": t})
			}
			fmt.Fprintln(e.stdout, secret)
			a, _ := service.ActorFrom(ctx)
			printf(e.stderr, "Token %q (%s) for %s (%s) in %s, expires %s. Store it now: it is not shown again.\n",
				t.Name, t.Scope, a.Email, a.Role, a.OrgSlug, t.ExpiresAt.Format(time.DateOnly))
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "a name that says where the token is used (required)")
	create.MarkFlagRequired("name")
	create.Flags().StringVar(&expires, "expires", fmt.Sprintf("%dd", isms.DefaultTokenDays), fmt.Sprintf("lifetime in days, e.g. 30d, 90d, 365d (at most %dd)", isms.MaxTokenDays))
	create.Flags().StringVar(&scope, "scope", string(isms.ScopeWrite), "write (whatever the member's role allows) or read (reads only)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List API tokens",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			l, err := svc.ListTokens(ctx, service.Page{Limit: 500})
			if err != nil {
				return err
			}
			now := svc.Now()
			t := table{headers: []string{"id", "name", "prefix", "scope", "created", "expires", "last_used", "revoked", "status"}, value: l.Items}
			for _, k := range l.Items {
				t.rows = append(t.rows, []string{k.ID, k.Name, k.Prefix, string(k.Scope), k.CreatedAt.Format(time.RFC3339), k.ExpiresAt.Format(time.RFC3339),
					fmtTime(k.LastUsedAt), fmtTime(k.RevokedAt), tokenStatus(k, now)})
			}
			return e.print(t)
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if err := svc.RevokeToken(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "Revoked.")
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

// tokenStatus says whether a token still works.
func tokenStatus(t isms.APIToken, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.Expired(now):
		return "expired"
	}
	return "active"
}

// parseDays reads a token lifetime such as "30d" (or a bare "30"); the service checks the range.
func parseDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "d"))
	if err != nil || n < 1 {
		return 0, isms.Invalid(isms.FieldError{Field: "expires", Message: fmt.Sprintf("must be a number of days such as 30d, 90d or 365d (at most %dd)", isms.MaxTokenDays)})
	}
	return n, nil
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func (e *env) orgCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "org", Short: "Organisations: list, create"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List every organisation in this database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			orgs, err := svc.AllOrganisations(cmd.Context())
			if err != nil {
				return err
			}
			t := table{headers: []string{"slug", "name", "created"}, value: orgs}
			for _, o := range orgs {
				t.rows = append(t.rows, []string{o.Slug, o.Name, o.CreatedAt.Format(time.DateOnly)})
			}
			return e.print(t)
		},
	}
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create another organisation with the acting member as owner",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			o, err := svc.CreateOrganisation(ctx, args[0])
			if err != nil {
				return err
			}
			printf(e.stdout, "Created %s (short name %s).\n", o.Name, o.Slug)
			return nil
		},
	}
	cmd.AddCommand(list, create, e.twoFactorOrgCmd())
	return cmd
}

func (e *env) logCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "log", Short: "The audit trail: list, export, verify, checkpoint"}
	var f service.AuditFilter
	var limit int
	addFilters := func(c *cobra.Command) {
		c.Flags().StringVar(&f.Entity, "entity", "", "only this entity (member, person, ...)")
		c.Flags().StringVar(&f.Actor, "actor", "", "only changes by this email")
		c.Flags().StringVar(&f.Action, "action", "", "only this action (create, update, ...)")
		c.Flags().StringVar(&f.Ref, "ref", "", "only this reference")
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List audit events, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			l, err := svc.ListAudit(ctx, f, service.Page{Limit: limit})
			if err != nil {
				return err
			}
			t := table{headers: []string{"seq", "at", "actor", "via", "action", "entity", "ref"}, value: l.Items}
			for _, ev := range l.Items {
				t.rows = append(t.rows, []string{strconv.FormatInt(ev.Seq, 10), ev.At.Format(time.RFC3339), ev.Actor, ev.Via, ev.Action, ev.Entity, ev.Ref})
			}
			return e.print(t)
		},
	}
	addFilters(list)
	list.Flags().IntVar(&limit, "limit", 50, "how many events")
	var out string
	export := &cobra.Command{
		Use:   "export",
		Short: "Export the audit trail as CSV, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				return svc.ExportAuditCSV(ctx, f, e.stdout)
			}
			file, err := os.Create(out)
			if err != nil {
				return err
			}
			if err := svc.ExportAuditCSV(ctx, f, file); err != nil {
				file.Close()
				return err
			}
			return file.Close()
		},
	}
	addFilters(export)
	export.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	var checkpointFile string
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Recompute the audit-trail hash chains; exit 1 naming the first broken event",
		Long: "Recompute every organisation's audit-trail hash chain with the installation key and exit 1 naming the\n" +
			"first broken event. With --checkpoint FILE, check that file's signature and that the present trail still\n" +
			"extends it: nothing removed or rewritten up to the checkpoint's sequence.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			var res []service.VerifyResult
			if checkpointFile != "" {
				var c isms.Checkpoint
				if err := readJSONFile(checkpointFile, &c); err != nil {
					return err
				}
				r, err := svc.VerifyCheckpoint(cmd.Context(), c)
				if err != nil {
					return err
				}
				res = []service.VerifyResult{r}
			} else if res, err = svc.VerifyAuditTrail(cmd.Context(), e.org); err != nil {
				return err
			}
			broken := false
			if e.format == "json" {
				if err := writeJSON(e.stdout, res); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(e.stdout, "installation key %s\n", svc.AuditKeyID())
			}
			for _, r := range res {
				if !r.Intact {
					broken = true
				}
				if e.format == "json" {
					continue
				}
				if r.Intact && checkpointFile != "" {
					printf(e.stdout, "%s: intact, %d events verified, the checkpoint is part of the trail\n", r.Org, r.Events)
				} else if r.Intact {
					printf(e.stdout, "%s: intact, %d events verified\n", r.Org, r.Events)
				} else {
					printf(e.stdout, "%s: BROKEN at %s\n", r.Org, r.Break)
				}
			}
			if broken {
				return ExitError{Code: 1}
			}
			return nil
		},
	}
	verify.Flags().StringVar(&checkpointFile, "checkpoint", "", "a checkpoint file (from log checkpoint) the trail must still extend")
	var checkpointOut string
	checkpoint := &cobra.Command{
		Use:   "checkpoint",
		Short: "Write a signed checkpoint of the audit trail's head, for an auditor to keep",
		Long: "Verify the organisation's audit trail and write a checkpoint: its sequence and hash now, signed with the\n" +
			"installation key. Later, `praxis log verify --checkpoint FILE` proves that nothing up to it was removed or rewritten.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			c, err := svc.Checkpoint(ctx)
			if err != nil {
				return err
			}
			if checkpointOut == "" || checkpointOut == "-" {
				return writeJSON(e.stdout, c)
			}
			f, err := os.OpenFile(checkpointOut, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return err
			}
			if err := writeJSON(f, c); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "Checkpoint of %s at sequence %d written to %s.\n", c.OrgSlug, c.Seq, checkpointOut)
			return nil
		},
	}
	checkpoint.Flags().StringVarP(&checkpointOut, "output", "o", "", "file to write (default standard output)")
	cmd.AddCommand(list, export, verify, e.securityLogCmd(), checkpoint)
	return cmd
}

// readJSONFile decodes the JSON file at path into v, naming the file when it cannot.
func readJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: not JSON: %w", path, err)
	}
	return nil
}
