package service

import (
	"github.com/praxis-isms/praxis/internal/isms"
)

// Step 4: every Annex A control is decided with a reason, and the SoA in force is the approved one.
var soaChecks = check{
	rules: []isms.Rule{
		{ID: "soa-undecided", Step: 4, Severity: isms.Major, Ref: "6.1.3 d", Title: "Controls undecided in the SoA"},
		{ID: "soa-not-approved", Step: 4, Severity: isms.Major, Ref: "6.1.3 d", Title: "SoA never approved"},
		{ID: "soa-changed", Step: 4, Severity: isms.Minor, Ref: "6.1.3 d", Title: "SoA changed since its last approval"},
		{ID: "soa-no-reason", Step: 4, Severity: isms.Info, Ref: "6.1.3 d", Title: "Applicable controls with no reason for inclusion"},
	},
	run: func(c *checkRun) error {
		entries, treating, err := c.tx.SoADecisions(c.ctx, c.a.OrgID)
		if err != nil {
			return err
		}
		number, err := soaVersions.last(c.ctx, c.tx, c.a)
		if err != nil {
			return err
		}
		approvedAsItStands := false
		if number > 0 {
			if approvedAsItStands, err = soaDecisionsApproved(c, number, entries); err != nil {
				return err
			}
		}
		summary, _ := isms.Summarise(entries)
		var undecided, unreasoned []string
		for _, e := range entries {
			switch {
			case !e.Decided():
				undecided = append(undecided, e.Control)
			case *e.Applicable && len(e.Reasons) == 0 && !treating[e.Control]:
				unreasoned = append(unreasoned, e.Control)
			}
		}
		c.measure(4, "Controls decided", summary.Decided, summary.Controls, "/soa?applicable=undecided")
		c.measure(4, "Applicable controls with a reason for inclusion", summary.Applicable-len(unreasoned), summary.Applicable, "/soa?applicable=yes")
		c.yes(4, "SoA approved as it stands", approvedAsItStands, "/soa/versions")
		if len(undecided) > 0 {
			c.find("soa-undecided", controlsRef(undecided), len(undecided), "/soa?applicable=undecided",
				"%s not decided in the Statement of Applicability (%s): say for each whether it applies, and why.", counted(len(undecided), "control is", "controls are"), RefList(undecided))
		}
		switch {
		case number == 0:
			c.find("soa-not-approved", "", 0, "/soa", "The Statement of Applicability has never been approved: complete it and have an approver approve it.")
		case !approvedAsItStands:
			c.find("soa-changed", "", 0, "/soa/diff", "The Statement of Applicability was changed after its approved version %d: approve the changes or undo them.", number)
		}
		if len(unreasoned) > 0 {
			c.find("soa-no-reason", controlsRef(unreasoned), len(unreasoned), "/soa?applicable=yes",
				"%s applicable with no reason for inclusion and no risk they treat (%s): choose a reason (legal, contractual, business, best practice) or link the risks.",
				counted(len(unreasoned), "control is", "controls are"), RefList(unreasoned))
		}
		return nil
	},
}

// soaDecisionsApproved reports whether the decisions of the SoA (entries read without their risks) are those
// of its approved version number. The risks a control treats follow the risk register and are left out of the
// comparison: reading every link of a large register on every lint costs more than it tells.
func soaDecisionsApproved(c *checkRun, number int, entries []isms.SoAEntry) (bool, error) {
	v, err := soaVersions.version(c.ctx, c.tx, c.a, number)
	if err != nil {
		return false, err
	}
	approved, err := versionContent[[]isms.SoAEntry](v)
	if err != nil {
		return false, err
	}
	for i := range approved {
		approved[i].Risks = nil
	}
	return len(isms.DiffSoA(approved, entries)) == 0, nil
}

// controlsRef is the ref of a finding about controls: the control when there is one ("A.8.28"), else "" for
// the rule's own.
func controlsRef(controls []string) string {
	if len(controls) == 1 {
		return "A." + controls[0]
	}
	return ""
}
