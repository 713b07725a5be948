package service_test

import (
	"context"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// The sample organisation has an audit programme with a cycle that began about fourteen months ago, audits in
// every state but cancelled across the three years, a completed audit with a finding of each grade, and one in
// progress.
func TestDemoAudits(t *testing.T) {
	eachDemo(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		audits, err := e.svc.ListAudits(ctx, service.InternalAuditFilter{}, service.Page{})
		ok(t, err)
		status := map[string]int{}
		for _, au := range audits.Items {
			status[au.Status]++
		}
		if status["completed"] != 2 || status["in-progress"] != 1 || status["planned"] != 2 {
			t.Fatalf("demo audits by status: %v", status)
		}
		grades := map[string]int{}
		findings, err := e.svc.ListFindings(ctx, service.FindingFilter{Audit: "AU-002"}, service.Page{})
		ok(t, err)
		for _, f := range findings.Items {
			grades[f.Grade]++
		}
		if len(grades) != 4 {
			t.Fatalf("demo findings by grade: %v", grades)
		}
		p, err := e.svc.AuditProgramme(ctx)
		ok(t, err)
		var years []int
		for _, y := range p.Coverage.Years {
			years = append(years, len(y.Audits))
		}
		if p.Programme.CycleStart == "" || years[0] == 0 || years[1] < 2 || years[2] == 0 {
			t.Fatalf("demo programme: %s, audits per year %v", p.Programme.CycleStart, years)
		}
		md, err := e.svc.AuditReportMarkdown(ctx, "AU-002")
		ok(t, err)
		if len(md) < 1000 {
			t.Fatalf("report:\n%s", md)
		}
		if au, err := e.svc.Audit(ctx, "AU-003"); err != nil || len(au.Warnings) == 0 || au.Warnings[0] != "Carlos Mendes audits their own area (IT)" {
			t.Fatalf("AU-003 warnings: %v %v", au.Warnings, err)
		}
	})
}
