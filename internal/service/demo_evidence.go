package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// demoEvidence gives the sample organisation its evidence: a static analysis report for secure coding (8.28), an
// access review export (5.18) about to expire, a backup restore test record (8.13) that has expired, a link to
// the backup monitoring dashboard and an auditor's note of a walk-through. It runs last, the day before today.
func (s *Service) demoEvidence(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	day := func(days int) string { return clock.today.AddDate(0, 0, days).Format(time.DateOnly) }
	sast := strings.Join([]string{
		"Northwind static analysis report",
		"Repository: payments-service   Branch: main   Scanner: semgrep (company rule set)",
		"Scanned: " + day(-14),
		"",
		"Severity  Count  Status",
		"high      0      -",
		"medium    2      triaged: both false positives, suppressed with a reviewed comment",
		"low       7      backlog, tracked in the engineering board",
		"",
		"Result: passes the release gate (no open high findings).",
	}, "\n") + "\n"
	review := "user,system,role,manager,decision,reviewed_on\n" +
		"aisha@northwind.example,production-db,read-write,sofia@northwind.example,keep," + day(-40) + "\n" +
		"jonas@northwind.example,production-db,admin,sofia@northwind.example,keep," + day(-40) + "\n" +
		"priya@northwind.example,production-db,read-write,sofia@northwind.example,reduce to read-only," + day(-40) + "\n" +
		"lucas@northwind.example,crm,admin,maya@northwind.example,remove (left the pilot)," + day(-40) + "\n"
	restore := "Restore test record\nSystem: HR database (nightly backup)\nRestored to: staging\nDate: " + day(-200) +
		"\nRows checked: 18,204 of 18,204\nTime to restore: 41 minutes (target 4 hours)\nResult: passed\nTested by: Jonas Weber\n"
	type piece struct {
		by      string
		in      EvidenceInput
		name    string // a file's name; "" for a link or a note
		content string
	}
	pieces := []piece{
		{"sofia@northwind.example", EvidenceInput{Title: "Static analysis report, payments service", Owner: "sofia@northwind.example",
			Description: "Release gate scan of the main branch: no open high findings.", Controls: []string{"8.28", "8.29"},
			CollectedAt: day(-14), ValidUntil: day(76)}, "sast-payments-service.txt", sast},
		{"daniel@northwind.example", EvidenceInput{Title: "Quarterly access review, production systems", Owner: "daniel@northwind.example",
			Description: "Export of the review: each account confirmed or reduced by its manager.", Controls: []string{"5.18", "8.2"},
			CollectedAt: day(-40), ValidUntil: day(20)}, "access-review.csv", review},
		{"daniel@northwind.example", EvidenceInput{Title: "Restore test, HR database", Owner: "jonas@northwind.example",
			Description: "Yearly restore test of the nightly backup; due again.", Controls: []string{"8.13"},
			CollectedAt: day(-200), ValidUntil: day(-15)}, "restore-test-hr-db.txt", restore},
		{"daniel@northwind.example", EvidenceInput{Title: "Backup monitoring dashboard", URL: "https://status.northwind.example/backups",
			Description: "Every backup job with its last run and result.", Controls: []string{"8.13", "8.16"}, Owner: "jonas@northwind.example"}, "", ""},
		{"tom@northwind.example", EvidenceInput{Title: "Walk-through of the server room",
			Description: "Racks locked, visitor log kept and signed, no tailgating seen during the visit.", Controls: []string{"7.2", "7.4"},
			Clauses: []string{"9.2"}, CollectedAt: day(-1)}, "", ""},
	}
	clock.hoursAgo(demoEvidenceHours)
	for i, p := range pieces {
		clock.t = clock.t.Add(time.Duration(10*(i+1)) * time.Minute)
		actx := WithActor(ctx, members[p.by])
		var err error
		if p.name != "" {
			_, err = s.AddEvidenceFile(actx, p.in, EvidenceFile{Name: p.name, Body: strings.NewReader(p.content)})
		} else {
			_, err = s.AddEvidence(actx, p.in)
		}
		if err != nil {
			return fmt.Errorf("demo evidence %q: %w", p.in.Title, err)
		}
	}
	shown := map[string]bool{}
	for _, p := range pieces {
		for _, c := range p.in.Controls {
			shown[c] = true
		}
	}
	return s.demoWalkthroughs(WithActor(ctx, members["daniel@northwind.example"]), day, shown)
}

// demoWalkthroughs records the CISO's walk-through of the controls the SoA calls implemented that nothing
// above shows at work yet: one note per theme, naming those controls, so that every implemented control has
// its evidence (the lint's implemented-without-evidence finds none on the sample). shown are the controls
// with evidence already.
func (s *Service) demoWalkthroughs(ctx context.Context, day func(int) string, shown map[string]bool) error {
	soa, err := s.SoA(ctx, SoAFilter{Status: isms.SoAImplemented})
	if err != nil {
		return err
	}
	byTheme := map[string][]string{}
	for _, e := range soa.Entries {
		if !shown[e.Control] {
			byTheme[e.Theme] = append(byTheme[e.Theme], e.Control)
		}
	}
	for _, theme := range []string{"organizational", "people", "physical", "technological"} {
		if len(byTheme[theme]) == 0 {
			continue
		}
		in := EvidenceInput{Title: "Walk-through of the " + theme + " controls", Owner: "daniel@northwind.example",
			Description: "Each control's owner showed it at work: the records, settings or practice it relies on were seen and noted, control by control.",
			Controls:    byTheme[theme], CollectedAt: day(-30), ValidUntil: day(335)}
		if _, err := s.AddEvidence(ctx, in); err != nil {
			return fmt.Errorf("demo walk-through of the %s controls: %w", theme, err)
		}
	}
	return nil
}
