package service

import (
	"github.com/praxis-isms/praxis/internal/isms"
)

// Step 5: the applicable controls are owned, worked on and shown at work by evidence that is still valid.
var implementationChecks = check{
	rules: []isms.Rule{
		{ID: "implemented-without-evidence", Step: 5, Severity: isms.Major, Ref: "8.1", Title: "Controls marked implemented without evidence"},
		{ID: "evidence-expired", Step: 5, Severity: isms.Minor, Ref: "7.5.3", Title: "Evidence past its validity"},
		{ID: "tasks-overdue", Step: 5, Severity: isms.Minor, Ref: "8.1", Title: "Implementation tasks overdue"},
		{ID: "control-no-owner", Step: 5, Severity: isms.Minor, Ref: "A.5.2", Title: "Applicable controls without an owner"},
		{ID: "control-not-started", Step: 5, Severity: isms.Minor, Ref: "6.1.3 e", Title: "Applicable controls not started and with no task"},
	},
	run: func(c *checkRun) error {
		entries, _, err := c.tx.SoADecisions(c.ctx, c.a.OrgID)
		if err != nil {
			return err
		}
		work, err := c.tx.ControlProgress(c.ctx, c.a.OrgID, c.today)
		if err != nil {
			return err
		}
		totals, err := c.tx.WorkCounts(c.ctx, c.a.OrgID, c.today)
		if err != nil {
			return err
		}
		applicable, implemented, shown, owned := 0, 0, 0, 0
		var unproven, unowned, idle []string
		for _, e := range entries {
			if e.Applicable == nil || !*e.Applicable {
				continue
			}
			applicable++
			w := work[e.Control]
			if e.Owner != "" {
				owned++
			} else {
				unowned = append(unowned, e.Control)
			}
			switch e.Status {
			case isms.SoAImplemented:
				implemented++
				if w.Current {
					shown++
				}
				if !w.Evidence {
					unproven = append(unproven, e.Control)
				}
			case isms.SoANotStarted:
				if !w.OpenTask {
					idle = append(idle, e.Control)
				}
			}
		}
		c.measure(5, "Applicable controls implemented", implemented, applicable, "/soa?applicable=yes")
		c.measure(5, "Implemented controls with current evidence", shown, implemented, "/soa?status=implemented")
		c.measure(5, "Applicable controls with an owner", owned, applicable, "/soa?applicable=yes")
		c.measure(5, "Open tasks on schedule", totals.OpenTasks-totals.OverdueTasks, totals.OpenTasks, "/tasks?overdue=yes")
		c.measure(5, "Evidence within its validity", totals.Evidence-totals.Expired, totals.Evidence, "/evidence?status=expired")
		if len(unproven) > 0 {
			c.find("implemented-without-evidence", controlsRef(unproven), len(unproven), "/soa?status=implemented",
				"%s marked implemented in the Statement of Applicability but no evidence shows %s at work (%s): add evidence for each, or correct its status.",
				counted(len(unproven), "control is", "controls are"), them(len(unproven)), RefList(unproven))
		}
		if totals.Expired > 0 {
			c.find("evidence-expired", oneRef(totals.Expired, totals.FirstExpired), totals.Expired, "/evidence?status=expired",
				"%s past %s validity: collect %s again, or remove what no longer serves.",
				counted(totals.Expired, "piece of evidence is", "pieces of evidence are"), its(totals.Expired), them(totals.Expired))
		}
		if totals.OverdueTasks > 0 {
			c.find("tasks-overdue", oneRef(totals.OverdueTasks, totals.FirstOverdue), totals.OverdueTasks, "/tasks?overdue=yes",
				"%s past %s due date: finish %s, or agree a new date with the assignee.",
				counted(totals.OverdueTasks, "task is", "tasks are"), its(totals.OverdueTasks), them(totals.OverdueTasks))
		}
		if len(unowned) > 0 {
			c.find("control-no-owner", controlsRef(unowned), len(unowned), "/soa?applicable=yes",
				"%s applicable with nobody named as owner (%s): give each an owner in the Statement of Applicability.",
				counted(len(unowned), "control is", "controls are"), RefList(unowned))
		}
		if len(idle) > 0 {
			c.find("control-not-started", controlsRef(idle), len(idle), "/soa?status=not-started",
				"%s applicable but not started, and no open task implements %s (%s): plan the work as tasks.",
				counted(len(idle), "control is", "controls are"), them(len(idle)), RefList(idle))
		}
		return nil
	},
}
