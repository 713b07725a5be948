package service

import "github.com/praxis-isms/praxis/internal/isms"

// Clause 4: the scope is written, approved, and the approved text is the one in force.
var scopeChecks = check{
	rules: []isms.Rule{
		{ID: "scope-missing", Step: 2, Severity: isms.Major, Ref: "4.3", Title: "No scope statement"},
		{ID: "scope-not-approved", Step: 2, Severity: isms.Major, Ref: "4.3", Title: "Scope never approved"},
		{ID: "scope-changed", Step: 2, Severity: isms.Minor, Ref: "4.3", Title: "Scope changed since its last approval"},
	},
	run: func(c *checkRun) error {
		v, err := c.s.scopeView(c.ctx, c.tx, c.a)
		if err != nil {
			return err
		}
		written := v.Scope.Statement != ""
		c.yes(2, "Scope statement written", written, "/scope")
		c.yes(2, "Scope approved as it stands", v.Status == ScopeApproved, "/scope")
		switch {
		case !written:
			c.find("scope-missing", "", 0, "/scope", "There is no ISMS scope statement: write what the ISMS covers, its boundaries and exclusions.")
		case v.Approval == nil:
			c.find("scope-not-approved", "", 0, "/scope", "The ISMS scope has never been approved by top management.")
		case v.Status == ScopeChanged:
			c.find("scope-changed", "", 0, "/scope", "The scope was changed after its approved version %d: approve the new text or undo the change.", v.Approval.Number)
		}
		return nil
	},
}
