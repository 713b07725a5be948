package service

import (
	"github.com/praxis-isms/praxis/internal/isms"
)

// Clauses 6.1.2, 6.1.3, 8.2 and 8.3: the risks are assessed on an approved method, owned, treated, their
// residual risk accepted by their owners, treated only with controls the SoA includes, and kept up to date. A
// reassessment changes the risk, so a risk not changed in a year has not been reassessed either: the register's
// updated time (indexed) answers that without reading each risk's history.
var riskChecks = check{
	rules: []isms.Rule{
		{ID: "risk-methodology-missing", Step: 3, Severity: isms.Major, Ref: "6.1.2", Title: "No approved risk assessment methodology"},
		{ID: "risk-methodology-changed", Step: 3, Severity: isms.Minor, Ref: "6.1.2", Title: "Risk method changed since the methodology was approved"},
		{ID: "risks-missing", Step: 3, Severity: isms.Major, Ref: "6.1.2", Title: "No risks assessed"},
		{ID: "risk-no-owner", Step: 3, Severity: isms.Minor, Ref: "6.1.2 c", Title: "Risk without an owner"},
		{ID: "risk-untreated", Step: 3, Severity: isms.Major, Ref: "6.1.3", Title: "Risk above the acceptance threshold with no treatment"},
		{ID: "risk-not-accepted", Step: 3, Severity: isms.Minor, Ref: "6.1.3 f", Title: "Risk above the threshold not accepted by its owner"},
		{ID: "risk-control-excluded", Step: 3, Severity: isms.Major, Ref: "6.1.3 d", Title: "Risk treated by a control the SoA excludes"},
		{ID: "treatment-action-overdue", Step: 3, Severity: isms.Minor, Ref: "8.3", Title: "Treatment action overdue"},
		{ID: "risk-not-reviewed", Step: 3, Severity: isms.Info, Ref: "8.2", Title: "Risk neither reassessed nor changed in twelve months"},
	},
	run: func(c *checkRun) error {
		m, err := c.tx.RiskMethod(c.ctx, c.a.OrgID)
		if err != nil {
			return err
		}
		f, err := c.tx.RiskFacts(c.ctx, c.a.OrgID, c.today, yearBefore(c.today), m.AcceptanceThreshold)
		if err != nil {
			return err
		}
		c.yes(3, "Risk methodology approved", f.MethodologyApproved > 0 && f.MethodologyPending == 0, "/risks/method")
		c.yes(3, "Risks assessed", f.Risks > 0, "/risks")
		c.measure(3, "Risks with an owner", f.Risks-f.Unowned, f.Risks, "/risks?sort=owner")
		c.measure(3, "Risks above the threshold with a treatment", f.Above-f.Untreated, f.Above, "/risks?appetite=above")
		c.measure(3, "Residual risks above the threshold accepted", f.SettledAbove-f.NotAccepted, f.SettledAbove, "/risks?appetite=above&accepted=no")
		c.measure(3, "Risks treated only by controls the SoA includes", f.Risks-f.Excluded, f.Risks, "/soa")
		c.measure(3, "Open treatment actions on schedule", f.OpenActions-f.OverdueActions, f.OpenActions, "/risks/plan?overdue=1")
		c.measure(3, "Risks reviewed in the last twelve months", f.Risks-f.Stale, f.Risks, "/risks?sort=updated")

		switch {
		case f.MethodologyApproved == 0:
			c.find("risk-methodology-missing", "", 0, "/risks/method",
				"The risk assessment and treatment methodology has no approved version: draft it from the risk method, with its acceptance criteria, and have it approved.")
		case f.MethodologyPending > 0:
			c.find("risk-methodology-changed", "", 0, "/risks/method",
				"The risk method changed after the methodology was approved: review and approve the new version of the methodology.")
		}
		if f.Risks == 0 {
			c.find("risks-missing", "", 0, "/risks",
				"No risks are assessed: identify the risks to the information in scope, score them on the risk method and decide how to treat each.")
			return nil
		}
		if f.Unowned > 0 {
			c.find("risk-no-owner", oneRef(f.Unowned, f.UnownedRef), f.Unowned, "/risks?sort=owner",
				"%s no owner: name the person accountable for managing each risk.",
				which(f.Unowned, "Risk "+f.UnownedRef+" has", "risks have"))
		}
		if f.Untreated > 0 {
			c.find("risk-untreated", oneRef(f.Untreated, f.UntreatedRef), f.Untreated, "/risks?appetite=above&treatment=modify",
				"%s above the acceptance threshold (%d) and to be reduced, with no control, no treatment action and no residual risk assessed: choose the controls and plan the work.",
				which(f.Untreated, "Risk "+f.UntreatedRef+" is", "risks are"), m.AcceptanceThreshold)
		}
		if f.NotAccepted > 0 {
			c.find("risk-not-accepted", oneRef(f.NotAccepted, f.NotAcceptedRef), f.NotAccepted, "/risks?appetite=above&accepted=no",
				"%s above the acceptance threshold (%d) and not accepted: the risk owner must accept what remains with a reason, or the treatment must go further.",
				which(f.NotAccepted, "The residual risk of "+f.NotAcceptedRef+" is", "residual risks are"), m.AcceptanceThreshold)
		}
		if f.Excluded > 0 {
			c.find("risk-control-excluded", oneRef(f.Excluded, f.ExcludedRef), f.Excluded, "/risks?control="+f.ExcludedControl,
				"%s treated by a control the Statement of Applicability marks not applicable (such as %s): include the control in the SoA or treat the risk otherwise.",
				which(f.Excluded, "Risk "+f.ExcludedRef+" is", "risks are"), f.ExcludedControl)
		}
		if f.OverdueActions > 0 {
			c.find("treatment-action-overdue", oneRef(f.OverdueActions, f.OverdueRef), f.OverdueActions, "/risks/plan?overdue=1",
				"%s past %s due date in the risk treatment plan: finish %s, or set a new date and say why.",
				which(f.OverdueActions, "Treatment action "+f.OverdueRef+" is", "treatment actions are"), its(f.OverdueActions), them(f.OverdueActions))
		}
		if f.Stale > 0 {
			c.find("risk-not-reviewed", oneRef(f.Stale, f.StaleRef), f.Stale, "/risks?sort=updated",
				"%s been neither reassessed nor changed in the last twelve months: review the risks at planned intervals and when things change, and record the reassessment.",
				which(f.Stale, "Risk "+f.StaleRef+" has", "risks have"))
		}
		return nil
	},
}
