package service

import (
	"context"
	"fmt"
	"time"
)

// demoMetric is a Northwind metric with a year of monthly values, the oldest first; the last value was taken
// at the end of the month lastAgo months back (1: last month), so a metric with lastAgo 3 is late.
type demoMetric struct {
	in      MetricInput
	values  []string
	lastAgo int
}

// demoMetrics follow the objectives (OBJ-001 laptops, OBJ-002 phishing, OBJ-003 restores, OBJ-004 static
// analysis): phishing clicks are off target, the leaver access metric is late.
var demoMetrics = []demoMetric{
	{MetricInput{Title: "Patch compliance within 14 days", Unit: "%", Target: "95", Direction: "at-least", Owner: "jonas@northwind.example",
		Description: "Unpatched servers and laptops are the way in for most ransomware.",
		Method:      "Share of servers and laptops with every critical and high update installed within 14 days of release, from the patch management console on the last working day of the month.",
		Controls:    []string{"8.8"}, Objective: "OBJ-001"},
		[]string{"88", "90", "91", "89", "93", "94", "95", "96", "94", "96", "97", "97.5"}, 1},
	{MetricInput{Title: "Phishing simulation click rate", Unit: "%", Target: "4", Direction: "at-most", Owner: "daniel@northwind.example",
		Description: "Shows whether awareness training changes what people do.",
		Method:      "Share of recipients who clicked the link in the monthly simulated phishing email.",
		Controls:    []string{"6.3", "8.23"}, Objective: "OBJ-002"},
		[]string{"11", "9.5", "9", "8", "7.2", "6.5", "6", "5.1", "5.4", "4.8", "4.5", "4.9"}, 1},
	{MetricInput{Title: "Backup restores that succeed", Unit: "%", Target: "100", Direction: "at-least", Owner: "jonas@northwind.example",
		Description: "A backup counts only when it can be restored.", Frequency: "monthly",
		Method:   "Share of the month's sample restores (one database, one file share) completed and checked by a second engineer.",
		Controls: []string{"8.13"}, Objective: "OBJ-003"},
		[]string{"100", "50", "100", "100", "50", "100", "100", "100", "100", "100", "100", "100"}, 1},
	{MetricInput{Title: "Mean time to revoke leaver access", Unit: "days", Target: "1", Direction: "at-most", Owner: "lena@northwind.example",
		Description: "Accounts of people who left are a common way in.",
		Method:      "Average days from the leaving date in the HR system to the last account disabled, over the month's leavers.",
		Controls:    []string{"5.18", "5.11"}},
		[]string{"4", "3.5", "3", "2.8", "2", "1.5", "1.2", "1", "0.8"}, 3},
	{MetricInput{Title: "Laptops with disk encryption and endpoint protection", Unit: "%", Target: "100", Direction: "at-least",
		Owner: "carlos@northwind.example", Method: "Share of company laptops reporting both to the device management console at the end of the month.",
		Controls: []string{"8.1", "8.24"}, Objective: "OBJ-001"},
		[]string{"92", "94", "95", "97", "98", "98", "99", "99", "100", "100", "100", "100"}, 1},
	{MetricInput{Title: "High static analysis findings older than 14 days", Unit: "findings", Target: "0", Direction: "at-most",
		Owner: "sofia@northwind.example", Method: "Open high-severity findings on the main branch first seen more than 14 days ago, from the code scanner.",
		Controls: []string{"8.28", "8.29"}, Objective: "OBJ-004"},
		[]string{"6", "5", "5", "4", "3", "3", "2", "1", "1", "0", "0", "0"}, 1},
}

// demoImprovements cite the reviews, corrective actions, audits and risks they came from. Made on is in days
// from today.
var demoImprovements = []ImprovementInput{
	{Title: "Leaver accounts disabled from the HR system", Source: "corrective", SourceRef: "CA-001", Owner: "lena@northwind.example", MadeOn: "-150",
		Description: "Leaving dates in the HR system now open a ticket that disables the person's accounts on their last day.",
		Reason:      "Leavers kept access for days after they left (metric M-004)."},
	{Title: "Short monthly phishing lessons", Source: "review", SourceRef: "MR-001", Owner: "daniel@northwind.example", MadeOn: "-120",
		Description: "The yearly awareness course is followed by a five-minute lesson each month, sent after the simulation.",
		Reason:      "The click rate fell too slowly with yearly training alone."},
	{Title: "Restore tests on a full-size staging database", Source: "audit", SourceRef: "AU-001", Owner: "jonas@northwind.example", MadeOn: "-90",
		Description: "Staging was resized so that the monthly restore test covers the whole production database.",
		Reason:      "Two restore tests failed because staging was too small."},
	{Title: "Automatic updates for every laptop", Source: "risk", SourceRef: "R-003", Owner: "carlos@northwind.example", MadeOn: "-75",
		Description: "Device management installs operating system and browser updates within three days, with a forced restart after seven.",
		Reason:      "Patch compliance stayed below target while users postponed updates."},
	{Title: "Static analysis gate before merge", Source: "corrective", SourceRef: "CA-002", Owner: "sofia@northwind.example", MadeOn: "-40",
		Description: "A merge to the main branch is blocked while the scanner reports a new high finding.",
		Reason:      "High findings reached production and stayed open for weeks."},
}

// monthEnd is the last day of the month n months before today's.
func monthEnd(today time.Time, n int) string {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, -n+1, -1).Format(time.DateOnly)
}

// demoPerformance records Northwind's metrics with their measurements and its improvement log, as the CISO,
// after every other step (a day ago), the values entered from last year's spreadsheet.
func (s *Service) demoPerformance(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	clock.hoursAgo(demoPerformanceHours)
	for _, d := range demoMetrics {
		clock.minutes(2)
		m, err := s.AddMetric(ciso, d.in)
		if err != nil {
			return fmt.Errorf("demo metric %s: %w", d.in.Title, err)
		}
		for i, v := range d.values {
			clock.t = clock.t.Add(10 * time.Second)
			on := monthEnd(clock.today, d.lastAgo+len(d.values)-1-i)
			if _, err := s.RecordMeasurement(ciso, m.Ref, MeasurementInput{TakenOn: on, Value: v}); err != nil {
				return fmt.Errorf("demo measurement %s %s: %w", m.Ref, on, err)
			}
		}
	}
	for _, in := range demoImprovements {
		clock.minutes(2)
		in.MadeOn = relativeDay(clock.today, in.MadeOn)
		if _, err := s.AddImprovement(ciso, in); err != nil {
			return fmt.Errorf("demo improvement %s: %w", in.Title, err)
		}
	}
	return nil
}
