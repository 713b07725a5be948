package cli

import (
	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) findingCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.Finding, service.FindingInput, service.FindingFilter]{use: "finding", noun: "finding",
		plural: "findings", short: "Findings of audits, incidents and complaints (9.2, 10.2): list, show, add, set, delete, export",
		reg:  service.FindingRegister,
		list: (*service.Service).ListFindings, get: (*service.Service).Finding, add: (*service.Service).AddFinding,
		patch: (*service.Service).PatchFinding, delete: (*service.Service).DeleteFinding, export: (*service.Service).ExportFindings,
		label: func(f isms.Finding) string { return f.Ref + " " + f.Title + " (" + f.GradeWords() + ")" },
		stamp: func(in *service.FindingInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	})
}
