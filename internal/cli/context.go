package cli

import (
	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// Clause 4 commands: praxis issue ... and praxis party ... (with the requirements), on one register door.

// issueCmd is `praxis issue list|show|add|set|delete|export` (4.1).
func (e *env) issueCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.Issue, service.IssueInput, service.IssueFilter]{use: "issue", noun: "issue", plural: "issues",
		short: "Internal and external issues (4.1): list, show, add, set, delete, export",
		reg:   service.IssueRegister,
		list:  (*service.Service).ListIssues, get: (*service.Service).Issue, add: (*service.Service).AddIssue,
		patch: (*service.Service).PatchIssue, delete: (*service.Service).DeleteIssue, export: (*service.Service).ExportIssues, imp: (*service.Service).ImportIssues,
		stamp: func(in *service.IssueInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent }})
}

// requirementControls is the --controls flag of a requirement's add and set, which InputFields cannot give.
func requirementControls(c *cobra.Command, in *service.RequirementInput) map[string]string {
	c.Flags().StringSliceVar(&in.Controls, "controls", nil, "Annex A 2022 controls that meet it, comma-separated (5.20,8.24)")
	return nil
}

// showParty prints a party and then its requirements.
func showParty(e *env, p isms.Party) error {
	if e.format == "json" {
		return writeJSON(e.stdout, p)
	}
	if err := e.print(listTable(service.PartyRegister.ListColumns, []isms.Party{p}, p)); err != nil || e.format == "csv" {
		return err
	}
	printf(e.stdout, "\nRequirements (%d):\n", len(p.Requirements))
	return e.print(listTable(service.RequirementRegister.ListColumns, p.Requirements, p.Requirements))
}

// partyCmd is `praxis party list|show|add|set|delete|export` (4.2) with the requirements under `party
// requirement ...` and the shortcut `party add-requirement PARTY`.
func (e *env) partyCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.Party, service.PartyInput, service.PartyFilter]{use: "party", noun: "party", plural: "interested parties",
		short: "Interested parties and their requirements (4.2): list, show, add, set, delete, export, add-requirement, requirement",
		reg:   service.PartyRegister,
		list:  (*service.Service).ListParties, get: (*service.Service).Party, add: (*service.Service).AddParty,
		patch: (*service.Service).PatchParty, delete: (*service.Service).DeleteParty, export: (*service.Service).ExportParties, imp: (*service.Service).ImportParties,
		stamp: func(in *service.PartyInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		show:  showParty})
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
	requirementControls(addReq, &in)
	req := registerCmd(e, registerSpec[isms.Requirement, service.RequirementInput, service.RequirementFilter]{use: "requirement",
		noun: "requirement", plural: "requirements", short: "The parties' requirements: list, show, add, set, delete",
		reg:  service.RequirementRegister,
		list: (*service.Service).ListRequirements, get: (*service.Service).Requirement, add: (*service.Service).AddRequirement,
		patch: (*service.Service).PatchRequirement, delete: (*service.Service).DeleteRequirement,
		stamp: func(in *service.RequirementInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		more:  requirementControls})
	cmd.AddCommand(addReq, req)
	return cmd
}
