package service

import (
	"context"
	"fmt"
	"time"
)

// demoTraining gives the sample organisation its training: yearly security awareness for all staff, yearly
// secure coding for the engineers (the secure development policy asks for it) and privacy for the customer
// success team, with records over the past eighteen months; a few people are overdue and a few never trained.
// Written after the tasks, from its own hour (demoTrainingHours), so the audit trail keeps moving forward.
func (s *Service) demoTraining(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	clock.hoursAgo(demoTrainingHours)
	ctx = WithActor(ctx, members["daniel@northwind.example"])
	courses := []CourseInput{
		{Title: "Security awareness", Description: "Phishing, passwords and passkeys, reporting an incident, working away from the office, and how we classify and share information.",
			RecurrenceMonths: 12, Owner: "daniel@northwind.example", Controls: []string{"6.3"}},
		{Title: "Secure coding", Description: "The common web application weaknesses and how our coding standard, reviews and pipeline checks prevent them.",
			Audience: "role", AudienceValue: "engineer", RecurrenceMonths: 12, Owner: "sofia@northwind.example", Controls: []string{"8.28", "6.3"}},
		{Title: "Handling customer personal data", Description: "What personal data of customers we hold, who may see it, answering a request from a data subject, and when to call the DPO.",
			Audience: "team", AudienceValue: "Customer Success", RecurrenceMonths: 12, Owner: "hannah@northwind.example", Controls: []string{"5.34", "6.3"}},
	}
	for _, in := range courses {
		clock.t = clock.t.Add(time.Minute)
		if _, err := s.AddCourse(ctx, in); err != nil {
			return fmt.Errorf("demo course %s: %w", in.Title, err)
		}
	}
	// daysAgo is a completion day so many days before today.
	daysAgo := func(n int) string { return clock.today.AddDate(0, 0, -n).Format(time.DateOnly) }
	type record struct {
		course, person string
		days           int
		result         string
	}
	records := []record{
		// Security awareness: last year's round, then this year's; Samuel and Lucas have not renewed (overdue),
		// Elena's runs out within the month, Mei never took it.
		{"C-001", "maya@northwind.example", 520, "completed"}, {"C-001", "daniel@northwind.example", 515, "completed"},
		{"C-001", "samuel@northwind.example", 470, "completed"}, {"C-001", "lucas@northwind.example", 400, "completed"},
		{"C-001", "elena@northwind.example", 350, "completed"},
		{"C-001", "maya@northwind.example", 160, "completed"}, {"C-001", "daniel@northwind.example", 158, "passed"},
		{"C-001", "sofia@northwind.example", 150, "passed"}, {"C-001", "tom@northwind.example", 149, "completed"},
		{"C-001", "lena@northwind.example", 147, "completed"}, {"C-001", "aisha@northwind.example", 140, "passed"},
		{"C-001", "jonas@northwind.example", 139, "passed"}, {"C-001", "priya@northwind.example", 120, "completed"},
		{"C-001", "carlos@northwind.example", 118, "passed"}, {"C-001", "hannah@northwind.example", 110, "passed"},
		{"C-001", "oliver@northwind.example", 95, "failed"}, {"C-001", "oliver@northwind.example", 88, "passed"},
		// Secure coding: Jonas is overdue, Priya never took it.
		{"C-002", "jonas@northwind.example", 430, "passed"}, {"C-002", "aisha@northwind.example", 200, "passed"},
		{"C-002", "sofia@northwind.example", 60, "passed"},
		// Privacy for customer success.
		{"C-003", "oliver@northwind.example", 75, "passed"},
	}
	for _, r := range records {
		clock.t = clock.t.Add(time.Minute)
		if _, err := s.AddTraining(ctx, TrainingInput{Course: r.course, Person: r.person, CompletedOn: daysAgo(r.days), Result: r.result}); err != nil {
			return fmt.Errorf("demo training %s %s: %w", r.course, r.person, err)
		}
	}
	return nil
}
