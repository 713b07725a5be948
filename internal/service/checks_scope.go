package service

import "github.com/praxis-isms/praxis/internal/isms"

// Clause 4: the issues and interested parties are known, their requirements answered, and the scope is
// written, approved, and the approved text is the one in force.
var scopeChecks = check{
	rules: []isms.Rule{
		{ID: "scope-missing", Step: 2, Severity: isms.Major, Ref: "4.3", Title: "No scope statement"},
		{ID: "scope-not-approved", Step: 2, Severity: isms.Major, Ref: "4.3", Title: "Scope never approved"},
		{ID: "scope-changed", Step: 2, Severity: isms.Minor, Ref: "4.3", Title: "Scope changed since its last approval"},
		{ID: "issues-missing", Step: 2, Severity: isms.Major, Ref: "4.1", Title: "No internal or external issues recorded"},
		{ID: "issues-one-sided", Step: 2, Severity: isms.Minor, Ref: "4.1", Title: "Only internal or only external issues recorded"},
		{ID: "parties-missing", Step: 2, Severity: isms.Major, Ref: "4.2", Title: "No interested parties recorded"},
		{ID: "party-without-requirements", Step: 2, Severity: isms.Minor, Ref: "4.2", Title: "Interested party with no requirement recorded"},
		{ID: "requirement-unaddressed", Step: 2, Severity: isms.Minor, Ref: "4.2", Title: "Requirement of an interested party not addressed"},
	},
	run: func(c *checkRun) error {
		if err := contextChecks(c); err != nil {
			return err
		}
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

// contextChecks are the issues (4.1) and the interested parties with their requirements (4.2).
func contextChecks(c *checkRun) error {
	f, err := c.tx.ContextFacts(c.ctx, c.a.OrgID)
	if err != nil {
		return err
	}
	kinds := 0
	for _, n := range []int{f.InternalIssues, f.ExternalIssues} {
		if n > 0 {
			kinds++
		}
	}
	c.measure(2, "Kinds of issue recorded (internal, external)", kinds, 2, "/issues")
	c.yes(2, "Interested parties recorded", f.Parties > 0, "/parties")
	c.measure(2, "Requirements of interested parties addressed", f.Requirements-f.Unaddressed, f.Requirements, "/parties")
	switch {
	case kinds == 0:
		c.find("issues-missing", "", 0, "/issues",
			"No internal or external issues are recorded: list what inside and outside the organisation bears on what the ISMS must achieve.")
	case f.ExternalIssues == 0:
		c.find("issues-one-sided", "", 0, "/issues",
			"Only internal issues are recorded: add the external ones too, such as laws, the market, suppliers and threats.")
	case f.InternalIssues == 0:
		c.find("issues-one-sided", "", 0, "/issues",
			"Only external issues are recorded: add the internal ones too, such as the organisation's structure, culture, skills and systems.")
	}
	if f.Parties == 0 {
		c.find("parties-missing", "", 0, "/parties",
			"No interested parties are recorded: list who has a stake in the organisation's information security (customers, regulators, staff, suppliers) and what they require.")
	}
	if f.PartiesBare > 0 {
		c.find("party-without-requirements", oneRef(f.PartiesBare, f.BareRef), f.PartiesBare, "/parties",
			"%s no requirement recorded: write down what each party expects of the ISMS, or remove a party that has no stake in it.",
			which(f.PartiesBare, "Interested party "+f.BareRef+" has", "interested parties have"))
	}
	if f.Unaddressed > 0 {
		c.find("requirement-unaddressed", oneRef(f.Unaddressed, f.UnaddressedRef), f.Unaddressed, "/parties",
			"%s not say how the ISMS meets %s: record how each is addressed, and by which controls.",
			which(f.Unaddressed, "Requirement "+f.UnaddressedRef+" does", "requirements of interested parties do"), them(f.Unaddressed))
	}
	return nil
}
