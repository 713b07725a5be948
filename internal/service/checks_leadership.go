package service

import (
	"github.com/praxis-isms/praxis/internal/isms"
)

// Clause 5 and 6.2: top management has an approved information security policy, named the roles that run the
// ISMS, recorded its commitment, and set objectives that can be measured and are kept.
var leadershipChecks = check{
	rules: []isms.Rule{
		{ID: "policy-missing", Step: 1, Severity: isms.Major, Ref: "5.2", Title: "No information security policy"},
		{ID: "policy-not-approved", Step: 1, Severity: isms.Major, Ref: "5.2", Title: "Information security policy not approved"},
		{ID: "policy-review-overdue", Step: 1, Severity: isms.Minor, Ref: "5.2", Title: "Information security policy past its review date"},
		{ID: "roles-missing", Step: 1, Severity: isms.Major, Ref: "5.3", Title: "No ISMS roles assigned"},
		{ID: "role-key-missing", Step: 1, Severity: isms.Major, Ref: "5.3", Title: "No ISMS owner or top-management sponsor"},
		{ID: "role-unassigned", Step: 1, Severity: isms.Minor, Ref: "5.3", Title: "ISMS role held by nobody"},
		{ID: "commitment-missing", Step: 1, Severity: isms.Major, Ref: "5.1", Title: "No leadership commitment recorded"},
		{ID: "objectives-missing", Step: 1, Severity: isms.Major, Ref: "6.2", Title: "No information security objectives"},
		{ID: "objective-incomplete", Step: 1, Severity: isms.Minor, Ref: "6.2", Title: "Objective without a measure, target or owner"},
		{ID: "objective-overdue", Step: 1, Severity: isms.Minor, Ref: "6.2", Title: "Objective past its due date and not achieved"},
	},
	run: func(c *checkRun) error {
		f, err := c.tx.LeadershipFacts(c.ctx, c.a.OrgID, c.today)
		if err != nil {
			return err
		}
		c.yes(1, "Information security policy approved", f.PoliciesApproved > 0, "/documents")
		c.yes(1, "ISMS owner and sponsor named", f.Owners > 0 && f.Sponsors > 0, "/roles")
		c.measure(1, "Roles held by a person", f.Roles-f.RolesUnassigned, f.Roles, "/roles")
		c.yes(1, "Leadership commitment recorded", f.Commitments > 0, "/commitments")
		c.yes(1, "Objectives set", f.Objectives > 0, "/objectives")
		c.measure(1, "Objectives with a measure, target and owner", f.Objectives-f.ObjectivesIncomplete, f.Objectives, "/objectives")
		c.measure(1, "Objectives on schedule", f.Objectives-f.ObjectivesOverdue, f.Objectives, "/objectives?overdue=1")

		switch {
		case f.Policies == 0:
			c.find("policy-missing", "", 0, "/documents?template=information-security#new",
				"There is no information security policy: write one (a policy document serving clause 5.2) and have top management approve it.")
		case f.PoliciesApproved == 0:
			c.find("policy-not-approved", f.PolicyRef, 0, "/documents/"+f.PolicyRef,
				"The information security policy %s has no approved version: submit it and have top management approve it.", f.PolicyRef)
		}
		if f.PoliciesOverdue > 0 {
			c.find("policy-review-overdue", oneRef(f.PoliciesOverdue, f.PolicyOverdueRef), f.PoliciesOverdue, "/documents?overdue="+c.today,
				"%s past %s review date: review and approve %s again.",
				which(f.PoliciesOverdue, "The information security policy "+f.PolicyOverdueRef+" is", "information security policies are"),
				its(f.PoliciesOverdue), them(f.PoliciesOverdue))
		}

		switch {
		case f.Roles == 0:
			c.find("roles-missing", "", 0, "/roles",
				"No ISMS roles are recorded: name the roles that run the ISMS, with their responsibilities and authorities, and who holds each.")
		case f.Owners == 0 || f.Sponsors == 0:
			c.find("role-key-missing", "", 0, "/roles", "%s", keyRolesMessage(f.Owners, f.Sponsors))
		}
		if f.RolesUnassigned > 0 {
			c.find("role-unassigned", oneRef(f.RolesUnassigned, f.UnassignedRef), f.RolesUnassigned, "/roles",
				"%s held by nobody: assign a person to %s or remove %s.",
				which(f.RolesUnassigned, "Role "+f.UnassignedRef+" is", "ISMS roles are"), them(f.RolesUnassigned), them(f.RolesUnassigned))
		}
		if f.Commitments == 0 {
			c.find("commitment-missing", "", 0, "/commitments",
				"No leadership commitment is recorded: add the evidence of top management's commitment, such as the approval of the policy or of the ISMS budget.")
		}

		switch {
		case f.Objectives == 0:
			c.find("objectives-missing", "", 0, "/objectives",
				"No information security objectives are set: set objectives that follow from the policy and the risks, each with a measure, a target, an owner and a due date.")
		default:
			if f.ObjectivesIncomplete > 0 {
				c.find("objective-incomplete", oneRef(f.ObjectivesIncomplete, f.IncompleteRef), f.ObjectivesIncomplete, "/objectives",
					"%s a measure, a target or an owner: an objective must say how it is measured, what counts as reached and who answers for it.",
					which(f.ObjectivesIncomplete, "Objective "+f.IncompleteRef+" lacks", "objectives lack"))
			}
			if f.ObjectivesOverdue > 0 {
				c.find("objective-overdue", oneRef(f.ObjectivesOverdue, f.OverdueRef), f.ObjectivesOverdue, "/objectives?overdue=1",
					"%s past %s due date and not achieved: record the result, or set a new date and say why it slipped.",
					which(f.ObjectivesOverdue, "Objective "+f.OverdueRef+" is", "objectives are"), its(f.ObjectivesOverdue))
			}
		}
		return nil
	},
}

// keyRolesMessage says which of the two roles clause 5 expects has nobody.
func keyRolesMessage(owners, sponsors int) string {
	var missing string
	switch {
	case owners == 0 && sponsors == 0:
		missing = "Neither an ISMS owner nor a top-management sponsor is named"
	case owners == 0:
		missing = "No ISMS owner is named"
	default:
		missing = "No top-management sponsor is named"
	}
	return missing + ": record the role of that kind with the person who holds it."
}
