package cli

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func soaTable(entries []isms.SoAEntry, value any) table {
	t := table{headers: []string{"control", "title", "theme", "applicable", "status", "owner", "reasons", "risks", "justification", "version"}, value: value}
	for _, e := range entries {
		t.rows = append(t.rows, []string{e.Control, e.Title, e.Theme, e.Applicability(), e.Status, e.Owner, strings.Join(e.AllReasons(), ","),
			strings.Join(e.Risks, ","), e.Justification, strconv.Itoa(e.Version)})
	}
	return t
}

// soaFields maps the flags of `soa set` to the fields they change.
var soaFields = map[string]string{"applicable": "applicable", "justification": "justification", "reason": "reasons", "status": "status",
	"owner": "owner", "notes": "notes"}

func (e *env) soaCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "soa", Short: "Statement of Applicability: list, show, set, approve, versions, diff, export"}
	var f service.SoAFilter
	list := &cobra.Command{
		Use:   "list",
		Short: "List the SoA's entries in catalog order",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			v, err := svc.SoA(ctx, f)
			if err != nil {
				return err
			}
			return e.print(soaTable(v.Entries, v.Entries))
		},
	}
	list.Flags().StringVar(&f.Theme, "theme", "", "only this theme: organizational, people, physical, technological")
	list.Flags().StringArrayVar(&f.Attrs, "attr", nil, "only controls with this ISO/IEC 27002 attribute, KEY=VALUE (repeatable)")
	list.Flags().StringVar(&f.Status, "status", "", "only this status: "+strings.Join(isms.SoAStatuses, ", ")+" or none")
	list.Flags().StringVar(&f.Applicable, "applicable", "", "only yes, no or undecided")
	list.Flags().StringVar(&f.Owner, "owner", "", "only this owner (person reference, P-001)")
	show := &cobra.Command{
		Use:   "show CONTROL",
		Short: "Show one entry (8.28)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			en, err := svc.SoAEntry(ctx, args[0])
			if err != nil {
				return err
			}
			return e.print(soaTable([]isms.SoAEntry{en}, en))
		},
	}
	cmd.AddCommand(list, show, e.soaSetCmd(), e.soaApproveCmd(), e.soaVersionsCmd(), e.soaDiffCmd(), e.soaExportCmd())
	return cmd
}

// soaSetCmd changes the flags given on one entry, or on several: the controls named, or those --theme and
// --attr select. A refused change prints why, exits non-zero and changes nothing.
func (e *env) soaSetCmd() *cobra.Command {
	var in service.SoAInput
	var applicable string
	var bulk service.SoAFilter
	set := &cobra.Command{
		Use:   "set [CONTROL...]",
		Short: "Change SoA entries (only the flags given change): one control, several, or those --theme/--attr select",
		Example: `  praxis soa set 8.28 --applicable --justification "We write our own software" --status implemented --owner P-003
  praxis soa set --theme physical --applicable=false --justification "Remote-first: no premises of our own"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			sent := service.Sent{} // the fields given; the selecting flags (--theme, --attr) and global ones are not fields
			for field := range sentFlags(cmd, soaFields) {
				if slices.Contains(slices.Collect(maps.Values(soaFields)), field) {
					sent[field] = true
				}
			}
			if sent["applicable"] {
				v, ok := isms.ParseApplicable(applicable)
				if !ok {
					return isms.Invalid(isms.FieldError{Field: "applicable", Message: "must be yes, no or undecided"})
				}
				in.Applicable = v
			}
			in.Sent = sent
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if len(args) == 1 && bulk.Theme == "" && len(bulk.Attrs) == 0 {
				en, err := patchLatest(func() (int, error) {
					en, err := svc.SoAEntry(ctx, args[0])
					return en.Version, err
				}, func(version int) (isms.SoAEntry, error) {
					in.Version = version
					return svc.SetSoAEntry(ctx, args[0], in)
				})
				if err != nil {
					return err
				}
				printf(e.stdout, "Updated %s %s (version %d).\n", en.Control, en.Title, en.Version)
				return nil
			}
			changed, err := svc.BulkSetSoA(ctx, service.BulkSoAInput{Controls: args, Filter: bulk, Set: in})
			if err != nil {
				return err
			}
			ids := make([]string, len(changed))
			for i, en := range changed {
				ids[i] = en.Control
			}
			printf(e.stdout, "Updated %d entries: %s.\n", len(changed), strings.Join(ids, ", "))
			return nil
		},
	}
	fl := set.Flags()
	fl.StringVar(&applicable, "applicable", "", "yes (true), no (false) or undecided; --applicable alone means yes")
	fl.Lookup("applicable").NoOptDefVal = "yes"
	fl.StringVar(&in.Justification, "justification", "", "why the control applies or not")
	fl.StringSliceVar(&in.Reasons, "reason", nil, "reasons for inclusion: legal, contractual, business, best-practice (repeatable or a comma list); risk comes from the risk register")
	fl.StringVar(&in.Status, "status", "", "implementation status: "+strings.Join(isms.SoAStatuses, ", "))
	fl.StringVar(&in.Owner, "owner", "", `owner (person reference, name or email; "" for none)`)
	fl.StringVar(&in.Notes, "notes", "", "notes")
	fl.StringVar(&bulk.Theme, "theme", "", "change every control of this theme")
	fl.StringArrayVar(&bulk.Attrs, "attr", nil, "change every control with this attribute, KEY=VALUE (repeatable)")
	return set
}

func (e *env) soaApproveCmd() *cobra.Command {
	var comment string
	c := &cobra.Command{
		Use:   "approve",
		Short: "Approve the current SoA as the next version (approvers only; refused while entries are incomplete)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			v, err := svc.ApproveSoA(ctx, comment)
			if err != nil {
				return err
			}
			printf(e.stdout, "Approved SoA version %d (SHA-256 %s).\n", v.Number, v.Hash)
			return nil
		},
	}
	c.Flags().StringVar(&comment, "comment", "", "what this version changes, or why it is approved")
	return c
}

func (e *env) soaVersionsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "versions",
		Short: "List the approved versions, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			vs, err := svc.SoAVersions(ctx)
			if err != nil {
				return err
			}
			t := table{headers: []string{"number", "approved_at", "approved_by", "applicable", "excluded", "comment", "hash"}, value: vs}
			for _, v := range vs {
				t.rows = append(t.rows, []string{strconv.Itoa(v.Number), v.ApprovedAt.Format("2006-01-02 15:04"), v.ApprovedBy,
					strconv.Itoa(v.Summary.Applicable), strconv.Itoa(v.Summary.Excluded), v.Comment, v.Hash})
			}
			return e.print(t)
		},
	}
}

func (e *env) soaDiffCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "diff FROM TO",
		Short:   "What changed between two versions, or a version and the draft",
		Example: "  praxis soa diff 1 2\n  praxis soa diff 2 draft",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.DiffSoA(ctx, args[0], args[1])
			if err != nil {
				return err
			}
			if len(d.Changes) == 0 && e.format != "json" {
				printf(e.stdout, "No differences between %s and %s.\n", d.From, d.To)
				return nil
			}
			t := table{headers: []string{"control", "title", "field", fmt.Sprint(d.From), fmt.Sprint(d.To)}, value: d}
			for _, c := range d.Changes {
				t.rows = append(t.rows, []string{c.Control, c.Title, c.Field, c.Before, c.After})
			}
			return e.print(t)
		},
	}
}
