package cli

import (
	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) objectiveCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.Objective, service.ObjectiveInput, service.ObjectiveFilter]{use: "objective", noun: "objective",
		plural: "objectives", short: "Information security objectives (6.2): list, show, add, set, delete, export",
		reg:  service.ObjectiveRegister,
		list: (*service.Service).ListObjectives, get: (*service.Service).Objective, add: (*service.Service).AddObjective,
		patch: (*service.Service).PatchObjective, delete: (*service.Service).DeleteObjective, export: (*service.Service).ExportObjectives, imp: (*service.Service).ImportObjectives,
		label: func(o isms.Objective) string { return o.Ref + " " + o.Title },
		stamp: func(in *service.ObjectiveInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		// --risk R-001 (repeatable, or comma-separated) sets the risks it serves; --risk "" clears them.
		more: func(c *cobra.Command, in *service.ObjectiveInput) map[string]string {
			c.Flags().StringSliceVar(&in.Risks, "risk", nil, "a risk it serves (reference, R-001); repeat or separate by commas")
			return map[string]string{"risk": "risks"}
		},
		filters: func(c *cobra.Command, f *service.ObjectiveFilter) func(*service.Service) {
			var overdue bool
			c.Flags().BoolVar(&overdue, "overdue", false, "only objectives past their due date and not achieved")
			return func(svc *service.Service) {
				if overdue {
					f.OverdueOn = svc.Today()
				}
			}
		},
	})
}
