package service

import (
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Certification (step 8): a certification body is chosen, Stage 1 and Stage 2 are done, the certificate is
// valid, and the surveillance and recertification audits of its cycle are planned in time. The dashboard's
// reminder of a certification audit coming soon is one of these findings.
var certificationChecks = check{
	rules: []isms.Rule{
		{ID: "certification-not-planned", Step: 8, Severity: isms.Minor, Ref: "Stage 1", Title: "No certification audit planned"},
		{ID: "certification-stage2-before-stage1", Step: 8, Severity: isms.Major, Ref: "Stage 2", Title: "Stage 2 without a Stage 1 before it"},
		{ID: "certification-audit-soon", Step: 8, Severity: isms.Info, Ref: "Stage 1", Title: "A certification audit within 60 days"},
		{ID: "certification-audit-not-recorded", Step: 8, Severity: isms.Minor, Ref: "Stage 1", Title: "A certification audit past its dates without a result"},
		{ID: "certification-surveillance-due", Step: 8, Severity: isms.Minor, Ref: "Surveillance", Title: "Surveillance audit due within 90 days and not planned"},
		{ID: "certification-surveillance-overdue", Step: 8, Severity: isms.Major, Ref: "Surveillance", Title: "Surveillance audit overdue"},
		{ID: "certificate-expiring", Step: 8, Severity: isms.Minor, Ref: "Certificate", Title: "Certificate expiring within 90 days"},
		{ID: "certificate-expired", Step: 8, Severity: isms.Major, Ref: "Certificate", Title: "Certificate expired"},
		{ID: "certification-major-nc-open", Step: 8, Severity: isms.Major, Ref: "10.2", Title: "A certification audit's major nonconformity without corrective action"},
		{ID: "certification-minor-nc-open", Step: 8, Severity: isms.Minor, Ref: "10.2", Title: "A certification audit's minor nonconformity without corrective action"},
	},
	run: func(c *checkRun) error {
		audits, err := c.tx.AllCertificationAudits(c.ctx, c.a.OrgID)
		if err != nil {
			return err
		}
		cycle := isms.Cycle(audits, c.today)
		done := map[string]bool{}
		live := 0
		for _, a := range audits {
			if a.Status == "done" {
				done[a.Kind] = true
			}
			if a.Status != "cancelled" {
				live++
			}
		}
		certified := cycle.Certificate != nil
		c.yes(8, "Certification body chosen", cycle.Body != "", "/certification")
		c.yes(8, "Stage 1 audit done", done["stage-1"] || certified, "/certification")
		c.yes(8, "Stage 2 audit done", done["stage-2"] || certified, "/certification")
		c.yes(8, "Certificate valid", certified, "/certification")

		if live == 0 && cycle.Expired == nil {
			c.find("certification-not-planned", "", 0, "/certification",
				"No certification audit is planned: choose a certification body and plan the Stage 1 audit with it.")
		}
		for _, a := range audits {
			if a.Status != "planned" {
				continue
			}
			link := "/certification/" + a.Ref
			last := firstNonEmpty(a.PlannedEnd, a.PlannedStart)
			switch days := isms.DaysBetween(c.today, a.PlannedStart); {
			case last < c.today:
				c.find("certification-audit-not-recorded", a.Ref, 0, link,
					"The %s %s was planned for %s and is still marked planned: record its result, or move or cancel it.", a.KindWords(), a.Ref, last)
			case days >= 0 && days <= 60:
				c.find("certification-audit-soon", a.Ref, 0, link, "The %s %s%s starts on %s (%s): have the evidence and the people it needs ready.",
					a.KindWords(), a.Ref, by(a.Body), a.PlannedStart, dayWords(days))
			}
		}
		if ref, start := stage2WithoutStage1(audits); ref != "" {
			c.find("certification-stage2-before-stage1", ref, 0, "/certification/"+ref,
				"The Stage 2 audit %s (%s) has no Stage 1 audit done or planned before it: plan the Stage 1 audit first.", ref, start)
		}
		for _, st := range cycle.Steps {
			if st.Kind != "surveillance" {
				continue
			}
			switch days := isms.DaysBetween(c.today, st.Due); {
			case st.State == isms.StepOverdue:
				c.find("certification-surveillance-overdue", "", 0, "/certification",
					"The %s was due by %s and is not done: agree a date with the certification body now, or the certificate may be suspended.",
					lowerFirst(st.Label), st.Due)
			case st.State == isms.StepNotPlanned && days <= 90:
				c.find("certification-surveillance-due", "", 0, "/certification",
					"The %s is due by %s (%s) and is not planned: plan it with the certification body.",
					lowerFirst(st.Label), st.Due, dayWords(days))
			}
		}
		if cert := cycle.Certificate; cert != nil {
			if days := isms.DaysBetween(c.today, cert.CertificateExpiry); days <= 90 {
				next := "no recertification audit is planned: plan it with the certification body before then"
				if st := cycle.Steps[len(cycle.Steps)-1]; st.Audit != "" {
					next = fmt.Sprintf("the recertification audit %s is %s for %s", st.Audit, st.State, st.Date)
				}
				c.find("certificate-expiring", cert.CertificateNumber, 0, "/certification/"+cert.Ref,
					"Certificate %s expires on %s (%s); %s.", cert.CertificateNumber, cert.CertificateExpiry, dayWords(days), next)
			}
		}
		if cert := cycle.Expired; cert != nil {
			c.find("certificate-expired", cert.CertificateNumber, 0, "/certification/"+cert.Ref,
				"Certificate %s expired on %s: the ISMS is no longer certified. Plan a certification audit with the certification body.",
				cert.CertificateNumber, cert.CertificateExpiry)
		}
		open, err := c.tx.CertificationNonconformities(c.ctx, c.a.OrgID)
		if err != nil {
			return err
		}
		for _, g := range []struct{ grade, rule string }{{"major-nc", "certification-major-nc-open"}, {"minor-nc", "certification-minor-nc-open"}} {
			refs := open[g.grade]
			link := "/findings?source=certification-audit&status=open&grade=" + g.grade
			switch {
			case len(refs) == 1:
				c.find(g.rule, refs[0], 0, "/findings/"+refs[0], "The %s %s from a certification audit has no corrective action: "+
					"add one (correction, root cause, action) before the certification body's deadline.", strings.ToLower(isms.GradeWords(g.grade)), refs[0])
			case len(refs) > 1:
				c.find(g.rule, "", len(refs), link, "%d %ss from certification audits have no corrective action (%s): add one to each "+
					"before the certification body's deadline.", len(refs), strings.ToLower(isms.GradeWords(g.grade)), strings.Join(refs, ", "))
			}
		}
		return nil
	},
}

// stage2WithoutStage1 is the first Stage 2 audit (not cancelled) with no Stage 1 audit done or planned on or
// before its start, and that start; "" when there is none.
func stage2WithoutStage1(audits []isms.CertificationAudit) (ref, start string) {
	for _, s2 := range audits {
		if s2.Kind != "stage-2" || s2.Status == "cancelled" {
			continue
		}
		before := false
		for _, s1 := range audits {
			if s1.Kind == "stage-1" && s1.Status != "cancelled" && s1.PlannedStart <= s2.PlannedStart {
				before = true
			}
		}
		if !before {
			return s2.Ref, s2.PlannedStart
		}
	}
	return "", ""
}

// by is " by " and the certification body, or nothing when none is named.
func by(body string) string {
	if body == "" {
		return ""
	}
	return " by " + body
}

// dayWords is a number of days ahead in words: "today", "tomorrow", "in 35 days".
func dayWords(days int) string {
	switch days {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", days)
}
