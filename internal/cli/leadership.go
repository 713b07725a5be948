package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) roleCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.ISMSRole, service.RoleInput, service.RoleFilter]{use: "role", noun: "role", plural: "roles",
		short: "ISMS roles, responsibilities and authorities (5.3): list, show, add, set, delete, export",
		reg:   service.RoleRegister,
		list: func(svc *service.Service, ctx context.Context, f service.RoleFilter, p service.Page) (service.List[isms.ISMSRole], error) {
			l, err := svc.ListRoles(ctx, f, p)
			return l.List, err
		},
		get: (*service.Service).Role, add: (*service.Service).AddRole, patch: (*service.Service).PatchRole,
		delete: (*service.Service).DeleteRole, export: (*service.Service).ExportRoles, imp: (*service.Service).ImportRoles,
		label:    func(r isms.ISMSRole) string { return r.Ref + " " + r.Name },
		stamp:    func(in *service.RoleInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		warnings: (*service.Service).RoleWarnings,
	})
}

func (e *env) commitmentCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.Commitment, service.CommitmentInput, service.CommitmentFilter]{use: "commitment", noun: "commitment",
		plural: "commitments", short: "Leadership commitments recorded as evidence (5.1): list, show, add, set, delete, export",
		reg:  service.CommitmentRegister,
		list: (*service.Service).ListCommitments, get: (*service.Service).Commitment, add: (*service.Service).AddCommitment,
		patch: (*service.Service).PatchCommitment, delete: (*service.Service).DeleteCommitment, export: (*service.Service).ExportCommitments, imp: (*service.Service).ImportCommitments,
		label: func(c isms.Commitment) string { return c.Ref + " " + c.Title },
		stamp: func(in *service.CommitmentInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	})
}
