package cli

import (
	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) improvementCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.Improvement, service.ImprovementInput, service.ImprovementFilter]{use: "improvement", noun: "improvement",
		plural: "improvements", short: "The improvement log (10.1): list, show, add, set, delete, export",
		reg:  service.ImprovementRegister,
		list: (*service.Service).ListImprovements, get: (*service.Service).Improvement, add: (*service.Service).AddImprovement,
		patch: (*service.Service).PatchImprovement, delete: (*service.Service).DeleteImprovement, export: (*service.Service).ExportImprovements,
		label: func(m isms.Improvement) string { return m.Ref + " " + m.Title },
		stamp: func(in *service.ImprovementInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	})
}
