package cli

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

// Clause 4 commands: praxis issue ... and praxis party ... (with the requirements), on one register door.

// registerDoor is what the CLI needs of a kit register to give it list, show, add, set and delete: T the row, F
// its filter, In its input (whose flags come from its fields).
type registerDoor[T, F, In any] struct {
	noun  string // issue, party
	reg   *store.Register[T, F]
	list  func(*service.Service, context.Context, F, service.Page) (service.List[T], error)
	get   func(*service.Service, context.Context, string) (T, error)
	add   func(*service.Service, context.Context, In) (T, error)
	patch func(*service.Service, context.Context, string, In) (T, error)
	del   func(*service.Service, context.Context, string) error
	// stamp puts the version read and the fields sent on an input before a patch.
	stamp func(in *In, version int, sent service.Sent)
	// extraFlags adds flags InputFields cannot give (lists), for add and set.
	extraFlags func(c *cobra.Command, in *In)
	// show prints one row (nil: its list columns as a one-row table).
	show func(e *env, row T) error
}

// commands are list, show, add, set and delete of the register.
func (d registerDoor[T, F, In]) commands(e *env) []*cobra.Command {
	var f F
	var limit, offset int
	list := &cobra.Command{Use: "list", Short: "List the " + d.noun + " register", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			l, err := d.list(svc, ctx, f, service.Page{Limit: limit, Offset: offset})
			if err != nil {
				return err
			}
			return e.print(listTable(d.reg.ListColumns, l.Items, l.Items))
		}}
	filterFlags(list, d.reg, &f)
	list.Flags().IntVar(&limit, "limit", 500, "how many")
	list.Flags().IntVar(&offset, "offset", 0, "skip this many")
	show := &cobra.Command{Use: "show REF", Short: "Show one " + d.noun, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			row, err := d.get(svc, ctx, args[0])
			if err != nil {
				return err
			}
			if d.show != nil {
				return d.show(e, row)
			}
			return e.print(listTable(d.reg.ListColumns, []T{row}, row))
		}}
	var in In
	flags := func(c *cobra.Command) {
		inputFlags(c, &in)
		if d.extraFlags != nil {
			d.extraFlags(c, &in)
		}
	}
	add := &cobra.Command{Use: "add", Short: "Add a " + d.noun, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			row, err := d.add(svc, ctx, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s.\n", *d.reg.Ref(&row))
			return nil
		}}
	flags(add)
	set := &cobra.Command{Use: "set REF", Short: "Change a " + d.noun + " (only the flags given change)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			row, err := patchLatest(func() (int, error) {
				row, err := d.get(svc, ctx, args[0])
				return *d.reg.Version(&row), err
			}, func(version int) (T, error) {
				d.stamp(&in, version, sentFlags(cmd, nil))
				return d.patch(svc, ctx, args[0], in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s (version %s).\n", *d.reg.Ref(&row), strconv.Itoa(*d.reg.Version(&row)))
			return nil
		}}
	flags(set)
	del := e.deleteCmd("Delete a "+d.noun, func(ctx context.Context, svc *service.Service, ref string) error { return d.del(svc, ctx, ref) })
	return []*cobra.Command{list, show, add, set, del}
}

var issueDoor = registerDoor[isms.Issue, service.IssueFilter, service.IssueInput]{noun: "issue", reg: service.IssueRegister,
	list: (*service.Service).ListIssues, get: (*service.Service).Issue, add: (*service.Service).AddIssue, patch: (*service.Service).PatchIssue,
	del:   (*service.Service).DeleteIssue,
	stamp: func(in *service.IssueInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent }}

var partyDoor = registerDoor[isms.Party, service.PartyFilter, service.PartyInput]{noun: "party", reg: service.PartyRegister,
	list: (*service.Service).ListParties, get: (*service.Service).Party, add: (*service.Service).AddParty, patch: (*service.Service).PatchParty,
	del:   (*service.Service).DeleteParty,
	stamp: func(in *service.PartyInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	show: func(e *env, p isms.Party) error {
		if e.format == "json" {
			return writeJSON(e.stdout, p)
		}
		if err := e.print(listTable(service.PartyRegister.ListColumns, []isms.Party{p}, p)); err != nil || e.format == "csv" {
			return err
		}
		printf(e.stdout, "\nRequirements (%d):\n", len(p.Requirements))
		return e.print(listTable(service.RequirementRegister.ListColumns, p.Requirements, p.Requirements))
	}}

var requirementDoor = registerDoor[isms.Requirement, service.RequirementFilter, service.RequirementInput]{noun: "requirement",
	reg: service.RequirementRegister, list: (*service.Service).ListRequirements, get: (*service.Service).Requirement,
	add: (*service.Service).AddRequirement, patch: (*service.Service).PatchRequirement, del: (*service.Service).DeleteRequirement,
	stamp: func(in *service.RequirementInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	extraFlags: func(c *cobra.Command, in *service.RequirementInput) {
		c.Flags().StringSliceVar(&in.Controls, "controls", nil, "Annex A 2022 controls that meet it, comma-separated (5.20,8.24)")
	}}

// issueCmd is `praxis issue list|show|add|set|delete|export` (4.1).
func (e *env) issueCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "issue", Short: "Internal and external issues (4.1): list, show, add, set, delete, export"}
	cmd.AddCommand(issueDoor.commands(e)...)
	var f service.IssueFilter
	cmd.AddCommand(e.exportCmd("issues", func(c *cobra.Command) { filterFlags(c, service.IssueRegister, &f) },
		func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
			return svc.ExportIssues(ctx, f, format, w)
		}))
	return cmd
}

// partyCmd is `praxis party list|show|add|set|delete|export` (4.2) with the requirements under `party
// requirement ...` and the shortcut `party add-requirement PARTY`.
func (e *env) partyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "party", Short: "Interested parties and their requirements (4.2): list, show, add, set, delete, export, add-requirement, requirement"}
	cmd.AddCommand(partyDoor.commands(e)...)
	var f service.PartyFilter
	cmd.AddCommand(e.exportCmd("interested parties", func(c *cobra.Command) { filterFlags(c, service.PartyRegister, &f) },
		func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
			return svc.ExportParties(ctx, f, format, w)
		}))
	var in service.RequirementInput
	addReq := &cobra.Command{Use: "add-requirement PARTY", Short: "Add a requirement to a party (reference or name)", Args: cobra.ExactArgs(1),
		Example: "  praxis party add-requirement IP-002 --type legal --text \"Report personal data breaches within 72 hours\" --controls 5.24,5.26",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			r, err := svc.AddPartyRequirement(ctx, args[0], in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s to %s.\n", r.Ref, r.Party)
			return nil
		}}
	inputFlags(addReq, &in)
	_ = addReq.Flags().MarkHidden("party")
	requirementDoor.extraFlags(addReq, &in)
	req := &cobra.Command{Use: "requirement", Short: "The parties' requirements: list, show, add, set, delete"}
	req.AddCommand(requirementDoor.commands(e)...)
	cmd.AddCommand(addReq, req)
	return cmd
}
