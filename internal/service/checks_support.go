package service

import (
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Step 6: the documented information the standard asks for is in force and reviewed, staff are aware and
// trained, screened and bound by their terms, and leavers lose their access.
var supportChecks = check{
	rules: []isms.Rule{
		{ID: "mandatory-document-missing", Step: 6, Severity: isms.Major, Ref: "7.5.1", Title: "Mandatory documented information missing"},
		{ID: "document-review-overdue", Step: 6, Severity: isms.Minor, Ref: "7.5.2", Title: "Documents overdue for review"},
		{ID: "document-never-approved", Step: 6, Severity: isms.Info, Ref: "7.5.2", Title: "Documents never approved"},
		{ID: "awareness-missing", Step: 6, Severity: isms.Major, Ref: "7.3", Title: "No awareness course for all staff"},
		{ID: "awareness-not-current", Step: 6, Severity: isms.Minor, Ref: "7.3", Title: "Staff without current awareness training"},
		{ID: "training-not-current", Step: 6, Severity: isms.Minor, Ref: "7.2", Title: "Staff overdue on their role or team training"},
		{ID: "leaver-open-access", Step: 6, Severity: isms.Major, Ref: "A.5.18", Title: "Leavers whose access is still open"},
		{ID: "staff-not-screened", Step: 6, Severity: isms.Minor, Ref: "A.6.1", Title: "Staff without screening"},
		{ID: "staff-no-terms", Step: 6, Severity: isms.Minor, Ref: "A.6.2", Title: "Staff without signed terms of employment"},
	},
	run: func(c *checkRun) error {
		ev, err := c.tx.MandatoryPresence(c.ctx, c.a.OrgID)
		if err != nil {
			return err
		}
		counts, err := c.tx.SupportCounts(c.ctx, c.a.OrgID, c.s.now())
		if err != nil {
			return err
		}
		awareness, other, err := c.tx.TrainingReach(c.ctx, c.a.OrgID, c.today)
		if err != nil {
			return err
		}
		items := c.s.mandatoryItems(ev)
		satisfied := 0
		for _, it := range items {
			if it.Satisfied {
				satisfied++
				continue
			}
			ref := strings.TrimSpace(it.Clause + " " + it.Item)
			if reportedElsewhere[ref] {
				continue
			}
			c.find("mandatory-document-missing", ref, 0, it.CreateLink, "%s (clause %s: %s)", it.Gap, ref, it.Description)
		}
		c.measure(6, "Mandatory documented information in place", satisfied, len(items), "/documents/mandatory")
		c.measure(6, "Documents in force within their review date", counts.InForce-counts.Overdue, counts.InForce, "/documents?overdue=yes")
		if counts.Overdue > 0 {
			c.find("document-review-overdue", oneRef(counts.Overdue, counts.FirstOverdue), counts.Overdue, "/documents?overdue=yes",
				"%s in force past %s review date: review %s, and approve a new version or confirm the current one.",
				counted(counts.Overdue, "document is", "documents are"), its(counts.Overdue), them(counts.Overdue))
		}
		if counts.Drafts > 0 {
			c.find("document-never-approved", oneRef(counts.Drafts, counts.FirstDraft), counts.Drafts, "/documents?status=draft",
				"%s never been approved, so none is in force: submit %s for approval, or retire what is not needed.",
				counted(counts.Drafts, "document has", "documents have"), them(counts.Drafts))
		}

		switch {
		case awareness.Courses == 0:
			c.measure(6, "Staff with current awareness training", 0, counts.Staff, "/courses")
			c.find("awareness-missing", "", 0, "/courses#new",
				"No security awareness course is set for all staff: add one, with how often it is repeated, and record who took it.")
		default:
			c.measure(6, "Staff with current awareness training", awareness.Current, awareness.People, "/training/overdue")
			if n := awareness.People - awareness.Current; n > 0 {
				c.find("awareness-not-current", "", n, "/training/overdue",
					"%s not taken the security awareness training, or their last one has run out: have them take it and record it.",
					counted(n, "person has", "people have"))
			}
		}
		c.measure(6, "Staff current on their role and team training", other.Current, other.People, "/training/overdue")
		if n := other.People - other.Current; n > 0 {
			c.find("training-not-current", "", n, "/training/overdue",
				"%s overdue on, or never took, a course their role or team requires: have them take it and record it.",
				counted(n, "person is", "people are"))
		}

		c.measure(6, "Staff screened", counts.Staff-counts.NotScreened, counts.Staff, "/people?screened=no")
		c.measure(6, "Staff with signed terms", counts.Staff-counts.NoTerms, counts.Staff, "/people?terms=no")
		c.measure(6, "Leavers with their access removed", counts.Leavers-counts.OpenAccess, counts.Leavers, "/people?leavers=open-access")
		if counts.OpenAccess > 0 {
			if err := leaversFinding(c, counts.OpenAccess); err != nil {
				return err
			}
		}
		if counts.NotScreened > 0 {
			c.find("staff-not-screened", "", counts.NotScreened, "/people?screened=no",
				"%s no background screening recorded: screen them as your policy says, and record the day.",
				counted(counts.NotScreened, "member of staff has", "members of staff have"))
		}
		if counts.NoTerms > 0 {
			c.find("staff-no-terms", "", counts.NoTerms, "/people?terms=no",
				"%s not signed terms that state their security responsibilities: have them sign, and record the day.",
				counted(counts.NoTerms, "member of staff has", "members of staff have"))
		}
		return nil
	},
}

// reportedElsewhere are the mandatory items whose gap a rule of their own reports, so that one gap is one
// finding, not two: the scope (step 2), the policy, objectives and risk methodology (steps 1 and 3), the risk
// assessments and treatment (step 3: risks-missing, risk-untreated), the SoA (step 4), metrics, internal audits
// and management reviews (step 7). 10.2 is left to the mandatory page: an organisation that has had no
// nonconformity yet has nothing to show, which is no finding.
var reportedElsewhere = map[string]bool{
	"4.3": true, "5.2 e": true, "6.1.2": true, "6.1.3": true, "6.1.3 e": true, "6.2": true, "6.1.3 d": true,
	"8.2": true, "8.3": true, "9.1": true, "9.2.2": true, "9.3.3": true, "10.2": true,
}

// namedLeavers is how many leavers with open access a finding names; beyond it, it gives their number.
const namedLeavers = 5

// leaversFinding reports the leavers whose access is still open: named, with what is open, when there are few.
func leaversFinding(c *checkRun, n int) error {
	link := "/people?leavers=open-access"
	if n > namedLeavers {
		c.find("leaver-open-access", "", n, link,
			"%d people have left while their account is still a member or holds a working API token: remove their membership and revoke their tokens.", n)
		return nil
	}
	leavers, err := c.tx.LeaversWithOpenAccess(c.ctx, c.a.OrgID, c.s.now(), "")
	if err != nil {
		return err
	}
	var named []string
	for _, l := range leavers {
		named = append(named, fmt.Sprintf("%s %s (left %s; %s)", l.Ref, l.Name, l.EndDate, l.What()))
	}
	ref := ""
	if len(leavers) == 1 {
		ref = leavers[0].Ref
	}
	c.find("leaver-open-access", ref, len(leavers), link,
		"%s left while their access is still open: %s. Remove the membership and revoke the API tokens.",
		counted(len(leavers), "person has", "people have"), strings.Join(named, "; "))
	return nil
}
